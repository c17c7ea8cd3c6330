"""Recall of a lot: every patient, session and site that received it, with the patient's contact details."""

from __future__ import annotations

from sclerochart.domain.diagram import label_of
from sclerochart.domain.errors import FieldError, ValidationError
from sclerochart.domain.names import NameOrder, list_name
from sclerochart.domain.validation import LOT_MAX, clean_text
from sclerochart.readmodels import LotLine
from sclerochart.services import audit
from sclerochart.services.context import ServiceContext
from sclerochart.services.session_detail import practitioner_name
from sclerochart.store.repositories import sites as site_repo


def _lot(text: str) -> str:
    if any(ord(char) < 32 or 0x7F <= ord(char) < 0xA0 for char in text):
        raise ValidationError([FieldError("Lot", "holds invisible control characters; type it again.")])
    lot = clean_text(text)
    if not lot:
        raise ValidationError([FieldError("Lot", "is empty; type the lot number as printed on the vial.")])
    if len(lot) > LOT_MAX:
        raise ValidationError([FieldError("Lot", f"is longer than the {LOT_MAX} characters a lot number holds.")])
    return lot


def sites_with_lot(ctx: ServiceContext, lot: str, *, shown_as: str = "") -> tuple[LotLine, ...]:
    """Every site that received the lot (capitals and spaces around it aside), oldest session first.

    The lines hold patients' contact details: when `shown_as` names where they are shown ("recall of a lot,
    on screen"), each patient listed gets a line in the disclosure log.

    Raises:
        ValidationError: the lot is empty or longer than a lot number can be.
    """
    wanted = _lot(lot)
    with ctx.db.read() as tx:
        lines = tuple(
            LotLine(
                patient_id=patient.id,
                chart_number=patient.chart_number,
                patient_name=list_name(patient.family_name, patient.given_name, NameOrder(patient.name_order)),
                date_of_birth=patient.date_of_birth,
                phone=patient.phone,
                email=patient.email,
                archived=patient.archived,
                session_id=session.id,
                started_at=session.started_at,
                practitioner_name=practitioner_name(tx, session.practitioner_id),
                session_state="voided" if session.voided_at is not None else session.state,
                site_number=site.number,
                region_label=label_of(site.region),
                agent_name=agent_name,
                concentration=site.concentration,
                form=site.form,
                volume_ml=site.volume_ml,
                lot_number=site.lot_number,
            )
            for site, session, patient, agent_name in site_repo.sites_with_lot(tx, wanted)
        )
    if shown_as and lines:
        patients = dict.fromkeys(line.patient_id for line in lines)
        audit.record_disclosures(ctx, "view", "patient", patients, f"{shown_as}: lot {wanted}")
    return lines
