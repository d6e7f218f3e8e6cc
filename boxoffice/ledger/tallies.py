"""Running tallies the database keeps with every write, so a slate page's total and the track record read a few rows.

- ``slate_counts``: forecasts per slate, deleted or not, with an actual result or not (a page's total);
- ``track_record_sums``: per slate, model identity and P(hit) band, the sums of every track-record term;
- ``released``: each live forecast with an actual result, its error in an indexed column (medians by seek).

Triggers keep them: before a row of ``forecasts``, ``revisions`` or ``actual_results`` changes, its
forecast's share is taken out; after, its new share is put in; in the same transaction as the write,
whoever writes (the ledger, a migration, a test's rows). ``UPDATE ... SET n = n + d`` upserts are atomic
under concurrent writers (PostgreSQL's row lock; SQLite has one writer at a time). A bulk load drops the
triggers, writes, then ``rebuild`` and ``install`` (``bench/ledger.py``).
"""

from __future__ import annotations

from sqlalchemy import Connection, text

CALIBRATION_BINS = 10
TABLES = {"forecasts": "id", "revisions": "forecast_id", "actual_results": "forecast_id"}  # -> its forecast's id

# A forecast's current revision and actual result, live forecasts only, as SQL over ``f``, ``r`` and ``a``.
RELEASED = (
    "FROM forecasts f JOIN revisions r ON r.forecast_id = f.id AND r.number = f.current_revision "
    "JOIN actual_results a ON a.forecast_id = f.id WHERE f.deleted_at IS NULL"
)
# P(hit)'s tenth, min(floor(10 p), 9), as a count of thresholds passed (as the reference's float arithmetic).
BAND = " + ".join(
    f"CASE WHEN r.hit_probability * {CALIBRATION_BINS} >= {edge} THEN 1 ELSE 0 END"
    for edge in range(1, CALIBRATION_BINS)
)
SUMMED = (  # (column, per-film term): y is ln(1 + actual revenue), y_hat ln(1 + predicted)
    ("films", "1"),
    ("nominal", "r.interval_coverage"),
    ("covered", "CASE WHEN r.revenue_low <= a.revenue AND a.revenue <= r.revenue_high THEN 1 ELSE 0 END"),
    ("hits", "{hit}"),
    ("p_hit", "r.hit_probability"),
    ("brier", "(r.hit_probability - {hit}) * (r.hit_probability - {hit})"),
    ("squared_error", "({y} - {y_hat}) * ({y} - {y_hat})"),
    ("absolute_error", "abs({y} - {y_hat})"),
    ("log_revenue", "{y}"),
    ("log_revenue_squared", "{y} * {y}"),
)
SUMS_KEY = "slate_id, model_hash, model_commit, band"
COUNTS_KEY = "slate_id, deleted, with_actual"


def _log1p(dialect: str, value: str) -> str:
    return f"ln(1 + {value})" if dialect == "postgresql" else f"log1p({value})"


def _terms(dialect: str) -> list[tuple[str, str]]:
    hit = "CASE WHEN a.revenue > r.hit_multiple * r.budget THEN 1 ELSE 0 END"
    y, y_hat = _log1p(dialect, "a.revenue"), _log1p(dialect, "r.predicted_revenue")
    return [(column, term.format(hit=hit, y=y, y_hat=y_hat)) for column, term in SUMMED]


def _upsert(table: str, key: str, columns: list[str], select: str) -> str:
    added = ", ".join(f"{column} = {table}.{column} + excluded.{column}" for column in columns)
    return f"INSERT INTO {table} ({key}, {', '.join(columns)}) {select} ON CONFLICT ({key}) DO UPDATE SET {added}"


def _counts_select(dialect: str, grouped: bool) -> str:
    deleted = "f.deleted_at IS NOT NULL"
    with_actual = "a.forecast_id IS NOT NULL"
    if dialect == "sqlite":
        deleted, with_actual = f"CASE WHEN {deleted} THEN 1 ELSE 0 END", f"CASE WHEN {with_actual} THEN 1 ELSE 0 END"
    head = f"SELECT f.slate_id, {deleted}, {with_actual}"
    joined = "FROM forecasts f LEFT JOIN actual_results a ON a.forecast_id = f.id"
    if grouped:
        return f"{head}, count(*) {joined} WHERE true GROUP BY 1, 2, 3"
    return f"{head}, {{sign}} {joined} WHERE f.id = {{forecast}}"


def _sums_select(dialect: str, grouped: bool) -> str:
    if grouped:
        summed = ", ".join(f"sum({term})" for _, term in _terms(dialect))
        return f"SELECT f.slate_id, r.model_hash, r.model_commit, {BAND}, {summed} {RELEASED} GROUP BY 1, 2, 3, 4"
    signed = ", ".join(f"{{sign}} * ({term})" for _, term in _terms(dialect))
    return f"SELECT f.slate_id, r.model_hash, r.model_commit, {BAND}, {signed} {RELEASED} AND f.id = {{forecast}}"


def _released_select() -> str:
    error = "abs(r.predicted_revenue - a.revenue) / a.revenue"
    return f"SELECT f.id, f.slate_id, r.model_hash, r.model_commit, {error} {RELEASED}"


RELEASED_COLUMNS = "INSERT INTO released (forecast_id, slate_id, model_hash, model_commit, error)"


