"""What every router shares: the served models of a request, a 503 while they are unavailable, the error responses."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, Request

from boxoffice.prediction.predictor import Predictor
from boxoffice.prediction.schemas import InvalidRequest, Problem

UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    503: {"model": Problem, "description": "models missing or unreadable: run `dvc repro`"}
}
ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problem, "description": "the body could not be decoded (not UTF-8)"},
    413: {"model": Problem, "description": "the body is larger than this endpoint's largest request"},
    422: {"model": InvalidRequest, "description": "invalid input: which field, and why"},
    **UNAVAILABLE,
}


def predictor(request: Request, variant: str = "main") -> Predictor:
    """The variant's loaded models; 503 with the loading error when the service could not load them."""
    if request.app.state.error:
        raise HTTPException(status_code=503, detail=request.app.state.error)
    return request.app.state.predictors[variant]
