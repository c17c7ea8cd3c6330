"""Value types shared by every layer: enumerations and frozen records of patients, sessions and sites."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from enum import StrEnum

from sclerochart.domain.names import NameOrder, full_name, list_name
from sclerochart.domain.patient_hit import PatientHit as PatientHit


class Sex(StrEnum):
    """Sex as recorded in the chart."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class Form(StrEnum):
    """How the sclerosant is given."""

    LIQUID = "liquid"
    FOAM = "foam"


class Gas(StrEnum):
    """Gas used to make foam (DOMAIN.md §3: room air or CO2/O2)."""

    ROOM_AIR = "room air"
    CO2 = "CO2"
    CO2_O2 = "CO2/O2"
    O2 = "O2"


class Delivery(StrEnum):
    """Direct on the syringe or through tubing (DOMAIN.md §1)."""

    NEEDLE = "needle"
    BUTTERFLY = "butterfly"


class VesselType(StrEnum):
    """The kind of vein injected."""

    TELANGIECTASIA = "telangiectasia"
    VENULECTASIA = "venulectasia"
    RETICULAR = "reticular vein"
    FEEDING = "feeding vein"
    VARICOSE_TRIBUTARY = "varicose tributary"
    PERFORATOR = "perforator"
    TRUNCAL = "truncal vein"


class Reaction(StrEnum):
    """Immediate reaction seen at the chair."""

    NONE = "none"
    BLANCHING = "blanching"
    LOCAL_PAIN = "local pain"
    URTICARIA = "urticaria"
    EXTRAVASATION = "extravasation"
    BLEEDING = "bleeding"
    VASOVAGAL = "vasovagal"
    VISUAL_DISTURBANCE = "visual disturbance"
    CHEST_TIGHTNESS = "chest tightness or cough"
    ALLERGIC = "allergic reaction"
    OTHER = "other (see notes)"


class SessionState(StrEnum):
    """A session is a draft until the practitioner signs it."""

    DRAFT = "draft"
    SIGNED = "signed"


SIGNATURE_MEANING = (
    "Signing confirms that this record of the treatment is complete and correct. "
    "After signing nothing in the session can be changed."
)
"""What a signature on a session means: shown when signing and printed under the signature."""


class Severity(StrEnum):
    """How loudly a finding speaks."""

    INFO = "info"
    CAUTION = "caution"
    EXCEEDED = "exceeded"


class View(StrEnum):
    """The six views of the leg diagram."""

    ANTERIOR = "anterior"
    POSTERIOR = "posterior"
    RIGHT_LATERAL = "right lateral"
    RIGHT_MEDIAL = "right medial"
    LEFT_LATERAL = "left lateral"
    LEFT_MEDIAL = "left medial"


class Complication(StrEnum):
    """Complications recorded at follow-up (DOMAIN.md §6)."""

    HYPERPIGMENTATION = "hyperpigmentation"
    MATTING = "telangiectatic matting"
    BRUISING = "bruising"
    TRAPPED_BLOOD = "trapped blood"
    THROMBOPHLEBITIS = "superficial thrombophlebitis"
    NECROSIS = "skin necrosis or ulceration"
    ALLERGY = "allergic reaction / urticaria"
    VISUAL = "visual disturbance"
    HEADACHE = "headache or migraine"
    CHEST = "chest tightness or cough"
    DVT_DISTAL = "distal DVT"
    DVT_PROXIMAL = "proximal DVT"
    PE = "pulmonary embolism"
    TIA_STROKE = "TIA/stroke"


CLEARANCE_STEPS = (0, 25, 50, 75, 100)
"""Allowed cleared fractions of a treated area at follow-up, in percent (DOMAIN.md §6)."""


@dataclass(frozen=True)
class PatientDraft:
    """What a user enters for a patient; validated before it is stored."""

    chart_number: str
    family_name: str
    given_name: str
    date_of_birth: dt.date | None
    sex: Sex = Sex.UNKNOWN
    phone: str = ""
    email: str = ""
    address: str = ""
    allergies: str = ""
    history: tuple[str, ...] = ()
    notes: str = ""
    name_order: NameOrder = NameOrder.GIVEN_FIRST
    """Family name first (Chinese, Japanese, Korean, Vietnamese, Hungarian names) or given name first."""


