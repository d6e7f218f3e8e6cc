"""The vectorised request checks pass only what the service's schemas pass, with the schemas' values."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from pydantic import ValidationError

from boxoffice.prediction.batch import request_value
from boxoffice.prediction.schemas import MAX_BUDGET, PRE_RELEASE_EXAMPLE, Movie, PreReleaseMovie
from boxoffice.scoring import table_checks
from boxoffice.scoring.table_checks import _fast, check_table

PIPED = {key: "|".join(value) if isinstance(value, list) else value for key, value in PRE_RELEASE_EXAMPLE.items()}
TRICKY = {
    "budget": [1.0, 0.0, -0.0, 5e-324, MAX_BUDGET, np.nextafter(MAX_BUDGET, np.inf), "1e6", " 1e6", "1,000", True],
    "runtime": [1000.0, np.nextafter(1000.0, np.inf), "nan", "inf", "-inf", None, ""],
    "release_date": ["2010-07-16", "2010-02-29", "2012-02-29", "0001-01-01", "9999-12-31", "1677-09-21",
                     "2262-04-12", "2010-7-16", "2010-07-16T00:00:00", " 2010-07-16", "20100716", "", None, 1279238400],
    "original_language": ["en", "EN", "eng", "e", "en\n", " en", "", None, "é1"],
    "genres": ["Action", "Action|Drama", "", None, "|Action", "Action|", "Action||Drama", " Action", "Action ",
               "[\"Action\"]", "[Action", "x" * 200, "x" * 201, "|".join(["a"] * 20), "|".join(["a"] * 21),
               "A\u00a0", "Ação|Ünïcödé", "a|b|c\t"],
    "directors": ["|".join(["d"] * 10), "|".join(["d"] * 11), "Jean-Luc Godard", "x]", "[{\"id\": 1}]"],
}  # fmt: skip
# The optional fields: an empty cell is the default, in the table as in a body that leaves the field out.
OPTIONAL = {
    "distributor_share": [0.5, 1.0, 0.0, 1.5, "0.4", " 0.4", "x", "", None, True],
    "p_and_a": [0.0, -1.0, "2e7", MAX_BUDGET, np.nextafter(MAX_BUDGET, np.inf), "", None],
    "p_and_a_multiple": [0.5, 100.0, 100.5, "nan", ""],
    "title": ["Inception", "", None, "x" * 300, "x" * 301, "Amélie", 1917],
}


def accepted(schema: type, record: dict) -> object | None:
    try:
        return schema.model_validate(record)
    except ValidationError:
        return None


TEXT_DTYPES = [object, "str"]  # Python objects (a CSV read by pandas), or pandas' Arrow-backed text (Parquet, Dask)


@pytest.mark.parametrize("dtype", TEXT_DTYPES)
@pytest.mark.parametrize(("name", "value"), [(name, value) for name, values in TRICKY.items() for value in values])
def test_a_value_passes_the_fast_check_only_if_the_schema_takes_it_as_such(name: str, value: object, dtype) -> None:
    field = PreReleaseMovie.model_fields[name]
    if dtype == "str" and not isinstance(value, str):
        return  # a text column holds text or nothing
    values, passed = _fast(pd.Series([value], dtype=dtype), field, 1)
    if not passed[0]:
        return  # pydantic decides such rows (tested below); the fast path only has to be safe
    record = {**PRE_RELEASE_EXAMPLE, name: value}
    if name in ("genres", "directors"):
        record[name] = [] if value in ("", None) else str(value).split("|")
    if name in ("budget", "runtime"):
        record[name] = float(value)
    model = accepted(PreReleaseMovie, record)
    assert model is not None, f"{name}={value!r} passed the fast check but the schema refuses it"
    assert values[0] == request_value(getattr(model, name))


@pytest.mark.parametrize("dtype", TEXT_DTYPES)
@pytest.mark.parametrize("schema", [PreReleaseMovie, Movie])
def test_the_table_gets_what_pydantic_alone_gives(schema: type, dtype, monkeypatch: pytest.MonkeyPatch) -> None:
    """Verdicts, reasons and values equal those of the same table with every row sent through pydantic."""
    numbers = {"runtime": 120.0, "popularity": 5.0, "vote_avg": 6.0}
    tricky = TRICKY | (OPTIONAL if schema is PreReleaseMovie else {})
    rows = [{**PIPED, **numbers, name: value} for name, values in tricky.items() for value in values]
    frame = pd.DataFrame(rows, dtype=object)
    if dtype == "str":
        texts = [name for name, field in schema.model_fields.items() if field.annotation is not float and name in frame]
        frame[texts] = frame[texts].astype("str")
    fast = check_table(frame, schema)

    def never(column, field, n):
        values, _ = _fast(column, field, n)
        return values, np.zeros(n, dtype=bool)

    monkeypatch.setattr(table_checks, "_fast", never)
    slow = check_table(frame, schema)
    assert 0 < fast.ok.sum() < len(rows)
    assert fast.ok.tolist() == slow.ok.tolist()
    assert fast.problems == slow.problems
    for name in schema.model_fields:
        np.testing.assert_array_equal(fast.columns[name], slow.columns[name], err_msg=name, strict=True)  # NaN = NaN


def test_numbers_at_the_bounds() -> None:
    frame = pd.DataFrame(
        {"runtime": [1000.0, 1000.5, "12"], "popularity": [0.0, 1.0, "x"], "vote_avg": [10.0, 5.0, 5.0], "budget": 1e6}
    )
    checked = check_table(frame, Movie)
    assert checked.ok.tolist() == [True, False, False]
    assert checked.problems == {
        1: ("runtime", "runtime: Input should be less than or equal to 1000"),
        2: ("popularity", "popularity: Input should be a valid number"),
    }
    assert checked.columns["runtime"].tolist() == [1000.0]


def test_the_spelt_out_whitespace_is_what_pythons_re_calls_whitespace() -> None:
    """RE2's \\s is ASCII only, so the names' pattern spells out every character Python's \\s matches."""
    everything = "".join(chr(code) for code in range(0x110000) if re.fullmatch(r"\s", chr(code)))
    assert everything == table_checks.WHITESPACE


@pytest.mark.parametrize("space", list(table_checks.WHITESPACE))
def test_a_name_with_any_whitespace_at_an_edge_is_left_to_pydantic(space: str) -> None:
    """Pydantic takes it and the service strips it: the fast path must not pass it unstripped."""
    field = PreReleaseMovie.model_fields["cast"]
    for text in (f"{space}Tom Hardy", f"Tom Hardy{space}", f"Tom Hardy|{space}Anne", f"Tom{space}Hardy"):
        for dtype in TEXT_DTYPES:
            _, passed = _fast(pd.Series([text], dtype=dtype), field, 1)
            assert passed[0] == (text == f"Tom{space}Hardy"), (repr(text), dtype)


def test_text_arrow_cannot_hold_is_left_to_pydantic() -> None:
    """A lone surrogate (from a JSON escape) is not UTF-8: that cell fails the fast check, the others do not."""
    field = PreReleaseMovie.model_fields["original_language"]
    _, passed = _fast(pd.Series(["en", "e\ud800", "fr"], dtype=object), field, 3)
    assert passed.tolist() == [True, False, True]
