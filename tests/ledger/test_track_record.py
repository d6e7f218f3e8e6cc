"""The track record computed by the database equals the same figures computed from every row in numpy."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import Engine, select

from boxoffice.ledger import tallies
from boxoffice.ledger.database import make_engine, upgrade
from boxoffice.ledger.identity import ModelIdentity
from boxoffice.ledger.store import Answered, Ledger, NotFound, PageQuery, ResultKnown
from boxoffice.ledger.tables import ActualResult, Forecast, Revision, Slate
from boxoffice.ledger.track_record import CALIBRATION_BINS, middle_errors, track_record
from boxoffice.modeling.metrics import regression_metrics

DIGITS = 6
IDENTITIES = [("aaa", "c1"), ("aaa", "c2"), ("bbb", "c1")]
# P(hit) on the band edges, at 0 and at 1 (the top band holds 1.0).
EDGES = [0.0, 0.1, 0.3, 0.7, 0.9, 1.0, 0.29999999999999993]
NOW = dt.datetime(2026, 12, 4)


def reference(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures from every row in memory: the ledger's first track record, kept as the specification."""
    predicted, low, high, nominal, p_hit, budget, multiple, actual = (
        np.array([row[key] for row in rows], dtype=float)
        for key in ("predicted", "low", "high", "nominal", "p_hit", "budget", "multiple", "actual")
    )
    hits = actual > multiple * budget
    rate = hits.mean()
    bands = np.minimum((p_hit * CALIBRATION_BINS).astype(int), CALIBRATION_BINS - 1)
    report: dict[str, Any] = {
        "films": len(actual),
        "median_abs_pct_error": round(float(np.median(np.abs(predicted - actual) / actual) * 100), DIGITS),
        "interval": {
            "nominal": round(float(nominal.mean()), DIGITS),
            "covered": round(float(((low <= actual) & (actual <= high)).mean()), DIGITS),
        },
        "hit": {
            "rate": round(float(rate), DIGITS),
            "brier": round(float(np.mean((p_hit - hits) ** 2)), DIGITS),
            "constant_brier": round(float(rate * (1 - rate)), DIGITS),
        },
        "calibration": [
            {
                "from": band / CALIBRATION_BINS,
                "to": (band + 1) / CALIBRATION_BINS,
                "films": int((bands == band).sum()),
                "mean_hit_probability": round(float(p_hit[bands == band].mean()), DIGITS),
                "hit_rate": round(float(hits[bands == band].mean()), DIGITS),
            }
            for band in np.unique(bands)
        ],
    }
    if len(actual) >= 2:
        report["log_revenue"] = regression_metrics(np.log1p(actual), np.log1p(predicted))
    return report


def revision(forecast_id: int, number: int, identity: tuple[str, str], rng: random.Random) -> dict[str, Any]:
    predicted = rng.lognormvariate(18, 1.5)
    budget = rng.choice([1e7, 5e7, 1e8])
    return {
        "forecast_id": forecast_id,
        "number": number,
        "kind": "saved",
        "film": {},
        "answer": {},
        "predicted_revenue": predicted,
        "revenue_low": predicted / rng.uniform(1.5, 4),
        "revenue_high": predicted * rng.uniform(1.5, 4),
        "interval_coverage": rng.choice([0.8, 0.9]),
        "hit_probability": rng.choice([*EDGES, rng.random(), rng.random()]),
        "budget": budget,
        "hit_multiple": 2.0,
        "model_hash": identity[0],
        "model_commit": identity[1],
        "created_at": NOW,
    }


