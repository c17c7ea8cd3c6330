"""Sessions charted for the document tests: patients with names from three scripts, sites on every view."""

from __future__ import annotations

import datetime as dt
import io
import os
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import cast

import pypdfium2 as pdfium
import pytest
from PIL import Image
from pypdf import PageObject, PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from sclerochart.domain.diagram import point_for
from sclerochart.domain.dose import ReasonNeeded
from sclerochart.domain.names import NameOrder
from sclerochart.domain.values import PatientDraft, SessionDraft, Sex, Site, View
from sclerochart.reports.diagram import ViewPlacement
from sclerochart.services import catalogue, clinic, patients, sessions
from sclerochart.services import sites as site_service
from sclerochart.services.accounts import PASSWORD_VARIABLE
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import open_database
from tests.conftest import NOW, FixedClock
from tests.signing import PASSWORD, signed_in

NAMES = ("Zoë Łukasiewicz-Ødegård", "Дмитрий Иванов", "Nguyễn Thị Hồng")
FAMILY_FIRST = frozenset({"Nguyễn Thị Hồng"})
"""Names written family name first, as the person writes them (the rest are given name first)."""


def listed_name(name: str) -> str:
    """The name as a report lists it: "Łukasiewicz-Ødegård, Zoë", but "Nguyễn Thị Hồng" as she writes it."""
    if name in FAMILY_FIRST:
        return name
    given, family = name.split(" ", 1)
    return f"{family}, {given}"


SPOTS = [
    (View.ANTERIOR, 0, 30.0),
    (View.POSTERIOR, 1, 55.0),
    (View.RIGHT_LATERAL, 0, 20.0),
    (View.RIGHT_MEDIAL, 0, 70.0),
    (View.LEFT_LATERAL, 0, 40.0),
    (View.LEFT_MEDIAL, 0, 85.0),
]


