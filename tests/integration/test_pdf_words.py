"""No text meant for the developers, and no stored code, reaches a printed page: all four documents are read."""

from __future__ import annotations

import re
from dataclasses import replace

from sclerochart.domain.names import NameOrder
from sclerochart.reports.audit_report import audit_row, audit_trail_pdf
from sclerochart.reports.handout import aftercare_handout
from sclerochart.reports.session_report import session_report
from sclerochart.reports.summary import treatment_summary
from sclerochart.services import audit, clinic, patients, records
from sclerochart.services.context import ServiceContext
from tests.conftest import NOW
from tests.integration.documents import NAMES, chart_session, name_the_clinic, pdf_text

DEVELOPER_WORDS = re.compile(
    r"DOMAIN|DESIGN\.md|§|product brief|\bIssue \d|given_first|family_first|\bNone\b|_id\b|_ml\b|\bTrue\b|\bFalse\b"
)


def test_no_developer_word_or_stored_code_is_printed_in_any_document(ctx: ServiceContext) -> None:
    name_the_clinic(ctx)
    session_id = chart_session(ctx, NAMES[2], sites=6, notes="Feeder veins behind the knee.")
    record = records.session_record(ctx, session_id)
    patient = record.patient
    patients.update_patient(
        ctx, patient.id, replace(patient.draft(), name_order=NameOrder.GIVEN_FIRST), patient.version
    )
    record = records.session_record(ctx, session_id)
    documents = {
        "session report": session_report(record, NOW),
        "aftercare handout": aftercare_handout(record, NOW),
        "treatment summary": treatment_summary(records.patient_record(ctx, patient.id), NOW),
        "audit trail": audit_trail_pdf(
            "Audit trail",
            [audit_row(entry) for entry in audit.patient_trail(ctx, patient.id, (session_id,))],
            clinic.load_settings(ctx),
            NOW,
            record_id=patient.id,
        ),
    }
    found = [
        f"{name}, page {number}: {match.group()!r} in …{page[max(0, match.start() - 40) : match.end() + 40]}…"
        for name, pdf in documents.items()
        for number, page in enumerate(pdf_text(pdf), start=1)
        for match in DEVELOPER_WORDS.finditer(page)
    ]
    assert not found, "\n".join(found)
    assert "name order: family name first → given name first" in " ".join(pdf_text(documents["audit trail"]))
