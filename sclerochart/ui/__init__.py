"""The PySide6 user interface: main window, item models, dialogs (the only package that imports Qt)."""
