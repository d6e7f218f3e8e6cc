"""Alembic's entry: runs migrations on the engine ``boxoffice.ledger.database.upgrade`` hands it.

Every pending migration runs in one transaction, SQLite's too (``transactional_ddl=True``; Alembic's
default for SQLite commits after each migration). A worker starting beside another waits for that whole
transaction, then reads the schema as it left it: with a commit per migration, the waiting worker ran the
migrations after the first, and the first one then ran them again ("table tokens already exists").
"""

from alembic import context

from boxoffice.ledger.database import one_at_a_time
from boxoffice.ledger.tables import Base

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(
        connection=connection, target_metadata=Base.metadata, render_as_batch=True, transactional_ddl=True
    )
    with context.begin_transaction():
        one_at_a_time(connection)  # a second worker starting now waits, then finds the schema up to date
        context.run_migrations()
