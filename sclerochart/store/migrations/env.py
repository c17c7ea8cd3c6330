"""Alembic environment: runs migrations on the connection ScleroChart hands in (or a URL for the CLI)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from sclerochart.store.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    """Run the migrations on the given connection, in its transaction."""
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.connect() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("ScleroChart migrations run online only, on a connection.")
run_migrations_online()
