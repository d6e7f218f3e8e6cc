"""The model card (reports/model-card.md), in the sections of Mitchell et al., "Model Cards for Model Reporting" (2019).

Written by the report stage, like the results page: every figure comes from the metrics,
models/serving.json (which carries the params it was made with) or the feature tables of the
same run, so the card is never staler than the models it describes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from boxoffice.evaluation.results_page import GENERATED, NAMES, md_row, slice_table, spread
from boxoffice.io import read_csv, read_json
from boxoffice.prediction.manifest import ServingManifest

SPLITS = ("train", "validation", "test")


@dataclass(frozen=True)
class Films:
    """The films of one run: how many in each split, and the release dates they span."""

    counts: dict[str, int]  # train, validation, test, all
    first: str  # earliest release date, YYYY-MM-DD
    last: str

    @classmethod
    def of(cls, features_dir: Path) -> Films:
        tables = {name: read_csv(features_dir / f"{name}.csv") for name in (*SPLITS, "all")}
        dates = pd.to_datetime(tables["all"]["release_date"])
        return cls(
            {name: len(table) for name, table in tables.items()}, f"{dates.min():%Y-%m-%d}", f"{dates.max():%Y-%m-%d}"
        )


def _dollars(serving: ServingManifest, variant: str) -> str:
    """The dollars a variant's models work in, as its serving manifest says."""
    if serving.variant(variant).constant_dollars:
        return f"constant {serving.featurize.cpi_base_year} dollars"
    return "nominal dollars"


def _served(serving: ServingManifest, variant: str) -> str:
    name = serving.variant(variant).regressor.name
    return NAMES.get(name, name)


def details(serving: ServingManifest, regression: dict, classifier: dict) -> list[str]:
    main, pre = serving.main, serving.pre_release
    return [
        "## Model details",
        "",
        "Two pairs of models, each a regressor of log revenue and a source of the hit probability:",
        "",
        f"- **`/predict`** (films already out): {_served(serving, 'main')}, feature set `{main.features.set}` "
        f"({len(main.features.columns)} features, {_dollars(serving, 'main')}).",
        f"- **`/predict/pre_release`** (films not yet out): {_served(serving, 'pre_release')}, feature set "
        f"`{pre.features.set}` ({len(pre.features.columns)} features, known before release, "
        f"{_dollars(serving, 'pre_release')}).",
        "",
        f"The served regressor of each is chosen by `regressors.selection` (`{regression['selection']['rule']}`) "
        "among the regressor types on train's repeated K-fold CV. Each answer is a revenue, an interval "
        "(a conformal distribution of revenue, Mondrian by budget band, calibrated on the validation split) and "
        f"`hit_probability` = P(revenue > {serving.hit_multiple:g} x budget), from `{serving.hit_source}` "
        f"(`serve.hit_source`); the alternative is an L2 logistic regression (C = {classifier['best_C']:g} for "
        f"`/predict`, {classifier['pre_release']['best_C']:g} for pre-release). Everything is rebuilt by "
        "`dvc repro` from params.yaml, every random choice seeded there.",
    ]


def uses() -> list[str]:
    return [
        "## Intended use",
        "",
        "- A first estimate of a theatrical film's worldwide box-office revenue and of its chance to earn its "
        "hit multiple, for people planning or comparing films (analysts, data scientists), with the interval "
        "beside the number.",
        "- Before release, `/predict/pre_release` with facts a studio knows (budget, date, genres, company, "
        "director and cast track records); after release, `/predict` with TMDB's audience figures.",
        "",
        "## Out-of-scope uses",
        "",
        "- Decisions about people (cast, crew) on their predicted box office: the track-record features are "
        "descriptive of past films, not a judgement of anyone.",
        "- Films unlike the training data: streaming or television releases, films without a theatrical budget, "
        "release dates far outside the range below (the service answers, and says the date is beyond the data).",
        "- Reading `hit_probability` as the hit rate of films in general: the data over-represents successes "
        "(see Training data); set `serve.population_hit_rate` for another population.",
        "- A point forecast without its interval.",
    ]


def factors() -> list[str]:
    return [
        "## Factors",
        "",
        "- **Budget band** (`evaluate.budget_bands`): the interval is calibrated per band, so coverage should "
        "hold within each; errors differ by band.",
        "- **Decade of release**: older films are few, and forward in time the models predict later films "
        "than they learnt from.",
        "- Not evaluated: genre, language and country slices, and the people involved.",
    ]


def metrics_section(serving: ServingManifest) -> list[str]:
    coverage = serving.forward.nominal_coverage
    return [
        "## Metrics",
        "",
        "- Revenue: R², RMSE and MAE of log revenue (a ratio error: an RMSE of 1 is a factor of about e).",
        f"- Interval: the share of films inside the {coverage:.0%} interval (its coverage), per budget band too.",
        "- Hits: ROC AUC and Brier score of `hit_probability`.",
        "- Choice of models: repeated K-fold CV on train only; the test split and the forward films are scored "
        "once, after every choice, and never tune anything.",
    ]


def evaluation_data(films: Films, forward: dict) -> list[str]:
    counts = forward["films"]
    return [
        "## Evaluation data",
        "",
        f"- **Test split**: {films.counts['test']} films drawn at random (`featurize.test_size`, seeded), "
        "untouched until the evaluate stage; their revenues never reach a feature of a film that fits, "
        "selects or calibrates.",
        f"- **Forward in time** (the pre-release headline): the {counts['scored']} films released from "
        f"{forward['cutoff']} on, scored by models rebuilt from the {counts['fit'] + counts['calibration']} "
        f"earlier films ({counts['fit']} fit and choose, the latest {counts['calibration']} calibrate), each "
        "with its track record as of its own release date.",
    ]


