"""The explanation's facts and factors (boxoffice.modeling.effects), on hand-made contributions."""

from __future__ import annotations

import math

import numpy as np
import pytest

from boxoffice.modeling.effects import effects, in_dollars


def test_a_factor_keeps_four_figures_however_small() -> None:
    """A $90 budget divides the forecast by tens of thousands: x0.00001379, never a bare 0."""
    found = effects(["real_log_budget", "runtime"], np.array([4.3, 155.0]), np.array([-11.19, 0.0712]), 2016)
    by_label = {effect["label"]: effect["factor"] for effect in found}
    assert by_label["Budget, in 2016 dollars"] == pytest.approx(math.exp(-11.19), rel=5e-4)
    assert by_label["Runtime (155 minutes)"] == 1.074


def test_the_explanation_in_dollars_starts_at_the_base_and_ends_at_the_estimate() -> None:
    explanation = {"base_value": math.log1p(55.5e6), "log_revenue": math.log1p(16.7e6)}
    said = in_dollars(explanation, 2016)
    assert said["base_revenue"] == pytest.approx(55.5e6) and said["revenue"] == pytest.approx(16.7e6)
    assert said["dollars_of"] == 2016 and in_dollars(explanation, None)["dollars_of"] is None
    assert said["revenue_in_answer_dollars"] == said["revenue"]  # no factor: the answer's dollars are the same
    later = in_dollars(explanation, 2016, 0.8)  # 0.8 constant dollars per dollar of a later film's answer
    assert later["revenue_in_answer_dollars"] == pytest.approx(16.7e6 / 0.8) and later["revenue"] == said["revenue"]


def test_a_year_after_the_data_is_said_to_be_read_as_its_last_only_for_models_flat_beyond_it() -> None:
    def year_label(value: float, last_year: int | None) -> str:
        return str(effects(["release_year"], np.array([value]), np.array([0.1]), 2016, last_year)[0]["label"])

    assert year_label(2027, 2016) == "Release year (2027, read as the data's last years)"
    assert year_label(2016, 2016) == "Release year (2016)"  # the data's own years: no remark
    assert year_label(2027, None) == "Release year (2027)"  # models that extend a trend read 2027 as 2027
