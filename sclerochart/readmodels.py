"""What screens and documents read: plain values with no database behind them (read models)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sclerochart.domain.dose import AgentTotals, DoseTally, Finding, LimitUse
from sclerochart.domain.follow_up import Assessment, FollowUpVisit
from sclerochart.domain.lots import SessionLot
from sclerochart.domain.outcomes import RegionOutcome
from sclerochart.domain.schedule import DEFAULT_INTERVAL_WEEKS
from sclerochart.domain.signing import Amendment
from sclerochart.domain.values import Patient, Sclerosant, SessionSummary, Site, TreatmentSession, VeinTracing, View
from sclerochart.settings import ClinicSettings


@dataclass(frozen=True)
class SessionDetail:
    """A session with everything a screen or a report shows about it."""

    session: TreatmentSession
    sites: tuple[Site, ...]
    totals: tuple[AgentTotals, ...]
    limits: tuple[LimitUse, ...]
    findings: tuple[Finding, ...]
    tracings: tuple[VeinTracing, ...] = ()
    agents: dict[int, Sclerosant] = field(default_factory=dict)
    earlier_mg: dict[int, float] = field(default_factory=dict)
    """mg per agent given to the patient in other sessions the same day (they count against the daily limit)."""
    previous_started_at: dt.datetime | None = None
    """When the patient's session before this one started (None for a first session)."""
    interval_weeks: int = DEFAULT_INTERVAL_WEEKS
    """The clinic's interval between sessions, as set when this was read."""
    amendments: tuple[Amendment, ...] = ()
    """A signed session's amendments, oldest first (the sites above stay as signed)."""
    lots: tuple[SessionLot, ...] = ()
    """The lot and expiry per agent (read for the documents and the session tab, not after every click)."""
    tallied: DoseTally | None = field(default=None, compare=False, repr=False)
    """What the totals and findings were worked out from (`sites` added up), for the next change to add to."""

    def summary(self) -> SessionSummary:
        """Its line in the patient's session list, as the list reads it from the store (a test holds them equal)."""
        session = self.session
        ml = round(sum(site.volume_ml for site in self.sites), 6)
        return SessionSummary(
            session.id,
            session.started_at,
            session.practitioner_name,
            len(self.sites),
            ml,
            session.state,
            session.voided,
        )


@dataclass(frozen=True)
class LotLine:
    """One site that received a lot, with the patient to call back (a recall of the lot)."""

    patient_id: str
    chart_number: str
    patient_name: str
    date_of_birth: dt.date | None
    phone: str
    email: str
    archived: bool
    session_id: str
    started_at: dt.datetime
    practitioner_name: str
    session_state: str
    """"draft", "signed" or "voided"."""
    site_number: int
    region_label: str
    agent_name: str
    concentration: float
    form: str
    volume_ml: float
    lot_number: str


@dataclass(frozen=True)
class ClinicSessionLine:
    """One line of the clinic's recent sessions: the session and whose it is."""

    patient_chart_number: str
    patient_name: str
    summary: SessionSummary


@dataclass(frozen=True)
class Course:
    """A patient's follow-up visits and where every treated region stands."""

    patient_id: str
    visits: tuple[FollowUpVisit, ...]
    """Oldest first."""
    outcomes: dict[str, RegionOutcome]
    """Per treated region code."""
    assessments: tuple[Assessment, ...] = ()
    """CEAP and VCSS recorded at sessions (not voided) and visits, oldest first: the first is the baseline."""


@dataclass(frozen=True)
class PhotoInfo:
    """A stored photo as lists and the comparison show it: what it shows, when, and its thumbnail."""

    id: str
    patient_id: str
    session_id: str | None
    visit_id: str | None
    record_day: dt.date
    """The day of the session or visit it belongs to."""
    view: View
    region: str
    taken_at: dt.datetime | None
    added_at: dt.datetime
    added_by: str
    original_name: str
    width: int
    height: int
    thumbnail: bytes
    frozen: bool
    """Its record is signed: it can no longer be changed or removed."""
    version: int


@dataclass(frozen=True)
class PhotoImage:
    """A photo with the picture itself, for printing or viewing whole."""

    info: PhotoInfo
    data: bytes


@dataclass(frozen=True)
class SessionRecord:
    """One session as the session report and the aftercare handout print it."""

    patient: Patient
    detail: SessionDetail
    clinic: ClinicSettings
    visits: tuple[FollowUpVisit, ...] = ()
    """The patient's later follow-up visits that rated a region this session treated, oldest first."""
    logo: bytes | None = None
    """The clinic's logo for the page header, when one is set."""
    photos: tuple[PhotoImage, ...] = ()
    """The session's photos to print (only when the user asked for them)."""


@dataclass(frozen=True)
class PatientRecord:
    """A patient's whole course of treatment, as the treatment summary prints it."""

    patient: Patient
    sessions: tuple[SessionDetail, ...]
    """Oldest first."""
    course: Course
    clinic: ClinicSettings
    logo: bytes | None = None
    photos: tuple[PhotoImage, ...] = ()
    """The course's photos to print (only when the user asked for them), oldest first."""


@dataclass(frozen=True)
class SessionChange:
    """What a change to a session's sites left stored: the whole session now, and the sites it touched."""

    detail: SessionDetail
    sites: tuple[Site, ...]
    """The sites added or changed as now stored, or the removed ones as they were."""


@dataclass(frozen=True)
class Changes:
    """Which records changed (in this room or another), so each screen refreshes what it shows of them."""

    sessions: frozenset[str] = frozenset()
    """Sessions whose header, sites, tracings or follow-ups changed."""
    patients: frozenset[str] = frozenset()
    """Patients whose own record changed."""
    courses: frozenset[str] = frozenset()
    """Patients whose follow-up visits or photos changed."""
    session_patients: frozenset[str] = frozenset()
    """Patients one of whose sessions changed (or was started)."""
    presets: bool = False
    catalogue: bool = False
    settings: bool = False
    practitioners: bool = False
    everything: bool = False
    """Too much changed at once to say what: every screen reads what it shows again."""
    elsewhere: bool = False
    """True when another room (or another copy of the program) made them."""

    def __bool__(self) -> bool:
        return bool(
            self.everything
            or self.sessions
            or self.patients
            or self.presets
            or self.catalogue
            or self.settings
            or self.practitioners
        )


@dataclass(frozen=True)
class FeedMark:
    """Where a reader of the feed stands: the newest id it has seen, and every id seen in the window below.

    The change feed (sclerochart.services.changes) makes and reads it; the window stays its own business.
    """

    newest: int
    seen: frozenset[int]
