"""What the commands share: exit codes, plain-text tables, the open database, signing in and typed passwords."""

from __future__ import annotations

import argparse
import getpass
import importlib.util
import os
import shlex
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from types import ModuleType
from typing import TYPE_CHECKING

from sclerochart import paths
from sclerochart.domain.errors import UserError
from sclerochart.paths import PASSPHRASE_VARIABLE, PASSWORD_VARIABLE

if TYPE_CHECKING:  # the database layers are loaded by the commands that use them: `--version` stays quick
    from sclerochart.services.context import ServiceContext


def lazy_module(name: str) -> ModuleType:
    """A module loaded on first use (the standard library's LazyLoader).

    The commands name their services at the top, yet `--version` and `--help` load no database layer.
    """
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ImportError(name)
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


if TYPE_CHECKING:
    from sclerochart.domain import accounts as account_rules
else:
    account_rules = lazy_module("sclerochart.domain.accounts")  # the password rules, for the commands that ask


EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2

USER_VARIABLE = "SCLEROCHART_USER"
"""The sign-in name a script gives instead of --user."""
NEW_PASSWORD_VARIABLE = "SCLEROCHART_NEW_PASSWORD"
"""Where a script gives the password of a person being added, or a new password (asked twice otherwise)."""


class UsageProblem(UserError):
    """The command was not given what it needs (exit code 2, as for any other bad usage)."""


def _width(text: str) -> int:
    """Columns a text takes in a terminal (wide East Asian letters count two, combining marks none)."""
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text
    )