def fill(ledger: Ledger, seed: int) -> dict[str, list[dict[str, Any]]]:
    """Two slates of forecasts, some revised, deleted or unreleased; the released rows each slate should count."""
    rng = random.Random(seed)
    counted: dict[str, list[dict[str, Any]]] = {"North": [], "South": []}
    with ledger.session.begin() as session:
        for slate_id, slate in enumerate(counted, start=1):
            session.add(Slate(id=slate_id, name=slate, created_at=NOW))
        session.flush()
        for forecast_id in range(1, 401):
            slate = rng.choice(list(counted))
            revisions = [revision(forecast_id, n, rng.choice(IDENTITIES), rng) for n in (1, 2, 3)]
            current = rng.choice([1, 2, 3])
            deleted = rng.random() < 0.1
            session.add(
                Forecast(
                    id=forecast_id,
                    slate_id=list(counted).index(slate) + 1,
                    name=f"film {forecast_id}",
                    created_at=NOW,
                    deleted_at=NOW if deleted else None,
                    revision_count=3,
                    current_revision=current,
                )
            )
            session.flush()
            session.add_all(Revision(**values) for values in revisions)
            if rng.random() < 0.2:
                continue  # not released yet
            chosen = revisions[current - 1]
            if rng.random() < 0.1:  # exactly twice its budget: not a hit
                actual = chosen["hit_multiple"] * chosen["budget"]
            else:
                actual = chosen["predicted_revenue"] * rng.lognormvariate(0, 0.8)
            session.add(ActualResult(forecast_id=forecast_id, revenue=actual, known_on=NOW.date(), source="s"))
            if not deleted:
                counted[slate].append(
                    {
                        "identity": (chosen["model_hash"], chosen["model_commit"]),
                        "predicted": chosen["predicted_revenue"],
                        "low": chosen["revenue_low"],
                        "high": chosen["revenue_high"],
                        "nominal": chosen["interval_coverage"],
                        "p_hit": chosen["hit_probability"],
                        "budget": chosen["budget"],
                        "multiple": chosen["hit_multiple"],
                        "actual": actual,
                    }
                )
    return counted


def expected(rows: list[dict[str, Any]]) -> dict[str, Any]:
    models = [
        {"serving_hash": identity[0], "commit": identity[1], **reference(mine)}
        for identity in sorted({row["identity"] for row in rows})
        if (mine := [row for row in rows if row["identity"] == identity])
    ]
    return {"films": len(rows), "overall": reference(rows), "models": models}


@pytest.mark.parametrize("seed", [1, 2])
def test_the_databases_figures_are_numpys_for_every_model_and_slate(database_url: str, seed: int) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    ledger = Ledger(engine)
    counted = fill(ledger, seed)
    assert track_record(ledger, "North") == expected(counted["North"])
    assert track_record(ledger, "South") == expected(counted["South"])
    assert track_record(ledger) == expected(counted["North"] + counted["South"])
    with pytest.raises(NotFound):
        track_record(ledger, "Nowhere")
    engine.dispose()


def test_one_film_and_films_that_all_earned_the_same(database_url: str) -> None:
    """One film: no log-revenue metrics; equal revenues: scikit-learn's R² (0.0, not a division by zero)."""
    engine = make_engine(database_url)
    upgrade(engine)
    ledger = Ledger(engine)
    rng = random.Random(0)
    with ledger.session.begin() as session:
        session.add(Slate(id=1, name="Flat", created_at=NOW))
        session.flush()
        for forecast_id in (1, 2, 3):
            session.add(Forecast(id=forecast_id, slate_id=1, name=f"f{forecast_id}", created_at=NOW))
            session.flush()
            session.add(Revision(**revision(forecast_id, 1, IDENTITIES[forecast_id % 2], rng)))
            session.add(ActualResult(forecast_id=forecast_id, revenue=3e8, known_on=NOW.date(), source="s"))
    record = track_record(ledger)
    assert "log_revenue" not in record["models"][0]  # ("aaa", "c1") answered one film
    assert record["models"][1]["log_revenue"]["r2"] == 0.0 and record["overall"]["log_revenue"]["r2"] == 0.0
    assert track_record(ledger, "Flat") == record
    engine.dispose()


def test_a_pages_total_counts_what_its_filters_find(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine)
    ledger = Ledger(engine)
    fill(ledger, 3)
    for query in (
        PageQuery("North"),
        PageQuery("North", has_actual=True),
        PageQuery("North", has_actual=False),
        PageQuery("North", model_hash="bbb"),
        PageQuery("North", model_hash="aaa", has_actual=True, name_contains="1"),
        PageQuery("South", deleted=True),
    ):
        found, after = [], 0
        while True:
            page = ledger.page(PageQuery(**{**query.__dict__, "after": after, "limit": 100}))
            found += page["forecasts"]
            if page["next_after"] is None:
                break
            after = page["next_after"]
        assert page["total"] == len(found) > 0, query
    engine.dispose()


