"""The session's lot and expiry per agent, in the Session tab: typed once, carried to the agent's sites.

Each agent of the catalogue has a row; Set stores the lot (made from the session as shown: a session changed
meanwhile refuses it) and gives it to the agent's sites that hold none or the lot set before. An expiry
before the day of the session asks for the reason the vial was used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import (
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sclerochart.api import ClinicApi
from sclerochart.domain.errors import StaleError, UserError, ValidationError
from sclerochart.domain.lots import SessionLot
from sclerochart.readmodels import SessionDetail
from sclerochart.ui.input_guards import guard_inputs

if TYPE_CHECKING:
    from sclerochart.ui.charting_screen import ChartingScreen

NO_DATE = QDate(2000, 1, 1)
"""The expiry field's "not entered" (shown as a dash)."""


class _LotRow:
    def __init__(self, agent_id: int, name: str) -> None:
        self.agent_id = agent_id
        self.agent_name = name
        self.name = QLabel(f"<b>{name}</b>")
        self.lot = QLineEdit()
        self.lot.setPlaceholderText("Lot number")
        self.lot.setToolTip("The lot number as printed on the vial")
        self.lot.setMinimumHeight(32)
        self.lot.setAccessibleName(f"Lot of {name}")
        self.expiry = QDateEdit()
        self.expiry.setCalendarPopup(True)
        self.expiry.setDisplayFormat("dd.MM.yyyy")
        self.expiry.setMinimumDate(NO_DATE)
        self.expiry.setSpecialValueText("— expiry")
        self.expiry.setMinimumHeight(32)
        self.expiry.setAccessibleName(f"Expiry of {name}")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Why used?")
        self.reason.setToolTip("The lot had expired on the day of the session: why was it used?")
        self.reason.setMinimumHeight(32)
        self.reason.hide()
        self.set_button = QPushButton("Set")
        self.set_button.setMinimumHeight(32)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self._expiry_touched = False
        self.expiry.dateChanged.connect(self._touched)

    def _touched(self, _date: QDate) -> None:
        self._expiry_touched = True

    def expires_on(self) -> dt.date | None:
        date = self.expiry.date()
        return None if date == NO_DATE else dt.date(date.year(), date.month(), date.day())

    def typed(self) -> bool:
        """Something was typed or chosen in the row and not set yet."""
        return self.lot.isModified() or self.reason.isModified() or self._expiry_touched

    def refused(self, text: str) -> None:
        """Say under the row why its lot was not stored."""
        self.state.setText(text)
        self.state.setToolTip(text)
        self.state.setStyleSheet("color: #b00020; font-weight: bold;")

    def show(self, lot: SessionLot | None) -> None:
        self.lot.setText(lot.lot_number if lot else "")
        expiry = lot.expires_on if lot else None
        self.expiry.blockSignals(True)
        self.expiry.setDate(QDate(expiry.year, expiry.month, expiry.day) if expiry else NO_DATE)
        self.expiry.blockSignals(False)
        self._expiry_touched = False
        self.reason.setText(lot.expiry_reason if lot else "")
        self.show_stored(lot)

    def show_stored(self, lot: SessionLot | None) -> None:
        if self.typed():
            stored = f"stored: {lot.words()}" if lot else "no lot stored"
            self.state.setText(f"Typed, not set yet ({stored}). Set stores it.")
            self.state.setStyleSheet("color: #8a5a00;")
            self.state.setToolTip(self.state.text())
            return
        self.state.setText(f"Stored: {lot.words()}" if lot else "No lot set.")
        self.state.setToolTip(self.state.text())
        self.state.setStyleSheet("color: #b00020;" if lot and lot.expiry_reason else "")


