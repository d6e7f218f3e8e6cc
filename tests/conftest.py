"""Shared fixtures: tiny frames and a tiny project built here, and one real pipeline run in a temporary copy.

Tests that use the ``pipeline`` fixture (a cold run on the real data) are marked ``pipeline``
automatically, so ``pytest -m "not pipeline"`` is the fast tier. When any test of the session needs
it, the cold run starts in the background before the first test and the pipeline tests run last:
the fast tier runs while it computes. The experiments of the tests marked ``ahead`` start, each in
its own copy of that run, as soon as it is committed (``harness.ahead``); those tests run last.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import pytest

from harness import containers
from harness.ahead import Experiment, Outcome, RunsAhead
from harness.cold_run import ColdRun
from harness.workspace import ROOT, commit, copy_project, run, start_server
from tests import tiny
from tests.reads import StageReads

__all__ = ["ROOT", "run"]

HEADER = (
    "budget,genres,homepage,id,keywords,original_language,original_title,overview,popularity,"
    "production_companies,production_countries,release_date,revenue,runtime,spoken_languages,"
    "status,tagline,title,vote_average,vote_count"
)
GENRES = '"[{""id"": 28, ""name"": ""Action""}]"'


def raw_row(**overrides: object) -> str:
    """One line of a TMDB-shaped CSV; keyword arguments replace fields (already CSV-quoted)."""
    fields = {
        "budget": "1000000",
        "genres": GENRES,
        "homepage": "",
        "id": "1",
        "keywords": "[]",
        "original_language": "en",
        "original_title": "A Film",
        "overview": "Plot.",
        "popularity": "10.5",
        "production_companies": "[]",
        "production_countries": "[]",
        "release_date": "2001-05-04",
        "revenue": "5000000",
        "runtime": "100",
        "spoken_languages": "[]",
        "status": "Released",
        "tagline": "",
        "title": "A Film",
        "vote_average": "6.5",
        "vote_count": "100",
    }
    fields.update({key: str(value) for key, value in overrides.items()})
    return ",".join(fields[name] for name in HEADER.split(","))


@pytest.fixture
def write_raw(tmp_path: Path) -> Callable[..., Path]:
    """Write a raw CSV from rows (dicts of overrides) and return its path."""

    def write(rows: list[dict], name: str = "raw.csv", header: str = HEADER) -> Path:
        path = tmp_path / name
        path.write_text("\n".join([header, *(raw_row(**row) for row in rows)]) + "\n", encoding="utf-8")
        return path

    return write


def chromium() -> str | None:
    """The Chromium the browser tests drive: $BOXOFFICE_CHROMIUM, else the first on PATH."""
    if os.environ.get("BOXOFFICE_CHROMIUM"):
        return os.environ["BOXOFFICE_CHROMIUM"]
    names = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
    return next((found for found in map(shutil.which, names) if found), None)


NO_CHROMIUM_FOUND = (
    "no Chromium found; install one with `sudo apt-get install chromium` (or set BOXOFFICE_CHROMIUM to its path)"
)
NO_CHROMIUM = f"browser tests (-m browser) not run: {NO_CHROMIUM_FOUND}"
# .ci/run starts the tests while apt-get still installs Chromium and PostgreSQL, and names this file: it appears
# once apt-get has ended, empty, or holding what failed. The tests that need the packages run last in their tier
# when the file is not there yet at collection, and wait for it.
PACKAGES_FLAG = "BOXOFFICE_PACKAGES_FLAG"
PACKAGES_TIMEOUT = 900.0  # seconds, for the whole session: after it, every test that needs the packages fails at once
_waited = {"seconds": 0.0}


def packages_pending() -> bool:
    """Debian's packages are still being installed beside this session ($BOXOFFICE_PACKAGES_FLAG not there yet)."""
    flag = os.environ.get(PACKAGES_FLAG)
    return bool(flag) and not Path(flag).exists()


def packages_problem() -> str:
    """What .ci/run's apt-get wrote in the file when it failed (what it was installing, the end of its output)."""
    flag = os.environ.get(PACKAGES_FLAG)
    written = Path(flag).read_text(errors="replace").strip() if flag and Path(flag).is_file() else ""
    return f"; apt-get failed in .ci/run ({written})" if written else ""


def wait_for_packages() -> None:
    """Return once Debian's packages are installed (at once outside .ci/run); fail the test when the session has
    waited PACKAGES_TIMEOUT in all."""
    while packages_pending():
        if _waited["seconds"] >= PACKAGES_TIMEOUT:
            pytest.fail(f"Debian's packages were still being installed after {PACKAGES_TIMEOUT:g} s", pytrace=False)
        time.sleep(1)
        _waited["seconds"] += 1


