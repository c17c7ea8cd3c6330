"""The services behind the window's boundary (sclerochart.api): each method one service call over one context."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sclerochart.api import ClinicApi
from sclerochart.domain.accounts import AccountDraft
from sclerochart.domain.backups import BackupCopy, BackupState
from sclerochart.domain.dose import Finding
from sclerochart.domain.follow_up import FollowUpVisit, VisitDraft
from sclerochart.domain.lots import SessionLot
from sclerochart.domain.outcome_figures import OutcomeFigures
from sclerochart.domain.signing import Amendment, AmendmentDraft, Gap
from sclerochart.domain.values import (
    AuditEntry,
    Patient,
    PatientDraft,
    PatientHit,
    Practitioner,
    Preset,
    Sclerosant,
    SessionDraft,
    SessionSummary,
    Site,
    SiteDraft,
    TracingDraft,
    TreatmentSession,
    VeinTracing,
    View,
)
from sclerochart.readmodels import (
    Changes,
    Course,
    FeedMark,
    LotLine,
    PatientRecord,
    PhotoImage,
    PhotoInfo,
    SessionChange,
    SessionDetail,
    SessionRecord,
)
from sclerochart.services import (
    accounts,
    audit,
    backups,
    catalogue,
    changes,
    clinic,
    follow_ups,
    lots,
    outcome_figures,
    patients,
    photos,
    recall,
    records,
    session_detail,
    sessions,
    signatures,
    sites,
    tracings,
    versions,
)
from sclerochart.services.context import ServiceContext
from sclerochart.settings import ClinicSettings


class ServiceApi(ClinicApi):
    """ClinicApi over the services; `ctx` is for the application and the tests, never for the UI."""

    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    @property
    def display(self) -> str:
        """The database's name."""
        return self.ctx.db.display

    def clock(self) -> dt.datetime:
        """The context's clock."""
        return self.ctx.clock()

    @property
    def read_only(self) -> bool:
        """See Database.read_only."""
        return self.ctx.db.read_only

    def backup_state(self) -> BackupState:
        """See backups.backup_state."""
        return backups.backup_state(self.ctx)

    def make_backup(self, reason: str = "manual") -> BackupCopy:
        """See backups.make_backup."""
        return backups.make_backup(self.ctx, reason=reason)

    def list_backups(self, folder: Path | None = None) -> tuple[BackupCopy, ...]:
        """See backups.list_backups."""
        return backups.list_backups(self.ctx, folder)

    def last_change(self, entity: str, entity_id: str | int) -> str:
        """Who last changed a record, where and when."""
        return versions.last_change(self.ctx, entity, entity_id)

    def search_patients(self, query: str, *, include_archived: bool = False) -> tuple[PatientHit, ...]:
        """See patients.search_patients."""
        return patients.search_patients(self.ctx, query, include_archived=include_archived)

    def prepare_search(self) -> None:
        """See patients.prepare_search."""
        patients.prepare_search(self.ctx)

    def get_patient(self, patient_id: str) -> Patient:
        """See patients.get_patient."""
        return patients.get_patient(self.ctx, patient_id)

    def create_patient(self, draft: PatientDraft) -> Patient:
        """See patients.create_patient."""
        return patients.create_patient(self.ctx, draft)

    def update_patient(self, patient_id: str, draft: PatientDraft, expected_version: int) -> Patient:
        """See patients.update_patient."""
        return patients.update_patient(self.ctx, patient_id, draft, expected_version)

    def set_archived(self, patient_id: str, archived: bool, expected_version: int) -> Patient:
        """See patients.set_archived."""
        return patients.set_archived(self.ctx, patient_id, archived, expected_version)

    def next_chart_number(self) -> str:
        """See patients.next_chart_number."""
        return patients.next_chart_number(self.ctx)

    def possible_duplicates(self, draft: PatientDraft, patient_id: str | None) -> tuple[PatientHit, ...]:
        """See patients.possible_duplicates."""
        return patients.possible_duplicates(self.ctx, draft, patient_id)

    def list_sessions(self, patient_id: str) -> tuple[SessionSummary, ...]:
        """See sessions.list_sessions."""
        return sessions.list_sessions(self.ctx, patient_id)

    def interval_before_start(self, patient_id: str) -> Finding | None:
        """See sessions.interval_before_start."""
        return sessions.interval_before_start(self.ctx, patient_id)

    def start_session(self, patient_id: str) -> TreatmentSession:
        """See sessions.start_session."""
        return sessions.start_session(self.ctx, patient_id)

    def update_session(self, session_id: str, draft: SessionDraft, expected_details_version: int) -> TreatmentSession:
        """See sessions.update_session."""
        return sessions.update_session(self.ctx, session_id, draft, expected_details_version)

    def sign_session(self, session_id: str, expected_version: int, password: str) -> TreatmentSession:
        """See signatures.sign_session."""
        return signatures.sign_session(self.ctx, session_id, expected_version, password)

    def signing_gaps(self, session_id: str) -> tuple[Gap, ...]:
        """See signatures.gaps_of."""
        return signatures.gaps_of(self.ctx, session_id)

    def amend_session(self, session_id: str, draft: AmendmentDraft, password: str) -> Amendment:
        """See signatures.amend_session."""
        return signatures.amend_session(self.ctx, session_id, draft, password)

    def amendments(self, session_id: str) -> tuple[Amendment, ...]:
        """See signatures.amendments_of."""
        return signatures.amendments_of(self.ctx, session_id)

    def void_session(self, session_id: str, reason: str, expected_version: int) -> TreatmentSession:
        """See signatures.void_session."""
        return signatures.void_session(self.ctx, session_id, reason, expected_version)

    def delete_empty_draft(self, session_id: str, expected_version: int) -> None:
        """See signatures.delete_empty_draft."""
        signatures.delete_empty_draft(self.ctx, session_id, expected_version)

    def get_session(self, session_id: str) -> SessionDetail:
        """See session_detail.get_session."""
        return session_detail.get_session(self.ctx, session_id)

    def earlier_sites(self, session_id: str) -> tuple[Site, ...]:
        """See session_detail.earlier_sites."""
        return session_detail.earlier_sites(self.ctx, session_id)

    def add_site(
        self,
        session_id: str,
        draft: SiteDraft,
        *,
        number: int | None = None,
        shown: SessionDetail | None = None,
        confirmed: tuple[Finding, ...] | None = None,
    ) -> SessionChange:
        """See sites.add_site."""
        return sites.add_site(self.ctx, session_id, draft, number=number, shown=shown, confirmed=confirmed)

    def edit_site(
        self,
        site_id: int,
        draft: SiteDraft,
        expected_version: int,
        *,
        shown: SessionDetail | None = None,
        confirmed: tuple[Finding, ...] | None = None,
    ) -> SessionChange:
        """See sites.edit_site."""
        return sites.edit_site(self.ctx, site_id, draft, expected_version, shown=shown, confirmed=confirmed)

    def remove_sites(self, seen: Sequence[tuple[int, int]], *, shown: SessionDetail | None = None) -> SessionChange:
        """See sites.remove_sites."""
        return sites.remove_sites(self.ctx, seen, shown=shown)

    def add_tracing(self, session_id: str, draft: TracingDraft) -> VeinTracing:
        """See tracings.add_tracing."""
        return tracings.add_tracing(self.ctx, session_id, draft)

    def remove_tracing(self, tracing_id: int, expected_version: int) -> VeinTracing:
        """See tracings.remove_tracing."""
        return tracings.remove_tracing(self.ctx, tracing_id, expected_version)

    def sclerosants_by_id(self) -> dict[int, Sclerosant]:
        """See catalogue.sclerosants_by_id."""
        return catalogue.sclerosants_by_id(self.ctx)

    def list_presets(self) -> tuple[Preset, ...]:
        """See catalogue.list_presets."""
        return catalogue.list_presets(self.ctx)

    def save_preset(self, preset: Preset) -> Preset:
        """See catalogue.save_preset."""
        return catalogue.save_preset(self.ctx, preset)

    def delete_preset(self, preset_id: int, expected_version: int) -> Preset:
        """See catalogue.delete_preset."""
        return catalogue.delete_preset(self.ctx, preset_id, expected_version)

    def needs_setup(self) -> bool:
        """See accounts.needs_setup."""
        return accounts.needs_setup(self.ctx)

    def set_up_clinic(
        self, clinic_values: Mapping[str, Any], administrator: AccountDraft, password: str
    ) -> Practitioner:
        """See accounts.set_up_clinic."""
        return accounts.set_up_clinic(self.ctx, clinic_values, administrator, password)

    def signed_in(self) -> Practitioner | None:
        """The context's signed-in practitioner."""
        return self.ctx.person

    def sign_in(self, login: str, password: str) -> Practitioner:
        """See accounts.sign_in."""
        return accounts.sign_in(self.ctx, login, password)

    def sign_out(self) -> None:
        """See accounts.sign_out."""
        accounts.sign_out(self.ctx)

    def list_accounts(self) -> tuple[Practitioner, ...]:
        """See accounts.list_accounts."""
        return accounts.list_accounts(self.ctx)

    def add_account(self, draft: AccountDraft, password: str) -> Practitioner:
        """See accounts.add_account."""
        return accounts.add_account(self.ctx, draft, password)

    def edit_account(self, practitioner_id: int, draft: AccountDraft, expected_version: int) -> Practitioner:
        """See accounts.edit_account."""
        return accounts.edit_account(self.ctx, practitioner_id, draft, expected_version)

    def set_active(self, practitioner_id: int, active: bool, expected_version: int) -> Practitioner:
        """See accounts.set_active."""
        return accounts.set_active(self.ctx, practitioner_id, active, expected_version)

    def set_password(
        self, practitioner_id: int, new_password: str, *, current_password: str | None = None
    ) -> Practitioner:
        """See accounts.set_password."""
        return accounts.set_password(self.ctx, practitioner_id, new_password, current_password=current_password)

    def session_trail(self, session_id: str) -> tuple[AuditEntry, ...]:
        """See audit.session_trail."""
        return audit.session_trail(self.ctx, session_id)

    def patient_trail(self, patient_id: str) -> tuple[AuditEntry, ...]:
        """See audit.patient_trail (over every session of the patient)."""
        session_ids = tuple(summary.id for summary in sessions.list_sessions(self.ctx, patient_id))
        return audit.patient_trail(self.ctx, patient_id, session_ids)

    def record_disclosure(self, action: str, entity: str, entity_id: str, what: str) -> None:
        """See audit.record_disclosure."""
        audit.record_disclosure(self.ctx, action, entity, entity_id, what)

    def record_disclosures(self, action: str, entity: str, entity_ids: Sequence[str], what: str) -> None:
        """See audit.record_disclosures."""
        audit.record_disclosures(self.ctx, action, entity, entity_ids, what)

    def sites_with_lot(self, lot: str) -> tuple[LotLine, ...]:
        """See recall.sites_with_lot (shown in the window)."""
        return recall.sites_with_lot(self.ctx, lot, shown_as="recall of a lot, on screen")

    def session_lots(self, session_id: str) -> tuple[SessionLot, ...]:
        """See lots.session_lots."""
        return lots.session_lots(self.ctx, session_id)

    def set_session_lot(
        self, session_id: str, agent_id: int, lot: str, expires_on: dt.date | None, expected_version: int, reason: str
    ) -> tuple[SessionLot, int]:
        """See lots.set_session_lot."""
        return lots.set_session_lot(self.ctx, session_id, agent_id, lot, expires_on, expected_version, reason)

    def clear_session_lot(self, session_id: str, agent_id: int, expected_version: int) -> None:
        """See lots.clear_session_lot."""
        lots.clear_session_lot(self.ctx, session_id, agent_id, expected_version)

    def outcome_figures(self, start: dt.date | None, end: dt.date | None) -> OutcomeFigures:
        """See outcome_figures.outcome_figures."""
        return outcome_figures.outcome_figures(self.ctx, start, end)

    def course(self, patient_id: str) -> Course:
        """See follow_ups.course."""
        return follow_ups.course(self.ctx, patient_id)

    def get_visit(self, visit_id: str) -> FollowUpVisit:
        """See follow_ups.get_visit."""
        return follow_ups.get_visit(self.ctx, visit_id)

    def record_visit(self, patient_id: str, draft: VisitDraft) -> FollowUpVisit:
        """See follow_ups.record_visit."""
        return follow_ups.record_visit(self.ctx, patient_id, draft)

    def update_visit(self, visit_id: str, expected_version: int, draft: VisitDraft) -> FollowUpVisit:
        """See follow_ups.update_visit."""
        return follow_ups.update_visit(self.ctx, visit_id, expected_version, draft)

    def remove_visit(self, visit_id: str, expected_version: int) -> None:
        """See follow_ups.remove_visit."""
        follow_ups.remove_visit(self.ctx, visit_id, expected_version)

    def sign_visit(self, visit_id: str, expected_version: int, password: str) -> FollowUpVisit:
        """See follow_ups.sign_visit."""
        return follow_ups.sign_visit(self.ctx, visit_id, expected_version, password)

    def patient_photos(self, patient_id: str) -> tuple[PhotoInfo, ...]:
        """See photos.patient_photos."""
        return photos.patient_photos(self.ctx, patient_id)

    def add_photo_file(
        self, source: Path, *, view: View, region: str = "", session_id: str | None = None, visit_id: str | None = None
    ) -> PhotoInfo:
        """See photos.add_photo_file."""
        return photos.add_photo_file(
            self.ctx, source, view=view, region=region, session_id=session_id, visit_id=visit_id
        )

    def photo_image(self, photo_id: str) -> PhotoImage:
        """See photos.photo_image."""
        return photos.photo_image(self.ctx, photo_id)

    def describe_photo(self, photo_id: str, expected_version: int, view: View, region: str) -> PhotoInfo:
        """See photos.describe_photo."""
        return photos.describe_photo(self.ctx, photo_id, expected_version, view, region)

    def remove_photo(self, photo_id: str, expected_version: int) -> None:
        """See photos.remove_photo."""
        photos.remove_photo(self.ctx, photo_id, expected_version)

    def list_practitioners(self) -> tuple[Practitioner, ...]:
        """See catalogue.list_practitioners."""
        return catalogue.list_practitioners(self.ctx)

    def load_settings(self) -> ClinicSettings:
        """See clinic.load_settings."""
        return clinic.load_settings(self.ctx)

    def settings_version(self) -> int:
        """See clinic.settings_version."""
        return clinic.settings_version(self.ctx)

    def load_logo(self) -> bytes | None:
        """See clinic.load_logo."""
        return clinic.load_logo(self.ctx)

    def change_settings(
        self, values: Mapping[str, Any], expected_version: int, *, logo: bytes | object | None = clinic.KEEP_LOGO
    ) -> ClinicSettings:
        """See clinic.change_settings."""
        return clinic.change_settings(self.ctx, values, expected_version, logo=logo)

    def patient_record(self, patient_id: str, *, with_photos: bool = False) -> PatientRecord:
        """See records.patient_record."""
        return records.patient_record(self.ctx, patient_id, with_photos=with_photos)

    def session_record(self, session_id: str, *, with_photos: bool = False) -> SessionRecord:
        """See records.session_record."""
        return records.session_record(self.ctx, session_id, with_photos=with_photos)

    def latest_change(self) -> FeedMark:
        """See changes.latest_change."""
        return changes.latest_change(self.ctx)

    def changes_since(self, mark: FeedMark) -> tuple[FeedMark, Changes]:
        """See changes.changes_since."""
        return changes.changes_since(self.ctx, mark)
