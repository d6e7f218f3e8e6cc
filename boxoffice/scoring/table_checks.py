"""A table of request rows checked against the service's own schemas, vectorised where a rule allows.

Scoring a million films through pydantic one row at a time costs more than the models.
So every rule the schema states (bounds, patterns, lengths, list sizes) is applied to
whole columns first; a row those checks do not pass goes through pydantic itself, which
either accepts it after all or words the reason exactly as the service would. The
vectorised checks only pass rows pydantic passes, with the values pydantic would give
(``tests/scoring/test_table_checks.py`` holds them to that on edge values).
"""

from __future__ import annotations

import datetime as dt
import json
import typing
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from boxoffice.data.raw import LIST_SEPARATOR, parse_names
from boxoffice.prediction.batch import request_value
from boxoffice.prediction.schemas import ISO_DATE, Movie, PreReleaseMovie, field_path, within

SCHEMAS: dict[str, type[BaseModel]] = {"main": Movie, "pre_release": PreReleaseMovie}


@dataclass
class Checked:
    ok: np.ndarray  # one bool per row: valid
    columns: dict[str, np.ndarray]  # the valid rows' request fields, in row order
    problems: dict[int, tuple[str, str]]  # position of an invalid row -> (its fields, the reason)


def check_table(frame: pd.DataFrame, schema: type[BaseModel]) -> Checked:
    """Each row of ``frame`` as a request to ``schema``; columns beyond the schema are ignored."""
    values: dict[str, np.ndarray] = {}
    ok = np.ones(len(frame), dtype=bool)
    for name, field in schema.model_fields.items():
        values[name], passed = _fast(frame.get(name), field, len(frame))
        ok &= passed
    problems: dict[int, tuple[str, str]] = {}
    slow = np.flatnonzero(~ok)
    if len(slow):  # pydantic's values go in place; the arrays may be read-only views of the frame
        values = {name: column.copy() for name, column in values.items()}
    cells = {name: frame[name].iloc[slow].tolist() for name in schema.model_fields if name in frame}
    for i, position in enumerate(slow.tolist()):
        try:
            model = schema.model_validate(_record(cells, i))
        except ValidationError as err:
            problems[position] = reason(err)
            continue
        for name in schema.model_fields:
            value = request_value(getattr(model, name))
            values[name][position] = np.nan if value is None and values[name].dtype == np.float64 else value
        ok[position] = True
    return Checked(ok, {name: column[ok] for name, column in values.items()}, problems)


def reason(err: ValidationError) -> tuple[str, str]:
    """(the fields, the messages) as the service's 422 names them."""
    errors = err.errors()
    return ", ".join(field_path(e["loc"]) for e in errors), "; ".join(
        f"{field_path(e['loc'])}: {e['msg']}" for e in errors
    )


# ---------------------------------------------------------------- vectorised rules


