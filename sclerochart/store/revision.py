"""The schema revision this program writes and reads, without SQLAlchemy or Alembic (a command's quick read)."""

HEAD_REVISION = "0014"
"""The newest revision in migrations/versions (kept equal to Alembic's head by a test)."""