@dataclass(frozen=True)
class Patient:
    """A stored patient."""

    id: str
    chart_number: str
    family_name: str
    given_name: str
    date_of_birth: dt.date | None
    sex: Sex
    phone: str
    email: str
    address: str
    allergies: str
    history: tuple[str, ...]
    notes: str
    archived: bool
    version: int = 1
    """The stored version: a change names it, and a change made from an older one is refused."""
    name_order: NameOrder = NameOrder.GIVEN_FIRST

    @property
    def display_name(self) -> str:
        """The name as a list sorted by family name shows it: "Schmidt, Anna", "张伟"."""
        return list_name(self.family_name, self.given_name, self.name_order)

    @property
    def full_name(self) -> str:
        """The name as it is said and printed on a handout: "Anna Schmidt", "张伟"."""
        return full_name(self.family_name, self.given_name, self.name_order)

    def draft(self) -> PatientDraft:
        """The editable fields, to change and save again."""
        return PatientDraft(
            chart_number=self.chart_number,
            family_name=self.family_name,
            given_name=self.given_name,
            date_of_birth=self.date_of_birth,
            sex=self.sex,
            phone=self.phone,
            email=self.email,
            address=self.address,
            allergies=self.allergies,
            history=self.history,
            notes=self.notes,
            name_order=self.name_order,
        )


@dataclass(frozen=True)
class Practitioner:
    """A physician, nurse or administrator of the clinic."""

    id: int
    name: str
    credentials: str
    active: bool
    login: str = ""
    """The sign-in name ("" for a practitioner recorded before accounts existed)."""
    role: str = "physician"
    version: int = 1
    can_sign_in: bool = False
    """A password is set."""

    @property
    def label(self) -> str:
        """The name with credentials, as printed under a signature."""
        return f"{self.name}, {self.credentials}" if self.credentials else self.name


@dataclass(frozen=True)
class Sclerosant:
    """A catalogue entry: the agent, the strengths it is made in, and its limits (None = not set)."""

    id: int
    code: str
    name: str
    atc_code: str | None
    concentrations: tuple[float, ...]
    forms: tuple[Form, ...]
    max_mg_per_kg_day: float | None
    max_ml_session: float | None
    max_foam_ml_session: float | None
    max_ml_per_injection: float | None
    limit_source: str
    notes: str
    active: bool = True
    version: int = 1
    """The stored version: a change names it, and a change made from an older one is refused."""


@dataclass(frozen=True)
class Preset:
    """A named combination of site settings bound to a key 1–9."""

    id: int
    key: int | None
    name: str
    agent_id: int
    concentration: float
    form: Form
    foam_liquid_parts: int | None
    foam_gas_parts: int | None
    gas: Gas | None
    volume_ml: float
    vessel_type: VesselType
    version: int = 1
    """The stored version: a change names it, and a change made from an older one is refused."""

    def site_draft(self, view: View, x: float, y: float) -> SiteDraft:
        """A new site at a spot with this preset's settings."""
        return SiteDraft(view=view, x=x, y=y, **{name: getattr(self, name) for name in PRESET_FIELDS})


@dataclass(frozen=True)
class SiteDraft:
    """What the user sets for one injection site; the region is computed from the position."""

    view: View
    x: float
    y: float
    agent_id: int
    concentration: float
    form: Form
    volume_ml: float
    vessel_type: VesselType
    foam_liquid_parts: int | None = None
    foam_gas_parts: int | None = None
    gas: Gas | None = None
    vessel_diameter_mm: float | None = None
    delivery: Delivery = Delivery.NEEDLE
    lot_number: str = ""
    reaction: Reaction = Reaction.NONE
    notes: str = ""
    override_reason: str = ""

    def as_preset(self, preset_id: int, key: int | None, name: str) -> Preset:
        """These settings as a preset (the reverse of Preset.site_draft)."""
        return Preset(id=preset_id, key=key, name=name, **{name: getattr(self, name) for name in PRESET_FIELDS})


@dataclass(frozen=True, kw_only=True)
class Site(SiteDraft):
    """A stored injection site: what the user set (the draft's fields, written once there) and where it stands."""

    id: int
    session_id: str
    number: int
    region: str
    region_label: str
    diagram_version: int
    version: int = 1
    """The stored version: a change names it, and a change made from an older one is refused."""

    def draft(self) -> SiteDraft:
        """The editable fields, to change and save again."""
        return SiteDraft(**{name: getattr(self, name) for name in SITE_DRAFT_FIELDS})


SITE_DRAFT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(SiteDraft))
"""What the user sets for a site, in order: the one list every copy and every conversion of a site follows."""

