"""Clinic settings: one registry of typed settings with their titles, defaults and allowed values.

Clinic settings live in the database (every room of a clinic shares them). User preferences and window
state are the UI's business and never hold clinical data.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from functools import cache
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any

from sclerochart import paths
from sclerochart.domain import chart_numbers, handout
from sclerochart.domain.backups import Keep
from sclerochart.domain.errors import FieldError, ValidationError
from sclerochart.domain.paper import PAPER_SIZES as PAPER_SIZES
from sclerochart.domain.schedule import DEFAULT_INTERVAL_WEEKS
from sclerochart.domain.signing import CLINIC_CHOICES
from sclerochart.domain.validation import name_problem
from sclerochart.domain.values import Compression

TEXT_LIMIT = 500
"""Characters a one-line setting may hold."""


@cache
def _handout_file() -> dict[str, Any]:
    with (paths.resources_dir() / "handout" / "aftercare.toml").open("rb") as file:
        return tomllib.load(file)


def handout_defaults() -> dict[str, str]:
    """The aftercare handout's default text per section, from resources/handout/aftercare.toml."""
    data = _handout_file()
    return {section.key: str(data[section.key]["text"]).strip() for section in handout.SECTIONS}


def handout_source(key: str) -> str:
    """Where a handout section's default text comes from (DOMAIN.md, or clinic practice to review)."""
    return str(_handout_file()[key].get("source", ""))


def _handout_default(key: str) -> Any:
    return field(default_factory=lambda: handout_defaults()[key])


@dataclass(frozen=True)
class SettingSpec:
    """How one setting is shown and checked."""

    key: str
    title: str
    help: str
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()
    multiline: bool = False
    """Free text of several paragraphs (the handout sections)."""
    is_name: bool = False
    """A name (the clinic's): no direction overrides, not invisible characters only."""
    is_folder: bool = False
    """A folder's full path, or empty for the default."""
    is_chart_pattern: bool = False
    """How new chart numbers are made (# marks a digit), or empty: always typed."""


@dataclass(frozen=True)
class ClinicSettings:
    """Every clinic setting with its default (DOMAIN.md §2 where the value is clinical)."""

    clinic_name: str = ""
    clinic_address: str = ""
    clinic_phone: str = ""
    chart_number_pattern: str = "######"
    interval_weeks: int = DEFAULT_INTERVAL_WEEKS
    compression_stocking: str = Compression.stocking
    compression_continuous_hours: int = Compression.continuous_hours
    compression_days: int = Compression.days
    compression_nights_too: bool = Compression.nights_too
    paper_size: str = "A4"
    lock_after_minutes: int = 10
    signing_needs_weight: bool = True
    signing_needs_sites: bool = True
    signing_needs_ceap: bool = False
    signing_needs_compression: bool = False
    signing_needs_lot_numbers: bool = False
    backup_folder: str = ""
    backup_every_hours: int = 4
    backup_keep_daily: int = 7
    backup_keep_weekly: int = 4
    backup_keep_monthly: int = 12
    handout_intro: str = _handout_default("handout_intro")
    handout_expect: str = _handout_default("handout_expect")
    handout_next: str = _handout_default("handout_next")
    handout_activity: str = _handout_default("handout_activity")
    handout_call_us: str = _handout_default("handout_call_us")
    handout_emergency: str = _handout_default("handout_emergency")

    def backup_keep(self) -> Keep:
        """How many copies rotation keeps."""
        return Keep(self.backup_keep_daily, self.backup_keep_weekly, self.backup_keep_monthly)

    def handout_text(self, key: str) -> str:
        """One section of the aftercare handout as the clinic wrote it."""
        return str(getattr(self, key))

    def signing_needs(self) -> frozenset[str]:
        """The items the clinic requires before a session is signed (consent, checklist, practitioner always)."""
        return frozenset(key for key in CLINIC_CHOICES if getattr(self, f"signing_needs_{key}"))

    def compression(self) -> Compression:
        """The default compression prescription for a new session."""
        return Compression(
            stocking=self.compression_stocking,
            continuous_hours=self.compression_continuous_hours,
            days=self.compression_days,
            nights_too=self.compression_nights_too,
        )