def test_a_median_is_a_walk_along_the_errors_index_not_a_sort(tmp_path: Path) -> None:
    """The middle error of a slate's model is found in the released films' index, without reading a forecast."""
    engine = make_engine(f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    upgrade(engine)
    query = middle_errors(5, 1, IDENTITIES[0])
    with engine.connect() as connection:
        sql = str(query.compile(engine, compile_kwargs={"literal_binds": True}))
        plan = [row[-1] for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]
    engine.dispose()
    walked = "SEARCH released USING COVERING INDEX ix_released_slate_model_error"
    assert len(plan) == 1 and plan[0].startswith(walked), plan  # no sort, no other table


def tallies_now(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every tally row, in key order, sums rounded far below what the figures show (adding and taking out leaves
    rounding in the last bits), zero rows left out (a group emptied by deletes)."""
    queries = {
        "slate_counts": "SELECT slate_id, deleted, with_actual, forecasts FROM slate_counts WHERE forecasts <> 0",
        "track_record_sums": f"SELECT * FROM track_record_sums WHERE films <> 0 ORDER BY {tallies.SUMS_KEY}",
        "released": "SELECT * FROM released ORDER BY forecast_id",
    }
    with engine.connect() as connection:
        return {
            table: sorted(
                tuple(round(value, 9) if isinstance(value, float) else value for value in row)
                for row in connection.exec_driver_sql(sql)
            )
            for table, sql in queries.items()
        }


def answered(rng: random.Random, identity: tuple[str, str]) -> Answered:
    values = revision(0, 0, identity, rng)
    answer = {key: values[key] for key in ("predicted_revenue", "revenue_low", "revenue_high", "hit_probability")}
    answer["interval_coverage"] = values["interval_coverage"]
    return Answered({"budget": values["budget"]}, answer, ModelIdentity(*identity), values["hit_multiple"])


def test_every_write_keeps_the_tallies_as_computed_afresh_from_the_rows(database_url: str) -> None:
    """Saves, re-forecasts, scenarios, actual results recorded and replaced, deletes and restores, through the
    ledger: the tallies the triggers kept equal those rebuilt from the rows, and the track record is numpy's."""
    engine = make_engine(database_url)
    upgrade(engine)
    ledger = Ledger(engine)
    fill(ledger, 6)
    if engine.dialect.name == "postgresql":  # ``fill`` chose the ids: the sequence goes on after them
        with engine.begin() as connection:
            connection.exec_driver_sql("SELECT setval('forecasts_id_seq', 400)")
    rng = random.Random(6)
    saved = [ledger.save("North", f"new {i}", answered(rng, rng.choice(IDENTITIES)))["id"] for i in range(30)]
    for forecast_id in rng.sample(range(1, 401), 120) + saved:
        if ledger.read(forecast_id)["deleted_at"] is not None:
            ledger.restore(forecast_id)
        step = rng.choice(["reforecast", "scenario", "actual", "actual", "delete"])
        if step == "actual":
            ledger.record_actual(forecast_id, rng.lognormvariate(18, 1.5), NOW.date(), "s")
        elif step == "delete":
            ledger.delete(forecast_id)
        elif step == "reforecast" and ledger.read(forecast_id)["actual"] is not None:
            with pytest.raises(ResultKnown):  # final once the result is in: nothing written
                ledger.revise(forecast_id, step, answered(rng, rng.choice(IDENTITIES)))
        else:
            ledger.revise(forecast_id, step, answered(rng, rng.choice(IDENTITIES)))
    kept = tallies_now(engine)
    record = track_record(ledger)
    with engine.begin() as connection:
        tallies.rebuild(connection)
    assert tallies_now(engine) == kept
    assert track_record(ledger) == record == expected(current_rows(ledger))
    engine.dispose()


def current_rows(ledger: Ledger) -> list[dict[str, Any]]:
    """Every live forecast's current revision and actual result, as ``fill`` lists them, read from the rows."""
    query = (
        select(Revision, ActualResult.revenue)
        .join(Forecast, (Forecast.id == Revision.forecast_id) & (Forecast.current_revision == Revision.number))
        .join(ActualResult, ActualResult.forecast_id == Forecast.id)
        .where(Forecast.deleted_at.is_(None))
    )
    with ledger.session.begin() as session:
        return [
            {
                "identity": (chosen.model_hash, chosen.model_commit),
                "predicted": chosen.predicted_revenue,
                "low": chosen.revenue_low,
                "high": chosen.revenue_high,
                "nominal": chosen.interval_coverage,
                "p_hit": chosen.hit_probability,
                "budget": chosen.budget,
                "multiple": chosen.hit_multiple,
                "actual": actual,
            }
            for chosen, actual in session.execute(query)
        ]
