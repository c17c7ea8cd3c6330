"""Archiving a patient (kept, no longer listed) and restoring them; recording and changing a patient from the window."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QPushButton

from sclerochart.services import patients
from sclerochart.ui.main_window import MainWindow
from sclerochart.ui.patient_form import PatientForm
from tests.ui.helpers import DialogAnswers, ctx_of


def _button(dialog: QDialog, text: str) -> QPushButton:
    return next(button for button in dialog.findChildren(QPushButton) if button.text() == text)


def _listed(window: MainWindow) -> list[str]:
    window.search_field.clear()
    window.run_search()
    return [window.patient_model.hit(row).chart_number for row in range(window.patient_model.rowCount())]


def test_archiving_asks_in_plain_words_then_the_patient_is_no_longer_listed(
    window: MainWindow, dialogs: DialogAnswers
) -> None:
    assert window.patient is not None
    patient_id = window.patient.id
    action = window.people.archive_action
    assert action.isEnabled() and action.text() == "&Archive patient…"
    asked: list[str] = []

    def archive(dialog: QDialog) -> None:
        assert isinstance(dialog, QMessageBox)
        asked.append(f"{dialog.text()} {dialog.informativeText()}")
        assert dialog.defaultButton() is not _button(dialog, "Archive"), "archiving is not the default"
        _button(dialog, "Archive").click()

    dialogs.answer(archive)
    action.trigger()
    assert dialogs.seen == ["Archive patient"]
    assert asked[0].startswith("Zoë Łukasiewicz-Ødegård (chart SC-0001, born 29.02.1980) will no longer be listed.")
    assert "Nothing is deleted" in asked[0] and "Show archived patients" in asked[0]
    stored = patients.get_patient(ctx_of(window), patient_id)
    assert stored.archived
    assert _listed(window) == []
    assert "archived" in window.statusBar().currentMessage()
    assert window.name_label.text().endswith("(archived)")
    assert not window.new_session_button.isEnabled()
    assert action.text() == "&Restore patient" and window.people.archive_button.text() == "Restore patient"

    window.show_archived.setChecked(True)
    assert _listed(window) == ["SC-0001"]
    action.trigger()  # restoring asks nothing: it hides nothing
    assert dialogs.seen == ["Archive patient"]
    assert not patients.get_patient(ctx_of(window), patient_id).archived
    window.show_archived.setChecked(False)
    assert _listed(window) == ["SC-0001"]
    assert "restored" in window.statusBar().currentMessage()
    assert action.text() == "&Archive patient…"


def test_cancelling_archives_nothing(window: MainWindow, dialogs: DialogAnswers) -> None:
    dialogs.answer(lambda dialog: _button(dialog, "Cancel").click())
    window.people.archive_action.trigger()
    assert window.patient is not None and not patients.get_patient(ctx_of(window), window.patient.id).archived
    assert _listed(window) == ["SC-0001"]


def test_a_patient_changed_elsewhere_is_not_archived_and_is_shown_as_stored(
    window: MainWindow, dialogs: DialogAnswers, warnings: list[str]
) -> None:
    shown = window.patient
    assert shown is not None
    ctx = ctx_of(window)
    patients.update_patient(ctx, shown.id, replace(shown.draft(), allergies="latex"), shown.version)  # elsewhere
    dialogs.answer(lambda dialog: _button(dialog, "Archive").click())
    window.people.archive_action.trigger()
    assert not patients.get_patient(ctx, shown.id).archived
    assert len(warnings) == 1 and "was changed by tester" in warnings[0] and "Archive again" in warnings[0]
    assert window.allergies_label.text() == "latex", "the patient's details show what is stored"
    assert window.patient is not None and window.patient.version == shown.version + 1


def test_a_new_patient_left_without_a_chart_number_gets_the_next_and_is_told_it(
    window: MainWindow, dialogs: DialogAnswers
) -> None:
    def fill_and_save(dialog: QDialog) -> None:
        assert isinstance(dialog, PatientForm)
        assert dialog.chart_number.placeholderText() == "Left blank: the next free, now 000001"
        dialog.family_name.setText("Schmidt")
        dialog.given_name.setText("Anna")
        dialog.date_of_birth.setText("12.03.1984")
        box = dialog.findChild(QDialogButtonBox)
        assert box is not None
        save = box.button(QDialogButtonBox.StandardButton.Save)
        assert save is not None
        save.click()

    dialogs.answer(fill_and_save)
    window.people.new_patient()
    assert dialogs.seen == ["New patient"]
    assert window.patient is not None and window.patient.chart_number == "000001"
    assert window.statusBar().currentMessage() == "Anna Schmidt recorded with chart number 000001."


def test_editing_from_the_window_keeps_the_chart_number_and_saves(window: MainWindow, dialogs: DialogAnswers) -> None:
    def change_phone(dialog: QDialog) -> None:
        assert isinstance(dialog, PatientForm)
        assert dialog.chart_number.text() == "SC-0001" and dialog.chart_number.placeholderText() == ""
        dialog.phone.setText("+47 22 33 44 55")
        dialog.store()

    dialogs.answer(change_phone)
    window.people.edit_patient()
    assert window.patient is not None and window.patient.phone == "+47 22 33 44 55"
    assert window.statusBar().currentMessage() == "Zoë Łukasiewicz-Ødegård saved."
