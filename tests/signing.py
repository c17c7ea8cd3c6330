"""Signing a session in a test as a practitioner would: signed in, the completeness list done, password typed."""

from __future__ import annotations

from dataclasses import replace

from sclerochart.domain.accounts import AccountDraft, Role
from sclerochart.domain.values import Practitioner, TreatmentSession
from sclerochart.services import accounts, clinic, session_detail, sessions, signatures
from sclerochart.services.context import ServiceContext

PASSWORD = "correct horse battery"


def signed_in(ctx: ServiceContext, name: str = "Dr. Ana Müller", login: str = "ana") -> Practitioner:
    """The practitioner signed in on `ctx` (an administrator called `name`, made on first use)."""
    if ctx.person is not None:
        return ctx.person
    if login not in {person.login for person in accounts.list_accounts(ctx)}:
        accounts.add_account(ctx, AccountDraft(name, login, Role.ADMINISTRATOR), PASSWORD)
    return accounts.sign_in(ctx, login, PASSWORD)


def make_complete(ctx: ServiceContext, session_id: str) -> int:
    """Fill what the completeness list requires (practitioner, consent, checklist, weight); the new version.

    A session without sites is let through by switching the clinic's "signing needs a site" off.
    """
    person = signed_in(ctx)
    detail = session_detail.get_session(ctx, session_id)
    header = detail.session
    draft = replace(
        header.draft(),
        practitioner_id=person.id,
        consent=True,
        checklist_reviewed=True,
        weight_reason="" if header.weight_kg is not None else "Not needed for this test",
    )
    if draft != header.draft():
        sessions.update_session(ctx, session_id, draft, header.details_version)
    if not detail.sites and clinic.load_settings(ctx).signing_needs_sites:
        clinic.change_setting(ctx, "signing_needs_sites", False)
    return session_detail.get_session(ctx, session_id).session.version


def sign(ctx: ServiceContext, session_id: str) -> TreatmentSession:
    """Complete the session and sign it as the signed-in practitioner."""
    version = make_complete(ctx, session_id)
    return signatures.sign_session(ctx, session_id, version, PASSWORD)
