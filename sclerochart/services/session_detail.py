"""One session as a screen or a document shows it: sites, tracings, totals, limits and findings, always current.

The dose check reads the clinic's interval afresh every time; the patient's other sessions of the same day
unless the click's own statement listed them as none, or as signed sessions read before (their sites and
amendments can only be added to, by the database's triggers); and the catalogue's limits whenever the
catalogue's stamp (renewed by a trigger at every change to it) is not the stamp of the catalogue read last. The
session's own sites may be taken from what a screen already shows, but only when the stored session version
proves they are unchanged.
"""

from __future__ import annotations

import datetime as dt
import math
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import repeat
from typing import Any

from sclerochart import settings
from sclerochart.domain.checklist import absolute_contraindications
from sclerochart.domain.diagram import DIAGRAM_VERSION
from sclerochart.domain.dose import (
    AgentTotals,
    DoseTally,
    Finding,
    LimitUse,
    check_limits,
    liquid_ml,
    mg_from_percent,
    site_mg,
    tallied_totals,
    tally,
    tally_with,
)
from sclerochart.domain.errors import NotFoundError
from sclerochart.domain.schedule import interval_finding
from sclerochart.domain.signing import Amendment, corrected_sites
from sclerochart.domain.values import (
    SITE_DRAFT_FIELDS,
    Form,
    Sclerosant,
    SessionState,
    Severity,
    Site,
    SiteDraft,
    TreatmentSession,
    VeinTracing,
)
from sclerochart.readmodels import SessionDetail
from sclerochart.services import mapping
from sclerochart.services.clinic import settings_in
from sclerochart.services.context import ServiceContext
from sclerochart.store.database import UnitOfWork
from sclerochart.store.models import TreatmentSessionRow
from sclerochart.store.repositories import catalogue as catalogue_repo
from sclerochart.store.repositories import lots as lot_repo
from sclerochart.store.repositories import sessions as session_repo
from sclerochart.store.repositories import sites as site_repo
from sclerochart.store.repositories.sessions import StoredSession


def load_session_row(tx: UnitOfWork, session_id: str, *, lock: bool = False) -> TreatmentSessionRow:
    """The stored session, or NotFoundError.

    Args:
        tx: the unit of work.
        session_id: the session's id.
        lock: hold the session's row until the unit of work ends (SELECT … FOR UPDATE on PostgreSQL; SQLite's
            write transactions hold the whole file already), so changes to one session run one after another.
    """
    row = session_repo.session_row(tx, session_id, lock=lock)
    if row is None:
        raise NotFoundError(
            f"No session with the id {session_id} is stored.", "It may have been removed; pick it from the list."
        )
    return row


def practitioner_name(tx: UnitOfWork, practitioner_id: int | None) -> str:
    """The practitioner's name, or "" for none."""
    if practitioner_id is None:
        return ""
    return catalogue_repo.practitioner_name(tx, practitioner_id) or ""


def session_value(tx: UnitOfWork, row: StoredSession) -> TreatmentSession:
    """The stored session header as a value."""
    return mapping.treatment_session(row, practitioner_name(tx, row.practitioner_id))


def agents_in(tx: UnitOfWork, stamp: str | None = None, marker: Any = None) -> dict[int, Sclerosant]:
    """Every catalogue entry (inactive ones too, for old sessions) by id, as stored now; a dict of the caller's own.

    Given `stamp`, the catalogue's stamp as a statement of this unit of work read it (`sessions.click_header`),
    the entries read last are given again without reading when they were read at that very stamp and `marker`
    (the triggers' marker the same statement read: a trigger dropped and made again moves it, so changes made
    while it was gone are not missed): every change to the catalogue gives it a new random stamp in its own
    transaction (a trigger). Otherwise the catalogue is read, and when its rows are the ones read last their
    values are not built anew.
    """
    global _last_agents
    last_rows, last_stamp, last_agents = _last_agents
    if stamp is not None and (stamp, marker) == last_stamp:
        return dict(last_agents)
    rows = tuple(catalogue_repo.sclerosant_columns(tx))
    columns = tuple(row[:-1] for row in rows)  # the stamp aside: a new stamp on the same rows builds nothing
    if columns != last_rows:
        last_agents = {row.id: mapping.sclerosant(row) for row in rows}
    _last_agents = (columns, (rows[0].catalogue_stamp if rows else None, marker), last_agents)
    return dict(last_agents)


