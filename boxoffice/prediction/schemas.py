"""Request and response bodies of the service, with their validation rules and examples."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic.fields import FieldInfo

from boxoffice.features.limits import WARNING_CODES
from boxoffice.features.names import MATCHES
from boxoffice.modeling.producer import DEFAULT_P_AND_A_MULTIPLE, DEFAULT_SHARE

SINGLE_EXAMPLE: dict[str, Any] = {"runtime": 120.0, "popularity": 50.0, "vote_avg": 7.0, "budget": 50_000_000}
BATCH_EXAMPLES = [
    {"runtime": 95.0, "popularity": 8.5, "vote_avg": 6.1, "budget": 5_000_000},
    {"runtime": 120.0, "popularity": 50.0, "vote_avg": 7.0, "budget": 50_000_000},
    {"runtime": 150.0, "popularity": 150.0, "vote_avg": 7.5, "budget": 200_000_000},
]
PRE_RELEASE_EXAMPLE: dict[str, Any] = {
    "title": "Inception",
    "budget": 150_000_000,
    "runtime": 148,
    "release_date": "2010-07-16",
    "genres": ["Action", "Science Fiction", "Adventure"],
    "original_language": "en",
    "production_companies": ["Warner Bros.", "Legendary Pictures"],
    "directors": ["Christopher Nolan"],
    "cast": ["Leonardo DiCaprio", "Joseph Gordon-Levitt", "Ellen Page"],
    "keywords": ["dream", "heist"],
}
# Far beyond any real film, but finite once logged and fed to any of the models.
MAX_BUDGET = 1e10  # ten billion dollars; the largest budget in the file is $380M
MAX_POPULARITY = 1e5
# A name holds something other than spaces (a blank one would be read as no name, silently), no '|'
# (the files' list separator) and no NUL character (which no database's text column stores).
NAME_PATTERN = r"^[^|\x00]*[^|\s\x00][^|\x00]*$"
TEXT_PATTERN = r"^[^\x00]*$"
LEDGER_NAME_PATTERN = r"^[^\x00]*[^\s\x00][^\x00]*$"  # a slate's or a saved film's name: '|' allowed
LANGUAGE_PATTERN = r"^[a-z]{2}$"
# What a pattern means, said to a person (a 422 otherwise quotes the regular expression).
PATTERN_WORDS = {
    NAME_PATTERN: "a name must hold something other than spaces, and no '|' (it separates names in files) "
    "nor NUL character",
    TEXT_PATTERN: "text cannot hold a NUL character",
    LEDGER_NAME_PATTERN: "a name must hold something other than spaces, and no NUL character",
    LANGUAGE_PATTERN: "a language is a two-letter ISO 639-1 code in lower case, e.g. 'en'",
}
Names = list[Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=NAME_PATTERN)]]
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_text(value: Any) -> Any:
    """Only 'YYYY-MM-DD' text: pydantic alone would also take 1279238400 or '2010-07-16T00:00:00'."""
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise ValueError("a date must be text of the form YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_text)]


class Movie(BaseModel):
    """A released film. All four fields are required finite numbers."""

    model_config = ConfigDict(
        extra="forbid", strict=True, allow_inf_nan=False, json_schema_extra={"examples": [SINGLE_EXAMPLE]}
    )

    runtime: float = Field(gt=0, le=1000, description="minutes")
    popularity: float = Field(ge=0, le=MAX_POPULARITY, description="TMDB popularity score (the file's highest: 876)")
    vote_avg: float = Field(ge=0, le=10, description="TMDB average vote, 0-10")
    budget: float = Field(gt=0, le=MAX_BUDGET, description="production budget in dollars")


class PreReleaseMovie(BaseModel):
    """A film before release: only what a studio knows then. Unknown names are fine (no track record)."""

    model_config = ConfigDict(
        extra="forbid", strict=True, allow_inf_nan=False, json_schema_extra={"examples": [PRE_RELEASE_EXAMPLE]}
    )

    title: str | None = Field(
        default=None,
        max_length=300,
        pattern=TEXT_PATTERN,
        description="optional; a past film with the same title released within a year of release_date is this "
        "film itself, never one of its comps",
    )
    budget: float = Field(gt=0, le=MAX_BUDGET, description="production budget in dollars")
    runtime: float = Field(gt=0, le=1000, description="minutes")
    release_date: IsoDate = Field(strict=False, description="YYYY-MM-DD")
    genres: Names = Field(default_factory=list, max_length=20, description="TMDB genre names, e.g. 'Action'")
    original_language: str = Field(pattern=LANGUAGE_PATTERN, description="ISO 639-1 code, e.g. 'en'")
    production_companies: Names = Field(default_factory=list, max_length=50)
    directors: Names = Field(default_factory=list, max_length=10)
    cast: Names = Field(default_factory=list, max_length=20, description="lead cast in billing order")
    keywords: Names = Field(
        default_factory=list, max_length=100, description="TMDB-style keywords, e.g. 'sequel', 'based on novel'"
    )
    distributor_share: float | None = Field(
        default=None,
        gt=0,
        le=1,
        description="the share of the worldwide gross that comes back to the distributor, for the producer's "
        f"result (profit_*); default {DEFAULT_SHARE}",
    )
    p_and_a: float | None = Field(
        default=None,
        ge=0,
        le=MAX_BUDGET,
        description="marketing (prints and advertising) in dollars, for the producer's result; default "
        f"{DEFAULT_P_AND_A_MULTIPLE} x budget (or p_and_a_multiple x budget). Given both, the dollars count",
    )
    p_and_a_multiple: float | None = Field(
        default=None, ge=0, le=100, description="marketing as a multiple of the budget, when p_and_a is not given"
    )


class Effect(BaseModel):
    """One fact about the film and what it does to the forecast (boxoffice.modeling.effects)."""

    label: str = Field(description="the fact in words, e.g. 'Budget, in 2016 dollars', 'Not a drama'")
    factor: float = Field(
        description="the fact's effect as a factor on revenue: exp(contribution) to 4 significant figures; "
        "x1.35 raises the forecast by 35%"
    )
    contribution: float = Field(description="the sum of its features' contributions, log revenue")
    features: list[str] = Field(description="the raw features that state this fact (keys of contributions)")


class Explanation(BaseModel):
    log_revenue: float = Field(description="the predicted log1p(revenue)")
    base_value: float = Field(description="the model's prediction before any feature's contribution")
    contributions: dict[str, float] = Field(description="per feature; base_value + their sum = log_revenue")
    method: str = Field(
        description="how contributions are attributed: 'treeshap' (XGBoost's exact TreeSHAP), 'path attribution "
        "(Saabas)' (scikit-learn's tree ensembles: each split credits its feature) or 'linear' "
        "(coefficient x (value - training mean))"
    )
    base_revenue: float = Field(
        description="the typical film's forecast, where the factors start: expm1(base_value), in dollars_of dollars"
    )
    revenue: float = Field(
        description="the model's own estimate, base_revenue x every effect's factor (strictly of 1 + revenue): "
        "expm1(log_revenue), in dollars_of dollars. The answer's predicted_revenue is the median of the "
        "distribution around it, in release-year dollars"
    )
    dollars_of: int | None = Field(
        description="the year whose dollars base_revenue and revenue are in (the models work in constant dollars); "
        "null: the film's release-year dollars"
    )
    revenue_in_answer_dollars: float = Field(
        description="revenue in the dollars of the answer's predicted_revenue (the film's release-year dollars, or "
        "the price index's last year for a later film): the model's own estimate beside the median"
    )
    effects: list[Effect] = Field(
        description="the contributions grouped into facts a person reads, largest effect first; every feature is "
        "in exactly one"
    )


class Comp(BaseModel):
    """A past film the served model sees as like the one asked about (``boxoffice.modeling.comps``)."""

    id: int = Field(description="TMDB id")
    title: str
    release_date: str = Field(description="YYYY-MM-DD")
    budget: float = Field(description="dollars of its release year")
    revenue: float = Field(description="worldwide revenue, dollars of its release year")
    real_revenue: float = Field(description="worldwide revenue in constant dollars (featurize.cpi_base_year)")
    revenue_multiple: float = Field(description="revenue / budget")
    is_hit: bool = Field(description="revenue > hit_multiple x budget")
    similarity: float = Field(
        ge=0,
        le=1,
        description="exp(-d), d the L1 distance between the two films' explanation contributions (log revenue): "
        "1 when the model sees them exactly alike; their predicted log revenues differ by at most d",
    )


class Quantile(BaseModel):
    probability: float = Field(ge=0, le=1, description="P(revenue <= revenue): a level of the distribution")
    revenue: float = Field(ge=0, description="dollars (release year)")


class Prediction(BaseModel):
    """One film's answer; every revenue figure and probability comes from its one revenue distribution."""

    predicted_revenue: float = Field(description="dollars: the median of the film's predicted revenue distribution")
    predicted_revenue_millions: float
    revenue_low: float = Field(
        description="lower end of the prediction interval, dollars: the distribution's 10th percentile at the "
        "default 80% coverage, the same number as revenue_p10"
    )
    revenue_high: float = Field(
        description="upper end of the prediction interval, dollars. The interval is conformal: its upper end is "
        "the 'higher' percentile (the calibration residual whose rank is rounded up), which is what guarantees "
        "the coverage; revenue_p90 is the 'lower' 90th percentile (the rank rounded down), the 0.9 level of "
        "quantiles. So revenue_high is revenue_p90 or the next calibration residual above it (a few percent "
        "higher): read the interval as the range to plan for, p10/p90 as points of the distribution"
    )
    interval_coverage: float = Field(description="the share of films the interval is built to cover")
    revenue_p10: float = Field(description="10th percentile of the revenue distribution, dollars")
    revenue_p90: float = Field(
        description="90th percentile of the revenue distribution, dollars (see revenue_high for why they differ)"
    )
    is_hit: bool = Field(description="hit_probability >= classifier.threshold (0.5 by default)")
    hit_probability: float = Field(
        ge=0,
        le=1,
        description="P(hit): P(revenue > hit_multiple x budget, 2 by default) under the revenue distribution, so "
        "at least 0.5 exactly when predicted_revenue is above the hit line (or the seed's classifier's, with "
        "serve.hit_source=classifier). Learnt on TMDB 5000's mostly successful films: optimistic elsewhere",
    )
    break_even_probability: float = Field(
        ge=0,
        le=1,
        description="P(revenue > production budget), never below hit_probability. Not a producer's break-even, "
        "which also counts the cinemas' share and marketing: see profit_probability on pre-release answers",
    )
    budget_millions: float
    explanation: Explanation | None = Field(default=None, description="with ?explain=true")
    comps: list[Comp] | None = Field(
        default=None,
        description="with ?comps=N: the N past films most like this one as the served model sees them, nearest "
        "first; before release, only films released before this one's release_date",
    )
    quantiles: list[Quantile] | None = Field(
        default=None,
        description="with ?quantiles=true: revenue at levels 0.05, 0.10, ..., 0.95 of the film's distribution "
        "(its CDF; the 0.5 level is predicted_revenue); a level the calibration is too small for is left out",
    )