SPECS: dict[str, SettingSpec] = {
    spec.key: spec
    for spec in (
        SettingSpec("clinic_name", "Clinic name", "Printed at the top of every report and handout.", is_name=True),
        SettingSpec("clinic_address", "Clinic address", "Printed under the clinic name."),
        SettingSpec("clinic_phone", "Clinic phone", "The number a patient calls with a warning sign."),
        SettingSpec(
            "chart_number_pattern",
            "Chart number pattern",
            "A new patient whose chart number is left blank gets the next number of this pattern; each # "
            "is a digit (default ######: 000001, 000002, …; P-#####: P-00001). Empty: always typed by hand.",
            is_chart_pattern=True,
        ),
        SettingSpec(
            "interval_weeks",
            "Weeks between sessions",
            "A session sooner than this after the last one shows a warning (default 6 weeks: usual practice).",
            0,
            52,
        ),
        SettingSpec("compression_stocking", "Compression stockings", "What the handout calls the stockings."),
        SettingSpec(
            "compression_continuous_hours", "Hours without removal", "Worn day and night at first (default 24).", 0, 72
        ),
        SettingSpec("compression_days", "Days of compression", "Worn for this many days (default 14).", 0, 90),
        SettingSpec(
            "compression_nights_too",
            "Also at night",
            "Off: worn at all times except when sleeping (default); on: '14 days and nights'.",
        ),
        SettingSpec("paper_size", "Paper size", "For reports and handouts.", choices=PAPER_SIZES),
        SettingSpec(
            "lock_after_minutes",
            "Lock after idle minutes",
            "The window hides patient data after this many minutes without use, until someone signs in "
            "(default 10). Open work is kept.",
            1,
            120,
        ),
        SettingSpec(
            "signing_needs_weight",
            "Signing needs a weight",
            "On: a session is signed only with the weight, or the reason none was taken (default on).",
        ),
        SettingSpec(
            "signing_needs_sites",
            "Signing needs a site",
            "On: a session without injection sites cannot be signed; void it instead (default on).",
        ),
        SettingSpec("signing_needs_ceap", "Signing needs CEAP", "On: a leg's CEAP class is required to sign."),
        SettingSpec(
            "signing_needs_compression", "Signing needs stockings", "On: the stockings prescribed are required."
        ),
        SettingSpec(
            "signing_needs_lot_numbers", "Signing needs lot numbers", "On: every site needs its lot number to sign."
        ),
        SettingSpec(
            "backup_folder",
            "Backup folder",
            "Where verified copies of the database are kept. Best on another disk, a USB drive or a network "
            "folder, so that one broken disk cannot take both. Empty: a 'Backups' folder beside the database.",
            is_folder=True,
        ),
        SettingSpec(
            "backup_every_hours",
            "Backup every (hours)",
            "A copy is made this often while the program is open, and always when it closes (default 4; "
            "0: only when it closes).",
            0,
            24,
        ),
        SettingSpec(
            "backup_keep_daily", "Daily copies kept", "The newest copy of each of this many days (default 7).", 1, 90
        ),
        SettingSpec(
            "backup_keep_weekly",
            "Weekly copies kept",
            "The newest copy of each of this many weeks (default 4).",
            0,
            104,
        ),
        SettingSpec(
            "backup_keep_monthly",
            "Monthly copies kept",
            "The newest copy of each of this many months (default 12).",
            0,
            240,
        ),
        *(
            SettingSpec(
                section.key,
                f"Aftercare: {section.title.lower()}",
                "Printed on every aftercare handout. Placeholders in {braces} are filled in per patient.",
                multiline=True,
            )
            for section in handout.SECTIONS
        ),
    )
}


@cache
def defaults() -> ClinicSettings:
    """Every setting at its default (made once: the settings are frozen, and the handout's defaults are read once)."""
    return ClinicSettings()


def _check(key: str, value: Any) -> Any:
    spec = SPECS[key]
    default = getattr(defaults(), key)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ValidationError([FieldError(spec.title, "must be on or off.")])
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError([FieldError(spec.title, "must be a whole number.")])
        if spec.minimum is not None and spec.maximum is not None and not spec.minimum <= value <= spec.maximum:
            raise ValidationError([FieldError(spec.title, f"must be from {spec.minimum} to {spec.maximum}.")])
        return value
    if not isinstance(value, str):
        raise ValidationError([FieldError(spec.title, "must be text.")])
    text = value.strip()
    if spec.choices and text not in spec.choices:
        raise ValidationError([FieldError(spec.title, f"must be one of {', '.join(spec.choices)}.")])
    if spec.multiline:
        problem = handout.template_problem(text)
        if problem is not None:
            raise ValidationError([FieldError(spec.title, problem)])
    elif len(text) > TEXT_LIMIT:
        raise ValidationError([FieldError(spec.title, f"is longer than {TEXT_LIMIT} characters.")])
    elif any(ord(char) < 32 and char not in "\n\r\t" for char in text):
        raise ValidationError([FieldError(spec.title, "holds invisible control characters; type it again.")])
    elif problem := _text_problem(spec, text):
        raise ValidationError([FieldError(spec.title, problem)])
    elif spec.is_folder and text and not _full_path(text):
        raise ValidationError(
            [
                FieldError(
                    spec.title, "must be a folder's full path (such as E:\\Backups or /media/usb/Backups), or empty."
                )
            ]
        )
    return text


def _text_problem(spec: SettingSpec, text: str) -> str | None:
    """What is wrong with a name or a chart number pattern, in words, or None."""
    if spec.is_name:
        return name_problem(text, maximum=TEXT_LIMIT, required=False)
    if spec.is_chart_pattern:
        return chart_numbers.pattern_problem(text)
    return None


def _full_path(text: str) -> bool:
    """A path that does not depend on the folder the program happens to start in (POSIX, Windows or a share)."""
    return PurePosixPath(text).is_absolute() or PureWindowsPath(text).is_absolute()


def with_value(current: ClinicSettings, key: str, value: Any) -> ClinicSettings:
    """The settings with one value changed, or ValidationError naming the setting and what is allowed."""
    if key not in SPECS:
        raise ValidationError([FieldError("Setting", f"{key!r} is not a clinic setting.")])
    return replace(current, **{key: _check(key, value)})


_KNOWN = frozenset(f.name for f in fields(ClinicSettings))


def from_stored(values: dict[str, Any]) -> ClinicSettings:
    """Settings from stored values; unknown keys and values that no longer pass are left at their default."""
    settings = defaults()
    for key, value in values.items():
        if key in _KNOWN:
            try:
                settings = with_value(settings, key, value)
            except ValidationError:
                continue
    return settings
