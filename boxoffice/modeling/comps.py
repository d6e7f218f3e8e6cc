"""Comparable films ("comps"): the past films the served model sees most like a film asked about.

Why this method: a producer asks for comps to see what similar films earned, and
"similar" should mean similar to the model, not only in genre. Every registered
regressor explains a prediction as per-feature contributions to the predicted log
revenue (``boxoffice.modeling.explain``), so two films are alike to the model when each
feature pushes their predictions by about the same amount. The distance between two
films is the L1 distance between their contribution vectors, in log-revenue units, and
the similarity reported is ``exp(-distance)`` (1 for a film the model sees exactly alike).
Since the prediction is the base value plus the contributions, two films' predicted log
revenues differ by at most their distance. It works the same for every model type the
registry has (trees, boosting, linear), which tree-leaf proximity would not.

Only films with a release date strictly before the asked date are candidates when a date
is given (pre-release questions), so a known film is never its own comp and no comp is
from the asked film's future. Ties in distance go to the earlier row of the table, so the
answer is the same on every run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from boxoffice.data.dollars import to_base_year
from boxoffice.features.sets import selected_features
from boxoffice.features.transforms import feature_matrix, release_years
from boxoffice.modeling.comp_reasons import CompRules, Described
from boxoffice.params import Params

# The facts each comp carries, in the candidate table and in the answer, in this order.
FACTS = ("id", "title", "release_date", "budget", "revenue", "real_revenue", "revenue_multiple", "is_hit")
# What else the table keeps of each candidate, as the data has it: the reasons a comp is picked
# (shared genres and names) and the data's limits (``boxoffice.features.limits``) are read from these.
DESCRIPTION = ("runtime", "original_language", "genres", "directors", "cast", "production_companies", "keywords")


def candidate_table(films: pd.DataFrame, params: Params, variant: str) -> pd.DataFrame:
    """The films a variant's comps are drawn from: their facts, description, then model inputs (the variant's features).

    ``films``: a featurized table (``data/features/*.csv``). ``real_revenue`` is in
    ``featurize.cpi_base_year`` dollars; ``revenue_multiple`` = revenue / budget.
    Films without a release date cannot be placed before a date and are left out.
    """
    dated = films["release_date"].astype(str).str.fullmatch(r"\d{4}-\d{2}-\d{2}")
    films = films[dated.to_numpy()].reset_index(drop=True)
    factor = to_base_year(release_years(films["release_date"]), params["featurize"]["cpi_base_year"])
    features = selected_features(params, variant)
    facts = pd.DataFrame(
        {
            "id": films["id"].to_numpy(),
            "title": films["title"].to_numpy(),
            "release_date": films["release_date"].to_numpy(),
            "budget": films["budget"].to_numpy(dtype=np.float64),
            "revenue": films["revenue"].to_numpy(dtype=np.float64),
            "real_revenue": np.round(films["revenue"].to_numpy(dtype=np.float64) * factor, 0),
            "revenue_multiple": np.round(films["revenue"].to_numpy(dtype=np.float64) / films["budget"], 4),
            "is_hit": films["is_hit"].to_numpy(dtype=bool),
        }
    )
    described = pd.DataFrame({f"film_{name}": films[name].to_numpy() for name in DESCRIPTION})
    inputs = pd.DataFrame(feature_matrix(films, features), columns=features)
    return pd.concat([facts, described, inputs], axis=1)


def day_numbers(dates: Any) -> np.ndarray:
    """ISO dates (text) as days since 1970-01-01."""
    return np.asarray(dates, dtype="datetime64[D]").astype(np.int64)


@dataclass(frozen=True)
class Comps:
    """Candidate films with the model's contributions for each; ``nearest`` finds a film's comps."""

    facts: list[dict[str, Any]]  # one dict of FACTS per candidate, ready for an answer
    days: np.ndarray  # release day of each candidate
    contributions: np.ndarray  # (candidates, features), from the served model's explainer
    log_revenue: np.ndarray  # each candidate's log1p(revenue), in the model's dollars (``comps_median``)
    described: Described | None = None  # what reasons and constraints read (``comp_reasons``)

    @classmethod
    def of(cls, table: pd.DataFrame, contributions: np.ndarray, bands: np.ndarray | None = None) -> Comps:
        """From a candidate table (``candidate_table``) and the served model's contributions for its rows.

        ``bands``: each candidate's budget band (constant dollars), for reasons and constraints.
        """
        facts = table[list(FACTS)].astype(object).to_dict("records")
        for row in facts:
            row["id"], row["is_hit"] = int(row["id"]), bool(row["is_hit"])
        revenue = np.log1p(table["revenue"].to_numpy(dtype=np.float64))
        described = None
        if bands is not None:
            columns = {name: table[f"film_{name}"].to_numpy() for name in DESCRIPTION if f"film_{name}" in table}
            described = Described.of({**columns, "release_date": table["release_date"], "title": table["title"]}, bands)
        days = day_numbers(table["release_date"])
        return cls(facts, days, np.asarray(contributions, dtype=np.float64), revenue, described)

    def nearest(
        self,
        contributions: np.ndarray,
        n: int,
        before: np.ndarray | None = None,
        keep: list[np.ndarray] | None = None,
    ) -> list[np.ndarray]:
        """For each row of ``contributions``, its ``n`` nearest candidates (indices, nearest first) and distances.

        ``before``: each film's release day; only candidates released strictly earlier
        count (fewer than ``n`` when fewer exist). ``keep``: per film, which candidates may
        count at all (``comp_reasons.Described.allowed``). Returns one (k, 2) array per film:
        column 0 the candidate's index, column 1 the distance.
        """
        found = []
        for i, row in enumerate(np.asarray(contributions, dtype=np.float64)):
            distance = np.abs(self.contributions - row).sum(axis=1)
            allowed = np.ones(len(distance), dtype=bool) if keep is None else keep[i]
            if before is not None:
                allowed = allowed & (self.days < before[i])
            eligible = np.flatnonzero(allowed)
            k = min(n, len(eligible))
            if k == 0:
                found.append(np.empty((0, 2)))
                continue
            near = eligible[np.argpartition(distance[eligible], k - 1)[:k]] if k < len(eligible) else eligible
            # The k-th smallest distance may be shared with rows left out above: take every row
            # within it, then keep the k first by (distance, row), so ties go to the earlier row.
            tied = eligible[distance[eligible] <= distance[near].max()]
            order = tied[np.lexsort((tied, distance[tied]))][:k]
            found.append(np.column_stack([order, distance[order]]))
        return found

    def answer(self, found: np.ndarray, asked: Described | None = None, i: int = 0) -> list[dict[str, Any]]:
        """A film's comps as response rows: the facts, the similarity exp(-distance), and (given the asked
        films' description, this one being number ``i``) the reasons."""
        rows = []
        for index, distance in found.tolist():
            row = {**self.facts[int(index)], "similarity": round(float(np.exp(-distance)), 6)}
            if asked is not None and self.described is not None:
                row["reasons"] = self.described.reasons(int(index), asked, i)
            rows.append(row)
        return rows

    def allowed(self, asked: Described, rules: CompRules) -> list[np.ndarray] | None:
        """Per asked film, the candidates ``rules`` allow (never the film itself); None without descriptions."""
        if self.described is None:
            return None
        return [self.described.allowed(asked, i, rules) for i in range(len(asked.bands))]


def comps_median(
    comps: Comps,
    contributions: np.ndarray,
    n: int,
    before: np.ndarray | None = None,
    keep: list[np.ndarray] | None = None,
) -> np.ndarray:
    """Each film's comps' median log revenue (NaN for a film with no eligible candidate): comps as a forecast."""
    return np.array(
        [
            np.median(comps.log_revenue[found[:, 0].astype(np.int64)]) if len(found) else np.nan
            for found in comps.nearest(contributions, n, before, keep)
        ]
    )
