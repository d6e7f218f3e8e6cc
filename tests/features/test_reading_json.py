"""A name's reading goes into answers as a plain dict (``Reading.as_json``): the same JSON as the dataclass's."""

from dataclasses import asdict, fields

import orjson

from boxoffice.features.names import Reading


def test_as_json_holds_every_field_and_writes_the_dataclasses_bytes() -> None:
    readings = [
        Reading("directors", "Chris Nolan", "Christopher Nolan", "known_spelling", ("Christopher Nolan II",), ()),
        Reading("cast", "Zazie Beetz", "Zazie Beetz", "unknown", suggestions=("Zazie B",)),
        Reading("keywords", "heist", "heist", "not_read"),
    ]
    for reading in readings:
        assert list(reading.as_json()) == [field.name for field in fields(Reading)]
        assert reading.as_json() == asdict(reading)
        assert orjson.dumps(reading.as_json()) == orjson.dumps(reading)
