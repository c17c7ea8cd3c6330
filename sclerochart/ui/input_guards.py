"""Input guards: the wheel changes only the field being worked in, and keys typed into a field stay in it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QApplication, QComboBox, QWidget

_COMMAND_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
)


def typed_text(event: QKeyEvent) -> bool:
    """Whether a key types a printable character (a digit, a letter, a space) rather than giving a command."""
    text = event.text()
    return bool(text) and text.isprintable() and not event.modifiers() & _COMMAND_MODIFIERS


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


class InputGuard(QObject):
    """Event filter for spin boxes, date and time fields and drop-down lists.

    - The mouse wheel over such a field changes it only while the field has the keyboard focus (the user clicked
      or tabbed into it). Otherwise the wheel scrolls the page around it, as it does over a label: turning the
      wheel to scroll the Session tab must never turn "24 h" into "20 h" on the way.
    - A printable key typed while such a field has the focus goes to the field, not to a shortcut of the screen
      (the digits 1–9 choose a preset on the charting screen; in a focused list they choose an entry).
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Hold back the wheel from an unfocused field; claim typed keys for a focused one."""
        if not isinstance(watched, QWidget):
            return False
        if event.type() == QEvent.Type.Wheel and not watched.hasFocus():
            assert isinstance(event, QWheelEvent)
            self._scroll_instead(watched, event)
            return True
        if event.type() == QEvent.Type.ShortcutOverride and watched.hasFocus():
            assert isinstance(event, QKeyEvent)
            if typed_text(event):
                event.accept()  # the key is delivered to the field as a key press, not to a shortcut
                return True
        return False

    @staticmethod
    def _scroll_instead(field: QWidget, event: QWheelEvent) -> None:
        """Give the wheel to the scroll area around the field (or, without one, let it pass to the parent)."""
        area = _scroll_area_around(field)
        if area is None:
            event.ignore()  # Qt offers an ignored wheel event to the parent widgets
            return
        viewport = area.viewport()
        position = field.mapTo(viewport, event.position().toPoint())
        scroll = QWheelEvent(
            QPointF(position),
            event.globalPosition(),
            event.pixelDelta(),
            event.angleDelta(),
            event.buttons(),
            event.modifiers(),
            event.phase(),
            event.inverted(),
            event.source(),
        )
        QApplication.sendEvent(viewport, scroll)
        event.accept()


def guard_inputs(root: QWidget) -> InputGuard:
    """Guard every spin box, date/time field and drop-down list under `root` (call when the form is built).

    The fields take the keyboard focus by click or Tab only (StrongFocus), not by the wheel passing over them.
    """
    guard = InputGuard(root)
    fields: list[QWidget] = [*root.findChildren(QAbstractSpinBox), *root.findChildren(QComboBox)]
    for field in fields:
        if field.focusPolicy() == Qt.FocusPolicy.WheelFocus:
            field.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        field.installEventFilter(guard)
    return guard
