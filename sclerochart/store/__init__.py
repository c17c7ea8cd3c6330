"""Persistence: SQLAlchemy 2 models, engine set-up, Alembic migrations, integrity checks and backups."""
