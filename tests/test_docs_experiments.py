"""The experiment loop of docs/experiments.md, run exactly as written on a copy of the project.

Each fenced block marked ``<!-- tested: NAME -->`` is read from the page and its lines run
in order with bash, in a copy of the ``pipeline`` fixture's run (after a cold run, committed): try
an experiment and compare it (started ahead, ``harness.ahead``), go back to the baseline, then
apply and commit it. The README's quick start points at the same commands.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from harness.ahead import Outcome
from harness.workspace import BIN
from tests.conftest import ROOT, run

pytestmark = pytest.mark.pipeline

PAGE = ROOT / "docs" / "experiments.md"
MARKED = re.compile(r"<!-- tested: (\w+) -->\n```bash\n(.*?)\n```", re.DOTALL)
# make's own virtual environment is this one; git needs an author for the documented commit.
ENV = {
    "VENV": str(BIN.parent),
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@localhost",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@localhost",
}


def marked_blocks(page: Path) -> dict[str, list[str]]:
    """Marked block name -> its command lines, as the page shows them."""
    return {name: body.splitlines() for name, body in MARKED.findall(page.read_text(encoding="utf-8"))}


def run_block(lines: list[str], project: Path) -> list[str]:
    return [run(["bash", "-c", line], project, env=ENV).stdout for line in lines]


def experiment_name(lines: list[str]) -> str:
    return next(found[1] for line in lines if (found := re.search(r"dvc exp run -n (\S+)", line)))


def test_the_page_marks_the_whole_loop() -> None:
    assert list(marked_blocks(PAGE)) == ["try", "keep", "back"]


def test_the_readme_quick_start_is_the_tested_block() -> None:
    """The README's experiment commands are the page's tested ones, so the test below runs them as written."""
    assert marked_blocks(ROOT / "README.md") == {"try": marked_blocks(PAGE)["try"]}


def try_block(project: Path) -> list[str]:
    """The page's "try" block, run as written: each line's output."""
    return run_block(marked_blocks(PAGE)["try"], project)


@pytest.mark.ahead(experiment=try_block)
def test_the_documented_loop_runs_as_written(ahead: Outcome) -> None:
    blocks, project, outputs = marked_blocks(PAGE), ahead.project, ahead.value
    name = experiment_name(blocks["try"])
    baseline = run(["git", "rev-parse", "HEAD"], project).stdout.strip()
    assert any(line.startswith(name) for line in outputs[1].splitlines()), outputs[1]  # make exp-show lists it
    assert "metrics gate:" in outputs[2]

    run_block(blocks["back"], project)
    assert run(["git", "status", "--porcelain", "--untracked-files=no"], project).stdout == ""
    assert json.loads(run(["dvc", "status", "--json"], project).stdout) == {}

    run_block(blocks["keep"], project)
    assert run(["git", "rev-parse", "HEAD~1"], project).stdout.strip() == baseline
    changed = run(["git", "diff", "--name-only", "HEAD~1", "HEAD", "--", "params.yaml"], project).stdout
    assert changed.strip() == "params.yaml"
    diff = run(["git", "diff", "-U0", "HEAD~1", "HEAD", "--", "params.yaml"], project).stdout
    assert [line[:1] for line in diff.splitlines()[4:] if line[:1] in "+-"] == ["-", "+"]  # one line changed
    # The committed experiment is what CI's lock check and a fresh `dvc status` expect.
    assert run(["python", "-m", "boxoffice.checks.reproduce", "lock"], project, check=False).returncode == 0
    assert json.loads(run(["dvc", "status", "--json"], project).stdout) == {}
