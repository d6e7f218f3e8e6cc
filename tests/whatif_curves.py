"""The forecast page's what-if curves of a film, asked of a running app: their largest neighbouring steps."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from boxoffice.evaluation.whatif import BUDGET_FACTORS, MONTHS
from boxoffice.io import read_csv
from tests.serving.test_whatif_and_comps import pre_release_bodies

BOUND = 2.5  # no two neighbouring points' medians this many times apart (the issue's line was three)
SAMPLE = 60  # validation films, drawn with a fixed seed


def validation_films(project: Path) -> list[dict[str, Any]]:
    """A seeded sample of the validation films with a budget of at least $1M, as pre-release bodies without names.

    Validation films: fitted on by no model and never the test or forward films.
    """
    films = read_csv(project / "data" / "features" / "validation.csv")
    films = films[films["budget"] >= 1e6].sample(SAMPLE, random_state=0)
    # Without their people: a later date would count the film's own release (and others of that year)
    # in its people's track record, a change the data does say.
    unnamed = {"directors": [], "cast": [], "production_companies": []}
    return [{**body, **unnamed} for body in pre_release_bodies(films)]


def largest_steps(client: Any, film: dict[str, Any]) -> dict[str, float]:
    """The largest ratio between neighbouring medians of the film's budget curve and of its month curve."""
    year = film["release_date"][:4]
    budgets = [{"budget": film["budget"] * factor} for factor in BUDGET_FACTORS]
    months = [{"release_date": f"{year}-{month:02d}-15"} for month in MONTHS]
    response = client.post("/predict/pre_release/scenarios", json={"film": film, "scenarios": budgets + months})
    assert response.status_code == 200, response.text
    medians = np.log1p([answer["predicted_revenue"] for answer in response.json()["scenarios"]])
    steps = {"budget": medians[: len(budgets)], "month": medians[len(budgets) :]}
    return {curve: float(np.exp(np.abs(np.diff(values)).max())) for curve, values in steps.items()}
