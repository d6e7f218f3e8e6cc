"""Load the raw TMDB movies file, check it, and apply the cleaning rules.

Every problem either stops with a :class:`DataError` that names the file, column and
row, or drops rows under a named rule whose count lands in ``metrics/prepare.json``.
Whole-file problems (unreadable, wrong encoding, missing column, a number that is not
a number) stop; problems of single films (duplicate id, a list that cannot be read,
negative amount, unparsable date) drop the film, because one bad row should not block 4,800.
"""

from __future__ import annotations

import ast
import codecs
import io
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

NUMERIC_COLUMNS = ("budget", "revenue", "runtime", "popularity", "vote_average", "vote_count")
TEXT_COLUMNS = ("title", "original_language", "release_date", "genres")
OPTIONAL_LIST_COLUMNS = ("keywords", "production_companies")  # read by ``parse_list``
REQUIRED_COLUMNS = ("id", *TEXT_COLUMNS, *NUMERIC_COLUMNS)
LIST_SEPARATOR = "|"


class DataError(ValueError):
    """The input cannot be used; the message says what is wrong and where."""


CREDITS_COLUMNS = ("movie_id", "cast", "crew")


def read_raw(path: str | Path) -> pd.DataFrame:
    """Read the raw movies CSV as text columns, then check the schema and the numbers."""
    frame = read_text_csv(path, REQUIRED_COLUMNS)
    return _typed(frame, Path(path))


def read_credits(path: str | Path) -> tuple[pd.DataFrame, int]:
    """Directors and billed cast per film from the reduced credits file.

    Returns a frame (id, directors, cast; names '|'-joined, cast in billing order) and
    the number of rows whose lists could not be parsed (kept, with no names).
    """
    frame = read_text_csv(path, CREDITS_COLUMNS)
    ids = pd.to_numeric(frame["movie_id"], errors="coerce")
    if ids.isna().any():
        row = int(np.flatnonzero(ids.isna().to_numpy())[0])
        raise DataError(
            f"{path}: column 'movie_id', data row {row + 1}: {frame['movie_id'].iloc[row]!r} is not a number"
        )
    cast = frame["cast"].map(_literal_list)
    crew = frame["crew"].map(_literal_list)
    invalid = int((cast.isna() | crew.isna()).sum())
    credits = pd.DataFrame(
        {
            "id": ids.astype("int64"),
            "directors": crew.map(lambda people: _names(people, lambda p: p.get("job") == "Director")),
            "cast": cast.map(
                lambda people: LIST_SEPARATOR.join(
                    str(p["name"]) for p in sorted(people or [], key=lambda p: p.get("order", 0)) if "name" in p
                )
            ),
        }
    )
    return credits.drop_duplicates("id"), invalid


def _literal_list(text: str) -> list[dict] | None:
    """A Python-literal list of dicts ("[{'name': 'X', 'order': 0}]"), or None if it is not one."""
    if not text.strip():
        return []
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    return value if isinstance(value, list) and all(isinstance(item, dict) for item in value) else None


def _names(people: list[dict] | None, keep) -> str:
    return LIST_SEPARATOR.join(str(p["name"]) for p in people or [] if "name" in p and keep(p))


def read_text_csv(path: str | Path, required: tuple[str, ...]) -> pd.DataFrame:
    """A CSV as text columns: UTF-8 (a BOM is fine), well-formed, with the required columns."""
    path = Path(path)
    if not path.is_file():
        raise DataError(
            f"{path}: file not found (run `dvc repro --pull`, or `dvc pull -R data/raw` for the raw data alone)"
        )
    raw = path.read_bytes()
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError(
            f"{path}: not UTF-8 text (byte 0x{raw[err.start]:02x} on line {line}); re-save the file as UTF-8"
        ) from None
    if not text.strip():
        raise DataError(f"{path}: file is empty")
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as err:
        raise DataError(f"{path}: malformed CSV: {err}".strip()) from None
    missing = [column for column in required if column not in frame.columns]
    if missing:
        raise DataError(f"{path}: missing required column(s): {', '.join(missing)}")
    if frame.empty:
        raise DataError(f"{path}: has a header but no rows")
    return frame


def _typed(frame: pd.DataFrame, path: Path) -> pd.DataFrame:
    """Convert id and the numeric columns; an unparsable value stops with its row."""
    frame = frame.copy()
    for column in ("id", *NUMERIC_COLUMNS):
        text = frame[column].str.strip()
        values = pd.to_numeric(text.where(text != ""), errors="coerce")
        bad = values.isna() & (text != "") | ((column == "id") & values.isna())
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(
                f"{path}: column {column!r}, data row {row + 1}: {frame[column].iloc[row]!r} is not a number"
            )
        frame[column] = values.astype("int64") if column == "id" else values.astype("float64")
    return frame


