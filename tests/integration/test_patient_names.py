"""Name order per patient, East Asian names found as typed, chart numbers by the clinic's pattern, duplicates."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import text

from sclerochart.domain.audit_words import in_words
from sclerochart.domain.chart_numbers import ChartPattern
from sclerochart.domain.errors import ValidationError
from sclerochart.domain.names import NameOrder
from sclerochart.domain.search import sort_key
from sclerochart.services import audit, clinic, patients
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import UnitOfWork, open_database
from sclerochart.store.engine import make_engine, parse_target
from sclerochart.store.migrate import upgrade
from tests.conftest import FixedClock, patient_draft
from tests.signing import signed_in


def _pattern(ctx: ServiceContext, pattern: str) -> None:
    signed_in(ctx)
    clinic.change_settings(ctx, {"chart_number_pattern": pattern}, clinic.settings_version(ctx))


def test_a_family_first_name_is_stored_and_shown_family_first(ctx: ServiceContext) -> None:
    zhang = patients.create_patient(
        ctx, patient_draft(family_name="张", given_name="伟", name_order=NameOrder.FAMILY_FIRST)
    )
    stored = patients.get_patient(ctx, zhang.id)
    assert (stored.name_order, stored.full_name, stored.display_name) == (NameOrder.FAMILY_FIRST, "张伟", "张伟")
    nguyen = patients.create_patient(
        ctx,
        patient_draft(
            chart_number="SC-0002", family_name="Nguyễn", given_name="Thị Hồng", name_order=NameOrder.FAMILY_FIRST
        ),
    )
    assert patients.get_patient(ctx, nguyen.id).full_name == "Nguyễn Thị Hồng"
    (hit,) = patients.search_patients(ctx, "nguyen")
    assert hit.display_name == "Nguyễn Thị Hồng"
    schmidt = patients.create_patient(
        ctx, patient_draft(chart_number="SC-0003", family_name="Schmidt", given_name="Anna")
    )
    assert (schmidt.full_name, schmidt.display_name) == ("Anna Schmidt", "Schmidt, Anna")
    draft = replace(nguyen.draft(), name_order=NameOrder.GIVEN_FIRST)
    assert patients.update_patient(ctx, nguyen.id, draft, nguyen.version).full_name == "Thị Hồng Nguyễn"


@pytest.mark.parametrize("typed", ["佐藤花", "佐藤", "花子", "藤花", "佐藤 花子", "佐藤花子"])
def test_a_japanese_name_is_found_from_any_part_typed_without_spaces(ctx: ServiceContext, typed: str) -> None:
    sato = patients.create_patient(
        ctx, patient_draft(family_name="佐藤", given_name="花子", name_order=NameOrder.FAMILY_FIRST)
    )
    patients.create_patient(ctx, patient_draft(chart_number="SC-0002", family_name="佐々木", given_name="健"))
    assert [hit.id for hit in patients.search_patients(ctx, typed)] == [sato.id]


def test_a_chinese_name_is_found_whole_and_a_latin_one_is_not_split_into_letters(ctx: ServiceContext) -> None:
    zhang = patients.create_patient(ctx, patient_draft(family_name="张", given_name="伟"))
    patients.create_patient(ctx, patient_draft(chart_number="SC-0002", family_name="Weber", given_name="Tim"))
    assert [hit.id for hit in patients.search_patients(ctx, "张伟")] == [zhang.id]
    assert [hit.id for hit in patients.search_patients(ctx, "伟")] == [zhang.id]
    assert patients.search_patients(ctx, "eber") == ()  # Latin names still match from the start of a word


def test_a_blank_chart_number_is_assigned_by_the_clinics_pattern(ctx: ServiceContext) -> None:
    _pattern(ctx, "P-#####")
    assert patients.next_chart_number(ctx) == "P-00001"
    first = patients.create_patient(ctx, patient_draft(chart_number=""))
    assert first.chart_number == "P-00001"
    typed = patients.create_patient(ctx, patient_draft(chart_number="P-00007", family_name="Typed"))
    assert typed.chart_number == "P-00007"  # a typed number is kept
    other = patients.create_patient(ctx, patient_draft(chart_number="X-1", family_name="Other"))
    assert other.chart_number == "X-1"
    assert patients.next_chart_number(ctx) == "P-00008"
    assert patients.create_patient(ctx, patient_draft(chart_number=" ", family_name="Next")).chart_number == "P-00008"


def test_the_default_pattern_numbers_from_one_and_no_pattern_means_typed(ctx: ServiceContext) -> None:
    assert patients.create_patient(ctx, patient_draft(chart_number="")).chart_number == "000001"
    _pattern(ctx, "")
    assert patients.next_chart_number(ctx) == ""
    with pytest.raises(ValidationError, match="Chart number"):
        patients.create_patient(ctx, patient_draft(chart_number="", family_name="Blank"))


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        ("P-##-##", "one run"),
        ("ABC", "one run"),
        ("#" * 13, "at most 12"),
        ("é-###", "not allowed"),
        ("-###", "not allowed"),
    ],
)
def test_a_pattern_that_cannot_give_chart_numbers_is_refused(ctx: ServiceContext, pattern: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words) as refused:
        _pattern(ctx, pattern)
    assert refused.value.errors[0].field == "Chart number pattern"


def test_a_second_room_taking_the_same_number_at_the_same_moment_leaves_this_one_the_next(
    ctx: ServiceContext, db_url: str, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if engine == "sqlite":
        pytest.skip("SQLite lets one room write at a time: no two can take a number at the same moment")
    other_db = open_database(db_url)
    other = ServiceContext(other_db, actor="room 2", clock=FixedClock())
    assign = patients._assign
    taken: list[str] = []

    def meanwhile(tx: UnitOfWork, pattern: ChartPattern) -> str:
        number = assign(tx, pattern)
        if not taken:  # room 2 saves its patient between this room's reading the number and storing it
            monkeypatch.setattr(patients, "_assign", assign)
            taken.append(
                patients.create_patient(other, patient_draft(chart_number="", family_name="Room 2")).chart_number
            )
            monkeypatch.setattr(patients, "_assign", meanwhile)
        return number

    monkeypatch.setattr(patients, "_assign", meanwhile)
    try:
        mine = patients.create_patient(ctx, patient_draft(chart_number="", family_name="Room 1"))
    finally:
        other_db.close()
    assert (taken, mine.chart_number) == (["000001"], "000002")


def test_a_possible_duplicate_is_found_by_names_in_either_order_and_birth_date(ctx: ServiceContext) -> None:
    stored = patients.create_patient(ctx, patient_draft(family_name="Müller", given_name="Zoë"))
    unaccented = patient_draft(family_name="MULLER", given_name="zoe")  # typed without the accents
    assert [hit.id for hit in patients.possible_duplicates(ctx, unaccented, None)] == [stored.id]
    assert patients.possible_duplicates(ctx, patient_draft(family_name="Müller", given_name="Zoe Ann"), None) == ()
    same = patient_draft(chart_number="", family_name="MÜLLER", given_name="zoë")
    assert [hit.id for hit in patients.possible_duplicates(ctx, same, None)] == [stored.id]
    swapped = patient_draft(chart_number="", family_name="Zoë", given_name="Müller")
    assert [hit.id for hit in patients.possible_duplicates(ctx, swapped, None)] == [stored.id]
    assert patients.possible_duplicates(ctx, same, stored.id) == ()  # the patient being edited is not their duplicate
    other_day = patient_draft(family_name="Müller", given_name="Zoë", date_of_birth=dt.date(1980, 3, 1))
    assert patients.possible_duplicates(ctx, other_day, None) == ()
    patients.set_archived(ctx, stored.id, True, stored.version)
    assert [hit.id for hit in patients.possible_duplicates(ctx, same, None)] == [stored.id]  # archived ones too


def test_stored_east_asian_names_become_family_first_and_findable_on_upgrade(db_url: str) -> None:
    engine = make_engine(parse_target(db_url), create=True)
    with engine.begin() as connection:
        upgrade(connection, "0009")
        for pid, chart, family, given in (("p1", "A-1", "佐藤", "花子"), ("p2", "A-2", "Schmidt", "Anna")):
            connection.execute(
                text(
                    "INSERT INTO patients (id, chart_number, family_name, given_name, sort_key, date_of_birth, sex,"
                    " phone, email, address, allergies, history, notes, archived, created_at, updated_at, version)"
                    " VALUES (:id, :chart, :family, :given, :key, :born, 'female', '', '', '', '', :history,"
                    " '', :archived, :at, :at, 1)"
                ),
                {
                    "id": pid,
                    "chart": chart,
                    "family": family,
                    "given": given,
                    "key": sort_key(family, given),
                    "born": dt.date(1970, 1, 1),
                    "history": "[]",
                    "archived": False,
                    "at": dt.datetime(2020, 1, 1),
                },
            )
            connection.execute(
                text("INSERT INTO patient_search_terms (term, patient_id, sort_key, archived) VALUES (:t, :p, :k, :a)"),
                {"t": family.lower(), "p": pid, "k": sort_key(family, given), "a": False},
            )
    engine.dispose()
    db = open_database(db_url)
    try:
        ctx = ServiceContext(db, "t", FixedClock())
        assert patients.get_patient(ctx, "p1").full_name == "佐藤花子"
        assert patients.get_patient(ctx, "p2").full_name == "Anna Schmidt"
        assert [hit.id for hit in patients.search_patients(ctx, "藤花")] == ["p1"]
        # What the migration wrote is what the program writes for the same name now.
        assert patients.search_terms(patients.get_patient(ctx, "p1").draft()) <= set(_stored_terms(db_url, "p1"))
    finally:
        db.close()


def _stored_terms(db_url: str, patient_id: str) -> list[str]:
    engine = make_engine(parse_target(db_url), create=False)
    try:
        with engine.connect() as connection:
            return list(
                connection.scalars(
                    text("SELECT term FROM patient_search_terms WHERE patient_id = :p"), {"p": patient_id}
                )
            )
    finally:
        engine.dispose()


def test_a_change_of_name_order_reads_in_words_in_the_audit_trail(ctx: ServiceContext) -> None:
    stored = patients.create_patient(ctx, patient_draft(family_name="Nguyễn", given_name="Thị Hồng"))
    patients.update_patient(ctx, stored.id, replace(stored.draft(), name_order=NameOrder.FAMILY_FIRST), stored.version)
    changed = audit.history(ctx, "patient", stored.id)[-1]
    assert in_words(changed) == "name order: given name first → family name first"
