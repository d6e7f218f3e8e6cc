"""The conformal revenue distribution: equal to crepes' own numbers, coverage per band, consistent answers."""

from __future__ import annotations

import numpy as np
import pytest

from boxoffice.modeling.distribution import RevenueDistribution, band_of, merged_edges, shift_prior

EDGES = [1e7, 4e7, 1e8]


def films(n: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Budgets, point predictions and actual log revenue; the smaller the budget, the wider the errors."""
    rng = np.random.default_rng(seed)
    budgets = np.exp(rng.normal(17, 1.3, n))
    y_hat = np.log1p(budgets) + rng.normal(0.5, 0.5, n)
    spread = np.select([budgets < 1e7, budgets < 4e7, budgets < 1e8], [2.0, 1.2, 0.8], 0.5)
    return budgets, y_hat, y_hat + spread * rng.normal(size=n)


@pytest.fixture(scope="module")
def calibrated() -> RevenueDistribution:
    budgets, y_hat, actual = films(800, seed=0)
    return RevenueDistribution.calibrate(actual - y_hat, budgets, EDGES, min_films=50)


def test_every_number_equals_crepes(calibrated: RevenueDistribution) -> None:
    budgets, y_hat, _ = films(3000, seed=1)
    system, bins = calibrated.conformal(), calibrated.bands(budgets)
    # Thresholds anywhere, and exactly on a film's distribution steps (ties are where conventions bite).
    for y in (np.log1p(2 * budgets), y_hat + calibrated.residuals[1][7], y_hat):
        expected = system.predict_p(y_hat, y, bins=bins, smoothing=False)
        np.testing.assert_array_equal(calibrated.below(y_hat, budgets, y), expected)
    for percent in (5, 10, 50, 90, 95):
        for higher in (False, True):
            side = "higher_percentiles" if higher else "lower_percentiles"
            expected = system.predict_percentiles(y_hat, bins=bins, **{side: percent})
            np.testing.assert_array_equal(calibrated.percentile(y_hat, budgets, percent, higher), expected)
    low, high = calibrated.interval(y_hat, budgets, 0.8)
    np.testing.assert_array_equal(np.c_[low, high], system.predict_int(y_hat, bins=bins, confidence=0.8))
    one = calibrated.below(y_hat[:1], budgets[:1], y_hat[:1] + 0.3)
    np.testing.assert_array_equal(one, calibrated.below(y_hat, budgets, y_hat + 0.3)[:1])


def test_every_figure_of_an_answer_equals_crepes_alone_or_in_a_batch(calibrated: RevenueDistribution) -> None:
    budgets, y_hat, _ = films(3000, seed=4)
    system, bins = calibrated.conformal(), calibrated.bands(budgets)
    outlook = calibrated.outlook(y_hat, budgets, hit_multiple=2.0, coverage=0.8)
    for name, percent in (("median", 50), ("p10", 10), ("p90", 90)):
        expected = system.predict_percentiles(y_hat, bins=bins, lower_percentiles=percent)
        np.testing.assert_array_equal(outlook[name], expected)
    interval = system.predict_int(y_hat, bins=bins, confidence=0.8)
    np.testing.assert_array_equal(np.c_[outlook["low"], outlook["high"]], interval)
    for name, line in (("hit_probability", 2 * budgets), ("break_even_probability", budgets)):
        expected = 1 - system.predict_p(y_hat, np.log1p(line), bins=bins, smoothing=False)
        np.testing.assert_array_equal(outlook[name], expected)
    for i in range(0, 3000, 250):
        alone = calibrated.outlook(y_hat[i : i + 1], budgets[i : i + 1], hit_multiple=2.0, coverage=0.8)
        assert {name: values[0] for name, values in alone.items()} == {name: v[i] for name, v in outlook.items()}


def test_coverage_holds_in_every_budget_band() -> None:
    """Mondrian bands keep 80% in each band; one pooled band over-covers big budgets and under-covers small ones.

    8,000 calibration films, so that a band's coverage varies by about 0.01 between draws.
    """
    budgets, y_hat, actual = films(20000, seed=2)
    calibration_budgets, calibration_hat, calibration_actual = films(8000, seed=0)
    residuals = calibration_actual - calibration_hat
    mondrian = RevenueDistribution.calibrate(residuals, calibration_budgets, EDGES, min_films=50)
    pooled = RevenueDistribution.calibrate(residuals, calibration_budgets, [], min_films=50)
    bands = band_of(budgets, EDGES)
    for distribution, tolerance in ((mondrian, 0.03), (pooled, None)):
        low, high = distribution.interval(y_hat, budgets, 0.8)
        inside = (actual >= low) & (actual <= high)
        per_band = [inside[bands == band].mean() for band in range(len(EDGES) + 1)]
        if tolerance is not None:
            assert per_band == pytest.approx([0.8] * 4, abs=tolerance)
        else:
            assert per_band[0] < 0.7 and per_band[-1] > 0.9


def test_an_answer_never_contradicts_itself(calibrated: RevenueDistribution) -> None:
    budgets, y_hat, _ = films(5000, seed=3)
    outlook = calibrated.outlook(y_hat, budgets, hit_multiple=2.0, coverage=0.8)
    hit_line = np.log1p(2 * budgets)
    assert np.array_equal(outlook["hit_probability"] >= 0.5, outlook["median"] > hit_line)
    assert (outlook["break_even_probability"] >= outlook["hit_probability"]).all()
    assert 0.05 < (outlook["hit_probability"] >= 0.5).mean() < 0.95  # both answers occur
    for lower, upper in (("low", "p10"), ("p10", "median"), ("median", "p90"), ("p90", "high")):
        assert (outlook[lower] <= outlook[upper]).all(), (lower, upper)
    narrow, wide = calibrated.interval(y_hat, budgets, 0.5), calibrated.interval(y_hat, budgets, 0.9)
    assert (wide[0] <= narrow[0]).all() and (wide[1] >= narrow[1]).all()
    assert ((wide[1] - wide[0]) > (narrow[1] - narrow[0])).all()


def test_small_bands_are_merged_into_a_neighbour() -> None:
    budgets = np.r_[np.full(5, 5e6), np.full(60, 2e7), np.full(60, 6e7), np.full(3, 2e8)]
    assert merged_edges(budgets, EDGES, min_films=50) == [4e7]
    assert merged_edges(budgets, EDGES, min_films=500) == []
    distribution = RevenueDistribution.calibrate(np.zeros(len(budgets)), budgets, EDGES, min_films=50)
    assert [len(values) for values in distribution.residuals] == [65, 63]
    again = RevenueDistribution.from_json(distribution.to_json())
    assert again.edges == distribution.edges
    assert all(np.array_equal(a, b) for a, b in zip(again.residuals, distribution.residuals, strict=True))
    with pytest.raises(ValueError, match="no calibration residuals"):
        RevenueDistribution.calibrate(np.zeros(0), np.zeros(0), EDGES, min_films=50)


def test_the_prior_shift_moves_the_odds_and_keeps_the_ranking() -> None:
    p = np.array([0.0, 0.2, 0.5, 0.8, 1.0])
    np.testing.assert_array_equal(shift_prior(p, 0.56, 0.56), p)
    shifted = shift_prior(p, 0.56, 0.37)
    # odds x (0.37 / 0.63) / (0.56 / 0.44): a film at even odds in TMDB 5000 is a 31.6% film there.
    assert shifted[2] == pytest.approx((0.37 / 0.63) / (0.56 / 0.44) / (1 + (0.37 / 0.63) / (0.56 / 0.44)))
    assert shifted[0] == 0.0 and shifted[-1] == 1.0
    assert (np.diff(shifted) > 0).all() and (shifted[1:-1] < p[1:-1]).all()
    np.testing.assert_allclose(shift_prior(shifted, 0.37, 0.56), p)


def test_more_lines_in_the_outlook_are_the_same_probabilities_as_below_gives(calibrated: RevenueDistribution) -> None:
    """The producer's P(profit) comes from the outlook's own look-up: equal to 1 - below, bit for bit."""
    budgets, y_hat, _ = films(3000, seed=5)
    lines = np.column_stack([3 * budgets, np.expm1(y_hat + calibrated.residuals[2][3])])  # one on a step
    table = calibrated.outlook_table(y_hat, budgets, hit_multiple=2.0, coverage=0.8, above=lines)
    plain = calibrated.outlook_table(y_hat, budgets, hit_multiple=2.0, coverage=0.8)
    np.testing.assert_array_equal(table[:, : plain.shape[1]], plain)
    for j in range(lines.shape[1]):
        expected = 1 - calibrated.below(y_hat, budgets, np.log1p(lines[:, j]))
        np.testing.assert_array_equal(table[:, plain.shape[1] + j], expected)
