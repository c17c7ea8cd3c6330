"""The texts a document prints that someone typed, each named as a clinician finds it, to check before printing.

A document is refused, before anything is made, when one of these texts holds a character that none of the
shipped fonts has (`fonts.check_printable`); the message names the text, the character and what to do.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sclerochart.domain.follow_up import FollowUpVisit
from sclerochart.domain.handout import SECTIONS
from sclerochart.domain.values import Patient
from sclerochart.readmodels import PatientRecord, SessionDetail, SessionRecord
from sclerochart.reports.fonts import NAME_HINT, TEXT_HINT
from sclerochart.settings import ClinicSettings

Text = tuple[str, str, str]
"""What the text is ("The patient's family name"), the text, and what to do when it cannot be printed."""

PATIENT_HINT = "Correct it in the patient's details, or type it in Latin letters."
CLINIC_HINT = "Correct it in Clinic settings, or type it in Latin letters."
HANDOUT_HINT = "Correct it in Clinic settings, on the Aftercare handout tab."
PRACTITIONER_HINT = "Correct the name in the list of practitioners, or type it in Latin letters."


def patient_texts(patient: Patient) -> Iterator[Text]:
    """The patient's name, chart number and allergies."""
    yield "The patient's family name", patient.family_name, NAME_HINT
    yield "The patient's given name", patient.given_name, NAME_HINT
    yield "The chart number", patient.chart_number, PATIENT_HINT
    yield "The patient's allergies", patient.allergies, PATIENT_HINT


def clinic_texts(clinic: ClinicSettings) -> Iterator[Text]:
    """The clinic's name, address and phone number in the page header."""
    yield "The clinic's name", clinic.clinic_name, CLINIC_HINT
    yield "The clinic's address", clinic.clinic_address, CLINIC_HINT
    yield "The clinic's phone number", clinic.clinic_phone, CLINIC_HINT


def session_texts(detail: SessionDetail, *, dated: bool = False) -> Iterator[Text]:
    """What was typed into a session: people's names, notes, reasons, lot numbers, sclerosants, amendments.

    Args:
        detail: The session.
        dated: Name the session by its date in each description (the summary lists several sessions).
    """
    header = detail.session
    of = f" of the session of {header.started_at:%d.%m.%Y}" if dated else ""
    yield f"The practitioner's name{of}", header.practitioner_name, PRACTITIONER_HINT
    yield f"The notes{of}", header.notes, TEXT_HINT
    yield f"The reason no weight was taken{of}", header.weight_reason, TEXT_HINT
    yield f"The reason recorded for treating despite a contraindication{of}", header.checklist_override, TEXT_HINT
    yield f"The CEAP class of the right leg{of}", header.ceap_right, TEXT_HINT
    yield f"The CEAP class of the left leg{of}", header.ceap_left, TEXT_HINT
    yield f"The compression stockings prescribed{of}", header.compression.stocking, CLINIC_HINT
    yield f"The name of the person who signed{of}", header.signed_by, PRACTITIONER_HINT
    yield f"The meaning of the signature{of}", header.signature_meaning, TEXT_HINT
    yield f"The name of the person who voided{of}", header.voided_by, PRACTITIONER_HINT
    yield f"The reason for voiding{of}", header.void_reason, TEXT_HINT
    for agent in detail.agents.values():
        yield "The sclerosant's name", agent.name, TEXT_HINT
        yield "The sclerosant's short name", agent.code, TEXT_HINT
    for site in detail.sites:
        yield f"The region of site {site.number}{of}", site.region_label, TEXT_HINT
        yield f"The notes of site {site.number}{of}", site.notes, TEXT_HINT
        yield f"The lot number of site {site.number}{of}", site.lot_number, TEXT_HINT
    for lot in detail.lots:
        yield f"A lot number of the session{of}", lot.lot_number, TEXT_HINT
        yield f"The reason an expired lot was used{of}", lot.expiry_reason, TEXT_HINT
    for totals in detail.totals:
        yield "The sclerosant's name", totals.agent_name, TEXT_HINT
    for finding in detail.findings:
        yield f"A finding{of}", finding.message, TEXT_HINT
    for amendment in detail.amendments:
        yield f"The reason for amendment {amendment.number}{of}", amendment.reason, TEXT_HINT
        yield f"The addendum of amendment {amendment.number}{of}", amendment.text, TEXT_HINT
        yield f"The name of the person who signed amendment {amendment.number}{of}", amendment.signed_by, TEXT_HINT
        for correction in amendment.corrections:
            yield f"A correction in amendment {amendment.number}{of}", correction.in_words(), TEXT_HINT


def visit_texts(visits: Sequence[FollowUpVisit]) -> Iterator[Text]:
    """What was typed into follow-up visits."""
    for visit in visits:
        when = f"The follow-up visit of {visit.examined_on:%d.%m.%Y}"
        yield f"{when}: the practitioner's name", visit.practitioner_name, PRACTITIONER_HINT
        yield f"{when}: its notes", visit.notes, TEXT_HINT
        yield f"{when}: the name of the person who signed", visit.signed_by, PRACTITIONER_HINT
        for number, finding in enumerate(visit.complications, start=1):
            yield f"{when}: the action taken for complication {number}", finding.action, TEXT_HINT


def session_record_texts(record: SessionRecord) -> Iterator[Text]:
    """Everything typed that the session report prints."""
    yield from patient_texts(record.patient)
    yield from clinic_texts(record.clinic)
    yield from session_texts(record.detail)
    yield from visit_texts(record.visits)


def handout_texts(record: SessionRecord) -> Iterator[Text]:
    """Everything typed that the aftercare handout prints, the clinic's handout text included."""
    yield from session_record_texts(record)
    for section in SECTIONS:
        yield f"The aftercare handout's text “{section.title}”", record.clinic.handout_text(section.key), HANDOUT_HINT


def patient_record_texts(record: PatientRecord) -> Iterator[Text]:
    """Everything typed that the treatment summary prints."""
    yield from patient_texts(record.patient)
    yield from clinic_texts(record.clinic)
    for detail in record.sessions:
        yield from session_texts(detail, dated=True)
    yield from visit_texts(record.course.visits)