class NameReading(BaseModel):
    """How one typed name was read (boxoffice.features.names)."""

    field: str = Field(description="the request field: directors, cast, production_companies, keywords or genres")
    asked: str = Field(description="the name as typed")
    read_as: str = Field(description="the name the models were given: the known name, or the typed one when none")
    match: Literal[MATCHES] = Field(  # type: ignore[valid-type]
        description="exact: a name the models know; known_spelling: the same name as a known one once case, "
        "accents, punctuation, a leading 'The' and (companies) corporate suffixes are set aside, or (genres) a "
        "common spelling of it such as 'Sci-Fi', read as that "
        "name with its track record; unknown: no known name, read as a name with no earlier film; not_read: a "
        "name the models do not use (a cast member after the first featurize.cast_top, a keyword or genre the "
        "models have no flag for)"
    )
    alternatives: list[str] = Field(
        description="other known names with the same folded spelling: the reading was ambiguous and went to the "
        "name with the most films (ties: alphabetical); for an exact name, its much larger namesakes"
    )
    suggestions: list[str] = Field(
        description="up to three known names: close ones for an unknown or unread name; for a known name with few "
        "films, much larger ones folding alike or (companies) carrying its every word, which were likely meant"
    )


class AnswerWarning(BaseModel):
    """Something about the request a person should know before acting on the answer."""

    code: Literal[tuple(WARNING_CODES)] = Field(  # type: ignore[valid-type]
        description="; ".join(f"{code}: {meaning}" for code, meaning in WARNING_CODES.items())
    )
    field: str = Field(description="the request field it concerns")
    message: str = Field(description="for people")
    name: str | None = Field(
        None, description="the name as typed, for a warning about one name (the names' `asked`); null otherwise"
    )


