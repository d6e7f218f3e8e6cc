"""The prose check: hand-typed timings and commit hashes are found and named; ordinary numbers are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from boxoffice.checks import prose

ROOT = Path(__file__).resolve().parents[2]


def kinds(text: str) -> list[tuple[str, str]]:
    return [(kind, match) for _, kind, match in prose.scan_text(text)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("the cold run took 70.2 s on 2 cores", "70.2 s"),
        ("about 35 us a request", "35 us"),
        ("a p50 of 2.35 ms", "2.35 ms"),
        ("the grid takes about 44 minutes", "44 minutes"),
        ("4,706 req/s at 16 connections", "4,706 req/s"),
        ("206,838 movies/s", "206,838 movies/s"),
        ("two threads are 1.5x faster", "1.5x faster"),
        ("it ran in 3.5s", "3.5s"),
        ("2 workers served 1.8x the requests of one", "1.8x the requests"),
    ],
)
def test_a_timing_is_found(text: str, found: str) -> None:
    assert kinds(text) == [("timing", found)]


@pytest.mark.parametrize("text", ["as measured at 7a345cd", "commit 59c4e3d8a1f0b2c3d4e5f60718293a4b5c6d7e8f"])
def test_a_commit_hash_is_found(text: str) -> None:
    assert [kind for kind, _ in kinds(text)] == ["commit hash"]


@pytest.mark.parametrize(
    "text",
    [
        "the 80% interval covered 81.0% of the test films",
        "a 2x budget is a hit",
        "5-fold CV, 5 folds x 2 repeats",
        "films of the 1990s and 2010s",
        "budget bands split at $10, 40, 100M",
        "a facade of decaf coffee",  # words of hex letters only
        "10,000 movies in one batch; 3228 films kept",
        "python3 -m venv .venv; featurize.hit_multiple=3",
    ],
)
def test_ordinary_numbers_pass(text: str) -> None:
    assert kinds(text) == []


def test_python_prose_is_comments_and_docstrings_only() -> None:
    source = (
        '"""Module: about 36 us a film."""\n'
        "TIMEOUT = '5 s'  # waits 7 s\n"
        "def f():\n"
        '    """Measured at 7630c02."""\n'
        "    return '12 ms'\n"
    )
    pieces = prose.python_prose(source)
    found = {(line, kind) for first, text in pieces for line, kind, _ in prose.scan_text(text, first)}
    assert found == {(1, "timing"), (2, "timing"), (4, "commit hash")}  # not the strings in code


def test_the_check_names_file_and_line_and_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "page.md").write_text("# A page\n\nThe 80% interval.\n\nIt took 12.5 s at 3f4f735.\n")
    (tmp_path / "params.yaml").write_text("a: 1  # 5-fold\nb: 2  # about 20 us\n")
    (tmp_path / "bench").mkdir()
    (tmp_path / "bench" / "x.py").write_text('"""A bench."""\nN = 3  # three repeats\n')

    assert prose.main(["--root", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "docs/page.md:5: timing '12.5 s'" in out
    assert "docs/page.md:5: commit hash '3f4f735'" in out
    assert "params.yaml:2: timing '20 us'" in out
    assert "bench/x.py" not in out and "docs/page.md:3" not in out


def test_the_comments_of_deployment_build_and_page_files_are_read(tmp_path: Path) -> None:
    """A figure typed in a compose file, a Makefile, an nginx config or the page's JS goes as stale as one in the
    docs; their code (a ``fail_timeout=10s`` setting, a JS number) is not prose."""
    (tmp_path / "docker-compose.yml").write_text("# 2 workers served 1.8x the requests\nx: 1\n")
    (tmp_path / "Makefile").write_text("load:  ## took 61 s here\n\tpython x.py\n")
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / "nginx.conf").write_text("server a max_fails=1 fail_timeout=10s;\n# about 3 ms a hop\n")
    static = tmp_path / "boxoffice" / "serving" / "static"
    static.mkdir(parents=True)
    (static / "page.js").write_text("const wait = 300; // drawn in 12 ms\n/* the sweep:\n   40 ms */\n")
    found = {(f.path, f.line, f.text) for path in prose.prose_files(tmp_path) for f in prose.scan_file(path, tmp_path)}
    assert found == {
        ("docker-compose.yml", 1, "1.8x the requests"),
        ("Makefile", 1, "61 s"),
        ("deploy/nginx.conf", 2, "3 ms"),
        ("boxoffice/serving/static/page.js", 1, "12 ms"),
        ("boxoffice/serving/static/page.js", 3, "40 ms"),
    }


def test_a_generated_file_is_not_read_as_prose(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "benchmarks.md").write_text("| cold dvc repro | 70.2 s |\n")
    assert prose.main(["--root", str(tmp_path)]) == 0


def test_the_project_holds_no_hand_typed_timing_or_hash(capsys: pytest.CaptureFixture[str]) -> None:
    assert prose.main(["--root", str(ROOT)]) == 0, capsys.readouterr().out
