"""What the window asks of the clinic's records: the one boundary between the UI and the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

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
from sclerochart.settings import ClinicSettings


class ClinicApi(Protocol):
    """The records as the window sees them: domain values and read models in and out, no database.

    Each method is one unit of work of the services, named as there; errors are those of sclerochart.domain.
    """

    @property
    def display(self) -> str:
        """The database's name, for the window title and the About box."""
        ...

    def clock(self) -> dt.datetime:
        """The clinic's local time to the second."""
        ...

    @property
    def read_only(self) -> bool:
        """The database is open for reading only (on a read-only disk): nothing can be changed."""
        ...

    # Backups
    def backup_state(self) -> BackupState:
        """Where copies go and the newest verified one (folder None: a server database)."""
        ...

    def make_backup(self, reason: str = "manual") -> BackupCopy:
        """Make a verified copy now (safe off the window's thread) and rotate the old ones."""
        ...

    def list_backups(self, folder: Path | None = None) -> tuple[BackupCopy, ...]:
        """The verified copies of this database in its backup folder (or `folder`), newest first."""
        ...

    def last_change(self, entity: str, entity_id: str | int) -> str:
        """Who last changed a record, where and when ('by NAME on COMPUTER at HH:MM'), for a message."""
        ...

    # Patients
    def search_patients(self, query: str, *, include_archived: bool = False) -> tuple[PatientHit, ...]:
        """Patients whose names or chart numbers match `query`, at most SEARCH_LIMIT of them."""
        ...

    def prepare_search(self) -> None:
        """Make the first searches after start-up as quick as the next ones (reads nothing a screen shows)."""
        ...

    def get_patient(self, patient_id: str) -> Patient:
        """One patient as stored now."""
        ...

    def create_patient(self, draft: PatientDraft) -> Patient:
        """Store a new patient."""
        ...

    def update_patient(self, patient_id: str, draft: PatientDraft, expected_version: int) -> Patient:
        """Change a patient as seen at `expected_version`."""
        ...

    def set_archived(self, patient_id: str, archived: bool, expected_version: int) -> Patient:
        """Archive a patient (kept, hidden from the list) or bring them back, as seen at `expected_version`."""
        ...

    def next_chart_number(self) -> str:
        """The chart number a new patient with a blank one would get now ("" when the clinic has no pattern)."""
        ...

    def possible_duplicates(self, draft: PatientDraft, patient_id: str | None) -> tuple[PatientHit, ...]:
        """Stored patients with the draft's names and date of birth (other than `patient_id`)."""
        ...

    # Sessions
    def list_sessions(self, patient_id: str) -> tuple[SessionSummary, ...]:
        """A patient's sessions."""
        ...

    def interval_before_start(self, patient_id: str) -> Finding | None:
        """The interval warning a session started now would carry (asked before starting it), or None."""
        ...

    def start_session(self, patient_id: str) -> TreatmentSession:
        """Start a session for the patient now."""
        ...

    def update_session(self, session_id: str, draft: SessionDraft, expected_details_version: int) -> TreatmentSession:
        """Change a session's header as seen at `expected_details_version`."""
        ...

    def sign_session(self, session_id: str, expected_version: int, password: str) -> TreatmentSession:
        """Sign a session as seen at `expected_version`, as the signed-in practitioner, with their password."""
        ...

    def signing_gaps(self, session_id: str) -> tuple[Gap, ...]:
        """What the session lacks before it can be signed, required items first."""
        ...

    def amend_session(self, session_id: str, draft: AmendmentDraft, password: str) -> Amendment:
        """Append a signed amendment to a signed session."""
        ...

    def amendments(self, session_id: str) -> tuple[Amendment, ...]:
        """A session's amendments, oldest first."""
        ...

    def void_session(self, session_id: str, reason: str, expected_version: int) -> TreatmentSession:
        """Set a draft with sites aside, with a reason."""
        ...

    def delete_empty_draft(self, session_id: str, expected_version: int) -> None:
        """Delete a draft that holds no sites."""
        ...

    def get_session(self, session_id: str) -> SessionDetail:
        """A session with everything the charting screen shows of it."""
        ...

    def earlier_sites(self, session_id: str) -> tuple[Site, ...]:
        """The sites of the patient's session before this one."""
        ...

    # Sites and tracings
    def add_site(
        self,
        session_id: str,
        draft: SiteDraft,
        *,
        number: int | None = None,
        shown: SessionDetail | None = None,
        confirmed: tuple[Finding, ...] | None = None,
    ) -> SessionChange:
        """Add a site to a session."""
        ...

    def edit_site(
        self,
        site_id: int,
        draft: SiteDraft,
        expected_version: int,
        *,
        shown: SessionDetail | None = None,
        confirmed: tuple[Finding, ...] | None = None,
    ) -> SessionChange:
        """Change a site as seen at `expected_version`."""
        ...

    def remove_sites(self, seen: Sequence[tuple[int, int]], *, shown: SessionDetail | None = None) -> SessionChange:
        """Remove sites, each as seen at its (id, version)."""
        ...

    def add_tracing(self, session_id: str, draft: TracingDraft) -> VeinTracing:
        """Add a vein tracing to a session."""
        ...

    def remove_tracing(self, tracing_id: int, expected_version: int) -> VeinTracing:
        """Remove a vein tracing as seen at `expected_version`."""
        ...

    # Catalogue
    def sclerosants_by_id(self) -> dict[int, Sclerosant]:
        """The sclerosants by id."""
        ...

    def list_presets(self) -> tuple[Preset, ...]:
        """The charting presets."""
        ...

    def save_preset(self, preset: Preset) -> Preset:
        """Store a new or changed preset."""
        ...

    def delete_preset(self, preset_id: int, expected_version: int) -> Preset:
        """Remove a preset as seen at `expected_version`."""
        ...

    # People: set-up, accounts, signing in
    def needs_setup(self) -> bool:
        """True while the clinic has no administrator who can sign in (the first start)."""
        ...

    def set_up_clinic(
        self, clinic_values: Mapping[str, Any], administrator: AccountDraft, password: str
    ) -> Practitioner:
        """Store the clinic's details and its first administrator, who is then signed in."""
        ...

    def signed_in(self) -> Practitioner | None:
        """Who is signed in here, or None."""
        ...

    def sign_in(self, login: str, password: str) -> Practitioner:
        """Sign a practitioner in."""
        ...

    def sign_out(self) -> None:
        """Nobody is signed in here afterwards."""
        ...

    def list_accounts(self) -> tuple[Practitioner, ...]:
        """Every practitioner, deactivated ones too."""
        ...

    def add_account(self, draft: AccountDraft, password: str) -> Practitioner:
        """Add a practitioner who signs in."""
        ...

    def edit_account(self, practitioner_id: int, draft: AccountDraft, expected_version: int) -> Practitioner:
        """Change a practitioner's name, credentials, role or sign-in name."""
        ...

    def set_active(self, practitioner_id: int, active: bool, expected_version: int) -> Practitioner:
        """Deactivate or reactivate a practitioner."""
        ...

    def set_password(
        self, practitioner_id: int, new_password: str, *, current_password: str | None = None
    ) -> Practitioner:
        """Set a practitioner's password."""
        ...

    # The audit trail and the disclosure log
    def session_trail(self, session_id: str) -> tuple[AuditEntry, ...]:
        """Who did what to a session, oldest first."""
        ...

    def patient_trail(self, patient_id: str) -> tuple[AuditEntry, ...]:
        """Who did what to a patient's record and sessions, oldest first."""
        ...

    def record_disclosure(self, action: str, entity: str, entity_id: str, what: str) -> None:
        """Write that a record was viewed, printed or exported (the disclosure log)."""
        ...

    def record_disclosures(self, action: str, entity: str, entity_ids: Sequence[str], what: str) -> None:
        """`record_disclosure` for several records shown or exported together, at once."""
        ...

    def sites_with_lot(self, lot: str) -> tuple[LotLine, ...]:
        """Every site that received a lot, with its patient's contact details (each patient's view logged)."""
        ...

    def session_lots(self, session_id: str) -> tuple[SessionLot, ...]:
        """The session's lot and expiry per agent."""
        ...

    def set_session_lot(
        self, session_id: str, agent_id: int, lot: str, expires_on: dt.date | None, expected_version: int, reason: str
    ) -> tuple[SessionLot, int]:
        """Set an agent's lot for a draft session and carry it to the agent's sites (how many received it)."""
        ...

    def clear_session_lot(self, session_id: str, agent_id: int, expected_version: int) -> None:
        """Take an agent's lot off a draft session (its sites keep theirs)."""
        ...

    def outcome_figures(self, start: dt.date | None, end: dt.date | None) -> OutcomeFigures:
        """The clinic's clearance and complication figures of the sessions in a period."""
        ...

    # Follow-up visits, outcomes and photos
    def course(self, patient_id: str) -> Course:
        """The patient's follow-up visits and every treated region's outcome."""
        ...

    def get_visit(self, visit_id: str) -> FollowUpVisit:
        """One follow-up visit as stored."""
        ...

    def record_visit(self, patient_id: str, draft: VisitDraft) -> FollowUpVisit:
        """Store a new follow-up visit (a draft)."""
        ...

    def update_visit(self, visit_id: str, expected_version: int, draft: VisitDraft) -> FollowUpVisit:
        """Replace what a draft visit holds, made from the visit at `expected_version`."""
        ...

    def remove_visit(self, visit_id: str, expected_version: int) -> None:
        """Remove a draft visit recorded by mistake."""
        ...

    def sign_visit(self, visit_id: str, expected_version: int, password: str) -> FollowUpVisit:
        """Sign a visit as seen at `expected_version`, as the signed-in practitioner, with their password."""
        ...

    def patient_photos(self, patient_id: str) -> tuple[PhotoInfo, ...]:
        """The patient's photos with thumbnails."""
        ...

    def add_photo_file(
        self, source: Path, *, view: View, region: str = "", session_id: str | None = None, visit_id: str | None = None
    ) -> PhotoInfo:
        """Prepare a photo file (slow: not on the GUI thread) and store it with its session or visit."""
        ...

    def photo_image(self, photo_id: str) -> PhotoImage:
        """A photo with its picture."""
        ...

    def describe_photo(self, photo_id: str, expected_version: int, view: View, region: str) -> PhotoInfo:
        """Correct the view and region of a photo of a draft record."""
        ...

    def remove_photo(self, photo_id: str, expected_version: int) -> None:
        """Remove a photo of a draft record."""
        ...

    def list_practitioners(self) -> tuple[Practitioner, ...]:
        """The active practitioners."""
        ...

    # Clinic settings
    def load_settings(self) -> ClinicSettings:
        """The clinic's settings."""
        ...

    def settings_version(self) -> int:
        """The version of the clinic's settings, to change them from."""
        ...

    def load_logo(self) -> bytes | None:
        """The clinic's logo, when one is set."""
        ...

    def change_settings(
        self, values: Mapping[str, Any], expected_version: int, *, logo: bytes | object | None = ...
    ) -> ClinicSettings:
        """Change several settings (and the logo, when given) as seen at `expected_version`."""
        ...

    # Documents
    def patient_record(self, patient_id: str, *, with_photos: bool = False) -> PatientRecord:
        """A patient's whole course of treatment, for the treatment summary."""
        ...

    def session_record(self, session_id: str, *, with_photos: bool = False) -> SessionRecord:
        """One session, for the session report and the aftercare handout."""
        ...

    # Other rooms' changes
    def latest_change(self) -> FeedMark:
        """The change feed as it stands now."""
        ...

    def changes_since(self, mark: FeedMark) -> tuple[FeedMark, Changes]:
        """What other copies of the program changed since `mark`, and the new mark."""
        ...
