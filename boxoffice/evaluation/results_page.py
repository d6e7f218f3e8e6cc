"""The results page (reports/results.md), written by the report stage from the metrics files, never by hand.

A pipeline output, so ``dvc repro`` and ``dvc exp run`` keep it current with the metrics
it is made from, and the lock check in CI catches a stale one.
"""

from __future__ import annotations

import json
from pathlib import Path

from boxoffice.data.films import TMDB
from boxoffice.evaluation.headline import legend
from boxoffice.io import read_json
from boxoffice.modeling.model_types import REGRESSORS
from boxoffice.prediction.manifest import ServingManifest

NAMES = {name: kind.display for name, kind in REGRESSORS.items()}
GENERATED = "<!-- Written by the pipeline's report stage (dvc repro) from metrics/: do not edit. -->"


def md_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def md_text(text: str) -> str:
    """Text as one table cell: a '|' in it would end the cell."""
    return text.replace("|", "\\|")


def spread(scores: dict[str, float]) -> str:
    return f"{scores['mean']:.3f} ± {scores['std']:.3f}"


def served_table(regression: dict) -> list[str]:
    """Which type serves each variant and that model's own repeated-CV figures: what chose it."""
    lines = [
        md_row(["variant", "served by", "model", "CV R²", "CV RMSE", "CV MAE", "rule", "chosen among"]),
        md_row(["---", "---", "---", "---:", "---:", "---:", "---", "---"]),
    ]
    pre = regression["pre_release"]
    for variant, route, report in (("main", "`/predict`", regression), ("pre_release", "`/predict/pre_release`", pre)):
        name, selection = report["selected"], report["selection"]
        cv = report["cv_train"][name]
        within = ", ".join(NAMES.get(model, model) for model in selection.get("within_one_se", [name]))
        cells = [variant, route, NAMES.get(name, name), spread(cv["r2"]), spread(cv["rmse"]), spread(cv["mae"])]
        lines.append(md_row([*cells, selection["rule"], within]))
    return lines


def served_params(serving: ServingManifest) -> list[str]:
    """Each served regressor's params as fitted (its grid point), from models/serving.json."""
    return [
        f"- {variant}: {NAMES.get(regressor.name, regressor.name)} `{json.dumps(regressor.params)}`"
        for variant, regressor in (("main", serving.main.regressor), ("pre_release", serving.pre_release.regressor))
    ]


def regression_table(regression: dict) -> list[str]:
    lines = [
        md_row(
            ["model", "val RMSE", "val R²", "val MAE", "test RMSE", "test R²", "test MAE", "CV R²", "CV RMSE", "served"]
        ),
        md_row(["---"] + ["---:"] * 8 + [":---:"]),
    ]
    order = sorted(regression["validation"], key=lambda m: (list(NAMES).index(m) if m in NAMES else len(NAMES), m))
    for model in order:
        val, test, cv = regression["validation"][model], regression["test"][model], regression["cv_train"][model]
        cells = [NAMES.get(model, model)]
        cells += [f"{val[m]:.4f}" for m in ("rmse", "r2", "mae")] + [f"{test[m]:.4f}" for m in ("rmse", "r2", "mae")]
        cells += [spread(cv["r2"]), spread(cv["rmse"])]
        lines.append(md_row([*cells, "✓" if model == regression["selected"] else ""]))
    return lines


def interval_line(regression: dict) -> str:
    interval = regression["interval"]
    bands = ", ".join(f"{edge / 1e6:g}" for edge in interval["calibration_bands"]) or "none"
    return (
        f"{interval['coverage']:.0%} interval from the conformal revenue distribution (calibrated on validation, "
        f"budget bands split at ${bands}M, {interval['calibration_films']} films): the high end is typically "
        f"{interval['width_factor']:.1f}x the low end; it covered {interval['test_coverage']:.1%} of the test films."
    )


def md_cell(value: float | None, digits: int = 3) -> str:
    return "" if value is None else f"{value:.{digits}f}"


def _held_out(regression: dict) -> list[tuple[str, dict]]:
    """The reports on films the models never saw: each variant's test split, and pre-release forward in time."""
    pre = regression["pre_release"]
    return [("main, test", regression), ("pre-release, test", pre), ("pre-release, forward", pre["forward"])]


