"""The floor for /predict: a FastAPI endpoint that validates the same body and returns a constant."""

from fastapi import FastAPI

from boxoffice.prediction.schemas import Movie, Prediction

app = FastAPI()
CONSTANT = Prediction(
    predicted_revenue=1.0,
    predicted_revenue_millions=0.0,
    revenue_low=0.5,
    revenue_high=2.0,
    interval_coverage=0.8,
    revenue_p10=0.6,
    revenue_p90=1.8,
    is_hit=False,
    hit_probability=0.5,
    break_even_probability=0.7,
    budget_millions=1.0,
)


@app.post("/predict", response_model_exclude_none=True)
async def predict(movie: Movie) -> Prediction:
    return CONSTANT
