"""What the window asks of the clinic's records: the one boundary between the UI and the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from sclerochart.domain.dose import Finding
from sclerochart.domain.values import (
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
)
from sclerochart.readmodels import Changes, FeedMark, PatientRecord, SessionChange, SessionDetail, SessionRecord
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

    def last_change(self, entity: str, entity_id: str | int) -> str:
        """Who last changed a record, where and when ('by NAME on COMPUTER at HH:MM'), for a message."""
        ...

    # Patients
    def search_patients(self, query: str, *, include_archived: bool = False) -> tuple[PatientHit, ...]:
        """Patients whose names or chart numbers match `query`, at most SEARCH_LIMIT of them."""
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

    # Sessions
    def list_sessions(self, patient_id: str) -> tuple[SessionSummary, ...]:
        """A patient's sessions."""
        ...

    def start_session(self, patient_id: str) -> TreatmentSession:
        """Start a session for the patient now."""
        ...

    def update_session(self, session_id: str, draft: SessionDraft, expected_details_version: int) -> TreatmentSession:
        """Change a session's header as seen at `expected_details_version`."""
        ...

    def sign_session(self, session_id: str, signed_by: str, expected_version: int) -> TreatmentSession:
        """Sign a session as seen at `expected_version`."""
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
    def patient_record(self, patient_id: str) -> PatientRecord:
        """A patient's whole course of treatment, for the treatment summary."""
        ...

    def session_record(self, session_id: str) -> SessionRecord:
        """One session, for the session report and the aftercare handout."""
        ...

    # Other rooms' changes
    def latest_change(self) -> FeedMark:
        """The change feed as it stands now."""
        ...

    def changes_since(self, mark: FeedMark) -> tuple[FeedMark, Changes]:
        """What other copies of the program changed since `mark`, and the new mark."""
        ...
