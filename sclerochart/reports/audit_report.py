"""The audit trail on paper: who did what to a patient's record or a session, and when, as a table of plain rows."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum

from reportlab.platypus import Flowable, Spacer, Table

from sclerochart.domain.audit_words import in_words
from sclerochart.domain.clock import shown_utc
from sclerochart.domain.values import AuditEntry
from sclerochart.reports.fonts import NAME_HINT, TEXT_HINT, Paragraph, check_printable, register_fonts
from sclerochart.reports.page import build_pdf, clinic_page, content_width
from sclerochart.reports.printable import Text, clinic_texts
from sclerochart.reports.styles import BODY, LABEL, SMALL, SMALL_BOLD, TITLE, facts_table, table_style, text
from sclerochart.settings import ClinicSettings

WHEN_PATTERN = "%d.%m.%Y %H:%M:%S"
"""Seconds too: several changes often fall in one minute, and the trail is read to order them."""

COLUMNS = ("When", "Who", "Computer", "What", "Details")
"""The trail's columns, on screen and on paper, in this order."""


class Kind(Enum):
    """What sort of event a line of the trail is, for filtering."""

    CHANGE = "Changes"
    SIGNATURE = "Signatures and amendments"
    DISCLOSURE = "Views, prints and exports"
    ACCESS = "Sign-ins and passwords"


_KIND_OF_ACTION = {
    "sign": Kind.SIGNATURE,
    "amend": Kind.SIGNATURE,
    "void": Kind.SIGNATURE,
    "view": Kind.DISCLOSURE,
    "print": Kind.DISCLOSURE,
    "export": Kind.DISCLOSURE,
    "sign-in": Kind.ACCESS,
    "sign-in refused": Kind.ACCESS,
    "password": Kind.ACCESS,
}
"""Every other action (create, update, remove, delete, archive, restore, demo) is a change."""

_WHAT = {
    ("create", "patient"): "Patient added",
    ("update", "patient"): "Patient details changed",
    ("archive", "patient"): "Patient archived",
    ("restore", "patient"): "Patient restored",
    ("create", "session"): "Session started",
    ("update", "session"): "Session details changed",
    ("remove", "session"): "Empty draft deleted",
    ("delete", "session"): "Empty draft deleted",
    ("sign", "session"): "Session signed",
    ("amend", "session"): "Amendment",
    ("void", "session"): "Session voided",
    ("create", "tracing"): "Vein tracing drawn",
    ("remove", "tracing"): "Vein tracing removed",
    ("delete", "tracing"): "Vein tracing removed",
    ("create", "follow-up"): "Follow-up visit recorded",
    ("update", "follow-up"): "Follow-up visit changed",
    ("delete", "follow-up"): "Follow-up visit removed",
    ("sign", "follow-up"): "Follow-up visit signed",
    ("create", "photo"): "Photo added",
    ("update", "photo"): "Photo described again",
    ("delete", "photo"): "Photo removed",
    ("create", "session lot"): "Lot set for the session",
    ("update", "session lot"): "Lot of the session changed",
    ("delete", "session lot"): "Lot taken off the session",
    ("create", "practitioner"): "Account added",
    ("update", "practitioner"): "Account changed",
}

_BY_ACTION = {
    "sign-in": "Sign-in",
    "sign-in refused": "Sign-in refused",
    "password": "Password changed",
    "view": "Viewed",
    "print": "Printed",
    "export": "Exported",
    "demo": "Demonstration records added",
    "sign": "Signed",
    "amend": "Amendment",
    "void": "Voided",
}

_DONE = {
    "create": "added",
    "update": "changed",
    "remove": "removed",
    "delete": "removed",
    "archive": "archived",
    "restore": "restored",
}

_THING = {
    "patient": "Patient",
    "session": "Session",
    "site": "Site",
    "tracing": "Vein tracing",
    "follow-up": "Follow-up visit",
    "photo": "Photo",
    "session lot": "Lot of the session",
    "practitioner": "Account",
    "setting": "Clinic setting",
    "preset": "Preset",
    "sclerosant": "Sclerosant",
    "clinic": "Clinic",
}


@dataclass(frozen=True)
class AuditRow:
    """One line of the trail as a person reads it: every cell already in words."""

    event_id: int
    """The audit event's number in the log (it only grows)."""
    at: dt.datetime
    """When, in UTC without a zone (as stored), for sorting and date filters."""
    when: str
    """Local time with its offset: "23.11.2026 10:30:15 UTC+01:00"."""
    who: str
    computer: str
    what: str
    """The event in two or three words: "Site 4 changed", "Session signed", "Printed"."""
    details: str
    """Before → after in words, or what was shown, printed or exported."""
    kind: Kind
    record: str
    """The record the event is about, by kind and id: "site 17", "session 5f0c…"."""