def slice_table(regression: dict) -> list[str]:
    """Per budget band, decade (and source): coverage, bias of the median, hit rate, both hit sources' AUC."""
    lines = [
        md_row(
            ["scored", "slice", "films", "coverage", "bias (log)", "hit rate", "AUC distribution", "AUC classifier"]
        ),
        md_row(["---", "---"] + ["---:"] * 6),
    ]
    for label, report in _held_out(regression):
        for grouping in ("budget", "decade", "source"):
            for row in report["slices"].get(grouping, []):  # 'source' only where extra films were scored
                cells = [label, row["slice"], str(row["films"]), md_cell(row["coverage"]), md_cell(row["bias"], 2)]
                cells += [md_cell(row["hit_rate"]), md_cell(row["distribution_auc"]), md_cell(row["classifier_auc"])]
                lines.append(md_row(cells))
    return lines


def forward_lines(forward: dict) -> list[str]:
    """The pre-release headline: models rebuilt from the films before the cutoff, scored on the films after it."""
    films, scored, interval = forward["films"], forward["scored"], forward["interval"]
    return [
        f"**Pre-release, forward in time** (the pre-release headline): rebuilt as on {forward['cutoff']} from the "
        f"{films['fit'] + films['calibration']} films released before it ({films['fit']} fit and choose the models, "
        f"the latest {films['calibration']} calibrate the distribution; chosen: "
        f"{NAMES.get(forward['selected'], forward['selected'])}, "
        f"C = {forward['classifier_C']:g}) and scored on the {films['scored']} films released from then on: "
        f"R² {scored['r2']:.3f}, RMSE {scored['rmse']:.3f}; the {interval['coverage']:.0%} interval covered "
        f"{interval['test_coverage']:.1%}.",
        "",
        *comps_lines(forward["comps"]),
    ]


def comps_lines(comps: dict) -> list[str]:
    """Comparable films as a forecast on the same forward films: their median revenue beside the model."""
    rows = sorted(comps["comps_median"].items(), key=lambda item: int(item[0]))
    model = comps["model"]
    return [
        f"Comparable films as a forecast, on the same {comps['scored']} forward films: each film's N comps "
        f"(`?comps=N`, chosen by the forward model among the {comps['candidates']} earlier films), their median "
        "log revenue scored as the model's prediction is:",
        "",
        "| forecast | R² | RMSE | MAE |",
        "| --- | ---: | ---: | ---: |",
        f"| the model | {model['r2']:.3f} | {model['rmse']:.3f} | {model['mae']:.3f} |",
        *(f"| median of {n} comps | {m['r2']:.3f} | {m['rmse']:.3f} | {m['mae']:.3f} |" for n, m in rows),
    ]


def hit_source_table(regression: dict, classifier: dict) -> list[str]:
    """The two sources of hit_probability side by side: CV on train, each variant's test split, forward in time."""
    lines = [
        md_row(["scored", "source", "AUC", "Brier", "Brier of a constant", "called hits", "actual hits"]),
        md_row(["---", "---"] + ["---:"] * 5),
    ]
    for label, report in (("main", classifier), ("pre-release", classifier["pre_release"])):
        cv = report["hit_sources"]["cv"]
        for source in ("distribution", "classifier"):
            cells = [f"{label}, CV on train", source, spread(cv[f"{source}_auc"]), spread(cv[f"{source}_brier"])]
            lines.append(md_row([*cells, spread(cv["constant_brier"]), "", ""]))
    reports = [classifier["hit_sources"], classifier["pre_release"]["hit_sources"]]
    reports.append(regression["pre_release"]["forward"]["hit_sources"])
    for (label, _), sources in zip(_held_out(regression), reports, strict=True):
        for source in ("distribution", "classifier"):
            scores = sources[source]
            served = " (served)" if source == sources["served"] else ""
            cells = [label, source + served, f"{scores['auc']:.4f}", f"{scores['brier']:.4f}"]
            cells += [f"{sources['constant_brier']:.4f}", f"{scores['called']:.1%}", f"{sources['hit_rate']:.1%}"]
            lines.append(md_row(cells))
    return lines


def track_record_line(pre: dict) -> str:
    """What the CV on train gains from track records that saw the held-out fold's revenues."""
    check = pre["cv_track_record"]
    return (
        f"The pre-release CV R² above uses track records built from all train films, the held-out fold's too: "
        f"{spread(check['shared'])}. Rebuilt from each fold's own films it is {spread(check['per_fold'])}."
    )


def feature_set_table(feature_sets: dict) -> list[str]:
    lines = [md_row(["feature set", "features", "CV R²", "CV RMSE", "CV AUC", "CV F1"]), md_row(["---"] + ["---:"] * 5)]
    for name, scores in feature_sets.items():
        cells = [name, str(scores["n_features"])] + [spread(scores[m]) for m in ("r2", "rmse", "auc", "f1")]
        lines.append(md_row(cells))
    return lines


