"""The patient form: messages beside the fields, chart numbers, sex, name order, and possible duplicates."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from sclerochart.domain.names import NameOrder
from sclerochart.domain.values import Patient, Sex
from sclerochart.services import clinic, patients
from sclerochart.services.api import ServiceApi
from sclerochart.services.context import ServiceContext
from sclerochart.ui.patient_form import PatientForm
from tests.conftest import patient_draft
from tests.ui.helpers import DialogAnswers


@pytest.fixture
def form(qtbot: QtBot, ctx: ServiceContext) -> PatientForm:
    dialog = PatientForm(lambda draft, _shown: patients.create_patient(ctx, draft))
    qtbot.addWidget(dialog)
    return dialog


def fill(form: PatientForm, **values: str) -> None:
    fields = {"chart": "SC-0100", "family": "Ødegård", "given": "Łucja", "born": "29.02.1980", **values}
    form.chart_number.setText(fields["chart"])
    form.family_name.setText(fields["family"])
    form.given_name.setText(fields["given"])
    form.date_of_birth.setText(fields["born"])


def test_a_new_patient_with_letters_from_any_script_is_stored(form: PatientForm, ctx: ServiceContext) -> None:
    fill(form, family="Кузнецова", given="Zoë Ł.")
    form.history["anticoagulation"].setChecked(True)
    form.store()
    assert form.result() == PatientForm.DialogCode.Accepted
    assert form.saved is not None
    stored = patients.get_patient(ctx, form.saved.id)
    assert (stored.family_name, stored.given_name, stored.history) == ("Кузнецова", "Zoë Ł.", ("anticoagulation",))
    assert str(stored.date_of_birth) == "1980-02-29"


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"born": "2031-01-01"}, "Date of birth", "is in the future"),
        ({"born": "31.02.1980"}, "Date of birth", "is not a date"),
        ({"family": ""}, "Family name", "is required"),
        ({"chart": "#12"}, "Chart number", "may hold only"),
    ],
)
def test_a_bad_field_is_shown_beside_it_and_nothing_is_stored(
    form: PatientForm, ctx: ServiceContext, values: dict[str, str], field: str, words: str
) -> None:
    fill(form, **values)
    form.store()
    assert words in form.form.message(field)
    assert form.saved is None and form.result() != PatientForm.DialogCode.Accepted
    assert patients.search_patients(ctx, "") == ()


def test_a_chart_number_in_use_names_its_holder(form: PatientForm, ctx: ServiceContext) -> None:
    patients.create_patient(ctx, patient_draft(chart_number="SC-0100"))
    fill(form)
    form.store()
    assert "already belongs to Łukasiewicz-Ødegård, Zoë" in form.form.message("Chart number")


def test_editing_shows_the_stored_values_and_saves_changes(qtbot: QtBot, ctx: ServiceContext) -> None:
    patient = patients.create_patient(ctx, patient_draft(allergies="latex"))
    dialog = PatientForm(
        lambda draft, shown: patients.update_patient(ctx, patient.id, draft, shown.version),  # type: ignore[union-attr]
        patient,
        reload=lambda patient_id: patients.get_patient(ctx, patient_id),
    )
    qtbot.addWidget(dialog)
    assert dialog.date_of_birth.text() == "29.02.1980"
    assert dialog.allergies.toPlainText() == "latex"
    dialog.phone.setText("+47 22 33 44 55")
    dialog.store()
    assert patients.get_patient(ctx, patient.id).phone == "+47 22 33 44 55"


def test_a_patient_changed_elsewhere_is_refused_then_shown_as_stored_and_saved_on_the_second_try(
    qtbot: QtBot, ctx: ServiceContext
) -> None:
    patient = patients.create_patient(ctx, patient_draft())
    dialog = PatientForm(
        lambda draft, shown: patients.update_patient(ctx, patient.id, draft, shown.version),  # type: ignore[union-attr]
        patient,
        reload=lambda patient_id: patients.get_patient(ctx, patient_id),
    )
    qtbot.addWidget(dialog)
    patients.update_patient(ctx, patient.id, replace(patient.draft(), allergies="latex"), patient.version)  # elsewhere
    dialog.phone.setText("+47 22 33 44 55")
    dialog.store()
    assert "was changed by tester" in dialog.problem.text()
    assert dialog.allergies.toPlainText() == "latex", "the form now shows what is stored"
    assert patients.get_patient(ctx, patient.id).phone == ""
    dialog.phone.setText("+47 22 33 44 55")
    dialog.store()
    stored = patients.get_patient(ctx, patient.id)
    assert (stored.phone, stored.allergies) == ("+47 22 33 44 55", "latex")


# Chart numbers --------------------------------------------------------------------------------------------
def _new_form(qtbot: QtBot, ctx: ServiceContext) -> PatientForm:
    api = ServiceApi(ctx)
    dialog = PatientForm(
        lambda draft, _shown: api.create_patient(draft),
        next_chart_number=api.next_chart_number,
        duplicates=api.possible_duplicates,
    )
    qtbot.addWidget(dialog)
    return dialog


def test_a_blank_chart_number_is_assigned_by_the_clinics_pattern_and_says_so(qtbot: QtBot, ctx: ServiceContext) -> None:
    patients.create_patient(ctx, patient_draft(chart_number="000123"))
    form = _new_form(qtbot, ctx)
    assert form.chart_number.placeholderText() == "Left blank: the next free, now 000124"
    fill(form, chart="")
    form.store()
    assert form.result() == PatientForm.DialogCode.Accepted
    assert form.saved is not None and form.saved.chart_number == "000124"


def test_a_typed_chart_number_is_kept(qtbot: QtBot, ctx: ServiceContext) -> None:
    form = _new_form(qtbot, ctx)
    fill(form, chart="SC-0100")
    form.store()
    assert form.saved is not None and form.saved.chart_number == "SC-0100"


def test_without_a_pattern_the_chart_number_is_typed(qtbot: QtBot, ctx: ServiceContext) -> None:
    clinic.change_settings(ctx, {"chart_number_pattern": ""}, clinic.settings_version(ctx))
    form = _new_form(qtbot, ctx)
    assert form.chart_number.placeholderText() == ""
    fill(form, chart="")
    form.store()
    assert "is required" in form.form.message("Chart number")
    assert form.saved is None


def test_editing_a_patient_offers_no_number_to_assign(qtbot: QtBot, ctx: ServiceContext) -> None:
    patient = patients.create_patient(ctx, patient_draft())
    api = ServiceApi(ctx)
    dialog = PatientForm(lambda d, s: api.update_patient(patient.id, d, patient.version), patient)
    qtbot.addWidget(dialog)
    assert dialog.chart_number.text() == "SC-0001" and dialog.chart_number.placeholderText() == ""


# Sex ------------------------------------------------------------------------------------------------------
def test_sex_is_not_chosen_for_the_user(form: PatientForm, ctx: ServiceContext) -> None:
    assert form.sex.currentText() == "Not recorded"
    assert [form.sex.itemText(i) for i in range(form.sex.count())] == ["Not recorded", "Female", "Male", "Other"]
    fill(form)
    form.store()
    assert form.saved is not None and patients.get_patient(ctx, form.saved.id).sex is Sex.UNKNOWN


def test_a_stored_sex_is_shown(qtbot: QtBot, ctx: ServiceContext) -> None:
    patient = patients.create_patient(ctx, patient_draft(sex=Sex.MALE))
    dialog = PatientForm(lambda d, s: patient, patient)
    qtbot.addWidget(dialog)
    assert dialog.sex.currentText() == "Male"


# Errors go as soon as the value is allowed ----------------------------------------------------------------
def test_a_fields_error_goes_as_soon_as_it_is_corrected(qtbot: QtBot, form: PatientForm) -> None:
    fill(form, born="31.02.1980", family="")
    form.email.setText("anna.example.org")
    form.store()
    assert "is not a date" in form.form.message("Date of birth")
    assert "is required" in form.form.message("Family name")
    assert "must look like" in form.form.message("E-mail")
    form.date_of_birth.clear()
    qtbot.keyClicks(form.date_of_birth, "31.02.198")
    assert "is not a date" in form.form.message("Date of birth"), "still wrong: still said"
    form.date_of_birth.clear()
    qtbot.keyClicks(form.date_of_birth, "28.02.1980")
    assert form.form.message("Date of birth") == "", "gone as soon as it is a date, before Save"
    qtbot.keyClicks(form.family_name, "B")
    assert form.form.message("Family name") == ""
    assert "must look like" in form.form.message("E-mail"), "a field not yet corrected keeps its message"
    form.email.setText("anna@example.org")
    assert form.form.message("E-mail") == ""


def test_a_field_is_not_scolded_while_it_is_first_typed(qtbot: QtBot, form: PatientForm) -> None:
    qtbot.keyClicks(form.date_of_birth, "31.0")
    assert form.form.message("Date of birth") == ""


# Name order -----------------------------------------------------------------------------------------------
def test_the_name_order_is_suggested_by_the_names_typed_until_chosen(
    qtbot: QtBot, form: PatientForm, ctx: ServiceContext
) -> None:
    assert form.name_order.currentData() == NameOrder.GIVEN_FIRST.value
    form.family_name.insert("张")  # as typed (an input method hands over whole characters)
    form.given_name.insert("伟")
    assert form.name_order.currentData() == NameOrder.FAMILY_FIRST.value
    assert form.name_shown.text() == "Written: 张伟"
    form.family_name.setText("Nguyễn")
    form.given_name.setText("Thị Hồng")
    assert form.name_order.currentData() == NameOrder.GIVEN_FIRST.value, "Latin letters suggest given name first"
    index = form.name_order.findData(NameOrder.FAMILY_FIRST.value)
    form.name_order.setCurrentIndex(index)
    form.name_order.activated.emit(index)  # chosen by the user
    form.given_name.setText("Thị Hồng Anh")
    assert form.name_order.currentData() == NameOrder.FAMILY_FIRST.value, "the user's choice stays"
    assert form.name_shown.text() == "Written: Nguyễn Thị Hồng Anh"
    form.chart_number.setText("SC-0100")
    form.date_of_birth.setText("01.01.1990")
    form.store()
    assert form.saved is not None
    stored = patients.get_patient(ctx, form.saved.id)
    assert stored.name_order is NameOrder.FAMILY_FIRST and stored.full_name == "Nguyễn Thị Hồng Anh"


def test_a_stored_patients_name_order_is_kept_when_the_names_change(qtbot: QtBot, ctx: ServiceContext) -> None:
    patient = patients.create_patient(ctx, patient_draft(family_name="Kovács", given_name="Anna"))
    patient = patients.update_patient(
        ctx, patient.id, replace(patient.draft(), name_order=NameOrder.FAMILY_FIRST), patient.version
    )
    dialog = PatientForm(lambda d, shown: patients.update_patient(ctx, patient.id, d, patient.version), patient)
    qtbot.addWidget(dialog)
    assert dialog.name_order.currentData() == NameOrder.FAMILY_FIRST.value
    dialog.family_name.setText("Kovács-Szabó")
    assert dialog.name_order.currentData() == NameOrder.FAMILY_FIRST.value
    dialog.store()
    assert patients.get_patient(ctx, patient.id).full_name == "Kovács-Szabó Anna"


# Possible duplicates --------------------------------------------------------------------------------------
def _button(dialog: QDialog, text: str) -> QPushButton:
    return next(button for button in dialog.findChildren(QPushButton) if button.text() == text)


def _stored_twin(ctx: ServiceContext) -> Patient:
    """A stored patient named as `fill` names the new one, born the same day: chart SC-0007."""
    return patients.create_patient(
        ctx, patient_draft(chart_number="SC-0007", family_name="Ødegård", given_name="Łucja")
    )


def test_a_possible_duplicate_is_pointed_out_and_going_back_is_the_default(
    qtbot: QtBot, ctx: ServiceContext, dialogs: DialogAnswers
) -> None:
    _stored_twin(ctx)
    form = _new_form(qtbot, ctx)
    fill(form, family="ØDEGÅRD", given="Łucja ")
    asked: list[str] = []

    def go_back(dialog: QDialog) -> None:
        assert isinstance(dialog, QMessageBox)
        asked.append(dialog.text())
        assert dialog.defaultButton() is _button(dialog, "Go back")
        _button(dialog, "Go back").click()

    dialogs.answer(go_back)
    form.store()
    assert dialogs.seen == ["Possible duplicate patient"]
    assert "Ødegård, Łucja, chart SC-0007, born 29.02.1980" in asked[0]
    assert form.saved is None and form.result() != PatientForm.DialogCode.Accepted
    assert "already recorded (chart SC-0007)" in form.problem.text()
    assert len(patients.search_patients(ctx, "")) == 1


def test_save_anyway_records_a_second_person_with_the_same_name(
    qtbot: QtBot, ctx: ServiceContext, dialogs: DialogAnswers
) -> None:
    _stored_twin(ctx)
    form = _new_form(qtbot, ctx)
    fill(form, chart="SC-0100")
    form.email.setText("not an address")
    dialogs.answer(lambda dialog: _button(dialog, "Save anyway").click())
    form.store()
    assert "must look like" in form.form.message("E-mail")
    form.email.setText("lucja@example.org")
    form.store()  # answered already for this name and birth date: not asked again
    assert dialogs.seen == ["Possible duplicate patient"]
    assert form.saved is not None and form.saved.chart_number == "SC-0100"
    assert len(patients.search_patients(ctx, "")) == 2


def test_an_edit_is_asked_about_only_when_it_changes_the_name_or_birth_date(
    qtbot: QtBot, ctx: ServiceContext, dialogs: DialogAnswers
) -> None:
    twin = _stored_twin(ctx)
    patient = patients.create_patient(
        ctx, patient_draft(chart_number="SC-0100", family_name="Ødegård", given_name="Lucia")
    )
    api = ServiceApi(ctx)
    form = PatientForm(
        lambda draft, shown: api.update_patient(patient.id, draft, shown.version),  # type: ignore[union-attr]
        patient,
        reload=api.get_patient,
        duplicates=api.possible_duplicates,
    )
    qtbot.addWidget(form)
    form.phone.setText("+47 22 33 44 55")
    form.store()
    assert dialogs.seen == [] and form.saved is not None
    form = PatientForm(
        lambda draft, shown: api.update_patient(patient.id, draft, shown.version),  # type: ignore[union-attr]
        api.get_patient(patient.id),
        reload=api.get_patient,
        duplicates=api.possible_duplicates,
    )
    qtbot.addWidget(form)
    form.given_name.setText("Łucja")
    dialogs.answer(lambda dialog: _button(dialog, "Go back").click())
    form.store()
    assert dialogs.seen == ["Possible duplicate patient"]
    assert api.get_patient(patient.id).given_name == "Lucia"
    assert twin.chart_number in form.problem.text()
