"""What a signature, an amendment and a voided draft look like on paper: the words and the blocks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, KeepTogether, ListFlowable, ListItem, Spacer, Table, TableStyle

from sclerochart.domain.clock import offset_text
from sclerochart.domain.signing import Amendment
from sclerochart.domain.values import SIGNATURE_MEANING, SessionState, TreatmentSession
from sclerochart.reports.fonts import REGULAR, Paragraph
from sclerochart.reports.styles import BODY, HEADING, MUTED_HEX, SEVERITY_COLOURS, SMALL, text

VOID_RED = SEVERITY_COLOURS["exceeded"]
VOID_FILL = HexColor("#fdf1f0")
DOSE_FIELDS = frozenset({"volume_ml", "concentration"})
"""Corrected values that change the totals and the limits."""


def when(moment: dt.datetime) -> str:
    """A local wall-clock time as printed beside a signature: "on 23.11.2026 at 10:30 (UTC+01:00)"."""
    offset = offset_text(moment if moment.tzinfo else moment.astimezone())
    return f"on {moment:%d.%m.%Y} at {moment:%H:%M}" + (f" ({offset})" if offset else "")


def signed_line(session: TreatmentSession) -> str:
    """A signed session's signature in a line: "Signed by NAME on DATE at TIME (offset)"; "" otherwise."""
    if session.state is not SessionState.SIGNED or session.signed_at is None:
        return ""
    return f"Signed by {session.signed_by} {when(session.signed_at)}"


def meaning(session: TreatmentSession) -> str:
    """What the session's signature means, as stored with it (older records: the words of the time)."""
    return session.signature_meaning or SIGNATURE_MEANING


def void_line(session: TreatmentSession) -> str:
    """Who voided a session and when: "Set aside by NAME on DATE at TIME (offset)"; "" when it is not voided."""
    if session.voided_at is None:
        return ""
    return f"Set aside by {session.voided_by or 'someone not recorded'} {when(session.voided_at)}"


def sentence(words: str) -> str:
    """Words ending in a full stop (unless they end in one already, or in ! or ?)."""
    words = words.strip()
    return words if not words or words[-1] in ".!?" else words + "."


def void_reason(session: TreatmentSession) -> str:
    """Why a session was voided, as a sentence: "Reason: Charted for the wrong patient."."""
    return f"Reason: {sentence(session.void_reason or 'not recorded')}"


def amendment_line(amendment: Amendment) -> str:
    """An amendment's heading: "Amendment 2 — signed by NAME on DATE at TIME (offset)"."""
    return f"Amendment {amendment.number} — signed by {amendment.signed_by} {when(amendment.signed_at)}"


def corrected_sites(amendments: Sequence[Amendment]) -> dict[int, tuple[int, ...]]:
    """For each corrected site number, the numbers of the amendments that correct it."""
    found: dict[int, list[int]] = {}
    for amendment in amendments:
        for correction in amendment.corrections:
            numbers = found.setdefault(correction.site_number, [])
            if amendment.number not in numbers:
                numbers.append(amendment.number)
    return {site: tuple(numbers) for site, numbers in sorted(found.items())}


def dose_corrected_sites(amendments: Sequence[Amendment]) -> tuple[int, ...]:
    """The sites whose volume or concentration an amendment corrects (their totals are as signed)."""
    return tuple(sorted({c.site_number for a in amendments for c in a.corrections if c.field in DOSE_FIELDS}))


def numbers_in_words(numbers: Sequence[int]) -> str:
    """1 → "1"; 1, 2 → "1 and 2"; 1, 2, 3 → "1, 2 and 3" (at least one number)."""
    words = [str(n) for n in numbers]
    return words[0] if len(words) <= 1 else ", ".join(words[:-1]) + " and " + words[-1]


