"""Every name in every script, in every document, in the patient's own name order.

Chinese, Japanese and Korean names print in an embedded font while Latin text keeps DejaVu Sans, and a character
that no shipped font has is refused before anything is written, with a message that names it.
"""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from sclerochart.cli import main
from sclerochart.domain.errors import UserError
from sclerochart.domain.names import NameOrder
from sclerochart.readmodels import SessionRecord
from sclerochart.reports.audit_report import audit_trail_pdf
from sclerochart.reports.fonts import CJK, ITALIC, KOREAN, REGULAR, Paragraph, UnprintableTextError, draw_text, runs
from sclerochart.reports.handout import aftercare_handout
from sclerochart.reports.session_report import session_report
from sclerochart.reports.styles import BODY
from sclerochart.reports.summary import treatment_summary
from sclerochart.services import clinic, records
from sclerochart.services.context import ServiceContext
from tests.conftest import NOW
from tests.integration.documents import (
    chart_session,
    cli_user,
    flat,
    ink_in_text,
    name_the_clinic,
    one_database,
    pdf_text,
    shown_text,
)

__all__ = ["one_database"]

EAST_ASIAN_FONTS = {"DroidSansFallback", "NanumGothic"}
"""The embedded names of the Chinese and Japanese font and of the Korean one."""


def _ordered(record: SessionRecord, order: NameOrder) -> SessionRecord:
    return replace(record, patient=replace(record.patient, name_order=order))


def _documents(ctx: ServiceContext, record: SessionRecord) -> dict[str, bytes]:
    """The three documents of the session's patient, and the audit trail titled with the patient's name."""
    summary = replace(records.patient_record(ctx, record.patient.id), patient=record.patient)
    title = f"{record.patient.display_name} ({record.patient.chart_number})"
    return {
        "session report": session_report(record, NOW),
        "aftercare handout": aftercare_handout(record, NOW),
        "treatment summary": treatment_summary(summary, NOW),
        "audit trail": audit_trail_pdf(title, [], record.clinic, NOW),
    }


