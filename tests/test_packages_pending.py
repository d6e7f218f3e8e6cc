"""The tests that need Debian's packages wait for .ci/run's apt-get, which runs beside the session's start."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from tests import conftest


@pytest.fixture
def flag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The file .ci/run touches once apt-get has finished; not there yet."""
    path = tmp_path / "packages-installed"
    monkeypatch.setenv(conftest.PACKAGES_FLAG, str(path))
    return path


def test_a_wait_ends_when_apt_get_does(flag: Path) -> None:
    assert conftest.packages_pending()
    timer = threading.Timer(0.5, flag.touch)
    started = time.monotonic()
    timer.start()
    conftest.wait_for_packages()
    assert time.monotonic() - started >= 0.5
    assert not conftest.packages_pending()


def test_an_install_that_never_ends_fails_the_tests_and_says_so_waiting_once(
    flag: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(conftest, "PACKAGES_TIMEOUT", 2.0)
    monkeypatch.setitem(conftest._waited, "seconds", 0.0)
    started = time.monotonic()
    for _ in range(3):  # three modules' browsers: the session waits once, the later ones fail at once
        with pytest.raises(pytest.fail.Exception, match=r"Debian.s packages were still being installed after 2 s"):
            conftest.wait_for_packages()
    assert time.monotonic() - started < 4


def test_a_failed_install_is_said_by_the_tests_that_needed_it(flag: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    flag.write_text("installing chromium postgresql\nE: Unable to locate package chromium\n")
    monkeypatch.setenv("BOXOFFICE_CHROMIUM", "")
    monkeypatch.setattr(conftest.shutil, "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception) as failure:
        conftest.installed_chromium()
    assert "no Chromium found" in str(failure.value)
    assert "apt-get failed in .ci/run (installing chromium postgresql\nE: Unable to locate" in str(failure.value)


def test_an_install_that_went_well_adds_nothing(flag: Path) -> None:
    flag.touch()
    assert conftest.packages_problem() == ""


def test_outside_ci_nothing_is_pending(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(conftest.PACKAGES_FLAG, raising=False)
    assert not conftest.packages_pending()


def item(markers: tuple[str, ...] = (), **params: Any) -> Any:
    """Enough of a collected test for ``needs_packages``: its markers and its parameters."""
    found = {name: getattr(pytest.mark, name).mark for name in markers}
    return SimpleNamespace(get_closest_marker=found.get, callspec=SimpleNamespace(params=params))


def test_browser_and_postgresql_tests_need_the_packages_and_sqlite_ones_do_not() -> None:
    assert conftest.needs_packages(item(("browser",)))
    assert conftest.needs_packages(item(database_url="postgresql"))
    assert conftest.needs_packages(item(module_database_url="postgresql"))
    assert not conftest.needs_packages(item(database_url="sqlite"))
    assert not conftest.needs_packages(SimpleNamespace(get_closest_marker=lambda name: None))  # no parameters