class PreReleasePrediction(Prediction):
    """A pre-release answer: a Prediction, how each name was read, the warnings, and the producer's result."""

    names: list[NameReading] = Field(
        description="every director, cast member, company, keyword and genre of the request, in that order, "
        "and how it was read"
    )
    warnings: list[AnswerWarning] = Field(
        description="where the request leaves the data: dates, budget, runtime, language, unknown or ambiguous names"
    )
    distributor_share: float = Field(
        description="the share of the gross the producer's result counts (the request's or the default)"
    )
    p_and_a: float = Field(description="the marketing the producer's result counts, dollars (request's or default)")
    producer_break_even_revenue: float | None = Field(
        description="the gross at which the producer's result is 0: (budget + p_and_a) / distributor_share; "
        "null when that is beyond what a number holds (a vast budget or P&A over a tiny share)"
    )
    profit_probability: float = Field(
        ge=0, le=1, description="P(producer's result > 0) = P(revenue > producer_break_even_revenue)"
    )
    profit_median: float = Field(
        description="the producer's result at the median revenue: predicted_revenue x distributor_share - "
        "budget - p_and_a, dollars"
    )
    profit_low: float = Field(description="the producer's result at revenue_low, dollars")
    profit_high: float = Field(description="the producer's result at revenue_high, dollars")


