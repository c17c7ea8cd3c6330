"""The command line: no arguments opens the window; sub-commands do headless work and print tables."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from sclerochart import __version__, launch, paths
from sclerochart.cli_common import (
    EXIT_OK,
    EXIT_PROBLEM,
    EXIT_USAGE,
    USER_VARIABLE,
    UsageProblem,
    add_user_option,
    database_option,
    format_table,
    lazy_module,
    opened,
)
from sclerochart.domain.errors import UserError
from sclerochart.paths import PASSWORD_VARIABLE

if TYPE_CHECKING:
    from sclerochart import cli_accounts, cli_backups, cli_outcomes, cli_recall, cli_selftest, logs
    from sclerochart.domain import clock
    from sclerochart.services import audit, demo, records
    from sclerochart.services import patients as patient_service
    from sclerochart.services import sessions as session_service
    from sclerochart.services.context import ServiceContext
    from sclerochart.store import database, engine, integrity, quick_listing
else:  # each loaded when a command uses it: `--version` loads none of them, `--help` no database layer
    cli_accounts = lazy_module("sclerochart.cli_accounts")
    cli_backups = lazy_module("sclerochart.cli_backups")
    cli_outcomes = lazy_module("sclerochart.cli_outcomes")
    cli_recall = lazy_module("sclerochart.cli_recall")
    cli_selftest = lazy_module("sclerochart.cli_selftest")
    clock = lazy_module("sclerochart.domain.clock")
    logs = lazy_module("sclerochart.logs")
    audit = lazy_module("sclerochart.services.audit")
    demo = lazy_module("sclerochart.services.demo")
    records = lazy_module("sclerochart.services.records")
    patient_service = lazy_module("sclerochart.services.patients")
    session_service = lazy_module("sclerochart.services.sessions")
    database = lazy_module("sclerochart.store.database")
    engine = lazy_module("sclerochart.store.engine")
    integrity = lazy_module("sclerochart.store.integrity")
    quick_listing = lazy_module("sclerochart.store.quick_listing")

VERSION = launch.VERSION

_SESSION_HELP = "the session's id (or its first 8 or more characters)"
DEMO_ACTOR = "demo clinic writer"
"""Who the audit trail says wrote a demo clinic: the program itself, acting for nobody."""


_Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def _parser(alone: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with `alone` (a command of `_BUILT_ALONE`), that command's options only.

    Every command's options need their modules (the accounts', the backups'...); a command built alone loads
    none of them, so a quick command stays quick. Its usage and errors read the same either way.
    """
    parser = argparse.ArgumentParser(
        prog="sclerochart",
        description="ScleroChart: charting at the chair for sclerotherapy of leg veins. "
        "Without a command it opens the program's window.",
        epilog="Commands that change records, or show or print a patient's record, need a signed-in practitioner: "
        f"give your sign-in name with --user (or ${USER_VARIABLE}); the password is asked for, or read from "
        f"${PASSWORD_VARIABLE} in scripts. A new clinic starts with 'sclerochart setup' (or in the window).",
    )
    parser.add_argument("--version", action="version", version=VERSION)
    parser.add_argument(
        "--db",
        metavar="PATH|URL",
        help=f"the database: a file path or a postgresql:// URL (default: ${paths.DATABASE_VARIABLE}, "
        "else a file in your user data folder)",
    )
    add_user_option(parser, after_command=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    if alone is not None:
        _BUILT_ALONE[alone][0](commands)
        return parser
    demo = commands.add_parser(
        "demo", help="write a demo clinic, for trying the program, into a new, empty database (never real patients)"
    )
    demo.add_argument("--patients", type=int, default=200, metavar="N", help="number of patients (default 200)")
    demo.add_argument("--seed", type=int, default=1, help="random seed, for the same clinic every time (default 1)")
    cli_accounts.add_parsers(commands)
    _add_patients(commands)
    sessions = commands.add_parser(
        "sessions", help="list a patient's sessions (needs --user), or the clinic's latest ones"
    )
    sessions.add_argument("patient", nargs="?", help="the patient's chart number or id (none: the latest sessions)")
    sessions.add_argument(
        "--limit",
        type=_limit,
        default=50,
        help=f"most lines to show without a patient (default 50, at most {MAX_LINES})",
    )
    add_user_option(sessions, after_command=True)
    for name, what, subject, subject_help in (
        ("report", "write a session's report as PDF (needs --user)", "session", _SESSION_HELP),
        ("handout", "write a session's aftercare handout as PDF (needs --user)", "session", _SESSION_HELP),
        ("summary", "write a patient's treatment summary as PDF (needs --user)", "patient", "the chart number or id"),
    ):
        document = commands.add_parser(name, help=what)
        document.add_argument(subject, help=subject_help)
        document.add_argument("-o", "--output", required=True, metavar="FILE", help="the PDF file to write")
        document.add_argument(
            "--deterministic",
            action="store_true",
            help="the same bytes every time: a fixed generation time and fixed PDF ids (for tests)",
        )
        if name != "handout":
            document.add_argument("--photos", action="store_true", help="print the photos too")
        add_user_option(document, after_command=True)
    trail = commands.add_parser(
        "audit", help="who did what and when to a patient's record or to a session (needs --user)"
    )
    trail.add_argument("record", help="a session (id or its first 8 characters) or a patient (chart number or id)")
    add_user_option(trail, after_command=True)
    cli_backups.add_parsers(commands)
    cli_recall.add_parsers(commands)
    cli_outcomes.add_parsers(commands)
    cli_selftest.add_parsers(commands)
    check = commands.add_parser("check", help="check the database's integrity and schema")
    check.add_argument("--quick", action="store_true", help="a faster, less thorough file check")
    return parser


def _add_patients(commands: _Commands) -> None:
    listing = commands.add_parser("patients", help="list patients matching a name, chart number or date of birth")
    listing.add_argument("query", nargs="*", help="what to search for (nothing lists the first patients)")
    listing.add_argument("--archived", action="store_true", help="include archived patients")
    listing.add_argument(
        "--limit", type=_limit, default=50, help=f"most lines to show (default 50, at most {MAX_LINES})"
    )


_TAKES_VALUE = ("--db", "--user")
"""The options before a command that take a value (the next word, unless given as --db=…)."""


def _named_command(given: Sequence[str]) -> str | None:
    """The command the words name, when it is one built alone and nothing before it asks for all the options."""
    words = iter(given)
    for word in words:
        if word in _TAKES_VALUE:
            next(words, None)
        elif word.startswith(tuple(f"{option}=" for option in _TAKES_VALUE)):
            continue
        else:
            return word if word in _BUILT_ALONE else None
    return None


def _demo(args: argparse.Namespace) -> int:
    if not 1 <= args.patients <= 1_000_000:
        raise UserError("--patients must be from 1 to 1000000.")
    target = engine.parse_target(args.db or paths.default_database())
    new_file = target.path if target.path is not None and not target.path.exists() else None
    try:
        return _write_demo(args)
    except BaseException:
        if new_file is not None:  # a demo clinic is whole or not at all: a half-made new file is taken away
            database.remove_sqlite_files(new_file)
        raise


def _write_demo(args: argparse.Namespace) -> int:
    with opened(args, create=True, actor=DEMO_ACTOR) as ctx:
        started = time.perf_counter()

        def progress(done: int, total: int) -> None:
            if sys.stderr.isatty():
                print(f"\r{done}/{total} patients", end="", file=sys.stderr, flush=True)

        summary = demo.generate_demo(ctx, args.patients, seed=args.seed, progress=progress)
        if sys.stderr.isatty():
            print(file=sys.stderr)
        print(
            f"Demo clinic written to {ctx.db.display}: {summary.patients} patients, {summary.sessions} sessions, "
            f"{summary.sites} injection sites, {summary.visits} follow-up visits "
            f"in {time.perf_counter() - started:.1f} s."
        )
        where = database_option(args, ctx)
        people = [f"{login} ({role})" for _, _, login, role in demo.PRACTITIONERS]
        print(f"Sign in as {', '.join(people[:-1])} or {people[-1]}; the password of each is {demo.DEMO_PASSWORD}.")
        print(f"Open the window with: sclerochart{where}")
        print(
            f"On the command line, name yourself with --user: sclerochart{where} --user {demo.PRACTITIONERS[0][2]} "
            "sessions CHART-NUMBER"
        )
        print(
            "A demo clinic is for trying the program, never for real patients: "
            "keep real patients in a clinic of their own ('sclerochart setup', or the program's window)."
        )
        return EXIT_OK


def _patients(args: argparse.Namespace) -> int:
    query, limit = " ".join(args.query), max(1, args.limit)
    # A plain SQLite file at this program's schema is read straight away (no SQLAlchemy to load); anything else,
    # or anything unexpected, through the store, which says in words what is wrong.
    hits = quick_listing.patient_hits(args.db or paths.default_database(), query, args.archived, limit)
    if hits is None:
        with opened(args) as ctx:
            hits = patient_service.search_patients(ctx, query, include_archived=args.archived, limit=limit)
    if not hits:
        print(f"No patient matches {query!r}." if query else "No patients are stored yet.")
        return EXIT_OK
    rows = [
        [
            hit.chart_number,
            hit.display_name + (" (archived)" if hit.archived else ""),
            hit.date_of_birth.isoformat() if hit.date_of_birth else "",
            hit.id,
        ]
        for hit in hits
    ]
    print(format_table(["Chart", "Name", "Born", "Id"], rows))
    return EXIT_OK


def _recent_sessions(ctx: ServiceContext, limit: int) -> int:
    lines = session_service.recent_sessions(ctx, max(1, limit))
    if not lines:
        print("No sessions are stored yet.")
        return EXIT_OK
    rows = [
        [
            line.summary.started_at.strftime("%Y-%m-%d %H:%M"),
            line.patient_chart_number,
            line.patient_name,
            str(line.summary.site_count),
            f"{line.summary.total_ml:.2f}",
            line.summary.state.value,
            line.summary.id,
        ]
        for line in lines
    ]
    print(format_table(["Date", "Chart", "Patient", "Sites", "Total mL", "State", "Id"], rows))
    return EXIT_OK


def _audit(args: argparse.Namespace) -> int:
    with opened(args, doing="Showing the audit trail of a record") as ctx:
        try:
            session_id = session_service.find_session(ctx, args.record)
        except UserError:
            patient = patient_service.find_patient(ctx, args.record)
            audit.record_disclosure(ctx, "view", "patient", patient.id, "audit trail, on the command line")
            sessions = tuple(summary.id for summary in session_service.list_sessions(ctx, patient.id))
            entries = audit.patient_trail(ctx, patient.id, sessions)
            print(f"{patient.display_name}, chart {patient.chart_number}: {len(entries)} events")
        else:
            audit.record_disclosure(ctx, "view", "session", session_id, "audit trail, on the command line")
            entries = audit.session_trail(ctx, session_id)
            print(f"Session {session_id}: {len(entries)} events")
        rows = [
            [clock.shown_utc(entry.at, "%Y-%m-%d %H:%M"), entry.room or "—", entry.actor, entry.action,
             f"{entry.entity} {entry.entity_id}", audit.in_words(entry)]
            for entry in entries
        ]  # fmt: skip
        if rows:
            print(format_table(["When (local time)", "Room", "Who", "What", "Record", "Change"], rows))
        return EXIT_OK


def _sessions(args: argparse.Namespace) -> int:
    if args.patient is None:
        with opened(args) as ctx:
            return _recent_sessions(ctx, args.limit)
    with opened(args, doing="Showing a patient's sessions") as ctx:
        patient = patient_service.find_patient(ctx, args.patient)
        audit.record_disclosure(ctx, "view", "patient", patient.id, "list of sessions, on the command line")
        summaries = session_service.list_sessions(ctx, patient.id)
        born = patient.date_of_birth.isoformat() if patient.date_of_birth else "?"
        print(f"{patient.display_name}, chart {patient.chart_number}, born {born}")
        if not summaries:
            print("No sessions yet.")
            return EXIT_OK
        rows = [
            [
                s.started_at.strftime("%Y-%m-%d %H:%M"),
                s.practitioner_name or "—",
                str(s.site_count),
                f"{s.total_ml:.2f}",
                s.state.value,
                s.id,
            ]
            for s in summaries
        ]
        print(format_table(["Date", "Practitioner", "Sites", "Total mL", "State", "Id"], rows))
        return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    with opened(args) as ctx:
        results = integrity.run_checks(ctx.db, quick=args.quick)
        print(f"Database: {ctx.db.display}")
        for result in results:
            print(f"  {'OK     ' if result.ok else 'PROBLEM'}  {result.name}: {result.detail}")
        failed = [r for r in results if not r.ok]
        if failed:
            print(
                f"{len(failed)} check(s) found a problem. Keep a backup of the file before anything else is done to it."
            )
            return EXIT_PROBLEM
        print("All checks passed.")
        return EXIT_OK


def _exported(ctx: ServiceContext, entity: str, entity_id: str, what: str, written: Path) -> None:
    """Write the export into the disclosure log; a file whose export cannot be logged is removed again."""
    try:
        audit.record_disclosure(ctx, "export", entity, entity_id, f"{what}, to {written.name}")
    except UserError as error:
        written.unlink(missing_ok=True)
        raise UserError(
            f"{error.message} The PDF was removed again: its export could not be recorded.", error.hint
        ) from error
    except BaseException:
        written.unlink(missing_ok=True)
        raise


def _report(args: argparse.Namespace) -> int:
    from sclerochart.reports.export import save_pdf  # ReportLab is loaded only when a document is wanted
    from sclerochart.reports.handout import aftercare_handout
    from sclerochart.reports.session_report import session_report

    handout = args.command == "handout"
    doing = "Writing an aftercare handout" if handout else "Writing a session report"
    with opened(args, doing=doing) as ctx:
        session_id = session_service.find_session(ctx, args.session)
        record = records.session_record(ctx, session_id, with_photos=not handout and args.photos)
        generated = record.detail.session.started_at if args.deterministic else ctx.clock()
        if handout:
            pdf, what = aftercare_handout(record, generated, deterministic=args.deterministic), "Aftercare handout"
        else:
            pdf, what = session_report(record, generated, deterministic=args.deterministic), "Session report"
        kind = "handout" if handout else "report"
        suggested = f"{record.patient.chart_number}_{record.detail.session.started_at:%Y-%m-%d}_{kind}.pdf"
        written = save_pdf(pdf, args.output, suggested)
        _exported(ctx, "session", session_id, what.lower(), written)
        print(f"{what} written: {written} ({len(pdf) // 1024 + 1} KB)")
        return EXIT_OK


def _summary(args: argparse.Namespace) -> int:
    from sclerochart.reports.export import save_pdf
    from sclerochart.reports.summary import treatment_summary

    with opened(args, doing="Writing a treatment summary") as ctx:
        record = records.patient_record(
            ctx, patient_service.find_patient(ctx, args.patient).id, with_photos=args.photos
        )
        if args.deterministic:
            generated = record.sessions[-1].session.started_at if record.sessions else dt.datetime(2000, 1, 1)
        else:
            generated = ctx.clock()
        pdf = treatment_summary(record, generated, deterministic=args.deterministic)
        written = save_pdf(pdf, args.output, f"{record.patient.chart_number}_summary.pdf")
        _exported(ctx, "patient", record.patient.id, "treatment summary", written)
        print(f"Treatment summary written: {written} ({len(pdf) // 1024 + 1} KB)")
        return EXIT_OK


def _start_log(command: str) -> None:
    """Commands write the same log file as the window (no patient data: see sclerochart.logs)."""
    try:
        logs.setup_logging()
    except OSError:
        return  # a log folder that cannot be made never stops a command
    logging.getLogger("sclerochart.cli").info("command: %s (ScleroChart %s)", command, __version__)


MAX_LINES = 100_000


def _limit(text: str) -> int:
    """A number of lines to show, from 1 to MAX_LINES (argparse says what is allowed otherwise)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 1 <= value <= MAX_LINES:
        raise argparse.ArgumentTypeError(f"must be from 1 to {MAX_LINES}")
    return value


def _not_text(arguments: Sequence[str]) -> str | None:
    """The first argument holding bytes that are not text in this computer's encoding, shown as it came."""
    for argument in arguments:
        if any("\udc80" <= char <= "\udcff" for char in argument):
            return argument.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return None


_BUILT_ALONE: dict[str, tuple[Callable[[_Commands], None], Callable[[argparse.Namespace], int]]] = {
    "patients": (_add_patients, _patients),
}
"""Commands built alone when the command line names them (their options, see `_parser`; their function)."""


def _handler(command: str) -> Callable[[argparse.Namespace], int]:
    """The command's function (a command built alone loads no other command's module)."""
    alone = _BUILT_ALONE.get(command)
    return alone[1] if alone is not None else _handlers()[command]


def _handlers() -> dict[str, Callable[[argparse.Namespace], int]]:
    """Each command's function by its name (this loads every command's module: not for the window)."""
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "demo": _demo,
        "patients": _patients,
        "sessions": _sessions,
        "check": _check,
        "audit": _audit,
    }
    handlers |= {"report": _report, "handout": _report, "summary": _summary}
    handlers |= {"setup": cli_accounts.run_setup, "user": cli_accounts.run_user}
    handlers |= {"backup": cli_backups.run_backup, "backups": cli_backups.run_list, "restore": cli_backups.run_restore}
    handlers |= {"encrypt": cli_backups.run_encrypt, "decrypt": cli_backups.run_decrypt}
    handlers |= {
        "lots": cli_recall.run_lots,
        "outcomes": cli_outcomes.run_outcomes,
        "selftest": cli_selftest.run_selftest,
    }
    return handlers


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 fine, 1 a problem the user can fix, 2 bad usage)."""
    given = sys.argv[1:] if argv is None else list(argv)
    odd = _not_text(given)
    if odd is not None:
        print(f"Error: the argument {odd!r} holds bytes that are not text (a name typed in another encoding).",
              file=sys.stderr)  # fmt: skip
        print("Type it again, or copy it from ScleroChart itself.", file=sys.stderr)
        return EXIT_USAGE
    if given == ["--version"]:  # what argparse would print, without building every command's options first
        print(VERSION)
        return EXIT_OK
    args = launch.window_arguments(given) or _parser(_named_command(given)).parse_args(given)
    if args.command is not None:  # the window sets its log up itself
        _start_log(args.command)
    try:
        if args.command is None:
            return launch.open_window(args.db)
        return _handler(args.command)(args)
    except UserError as error:
        print(f"Error: {error.message}", file=sys.stderr)
        if error.hint:
            print(error.hint, file=sys.stderr)
        return EXIT_USAGE if isinstance(error, UsageProblem) else EXIT_PROBLEM
    except BrokenPipeError:  # the output went to a program that stopped reading (`| head`): nothing is wrong
        sys.stderr.close()
        return EXIT_OK
    except OSError as error:
        print(f"Error: {error.strerror or error}: {error.filename or ''}".rstrip(": "), file=sys.stderr)
        print("Check that the folder exists and may be written, and that the disk is not full.", file=sys.stderr)
        return EXIT_PROBLEM
    except (KeyboardInterrupt, EOFError):  # Ctrl+C, or Ctrl+D at a password prompt
        print("Stopped.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