def chart_session(
    ctx: ServiceContext,
    name: str,
    sites: int = 6,
    *,
    weight: float | None = 68.0,
    notes: str = "",
    started_at: dt.datetime = NOW,
    lower_by: float = 0.0,
) -> str:
    """A draft session of the named patient (made on first use) with `sites` sites spread over the views.

    `lower_by` moves every site that many percent of the leg's height down, to keep sessions apart.
    """
    family_first = name in FAMILY_FIRST
    family, given = name.split(" ", 1) if family_first else reversed(name.split(" ", 1))
    chart = f"R-{zlib.crc32(name.encode()) % 10_000:04d}"
    known_patient = next((p for p in patients.search_patients(ctx, chart, limit=1) if p.chart_number == chart), None)
    patient_id = (
        known_patient.id
        if known_patient
        else patients.create_patient(
            ctx,
            PatientDraft(
                chart,
                family,
                given,
                dt.date(1971, 3, 9),
                Sex.FEMALE,
                name_order=NameOrder.FAMILY_FIRST if family_first else NameOrder.GIVEN_FIRST,
            ),
        ).id
    )
    known = {p.name: p.id for p in catalogue.list_practitioners(ctx)}
    practitioner = known.get("Dr. Ana Müller") or catalogue.add_practitioner(ctx, "Dr. Ana Müller").id
    draft = SessionDraft(
        practitioner,
        started_at,
        weight_kg=weight,
        ceap_right="C1",
        ceap_left="C2,S",
        consent=True,
        notes=notes,
        compression=clinic.load_settings(ctx).compression(),  # as a new session on screen starts
    )
    session = sessions.start_session(ctx, patient_id, draft)
    presets = catalogue.list_presets(ctx)
    for index in range(sites):
        view, leg, height = SPOTS[index % len(SPOTS)]
        across = ((index // len(SPOTS)) % 7 - 3) * 0.2
        preset = presets[index % len(presets)]
        site = preset.site_draft(view, *point_for(view, leg, height + (index // 42) * 4 + lower_by, across))
        try:
            site_service.add_site(ctx, session.id, replace(site, lot_number=f"L{index:03d}"))
        except ReasonNeeded:  # a long session goes over a limit: the practitioner records why
            site_service.add_site(
                ctx, session.id, replace(site, lot_number=f"L{index:03d}", override_reason="Planned, agreed")
            )
    return session.id


UPDATE_GOLDEN = "SCLEROCHART_UPDATE_GOLDEN"


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def check_golden(golden: Path, made: bytes, what: str) -> None:
    """Compare a document with its golden file, which only a deliberate, looked-at change may rewrite.

    With SCLEROCHART_UPDATE_GOLDEN set, a file that differs is rewritten and the test fails once, so a rewrite is
    never a silent pass: look at the new file, then run the tests again without the variable. Under CI (CI=true)
    the variable is refused: a golden file is never rewritten by the machine that checks it.

    Args:
        golden: The golden file.
        made: The document's bytes, made now.
        what: The document in words, for the messages ("the report").
    """
    if os.environ.get(UPDATE_GOLDEN):
        if _on_ci():
            pytest.fail(f"{UPDATE_GOLDEN} is set under CI: golden files are rewritten only by hand, never in CI.")
        if golden.is_file() and golden.read_bytes() == made:
            return
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(made)
        pytest.fail(
            f"golden file {golden.name} rewritten: look at it, then rerun without {UPDATE_GOLDEN}", pytrace=False
        )
    assert golden.is_file(), f"no golden file {golden.name}: run the tests once with {UPDATE_GOLDEN}=1 and look at it"
    assert made == golden.read_bytes(), f"{what} changed: look at it, then run the tests once with {UPDATE_GOLDEN}=1"


def pdf_text(pdf: bytes) -> list[str]:
    """The text of each page."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(pages: list[str]) -> str:
    """The text of every page as one line, each run of spaces and line breaks made one space (cells wrap)."""
    return " ".join(" ".join(pages).split())


def cli_user(ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The command-line options that sign in as the tests' practitioner (the password is in the environment)."""
    person = signed_in(ctx)
    monkeypatch.setenv(PASSWORD_VARIABLE, PASSWORD)
    return ["--user", person.login]


BERLIN = "CET-1CEST,M3.5.0,M10.5.0/3"
"""Central European time as a POSIX rule (no time zone database needed): UTC+01:00 in winter, +02:00 in summer."""


@pytest.fixture
def in_berlin() -> Iterator[None]:
    """The computer's clock set to Central European time, so printed offsets are known: NOW is UTC+01:00."""
    if not hasattr(time, "tzset"):
        pytest.skip("setting the time zone in a running program needs time.tzset (not on Windows)")
    before = os.environ.get("TZ")
    os.environ["TZ"] = BERLIN
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


def name_the_clinic(ctx: ServiceContext) -> ServiceContext:
    """A clinic with a name, an address and a phone number with letters beyond ASCII."""
    clinic.change_setting(ctx, "clinic_name", "Praxis Dr. Ødegård")
    clinic.change_setting(ctx, "clinic_address", "Hauptstraße 1, 10115 Berlin")
    clinic.change_setting(ctx, "clinic_phone", "+49 30 1234567")
    return ctx


class RenderedPages:
    """The pages that hold diagram views, rendered to pixels, to look for a marker where the geometry puts it."""

    SCALE = 3.0

    def __init__(self, pdf: bytes, placements: list[ViewPlacement]) -> None:
        self.placements = placements
        document = pdfium.PdfDocument(pdf)
        self.images: dict[int, Image.Image] = {
            page: document[page - 1].render(scale=self.SCALE).to_pil().convert("RGB")
            for page in {p.page for p in placements}
        }
        document.close()

    def marker_has_colour(self, site: Site, colour: str) -> bool:
        """Whether at least 3 of 9 points within 3 pt of the site's spot have the colour (#rrggbb, ±40)."""
        return self.has_colour(site.view, site.x, site.y, colour, reach=3.0, least=3)

    def has_colour(self, view: View, x: float, y: float, colour: str, *, reach: float = 0.6, least: int = 1) -> bool:
        """Whether at least `least` of 9 points within `reach` pt of a view's spot have the colour (±40 each)."""
        placement = next(p for p in self.placements if p.view is view)
        image = self.images[placement.page]
        page_x, page_y = placement.point(x, y)
        px, py = page_x * self.SCALE, image.height - page_y * self.SCALE
        want = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
        steps = (-reach, 0.0, reach)
        ring = [(px + dx * self.SCALE, py + dy * self.SCALE) for dx in steps for dy in steps]
        pixels = [cast(tuple[int, int, int], image.getpixel((round(cx), round(cy)))) for cx, cy in ring]
        return sum(all(abs(a - b) <= 40 for a, b in zip(pixel, want, strict=True)) for pixel in pixels) >= least


@dataclass(frozen=True)
class Shown:
    """A piece of text as a page shows it: where (y from the page's bottom), how large, in which font."""

    page: int
    """From 1."""
    y: float
    size: float
    font: str
    """The embedded font's name without its subset prefix: "DejaVuSans-Bold", "DroidSansFallback"."""
    text: str


def _shown_on(number: int, page: PageObject) -> list[Shown]:
    found: list[Shown] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if not text.strip():
            return
        name = str(cast(dict[str, object], font).get("/BaseFont", "")) if font else ""
        y = tm[5] * cm[3] + cm[5]
        found.append(Shown(number, y, size * abs(tm[3]) * abs(cm[3]), name.lstrip("/").split("+")[-1], text))

    page.extract_text(visitor_text=visit)
    return found


def shown_text(pdf: bytes) -> list[list[Shown]]:
    """Every piece of text of each page, as drawn (pypdf's text visitor)."""
    return [_shown_on(number, page) for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1)]


CONTENT_TOP = 842.0 - 45.35 - 48.2
"""The top of the content frame on A4, in points from the bottom (above it: the clinic header)."""
CONTENT_BOTTOM = 45.35 + 25.5 - 4.0
"""Just below the bottom of the content frame (below it: the footer)."""


def content_lines(page: list[Shown]) -> list[Shown]:
    """The page's text between the header and the footer, top to bottom."""
    inside = [shown for shown in page if CONTENT_BOTTOM < shown.y < CONTENT_TOP]
    return sorted(inside, key=lambda shown: -shown.y)


def ink_in_text(pdf: bytes, words: str, scale: float = 3.0) -> list[int]:
    """For each place a page shows `words`, how many dark pixels lie inside the box of its characters.

    The characters' boxes come from pdfium's own text layer, so an empty box or a blank glyph counts 0.
    """
    counts: list[int] = []
    document = pdfium.PdfDocument(pdf)
    try:
        for page in document:
            text_page = page.get_textpage()
            searcher = text_page.search(words)
            image: Image.Image | None = None
            while (found := searcher.get_next()) is not None:
                if image is None:
                    image = page.render(scale=scale).to_pil().convert("L")
                start, count = found
                boxes = [text_page.get_charbox(index) for index in range(start, start + count)]
                left, bottom = min(b[0] for b in boxes), min(b[1] for b in boxes)
                right, top = max(b[2] for b in boxes), max(b[3] for b in boxes)
                height = page.get_height()
                crop = image.crop(
                    (
                        int(left * scale),
                        int((height - top) * scale),
                        int(right * scale) + 1,
                        int((height - bottom) * scale) + 1,
                    )
                )
                counts.append(sum(crop.histogram()[:110]))  # grey levels 0–109: ink, not paper
    finally:
        document.close()
    return counts


def embedded_fonts_problems(pdf: bytes) -> list[str]:
    """Every font a page names without embedding its outlines (FontFile, FontFile2 or FontFile3)."""
    problems = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        resources = cast(DictionaryObject, page["/Resources"].get_object())
        fonts = cast(DictionaryObject, resources.get("/Font", DictionaryObject()).get_object())
        for reference in fonts.values():
            font = cast(DictionaryObject, reference.get_object())
            described = [font]
            if "/DescendantFonts" in font:
                descendants = cast(ArrayObject, font["/DescendantFonts"].get_object())
                described = [cast(DictionaryObject, d.get_object()) for d in descendants]
            for part in described:
                descriptor = part.get("/FontDescriptor")
                keys = cast(DictionaryObject, descriptor.get_object()) if descriptor is not None else {}
                if not any(key in keys for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    problems.append(f"page {number} names {font.get('/BaseFont')} without embedding it")
    return problems


@pytest.fixture
def one_database(tmp_path: Path) -> Iterator[ServiceContext]:
    """A SQLite database with the real migrations, for tests of the documents alone.

    The documents are made from plain values (values in, bytes out), so these tests run on one engine; the
    other integration tests run each service on SQLite and PostgreSQL. The clock is a FixedClock at NOW.
    """
    database = open_database(str(tmp_path / "documents.sqlite3"))
    yield ServiceContext(database, actor="tester", clock=FixedClock())
    database.close()


def moved_clock(ctx: ServiceContext) -> FixedClock:
    """The FixedClock of a context made by `one_database`."""
    return cast(FixedClock, ctx.clock)
