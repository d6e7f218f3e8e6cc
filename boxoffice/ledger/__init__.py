"""The forecast ledger: saved pre-release forecasts, their revisions and actual results, in a database.

SQLite by default (a file in ``BOXOFFICE_LEDGER_DIR``, ``ledger/`` when unset), PostgreSQL
when ``BOXOFFICE_LEDGER_URL`` names one. The schema is Alembic's (``migrations/``); the
service brings a database to the newest revision when it starts. Nothing here computes a
forecast: the service answers, the ledger keeps what it answered.
"""