def as_signed_note(amendments: Sequence[Amendment]) -> Paragraph | None:
    """The sentence beside the site table when amendments correct it; None when none does."""
    sites = corrected_sites(amendments)
    if not sites:
        return None
    plural = "s" if len(sites) > 1 else ""
    correcting = {n for numbers in sites.values() for n in numbers}
    who = (
        "The amendments after the signature correct"
        if len(correcting) > 1
        else "An amendment after the signature corrects"
    )
    return Paragraph(
        f'<font color="{SEVERITY_COLOURS["caution"]}"><b>Values as signed.</b></font> '
        f"The table shows the sites as they were signed. {who} site{plural} {numbers_in_words(list(sites))}; "
        "the corrections are listed there.",
        SMALL,
    )


def _box(content: list[Flowable], width: float) -> Table:
    box = Table([[content]], colWidths=[width])
    box.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), VOID_FILL),
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # else the table names Helvetica, not embedded
                ("BOX", (0, 0), (-1, -1), 1.2, HexColor(VOID_RED)),
                ("LEFTPADDING", (0, 0), (-1, -1), 8),
                ("RIGHTPADDING", (0, 0), (-1, -1), 8),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    return box


def void_notice(session: TreatmentSession, width: float) -> Table:
    """The box under the title of a voided session: VOIDED, who set it aside and when, and why."""
    return _box(
        [
            Paragraph(f'<font color="{VOID_RED}" size="13"><b>VOIDED</b></font>', BODY),
            Spacer(1, 3),
            text(f"{void_line(session)}. {void_reason(session)}", BODY),
            text(
                "This draft was never signed. It is kept on record as it was, and its injection sites are not "
                "counted in any total.",
                SMALL,
            ),
        ],
        width,
    )


def signature_block(session: TreatmentSession) -> Flowable:
    """The "Signature" part: who signed, when and what it means; the voided or draft state otherwise."""
    if session.state is SessionState.SIGNED and session.signed_at is not None:
        lines: list[Flowable] = [
            Paragraph(
                f"<b>Signed by {escape(session.signed_by)}</b> {escape(when(session.signed_at))}.",
                BODY,
            ),
            text(f"Meaning of the signature: {meaning(session)}", SMALL),
        ]
    elif session.voided:
        lines = [
            Paragraph(f'<font color="{VOID_RED}"><b>VOIDED – never signed.</b></font>', BODY),
            text(f"{void_line(session)}. {void_reason(session)}", BODY),
        ]
    else:
        lines = [
            Paragraph(
                f'<font color="{VOID_RED}"><b>Draft – not signed.</b></font> This record may still change.', BODY
            ),
            Spacer(1, 16),
            text("Signature ______________________________     Date and time ____________________", BODY),
            text(f"Meaning of the signature: {meaning(session)}", SMALL),
        ]
    return KeepTogether([Paragraph("Signature", HEADING), *lines])


def _amendment(amendment: Amendment) -> Flowable:
    parts: list[Flowable] = [
        Paragraph(f"<b>{escape(amendment_line(amendment))}</b>", BODY),
        text(f"Reason: {sentence(amendment.reason)}", BODY),
    ]
    if amendment.text:
        parts.append(text(f"Addendum: {sentence(amendment.text)}", BODY))
    if amendment.corrections:
        parts.append(text("Corrected values (as signed → corrected):", BODY))
        items = [ListItem(text(c.in_words(), BODY), leftIndent=12, value="•") for c in amendment.corrections]
        parts.append(ListFlowable(items, bulletType="bullet", leftIndent=12, bulletFontSize=9))
    parts += [text(f"Meaning of the signature: {amendment.meaning}", SMALL), Spacer(1, 6)]
    return KeepTogether(parts)


def amendments_section(amendments: Sequence[Amendment]) -> list[Flowable]:
    """The "Amendments" part after the signature, oldest first; nothing when there are none."""
    if not amendments:
        return []
    return [
        Paragraph("Amendments", HEADING),
        Paragraph(
            f'<font color="{MUTED_HEX}">Added and signed after the session was signed. The session above is kept '
            "exactly as it was signed.</font>",
            SMALL,
        ),
        Spacer(1, 4),
        *(_amendment(amendment) for amendment in amendments),
    ]
