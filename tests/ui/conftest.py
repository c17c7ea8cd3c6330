"""Fixtures of the UI tests (the shared gestures live in helpers.py)."""

from tests.ui.helpers import warnings, window

__all__ = ["warnings", "window"]