def extra_films_lines(prepare: dict) -> list[str]:
    """One line per extra films file (params.yaml's prepare.extra_films); none when there are none."""
    return [
        f"- Extra films from `{source}`: {counts['rows_out']} of its {counts['rows_in']} films, in train only; "
        f"{counts['duplicate_of_tmdb']} already in TMDB 5000 and {counts['duplicate_of_earlier']} already in an "
        "earlier file are counted once, as those. Where their release dates pass the forward cutoff they are "
        "also scored forward in time, with figures of their own under Quantitative analyses (source slice)."
        for source, counts in prepare.get("extra_films", {}).items()
    ]


def training_data(films: Films, prepare: dict, serving: ServingManifest) -> list[str]:
    dropped = ", ".join(f"{reason.replace('_', ' ')} {n}" for reason, n in prepare["dropped"].items() if n)
    learnt = serving.population.learnt_hit_rate
    return [
        "## Training data",
        "",
        f"- Kaggle's TMDB 5000 movies and credits: {prepare['rows_in']} films, TMDB's most-voted ones. "
        f"{prepare['rows_out']} have what the models need and are kept (dropped: {dropped}); they were released "
        f"between {films.first} and {films.last}.",
        *extra_films_lines(prepare),
        f"- Splits: train {films.counts['train']}, validation {films.counts['validation']} (calibrates the "
        f"intervals), test {films.counts['test']}.",
        "- Dollars: budgets and revenues as TMDB reports them (nominal US dollars; revenue is worldwide). "
        f"`/predict`'s models work in {_dollars(serving, 'main')}, `/predict/pre_release`'s in "
        f"{_dollars(serving, 'pre_release')}; constant dollars use US CPI-U annual averages (a film needs its "
        "date for them: `/predict`'s films have none).",
        f"- Selection bias: the films with a known budget and revenue are mostly successes; {learnt:.1%} of the "
        f"training films earned more than {serving.hit_multiple:g} x their budget.",
    ]


def headline_table(regression: dict, classifier: dict) -> list[str]:
    pre, forward = regression["pre_release"], regression["pre_release"]["forward"]
    lines = [md_row(["variant", "scored on", "model", "R²", "RMSE", "interval coverage", "hit AUC (served)"])]
    lines.append(md_row(["---", "---", "---", "---:", "---:", "---:", "---:"]))
    for variant, report, hits in (("main", regression, classifier), ("pre_release", pre, classifier["pre_release"])):
        name = report["selected"]
        test, served = report["test"][name], hits["hit_sources"]
        cells = [variant, "test split", NAMES.get(name, name), f"{test['r2']:.3f}", f"{test['rmse']:.3f}"]
        cells += [f"{report['interval']['test_coverage']:.3f}", f"{served[served['served']]['auc']:.3f}"]
        lines.append(md_row(cells))
        lines.append(
            md_row(
                [
                    "",
                    "CV on train",
                    "",
                    spread(report["cv_train"][name]["r2"]),
                    spread(report["cv_train"][name]["rmse"]),
                    "",
                    "",
                ]
            )
        )
    sources, scored = forward["hit_sources"], forward["scored"]
    cells = ["pre_release", "forward in time", NAMES.get(forward["selected"], forward["selected"])]
    cells += [f"{scored['r2']:.3f}", f"{scored['rmse']:.3f}", f"{forward['interval']['test_coverage']:.3f}"]
    lines.append(md_row([*cells, f"{sources[sources['served']]['auc']:.3f}"]))
    return lines


def analyses(regression: dict, classifier: dict) -> list[str]:
    return [
        "## Quantitative analyses",
        "",
        *headline_table(regression, classifier),
        "",
        "By budget band and decade of release, on films no model saw (bias = mean predicted median minus "
        "actual log revenue; an empty AUC: the slice has films of one class only; the distribution is the "
        "revenue distribution's `hit_probability`, the classifier the logistic regression's):",
        "",
        *slice_table(regression),
    ]


def caveats() -> list[str]:
    return [
        "## Caveats and recommendations",
        "",
        "- The data's selection (most-voted films with known amounts) makes hits look common; re-weight with "
        "`serve.population_hit_rate` for another population.",
        "- Slices with few films (the oldest decades) give unstable figures; read their film counts.",
        "- TMDB's amounts are crowd-sourced; placeholder amounts can be dropped with `prepare.min_budget` and "
        "`prepare.min_revenue`.",
        "- Forward in time is the honest test of a pre-release forecast; the random test split mixes years.",
        "- Every figure here is regenerated by the pipeline: compare experiments with `make exp-show` and let "
        "the metrics gate (gates.yaml) judge a change.",
    ]


def model_card(metrics_dir: Path, serving: ServingManifest, films: Films) -> str:
    """The whole card, from the metrics, models/serving.json and the run's feature tables."""
    regression, classifier = read_json(metrics_dir / "regression.json"), read_json(metrics_dir / "classifier.json")
    sections = [
        [GENERATED, "# Model card: box-office revenue and hit probability"],
        details(serving, regression, classifier),
        uses(),
        factors(),
        metrics_section(serving),
        evaluation_data(films, regression["pre_release"]["forward"]),
        training_data(films, read_json(metrics_dir / "prepare.json"), serving),
        analyses(regression, classifier),
        caveats(),
    ]
    return "\n\n".join("\n".join(section) for section in sections) + "\n"
