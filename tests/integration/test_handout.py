"""The aftercare handout PDF: the patient's own dates (across month and year ends), large type, clinic text."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from sclerochart.cli import main
from sclerochart.domain.errors import ValidationError
from sclerochart.reports.handout import aftercare_handout
from sclerochart.services import clinic, records
from sclerochart.services.context import ServiceContext
from sclerochart.settings import handout_defaults
from tests.conftest import NOW, FixedClock
from tests.integration.documents import (
    NAMES,
    chart_session,
    check_golden,
    cli_user,
    embedded_fonts_problems,
    name_the_clinic,
    pdf_text,
    shown_text,
)
from tests.signing import sign

GOLDEN = Path(__file__).parent.parent / "golden" / "aftercare-handout.pdf"


def _whole(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf)).replace("\n", " ")


@pytest.mark.parametrize("name", NAMES)
def test_the_handout_is_personal_and_names_every_warning_sign(ctx: ServiceContext, name: str) -> None:
    name_the_clinic(ctx)
    session_id = chart_session(ctx, name)
    pages = pdf_text(aftercare_handout(records.session_record(ctx, session_id), NOW))
    whole = " ".join(pages).replace("\n", " ")
    for expected in (
        "After your vein treatment",
        f"For {name}",
        "treated on Monday 23 November 2026",
        "Day and night for the first 24 hours. Do not take them off. This is until Tuesday 24 November 2026 at 10:30.",
        "Then every day until Monday 7 December 2026. You may take them off to sleep.",
        "between Monday 14 December 2026 and Monday 4 January 2027",
        "between Tuesday 23 February 2027 and Tuesday 23 March 2027",
        "final result at about 3 months, around Tuesday 23 February 2027",
        "Most people need 2 to 4 treatments.",
        "the earliest date is Monday 4 January 2027",
        "Call us on +49 30 1234567 the same day",
        "swelling of a leg",
        "pain in a leg that gets worse",
        "a sore on the skin that does not heal",
        "shortness of breath",
        "chest pain",
        "a sudden change in your sight",
        "Questions? Call Praxis Dr. Ødegård: +49 30 1234567",
    ):
        assert expected in whole, expected
    assert "Draft" not in whole, "the patient's copy carries no draft mark"
    assert [f"Page {n} of {len(pages)}" in text for n, text in enumerate(pages, start=1)] == [True] * len(pages)


@pytest.mark.parametrize(
    ("started_at", "expected"),
    [
        (
            dt.datetime(2026, 12, 28, 14, 0),  # stockings, results and next session run into the new year
            (
                "treated on Monday 28 December 2026",
                "until Tuesday 29 December 2026 at 14:00",
                "every day until Monday 11 January 2027",
                "between Monday 18 January 2027 and Monday 8 February 2027",
                "between Sunday 28 March 2027 and Wednesday 28 April 2027",
                "the earliest date is Monday 8 February 2027",
            ),
        ),
        (
            dt.datetime(2027, 11, 30, 9, 15),  # the 30th plus three months is the last day of a leap February
            (
                "treated on Tuesday 30 November 2027",
                "until Wednesday 1 December 2027 at 09:15",
                "every day until Tuesday 14 December 2027",
                "between Tuesday 21 December 2027 and Tuesday 11 January 2028",
                "between Tuesday 29 February 2028 and Thursday 30 March 2028",
                "around Tuesday 29 February 2028",
                "the earliest date is Tuesday 11 January 2028",
            ),
        ),
    ],
)
def test_dates_are_right_across_month_and_year_ends(
    ctx: ServiceContext, clock: FixedClock, started_at: dt.datetime, expected: tuple[str, ...]
) -> None:
    clock.now = started_at  # a session cannot start in the future
    session_id = chart_session(ctx, NAMES[0], started_at=started_at)
    whole = _whole(aftercare_handout(records.session_record(ctx, session_id), NOW))
    for phrase in expected:
        assert phrase in whole, phrase


def test_body_text_is_large_type(ctx: ServiceContext) -> None:
    """Everything between the page header and footer is at least 12.5 pt, read at arm's length."""
    session_id = chart_session(ctx, NAMES[1])
    reader = PdfReader(io.BytesIO(aftercare_handout(records.session_record(ctx, session_id), NOW)))
    sizes: list[float] = []
    top = float(reader.pages[0].mediabox.height) - 110  # below the clinic header
    bottom = 60.0  # above the footer

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        y = tm[5] * cm[3] + cm[5]
        if text.strip() and bottom < y < top:
            sizes.append(size * abs(tm[3]) * abs(cm[3]))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    assert len(sizes) > 20
    assert min(sizes) >= 12.5


