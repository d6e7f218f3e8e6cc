"""No hand-typed timing or commit hash in the prose: figures come from benchmark results, or are left out.

A timing typed into the README, a docs page, a docstring, a comment or ``params.yaml`` goes
stale the day the code or the machine changes, and a commit hash in prose is a measurement's
date in disguise. This check finds both and names file and line; CI runs it.

Usage: python -m boxoffice.checks.prose [--root .]
"""

from __future__ import annotations

import argparse
import ast
import io
import re
import sys
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

NUMBER = r"(?<![\w.])\d[\d,]*(?:\.\d+)?"
TIMING = re.compile(
    # a duration: a number, then a unit of time (a bare "s" needs a space or a decimal point: "1990s" is a decade)
    rf"{NUMBER}\s*(?:ms|us|µs|μs|ns|msec|mins?|minutes?|seconds?|secs?|hours?)\b"
    rf"|{NUMBER}\s+s\b|(?<![\w.])\d[\d,]*\.\d+s\b"
    # a rate (requests, films, movies, rows or batches per second) or a speed-up (N x or N times faster)
    rf"|{NUMBER}\s*(?:req|requests|films|movies|rows|batches)/s\b"
    rf"|{NUMBER}\s*(?:x|times)\s+(?:faster|slower|quicker)\b"
    rf"|{NUMBER}\s*(?:x|times)\s+(?:the\s+|as\s+many\s+)?(?:requests|throughput)\b",
    re.IGNORECASE,
)
# 7 to 40 hex digits with at least one digit and one letter: a (short) commit hash, not a word or a number
# (nor the digits after a decimal point, as in 1.2345678901234567e+308)
COMMIT = re.compile(r"(?<![\w.-])(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,40}(?![\w-])")

# Files written by programs, whose figures are generated from results (not read as prose).
GENERATED = frozenset({"docs/benchmarks.md"})
# Files this check may not yet hold to the rule (each one a known debt, reported but not failed).
KNOWN_EXCEPTIONS: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    kind: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.kind} {self.text!r}"


def scan_text(text: str, first_line: int = 1) -> Iterator[tuple[int, str, str]]:
    """(line number, kind, matched text) for each timing or commit hash in ``text``."""
    for offset, line in enumerate(text.splitlines()):
        for kind, pattern in (("timing", TIMING), ("commit hash", COMMIT)):
            for match in pattern.finditer(line):
                yield first_line + offset, kind, match.group(0)


def python_prose(source: str) -> Iterator[tuple[int, str]]:
    """(first line, text) of each comment and docstring of a Python module; code and other strings are not prose."""
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            yield token.start[0], token.string
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            docstring = ast.get_docstring(node, clean=False)
            if docstring is not None:
                yield node.body[0].lineno, docstring


def hash_comments(text: str) -> Iterator[tuple[int, str]]:
    """(line, comment) of each ``#`` comment: YAML, shell, Makefile, Dockerfile, nginx (a ``#`` inside a
    quoted value is rare here)."""
    for number, line in enumerate(text.splitlines(), 1):
        if "#" in line:
            yield number, line[line.index("#") :]


def slash_comments(text: str) -> Iterator[tuple[int, str]]:
    """(line, comment) of each ``//`` comment and each line of a ``/* */`` or ``<!-- -->`` block of the page's
    files (a URL's ``//`` is read too, harmlessly: it holds no timing)."""
    inside = False
    for number, line in enumerate(text.splitlines(), 1):
        if inside or "/*" in line or "<!--" in line:
            yield number, line
            inside = not ("*/" in line or "-->" in line) and (inside or "/*" in line or "<!--" in line)
        elif "//" in line:
            yield number, line[line.index("//") :]


HASH_COMMENTED = ("params.yaml", "gates.yaml", "dvc.yaml", "docker-compose.yml", "Dockerfile", "Makefile", ".ci/run")
PAGE_SUFFIXES = (".js", ".css", ".html")


def prose_files(root: Path) -> list[Path]:
    """What is read as prose: the README, the docs, the comments of the config, build and deployment files,
    and of the page's own files (not vendored ones), and the project's Python."""
    files = [root / "README.md", *(root / name for name in HASH_COMMENTED), *sorted((root / "docs").rglob("*.md"))]
    files += sorted(path for path in (root / "deploy").glob("*") if path.is_file())
    static = root / "boxoffice" / "serving" / "static"
    files += sorted(p for p in static.glob("*") if p.suffix in PAGE_SUFFIXES)
    for folder in ("boxoffice", "stages", "bench"):
        files += sorted((root / folder).rglob("*.py"))
    return [path for path in files if path.exists() and path.relative_to(root).as_posix() not in GENERATED]


def scan_file(path: Path, root: Path) -> list[Finding]:
    name = path.relative_to(root).as_posix()
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        pieces: Iterator[tuple[int, str]] = python_prose(text)
    elif path.suffix in PAGE_SUFFIXES:
        pieces = slash_comments(text)
    elif path.suffix in (".yaml", ".yml", ".sh", ".conf", "") or path.name.endswith("Dockerfile"):
        pieces = hash_comments(text)
    else:
        pieces = iter([(1, text)])
    found = {Finding(name, line, kind, text) for first, piece in pieces for line, kind, text in scan_text(piece, first)}
    return sorted(found, key=lambda finding: (finding.line, finding.text))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("."))
    args = parser.parse_args(argv)
    root = args.root.resolve()
    findings = [finding for path in prose_files(root) for finding in scan_file(path, root)]
    failing = [finding for finding in findings if finding.path not in KNOWN_EXCEPTIONS]
    for finding in findings:
        print(f"{finding}{'' if finding in failing else ' (a known exception, not failed)'}")
    if failing:
        print(
            f"{len(failing)} hand-typed timing(s) or commit hash(es): say why rather than how fast, or point at "
            "the benchmarks page (figures come from bench/results/)",
            file=sys.stderr,
        )
        return 1
    print(f"no hand-typed timing or commit hash in {len(prose_files(root))} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
