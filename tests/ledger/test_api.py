"""The ledger's endpoints on the tiny project's models, on SQLite and on PostgreSQL."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import OperationalError

from boxoffice.ledger.database import make_engine, upgrade
from boxoffice.ledger.store import Ledger
from boxoffice.ledger.tables import ActualResult, Forecast, Revision, Slate, Token
from boxoffice.ledger.tokens import create_token
from boxoffice.prediction.schemas import PRE_RELEASE_EXAMPLE
from boxoffice.serving import ledger_access
from boxoffice.serving.api import create_app
from boxoffice.serving.routes.ledger import LARGEST_REQUEST

FILM = {**PRE_RELEASE_EXAMPLE, "release_date": "2017-07-21"}
ODD_NAMES = ['O\'Brien "Quoted"', "x'); DROP TABLE forecasts; --", "<img src=x onerror=alert(1)>", "100%_under"]


class Ledgered:
    """A client of the service with a read-write and a read-only token."""

    def __init__(self, client: TestClient, ledger: Ledger) -> None:
        self.client, self.ledger = client, ledger
        with ledger.session.begin() as session:
            self.write_token = create_token(session)
            self.read_token = create_token(session, read_only=True)

    def empty(self) -> None:
        """Every slate, forecast, revision and result removed (tokens kept): each test starts from nothing."""
        with self.ledger.session.begin() as session:
            for table in (ActualResult, Revision, Forecast, Slate):
                session.execute(delete(table))

    def call(self, method: str, path: str, token: str | None = "write", **options: Any) -> Any:
        chosen = {"write": self.write_token, "read": self.read_token}.get(token or "", token)
        headers = {"Authorization": f"Bearer {chosen}"} if chosen else {}
        return self.client.request(method, path, headers=headers, **options)

    def save(self, name: str, slate: str = "Summer", film: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self.call("POST", "/ledger/forecasts", json={"slate": slate, "name": name, "film": film or FILM})
        assert response.status_code == 201, response.text
        return response.json()

    def rows(self) -> dict[str, int]:
        """How many rows each ledger table holds (tokens aside)."""
        with self.ledger.session.begin() as session:
            return {
                table.__tablename__: session.scalar(select(func.count()).select_from(table))
                for table in (Slate, Forecast, Revision, ActualResult)
            }


@pytest.fixture(scope="module")
def service(project: Path, module_database_url: str) -> Iterator[Ledgered]:
    app = create_app(models_dir=project / "models", lock_path=project / "dvc.lock", ledger_url=module_database_url)
    with TestClient(app) as client:
        yield Ledgered(client, app.state.ledger)


@pytest.fixture
def ledgered(service: Ledgered) -> Ledgered:
    service.empty()
    return service


def test_first_start_prints_a_working_token_and_keeps_only_its_hash(
    project: Path, database_url: str, capfd: pytest.CaptureFixture[str]
) -> None:
    app = create_app(models_dir=project / "models", ledger_url=database_url)
    with TestClient(app) as client:
        printed = capfd.readouterr().err
        found = re.search(r"/ledger#token=([\w-]+)", printed)
        assert found, printed
        token = found.group(1)
        assert client.get("/ledger/slates", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        with app.state.ledger.session.begin() as session:
            digests = session.scalars(select(Token.digest)).all()
    assert digests == [hashlib.sha256(token.encode()).hexdigest()]


def test_a_second_start_makes_no_new_token(project: Path, database_url: str, capfd: pytest.CaptureFixture[str]) -> None:
    for _ in range(2):
        with TestClient(create_app(models_dir=project / "models", ledger_url=database_url)):
            pass
    assert capfd.readouterr().err.count("#token=") == 1


def test_save_stores_the_services_own_answer_and_the_model_identity(ledgered: Ledgered, project: Path) -> None:
    saved = ledgered.save("Inception")
    expected = ledgered.client.post("/predict/pre_release", json=FILM).json()
    assert saved["current"]["answer"] == expected
    assert saved["current"]["film"]["cast"] == FILM["cast"]
    assert (
        saved["current"]["model"]["serving_hash"]
        == hashlib.sha256((project / "models" / "serving.json").read_bytes()).hexdigest()
    )
    assert saved["revision_count"] == 1 and saved["actual"] is None
    read = ledgered.call("GET", f"/ledger/forecasts/{saved['id']}").json()
    assert read["revisions"][0]["answer"] == expected


def test_a_client_cannot_send_an_answer_nor_reuse_a_name(ledgered: Ledgered) -> None:
    body = {"slate": "S", "name": "F", "film": FILM, "answer": {"predicted_revenue": 1e12}}
    refused = ledgered.call("POST", "/ledger/forecasts", json=body)
    assert refused.status_code == 422
    assert [error["field"] for error in refused.json()["detail"]] == ["answer"]
    ledgered.save("F", slate="S")
    again = ledgered.call("POST", "/ledger/forecasts", json={"slate": "S", "name": "F", "film": FILM})
    assert again.status_code == 409 and "'F'" in again.json()["detail"]
    assert ledgered.rows()["forecasts"] == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "F", "film": FILM}, "slate"),
        ({"slate": " ", "name": "F", "film": FILM}, "slate"),
        ({"slate": "S", "name": "", "film": FILM}, "name"),
        ({"slate": "S", "name": "x" * 201, "film": FILM}, "name"),
        ({"slate": "S", "name": "F", "film": {**FILM, "budget": -1}}, "film.budget"),
        ({"slate": "S", "name": "F", "film": {**FILM, "release_date": "21/07/2017"}}, "film.release_date"),
        ({"slate": "S", "name": "F"}, "film"),
        ({"slate": 3, "name": "F", "film": FILM}, "slate"),
    ],
)
def test_a_malformed_save_is_a_422_naming_the_field_and_writes_nothing(
    ledgered: Ledgered, body: dict[str, Any], field: str
) -> None:
    response = ledgered.call("POST", "/ledger/forecasts", json=body)
    assert response.status_code == 422
    assert field in [error["field"] for error in response.json()["detail"]]
    assert ledgered.rows() == {"slates": 0, "forecasts": 0, "revisions": 0, "actual_results": 0}


def test_names_with_quotes_sql_and_markup_are_kept_as_typed(ledgered: Ledgered) -> None:
    for name in ODD_NAMES:
        ledgered.save(name, slate=name)
    for name in ODD_NAMES:
        page = ledgered.call("GET", "/ledger/forecasts", params={"slate": name}).json()
        assert [forecast["name"] for forecast in page["forecasts"]] == [name]
    assert sorted(slate["name"] for slate in ledgered.call("GET", "/ledger/slates").json()["slates"]) == sorted(
        ODD_NAMES
    )
    exported = ledgered.call("GET", "/ledger/export.csv", params={"slate": ODD_NAMES[1]}).text
    assert next(csv.DictReader(io.StringIO(exported)))["name"] == ODD_NAMES[1]


def test_a_slate_is_paged_and_filtered(ledgered: Ledgered) -> None:
    ids = [ledgered.save(f"Film {i}")["id"] for i in range(5)]
    ledgered.save("100% Pure", film={**FILM, "budget": 2e7})
    ledgered.save("Elsewhere", slate="Other")
    seen, after = [], 0
    while True:
        page = ledgered.call("GET", "/ledger/forecasts", params={"slate": "Summer", "limit": 2, "after": after}).json()
        assert page["total"] == 6
        seen += [forecast["id"] for forecast in page["forecasts"]]
        if page["next_after"] is None:
            break
        after = page["next_after"]
    assert seen[:5] == ids and len(seen) == 6
    percent = ledgered.call("GET", "/ledger/forecasts", params={"slate": "Summer", "name_contains": "0%"}).json()
    assert [forecast["name"] for forecast in percent["forecasts"]] == ["100% Pure"]
    ledgered.call(
        "PUT", f"/ledger/forecasts/{ids[2]}/actual", json={"revenue": 5e8, "known_on": "2017-09-01", "source": "x"}
    )
    known = ledgered.call("GET", "/ledger/forecasts", params={"slate": "Summer", "has_actual": True}).json()
    assert [forecast["id"] for forecast in known["forecasts"]] == [ids[2]]
    assert known["forecasts"][0]["actual"]["revenue"] == 5e8
    unknown = ledgered.call("GET", "/ledger/forecasts", params={"slate": "Summer", "has_actual": False}).json()
    assert unknown["total"] == 5
    missing = ledgered.call("GET", "/ledger/forecasts", params={"slate": "Nowhere"})
    assert missing.status_code == 404
    bad = ledgered.call("GET", "/ledger/forecasts", params={"slate": "Summer", "limit": 0})
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "query.limit"


def test_once_the_actual_result_is_in_the_forecast_is_final_and_the_track_record_scores_it(ledgered: Ledgered) -> None:
    """A re-forecast after the result is known would be made knowing the answer: 409, nothing written, the track
    record unchanged; a scenario (never the current forecast) is still kept."""
    saved = ledgered.save("Inception")
    actual = {"revenue": 8.3e8, "known_on": "2010-12-31", "source": "Box Office Mojo"}
    assert ledgered.call("PUT", f"/ledger/forecasts/{saved['id']}/actual", json=actual).status_code == 200
    before = ledgered.call("GET", "/ledger/track_record").json()
    for body in (None, {"film": {**FILM, "budget": FILM["budget"] * 2}}):
        refused = ledgered.call("POST", f"/ledger/forecasts/{saved['id']}/reforecast", json=body)
        assert refused.status_code == 409 and "scored knowing the answer" in refused.json()["detail"]
    scenario = ledgered.call(
        "POST", f"/ledger/forecasts/{saved['id']}/scenarios", json={"label": "later", "changes": {"runtime": 100}}
    )
    assert scenario.status_code == 201 and scenario.json()["current"]["number"] == 1
    read = ledgered.call("GET", f"/ledger/forecasts/{saved['id']}").json()
    assert [(r["number"], r["kind"]) for r in read["revisions"]] == [(1, "saved"), (2, "scenario")]
    assert ledgered.call("GET", "/ledger/track_record").json() == before


def test_reforecast_and_scenarios_add_revisions_and_keep_the_old_ones(ledgered: Ledgered) -> None:
    saved = ledgered.save("Inception")
    same = ledgered.call("POST", f"/ledger/forecasts/{saved['id']}/reforecast").json()
    assert same["revision_count"] == 2 and same["current"]["number"] == 2
    assert same["current"]["answer"] == saved["current"]["answer"]
    moved = {**FILM, "release_date": "2017-12-15"}
    changed = ledgered.call("POST", f"/ledger/forecasts/{saved['id']}/reforecast", json={"film": moved}).json()
    assert changed["current"]["film"]["release_date"] == "2017-12-15"
    assert changed["current"]["answer"] == ledgered.client.post("/predict/pre_release", json=moved).json()
    scenario = ledgered.call(
        "POST",
        f"/ledger/forecasts/{saved['id']}/scenarios",
        json={"label": "half the budget", "changes": {"budget": FILM["budget"] / 2}},
    )
    assert scenario.status_code == 201
    body = scenario.json()
    assert body["current"]["number"] == 3  # a scenario is kept beside the forecast, not in its place
    assert [(r["number"], r["kind"], r["label"]) for r in body["revisions"]] == [
        (1, "saved", None),
        (2, "reforecast", None),
        (3, "reforecast", None),
        (4, "scenario", "half the budget"),
    ]
    assert body["revisions"][3]["film"]["budget"] == FILM["budget"] / 2
    assert body["revisions"][0]["film"]["release_date"] == FILM["release_date"]
    bad = ledgered.call(
        "POST", f"/ledger/forecasts/{saved['id']}/scenarios", json={"label": "x", "changes": {"budget": "lots"}}
    )
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "changes.budget"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"revenue": -5, "known_on": "2017-09-01", "source": "x"}, "revenue"),
        ({"revenue": "a lot", "known_on": "2017-09-01", "source": "x"}, "revenue"),
        ({"revenue": 5e8, "known_on": "yesterday", "source": "x"}, "known_on"),
        ({"revenue": 5e8, "known_on": "2017-09-01"}, "source"),
        ({"revenue": 5e8, "known_on": "2017-09-01", "source": "x", "extra": 1}, "extra"),
    ],
)
def test_a_malformed_actual_result_is_a_422_naming_the_field(
    ledgered: Ledgered, body: dict[str, Any], field: str
) -> None:
    saved = ledgered.save("F")
    response = ledgered.call("PUT", f"/ledger/forecasts/{saved['id']}/actual", json=body)
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["detail"]] == [field]
    assert ledgered.rows()["actual_results"] == 0


def test_delete_is_recoverable(ledgered: Ledgered) -> None:
    kept, gone = ledgered.save("Kept")["id"], ledgered.save("Gone")["id"]
    assert ledgered.call("DELETE", f"/ledger/forecasts/{gone}").json()["deleted_at"] is not None
    live = ledgered.call("GET", "/ledger/forecasts", params={"slate": "Summer"}).json()
    assert [forecast["id"] for forecast in live["forecasts"]] == [kept]
    deleted = ledgered.call("GET", "/ledger/forecasts", params={"slate": "Summer", "deleted": True}).json()
    assert [forecast["id"] for forecast in deleted["forecasts"]] == [gone]
    assert ledgered.call("POST", f"/ledger/forecasts/{gone}/reforecast").status_code == 404
    assert ledgered.call("DELETE", f"/ledger/forecasts/{gone}").status_code == 404
    restored = ledgered.call("POST", f"/ledger/forecasts/{gone}/restore").json()
    assert restored["deleted_at"] is None and restored["revisions"][0]["number"] == 1
    assert ledgered.call("GET", "/ledger/forecasts", params={"slate": "Summer"}).json()["total"] == 2
    assert ledgered.call("POST", f"/ledger/forecasts/{kept}/restore").status_code == 404


def test_export_is_the_slates_live_forecasts_as_csv(ledgered: Ledgered) -> None:
    first = ledgered.save("First")
    second = ledgered.save("Second", film={**FILM, "budget": 9e7})
    deleted = ledgered.save("Deleted")["id"]
    ledgered.call("DELETE", f"/ledger/forecasts/{deleted}")
    ledgered.call(
        "PUT",
        f"/ledger/forecasts/{second['id']}/actual",
        json={"revenue": 3e8, "known_on": "2017-10-02", "source": "studio"},
    )
    response = ledgered.call("GET", "/ledger/export.csv", params={"slate": "Summer"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["name"] for row in rows] == ["First", "Second"]
    assert float(rows[0]["predicted_revenue"]) == first["current"]["answer"]["predicted_revenue"]
    assert rows[0]["cast"] == "|".join(FILM["cast"])
    assert rows[0]["actual_revenue"] == "" and float(rows[1]["actual_revenue"]) == 3e8
    assert rows[1]["actual_source"] == "studio" and float(rows[1]["budget"]) == 9e7
    assert ledgered.call("GET", "/ledger/export.csv", params={"slate": "Nowhere"}).status_code == 404
    assert ledgered.call("GET", "/ledger/export.csv").status_code == 422


def test_track_record_figures_are_those_of_the_saved_forecasts_and_results(ledgered: Ledgered) -> None:
    budgets = [2e7, 5e7, 1e8, 1.5e8, 2e8]
    revenues = [1e8, 3e7, 4e8, 2e8, 9e8]
    saved = [ledgered.save(f"F{i}", film={**FILM, "budget": budget}) for i, budget in enumerate(budgets)]
    for forecast, revenue in zip(saved, revenues, strict=True):
        ledgered.call(
            "PUT",
            f"/ledger/forecasts/{forecast['id']}/actual",
            json={"revenue": revenue, "known_on": "2017-12-01", "source": "s"},
        )
    ledgered.save("No result yet")
    record = ledgered.call("GET", "/ledger/track_record", token="read").json()
    answers = [forecast["current"]["answer"] for forecast in saved]
    predicted = np.array([answer["predicted_revenue"] for answer in answers])
    actual = np.array(revenues)
    p_hit = np.array([answer["hit_probability"] for answer in answers])
    hits = actual > 2 * np.array(budgets)
    overall = record["overall"]
    assert record["films"] == 5 and overall["films"] == 5
    assert overall["median_abs_pct_error"] == pytest.approx(
        np.median(np.abs(predicted - actual) / actual) * 100, abs=1e-5
    )
    low = np.array([answer["revenue_low"] for answer in answers])
    high = np.array([answer["revenue_high"] for answer in answers])
    assert overall["interval"]["covered"] == pytest.approx(((low <= actual) & (actual <= high)).mean(), abs=1e-6)
    assert overall["hit"]["brier"] == pytest.approx(np.mean((p_hit - hits) ** 2), abs=1e-6)
    assert overall["hit"]["constant_brier"] == pytest.approx(hits.mean() * (1 - hits.mean()), abs=1e-6)
    y, y_hat = np.log1p(actual), np.log1p(predicted)
    r2 = 1 - np.sum((y - y_hat) ** 2) / np.sum((y - y.mean()) ** 2)
    assert overall["log_revenue"]["r2"] == pytest.approx(r2, abs=1e-5)
    assert sum(band["films"] for band in overall["calibration"]) == 5
    assert [model["films"] for model in record["models"]] == [5]
    ledgered.call("DELETE", f"/ledger/forecasts/{saved[0]['id']}")
    assert ledgered.call("GET", "/ledger/track_record").json()["films"] == 4


# Every ledger endpoint, with a request that would succeed with a read-write token (forecast 1 exists).
REQUESTS: list[tuple[str, str, dict[str, Any]]] = [
    ("POST", "/ledger/forecasts", {"json": {"slate": "Summer", "name": "New", "film": FILM}}),
    ("GET", "/ledger/slates", {}),
    ("GET", "/ledger/forecasts", {"params": {"slate": "Summer"}}),
    ("GET", "/ledger/forecasts/{id}", {}),
    ("POST", "/ledger/forecasts/{id}/reforecast", {}),
    ("POST", "/ledger/forecasts/{id}/scenarios", {"json": {"label": "x", "changes": {}}}),
    ("PUT", "/ledger/forecasts/{id}/actual", {"json": {"revenue": 1e8, "known_on": "2017-09-01", "source": "x"}}),
    ("DELETE", "/ledger/forecasts/{id}", {}),
    ("POST", "/ledger/forecasts/{id}/restore", {}),
    ("GET", "/ledger/export.csv", {"params": {"slate": "Summer"}}),
    ("GET", "/ledger/track_record", {}),
]


def existing(ledgered: Ledgered, path: str) -> int:
    """A forecast the request in REQUESTS would succeed on (a deleted one, for a restore)."""
    forecast = ledgered.save("Existing")["id"]
    if path.endswith("/restore"):
        assert ledgered.call("DELETE", f"/ledger/forecasts/{forecast}").status_code == 200
    return forecast


def test_the_refusal_list_names_every_ledger_endpoint(ledgered: Ledgered) -> None:
    paths = ledgered.client.get("/openapi.json").json()["paths"]
    routes = {
        (method.upper(), path.replace("{forecast_id}", "{id}"))
        for path, operations in paths.items()
        if path.startswith("/ledger")
        for method in operations
    }
    assert routes == {(method, path) for method, path, _ in REQUESTS}


@pytest.mark.parametrize(("method", "path", "options"), REQUESTS)
def test_no_token_or_a_wrong_one_is_a_401_that_reads_and_writes_nothing(
    ledgered: Ledgered, method: str, path: str, options: dict[str, Any]
) -> None:
    forecast = existing(ledgered, path)
    here, elsewhere = path.format(id=forecast), path.format(id=forecast + 1000)
    before = ledgered.rows()
    json_header = {"Content-Type": "application/json"}
    answers = [
        ledgered.call(method, here, token=None, **options),
        ledgered.call(method, here, token="not-a-token", **options),
        ledgered.call(method, here, token=ledgered.write_token[:-1], **options),
        ledgered.client.request(method, here, headers={"Authorization": ledgered.write_token}, **options),
        ledgered.call(method, elsewhere, token=None, **options),  # nothing said about what exists
        ledgered.client.request(method, here, content=b"{not json", headers=json_header),
    ]
    for response in answers:
        assert response.status_code == 401, (response.status_code, response.text)
        assert response.json() == {"detail": "a valid ledger token is required (Authorization: Bearer <token>)"}
        assert response.headers["www-authenticate"] == "Bearer"
    assert ledgered.rows() == before


@pytest.mark.parametrize(("method", "path", "options"), REQUESTS)
def test_a_read_only_token_reads_and_cannot_write(
    ledgered: Ledgered, method: str, path: str, options: dict[str, Any]
) -> None:
    here = path.format(id=existing(ledgered, path))
    before = ledgered.rows()
    response = ledgered.call(method, here, token="read", **options)
    if method == "GET":
        assert response.status_code == 200
    else:
        assert response.status_code == 403 and response.json() == {"detail": "this token is read-only"}
        assert ledgered.rows() == before
    assert ledgered.call(method, here, **options).status_code in {200, 201}


def test_the_plain_forecast_endpoints_stay_open(ledgered: Ledgered) -> None:
    assert ledgered.client.post("/predict/pre_release", json=FILM).status_code == 200


def test_a_ledger_that_cannot_be_opened_leaves_the_forecasts_served(project: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    app = create_app(models_dir=project / "models", ledger_url=f"sqlite:///{blocked}/ledger.sqlite3")
    with TestClient(app) as client:
        assert client.post("/predict/pre_release", json=FILM).status_code == 200
        refused = client.get("/ledger/slates", headers={"Authorization": "Bearer x"})
        assert refused.status_code == 503 and refused.json()["detail"].startswith("the ledger is unavailable")
        assert refused.headers["retry-after"] == "5"


def test_a_database_at_an_unknown_revision_leaves_the_forecasts_served(project: Path, tmp_path: Path) -> None:
    """A ledger written by a newer version of the service (a revision this one lacks) is not opened, and
    /predict still answers."""
    url = f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
        connection.execute(text("INSERT INTO alembic_version VALUES ('9999_from_the_future')"))
    engine.dispose()
    with TestClient(create_app(models_dir=project / "models", ledger_url=url)) as client:
        assert client.post("/predict/pre_release", json=FILM).status_code == 200
        assert client.get("/ledger/slates", headers={"Authorization": "Bearer x"}).status_code == 503


def test_a_database_failing_after_start_is_a_503_to_retry_not_a_500(
    ledgered: Ledgered, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(*_: Any) -> None:
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    monkeypatch.setattr(ledgered.ledger, "slates", locked)
    response = ledgered.call("GET", "/ledger/slates")
    assert response.status_code == 503 and response.headers["retry-after"] == "5"
    assert "locked" not in response.text  # the client learns nothing of the database; the log has it


def test_ids_beyond_the_databases_integers_are_a_422_not_an_overflow(ledgered: Ledgered) -> None:
    for path in ("/ledger/forecasts/99999999999999999999", f"/ledger/forecasts/{2**31}"):
        response = ledgered.call("GET", path)
        assert response.status_code == 422, (path, response.text)
        assert response.json()["detail"][0]["field"] == "path.forecast_id"
    paged = ledgered.call("GET", "/ledger/forecasts", params={"slate": "Summer", "after": 2**40})
    assert paged.status_code == 422 and paged.json()["detail"][0]["field"] == "query.after"
    assert ledgered.call("DELETE", "/ledger/forecasts/0").status_code == 422


def test_a_saved_scenario_reads_marketing_as_the_scenarios_endpoint_does(ledgered: Ledgered) -> None:
    """A film saved with P&A in dollars, then a what-if giving P&A as a multiple: the multiple counts."""
    saved = ledgered.save("Marketing", film={**FILM, "p_and_a": 5e7})
    body = ledgered.call(
        "POST",
        f"/ledger/forecasts/{saved['id']}/scenarios",
        json={"label": "bigger campaign", "changes": {"p_and_a_multiple": 2.0}},
    ).json()
    film = body["revisions"][-1]["film"]
    assert film["p_and_a"] is None and film["p_and_a_multiple"] == 2.0
    expected = ledgered.client.post("/predict/pre_release", json={**FILM, "p_and_a_multiple": 2.0}).json()
    assert body["revisions"][-1]["answer"] == expected
    assert body["revisions"][-1]["answer"] != saved["current"]["answer"]


def test_export_writes_a_typed_formula_as_text(ledgered: Ledgered) -> None:
    """A name a spreadsheet would run (=HYPERLINK...) is exported with a leading apostrophe, as on the page."""
    ledgered.save('=HYPERLINK("http://x")', slate="+Formula")
    response = ledgered.call("GET", "/ledger/export.csv", params={"slate": "+Formula"})
    [row] = list(csv.DictReader(io.StringIO(response.text)))
    assert row["name"] == '\'=HYPERLINK("http://x")' and row["slate"] == "'+Formula"


def test_a_ledger_whose_database_comes_later_is_opened_then(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """The database may start after the service (compose without a healthy-dependency wait): once it
    is up, the ledger opens without a restart, and prints its first token then."""
    monkeypatch.setattr(ledger_access, "RETRY_SECONDS", 0.05)
    folder = tmp_path / "ledger"
    folder.write_text("not a folder yet")
    app = create_app(models_dir=project / "models", ledger_url=f"sqlite:///{folder}/ledger.sqlite3")
    with TestClient(app) as client:
        assert client.get("/ledger/slates", headers={"Authorization": "Bearer x"}).status_code == 503
        assert "#token=" not in capfd.readouterr().err
        folder.unlink()
        folder.mkdir()
        deadline = time.monotonic() + 30
        while app.state.ledger is None and time.monotonic() < deadline:
            time.sleep(0.05)
        token = re.search(r"#token=([\w-]+)", capfd.readouterr().err)
        assert token is not None
        slates = client.get("/ledger/slates", headers={"Authorization": f"Bearer {token[1]}"})
        assert (slates.status_code, slates.json()) == (200, {"slates": []})


def test_make_engine_reaches_the_same_rows_twice(database_url: str) -> None:
    """Two engines on one database (two service processes) see each other's saves."""
    first, second = make_engine(database_url), make_engine(database_url)
    upgrade(first)
    with Ledger(first).session.begin() as session:
        session.add(Slate(name="shared"))
    assert Ledger(second).slates()[0]["name"] == "shared"
    first.dispose()
    second.dispose()


