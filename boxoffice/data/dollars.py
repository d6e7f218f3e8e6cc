"""Constant dollars: amounts deflated to one base year with the US CPI-U annual averages.

A 1985 budget of $10M bought what about $22M bought in 2016; in nominal dollars the
models would see a small film. ``data/cpi_u_annual.csv`` holds the Consumer Price Index
for All Urban Consumers, U.S. city average, all items, not seasonally adjusted, annual
averages (1982-84 = 100), series CUUR0000SA0 of the U.S. Bureau of Labor Statistics
(https://www.bls.gov/cpi/). Years outside the table take its nearest year: add a row each
year to score later films in their own year's prices.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

CPI_TABLE = Path(__file__).with_name("cpi_u_annual.csv")


@cache
def cpi_u() -> tuple[np.ndarray, np.ndarray]:
    """(years, index) of the CPI-U table, years consecutive."""
    table = np.loadtxt(CPI_TABLE, delimiter=",", skiprows=1)
    years, index = table[:, 0].astype(np.int64), table[:, 1]
    if not np.array_equal(years, np.arange(years[0], years[-1] + 1)):
        raise ValueError(f"{CPI_TABLE}: the years must be consecutive")
    return years, index


def to_base_year(release_years: Any, base_year: int) -> np.ndarray:
    """Per film, the factor that turns its release year's dollars into ``base_year`` dollars."""
    years, index = cpi_u()
    first, last = int(years[0]), int(years[-1])
    at = np.minimum(np.maximum(np.asarray(release_years, dtype=np.int64), first), last) - first  # np.clip, faster
    return index[min(max(base_year, first), last) - first] / index[at]