_last_agents: tuple[tuple[Any, ...], tuple[str | None, Any], dict[int, Sclerosant]] = ((), (None, None), {})
"""The catalogue's columns read last, the stamp and triggers' marker they were read at, and their values (one
entry, replaced whole, so threads see one or the other)."""


@dataclass(frozen=True)
class ReadAlong:
    """What a click's header statement read beside the session's columns: each as `dose_inputs` would read it."""

    practitioner_name: str
    previous: dt.datetime | None
    interval_weeks: int
    catalogue_stamp: str | None
    day: dt.date | None = None
    """The day the patient's other sessions were listed for (the session's day as the screen showed it)."""
    same_day_sessions: str | None = None
    """Those sessions as "id|state|amendments|signed at", comma-separated ("" for none); None when not listed."""
    signed_frozen: bool = False
    """Whether every trigger that keeps signed sessions as signed was in place (`sessions.FROZEN_TRIGGERS`)."""
    triggers_marker: Any = None
    """What moves whenever a trigger the shortcuts trust is dropped, made, switched off or on."""


def read_along(row: Any, day: dt.date | None = None) -> ReadAlong:
    """The `ReadAlong` of a `sessions.click_header` row read with the setting `INTERVAL_SETTING` and `day`."""
    return ReadAlong(
        row.practitioner_name or "",
        row.previous_start,
        _interval_weeks(row.setting_value),
        row.catalogue_stamp,
        day,
        row.same_day_sessions,
        bool(row.signed_frozen),
        row.triggers_marker,
    )


def _interval_weeks(stored: Any) -> int:
    """The interval a stored value of the setting gives (its default when unset or no longer allowed)."""
    return settings.from_stored({} if stored is None else {INTERVAL_SETTING: stored}).interval_weeks


INTERVAL_SETTING = "interval_weeks"
"""The clinic setting the dose inputs read: the weeks between sessions of one patient."""


@dataclass(frozen=True)
class DoseInputs:
    """Everything the totals, limits and findings of one session are worked out from."""

    header: TreatmentSession
    sites: tuple[Site, ...]
    agents: dict[int, Sclerosant]
    earlier_mg: dict[int, float]
    previous: dt.datetime | None
    interval_weeks: int
    tracings: tuple[VeinTracing, ...]
    tallied: DoseTally | None = None
    """The tally of `sites` against `agents`, when a screen's session brought one along (checked by `holds`)."""


def session_sites(tx: UnitOfWork, session_id: str) -> tuple[Site, ...]:
    """The session's sites in number order."""
    return tuple(mapping.site(site_row) for site_row in site_repo.session_site_rows(tx, session_id))


def dose_inputs(
    tx: UnitOfWork, row: StoredSession, shown: SessionDetail | None = None, along: ReadAlong | None = None
) -> DoseInputs:
    """The session's dose inputs as stored now.

    Args:
        tx: the unit of work.
        row: the session's stored row (or a plain row of its columns).
        shown: the session as a screen shows it; its sites and tracings are reused when its version is the
            stored one (every change to a site or tracing moves the session's version), which spares reading
            300 sites back after a click. Settings are always read; the other sessions of the day unless `along`
            lists them as none or as signed ones read before (`_same_day_mg`); the catalogue's limits unless
            `along` brings the stamp of the catalogue read last (`agents_in`).
        along: the practitioner's name, previous session and interval, when the session's own statement read
            them (`read_along`); else they are read here.
    """
    header = session_value(tx, row) if along is None else mapping.treatment_session(row, along.practitioner_name)
    tallied = None
    if shown is not None and shown.session.id == row.id and shown.session.version == row.version:
        sites, tracings, tallied = shown.sites, shown.tracings, shown.tallied
    else:
        sites = session_sites(tx, row.id)
        tracings = tuple(mapping.tracing(tracing_row) for tracing_row in site_repo.session_tracings(tx, row.id))
    if along is None:
        previous, interval_weeks = session_repo.previous_start(tx, row.patient_id, row.started_at), None
    else:
        previous, interval_weeks = along.previous, along.interval_weeks
    earlier_mg = _same_day_mg(tx, row, along)
    if interval_weeks is None:
        interval_weeks = settings_in(tx).interval_weeks
    agents = agents_in(tx, None, None) if along is None else agents_in(tx, along.catalogue_stamp, along.triggers_marker)
    if tallied is not None and not tallied.holds(sites, agents):
        tallied = None  # the catalogue changed since: the sites are added up again
    return DoseInputs(header, sites, agents, earlier_mg, previous, interval_weeks, tracings, tallied)