def parse_list(value: Any) -> list[str] | None:
    """Names from a list cell as the file scorer accepts it: TMDB's JSON ('[{"id": 28, "name": "Action"}]'),
    a JSON list of names ('["Action", "Drama"]') or names joined by '|' ('Action|Drama').

    Names are stripped and empty ones left out. Returns None when a cell that opens as JSON
    ('[') is not such a list, so callers can count the film or stop on it.
    """
    if not isinstance(value, str) or not value.strip():
        return []
    if not value.lstrip().startswith("["):
        return [name.strip() for name in value.split(LIST_SEPARATOR) if name.strip()]
    try:
        items = json.loads(value)
    except ValueError:
        return None
    if not isinstance(items, list):
        return None
    if all(isinstance(item, str) for item in items):
        return [item.strip() for item in items if item.strip()]
    return parse_names(value)


def parse_names(value: Any) -> list[str] | None:
    """Names from a TMDB JSON list such as '[{"id": 28, "name": "Action"}]'.

    Returns None when the text is not such a list, so callers can count it.
    """
    if not isinstance(value, str) or not value.strip():
        return []
    try:
        items = json.loads(value)
        return [str(item["name"]) for item in items]
    except (ValueError, TypeError, KeyError):
        return None


def add_credits(table: pd.DataFrame, credits: pd.DataFrame) -> pd.DataFrame:
    """The cleaned table with 'directors' and 'cast' columns (empty where the film has none)."""
    merged = table.merge(credits, on="id", how="left", validate="one_to_one")
    return merged.fillna({"directors": "", "cast": ""})


def clean(raw: pd.DataFrame, min_budget: float = 0, min_revenue: float = 0) -> tuple[pd.DataFrame, dict]:
    """Apply the cleaning rules in order; return the kept films and the counts.

    A film is counted under the first rule that drops it. ``min_budget`` and
    ``min_revenue`` drop the placeholder amounts (a budget of $1, ...); 0 turns them
    off, which keeps the seed's rows.
    """
    frame = raw.copy()
    genres = frame["genres"].map(parse_list)
    lists = {c: frame[c].map(parse_list) for c in OPTIONAL_LIST_COLUMNS if c in frame.columns}
    dates = pd.to_datetime(frame["release_date"], format="%Y-%m-%d", errors="coerce")
    blank = {c: frame[c].fillna("").str.strip() == "" for c in ("title", "original_language", "release_date")}
    amounts_negative = (frame[["budget", "revenue", "runtime", "popularity", "vote_count"]] < 0).any(axis=1)
    rules: list[tuple[str, pd.Series]] = [
        ("duplicate_id", frame["id"].duplicated(keep="first")),
        ("invalid_amount", amounts_negative | ~frame["vote_average"].between(0, 10)),
        ("invalid_genres", genres.isna()),
        *((f"invalid_{column}", names.isna()) for column, names in lists.items()),
        ("missing_title", blank["title"]),
        ("missing_language", blank["original_language"]),
        ("missing_genres", genres.map(lambda names: not names)),
        ("missing_release_date", blank["release_date"]),
        ("invalid_release_date", dates.isna()),
        ("unknown_budget", ~(frame["budget"] > 0)),
        ("unknown_revenue", ~(frame["revenue"] > 0)),
        ("below_min_budget", frame["budget"] < min_budget),
        ("below_min_revenue", frame["revenue"] < min_revenue),
        ("unknown_runtime", ~(frame["runtime"] > 0)),
    ]
    keep = pd.Series(True, index=frame.index)
    dropped = {}
    for name, drop in rules:
        hit = keep & drop.fillna(False).astype(bool)
        dropped[name] = int(hit.sum())
        keep &= ~hit
    kept = frame[keep]
    table = pd.DataFrame(
        {
            "id": kept["id"],
            "title": kept["title"],
            "original_language": kept["original_language"],
            "release_date": dates[keep].dt.strftime("%Y-%m-%d"),
            "genres": genres[keep].map(LIST_SEPARATOR.join),
            "budget": kept["budget"],
            "revenue": kept["revenue"],
            "runtime": kept["runtime"],
            "popularity": kept["popularity"],
            "vote_avg": kept["vote_average"],
            "vote_count": kept["vote_count"],
        }
    )
    for column, names in lists.items():  # a film whose list is unreadable was dropped above, never blanked
        table[column] = names[keep].map(LIST_SEPARATOR.join)
    report = {"rows_in": len(frame), "rows_out": len(table), "dropped": dropped}
    return table.reset_index(drop=True), report
