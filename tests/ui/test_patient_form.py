"""The patient form: messages beside the fields, nothing stored until every field is allowed."""

from __future__ import annotations

from dataclasses import replace

import pytest
from pytestqt.qtbot import QtBot

from sclerochart.services import patients
from sclerochart.services.context import ServiceContext
from sclerochart.ui.patient_form import PatientForm
from tests.conftest import patient_draft


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