@pytest.mark.parametrize(
    ("family", "given"),
    [("张", "伟"), ("佐藤", "花子"), ("김", "민준")],
    ids=["Chinese", "Japanese", "Korean"],
)
def test_chinese_japanese_and_korean_names_print_in_every_document(
    one_database: ServiceContext, family: str, given: str
) -> None:
    ctx = name_the_clinic(one_database)
    record = _ordered(records.session_record(ctx, chart_session(ctx, f"{given} {family}")), NameOrder.FAMILY_FIRST)
    name = family + given
    assert record.patient.full_name == record.patient.display_name == name
    for document, pdf in _documents(ctx, record).items():
        assert name in flat(pdf_text(pdf)), f"{document}: the name is not in the text"
        shown = [piece for page in shown_text(pdf) for piece in page]
        in_name = [piece for piece in shown if set(piece.text.strip()) & set(name)]
        assert in_name, f"{document}: the name is not drawn"
        assert {piece.font for piece in in_name} <= EAST_ASIAN_FONTS, f"{document}: {in_name}"
        latin = {piece.font for piece in shown if piece.text.strip().isascii()}
        assert latin <= {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"}, f"{document}: Latin text in {latin}"
        ink = ink_in_text(pdf, name)
        assert ink, f"{document}: pdfium finds no {name} on any page"
        assert min(ink) > 25 * len(name), f"{document}: too little drawn where the name is: {ink}"


@pytest.mark.xfail(
    reason="ReportLab draws Arabic letters one by one, unjoined and from left to right: right-to-left order and "
    "joined letter forms need a text-shaping library (HarfBuzz), which ScleroChart does not ship. DejaVu Sans has "
    "the letters, so the name is not refused, but it is not printed as it is written",
    strict=True,
)
def test_an_arabic_name_prints_as_it_is_written(one_database: ServiceContext) -> None:
    ctx = one_database
    record = records.session_record(ctx, chart_session(ctx, "محمد الأحمد"))
    for document, pdf in _documents(ctx, record).items():
        text = flat(pdf_text(pdf))
        assert "محمد" in text and "الأحمد" in text, f"{document}: the letters come out in the wrong order"


def test_family_first_names_print_family_first_in_every_document(one_database: ServiceContext) -> None:
    ctx = one_database
    record = _ordered(records.session_record(ctx, chart_session(ctx, "伟 张")), NameOrder.FAMILY_FIRST)
    for document, pdf in _documents(ctx, record).items():
        text = flat(pdf_text(pdf))
        assert "张伟" in text, document
        assert "伟 张" not in text and "伟张" not in text and "张, 伟" not in text, document

    record = _ordered(records.session_record(ctx, chart_session(ctx, "Thị-Hồng Nguyễn")), NameOrder.FAMILY_FIRST)
    record = replace(record, patient=replace(record.patient, given_name="Thị Hồng"))
    handout = flat(pdf_text(aftercare_handout(record, NOW)))
    assert "For Nguyễn Thị Hồng · treated on" in handout
    assert "Thị Hồng Nguyễn" not in handout
    report = flat(pdf_text(session_report(record, NOW)))
    assert "Patient Nguyễn Thị Hồng" in report


def test_given_first_names_keep_their_order(one_database: ServiceContext) -> None:
    ctx = one_database
    record = _ordered(records.session_record(ctx, chart_session(ctx, "Anna Schmidt")), NameOrder.GIVEN_FIRST)
    assert "For Anna Schmidt · treated on" in flat(pdf_text(aftercare_handout(record, NOW)))
    assert "Patient Schmidt, Anna" in flat(pdf_text(session_report(record, NOW)))


@pytest.mark.parametrize(
    ("character", "in_words"),
    [
        ("\U00010480", "“\U00010480” (Osmanya letter alef, code U+10480)"),
        ("\ue000", "“\ue000” (a private-use character, which has no agreed meaning, code U+E000)"),
    ],
    ids=["Osmanya", "private use"],
)
def test_a_character_no_font_has_is_refused_naming_it_and_the_name_it_is_in(
    one_database: ServiceContext, character: str, in_words: str
) -> None:
    ctx = one_database
    record = records.session_record(ctx, chart_session(ctx, "Anna Schmidt"))
    record = replace(record, patient=replace(record.patient, family_name=f"Schmi{character}dt"))
    summary = replace(records.patient_record(ctx, record.patient.id), patient=record.patient)
    family = f"Schmi{character}dt"
    makers = {
        ("The patient's family name", family): (
            lambda: session_report(record, NOW),
            lambda: aftercare_handout(record, NOW),
            lambda: treatment_summary(summary, NOW),
        ),
        ("The record's name", f"{family}, Anna"): (
            lambda: audit_trail_pdf(record.patient.display_name, [], record.clinic, NOW),
        ),
    }
    for (where, value), documents in makers.items():
        for make in documents:
            with pytest.raises(UnprintableTextError) as refused:
                make()
            error = refused.value
            assert isinstance(error, UserError), "the window shows a UserError as a message"
            assert error.message.startswith(f"{where} “{value}” holds the character {in_words}, which none")
            assert "none of the program's fonts can print, so the document was not made." in error.message
            assert error.hint == "Correct the name in the patient's details, or type it in Latin letters."
            for words in ("DOMAIN", "DESIGN", "§", "UnprintableTextError", "U+FFFD"):
                assert words not in str(error)


def test_the_command_line_refuses_before_writing_and_says_which_text(
    one_database: ServiceContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    ctx = one_database
    session_id = chart_session(ctx, "Anna Schmidt")
    clinic.change_setting(ctx, "handout_expect", "Bruises fade in a few weeks.\ue000")
    out = tmp_path / "handout.pdf"
    database = str(tmp_path / "documents.sqlite3")
    user = cli_user(ctx, monkeypatch)
    assert main(["--db", database, *user, "handout", session_id, "-o", str(out)]) == 1
    assert list(tmp_path.glob("*.pdf")) == [] and list(tmp_path.glob("*.part")) == []
    said = capsys.readouterr().err
    assert "The aftercare handout's text “What to expect” “Bruises fade in a few weeks.\ue000”" in said
    assert "(a private-use character, which has no agreed meaning, code U+E000)" in said
    assert "Correct it in Clinic settings, on the Aftercare handout tab." in said
    assert main(["--db", database, *user, "report", session_id, "-o", str(tmp_path / "report.pdf")]) == 0


def test_text_outside_the_checked_fields_is_refused_too_and_invisible_marks_are_left_out() -> None:
    """The last guard: every paragraph and every line drawn on the page goes through the same font choice."""
    with pytest.raises(UnprintableTextError, match="The text “Lot 7\ue000”"):
        Paragraph("Lot 7\ue000", BODY)
    with pytest.raises(UnprintableTextError, match="U\\+10480"):
        draw_text(Canvas(io.BytesIO()), 0, 0, "\U00010480", REGULAR, 9)
    assert runs("Anna\u2066 Schmidt\u2069") == [("Anna Schmidt", REGULAR)]  # direction isolates: no glyph, no ink
    assert runs("Zoë 张伟 김민준") == [("Zoë ", REGULAR), ("张伟", CJK), (" ", REGULAR), ("김민준", KOREAN)]
    assert runs("ملاحظة", ITALIC) == [("ملاحظة", REGULAR)]  # the oblique face lacks Arabic; the upright has it
    marked = Paragraph("<b>For 张伟</b> · <i>Łódź &amp; ملاحظة</i>", BODY)
    assert marked.text == (
        '<b>For <font name="DroidSansFallbackFull">张伟</font></b> · '
        '<i>Łódź &amp; <font name="DejaVuSans">ملاحظة</font></i>'
    )