_FORMS = {form.value: form for form in Form}


def _mg(site_row: Any) -> float:
    """`site_mg` of a stored site, from its row's dose columns."""
    liquid = liquid_ml(_FORMS[site_row.form], site_row.volume_ml, site_row.foam_liquid_parts, site_row.foam_gas_parts)
    return mg_from_percent(site_row.concentration, liquid)


Doses = tuple[tuple[int, float, int], ...]
"""A session's doses as the daily limit counts them: (agent id, milligrams, how many sites had them) each."""

Listed = tuple[tuple[str, str, int, str], ...]
"""The other sessions of the day as a click's statement listed them: (id, state, amendments, signed at) each."""

_SIGNED_DOSES: weakref.WeakKeyDictionary[Any, tuple[Any, dict[tuple[str, int, str], Doses]]] = (
    weakref.WeakKeyDictionary()
)
"""The doses of signed sessions as read last, for each open database (by its unit of work's engine): the
triggers' marker they were read at, and the doses by (session id, how many amendments it had, when it was signed).

A signed session's sites can no longer change and its amendments can only be added (the database's triggers
refuse anything else), so its doses at a count of amendments stay as they were read while those triggers stay
in place: a click on the same day's next session takes them from here. When the triggers are not all in place,
or their marker moved (one was dropped or switched off meanwhile, even if it is back), the doses kept are
forgotten. A database opened anew (a backup put back) starts with none."""
_SIGNED_DOSES_KEPT = 512


def _same_day_mg(tx: UnitOfWork, row: StoredSession, along: ReadAlong | None) -> dict[int, float]:
    """Milligrams per agent given in the patient's other sessions of the day, as their amendments corrected them.

    The dose really given counts for the day. When the click's statement listed those sessions (`along`): with
    none, nothing is read; when all are signed sessions whose doses were read before (`_SIGNED_DOSES`), their
    doses are taken as read then. Otherwise they are read (`_doses_read`).
    """
    listed = _listed(along, row)
    if listed == ():
        return {}
    kept = _kept_doses(tx, along) if listed is not None else None
    if kept is not None and listed is not None:
        known = [kept.get((session_id, amendments, signed_at)) for session_id, _, amendments, signed_at in listed]
        if all(doses is not None and entry[1] == _SIGNED for doses, entry in zip(known, listed, strict=True)):
            return _added_up(doses for doses in known if doses is not None)
    read = _doses_read(tx, site_repo.same_day_dose_rows(tx, row.patient_id, row.started_at.date(), row.id))
    if kept is not None and listed is not None:
        if len(kept) > _SIGNED_DOSES_KEPT:
            kept.clear()
        for session_id, state, amendments, signed_at in listed:
            if state != _SIGNED:
                continue
            if session_id not in read:  # signed without sites: none can be added
                kept[session_id, amendments, signed_at] = ()
            elif read[session_id][:2] == (state, amendments):  # as listed (the same transaction's view)
                kept[session_id, amendments, signed_at] = read[session_id][2]
    return _added_up(doses for _, _, doses in read.values())


def _kept_doses(tx: UnitOfWork, along: ReadAlong | None) -> dict[tuple[str, int, str], Doses] | None:
    """The signed sessions' doses kept for this database, when they can be trusted now; else None (and forgotten)."""
    database = tx.get_bind()
    if along is None or not along.signed_frozen or along.triggers_marker is None:
        _SIGNED_DOSES.pop(database, None)
        return None
    marker, kept = _SIGNED_DOSES.get(database, (None, None))
    if kept is None or marker != along.triggers_marker:
        kept = {}
        _SIGNED_DOSES[database] = (along.triggers_marker, kept)
    return kept


_SIGNED = SessionState.SIGNED.value