def test_an_oversize_body_without_a_length_is_a_413_on_a_ledger_endpoint(ledgered: Ledgered) -> None:
    """Sent in chunks (no Content-Length) past the ledger's largest request: refused as too large, not as a
    body that could not be parsed, and nothing is stored."""
    chunks = (b" " * 2**16 for _ in range(LARGEST_REQUEST // 2**16 + 2))
    response = ledgered.call("POST", "/ledger/forecasts", content=chunks)
    assert response.status_code == 413, response.text
    assert f"({LARGEST_REQUEST} bytes)" in response.json()["detail"]
    assert ledgered.rows()["forecasts"] == 0


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"slate": "Sum\x00mer", "name": "F", "film": FILM}, "slate"),
        ({"slate": "Summer", "name": "F\x00", "film": FILM}, "name"),
        ({"slate": "Summer", "name": "F", "film": {**FILM, "title": "In\x00ception"}}, "film.title"),
        ({"slate": "Summer", "name": "F", "film": {**FILM, "directors": ["Nolan\x00"]}}, "film.directors[0]"),
    ],
)
def test_a_nul_character_is_a_422_naming_the_field_on_either_database(
    ledgered: Ledgered, body: dict[str, Any], field: str
) -> None:
    """PostgreSQL's text cannot hold a NUL: refused up front as a 422, never a 500 from the database."""
    response = ledgered.call("POST", "/ledger/forecasts", json=body)
    assert response.status_code == 422, response.text
    [error] = response.json()["detail"]
    assert error["field"] == field and "NUL" in error["message"], error
    assert ledgered.rows()["forecasts"] == 0
