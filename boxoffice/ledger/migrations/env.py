"""Alembic's entry: runs migrations on the engine ``boxoffice.ledger.database.upgrade`` hands it."""

from alembic import context

from boxoffice.ledger.database import one_at_a_time
from boxoffice.ledger.tables import Base

engine = context.config.attributes["engine"]
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        one_at_a_time(connection)  # another service starting on the same database migrates first
        context.run_migrations()
