"""Signing with a password and a completeness list, amendments to signed sessions, and drafts set aside."""

from __future__ import annotations

import pytest
import sqlalchemy.exc
from sqlalchemy import text

from sclerochart.domain.accounts import AccountDraft, Role
from sclerochart.domain.audit_words import in_words
from sclerochart.domain.diagram import point_for
from sclerochart.domain.errors import ConflictError, StaleError, ValidationError
from sclerochart.domain.signing import AMENDMENT_MEANING, AmendmentDraft, Correction
from sclerochart.domain.values import SIGNATURE_MEANING, Form, SessionDraft, SiteDraft, VesselType, View
from sclerochart.services import accounts, audit, clinic, patients, session_detail, sessions, signatures, sites
from sclerochart.services.accounts import WrongPassword
from sclerochart.services.context import ServiceContext
from sclerochart.store.integrity import verify_audit_chain
from tests.conftest import patient_draft
from tests.signing import PASSWORD, make_complete, sign, signed_in

REFUSED = (sqlalchemy.exc.IntegrityError, sqlalchemy.exc.DatabaseError, sqlalchemy.exc.InternalError)


def site_draft(height: float = 30.0, ml: float = 0.3) -> SiteDraft:
    x, y = point_for(View.ANTERIOR, 0, height, 0.0)
    return SiteDraft(View.ANTERIOR, x, y, 1, 0.5, Form.LIQUID, ml, VesselType.TELANGIECTASIA)


@pytest.fixture
def session_id(ctx: ServiceContext) -> str:
    signed_in(ctx)
    patient = patients.create_patient(ctx, patient_draft())
    sid = sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=70.0)).id
    sites.add_site(ctx, sid, site_draft(30))
    sites.add_site(ctx, sid, site_draft(40))
    return sid


def test_the_completeness_list_blocks_signing_until_the_required_items_are_done(
    ctx: ServiceContext, session_id: str
) -> None:
    gaps = signatures.gaps_of(ctx, session_id)
    assert {gap.key for gap in gaps if gap.required} == {"practitioner", "consent", "checklist"}
    assert not any(gap.required for gap in gaps if gap.key in {"ceap", "compression", "lot_numbers"})
    version = session_detail.get_session(ctx, session_id).session.version
    with pytest.raises(ConflictError, match=r"still missing: Practitioner.*Consent.*Checklist"):
        signatures.sign_session(ctx, session_id, version, PASSWORD)
    assert session_detail.get_session(ctx, session_id).session.state == "draft"
    clinic.change_setting(ctx, "signing_needs_lot_numbers", True)
    version = make_complete(ctx, session_id)
    with pytest.raises(ConflictError, match="Lot numbers: missing at sites 1, 2"):
        signatures.sign_session(ctx, session_id, version, PASSWORD)


def test_signing_asks_the_password_again_and_records_name_time_and_meaning(
    ctx: ServiceContext, session_id: str
) -> None:
    version = make_complete(ctx, session_id)
    with pytest.raises(WrongPassword):
        signatures.sign_session(ctx, session_id, version, "not my password")
    assert session_detail.get_session(ctx, session_id).session.state == "draft"
    signed = signatures.sign_session(ctx, session_id, version, PASSWORD)
    person = ctx.signed_in()
    assert (signed.signed_by, signed.signer_id, signed.signed_at) == ("Dr. Ana Müller", person.id, ctx.clock())
    assert signed.signature_meaning == SIGNATURE_MEANING


def test_signing_a_stale_screen_is_refused(ctx: ServiceContext, session_id: str) -> None:
    version = make_complete(ctx, session_id)
    sites.add_site(ctx, session_id, site_draft(50))
    with pytest.raises(StaleError, match="Nothing was signed"):
        signatures.sign_session(ctx, session_id, version, PASSWORD)


def test_an_amendment_keeps_the_original_and_appends_signed_corrections(ctx: ServiceContext, session_id: str) -> None:
    sign(ctx, session_id)
    original = session_detail.get_session(ctx, session_id)
    first = signatures.amend_session(
        ctx,
        session_id,
        AmendmentDraft(
            "Volume misread from the syringe", "Checked with the nurse.", (Correction(2, "volume_ml", None, "0,2"),)
        ),
        PASSWORD,
    )
    assert (first.number, first.signed_by, first.meaning) == (1, "Dr. Ana Müller", AMENDMENT_MEANING)
    assert first.corrections == (Correction(2, "volume_ml", 0.3, 0.2),)
    second = signatures.amend_session(
        ctx, session_id, AmendmentDraft("Second look", "", (Correction(2, "volume_ml", None, 0.25),)), PASSWORD
    )
    assert second.corrections[0].before == 0.2  # what the record said after the first amendment
    assert session_detail.get_session(ctx, session_id).sites == original.sites  # as signed
    corrected = signatures.corrected_sites(original.sites, signatures.amendments_of(ctx, session_id))
    assert [site.volume_ml for site in corrected] == [0.3, 0.25]
    assert verify_audit_chain(ctx.db).ok


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (AmendmentDraft("", "text"), "Reason"),
        (AmendmentDraft("why", ""), "Addendum"),
        (AmendmentDraft("why", "", (Correction(9, "volume_ml", None, 0.2),)), "Site"),
        (AmendmentDraft("why", "", (Correction(1, "agent_id", None, 2),)), "Value"),
        (AmendmentDraft("why", "", (Correction(1, "volume_ml", None, "lots"),)), "Corrected value"),
        (AmendmentDraft("why", "", (Correction(1, "volume_ml", None, -1),)), "Site 1, volume"),
    ],
)
def test_a_bad_amendment_names_the_problem_and_stores_nothing(
    ctx: ServiceContext, session_id: str, draft: AmendmentDraft, field: str
) -> None:
    sign(ctx, session_id)
    with pytest.raises(ValidationError) as caught:
        signatures.amend_session(ctx, session_id, draft, PASSWORD)
    assert any(error.field.startswith(field) for error in caught.value.errors), caught.value
    assert signatures.amendments_of(ctx, session_id) == ()