def installed_chromium() -> str:
    """The Chromium to launch, once Debian's packages are in; the test fails, saying how to get one, without."""
    wait_for_packages()
    found = chromium()
    if found is None:
        pytest.fail(NO_CHROMIUM_FOUND + packages_problem(), pytrace=False)
    return found


def needs_packages(item: pytest.Item) -> bool:
    """A browser test, or a test on the ledger's PostgreSQL backend (its database fixture's parameter)."""
    params = getattr(item, "callspec", None)
    backends = params.params.values() if params else ()
    return item.get_closest_marker("browser") is not None or "postgresql" in backends


CONTAINERS_NOT_ASKED = (
    "container tests not run: they build the image with podman and need the pipeline's models; "
    "run `pytest -m container` after `dvc repro`"
)
_not_run: list[str] = []


def leave_out(config: pytest.Config, items: list[pytest.Item], marker: str, why: str) -> None:
    """Deselect the tests marked ``marker`` and say why in the run's summary."""
    config.hook.pytest_deselected(items=[item for item in items if item.get_closest_marker(marker)])
    items[:] = [item for item in items if not item.get_closest_marker(marker)]
    _not_run.append(why)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if needs_pipeline(item):
            item.add_marker(pytest.mark.pipeline)
    pending = packages_pending()  # then Chromium may not be there yet: installed_chromium() waits and checks
    browser = [item for item in items if item.get_closest_marker("browser")]
    if browser and not pending and chromium() is None:
        if os.environ.get("BOXOFFICE_REQUIRE_BROWSER") == "1":  # .ci/run: CI must run them
            raise pytest.UsageError(f"{NO_CHROMIUM}, and BOXOFFICE_REQUIRE_BROWSER=1 requires them")
        leave_out(config, items, "browser", NO_CHROMIUM)
    select_containers(config, items)
    items.sort(key=lambda item: (tier(item), pending and needs_packages(item)))


def needs_pipeline(item: pytest.Item) -> bool:
    """The test uses the real pipeline's cold run: through the ``pipeline`` fixture or an experiment (``ahead``)."""
    return "pipeline" in getattr(item, "fixturenames", ()) or item.get_closest_marker("ahead") is not None


def tier(item: pytest.Item) -> int:
    """Run order: the fast tier, the other pipeline-marked tests, those of the real pipeline, then those
    that wait for an experiment started ahead (``ahead``).

    Until the real pipeline's tests, the tests run while their cold run (``baseline``) computes; until
    the last tier, while the experiments do. The sort is stable: within a tier, tests keep their order.
    """
    if item.get_closest_marker("ahead"):
        return 3
    if "pipeline" in getattr(item, "fixturenames", ()):
        return 2
    return 1 if item.get_closest_marker("pipeline") else 0


def select_containers(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Container tests run only when ``-m`` names them; then podman must answer.

    Plain ``pytest`` (the README's test command) leaves them out: they take minutes and need
    the pipeline's models, which the image copies. Where podman is missing or broken they are
    left out with one line, or, with BOXOFFICE_REQUIRE_CONTAINERS=1 (.ci/run), the run fails.
    """
    if not any(item.get_closest_marker("container") for item in items):
        return
    if not re.search(r"(?<!not )\bcontainer\b", config.option.markexpr or ""):
        leave_out(config, items, "container", CONTAINERS_NOT_ASKED)
    elif problem := containers.problem():
        why = f"container tests (-m container) not run: {problem}; {containers.INSTALL_HINT}"
        if os.environ.get("BOXOFFICE_REQUIRE_CONTAINERS") == "1":  # .ci/run: CI must run them
            raise pytest.UsageError(f"{why}, and BOXOFFICE_REQUIRE_CONTAINERS=1 requires them")
        leave_out(config, items, "container", why)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for line in _not_run:
        terminalreporter.write_line(line, yellow=True)


@pytest.fixture(scope="session", autouse=True)
def ledger_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every service a test starts (in-process or under uvicorn) keeps its ledger in a temporary folder."""
    os.environ["BOXOFFICE_LEDGER_DIR"] = str(tmp_path_factory.mktemp("ledger"))


@pytest.fixture(scope="session")
def tiny_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, StageReads]]:
    """The tiny project's folder, and what each of its stages read on the way (by stage name)."""
    reads: dict[str, StageReads] = {}
    return tiny.build(tmp_path_factory.mktemp("tiny"), reads), reads