class BatchPrediction(BaseModel):
    predictions: list[Prediction]


class PreReleaseBatchPrediction(BaseModel):
    predictions: list[PreReleasePrediction]


class Health(BaseModel):
    status: str
    models: dict[str, str]


class FieldError(BaseModel):
    field: str = Field(description="the offending field: 'budget', '[3].budget' in a batch, or 'body'")
    message: str
    type: str


class InvalidRequest(BaseModel):
    detail: list[FieldError]


class Problem(BaseModel):
    detail: str


class Unhealthy(BaseModel):
    status: str
    detail: str


def field_path(loc: tuple[Any, ...]) -> str:
    """Where a validation error is: ('body', 3, 'budget') -> '[3].budget'; ('budget',) -> 'budget'."""
    parts = [f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc if part != "body"]
    return "".join(parts).lstrip(".") or "body"


_BOUNDS = (("gt", np.greater), ("ge", np.greater_equal), ("lt", np.less), ("le", np.less_equal))


def within(values: np.ndarray, field: FieldInfo) -> np.ndarray:
    """Which of ``values`` meet a number field's bounds (gt/ge/lt/le, as declared above); NaN and inf never do."""
    ok = np.isfinite(values)
    for constraint in field.metadata:
        for attribute, compare in _BOUNDS:
            bound = getattr(constraint, attribute, None)
            if bound is not None:
                ok &= compare(values, bound)
    return ok