def test_only_a_signed_session_is_amended_and_amendments_cannot_be_edited(ctx: ServiceContext, session_id: str) -> None:
    with pytest.raises(ConflictError, match="not signed"):
        signatures.amend_session(ctx, session_id, AmendmentDraft("why", "text"), PASSWORD)
    sign(ctx, session_id)
    signatures.amend_session(ctx, session_id, AmendmentDraft("why", "text"), PASSWORD)
    for statement in ("UPDATE amendments SET text = 'rewritten'", "DELETE FROM amendments"):
        with pytest.raises(REFUSED, match="cannot be changed"), ctx.db.engine.begin() as connection:
            connection.execute(text(statement))
    assert signatures.amendments_of(ctx, session_id)[0].text == "text"


def test_a_voided_draft_is_kept_marked_and_left_out_of_totals(ctx: ServiceContext, session_id: str) -> None:
    detail = session_detail.get_session(ctx, session_id)
    with pytest.raises(ValidationError, match="Reason"):
        signatures.void_session(ctx, session_id, "  ", detail.session.version)
    with pytest.raises(ConflictError, match="holds injection sites"):
        signatures.delete_empty_draft(ctx, session_id, detail.session.version)
    voided = signatures.void_session(ctx, session_id, "Patient felt faint; treatment stopped", detail.session.version)
    assert voided.voided and voided.voided_by == "Dr. Ana Müller"
    patient_id = voided.patient_id
    (line,) = sessions.list_sessions(ctx, patient_id)
    assert line.voided and line.site_count == 2
    later = sessions.start_session(ctx, patient_id, SessionDraft(None, ctx.clock(), weight_kg=70.0))
    assert session_detail.get_session(ctx, later.id).earlier_mg == {}  # the voided session's dose does not count
    with pytest.raises(ConflictError, match="voided"):
        sites.add_site(ctx, session_id, site_draft(60))
    with pytest.raises(REFUSED, match="cannot be changed"), ctx.db.engine.begin() as connection:
        connection.execute(text("UPDATE treatment_sessions SET notes = 'x' WHERE id = :s"), {"s": session_id})


def test_an_empty_draft_can_be_deleted_and_a_stale_screen_cannot(ctx: ServiceContext, session_id: str) -> None:
    patient_id = session_detail.get_session(ctx, session_id).session.patient_id
    empty = sessions.start_session(ctx, patient_id, SessionDraft(None, ctx.clock(), weight_kg=70.0))
    sessions.update_session(ctx, empty.id, SessionDraft(None, ctx.clock(), weight_kg=71.0), empty.details_version)
    with pytest.raises(StaleError):
        signatures.delete_empty_draft(ctx, empty.id, empty.version)
    current = session_detail.get_session(ctx, empty.id).session.version
    signatures.delete_empty_draft(ctx, empty.id, current)
    assert [line.id for line in sessions.list_sessions(ctx, patient_id)] == [session_id]
    assert verify_audit_chain(ctx.db).ok
    trail = audit.patient_trail(ctx, patient_id, (session_id,))
    of_deleted = [entry.action for entry in trail if entry.entity == "session" and entry.entity_id == empty.id]
    assert of_deleted == ["create", "update", "remove"], "the patient's trail still lists the deleted session"
    assert in_words(trail[-1]).startswith("empty session of 23.11.2026")


def test_the_daily_limit_counts_the_dose_an_amendment_corrected(ctx: ServiceContext, session_id: str) -> None:
    sign(ctx, session_id)
    patient_id = session_detail.get_session(ctx, session_id).session.patient_id
    later = sessions.start_session(ctx, patient_id, SessionDraft(None, ctx.clock(), weight_kg=70.0))
    before = session_detail.get_session(ctx, later.id).earlier_mg
    signatures.amend_session(
        ctx, session_id, AmendmentDraft("Volume misread", "", (Correction(1, "volume_ml", None, 1.5),)), PASSWORD
    )
    after = session_detail.get_session(ctx, later.id).earlier_mg
    (agent,) = before
    assert after[agent] == pytest.approx(before[agent] + 1.2 * 5.0)  # 1.2 mL more of 0.5 % = 6 mg


def test_the_session_is_signed_by_its_own_practitioner(ctx: ServiceContext, session_id: str) -> None:
    version = make_complete(ctx, session_id)  # Dr. Ana Müller treated
    accounts.add_account(ctx, AccountDraft("Nurse Ruth", "ruth", Role.NURSE), PASSWORD)
    accounts.sign_in(ctx, "ruth", PASSWORD)
    gaps = signatures.gaps_of(ctx, session_id)
    assert [gap.key for gap in gaps if gap.required] == ["signer"]
    with pytest.raises(ConflictError, match=r"recorded as treated by Dr\. Ana Müller"):
        signatures.sign_session(ctx, session_id, version, PASSWORD)
