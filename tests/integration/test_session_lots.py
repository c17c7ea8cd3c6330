"""A lot per agent per session on both engines: carried to the agent's sites, expired only with a reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from sclerochart.domain.diagram import point_for
from sclerochart.domain.errors import ConflictError, StaleError, ValidationError
from sclerochart.domain.values import Form, SessionDraft, SiteDraft, VesselType, View
from sclerochart.reports.session_report import session_report
from sclerochart.services import audit, lots, patients, records, session_detail, sessions, sites
from sclerochart.services.context import ServiceContext
from tests.conftest import NOW, patient_draft
from tests.integration.documents import pdf_text
from tests.signing import sign, signed_in

POLIDOCANOL, STS = 1, 2


def _site(height: float, agent_id: int = POLIDOCANOL, lot: str = "") -> SiteDraft:
    x, y = point_for(View.ANTERIOR, 0, height, 0.0)
    concentration = 0.5 if agent_id == POLIDOCANOL else 0.2
    return SiteDraft(
        View.ANTERIOR, x, y, agent_id, concentration, Form.LIQUID, 0.2, VesselType.TELANGIECTASIA, lot_number=lot
    )


def _session(ctx: ServiceContext) -> str:
    signed_in(ctx)
    patient = patients.create_patient(ctx, patient_draft())
    return sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=70.0)).id


def _version(ctx: ServiceContext, session_id: str) -> int:
    return session_detail.get_session(ctx, session_id).session.version


def test_a_lot_set_once_reaches_the_agents_sites_and_the_ones_placed_after(ctx: ServiceContext) -> None:
    session_id = _session(ctx)
    sites.add_site(ctx, session_id, _site(20))
    sites.add_site(ctx, session_id, _site(30, lot="HAND-1"))  # typed by hand: kept
    sites.add_site(ctx, session_id, _site(40, STS))
    expiry = ctx.today() + dt.timedelta(days=400)
    lot, carried = lots.set_session_lot(ctx, session_id, POLIDOCANOL, "  PX2611A ", expiry, _version(ctx, session_id))
    assert (lot.lot_number, lot.expires_on, carried) == ("PX2611A", expiry, 1)
    sites.add_site(ctx, session_id, _site(50))
    stored = {site.number: site.lot_number for site in session_detail.get_session(ctx, session_id).sites}
    assert stored == {1: "PX2611A", 2: "HAND-1", 3: "", 4: "PX2611A"}
    lot, carried = lots.set_session_lot(ctx, session_id, POLIDOCANOL, "PX2611B", expiry, _version(ctx, session_id))
    assert carried == 2, "the sites that held the session's lot follow its correction"
    detail = session_detail.get_session(ctx, session_id)
    assert [site.lot_number for site in detail.sites] == ["PX2611B", "HAND-1", "", "PX2611B"]
    assert [(each.agent_id, each.lot_number) for each in detail.lots] == [(POLIDOCANOL, "PX2611B")]
    assert [e.action for e in audit.history(ctx, "session lot", session_id)] == ["create", "update"]
    words = " ".join(pdf_text(session_report(records.session_record(ctx, session_id), NOW)))
    assert f"PX2611B, expires {expiry:%d.%m.%Y}" in words


@pytest.mark.parametrize(
    ("lot", "expires", "reason", "field", "words"),
    [
        ("   ", None, "", "Lot", "is empty"),
        ("L\x001", None, "", "Lot", "control characters"),
        ("L" * 41, None, "", "Lot", "40 characters"),
        ("L1", "yesterday", "", "Expiry", "Use a vial in date, or give the reason"),
        ("L1", dt.date(1999, 12, 31), "", "Expiry", "not a plausible expiry date"),
        ("L1", dt.date(2099, 1, 1), "", "Expiry", "not a plausible expiry date"),
    ],
)
def test_bad_lots_are_refused_naming_the_field_and_nothing_changes(
    ctx: ServiceContext, lot: str, expires: object, reason: str, field: str, words: str
) -> None:
    session_id = _session(ctx)
    sites.add_site(ctx, session_id, _site(20))
    version = _version(ctx, session_id)
    expiry = ctx.today() - dt.timedelta(days=1) if expires == "yesterday" else expires
    with pytest.raises(ValidationError) as refused:
        lots.set_session_lot(ctx, session_id, POLIDOCANOL, lot, expiry, version, reason)  # type: ignore[arg-type]
    assert [e.field for e in refused.value.errors] == [field] and words in str(refused.value)
    assert lots.session_lots(ctx, session_id) == ()
    assert session_detail.get_session(ctx, session_id).sites[0].lot_number == ""
    assert _version(ctx, session_id) == version


def test_an_expired_lot_is_stored_with_its_reason_and_a_stale_or_signed_session_refuses(ctx: ServiceContext) -> None:
    session_id = _session(ctx)
    sites.add_site(ctx, session_id, _site(20))
    version = _version(ctx, session_id)
    expired = ctx.today() - dt.timedelta(days=3)
    lot, _ = lots.set_session_lot(ctx, session_id, POLIDOCANOL, "OLD-7", expired, version, "no other vial in stock")
    assert lot.expiry_reason == "no other vial in stock" and "EXPIRED" in lot.words()
    with pytest.raises(StaleError):
        lots.set_session_lot(ctx, session_id, POLIDOCANOL, "NEW-1", None, version)
    assert lots.session_lots(ctx, session_id)[0].lot_number == "OLD-7"
    sign(ctx, session_id)
    with pytest.raises(ConflictError, match="signed"):
        lots.set_session_lot(ctx, session_id, POLIDOCANOL, "NEW-1", None, _version(ctx, session_id))
    detail = session_detail.get_session(ctx, session_id)
    assert replace(detail.lots[0], version=1).lot_number == "OLD-7"
