"""Request and response bodies of the service, with their validation rules and examples."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

SINGLE_EXAMPLE = {"runtime": 120.0, "popularity": 50.0, "vote_avg": 7.0, "budget": 50_000_000}
BATCH_EXAMPLES = [
    {"runtime": 95.0, "popularity": 8.5, "vote_avg": 6.1, "budget": 5_000_000},
    {"runtime": 120.0, "popularity": 50.0, "vote_avg": 7.0, "budget": 50_000_000},
    {"runtime": 150.0, "popularity": 150.0, "vote_avg": 7.5, "budget": 200_000_000},
]


class Movie(BaseModel):
    """A released film. All four fields are required finite numbers."""

    model_config = ConfigDict(
        extra="forbid", strict=True, allow_inf_nan=False, json_schema_extra={"examples": [SINGLE_EXAMPLE]}
    )

    runtime: float = Field(gt=0, le=1000, description="minutes")
    popularity: float = Field(ge=0, description="TMDB popularity score")
    vote_avg: float = Field(ge=0, le=10, description="TMDB average vote, 0-10")
    budget: float = Field(gt=0, description="production budget in dollars")


class Prediction(BaseModel):
    predicted_revenue: float = Field(description="dollars: expm1 of the predicted log revenue")
    predicted_revenue_millions: float
    is_hit: bool = Field(description="hit_probability >= the classifier's threshold")
    hit_probability: float = Field(
        ge=0, le=1, description="P(revenue > 2 x budget); trained on mostly successful films, so optimistic"
    )
    budget_millions: float


class BatchPrediction(BaseModel):
    predictions: list[Prediction]


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
