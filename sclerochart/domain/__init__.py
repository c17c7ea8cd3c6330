"""Plain-Python clinical core: values, rules, validation and diagram geometry (no Qt, no SQLAlchemy)."""