@pytest.fixture(scope="session")
def project(tiny_build: tuple[Path, dict[str, StageReads]]) -> Path:
    """The tiny project: synthetic films through every real stage script, tiny models (a few seconds)."""
    return tiny_build[0]


@pytest.fixture(scope="session")
def stage_reads(tiny_build: tuple[Path, dict[str, StageReads]]) -> dict[str, StageReads]:
    """Stage name (``train-regressors@xgboost``) -> the params and files it read in the tiny build."""
    return tiny_build[1]


class Baseline(NamedTuple):
    """The real pipeline's cold run, committed, and the ``ahead`` tests' experiments started in copies of it."""

    project: Path
    runs: RunsAhead


@pytest.fixture(scope="session", autouse=True)
def baseline(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Future[Baseline]]:
    """The ``pipeline`` fixture's cold run, started as the session starts when any of its tests needs it.

    As soon as it ends, a thread commits it, shares it (``share_runs``) and starts the experiments of
    the session's ``ahead`` tests: all while the fast tier runs, whose waits leave a core idle.
    """
    items = request.session.items
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="baseline") as settling:
        if not any(map(needs_pipeline, items)):
            yield settling.submit(needs_no_pipeline)
            return
        cold = ColdRun(copy_project(tmp_path_factory.mktemp("project"), clean_outputs=True))
        marks = [mark for item in items for mark in item.iter_markers("ahead")]
        experiments = list(dict.fromkeys(mark.kwargs["experiment"] for mark in marks))
        settled = settling.submit(settle, cold, tmp_path_factory.mktemp("ahead"), experiments)
        yield settled
        cold.stop()  # a session stopped early: the run, if it is still going
        if settled.exception() is None:
            settled.result().runs.stop()


def needs_no_pipeline() -> Baseline:
    raise pytest.UsageError("no collected test asked for the `pipeline` fixture, so its cold run was not started")


def settle(cold: ColdRun, folder: Path, experiments: list[Experiment]) -> Baseline:
    """Wait for the cold run, commit it, share it when .ci/run asks, and start the experiments."""
    project = cold.wait()
    commit(project, "baseline run")
    if os.environ.get("BOXOFFICE_SHARE_RUNS") == "1":
        share_runs(project)
    return Baseline(project, RunsAhead(project, folder, experiments))


@pytest.fixture(scope="session")
def pipeline(baseline: Future[Baseline]) -> Path:
    """A temporary copy of the project after a cold ``dvc repro --pull`` on the real data (``ColdRun``), committed.

    The run began in the background as the session started; this waits for it.
    """
    return baseline.result().project


@pytest.fixture
def ahead(baseline: Future[Baseline], request: pytest.FixtureRequest) -> Outcome:
    """The test's experiment (``@pytest.mark.ahead(experiment=function)``), waited for: its copy and its result."""
    marker = request.node.get_closest_marker("ahead")
    if marker is None:
        raise pytest.UsageError(f"{request.node.nodeid} uses `ahead` without @pytest.mark.ahead(experiment=...)")
    return baseline.result().runs.outcome(marker.kwargs["experiment"])


def share_runs(project: Path) -> None:
    """Push the copy's cold run (outputs and run-cache) into this checkout's DVC cache.

    .ci/run sets BOXOFFICE_SHARE_RUNS=1: its own `dvc repro --pull` then restores what this run
    computed (the same code, params and data) instead of computing it again. Only this baseline
    run is shared, never the tests' experiments. With BOXOFFICE_SHARED_FLAG (a path), the file is
    written once the push is done: .ci/run's repro and container steps start then, beside the
    experiment tests that follow.
    """
    run(["dvc", "remote", "add", "--local", "checkout-cache", str(ROOT / ".dvc" / "cache")], project)
    run(["dvc", "push", "--run-cache", "-r", "checkout-cache"], project)
    shared = os.environ.get("BOXOFFICE_SHARED_FLAG")
    if shared:  # .ci/run waits for this file to start its own repro, the images and their tests meanwhile
        Path(shared).write_text("shared\n", encoding="utf-8")


def read_metrics(project: Path, name: str) -> dict:
    return json.loads((project / "metrics" / f"{name}.json").read_text())


@pytest.fixture(scope="session")
def server(project: Path):
    """The seed's start command, `uvicorn main:app`, on a free loopback port (tiny models); yields its URL."""
    process, port = start_server("main:app", cwd=project, ready_path="/health", timeout=120)
    url = f"http://127.0.0.1:{port}"
    yield url
    process.terminate()
    process.wait(timeout=10)
