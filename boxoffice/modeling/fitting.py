"""Build models from params.yaml, search their grids, and cross-validate the classifier."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
from joblib import Parallel, delayed, parallel_config
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, get_scorer
from sklearn.model_selection import GridSearchCV, KFold, RepeatedKFold, cross_val_predict, cross_validate
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from boxoffice.modeling.model_types import REGRESSORS, RegressorType
from boxoffice.modeling.smoothing import SMOOTHING, Smoothed, smoothing_of
from boxoffice.params import ClassifierParams

# Parallel folds and grid points run on threads, not joblib's default worker processes: the
# fits release the GIL (scikit-learn's tree builders, numpy, XGBoost, OpenMP), and a worker
# process costs about a second to start and import scikit-learn, which a stage of a few
# seconds pays in full. The figures do not depend on it: every fold is seeded.
PREFER = "threads"


@contextmanager
def fold_parallelism(model: Any) -> Iterator[None]:
    """How ``model``'s folds and grid points run side by side: on threads, or for some types in processes.

    Threads by default (``PREFER``). A type whose fit threads its sums with OpenMP
    (``openmp_fit``) in an order that varies from run to run is fitted with one OpenMP
    thread, so the same data gives the same model to the last bit; its fit holds the GIL in
    Python between OpenMP loops, so its folds run in joblib's worker processes (which get
    one OpenMP thread each) rather than on threads. Set from the calling thread, around a
    whole search or CV: the OpenMP limit is process-wide.
    """
    kind = registered_type(model)
    if kind is not None and kind.openmp_fit:
        with threadpool_limits(limits=1, user_api="openmp"), parallel_config(prefer="processes"):
            yield
    else:
        with parallel_config(prefer=PREFER):
            yield


def registered_type(model: Any) -> RegressorType | None:
    """The registry entry whose estimator ``model`` is (or smooths), if any (the classifier is none)."""
    inner = model.estimator if isinstance(model, Smoothed) else model
    return next((kind for kind in REGRESSORS.values() if type(inner) is kind.estimator), None)


def fold_model(model: Any, n_jobs: int) -> Any:
    """What each CV fold clones: ``model``, or with ``n_jobs=1`` where folds run side by side and the
    type's n_jobs changes only its speed (``RegressorType.n_jobs_free``): no thread waits on another."""
    kind = registered_type(model)
    if n_jobs > 1 and kind is not None and kind.n_jobs_free:
        return clone(model).set_params(**{_inner_key(model, "n_jobs"): 1})
    return model


