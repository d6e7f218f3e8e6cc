"""make's set-up check: a virtual environment with every pin installed is accepted as it is."""

from __future__ import annotations

from pathlib import Path

from boxoffice.checks.installed import main, missing, pins
from tests.conftest import ROOT


def test_pins_reads_exact_pins_only() -> None:
    text = "# a comment\n-e .\nnumpy==2.1.0  # why\nuvicorn[standard]==0.30.0\nrich>=13\n"
    assert pins(text) == {"numpy": "2.1.0", "uvicorn": "0.30.0"}


def test_a_wrong_or_missing_pin_is_named() -> None:
    assert missing({"pytest": "0.0.1", "no-such-package-here": "1.0"}) == [
        f"pytest==0.0.1 (installed: {__import__('pytest').__version__})",
        "no-such-package-here==1.0 (installed: none)",
    ]


def test_the_test_environment_has_every_pin_of_requirements_txt(tmp_path: Path) -> None:
    """The tests run in the environment the README's set-up made: make must accept it without reinstalling."""
    assert main([str(ROOT / "requirements.txt")]) == 0
    wrong = tmp_path / "requirements.txt"
    wrong.write_text("pytest==0.0.1\n")
    assert main([str(wrong)]) == 1