def _share(dialect: str, table: str, sign: int, forecast: str) -> list[str]:
    """The statements that take out (sign -1) or put in (+1) one forecast's share of every tally."""
    columns = [column for column, _ in SUMMED]
    statements = []
    if table != "revisions":  # a page's counts do not depend on revisions
        counts = _counts_select(dialect, grouped=False).format(sign=sign, forecast=forecast)
        statements.append(_upsert("slate_counts", COUNTS_KEY, ["forecasts"], counts))
    sums = _sums_select(dialect, grouped=False).format(sign=sign, forecast=forecast)
    statements.append(_upsert("track_record_sums", SUMS_KEY, columns, sums))
    if sign < 0:
        statements.append(f"DELETE FROM released WHERE forecast_id = {forecast}")
    else:
        statements.append(f"{RELEASED_COLUMNS} {_released_select()} AND f.id = {forecast}")
    return statements


def _changed(table: str, differs: str) -> str:
    """When an update of ``table`` changes a forecast's share (a scenario's revision count alone does not)."""
    columns = {
        "forecasts": ("slate_id", "deleted_at", "current_revision"),
        "revisions": ("number", "hit_probability", "predicted_revenue", "model_hash", "model_commit"),
        "actual_results": ("revenue",),
    }[table]
    return " OR ".join(f"OLD.{column} {differs} NEW.{column}" for column in columns)


def _is_current(row: str) -> str:
    """A revision row counts only as its forecast's current one: a statement inserting several revisions of a
    forecast then changes its share once (PostgreSQL runs row AFTER triggers at the statement's end)."""
    return f"{row}.number = (SELECT current_revision FROM forecasts WHERE id = {row}.forecast_id)"


def _sqlite_triggers() -> list[str]:
    statements = []
    for table, forecast_column in TABLES.items():
        for event in ("INSERT", "UPDATE", "DELETE"):
            row = "OLD" if event == "DELETE" else "NEW"
            conditions = [f"({_changed(table, 'IS NOT')})"] if event == "UPDATE" else []
            if table == "revisions":
                conditions.append(_is_current(row))
            when = f" WHEN {' AND '.join(conditions)}" if conditions else ""
            for timing, sign in (("BEFORE", -1), ("AFTER", 1)):
                body = "; ".join(_share("sqlite", table, sign, f"{row}.{forecast_column}"))
                head = f"CREATE TRIGGER tally_{table}_{event.lower()}_{timing.lower()} {timing} {event} ON {table}"
                statements.append(f"{head} FOR EACH ROW{when} BEGIN {body}; END")
    return statements


def _postgresql_triggers() -> list[str]:
    statements = []
    for table, forecast_column in TABLES.items():
        minus, plus = ("; ".join(_share("postgresql", table, sign, "forecast")) for sign in (-1, 1))
        counts = f"IF {_is_current('changed')} THEN" if table == "revisions" else "IF true THEN"
        statements.append(
            f"CREATE FUNCTION tally_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"DECLARE changed {table}; forecast integer; "
            "BEGIN IF TG_OP = 'DELETE' THEN changed := OLD; ELSE changed := NEW; END IF; "
            f"forecast := changed.{forecast_column}; "
            f"{counts} IF TG_WHEN = 'BEFORE' THEN {minus}; ELSE {plus}; END IF; END IF; "
            "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$"
        )
        for timing in ("BEFORE", "AFTER"):
            for event in ("INSERT", "UPDATE", "DELETE"):
                when = f" WHEN ({_changed(table, 'IS DISTINCT FROM')})" if event == "UPDATE" else ""
                statements.append(
                    f"CREATE TRIGGER tally_{table}_{event.lower()}_{timing.lower()} {timing} {event} ON {table} "
                    f"FOR EACH ROW{when} EXECUTE FUNCTION tally_{table}()"
                )
    return statements


def install(connection: Connection) -> None:
    """The triggers that keep the tallies (the tallies must already be right: ``rebuild``)."""
    dialect = connection.dialect.name
    for statement in _postgresql_triggers() if dialect == "postgresql" else _sqlite_triggers():
        connection.exec_driver_sql(statement)


def drop(connection: Connection) -> None:
    """No triggers: a bulk load, then ``rebuild`` and ``install``."""
    for table in TABLES:
        for timing in ("before", "after"):
            for event in ("insert", "update", "delete"):
                on = f" ON {table}" if connection.dialect.name == "postgresql" else ""
                connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS tally_{table}_{event}_{timing}{on}")
    if connection.dialect.name == "postgresql":
        for table in TABLES:
            connection.exec_driver_sql(f"DROP FUNCTION IF EXISTS tally_{table}()")


def rebuild(connection: Connection) -> None:
    """Every tally computed afresh from the rows (the migration's backfill, a bulk load's end)."""
    dialect = connection.dialect.name
    for table in ("slate_counts", "track_record_sums", "released"):
        connection.execute(text(f"DELETE FROM {table}"))
    columns = ", ".join(column for column, _ in SUMMED)
    connection.exec_driver_sql(
        f"INSERT INTO slate_counts ({COUNTS_KEY}, forecasts) {_counts_select(dialect, grouped=True)}"
    )
    connection.exec_driver_sql(f"INSERT INTO track_record_sums ({SUMS_KEY}, {columns}) {_sums_select(dialect, True)}")
    connection.exec_driver_sql(f"{RELEASED_COLUMNS} {_released_select()}")
