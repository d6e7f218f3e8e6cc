"""/model: what is being served."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request

from boxoffice.features.sets import VARIANTS
from boxoffice.serving.deps import UNAVAILABLE, predictor
from boxoffice.serving.settings import ServeSettings


def add_routes(app: FastAPI, settings: ServeSettings) -> None:
    async def model(request: Request) -> dict[str, Any]:
        """What is being served: models, params, metrics, and file hashes checked against dvc.lock."""
        return {variant: predictor(request, variant).describe(settings.dvc_lock) for variant in VARIANTS}

    app.get("/model", responses=UNAVAILABLE)(model)