def test_the_clinics_own_text_and_prescription_are_printed_and_a_reset_brings_back_the_default(
    ctx: ServiceContext,
) -> None:
    clinic.change_setting(
        ctx, "handout_activity", "Go for a walk of half an hour today.\n\n- Bring {patient_name}'s stockings."
    )
    clinic.change_setting(ctx, "compression_nights_too", True)
    clinic.change_setting(ctx, "compression_stocking", "Class 2 stockings")
    clinic.change_setting(ctx, "interval_weeks", 8)
    clinic.change_setting(ctx, "handout_intro", "")  # emptied: nothing printed for it
    clinic.change_setting(ctx, "handout_next", "   ")
    session_id = chart_session(ctx, NAMES[2])
    whole = _whole(aftercare_handout(records.session_record(ctx, session_id), NOW))
    assert "Go for a walk of half an hour today." in whole
    assert "Bring Nguyễn Thị Hồng's stockings." in whole
    assert "Wear your class 2 stockings:" in whole
    assert "Then day and night until Monday 7 December 2026." in whole
    assert "Monday 18 January 2027" not in whole  # the next-treatment text is emptied; 8 weeks is tested below
    assert "Walk every day." not in whole
    assert "Today we treated" not in whole and "Your next treatment" not in whole
    assert "When to call us" in whole and "When to get emergency help" in whole
    assert "the clinic's number" in whole  # no phone set: the handout still says whom to call

    clinic.reset_setting(ctx, "handout_activity")
    assert clinic.load_settings(ctx).handout_activity == handout_defaults()["handout_activity"]
    clinic.reset_setting(ctx, "handout_next")
    whole = _whole(aftercare_handout(records.session_record(ctx, session_id), NOW))
    assert "Walk every day." in whole
    assert "the earliest date is Monday 18 January 2027" in whole  # the clinic's 8 weeks


def test_a_broken_placeholder_is_refused_and_the_old_text_kept(ctx: ServiceContext) -> None:
    clinic.change_setting(ctx, "handout_next", "Next visit from {next_session}.")
    with pytest.raises(ValidationError, match=r"Aftercare: next treatment.*\{next_sesion\}.*Allowed: \{patient_name\}"):
        clinic.change_setting(ctx, "handout_next", "Next visit from {next_sesion}.")
    with pytest.raises(ValidationError, match="without its pair"):
        clinic.change_setting(ctx, "handout_next", "Next visit from {next_session.")
    assert clinic.load_settings(ctx).handout_next == "Next visit from {next_session}."


def test_no_stockings_prescribed_says_so(ctx: ServiceContext) -> None:
    session_id = chart_session(ctx, NAMES[0])
    record = records.session_record(ctx, session_id)
    header = record.detail.session
    none = replace(header.compression, continuous_hours=0, days=0)
    record = replace(record, detail=replace(record.detail, session=replace(header, compression=none)))
    assert "You do not need to wear compression stockings" in _whole(aftercare_handout(record, NOW))


def test_deterministic_mode_gives_the_same_bytes_as_the_golden_file(ctx: ServiceContext) -> None:
    name_the_clinic(ctx)
    session_id = chart_session(ctx, NAMES[0], sites=3)
    sign(ctx, session_id)
    record = records.session_record(ctx, session_id)
    fixed = replace(record, detail=replace(record.detail, session=replace(record.detail.session, id="golden-1")))
    first = aftercare_handout(fixed, NOW, deterministic=True)
    assert aftercare_handout(fixed, NOW, deterministic=True) == first
    check_golden(GOLDEN, first, "the handout")


def test_the_command_line_writes_the_handout(
    ctx: ServiceContext, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = chart_session(ctx, NAMES[1])
    out = tmp_path / "handout.pdf"
    user = cli_user(ctx, monkeypatch)
    assert main(["--db", db_url, *user, "handout", session_id[:8], "-o", str(out)]) == 0
    assert "For Дмитрий Иванов" in _whole(out.read_bytes())
    assert main(["--db", db_url, *user, "handout", session_id, "-o", str(tmp_path / "nowhere" / "h.pdf")]) == 1
    assert not (tmp_path / "nowhere").exists()


def test_us_letter_paper_from_the_clinic_setting(ctx: ServiceContext) -> None:
    session_id = chart_session(ctx, NAMES[0])
    clinic.change_setting(ctx, "paper_size", "Letter")
    pdf = aftercare_handout(records.session_record(ctx, session_id), NOW)
    box = PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert "Page 1 of" in pdf_text(pdf)[0]


def test_every_font_of_every_document_is_embedded(ctx: ServiceContext) -> None:
    """All four documents, with names in Latin, Cyrillic, Chinese and Korean letters: no font only named."""
    from sclerochart.reports.audit_report import audit_trail_pdf
    from sclerochart.reports.session_report import session_report
    from sclerochart.reports.summary import treatment_summary

    name_the_clinic(ctx)
    for name in (NAMES[1], "伟 张", "민준 김"):
        session_id = chart_session(ctx, name)
        record = records.session_record(ctx, session_id)
        documents = {
            "handout": aftercare_handout(record, NOW),
            "report": session_report(record, NOW),
            "summary": treatment_summary(records.patient_record(ctx, record.patient.id), NOW),
            "audit trail": audit_trail_pdf(record.patient.display_name, [], record.clinic, NOW),
        }
        for document, pdf in documents.items():
            assert embedded_fonts_problems(pdf) == [], f"the {document} for {name}"
            fonts = {shown.font for page in shown_text(pdf) for shown in page}
            assert "DejaVuSans" in fonts and "DejaVuSans-Bold" in fonts, f"the {document} for {name}: {fonts}"
            if name != NAMES[1]:
                assert fonts & {"DroidSansFallback", "NanumGothic"}, f"the {document} for {name}: {fonts}"