def classifier_table(classifier: dict) -> list[str]:
    names = ["auc", "pr_auc", "precision", "recall", "f1", "accuracy", "brier"]
    lines = [
        md_row(["models", "best C", "C search AUC", "nested CV AUC", "CV AUC", "CV F1", *[f"test {n}" for n in names]]),
        md_row(["---"] + ["---:"] * (5 + len(names))),
    ]
    for label, report in (("main", classifier), ("pre-release", classifier["pre_release"])):
        best = report["cv"][f"{report['best_C']:g}"]
        cells = [label, f"{report['best_C']:g}", f"{best['mean_auc']:.3f} ± {best['std_auc']:.3f}"]
        cells += [spread(report["nested_cv_auc"])]
        cells += [spread(report["repeated_cv"]["auc"]), spread(report["repeated_cv"]["f1"])]
        lines.append(md_row(cells + [f"{report['test'][n]:.4f}" for n in names]))
    return lines


def sources_table(prepare: dict) -> list[str]:
    """The extra films files' films (params.yaml's prepare.extra_films): kept for train, or left out as
    films already there (``features.film_sources``); nothing when there are none."""
    if not prepare.get("extra_films"):
        return []
    lines = [
        "Films by source (extra films train the models alone; a film already in TMDB 5000 or in an earlier file "
        "is counted once, as that one):",
        "",
        md_row(["source", "rows", "kept (train)", "already in TMDB 5000", "already in an earlier file"]),
        md_row(["---"] + ["---:"] * 4),
        md_row([TMDB, str(prepare["rows_in"]), str(prepare["rows_out"]), "", ""]),
    ]
    for source, counts in prepare["extra_films"].items():
        cells = [md_text(source), counts["rows_in"], counts["rows_out"]]
        lines.append(md_row([*map(str, cells), str(counts["duplicate_of_tmdb"]), str(counts["duplicate_of_earlier"])]))
    return [*lines, ""]


def results_page(metrics_dir: Path, serving: ServingManifest) -> str:
    """The whole page: the served models first, then every table, then the headline legend."""
    prepare = read_json(metrics_dir / "prepare.json")
    regression = read_json(metrics_dir / "regression.json")
    classifier = read_json(metrics_dir / "classifier.json")
    pre = regression["pre_release"]
    lines = [
        GENERATED,
        "# Results",
        "",
        "Which regressor serves each variant, and its own repeated-CV figures on train (what the selection "
        "rule compares; the model with the smallest file within one standard error of the lowest RMSE "
        "serves under `one_se`):",
        "",
        *served_table(regression),
        "",
        "Their params as fitted:",
        "",
        *served_params(serving),
        "",
        f"Films: {prepare['rows_in']} in the raw file, {prepare['rows_out']} kept for modelling.",
        "",
        *sources_table(prepare),
        f"Regression of log revenue, feature set `{regression['feature_set']}` (served by `/predict`):",
        "",
        *regression_table(regression),
        "",
        interval_line(regression),
        "",
        "Regression of log revenue, feature set `pre_release` (served by `/predict/pre_release`):",
        "",
        *regression_table(pre),
        "",
        interval_line(pre),
        "",
        f"Hit classifier (L2 logistic regression, threshold {classifier['threshold']}, "
        f"calibration: {classifier['calibration']}):",
        "",
        *classifier_table(classifier),
        "",
        track_record_line(pre),
        "",
        *forward_lines(pre["forward"]),
        "",
        "Where `hit_probability` comes from (`serve.hit_source`): P(revenue > hit_multiple x budget) under the "
        "revenue distribution, or the logistic regression (in CV the distribution is calibrated on a share of each "
        "fold's fitting rows, `evaluate.cv_calibration`, and fitted on the rest, so it learns from fewer films than "
        "the classifier):",
        "",
        *hit_source_table(regression, classifier),
        "",
        f"By budget band and decade of release (coverage of the {regression['interval']['coverage']:.0%} interval; "
        "bias = mean predicted median - actual log revenue):",
        "",
        *slice_table(regression),
        "",
        "Feature sets compared (repeated K-fold CV, served model types, nominal dollars; regression on train, "
        "classification on train + validation):",
        "",
        *feature_set_table(read_json(metrics_dir / "feature_sets.json")),
        "",
        "What `dvc metrics show`, `dvc metrics diff` and `make exp-show` compare (`metrics/headline.json`):",
        "",
        *legend(),
    ]
    return "\n".join(lines) + "\n"