class SessionLotsBox(QGroupBox):
    """A row per agent: lot, expiry (and the reason, for an expired lot), Set."""

    def __init__(
        self,
        api: ClinicApi,
        detail: Callable[[], SessionDetail | None],
        stored: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Lots and expiry (carried to each agent's sites)", parent)
        self.api = api
        self.detail = detail
        self.stored = stored
        self.rows: dict[int, _LotRow] = {}
        self.session_id: str | None = None
        outer = QVBoxLayout(self)
        self.grid = QGridLayout()
        outer.addLayout(self.grid)

    def show_session(self, detail: SessionDetail | None) -> None:
        """Fill the rows from what is stored for the session (or empty them)."""
        if not self.rows:
            self._build()
        lots = {lot.agent_id: lot for lot in self.api.session_lots(detail.session.id)} if detail else {}
        frozen = detail is None or detail.session.state.value != "draft" or detail.session.voided
        same = detail is not None and detail.session.id == self.session_id
        self.session_id = detail.session.id if detail is not None else None
        for agent_id, row in self.rows.items():
            if same and not frozen and row.typed():
                row.show_stored(lots.get(agent_id))  # what is typed and not yet set stays, marked as such
            else:
                row.show(lots.get(agent_id))
            for widget in (row.lot, row.expiry, row.reason, row.set_button):
                widget.setEnabled(not frozen)
            self._expiry_changed(row)

    def _build(self) -> None:
        agents = [agent for agent in self.api.sclerosants_by_id().values() if agent.active]
        for number, agent in enumerate(agents):
            row = _LotRow(agent.id, agent.name)
            self.rows[agent.id] = row
            line = number * 5  # the tab is narrow at 1366 px: the lot has a line of its own
            self.grid.addWidget(row.name, line, 0, 1, 2)
            self.grid.addWidget(row.lot, line + 1, 0, 1, 2)
            self.grid.addWidget(row.expiry, line + 2, 0)
            self.grid.addWidget(row.set_button, line + 2, 1)
            self.grid.addWidget(row.reason, line + 3, 0, 1, 2)
            self.grid.addWidget(row.state, line + 4, 0, 1, 2)  # its own refusals too, where the eye is
            row.set_button.clicked.connect(lambda _checked=False, row=row: self.set_lot(row))
            row.lot.returnPressed.connect(lambda row=row: self.set_lot(row))
            row.expiry.dateChanged.connect(lambda _date, row=row: self._expiry_changed(row))
        self.grid.setColumnStretch(0, 1)
        guard_inputs(self)  # the wheel scrolling the tab never changes an expiry on the way

    def _expiry_changed(self, row: _LotRow) -> None:
        detail = self.detail()
        expires = row.expires_on()
        expired = detail is not None and expires is not None and expires < detail.session.started_at.date()
        row.reason.setVisible(expired)

    def set_lot(self, row: _LotRow) -> bool:
        """Store the row's lot for the open session; True when stored."""
        detail = self.detail()
        if detail is None:
            return False
        try:
            lot, carried = self.api.set_session_lot(
                detail.session.id,
                row.agent_id,
                row.lot.text(),
                row.expires_on(),
                detail.session.version,
                row.reason.text(),
            )
        except StaleError as error:
            self.stored(f"{error.message} {error.hint}")
            return False
        except ValidationError as error:
            row.refused("; ".join(str(e).rstrip(".") for e in error.errors) + ". Nothing was saved.")
            return False
        except UserError as error:
            row.refused(f"{error.message} {error.hint}")
            return False
        row.show(lot)  # stored: no longer "typed, not set"
        sites = f"{carried} site{'s' if carried != 1 else ''} received it" if carried else "no site needed it yet"
        self.stored(f"Lot {lot.lot_number} stored for {row.agent_name}; {sites}. New sites of it get it too.")
        return True


def attach_lots(screen: ChartingScreen) -> SessionLotsBox:
    """Put the lots box in the Session tab above the Sign button; it reads the lots when it is in view."""
    controller = screen.controller

    def stored(message: str) -> None:
        controller.refresh()
        controller.message.emit(message)
        box.show_session(controller.detail)

    box = SessionLotsBox(controller.api, lambda: controller.detail, stored)
    panel = screen.session_panel
    layout = panel.layout()
    assert isinstance(layout, QVBoxLayout)
    layout.insertWidget(layout.indexOf(panel.sign_button), box)
    shown: dict[str, object] = {"session": None}

    def refresh_when_seen() -> None:
        # Read only while the Session tab is in view: placing sites (Site tab) never waits for it.
        detail = controller.detail
        if box.isVisible() or detail is None:
            key = (detail.session.id, detail.session.version) if detail else None
            if shown["session"] != key:
                shown["session"] = key
                box.show_session(detail)

    controller.detail_changed.connect(lambda _detail: QTimer.singleShot(0, refresh_when_seen))
    screen.tabs.currentChanged.connect(lambda _index: QTimer.singleShot(0, refresh_when_seen))
    return box