def what_happened(entry: AuditEntry) -> str:
    """The event in a few words for the What column: "Site 4 changed", "Session signed", "Sign-in"."""
    if entry.entity == "site":
        values = entry.after or entry.before or {}
        number = values.get("number")
        thing = f"Site {number}" if number is not None else "Site"
        return f"{thing} {_DONE.get(entry.action, entry.action)}"
    known = _WHAT.get((entry.action, entry.entity)) or _BY_ACTION.get(entry.action)
    if known is not None:
        return known
    thing = _THING.get(entry.entity, entry.entity.replace("-", " ").capitalize() or "Record")
    return f"{thing} {_DONE.get(entry.action, entry.action)}"


def kind_of(entry: AuditEntry) -> Kind:
    """Which filter group an event falls in."""
    return _KIND_OF_ACTION.get(entry.action, Kind.CHANGE)


def audit_row(entry: AuditEntry) -> AuditRow:
    """One audit event in words: local time with the offset, the actor, the computer, what and the details."""
    return AuditRow(
        event_id=entry.id,
        at=entry.at,
        when=shown_utc(entry.at, WHEN_PATTERN),
        who=entry.actor,
        computer=entry.room,
        what=what_happened(entry),
        details=in_words(entry),
        kind=kind_of(entry),
        record=f"{entry.entity} {entry.entity_id}".strip(),
    )


def cells(row: AuditRow) -> tuple[str, str, str, str, str]:
    """The row's cells in COLUMNS order."""
    return row.when, row.who, row.computer, row.what, row.details


def _table(rows: Sequence[AuditRow], width: float) -> Table:
    header = [text(title, SMALL_BOLD) for title in COLUMNS]
    body = [[text(cell, SMALL) for cell in cells(row)] for row in rows]
    fixed: list[float] = [86, 78, 50, 80, 0]
    fixed[-1] = width - sum(fixed)
    table = Table([header, *body], colWidths=fixed, repeatRows=1)
    table.setStyle(table_style(1))
    return table


def audit_story(title: str, rows: Sequence[AuditRow], paper: str, *, scope: str = "") -> list[Flowable]:
    """The document's parts in reading order: heading, what the trail covers, the table of events."""
    register_fonts()
    count = f"{len(rows)} event{'' if len(rows) == 1 else 's'}"
    story: list[Flowable] = [
        Paragraph("Audit trail", TITLE),
        facts_table([("Record", title), ("Events", f"{count}{f' — {scope}' if scope else ''}")]),
        Spacer(1, 3),
        text(
            "Who did what and when, oldest first. Times are local to the computer that made this document, "
            "with their offset from UTC.",
            LABEL,
        ),
        Spacer(1, 6),
    ]
    if rows:
        story.append(_table(rows, content_width(paper)))
    else:
        story.append(text("No events to show.", BODY))
    return story


def _texts(title: str, rows: Sequence[AuditRow], clinic: ClinicSettings, scope: str) -> Iterator[Text]:
    """Everything typed that the audit trail prints: the record's name, the clinic, each event's words."""
    yield "The record's name", title, NAME_HINT
    yield "The events shown", scope, TEXT_HINT
    yield from clinic_texts(clinic)
    for row in rows:
        for column, cell in zip(COLUMNS, cells(row), strict=True):
            yield f"The “{column}” of the event of {row.when}", cell, TEXT_HINT


def audit_trail_pdf(
    title: str,
    rows: Sequence[AuditRow],
    clinic: ClinicSettings,
    generated_at: dt.datetime,
    *,
    record_id: str = "",
    scope: str = "",
    deterministic: bool = False,
    logo: bytes | None = None,
) -> bytes:
    """The audit trail as PDF bytes, on the clinic's page (header, paper size, "Page X of Y").

    Args:
        title: The record in words: "Łukasiewicz, Zoë (SC-0001)" or a session's date and patient.
        rows: The events to print, in the order given.
        clinic: The clinic's settings (name, address, phone, paper size).
        generated_at: When the document is made (local time), printed in the footer.
        record_id: The patient's or session's id, printed in the footer.
        scope: Which events are printed when not all are ("changes only, from 01.11.2026").
        deterministic: Fixed internal dates and ids, so the same input gives the same bytes.
        logo: The clinic's logo, when one is set.

    Raises:
        UnprintableTextError: A name or text holds a character no font has; nothing is made.
    """
    check_printable(_texts(title, rows, clinic, scope))
    setup = clinic_page(clinic, logo, "Audit trail", record_id, generated_at, deterministic=deterministic)
    return build_pdf(audit_story(title, rows, clinic.paper_size, scope=scope), setup)
