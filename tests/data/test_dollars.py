"""Constant dollars: the CPI-U table, the factors, and which models use them."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from boxoffice.data.dollars import cpi_u, to_base_year
from boxoffice.features.build import derive_all, real_dollars
from boxoffice.features.sets import in_constant_dollars, selected_features
from boxoffice.features.transforms import log1p
from boxoffice.params import load_params
from tests.conftest import ROOT


def test_the_table_is_the_bls_annual_series() -> None:
    years, index = cpi_u()
    assert years[0] == 1913 and years[-1] >= 2016
    assert index[years == 1984][0] == 103.9  # 1982-84 = 100: the base period averages 100
    assert np.mean(index[(years >= 1982) & (years <= 1984)]) == pytest.approx(100, abs=0.05)


def test_factors_turn_a_year_into_the_base_year() -> None:
    factors = to_base_year([1985, 2016, 1913, 1900, 2100], 2016)
    _, index = cpi_u()
    assert factors[0] == 240.007 / 107.6
    assert factors[1] == 1.0
    assert factors[3] == factors[2] == 240.007 / 9.9  # before the table: its first year
    assert factors[4] == 240.007 / index[-1]  # after it: its last year


def test_only_the_pre_release_models_use_constant_dollars() -> None:
    params = load_params(path=ROOT / "params.yaml")
    on = copy.deepcopy(params)
    on["featurize"]["constant_dollars"] = True
    off = copy.deepcopy(params)
    off["featurize"]["constant_dollars"] = False
    assert in_constant_dollars(on, "pre_release") and not in_constant_dollars(on, "main")
    assert "real_log_budget" in selected_features(on, "pre_release")
    assert "log_budget" not in selected_features(on, "pre_release")
    assert "log_budget" in selected_features(off, "pre_release") and "log_budget" in selected_features(on, "main")
    columns = {"budget": np.array([1e7, 1e7]), "release_date": np.array(["1985-06-01", "2016-01-01"], dtype=object)}
    derived = derive_all(columns, on["featurize"])
    np.testing.assert_array_equal(derived["real_log_budget"], log1p(1e7 * to_base_year([1985, 2016], 2016)))
    np.testing.assert_array_equal(derived["log_budget"], log1p([1e7, 1e7]))
    assert "real_log_budget" not in derive_all(columns, off["featurize"])
    assert real_dollars({"budget": columns["budget"]}, on["featurize"]) is None  # /predict's films: no date
