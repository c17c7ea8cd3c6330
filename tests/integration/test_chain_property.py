"""Whatever the services are asked, in whatever order, the audit trail stays one chain that verifies (Hypothesis)."""

from __future__ import annotations

import contextlib
import itertools
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from sclerochart.domain.accounts import AccountDraft, Role
from sclerochart.domain.diagram import point_for
from sclerochart.domain.errors import UserError
from sclerochart.domain.signing import AmendmentDraft, Correction
from sclerochart.domain.values import Form, SessionDraft, SiteDraft, VesselType, View
from sclerochart.services import accounts, audit, patients, session_detail, sessions, signatures, sites
from sclerochart.services.context import ServiceContext
from sclerochart.store.integrity import verify_audit_chain
from tests.conftest import patient_draft
from tests.signing import PASSWORD, make_complete, signed_in


def _site(height: int) -> SiteDraft:
    x, y = point_for(View.ANTERIOR, height % 2, 20 + height, 0.0)
    return SiteDraft(View.ANTERIOR, x, y, 1, 0.5, Form.LIQUID, 0.2, VesselType.TELANGIECTASIA)


CHART_NUMBERS = itertools.count(1)


class ChainedServices(RuleBasedStateMachine):
    """Service calls in random order; after each, the whole chain verifies and no event went missing."""

    ctx: ServiceContext

    def __init__(self) -> None:
        super().__init__()
        self.patient = ""
        self.session = ""
        self.signed: list[str] = []

    @rule()
    def new_patient(self) -> None:
        chart = f"P-{next(CHART_NUMBERS)}"  # never taken: the machine's path depends on nothing stored before
        self.patient = patients.create_patient(self.ctx, patient_draft(chart_number=chart)).id

    @precondition(lambda self: bool(self.patient))
    @rule()
    def start(self) -> None:
        self.session = sessions.start_session(
            self.ctx, self.patient, SessionDraft(None, self.ctx.clock(), weight_kg=70.0)
        ).id

    @precondition(lambda self: bool(self.session))
    @rule(height=st.integers(0, 50))
    def add_site(self, height: int) -> None:
        with contextlib.suppress(UserError):  # signed or voided meanwhile
            sites.add_site(self.ctx, self.session, _site(height))

    @precondition(lambda self: bool(self.session))
    @rule(ml=st.sampled_from([0.1, 0.3, 0.5]))
    def edit_first_site(self, ml: float) -> None:
        detail = session_detail.get_session(self.ctx, self.session)
        if detail.sites:
            site = detail.sites[0]
            with contextlib.suppress(UserError):
                sites.edit_site(self.ctx, site.id, _with_volume(site.draft(), ml), site.version)

    @precondition(lambda self: bool(self.session))
    @rule()
    def sign(self) -> None:
        with contextlib.suppress(UserError):
            make_complete(self.ctx, self.session)
            version = session_detail.get_session(self.ctx, self.session).session.version
            signatures.sign_session(self.ctx, self.session, version, PASSWORD)
            self.signed.append(self.session)

    @precondition(lambda self: bool(self.signed))
    @rule(text=st.text(min_size=1, max_size=20))
    def amend(self, text: str) -> None:
        session_id = self.signed[-1]
        numbers = [site.number for site in session_detail.get_session(self.ctx, session_id).sites]
        corrections = (Correction(numbers[0], "lot_number", None, "L-42"),) if numbers else ()
        with contextlib.suppress(UserError):  # text of control characters only, say: refused, nothing written
            signatures.amend_session(self.ctx, session_id, AmendmentDraft("checked", text, corrections), PASSWORD)

    @precondition(lambda self: bool(self.session))
    @rule()
    def void(self) -> None:
        with contextlib.suppress(UserError):
            version = session_detail.get_session(self.ctx, self.session).session.version
            signatures.void_session(self.ctx, self.session, "started in error", version)

    @rule()
    def wrong_password(self) -> None:
        with contextlib.suppress(UserError):
            accounts.check_password(self.ctx, "ruth", "not the password")

    @precondition(lambda self: bool(self.patient))
    @rule()
    def view(self) -> None:
        audit.record_disclosure(self.ctx, "view", "patient", self.patient, "patient's record on screen")

    @invariant()
    def chain_verifies(self) -> None:
        result = verify_audit_chain(self.ctx.db)
        assert result.ok, result.detail


def _with_volume(draft: SiteDraft, ml: float) -> SiteDraft:
    return replace(draft, volume_ml=ml)


@pytest.mark.timeout(600)
def test_any_sequence_of_service_calls_leaves_a_chain_that_verifies(ctx: ServiceContext) -> None:
    signed_in(ctx)
    accounts.add_account(ctx, AccountDraft("Nurse Ruth", "ruth", Role.NURSE), PASSWORD)

    ChainedServices.ctx = ctx
    run_state_machine_as_test(
        ChainedServices,
        settings=settings(
            max_examples=12, stateful_step_count=25, deadline=None, suppress_health_check=list(HealthCheck)
        ),
    )
