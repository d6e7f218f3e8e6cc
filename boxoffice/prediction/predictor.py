"""Load what the pipeline produced and predict for many movies in one call.

The fitted models are evaluated through "fast paths" that skip scikit-learn's
per-call input checks (about 99% of a single prediction's cost, measured with
``bench/serve.py``); the service has already validated its input.
Each fast path gives the model's own ``predict`` to float precision, which
``tests/prediction/test_predictor.py`` checks on every row of the test split.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import sklearn
import yaml

from boxoffice.data.dollars import to_base_year
from boxoffice.features.build import derive_in_dollars, real_dollars
from boxoffice.features.limits import DataLimits
from boxoffice.features.names import NameReader
from boxoffice.features.sets import VARIANTS
from boxoffice.features.track_record import TrackRecord
from boxoffice.features.transforms import feature_matrix, release_years
from boxoffice.io import load_model, md5_of, read_csv
from boxoffice.modeling.comp_reasons import CompRules, Described
from boxoffice.modeling.comps import Comps, day_numbers
from boxoffice.modeling.distribution import LEVELS, OUTLOOK, RevenueDistribution, shift_prior
from boxoffice.modeling.effects import effects, in_dollars
from boxoffice.modeling.explain import Explainer
from boxoffice.modeling.model_types import CLASSIFIER, Predict, regressor_type
from boxoffice.modeling.model_types import explainer as explain_with
from boxoffice.modeling.producer import (
    DEFAULT_P_AND_A_MULTIPLE,
    DEFAULT_SHARE,
    break_even_revenue,
    result,
    terms,
)
from boxoffice.modeling.smoothing import Smoothed
from boxoffice.params import FeaturizeParams
from boxoffice.prediction.manifest import ForwardTrust, Population, ServingManifest, VariantModels

DISTRIBUTION_LEVELS = tuple(range(5, 100, 5))  # percent: the levels ?quantiles=true answers
PROFIT_LEVELS = ("median", "low", "high")  # the revenue levels the producer's result is given at
TRACK_RECORD = "track_record.csv"
# The gradient-boosting and forest fast paths (boxoffice.modeling.tree_kernels) rely on how scikit-learn
# computes predict; they were checked (tests/prediction/test_predictor.py, every test row) against these
# versions only. With any other version, or with BOXOFFICE_FAST_PATHS=0, the models' public
# predict serves instead.
CHECKED_SKLEARN = ("1.9.1",)
log = logging.getLogger("boxoffice.prediction.predictor")


def fast_paths_switched_off() -> bool:
    """BOXOFFICE_FAST_PATHS=0: every model served through its public predict (for comparison or debugging)."""
    return os.environ.get("BOXOFFICE_FAST_PATHS", "1") == "0"


def fast_path_problem() -> str | None:
    """Why the internals-based fast paths are off, or None when they are on."""
    if fast_paths_switched_off():
        return "BOXOFFICE_FAST_PATHS=0"
    if sklearn.__version__ not in CHECKED_SKLEARN:
        return f"scikit-learn {sklearn.__version__} is not one they were checked with ({', '.join(CHECKED_SKLEARN)})"
    return None


_warned: set[str] = set()


def _warn_once(problem: str) -> None:
    if problem not in _warned:
        _warned.add(problem)
        log.warning("fast prediction paths off (%s): serving with the models' public predict, slower", problem)


class ModelsUnavailable(RuntimeError):
    """A model file is missing or unreadable: the operator must run the pipeline."""


def fast_regressor(model: Any, internals: bool | None = None) -> Predict:
    """A function X -> prediction equal to ``model.predict(X)``: its registered fast path when allowed.

    ``internals``: whether fast paths through scikit-learn internals may be used (default:
    ``fast_path_problem()`` finds no reason against). Otherwise the public ``predict``.
    """
    if internals is None:
        internals = fast_path_problem() is None
    if isinstance(model, Smoothed):  # the average of the fast path over each film's neighbourhood
        return model.neighbourhood.smoothed(fast_regressor(model.estimator_, internals))
    kind = regressor_type(model)
    if fast_paths_switched_off() or kind.fast_predict is None:
        return model.predict
    if kind.uses_internals and not internals:
        return model.predict
    return kind.fast_predict(model) or model.predict


def fast_hit_probability(model: Any) -> Predict:
    """A function X -> P(hit) equal to ``model.predict_proba(X)[:, 1]`` (public attributes only)."""
    fast = None if fast_paths_switched_off() else CLASSIFIER.fast_probability(model)
    return fast or (lambda X: model.predict_proba(X)[:, 1])


@dataclass(frozen=True)
class Predictor:
    """One variant's served regressor and hit classifier (see ``serving.json``)."""

    variant: str
    section: VariantModels
    features: list[str]
    derive_columns: Callable[[Mapping[str, Any], np.ndarray | None], dict[str, np.ndarray]]  # (columns, dollar factor)
    predict_log_revenue: Predict
    predict_hit_probability: Predict
    explainer: Explainer
    files: dict[str, dict[str, str]]
    track_record: TrackRecord
    distribution: RevenueDistribution
    settings: FeaturizeParams  # params.yaml's featurize section, as the models were built with
    hit_source: str
    population: Population  # learnt_hit_rate, and hit_rate to re-weight to (None: off)
    comps_table: pd.DataFrame  # the films ?comps=N draws from (boxoffice.modeling.comps)
    forward: ForwardTrust  # the pre-release models' forward-in-time figures (serving.json's "forward")

    @classmethod
    def load(cls, models_dir: str | Path, variant: str = "main", track_record: TrackRecord | None = None) -> Predictor:
        """Read ``serving.json`` (written by evaluate) and the files it names for ``variant``.

        ``track_record``: one already loaded from the same folder, to share between variants.
        """
        models_dir = Path(models_dir)
        try:
            manifest = ServingManifest.read(models_dir)
            section = manifest.variant(variant)
            files = {"regressor": section.regressor.file, "classifier": section.classifier.file}  # under models/
            paths = {role: models_dir / file for role, file in files.items()}
            models = {role: load_model(path) for role, path in paths.items()}
            record = track_record if track_record is not None else TrackRecord(read_csv(models_dir / TRACK_RECORD))
            settings = manifest.featurize.as_params()
            features = list(section.features.columns)
            explainer = explain_with(models["regressor"], len(features), np.array(section.feature_means))
            distribution = RevenueDistribution.from_json(section.distribution.model_dump())
            comps_table = read_csv(models_dir / section.comps.file)
        except Exception as err:  # a missing or unreadable file or entry means the same thing to an operator
            raise ModelsUnavailable(
                f"cannot load the models from {models_dir}/ ({type(err).__name__}: {err}); "
                "run `dvc repro` (or `dvc pull`) to produce them, then restart the service"
            ) from err

        problem = fast_path_problem()
        if problem:
            _warn_once(problem)

        def derive_columns(columns: Mapping[str, Any], factor: np.ndarray | None) -> dict[str, np.ndarray]:
            # Only pre-release requests carry names; /predict's fields need no track record.
            with_record = record if "directors" in columns else None
            return {**columns, **derive_in_dollars(columns, settings, factor, with_record)}

        return cls(
            variant=variant,
            section=section,
            features=features,
            derive_columns=derive_columns,
            predict_log_revenue=fast_regressor(models["regressor"], internals=problem is None),
            predict_hit_probability=fast_hit_probability(models["classifier"]),
            explainer=explainer,
            files={role: {"path": f"models/{files[role]}", "md5": md5_of(path)} for role, path in paths.items()},
            track_record=record,
            distribution=distribution,
            settings=settings,
            hit_source=manifest.hit_source,
            population=manifest.population,
            comps_table=comps_table,
            forward=manifest.forward,
        )

    @cached_property
    def comps(self) -> Comps:
        """The candidate films with this variant's explanation of each (built once, when first needed)."""
        table = self.comps_table
        contributions = self.explainer.explain(feature_matrix(table, self.features))[1]
        budget = table["budget"].to_numpy(dtype=np.float64)
        factor = self.dollar_factor({"release_date": table["release_date"].to_numpy()})
        return Comps.of(table, contributions, self.distribution.bands(budget if factor is None else budget * factor))

    @cached_property
    def names(self) -> NameReader:
        """How this variant reads a request's names: the track record's, the models' keywords and genres."""
        settings = self.settings
        return NameReader.of(
            self.track_record.history,
            settings["cast_top"],
            settings["keywords"],
            [*settings["genres"], *settings["more_genres"]],
            TrackRecord.ROLES,
        )

    @cached_property
    def limits(self) -> DataLimits:
        """The ranges of the films this variant's comps are drawn from (for pre_release: every film with revenue)."""
        table = self.comps_table
        films = {
            "release_date": table["release_date"],
            "runtime": table["film_runtime"],
            "original_language": table["film_original_language"],
        }
        trees = self.explainer.method != "linear"
        revenue = table.get("real_revenue")
        return DataLimits.of(films, self.real_budget(table), self.settings["cpi_base_year"], trees, revenue)

    def real_budget(self, columns: Mapping[str, Any]) -> np.ndarray:
        """Budgets in ``cpi_base_year`` dollars (whether or not the models work in them): the limits compare these."""
        years = release_years(columns["release_date"])
        return np.asarray(columns["budget"], dtype=np.float64) * to_base_year(years, self.settings["cpi_base_year"])

    @classmethod
    def load_all(cls, models_dir: str | Path) -> dict[str, Predictor]:
        """Every variant's predictor; they share one track record."""
        first = cls.load(models_dir, VARIANTS[0])
        return {VARIANTS[0]: first, **{v: cls.load(models_dir, v, first.track_record) for v in VARIANTS[1:]}}

    def matrix(self, columns: Mapping[str, Any]) -> np.ndarray:
        """Model input from raw request columns, through the pipeline's feature code."""
        return self._matrix(columns, self.dollar_factor(columns))

    def dollar_factor(self, columns: Mapping[str, Any]) -> np.ndarray | None:
        """Per film, release-year to constant dollars when this variant's models work in constant dollars."""
        return real_dollars(columns, self.settings) if self.section.constant_dollars else None

    def _matrix(self, columns: Mapping[str, Any], factor: np.ndarray | None) -> np.ndarray:
        return feature_matrix(self.derive_columns(columns, factor), self.features)

    def predict(
        self,
        columns: Mapping[str, Any],
        explain: bool = False,
        comps: int = 0,
        quantiles: bool = False,
        comp_rules: CompRules | None = None,
    ) -> dict[str, Any]:
        """Predictions for a batch given as columns of raw inputs (budget in dollars).

        Every revenue figure and both probabilities come from each film's conformal
        distribution (``boxoffice.modeling.distribution``): the predicted revenue is its median.
        With ``hit_source`` 'classifier', hit_probability is the logistic regression's
        instead; with a population hit rate, it is re-weighted to that rate (prior shift).
        With ``explain``, "explanation" holds each movie's feature contributions to the
        regressor's log revenue (base + sum); the features are built once for both.
        With ``comps`` > 0, "comps" holds each movie's nearest past films (at most that many;
        only those released before it when the variant's candidates are by date). With
        ``comp_rules``: constraints on the comps (``boxoffice.modeling.comp_reasons``); each comp
        carries its reasons. With ``quantiles``, "quantiles" holds each movie's revenue at the
        levels of ``DISTRIBUTION_LEVELS`` (the same percentiles as the median's), for drawing
        its distribution.
        Pre-release films (``columns`` with names) also get how each name was read ("names",
        ``boxoffice.features.names``: the models see the names read), the warnings their
        inputs earn ("warnings", ``boxoffice.features.limits``) and the producer's result
        (``boxoffice.modeling.producer``).
        """
        read = self.names.read(columns) if "directors" in columns else None
        if read is not None:
            columns = read.columns
        # Constant-dollar models: their budget in, their revenue back out in the release year's dollars.
        factor = self.dollar_factor(columns)  # computed once: the features and the answer both need it
        X = self._matrix(columns, factor)
        log_revenue = self.predict_log_revenue(X)
        budget = np.asarray(columns["budget"], dtype=np.float64)
        real_budget = budget if factor is None else budget * factor
        hit_multiple, coverage = self.settings["hit_multiple"], self.interval_coverage
        producer = self._producer_terms(columns, budget) if "directors" in columns else None
        above = None  # the producer's break-even gross in the models' dollars: its P(revenue >) from the same look-up
        if producer is not None:
            above = (producer[2] if factor is None else producer[2] * factor)[:, None]
        outlook = self.distribution.outlook_table(log_revenue, real_budget, hit_multiple, coverage, above)
        dollars = _dollars(outlook[:, :LEVELS], None if factor is None else factor[:, None])  # all five at once
        probability = outlook[:, OUTLOOK.index("hit_probability")]
        if self.hit_source == "classifier":
            probability = self.predict_hit_probability(X)
        if self.population.hit_rate is not None:
            probability = shift_prior(probability, self.population.learnt_hit_rate, self.population.hit_rate)
        answer = {
            "log_revenue": log_revenue,
            **{name: dollars[:, j] for j, name in enumerate(OUTLOOK[:LEVELS])},
            "hit_probability": probability,
            "is_hit": probability >= self.section.classifier.threshold,
            "break_even_probability": outlook[:, OUTLOOK.index("break_even_probability")],
            **self._explain(
                X, columns, explain=explain, comps=comps, factor=factor, budget=real_budget, rules=comp_rules
            ),
            "quantiles": self._quantiles(log_revenue, real_budget, factor) if quantiles else [None] * len(X),
        }
        if producer is not None and read is not None:
            answer["names"] = read.as_json
            real = self._real_budget(columns, budget, factor)
            answer["warnings"] = self.limits.warnings(columns, real, read.doubtful, self.names.films)
            answer.update(self._producer(budget, producer, outlook[:, len(OUTLOOK)], dollars))
        return answer

    def _real_budget(self, columns: Mapping[str, Any], budget: np.ndarray, factor: np.ndarray | None) -> np.ndarray:
        """``real_budget``, from the models' own dollar factor when they work in the same constant dollars."""
        return budget * factor if factor is not None else self.real_budget(columns)

    @staticmethod
    def _producer_terms(columns: Mapping[str, Any], budget: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The producer's terms (distributor share, P&A) and the gross that breaks even, in the films' dollars."""
        given = [columns.get(name) for name in PRODUCER_TERMS]
        if any(_any_given(values) for values in given):
            share, p_and_a = terms(budget, *given)
        else:  # most requests: the defaults, without reading three columns of None
            share, p_and_a = np.full(len(budget), DEFAULT_SHARE), DEFAULT_P_AND_A_MULTIPLE * budget
        return share, p_and_a, break_even_revenue(budget, share, p_and_a)

    def _producer(
        self,
        budget: np.ndarray,
        deal: tuple[np.ndarray, np.ndarray, np.ndarray],
        above: np.ndarray,
        dollars: np.ndarray,
    ) -> dict[str, np.ndarray]:
        """The producer's result (``boxoffice.modeling.producer``): its terms, P(result > 0) and its levels.

        ``deal``: ``_producer_terms``' share, P&A and break-even gross; ``above``: P(revenue > that
        gross), from the revenue distribution's own look-up (``outlook_table``), as every other
        probability; ``dollars``: the revenue levels (OUTLOOK's).
        Its median and interval are the revenue's pushed through the result's formula.
        """
        share, p_and_a, line = deal
        levels = [OUTLOOK.index(level) for level in PROFIT_LEVELS]
        profit = result(dollars[:, levels], budget, share, p_and_a)  # one call for the three levels
        return {
            "distributor_share": share,
            "p_and_a": p_and_a,
            "producer_break_even_revenue": line,
            "profit_probability": above,
            **{f"profit_{level}": profit[:, j] for j, level in enumerate(PROFIT_LEVELS)},
        }

    def _quantiles(self, log_revenue: np.ndarray, budget: np.ndarray, factor: np.ndarray | None) -> list[Any]:
        """Each film's revenue (dollars) at each level; a level its band has too few films for is left out."""
        levels = np.column_stack([self.distribution.percentile(log_revenue, budget, q) for q in DISTRIBUTION_LEVELS])
        revenue = _dollars(levels, None if factor is None else factor[:, None])
        return [
            [
                {"probability": q / 100, "revenue": v}
                for q, v in zip(DISTRIBUTION_LEVELS, row, strict=True)
                if v < np.inf
            ]
            for row in revenue.tolist()
        ]

    def _explain(
        self,
        X: np.ndarray,
        columns: Mapping[str, Any],
        *,
        explain: bool,
        comps: int,
        factor: np.ndarray | None,
        budget: np.ndarray,
        rules: CompRules | None,
    ) -> dict[str, list[Any]]:
        """The explanations and comps asked for (both from one explainer call).

        ``factor``: the models' dollars per dollar of the answer (``dollar_factor``), for the
        explanations' revenue; ``budget``: the films' budgets in the models' dollars, and
        ``rules``: the comps' constraints, for the comps.
        """
        if not explain and not comps:
            return {"explanation": [None] * len(X), "comps": [None] * len(X)}
        base, contributions = self.explainer.explain(X)
        found: list[Any] = []
        if comps:
            before = day_numbers(columns["release_date"]) if self.section.comps.by_date else None
            described = Described.of(columns, self.distribution.bands(budget))
            keep = self.comps.allowed(described, rules or CompRules())
            nearest = self.comps.nearest(contributions, comps, before, keep)
            found = [self.comps.answer(rows, described, i) for i, rows in enumerate(nearest)]
        return {
            "explanation": self._explanations(base, contributions, X, factor) if explain else [None] * len(X),
            "comps": found or [None] * len(X),
        }

    def _explanations(
        self, base: np.ndarray, contributions: np.ndarray, X: np.ndarray, factor: np.ndarray | None
    ) -> list[dict[str, Any]]:
        """Each film's explanation, its start and end also in revenue (``in_dollars``): with the same
        dollar factor as the answer, so its end sits beside the median in the median's dollars."""
        base_year = self.settings["cpi_base_year"] if self.section.constant_dollars else None
        last_year = int(self.limits.last_date[:4]) if self.limits.trees else None  # flat beyond the data's years
        factors = [None] * len(X) if factor is None else factor.tolist()
        explained = (
            {
                "log_revenue": float(b + c.sum()),
                "base_value": float(b),
                "contributions": dict(zip(self.features, c.tolist(), strict=True)),
                "method": self.explainer.method,
                "effects": effects(self.features, x, c, base_year, last_year),
            }
            for b, c, x in zip(base, contributions, X, strict=True)
        )
        return [in_dollars(e, base_year, f) for e, f in zip(explained, factors, strict=True)]

    @property
    def regressor_name(self) -> str:
        return self.section.regressor.name

    @property
    def classifier_name(self) -> str:
        """'logistic_regression', or e.g. 'logistic_regression+sigmoid' when a calibrated one is served."""
        calibration = self.section.classifier.calibration
        return "logistic_regression" + ("" if calibration == "none" else f"+{calibration}")

    @property
    def interval_coverage(self) -> float:
        return self.section.regressor.interval["coverage"]

    def describe(self, lock_path: str | Path) -> dict[str, Any]:
        """The manifest section plus each served file's md5, checked against ``dvc.lock``."""
        recorded = _lock_hashes(Path(lock_path))
        files = {
            role: {
                **info,
                "dvc_lock_md5": recorded.get(info["path"]),
                "matches_dvc_lock": recorded.get(info["path"]) == info["md5"],
            }
            for role, info in self.files.items()
        }
        limits = {"data_limits": self.limits.describe()} if self.variant == "pre_release" else {}
        return {**self.section.to_json(), "files": files, **limits}


def _dollars(log_revenue: np.ndarray, factor: np.ndarray | None = None) -> np.ndarray:
    """Revenue in dollars from log1p(revenue), never below 0 (a distribution's low end can dip under it).

    ``factor``: constant dollars per release-year dollar; the revenue is converted back.
    """
    revenue = np.maximum(np.expm1(log_revenue), 0.0)
    return revenue if factor is None else revenue / factor


PRODUCER_TERMS = ("distributor_share", "p_and_a", "p_and_a_multiple")  # a request's optional producer's terms


def _any_given(values: Any) -> bool:
    """Whether a column of optional numbers holds any (None and NaN are missing)."""
    if values is None:
        return False
    return any(value is not None and value == value for value in np.asarray(values, dtype=object).tolist())


def _lock_hashes(lock_path: Path) -> dict[str, str]:
    """md5 of every stage output recorded in dvc.lock, by path."""
    if not lock_path.is_file():
        return {}
    lock = yaml.safe_load(lock_path.read_text(encoding="utf-8")) or {}
    return {out["path"]: out.get("md5") for stage in lock.get("stages", {}).values() for out in stage.get("outs", [])}
