"""The printed ledger link points where the service is: the port it was started on, or BOXOFFICE_PUBLIC_URL."""

from __future__ import annotations

import pytest

from boxoffice.ledger.__main__ import main
from boxoffice.ledger.links import PUBLIC_URL, public_base


def test_the_base_is_the_public_url_else_the_host_and_port_listened_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PUBLIC_URL, raising=False)
    assert public_base("127.0.0.1", 9123) == "http://127.0.0.1:9123"
    assert public_base("0.0.0.0", 8080) == "http://127.0.0.1:8080"  # every interface: reached here at loopback
    assert public_base("::1", 8080) == "http://[::1]:8080"
    assert public_base() == "http://127.0.0.1:8000"  # uvicorn's defaults
    monkeypatch.setenv(PUBLIC_URL, "https://ledger.example.com/ ")
    assert public_base("0.0.0.0", 8080) == "https://ledger.example.com"


def test_token_create_prints_the_page_link_with_the_token(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOXOFFICE_LEDGER_URL", database_url)
    monkeypatch.delenv(PUBLIC_URL, raising=False)
    assert main(["token", "create", "--port", "9123"]) == 0
    printed = capsys.readouterr()
    token = printed.out.strip()  # alone on standard output, for scripts
    assert f"http://127.0.0.1:9123/ledger#token={token}" in printed.err
    monkeypatch.setenv(PUBLIC_URL, "https://ledger.example.com")
    assert main(["token", "create", "--read-only"]) == 0
    printed = capsys.readouterr()
    assert f"https://ledger.example.com/ledger#token={printed.out.strip()}" in printed.err
    assert "read-only" in printed.err