def _listed(along: ReadAlong | None, row: StoredSession) -> Listed | None:
    """The other sessions the click's statement listed for the session's own day.

    None when it listed none for that day (no day given, or the session's start moved to another day since the
    screen showed it), or a listing does not read as one.
    """
    if along is None or along.same_day_sessions is None or along.day != row.started_at.date():
        return None
    if not along.same_day_sessions:
        return ()
    listed = []
    for entry in along.same_day_sessions.split(","):
        parts = entry.split("|")
        if len(parts) != 4 or not parts[2].isdigit():
            return None
        listed.append((parts[0], parts[1], int(parts[2]), parts[3]))
    return tuple(listed)


def _doses_read(tx: UnitOfWork, rows: Sequence[Any]) -> dict[str, tuple[str, int, Doses]]:
    """(state, amendments, doses) of each session in `rows` (`same_day_dose_rows`), as amendments corrected them.

    A session without amendments is added up straight from its rows; an amended one is read in full and
    corrected.
    """
    read: dict[str, tuple[str, int, list[tuple[int, float, int]]]] = {}
    corrected: set[str] = set()
    for dose in rows:
        entry = read.get(dose.session_id)
        if entry is None:
            entry = read[dose.session_id] = (dose.state, dose.amendments, [])
        if not dose.amendments:
            entry[2].append((dose.agent_id, _mg(dose), dose.site_count))
        elif dose.session_id not in corrected:
            corrected.add(dose.session_id)
            values = corrected_sites(session_sites(tx, dose.session_id), amendments_in(tx, dose.session_id))
            entry[2].extend((value.agent_id, site_mg(value), 1) for value in values)
    return {session_id: (state, amendments, tuple(doses)) for session_id, (state, amendments, doses) in read.items()}


def _added_up(sessions: Iterable[Doses]) -> dict[int, float]:
    """Milligrams per agent over the sessions' doses, added up exactly rounded (`math.fsum`): not order-bound."""
    given: dict[int, list[float]] = {}
    for doses in sessions:
        for agent_id, mg, count in doses:
            given.setdefault(agent_id, []).extend(repeat(mg, count))
    return {agent_id: math.fsum(mg) for agent_id, mg in given.items()}


def get_session(ctx: ServiceContext, session_id: str) -> SessionDetail:
    """The session with its sites (in number order), totals per agent, limits in use, findings and amendments."""
    with ctx.db.read() as tx:
        row = load_session_row(tx, session_id)
        detail = detail_of(dose_inputs(tx, row))
        if row.state == SessionState.SIGNED.value:
            detail = replace(detail, amendments=amendments_in(tx, row.id))
        lots = lot_repo.lot_rows(tx, row.id)
        if lots:
            detail = replace(detail, lots=tuple(mapping.session_lot(lot) for lot in lots))
        return detail


def amendments_in(tx: UnitOfWork, session_id: str) -> tuple[Amendment, ...]:
    """A session's amendments as the unit of work sees them, oldest first."""
    return tuple(mapping.amendment(row) for row in session_repo.amendment_rows(tx, session_id))


@dataclass(frozen=True)
class DoseCheck:
    """Totals per agent, limits in use and limit findings of a set of sites (one pass of the dose rules)."""

    totals: tuple[AgentTotals, ...]
    limits: tuple[LimitUse, ...]
    findings: tuple[Finding, ...]
    tallied: DoseTally
    """What they were worked out from: the sites added up (the next click adds one site to it)."""


def dose_check(inputs: DoseInputs, sites: tuple[Site, ...], tallied: DoseTally | None = None) -> DoseCheck:
    """The dose rules over these sites with the inputs' catalogue, weight and same-day milligrams.

    `tallied` is their tally when the caller has it; the inputs' own is taken for the inputs' sites.
    """
    if tallied is None:
        held = inputs.tallied
        tallied = held if held is not None and held.holds(sites, inputs.agents) else tally(sites, inputs.agents)
    totals = tallied_totals(tallied)
    limits, findings = check_limits(
        sites, inputs.agents, inputs.header.weight_kg, inputs.earlier_mg, totals, tallied=tallied
    )
    return DoseCheck(totals, limits, findings, tallied)