PRESET_FIELDS: tuple[str, ...] = (
    "agent_id",
    "concentration",
    "form",
    "foam_liquid_parts",
    "foam_gas_parts",
    "gas",
    "volume_ml",
    "vessel_type",
)
"""The site fields a preset carries."""


@dataclass(frozen=True)
class TracingDraft:
    """A freehand vein tracing as drawn: points normalised to the view's box (0–1 across and down)."""

    view: View
    points: tuple[tuple[float, float], ...]
    colour: str = "#1f4e9c"
    label: str = ""


@dataclass(frozen=True)
class VeinTracing:
    """A stored vein tracing."""

    id: int
    session_id: str
    view: View
    points: tuple[tuple[float, float], ...]
    colour: str
    label: str
    diagram_version: int
    version: int = 1
    """The stored version: a change names it, and a change made from an older one is refused."""

    def draft(self) -> TracingDraft:
        """The drawn fields, to store again (an undo of a delete)."""
        return TracingDraft(view=self.view, points=self.points, colour=self.colour, label=self.label)


@dataclass(frozen=True)
class Compression:
    """The compression prescription of a session (DOMAIN.md §2)."""

    stocking: str = "Graduated compression stockings"
    continuous_hours: int = 24
    days: int = 14
    nights_too: bool = False


@dataclass(frozen=True)
class SessionDraft:
    """The session details a user sets when starting or editing a session."""

    practitioner_id: int | None
    started_at: dt.datetime
    weight_kg: float | None = None
    ceap_right: str = ""
    ceap_left: str = ""
    checklist: dict[str, bool] = field(default_factory=dict)
    checklist_override: str = ""
    consent: bool = False
    compression: Compression = Compression()
    notes: str = ""
    checklist_reviewed: bool = False
    """The checklist was gone through with the patient (an unticked item then means "no")."""
    weight_reason: str = ""
    """Why no weight was taken, when none was."""
    vcss_right: dict[str, int] | None = None
    """The revised VCSS of the right leg, item key to score; None: not scored."""
    vcss_left: dict[str, int] | None = None


@dataclass(frozen=True)
class TreatmentSession:
    """A stored treatment session (its header; sites come separately)."""

    id: str
    patient_id: str
    practitioner_id: int | None
    practitioner_name: str
    started_at: dt.datetime
    weight_kg: float | None
    ceap_right: str
    ceap_left: str
    checklist: dict[str, bool]
    checklist_override: str
    consent: bool
    compression: Compression
    notes: str
    state: SessionState
    version: int
    """Moves with every change to the session: its details, sites and tracings (signing names it)."""
    signed_at: dt.datetime | None
    signed_by: str
    details_version: int = 1
    """Moves only with a change of the details (a change of the details names it)."""
    checklist_reviewed: bool = False
    weight_reason: str = ""
    signer_id: int | None = None
    signature_meaning: str = ""
    voided_at: dt.datetime | None = None
    voided_by: str = ""
    void_reason: str = ""
    vcss_right: dict[str, int] | None = None
    vcss_left: dict[str, int] | None = None

    @property
    def voided(self) -> bool:
        """A draft set aside with a reason: kept and shown, never changed again, left out of totals."""
        return self.voided_at is not None

    def draft(self) -> SessionDraft:
        """The editable details, to change and save again."""
        return SessionDraft(
            practitioner_id=self.practitioner_id,
            started_at=self.started_at,
            weight_kg=self.weight_kg,
            ceap_right=self.ceap_right,
            ceap_left=self.ceap_left,
            checklist=dict(self.checklist),
            checklist_override=self.checklist_override,
            consent=self.consent,
            compression=self.compression,
            notes=self.notes,
            checklist_reviewed=self.checklist_reviewed,
            weight_reason=self.weight_reason,
            vcss_right=dict(self.vcss_right) if self.vcss_right else None,
            vcss_left=dict(self.vcss_left) if self.vcss_left else None,
        )


@dataclass(frozen=True)
class SessionSummary:
    """One line of a patient's session history."""

    id: str
    started_at: dt.datetime
    practitioner_name: str
    site_count: int
    total_ml: float
    state: SessionState
    voided: bool = False
    """Kept and listed, marked, and left out of every total."""


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit trail."""

    id: int
    at: dt.datetime
    """UTC, naive (sclerochart.domain.clock shows it in local time with the offset)."""
    actor: str
    action: str
    entity: str
    entity_id: str
    before: dict[str, object] | None
    after: dict[str, object] | None
    room: str = ""
    """The computer the change was made on."""
