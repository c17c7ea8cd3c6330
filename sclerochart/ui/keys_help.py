"""F1: every key of the charting screen, as a readable two-column table grouped by what it is for."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Placing sites",
        (
            ("Click on a leg", "a site with the current preset"),
            ("1 – 9", "choose the preset on that key"),
            ("Arrow keys, then Space", "move the cross and place a site with the keyboard"),
        ),
    ),
    (
        "The selected site",
        (
            ("F2 or Enter", "edit its fields"),
            ("Ctrl+D", "duplicate it"),
            ("Delete", "delete it (Ctrl+Z brings it back)"),
            ("Arrow keys", "move it (with Shift: five times as far)"),
            ("Menu key", "its menu"),
            ("Esc", "clear the selection"),
        ),
    ),
    (
        "Tracings",
        (
            ("P", "pen on or off (drag along a vein)"),
            ("Esc", "back to placing sites"),
        ),
    ),
    (
        "Everywhere",
        (
            ("Ctrl+Z", "undo"),
            ("Ctrl+Shift+Z / Ctrl+Y", "redo"),
            ("Ctrl+F", "find a patient"),
            ("Ctrl+N", "new session"),
            ("Ctrl+Shift+F", "follow-up visits and outcomes of the patient"),
            ("Ctrl+Shift+O", "outcome figures of the clinic"),
            ("Ctrl+I", "session details"),
            ("Alt+S / Alt+N", "Site / Session tab"),
            ("+ / − / Ctrl+0", "zoom in, zoom out, all views"),
            ("Alt+1 – Alt+6", "one view"),
            ("Ctrl+H", "earlier sessions' sites"),
            ("Ctrl+P", "print the session report"),
            ("Ctrl+Shift+P", "print the aftercare handout"),
            ("Ctrl+,", "clinic settings (name, logo, paper, compression, handout text)"),
            ("F1", "this list"),
        ),
    ),
)


def keys_html() -> str:
    """The table of keys as HTML for a text browser: a heading per group, the keys bold in the left column."""
    parts = ["<html><body style='font-size: 11pt'>"]
    for title, rows in KEYS:
        parts.append(f"<h3 style='margin-top: 12px; margin-bottom: 4px'>{escape(title)}</h3>")
        parts.append("<table cellspacing='0' cellpadding='4'>")
        for keys, what in rows:
            parts.append(
                f"<tr><td nowrap style='padding-right: 18px'><b>{escape(keys)}</b></td><td>{escape(what)}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


class KeysDialog(QDialog):
    """The keyboard reference, open beside the chart (it does not block the window)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keys at the chair")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.text = QTextBrowser()
        self.text.setHtml(keys_html())
        self.text.setOpenLinks(False)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(560, 640)


def show_keys_help(parent: QWidget) -> KeysDialog:
    """Open the keyboard reference (F1); a second F1 brings the open one to the front."""
    existing = parent.findChild(KeysDialog)
    if existing is not None:
        existing.raise_()
        existing.activateWindow()
        return existing
    dialog = KeysDialog(parent)
    dialog.show()
    return dialog
