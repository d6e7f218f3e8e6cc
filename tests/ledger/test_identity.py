"""The models' identity a saved forecast records: BOXOFFICE_COMMIT is checked where it is read."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import String

from boxoffice.ledger.identity import COMMIT_LENGTH, ModelIdentity
from boxoffice.ledger.tables import Revision


def test_the_commit_column_holds_the_longest_commit_the_identity_accepts() -> None:
    column_type = Revision.__table__.c.model_commit.type
    assert isinstance(column_type, String) and column_type.length == COMMIT_LENGTH


@pytest.mark.parametrize("commit", ["a" * 40, "b" * COMMIT_LENGTH, "v1.2.0", "release/2027-summer"])
def test_a_commit_hash_or_tag_is_recorded_as_given(
    commit: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOXOFFICE_COMMIT", commit)
    assert ModelIdentity.of(tmp_path).commit == commit


@pytest.mark.parametrize("commit", ["c" * (COMMIT_LENGTH + 1), "my build", "abc\n", "-rf"])
def test_a_commit_no_row_could_hold_stops_the_start_naming_the_setting(
    commit: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOXOFFICE_COMMIT", commit)
    with pytest.raises(ValueError, match="BOXOFFICE_COMMIT must be a commit hash or tag"):
        ModelIdentity.of(tmp_path)
