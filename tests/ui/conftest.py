"""Fixtures of the UI tests (the shared gestures live in helpers.py)."""

from tests.ui.helpers import dialogs, locked_window, warnings, window

__all__ = ["dialogs", "locked_window", "warnings", "window"]