def format_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table with aligned columns."""
    widths = [_width(h) for h in headers]
    for row in rows:
        widths = [max(w, _width(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *(line(r) for r in rows)])


USER_HELP = (
    f"sign in as this practitioner (default: ${USER_VARIABLE}); the password is read from ${PASSWORD_VARIABLE}, "
    "else asked for. Needed to change records or to see or print a patient's record"
)


def add_user_option(parser: argparse.ArgumentParser, *, after_command: bool) -> None:
    """Add --user: before the command (for all of them), and after the commands that need it, as people type it."""
    if after_command:  # SUPPRESS: not given here, the value before the command stands
        what = f"sign in as this practitioner (password: ${PASSWORD_VARIABLE}, else asked for)"
        parser.add_argument("--user", metavar="LOGIN", default=argparse.SUPPRESS, help=what)
    else:
        parser.add_argument("--user", metavar="LOGIN", help=USER_HELP)


def database_option(args: argparse.Namespace, ctx: ServiceContext) -> str:
    """The --db part of a command to show the user ("" for the default database or $SCLEROCHART_DB; no password)."""
    return "" if args.db is None else f" --db {shlex.quote(ctx.db.display)}"


def named_user(args: argparse.Namespace, doing: str) -> str:
    """The sign-in name from --user or the environment, or UsageProblem saying how to give one.

    Args:
        args: the parsed command line.
        doing: what the command does, as the start of a sentence ("Writing a session report").
    """
    login = (getattr(args, "user", None) or os.environ.get(USER_VARIABLE) or "").strip()
    if not login:
        command = " ".join(word for word in (args.command, getattr(args, "action", None)) if word)
        raise UsageProblem(
            f"{doing} needs a signed-in practitioner, and nobody was named with --user.",
            f"Add --user and your sign-in name (sclerochart --user NAME {command} …), or set {USER_VARIABLE}. "
            f"The password is then asked for, or read from {PASSWORD_VARIABLE} in scripts.",
        )
    return login


def sign_in(ctx: ServiceContext, login: str) -> str:
    """Sign `login` in on `ctx` with the password from the environment or the terminal; the password, for later.

    Raises:
        UserError: the clinic has nobody to sign in yet, no password can be had, or the service refuses the
            sign-in (unknown or deactivated person, wrong password, a wait after wrong passwords).
    """
    from sclerochart.services import accounts

    if accounts.needs_setup(ctx):
        raise UserError(
            f"Nobody can sign in to {ctx.db.display} yet: the clinic is not set up.",
            "Set it up first with 'sclerochart setup' (see 'sclerochart setup --help'), or open the program's window.",
        )
    password = typed_password(PASSWORD_VARIABLE, f"Password for {login}: ", f"the password of {login}")
    accounts.sign_in(ctx, login, password)
    return password


@contextmanager
def opened(
    args: argparse.Namespace, *, create: bool = False, actor: str = "", doing: str | None = None
) -> Iterator[ServiceContext]:
    """The database the command names, open for the command and closed after it, whatever happens.

    Args:
        args: the parsed command line (--db, --user).
        create: make the database (and the data folder) when missing.
        actor: "" so that every change needs a signed-in practitioner; a name for a program acting for nobody.
        doing: when the command needs a signed-in practitioner, what it does ("Writing a session report"):
            --user is then required and signed in before the command runs.
    """
    from sclerochart.services.context import ServiceContext
    from sclerochart.store.database import open_database

    login = named_user(args, doing) if doing is not None else None  # before the database is opened
    where = args.db or paths.default_database()
    if args.db is None and create:
        paths.private_folder(paths.data_dir())
    database = open_database(where, passphrase=clinic_passphrase(where), create=create)
    try:
        ctx = ServiceContext(database, actor=actor)
        if login is not None:
            sign_in(ctx, login)
        yield ctx
    finally:
        database.close()


def clinic_passphrase(where: str) -> str | None:
    """The clinic passphrase when the database is an encrypted file: from the environment, else asked; else None.

    Raises:
        UserError: it is encrypted, the variable is not set and the command does not run at a terminal.
    """
    from sclerochart.store.database import needs_passphrase
    from sclerochart.store.engine import parse_target

    path = parse_target(where).path
    if path is None or not needs_passphrase(path):
        return None
    return typed_password(PASSPHRASE_VARIABLE, "Clinic passphrase: ", "the encrypted database (the clinic passphrase)")


def _at_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


def typed_password(variable: str, prompt: str, what: str) -> str:
    """A password from the environment variable, else typed at the terminal (not shown).

    Raises:
        UserError: the variable is not set and the command does not run at a terminal.
    """
    given = os.environ.get(variable)
    if given:
        return given
    if not _at_terminal():
        raise UserError(
            f"No password was given for {what}, and it cannot be asked for: the command does not run at a terminal.",
            f"In a script, set the environment variable {variable} to the password; at a terminal it is asked for.",
        )
    return getpass.getpass(prompt)


def can_have_new_password(variable: str, whose: str) -> None:
    """Refuse at once when a new password can neither be read from the variable nor asked for.

    Raises:
        UserError: the variable is not set and the command does not run at a terminal.
    """
    if not os.environ.get(variable) and not _at_terminal():
        raise UserError(
            f"No password was given for {whose}, and it cannot be asked for: the command does not run at a terminal.",
            f"In a script, set the environment variable {variable} to the password; at a terminal it is asked "
            "for twice.",
        )


def new_password(variable: str, whose: str, *, field: str = "Password") -> str:
    """A new password from the environment variable, else typed twice at the terminal (checked after the first).

    Raises:
        ValidationError: the password is not allowed (too short, say).
        UserError: the two typed passwords differ, or none can be had (not at a terminal, variable not set).
    """
    can_have_new_password(variable, whose)
    given = os.environ.get(variable)
    if given:
        return given
    first = getpass.getpass(f"New password for {whose}: ")
    account_rules.validate_password(first, field=field)
    again = getpass.getpass("The same password again: ")
    if account_rules.normal_password(again) != account_rules.normal_password(first):
        raise UserError(
            "The two passwords typed are not the same, so nothing was saved.",
            "Run the command again and type the same password twice.",
        )
    return first