def _fast(column: pd.Series | None, field: FieldInfo, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(values, passed) for one field; a row not passed is left to pydantic."""
    if field.annotation is float:
        numbers = np.full(n, np.nan) if column is None else _numbers(column)
        return numbers, within(numbers, field)
    if field.annotation == float | None:  # optional: an empty cell (or no column) is the default, NaN here
        if column is None:
            return np.full(n, np.nan), np.ones(n, dtype=bool)
        numbers = _numbers(column)
        return numbers, within(numbers, field) | column.isna().to_numpy() | (column.astype(object) == "").to_numpy()
    if column is None:  # an optional field with no column: its default for every row
        return np.full(n, request_value(field.get_default(call_default_factory=True)), dtype=object), np.full(
            n, not field.is_required()
        )
    texts, is_text = _texts(column)
    if field.annotation == str | None:  # optional text: any text within the length, or empty (the default)
        most = next(m.max_length for m in field.metadata if getattr(m, "max_length", None))
        empty = column.isna().to_numpy() | (is_text & (texts == "").to_numpy())
        fits = is_text & (texts.str.len() <= most).to_numpy()
        values = texts.to_numpy(dtype=object, copy=True)
        values[empty] = None
        return values, empty | fits
    if field.annotation is dt.date:
        iso = fullmatch(texts, ISO_DATE.pattern)  # RE2's \d is ASCII: it passes no more than Python's
        real = pd.to_datetime(texts.where(iso), format="%Y-%m-%d", errors="coerce").notna()
        return texts.to_numpy(dtype=object), is_text & real.to_numpy()
    if field.annotation is str:
        pattern = next(m.pattern for m in field.metadata if getattr(m, "pattern", None))
        return texts.to_numpy(dtype=object), is_text & fullmatch(texts, pattern)
    missing = column.isna().to_numpy() | (is_text & (texts == "").to_numpy())
    passed = missing | (is_text & _names_pass(texts, field))
    return texts.where(~missing, "").to_numpy(dtype=object), passed


def fullmatch(texts: pd.Series, pattern: str) -> np.ndarray:
    """Which cells of a text column match ``pattern`` whole, in one RE2 pass by Arrow.

    Python's ``re``, cell by cell, took about half of a pre-release chunk's scoring time.
    ``pattern`` must pass no more in RE2 than in Python's re: RE2's ``\\d`` and ``\\s`` are
    ASCII, so a negated class spells its whitespace out (``WHITESPACE``).
    """
    array, held = _arrow_texts(texts)
    return held & _bools(pc.match_substring_regex(array, f"^(?:{pattern})$"))


def _arrow_texts(texts: pd.Series) -> tuple[pa.Array, np.ndarray]:
    """The cells as an Arrow array, and which cells it holds as they are: text with a lone surrogate
    (which UTF-8 cannot encode) is held as '' and left to pydantic."""
    if isinstance(texts.dtype, pd.StringDtype):
        return pa.array(texts, type=pa.string()), np.ones(len(texts), dtype=bool)
    cells = texts.to_numpy(dtype=object)
    try:
        return pa.array(cells, type=pa.string()), np.ones(len(cells), dtype=bool)
    except (pa.ArrowException, UnicodeEncodeError):
        held = np.array([_encodable(text) for text in cells.tolist()], dtype=bool)
        return pa.array(np.where(held, cells, ""), type=pa.string()), held


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _bools(array: pa.Array) -> np.ndarray:
    return np.asarray(array.to_numpy(zero_copy_only=False), dtype=bool)


def _numbers(column: pd.Series) -> np.ndarray:
    """A column as float64; NaN where a value is missing or not a number (booleans are not numbers)."""
    if pd.api.types.is_bool_dtype(column):
        return np.full(len(column), np.nan)
    numbers = pd.to_numeric(column, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan, copy=True)
    if column.dtype == object:  # mixed cells: a True among numbers is still not a number
        numbers[[isinstance(value, bool | np.bool_) for value in column.tolist()]] = np.nan
    return numbers


def _texts(column: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """The column as text ('' where a cell is not text), and which cells were text.

    A text column (pandas' string dtype, as Parquet and Dask give) stays one, Arrow-backed:
    no cell needs looking at, and its Arrow array goes to RE2 without a copy.
    """
    if isinstance(column.dtype, pd.StringDtype):
        return column.fillna(""), column.notna().to_numpy(dtype=bool)
    cells = column.astype(object)
    is_text = np.fromiter((type(v) is str for v in cells.tolist()), dtype=bool, count=len(cells))
    return cells.where(is_text, ""), is_text


def _names_pass(texts: pd.Series, field: FieldInfo) -> np.ndarray:
    """'|'-joined names the list field takes as they are: each name within its length, no edge spaces,
    at most the field's count, not JSON (a leading '[' goes to pydantic).

    Three RE2 passes, as RE2 refuses a counted repetition inside another ({0,19} names of
    {0,198} characters): the shape of the list, any name too long, and the count of '|'.
    """
    (item,) = typing.get_args(field.annotation)
    constraints = typing.get_args(item)[1]
    most = next(m.max_length for m in field.metadata if getattr(m, "max_length", None))
    assert constraints.pattern == r"^[^|]+$" and constraints.min_length == 1, "update _names_pass"
    ends = f"(?:[^|]*[^|{WHITESPACE}])?"  # a name's other characters: no whitespace at its end
    first, name = f"[^|{WHITESPACE}\\[]{ends}", f"[^|{WHITESPACE}]{ends}"  # no whitespace at its start
    array, held = _arrow_texts(texts)
    shape = _bools(pc.match_substring_regex(array, f"^{first}(?:\\|{name})*$"))
    too_long = _bools(pc.match_substring_regex(array, f"[^|]{{{constraints.max_length + 1}}}"))
    too_many = np.asarray(pc.count_substring(array, LIST_SEPARATOR).to_numpy(zero_copy_only=False)) > most - 1
    return held & shape & ~too_long & ~too_many


# What Python's str.strip() removes and its re's \s matches (str.isspace; the last is U+3000), spelt out
# for RE2, whose \s is ASCII only. tests/scoring/test_table_checks.py checks it against every code point.
WHITESPACE = "".join(chr(code) for code in range(0x3001) if chr(code).isspace())


# ---------------------------------------------------------------- one row for pydantic


def _record(cells: dict[str, list[Any]], i: int) -> dict[str, Any]:
    """Row ``i`` as the service would receive it: missing cells left out, numbers as numbers, lists as lists."""
    record: dict[str, Any] = {}
    for name, column in cells.items():
        value = column[i]
        if _missing(value):
            continue
        if isinstance(value, str) and name in _NUMBER_FIELDS:
            number = pd.to_numeric(value, errors="coerce")
            value = value if np.isnan(number) else float(number)
        elif name in _LIST_FIELDS:
            value = _names(value)
        elif isinstance(value, np.generic):
            value = value.item()
        if hasattr(value, "isoformat") and not isinstance(value, str):
            value = value.isoformat()[:10]
        record[name] = value
    return record


_FIELDS = [(name, field.annotation) for schema in SCHEMAS.values() for name, field in schema.model_fields.items()]
_NUMBER_FIELDS = {name for name, annotation in _FIELDS if annotation in (float, float | None)}
_LIST_FIELDS = {name for name, annotation in _FIELDS if typing.get_origin(annotation) is list}


def _missing(value: Any) -> bool:
    if isinstance(value, str):
        return value == ""
    # None, NaN, NaT and pd.NA (Dask reads text columns with pandas' string dtype)
    return not isinstance(value, list | tuple | dict | np.ndarray) and bool(pd.isna(value))


def _names(value: Any) -> Any:
    """'A|B', '["A", "B"]' or TMDB's '[{"id": 1, "name": "A"}]' -> ['A', 'B']; anything else as is."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if not isinstance(value, str):
        return value
    if value.lstrip().startswith("["):
        if "{" in value:
            names = parse_names(value)
            return value if names is None else names
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value.split(LIST_SEPARATOR)
