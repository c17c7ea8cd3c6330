"""Signing a session and amending a signed one: the completeness list, the meaning, the password typed again."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sclerochart.domain.accounts import PasswordRefused
from sclerochart.domain.errors import UserError
from sclerochart.domain.signing import AMENDMENT_MEANING, CORRECTABLE, AmendmentDraft, Correction, Gap
from sclerochart.domain.values import SIGNATURE_MEANING, Practitioner, Site
from sclerochart.readmodels import SessionDetail
from sclerochart.ui.field_form import FormMessage
from sclerochart.ui.sign_in_dialog import password_field

MISSING_STYLE = "color: #b00020; font-weight: bold;"
REMINDER_STYLE = "color: #8a5a00;"


def _signer_line(signer: Practitioner | None, when: str) -> QLabel:
    name = signer.label if signer is not None else "nobody is signed in"
    label = QLabel(f"<b>Signed by:</b> {name}<br><b>Date and time:</b> {when} (when you press Sign)")
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


def _meaning(text: str) -> QLabel:
    label = QLabel(f"<b>Meaning of the signature:</b> {text}")
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    return label


class SignDialog(QDialog):
    """What is missing, who signs, what it means, and the password again; Sign waits for the required items.

    `sign` stores the signature with the password typed and returns None, or the refusal: a wrong password
    keeps the dialog open to type it again; any other refusal closes it (the screen then shows what is stored).
    """

    def __init__(
        self,
        detail: SessionDetail,
        gaps: tuple[Gap, ...],
        signer: Practitioner | None,
        now: str,
        sign: Callable[[str], UserError | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.sign = sign
        self.refusal: UserError | None = None
        session = detail.session
        self.setWindowTitle("Sign session")
        self.setMinimumWidth(560)
        total = sum(site.volume_ml for site in detail.sites)
        summary = QLabel(
            f"Session of {session.started_at:%d.%m.%Y %H:%M}: {len(detail.sites)} injection "
            f"site{'s' if len(detail.sites) != 1 else ''}, {total:g} mL in all."
        )
        checklist = QGroupBox("Before signing")
        rows = QVBoxLayout(checklist)
        required = [gap for gap in gaps if gap.required]
        for gap in gaps:
            line = QLabel(("✗ " if gap.required else "• ") + gap.text + ("" if gap.required else " (a reminder)"))
            line.setWordWrap(True)
            line.setStyleSheet(MISSING_STYLE if gap.required else REMINDER_STYLE)
            rows.addWidget(line)
        if not gaps:
            rows.addWidget(QLabel("✓ Nothing is missing."))
        elif required:
            waits = QLabel("Signing waits for the items marked ✗: complete them in the session's details.")
            waits.setWordWrap(True)
            rows.addWidget(waits)
        self.password = password_field()
        self.password.setEnabled(not required and signer is not None)
        form = QFormLayout()
        form.addRow("Your password", self.password)
        self.message = FormMessage()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.sign_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_button.setText("Sign")
        self.sign_button.setMinimumHeight(40)
        self.sign_button.setEnabled(not required and signer is not None)
        buttons.accepted.connect(self.try_sign)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(checklist)
        layout.addWidget(_signer_line(signer, now))
        layout.addWidget(_meaning(SIGNATURE_MEANING))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        if self.password.isEnabled():
            self.password.setFocus()

    def try_sign(self) -> bool:
        """Sign with the password typed; True when signed."""
        refusal = self.sign(self.password.text())
        self.password.clear()
        if refusal is None:
            self.accept()
            return True
        if isinstance(refusal, PasswordRefused):
            self.message.refusal(refusal)  # the dialog grows: the list above keeps its lines whole
            self.password.setFocus()
            return False
        self.refusal = refusal
        self.reject()
        return False


class AmendmentDialog(QDialog):
    """An amendment to a signed session: why, the addendum, corrected site values, and the signature."""

    MAX_CORRECTIONS = 8

    def __init__(
        self,
        detail: SessionDetail,
        current_sites: tuple[Site, ...],
        signer: Practitioner | None,
        now: str,
        amend: Callable[[AmendmentDraft, str], UserError | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.amend = amend
        self.sites = {site.number: site for site in current_sites}
        session = detail.session
        self.setWindowTitle("Amend signed session")
        self.setMinimumWidth(640)
        intro = QLabel(
            f"The session of {session.started_at:%d.%m.%Y %H:%M} stays exactly as it was signed by "
            f"{session.signed_by}. An amendment is added beside it, with your name, the time and your reason, "
            "and is printed with the session."
        )
        intro.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setMinimumHeight(34)
        self.reason.setPlaceholderText("why the record needs amending (required)")
        self.text = QPlainTextEdit()
        self.text.setFixedHeight(90)
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText("the addendum, as it should be read with the record")
        form = QFormLayout()
        form.addRow("Reason", self.reason)
        form.addRow("Addendum", self.text)
        corrections = QGroupBox("Corrected values (optional)")
        self.grid = QGridLayout(corrections)
        for column, title in enumerate(("Site", "Value", "Recorded", "Correct value")):
            self.grid.addWidget(QLabel(f"<b>{title}</b>"), 0, column)
        self.rows: list[tuple[QComboBox, QComboBox, QLabel, QLineEdit]] = []
        self.add_row_button = QPushButton("Add a corrected value")
        self.add_row_button.setMinimumHeight(34)
        self.add_row_button.clicked.connect(self.add_row)
        self.add_row_button.setEnabled(bool(self.sites))
        self.password = password_field()
        sign_form = QFormLayout()
        sign_form.addRow("Your password", self.password)
        self.message = FormMessage()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Sign amendment")
        ok.setMinimumHeight(40)
        ok.setEnabled(signer is not None)
        buttons.accepted.connect(self.try_amend)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(corrections)
        layout.addWidget(self.add_row_button)
        layout.addWidget(_signer_line(signer, now))
        layout.addWidget(_meaning(AMENDMENT_MEANING))
        layout.addLayout(sign_form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.reason.setFocus()

    def add_row(self) -> None:
        """One more corrected value: a site, which of its values, and the correct one."""
        if len(self.rows) >= self.MAX_CORRECTIONS:
            return
        site_box = QComboBox()
        for number in sorted(self.sites):
            site_box.addItem(f"Site {number}", number)
        field_box = QComboBox()
        for key, title in CORRECTABLE.items():
            field_box.addItem(title, key)
        recorded = QLabel()
        value = QLineEdit()
        value.setMinimumHeight(32)
        row = len(self.rows) + 1
        for column, widget in enumerate((site_box, field_box, recorded, value)):
            self.grid.addWidget(widget, row, column)
        entry = (site_box, field_box, recorded, value)
        self.rows.append(entry)

        def show_recorded() -> None:
            site = self.sites.get(site_box.currentData())
            shown = getattr(site, str(field_box.currentData()), "") if site is not None else ""
            recorded.setText("—" if shown in (None, "") else f"{shown:g}" if isinstance(shown, float) else str(shown))

        site_box.currentIndexChanged.connect(lambda _i: show_recorded())
        field_box.currentIndexChanged.connect(lambda _i: show_recorded())
        show_recorded()
        self.add_row_button.setEnabled(len(self.rows) < self.MAX_CORRECTIONS)
        site_box.setFocus()

    def draft(self) -> AmendmentDraft:
        """The amendment as typed (rows with no correct value typed are left out)."""
        corrections = tuple(
            Correction(int(site_box.currentData()), str(field_box.currentData()), None, value.text().strip())
            for site_box, field_box, _recorded, value in self.rows
            if value.text().strip()
        )
        return AmendmentDraft(self.reason.text(), self.text.toPlainText(), corrections)

    def try_amend(self) -> bool:
        """Store and sign the amendment; on a refusal say why and keep everything typed but the password."""
        refusal = self.amend(self.draft(), self.password.text())
        self.password.clear()
        if refusal is None:
            self.accept()
            return True
        self.message.refusal(refusal)
        return False
