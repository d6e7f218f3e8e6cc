"""What-if scenarios: one film, many variations of it, each validated as a film and answered in one call.

A scenario names the fields of a /predict/pre_release body to replace (``{"budget": 6e7}``,
``{"release_date": "2010-12-17"}``; ``{}`` changes nothing). Each field is validated by
``PreReleaseMovie``'s own rules (``Scenario`` is generated from it), so a scenario can ask
nothing a body cannot, and its errors name where they are (``scenarios[3].budget``). The
unchanged scenario is the validated film itself, so it gets the same answer.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from boxoffice.prediction.schemas import PRE_RELEASE_EXAMPLE, PreReleaseMovie, PreReleasePrediction

SCENARIOS_EXAMPLE: dict[str, Any] = {
    "film": PRE_RELEASE_EXAMPLE,
    "scenarios": [{"release_date": "2010-12-17"}, {"budget": 60_000_000}, {"directors": ["Ridley Scott"]}, {}],
}


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)  # an absent field is the film's own value, not null


# A scenario: any fields of PreReleaseMovie, each with its own rules; an absent field keeps the film's.
Scenario: type[BaseModel] = create_model(  # type: ignore[call-overload]
    "Scenario",
    __config__=ConfigDict(extra="forbid", strict=True, allow_inf_nan=False),
    __doc__="The fields of the film to replace, each validated as in a /predict/pre_release body.",
    **{
        name: (
            Annotated[field.annotation, *field.metadata],
            Field(default=None, description=field.description, json_schema_extra=_no_default),
        )
        for name, field in PreReleaseMovie.model_fields.items()
    },
)


class ScenarioRequest(BaseModel):
    """A pre-release film and the scenarios to answer for it, in order."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra={"examples": [SCENARIOS_EXAMPLE]})

    film: PreReleaseMovie
    scenarios: list[Scenario] = Field(  # type: ignore[valid-type]
        min_length=1,
        description="each: the fields of the film to replace (any field of a /predict/pre_release body); "
        "{} is the film as it is. At most serve.max_scenarios (200 by default)",
    )


class ScenarioPredictions(BaseModel):
    scenarios: list[PreReleasePrediction] = Field(description="one answer per scenario, in the request's order")


def scenario_films(request: ScenarioRequest, max_scenarios: int) -> list[PreReleaseMovie]:
    """Each scenario as a film: the request's film with the scenario's fields, already validated, replaced.

    Raises TooManyScenarios beyond ``max_scenarios`` (serve.max_scenarios).
    """
    if len(request.scenarios) > max_scenarios:
        raise TooManyScenarios(
            f"at most {max_scenarios} scenarios in one request (serve.max_scenarios), not {len(request.scenarios)}"
        )
    scenarios: list[BaseModel] = request.scenarios
    return [with_changes(request.film, scenario) for scenario in scenarios]


P_AND_A = ("p_and_a", "p_and_a_multiple")  # two ways to give marketing: a scenario giving one drops the other


def with_changes(film: PreReleaseMovie, scenario: BaseModel) -> PreReleaseMovie:
    """``film`` with the fields the scenario set; one way of giving P&A replaces the other, as a person means it
    (the ledger's saved what-ifs and /predict/pre_release/scenarios both go through here)."""
    changes = scenario.model_dump(exclude_unset=True)
    for given, other in (P_AND_A, P_AND_A[::-1]):
        if given in changes and other not in changes:
            changes[other] = None
    return film.model_copy(update=changes)


class TooManyScenarios(ValueError):
    """More scenarios than the service answers in one request."""