def grid_points(params: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Expand a model's params: a list is a set of values to search, a scalar is fixed.

    ``{"max_depth": [10, 15], "n_estimators": 100}`` gives two points. All scalars
    give one point, which means no search.
    """
    names = list(params)
    choices = [value if isinstance(value, list) else [value] for value in params.values()]
    return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*choices)]


def make_regressor(name: str, point: Mapping[str, Any], features: Sequence[str] = ()) -> Any:
    """The type's estimator with ``point``'s params; ``Smoothed`` when they set a smoothing key
    (``boxoffice.modeling.smoothing.SMOOTHING``), which finds its columns among ``features``."""
    if name not in REGRESSORS:
        raise KeyError(f"unknown regressor {name!r}; known: {', '.join(REGRESSORS)}")
    own, smoothing = smoothing_of(dict(point))
    model = REGRESSORS[name].estimator(**own)
    return Smoothed(model, tuple(features), **smoothing) if smoothing else model


def _inner_key(model: Any, key: str) -> str:
    """The name ``set_params`` knows the model type's own param by (under ``Smoothed``: estimator__key)."""
    return f"estimator__{key}" if isinstance(model, Smoothed) else key


NEG_RMSE = "neg_root_mean_squared_error"  # what ranks a grid's points


class _RankedAndScored:
    """A ``GridSearchCV`` scorer: the negative RMSE that ranks the points (scikit-learn's own, so
    the ranking and the table are the single-metric search's) and ``score``'s figures beside it,
    so that the chosen point's folds need not be fitted again by the repeated CV."""

    def __init__(self, score: Score) -> None:
        self.score = score
        self.rank = get_scorer(NEG_RMSE)

    def __call__(self, model: Any, X: np.ndarray, y: np.ndarray) -> dict[str, float]:
        figures = {f"also_{name}": value for name, value in self.score(model, X, y).items()}
        return {"neg_rmse": self.rank(model, X, y), **figures}


def fit_regressor(
    name: str,
    params: Mapping[str, Any],
    X: np.ndarray,
    y: np.ndarray,
    folds: int,
    seed: int,
    n_jobs: int = 1,
    features: Sequence[str] = (),
) -> tuple[Any, dict[str, Any], pd.DataFrame]:
    """Search the grid by K-fold CV RMSE on the training rows (``GridSearchCV``), refit the best on all of them.

    Returns the fitted model, its params, and the search table: one row per grid point
    with its CV RMSE (mean and std over the folds). A single point is still
    cross-validated, so every table has the same columns. Ties go to the earlier point.
    The validation split is not used: it calibrates the served model's intervals.
    """
    search, points = _grid_search(name, params, X, y, folds, seed, n_jobs, NEG_RMSE, features)
    return search.best_estimator_, points[search.best_index_], _search_table(search, points, "score")


def _grid_search(
    name: str,
    params: Mapping[str, Any],
    X: np.ndarray,
    y: np.ndarray,
    folds: int,
    seed: int,
    n_jobs: int,
    scoring: str | _RankedAndScored,
    features: Sequence[str] = (),
) -> tuple[GridSearchCV, list[dict[str, Any]]]:
    searched = [key for key in SMOOTHING if isinstance(params.get(key), list)]
    if searched:
        raise ValueError(f"{', '.join(searched)}: a smoothing setting is fixed, not searched (give one value)")
    points = grid_points(params)
    base = make_regressor(name, {key: params[key] for key in SMOOTHING if key in params}, features)
    grid = [{_inner_key(base, key): [value] for key, value in smoothing_of(point)[0].items()} for point in points]
    search = GridSearchCV(
        base,
        grid,
        scoring=scoring,
        cv=KFold(n_splits=folds, shuffle=True, random_state=seed),
        refit=True if isinstance(scoring, str) else "neg_rmse",
        n_jobs=n_jobs,  # each point and fold is fitted alone and seeded: the result does not depend on it
    )
    with fold_parallelism(search.estimator):
        search.fit(X, y)
    return search, points


def _search_table(search: GridSearchCV, points: list[dict[str, Any]], key: str) -> pd.DataFrame:
    results = search.cv_results_
    return pd.DataFrame(points).assign(
        cv_rmse=np.round(-results[f"mean_test_{key}"], 6), cv_rmse_std=np.round(results[f"std_test_{key}"], 6)
    )


def make_classifier(C: float, max_iter: int) -> Pipeline:
    """L2 logistic regression on standardised features (C means the same for every feature)."""
    return make_pipeline(StandardScaler(), LogisticRegression(C=C, l1_ratio=0.0, max_iter=max_iter))


def c_key(c: float) -> str:
    """How a C value is written as a JSON key: 0.001, 0.5, 10."""
    return f"{float(c):g}"


def c_search(Cs: float | Sequence[float], folds: int, seed: int, max_iter: int) -> GridSearchCV:
    """scikit-learn's search for the classifier's C by shuffled K-fold ROC AUC (ties: the smaller C)."""
    grid = sorted(np.atleast_1d(Cs).tolist())
    return GridSearchCV(
        make_classifier(grid[0], max_iter),
        {"logisticregression__C": grid},
        scoring="roc_auc",
        cv=KFold(n_splits=folds, shuffle=True, random_state=seed),
    )


def cross_validate_c(
    X: np.ndarray, y: np.ndarray, Cs: float | Sequence[float], folds: int, seed: int, max_iter: int
) -> tuple[dict[str, dict[str, float]], float]:
    """Mean and std ROC AUC of each C over shuffled K folds; the best C (ties: smaller C).

    One number is a one-point grid, so ``dvc exp run -S classifier.C=0.5`` works.
    """
    search = c_search(Cs, folds, seed, max_iter).fit(X, y)
    results = search.cv_results_
    table = {
        c_key(c): {"mean_auc": round(float(mean), 6), "std_auc": round(float(std), 6)}
        for c, mean, std in zip(
            results["param_logisticregression__C"], results["mean_test_score"], results["std_test_score"], strict=True
        )
    }
    return table, float(search.best_params_["logisticregression__C"])


def nested_cv_auc(X: np.ndarray, y: np.ndarray, config: ClassifierParams) -> dict[str, float]:
    """ROC AUC of the whole procedure, C search included, on folds the search never saw (nested CV).

    The C search's own best mean AUC is optimistic: it is the maximum over the grid of
    scores on the rows it chose on. Here every outer fold runs the search on the other
    folds only; the outer folds are shuffled with ``random_state + 1``.
    """
    search = c_search(config["C"], config["folds"], config["random_state"], config["max_iter"])
    outer = KFold(n_splits=config["folds"], shuffle=True, random_state=config["random_state"] + 1)
    aucs = cross_validate(search, X, y, cv=outer, scoring="roc_auc")["test_score"]
    return {"mean": round(float(aucs.mean()), 6), "std": round(float(aucs.std()), 6)}


def calibrated(model: Any, method: str, folds: int, seed: int) -> Any:
    """``model`` wrapped so its probabilities are recalibrated ('sigmoid' or 'isotonic'); 'none' keeps it."""
    if method == "none":
        return model
    splitter = KFold(n_splits=folds, shuffle=True, random_state=seed)
    return CalibratedClassifierCV(model, method=method, cv=splitter)


def out_of_fold_proba(model: Any, X: np.ndarray, y: np.ndarray, folds: int, seed: int) -> np.ndarray:
    """P(hit) for every row from a model that never saw it (K folds)."""
    splitter = KFold(n_splits=folds, shuffle=True, random_state=seed)
    return cross_val_predict(model, X, y, cv=splitter, method="predict_proba")[:, 1]


def fit_hit_classifier(X: np.ndarray, y: np.ndarray, config: ClassifierParams) -> tuple[Any, dict[str, Any]]:
    """The cv-classifier stage's model: C by K-fold AUC, refit, calibrated if asked; and its report.

    ``config`` is params.yaml's classifier section. The report holds the C search, the
    chosen C, the calibration method and out-of-fold Brier scores before and after it.
    """
    folds, seed, method = config["folds"], config["random_state"], config["calibration"]
    table, best_c = cross_validate_c(X, y, config["C"], folds, seed, config["max_iter"])
    raw = make_classifier(best_c, config["max_iter"])
    served = calibrated(raw, method, folds, seed)
    brier = {"uncalibrated": brier_score_loss(y, out_of_fold_proba(raw, X, y, folds, seed))}
    if method != "none":
        brier[method] = brier_score_loss(y, out_of_fold_proba(served, X, y, folds, seed))
    report = {
        "cv": table,
        "best_C": best_c,
        "nested_cv_auc": nested_cv_auc(X, y, config),
        "calibration": method,
        "brier_cv": {name: round(float(value), 6) for name, value in brier.items()},
    }
    return served.fit(X, y), report


Score = Callable[[Any, np.ndarray, np.ndarray], dict[str, float]]


def repeated_cv(
    model: Any, X: np.ndarray, y: np.ndarray, score: Score, folds: int, repeats: int, seed: int, n_jobs: int = 1
) -> dict[str, dict[str, float]]:
    """Mean and std of each score over repeated K-fold CV (a fresh clone of ``model`` per fold).

    Folds run ``n_jobs`` at a time (``fold_parallelism``); each is seeded by the splitter,
    so the figures do not depend on ``n_jobs``.
    """
    return summarize(repeated_cv_folds(model, X, y, score, folds, repeats, seed, n_jobs))


def repeated_cv_folds(
    model: Any,
    X: np.ndarray,
    y: np.ndarray,
    score: Score,
    folds: int,
    repeats: int,
    seed: int,
    n_jobs: int = 1,
    skip: int = 0,
) -> list[dict[str, float]]:
    """Each fold's scores of ``repeated_cv``, in the splitter's order (repeat by repeat), but the first ``skip``."""
    splitter = RepeatedKFold(n_splits=folds, n_repeats=repeats, random_state=seed)
    each = fold_model(model, n_jobs)

    def one_fold(train: np.ndarray, test: np.ndarray) -> dict[str, float]:
        return score(clone(each).fit(X[train], y[train]), X[test], y[test])

    splits = list(splitter.split(X))[skip:]
    with fold_parallelism(model):
        return list(Parallel(n_jobs=n_jobs)(delayed(one_fold)(train, test) for train, test in splits))


def fit_and_cross_validate(
    name: str,
    params: Mapping[str, Any],
    X: np.ndarray,
    y: np.ndarray,
    search: tuple[int, int, int],
    score: Score,
    cv: tuple[int, int, int, int],
    features: Sequence[str] = (),
) -> tuple[Any, dict[str, Any], pd.DataFrame, dict[str, dict[str, float]]]:
    """``fit_regressor`` (``search``: folds, seed, n_jobs) then ``repeated_cv`` of the chosen point
    (``cv``: folds, repeats, seed, n_jobs; ``score`` must report "rmse"), without fitting a fold twice.

    When the search's folds and seed are the repeated CV's, the search's K folds are the
    repeated CV's first repeat (``RepeatedKFold`` draws its first shuffle from the seed as
    ``KFold`` does). A one-point grid searches nothing, yet its table reports the point's
    K-fold CV RMSE: the table is read from the repeated CV rather than fitted again (a third
    fewer fits). A real grid scores every fold with ``score`` too, and the chosen point's
    folds are the repeated CV's first repeat (K fewer fits). The same figures either way
    (``tests/modeling/test_fitting.py`` holds them to ``GridSearchCV`` then repeated CV).
    """
    points = grid_points(params)
    folds, seed, n_jobs = search
    if (folds, seed) != (cv[0], cv[2]):
        model, chosen, table = fit_regressor(name, params, X, y, folds, seed, n_jobs, features)
        return model, chosen, table, repeated_cv(model, X, y, score, *cv)
    if len(points) > 1:
        grid, _ = _grid_search(name, params, X, y, folds, seed, n_jobs, _RankedAndScored(score), features)
        results, best = grid.cv_results_, grid.best_index_
        names = [key.removeprefix("mean_test_also_") for key in results if key.startswith("mean_test_also_")]
        chosen_folds = [
            {name: float(results[f"split{k}_test_also_{name}"][best]) for name in names} for k in range(folds)
        ]
        model, table = grid.best_estimator_, _search_table(grid, points, "neg_rmse")
        rest = repeated_cv_folds(model, X, y, score, *cv, skip=folds)
        return model, points[best], table, summarize(chosen_folds + rest)
    model = make_regressor(name, points[0], features)
    results = repeated_cv_folds(model, X, y, score, *cv)
    first = np.array([result["rmse"] for result in results[:folds]])
    table = pd.DataFrame(points).assign(cv_rmse=np.round(first.mean(), 6), cv_rmse_std=np.round(first.std(), 6))
    with fold_parallelism(model):
        model.fit(X, y)
    return model, points[0], table, summarize(results)


def summarize(folds: Sequence[Mapping[str, float]]) -> dict[str, dict[str, float]]:
    """Mean and std over folds of each score ({score: value} per fold), rounded to 6 decimals."""
    scores: dict[str, list[float]] = {}
    for result in folds:
        for name, value in result.items():
            scores.setdefault(name, []).append(value)
    return {
        name: {"mean": round(float(np.mean(values)), 6), "std": round(float(np.std(values)), 6)}
        for name, values in scores.items()
    }
