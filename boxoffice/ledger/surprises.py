"""What is surprising about a recorded actual result, said with the answer and never refused.

An amount typed in the wrong unit ("95" meant as $95M) is a valid number; recorded silently it
enters the track record as it is and one such film swamps every figure. A figure known before the
film's release date (as saved) may be a pre-sale estimate, or a typo in the date. Each is accepted,
and the response's ``warnings`` say what to check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from boxoffice.data.dollars import to_base_year
from boxoffice.features.limits import Warning

# An actual this many times below the interval's low end (or above its high end) is "far outside" it:
# an interval misses by a factor of two or three, a unit typo by a thousand or a million.
FAR_OUTSIDE = 10.0

ACTUAL_WARNING_CODES = {
    "revenue_far_below_forecast": f"the revenue is below the forecast's interval by more than {FAR_OUTSIDE:g}x",
    "revenue_far_above_forecast": f"the revenue is above the forecast's interval by more than {FAR_OUTSIDE:g}x",
    "revenue_below_data": "the revenue is below all but a few of the data's films' revenues (constant dollars)",
    "known_before_release": "the figure is dated before the film's release date as saved",
}


def actual_warnings(
    revenue: float,
    known_on: dt.date,
    film: Mapping[str, Any],
    answer: Mapping[str, Any],
    revenue_floor: tuple[float, int] | None,
) -> list[Warning]:
    """The recorded result's warnings against the current forecast (``film`` as saved, its ``answer``) and
    ``revenue_floor``: the data's low revenue in constant dollars and the year of those dollars (None: unknown)."""
    found = []
    low, high = float(answer["revenue_low"]), float(answer["revenue_high"])
    if revenue * FAR_OUTSIDE < low:
        found.append(
            Warning(
                "revenue_far_below_forecast",
                "revenue",
                f"{_dollars(revenue)} is under 1/{FAR_OUTSIDE:g} of the low end of the forecast's interval "
                f"({_dollars(low)}): "
                "was it meant in millions?",
            )
        )
    elif revenue > high * FAR_OUTSIDE:
        found.append(
            Warning(
                "revenue_far_above_forecast",
                "revenue",
                f"{_dollars(revenue)} is over {FAR_OUTSIDE:g} times the high end of the forecast's interval "
                f"({_dollars(high)}): "
                "is a digit too many?",
            )
        )
    release = str(film["release_date"])
    if revenue_floor is not None:
        floor, dollars_of = revenue_floor
        real = revenue * float(to_base_year([int(release[:4])], dollars_of)[0])
        if real < floor:
            found.append(
                Warning(
                    "revenue_below_data",
                    "revenue",
                    f"{_dollars(revenue)} ({_dollars(real)} in {dollars_of} dollars) is below almost every "
                    f"revenue in the data (from {_dollars(floor)} in {dollars_of} dollars): was it meant in millions?",
                )
            )
    if known_on.isoformat() < release:
        found.append(
            Warning(
                "known_before_release",
                "known_on",
                f"{known_on.isoformat()} is before the film's release date as saved ({release}): "
                "an estimate, or a typo in the date?",
            )
        )
    return found


def _dollars(amount: float) -> str:
    return f"${amount / 1e6:,.1f}M" if amount >= 1e6 else f"${amount:,.2f}"
