"""CEAP and the revised VCSS of both legs for the open session: a button in the Session tab and its dialog.

The dialog shows the stored values; Save stores CEAP and VCSS together, made from the session's details as
shown (a session changed meanwhile refuses it, and the tab shows what is stored).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QScrollArea, QVBoxLayout, QWidget

from sclerochart.domain.errors import UserError
from sclerochart.domain.values import SessionState, TreatmentSession
from sclerochart.domain.vcss import from_stored
from sclerochart.ui.field_form import FormMessage
from sclerochart.ui.leg_scores import LEGS, LegScores

if TYPE_CHECKING:
    from sclerochart.ui.charting_screen import ChartingScreen


def _words(session: TreatmentSession | None) -> str:
    if session is None or not (session.vcss_right or session.vcss_left):
        return "VCSS of both legs (not scored)…"
    totals = []
    for leg, scores in (("right", session.vcss_right), ("left", session.vcss_left)):
        score = from_stored(scores) if scores else None
        part = "" if score is None or score.complete else " (part)"  # the button is narrow: the dialog says more
        totals.append(f"{leg} {score.total if score else '—'}{part}")
    return "VCSS " + " · ".join(totals) + "…"


class SessionScoresDialog(QDialog):
    """CEAP and VCSS of both legs of one session."""

    def __init__(self, screen: ChartingScreen, session: TreatmentSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = screen
        self.session = session
        self.setWindowTitle(f"CEAP and VCSS — session of {session.started_at:%d.%m.%Y}")
        self.scores = LegScores()
        self.scores.set_values(
            {"right": session.ceap_right, "left": session.ceap_left},
            {"right": session.vcss_right, "left": session.vcss_left},
        )
        editable = session.state is SessionState.DRAFT and not session.voided
        self.scores.set_read_only(not editable)
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(self.scores)
        self.message = FormMessage()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(editable)
        save.setMinimumHeight(40)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(area, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(900, 680)

    def save(self) -> bool:
        """Store CEAP and VCSS; True when stored (the dialog closes)."""
        vcss = {leg: self.scores.vcss(leg) or None for leg in LEGS}
        draft = replace(
            self.session.draft(),
            ceap_right=self.scores.ceap_text("right"),
            ceap_left=self.scores.ceap_text("left"),
            vcss_right=vcss["right"],
            vcss_left=vcss["left"],
        )
        try:
            self.chart.controller.save_session(draft, self.session.details_version)
        except UserError as error:
            self.message.refusal(error)
            return False
        self.accept()
        return True


def attach_scores(screen: ChartingScreen) -> QPushButton:
    """Put the CEAP and VCSS button in the Session tab above the lots; it names the stored totals."""
    button = QPushButton(_words(None))
    button.setMinimumHeight(36)
    button.setStatusTip("The revised VCSS (ten items, 0–3) and CEAP of both legs for this session.")
    panel = screen.session_panel
    layout = panel.layout()
    assert isinstance(layout, QVBoxLayout)
    layout.insertWidget(layout.indexOf(panel.sign_button), button)

    def show_scores() -> None:
        detail = screen.controller.detail
        if detail is not None:
            SessionScoresDialog(screen, detail.session, screen).exec()

    button.clicked.connect(show_scores)
    screen.controller.detail_changed.connect(
        lambda detail: button.setText(_words(detail.session if detail is not None else None))
    )
    return button