def detail_of(inputs: DoseInputs, checked: DoseCheck | None = None) -> SessionDetail:
    """Totals, limits and findings worked out from the inputs (or `checked`, their dose check already made)."""
    header, sites = inputs.header, inputs.sites
    check = checked or dose_check(inputs, sites)
    totals, limits, findings = check.totals, check.limits, check.findings
    extra: list[Finding] = []
    warning = interval_finding(inputs.previous, header.started_at, inputs.interval_weeks)
    if warning is not None:
        extra.append(warning)
    tallied = check.tallied if check.tallied.sites is sites else None
    uses_foam = tallied.foam_sites > 0 if tallied is not None else any(site.form is Form.FOAM for site in sites)
    for item in absolute_contraindications(header.checklist, uses_foam):
        extra.append(
            Finding(
                Severity.EXCEEDED,
                "contraindication",
                f"Absolute contraindication ticked: {item.label}. Reason recorded for treating: "
                f"{header.checklist_override or '(none)'}",
                "Contraindications: product labels, UIP consensus on contraindications (2023).",
            )
        )
    for site in sites:
        if site.override_reason:
            extra.append(
                Finding(
                    Severity.INFO,
                    "override",
                    f"Site {site.number}: limit confirmed by the practitioner. Reason: {site.override_reason}",
                    "Recorded at the chair.",
                    site.agent_id,
                    site.number,
                )
            )
    return SessionDetail(
        header,
        sites,
        totals,
        limits,
        (*findings, *extra),
        inputs.tracings,
        inputs.agents,
        inputs.earlier_mg,
        inputs.previous,
        inputs.interval_weeks,
        tallied=tallied,
    )


def newly_exceeded(
    inputs: DoseInputs,
    draft: SiteDraft,
    site_id: int | None = None,
    shown: SessionDetail | None = None,
    number: int | None = None,
) -> tuple[tuple[Finding, ...], DoseCheck]:
    """The limits not exceeded now that would be once this site is stored (a new one, or `site_id` changed).

    Only findings of the session as a whole or of this site count: another site already over a limit does not
    make this change need a reason. Also returns the dose check of the sites with the change, which is the
    stored session's once the change is stored (only the dose fields and the site's number count in it).

    Args:
        inputs: the session's dose inputs as stored now.
        draft: the site as it would be stored (validated).
        site_id: the stored site the draft replaces, or None for a new site.
        shown: the session as the screen shows it: its findings stand for "now" when its sites, catalogue,
            weight and same-day milligrams are the inputs' (which spares one pass of the rules).
        number: the number a new site will have (by default the next one).
    """
    replaced = next((site for site in inputs.sites if site.id == site_id), None) if site_id is not None else None
    if replaced is not None:
        number = replaced.number
    elif number is None:
        number = inputs.sites[-1].number + 1 if inputs.sites else 1  # the sites are in number order
    probe = Site(
        **{name: getattr(draft, name) for name in SITE_DRAFT_FIELDS if name != "override_reason"},
        override_reason="",
        id=site_id or 0,
        session_id=inputs.header.id,
        number=number,
        region="",
        region_label="",
        diagram_version=DIAGRAM_VERSION,
    )
    stored = inputs.sites
    held = inputs.tallied
    if replaced is None and (not stored or stored[-1].number < number):
        with_it = (*stored, probe)  # numbered last: the order stands without sorting thousands of sites
        after = dose_check(inputs, with_it, tally_with(held, probe, with_it) if held is not None else None)
    else:
        others = tuple(site for site in stored if replaced is None or site.id != replaced.id)
        with_it = tuple(sorted((*others, probe), key=lambda site: site.number))
        after = dose_check(inputs, with_it)
    if inputs.agents.get(draft.agent_id) is None:
        return (), after
    if (
        shown is not None
        and shown.sites is inputs.sites
        and shown.agents == inputs.agents
        and shown.earlier_mg == inputs.earlier_mg
        and shown.session.weight_kg == inputs.header.weight_kg
    ):
        before = shown.findings
    else:
        before = dose_check(inputs, inputs.sites).findings
    already = {(f.code, f.agent_id, f.site_number) for f in before if f.severity is Severity.EXCEEDED}
    return tuple(
        f
        for f in after.findings
        if f.severity is Severity.EXCEEDED
        and (f.code, f.agent_id, f.site_number) not in already
        and f.site_number in (None, number)
    ), after


def earlier_sites(ctx: ServiceContext, session_id: str) -> tuple[Site, ...]:
    """The sites of the patient's sessions before this one (to show faintly under the current session)."""
    with ctx.db.read() as tx:
        row = load_session_row(tx, session_id)
        rows = site_repo.earlier_site_rows(tx, row.patient_id, row.started_at)
        return tuple(mapping.site(site_row) for site_row in rows)
