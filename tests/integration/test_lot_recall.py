"""Recall of a lot: exactly the sites that received it, with their patients' contact details, on both engines."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text

from sclerochart.cli import main
from sclerochart.domain.diagram import point_for
from sclerochart.domain.errors import ValidationError
from sclerochart.domain.values import Form, SessionDraft, SiteDraft, VesselType, View
from sclerochart.reports.lot_recall import recall_csv
from sclerochart.services import audit, patients, recall, sessions, sites
from sclerochart.services.context import ServiceContext
from sclerochart.services.demo import DEMO_PASSWORD
from sclerochart.store.database import open_database
from sclerochart.store.engine import make_engine, parse_target
from tests.conftest import patient_draft
from tests.signing import signed_in


def _site(height: float, lot: str) -> SiteDraft:
    x, y = point_for(View.ANTERIOR, 0, height, 0.0)
    return SiteDraft(View.ANTERIOR, x, y, 1, 0.5, Form.LIQUID, 0.2, VesselType.TELANGIECTASIA, lot_number=lot)


def test_a_recall_finds_exactly_the_sites_of_the_lot_as_typed(ctx: ServiceContext) -> None:
    signed_in(ctx)
    zoe = patients.create_patient(ctx, patient_draft(phone="+41 44 123 45 67", email="zoe@example.org"))
    other = patients.create_patient(ctx, patient_draft(chart_number="SC-0002", family_name="Ivanov"))
    first = sessions.start_session(
        ctx, zoe.id, SessionDraft(None, ctx.clock() - dt.timedelta(days=1), weight_kg=60.0)
    ).id
    second = sessions.start_session(ctx, other.id, SessionDraft(None, ctx.clock(), weight_kg=80.0)).id
    for session_id, lots in ((first, ("L-4711", "L-4712", "l-4711 ")), (second, ("", "L-4711", "L-47110"))):
        for height, lot in zip((20.0, 40.0, 60.0), lots, strict=True):
            sites.add_site(ctx, session_id, _site(height, lot))
    lines = recall.sites_with_lot(ctx, "  l-4711 ", shown_as="recall of a lot, on screen")
    assert [(line.chart_number, line.site_number) for line in lines] == [("SC-0001", 1), ("SC-0001", 3), ("SC-0002", 2)]
    assert (lines[0].phone, lines[0].email, lines[0].agent_name) == (
        "+41 44 123 45 67",
        "zoe@example.org",
        "Polidocanol",
    )
    assert lines[0].region_label and lines[0].session_state == "draft"
    logged = [entry for entry in audit.history(ctx, "patient", zoe.id) if entry.action == "view"]
    assert logged and "recall of a lot, on screen: lot l-4711" in str(logged[-1].after), "in the disclosure log"
    assert recall.sites_with_lot(ctx, "L-99999") == ()


@pytest.mark.parametrize(
    ("typed", "words"), [("   ", "is empty"), ("L1\x00", "control characters"), ("L" * 41, "40 characters")]
)
def test_a_lot_that_cannot_be_one_is_refused_naming_the_field(ctx: ServiceContext, typed: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words) as refused:
        recall.sites_with_lot(ctx, typed)
    assert refused.value.errors[0].field == "Lot"


def test_the_csv_opens_in_a_spreadsheet_with_names_intact_and_no_formulas(ctx: ServiceContext) -> None:
    signed_in(ctx)
    patient = patients.create_patient(ctx, patient_draft(family_name="=HYPERLINK(1)", given_name="Zoë"))
    session_id = sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=60.0)).id
    sites.add_site(ctx, session_id, _site(30.0, "B-1"))
    data = recall_csv(recall.sites_with_lot(ctx, "b-1"))
    assert data.startswith(b"\xef\xbb\xbf"), "the mark that makes spreadsheets read UTF-8"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Chart", "Patient", "Born"] and len(rows) == 2
    assert rows[1][1] == "'=HYPERLINK(1), Zoë", "a name that looks like a formula stays text"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("recall") / "demo.sqlite3"
    assert main(["--db", str(path), "demo", "--patients", "40"]) == 0
    return path


def test_the_lots_command_lists_and_writes_exactly_the_demo_sites_of_a_lot(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCLEROCHART_PASSWORD", DEMO_PASSWORD)
    with sqlite3.connect(demo_db) as plain:
        lot, expected = plain.execute(
            "SELECT lot_number, count(*) FROM injection_sites WHERE lot_number != '' GROUP BY lot_number "
            "ORDER BY count(*) DESC, lot_number LIMIT 1"
        ).fetchone()
    assert main(["--db", str(demo_db), "lots", lot.lower(), "--user", "olumide"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].startswith(f"Lot {lot.lower()}: {expected} site")
    target = tmp_path / "recall"
    assert main(["--db", str(demo_db), "lots", lot, "--csv", str(target), "--user", "olumide"]) == 0
    rows = list(csv.reader(io.StringIO((tmp_path / "recall.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows) == expected + 1 and all(row[-1] == lot for row in rows[1:])
    assert main(["--db", str(demo_db), "lots", "   ", "--user", "olumide"]) != 0
    assert "Lot: is empty" in capsys.readouterr().err


def test_a_site_edited_to_another_lot_leaves_the_recall_of_the_first(ctx: ServiceContext) -> None:
    signed_in(ctx)
    patient = patients.create_patient(ctx, patient_draft())
    session_id = sessions.start_session(ctx, patient.id, SessionDraft(None, ctx.clock(), weight_kg=60.0)).id
    (site,) = sites.add_site(ctx, session_id, _site(30.0, "A-1")).sites
    sites.edit_site(ctx, site.id, replace(site.draft(), lot_number="A-2"), site.version)
    assert recall.sites_with_lot(ctx, "A-1") == ()
    assert [line.lot_number for line in recall.sites_with_lot(ctx, "a-2")] == ["A-2"]


def test_the_recall_reads_the_lot_index_on_both_engines(db_url: str, engine: str) -> None:
    open_database(db_url).close()
    plain = make_engine(parse_target(db_url), create=False)
    try:
        with plain.connect() as connection:
            if engine == "sqlite":
                plan = connection.execute(
                    text("EXPLAIN QUERY PLAN SELECT id FROM injection_sites WHERE lower(lot_number) = 'l1'")
                ).all()
                assert any("ix_injection_sites_lot" in str(step) for step in plan), plan
            else:
                found = connection.scalar(
                    text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_injection_sites_lot'")
                )
                assert found is not None and "lower((lot_number)::text)" in found, found
    finally:
        plain.dispose()
