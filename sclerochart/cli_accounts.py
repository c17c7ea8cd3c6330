"""The command line's accounts: `setup` of a new clinic and its administrator, and `user` for the practitioners."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

from sclerochart.cli_common import (
    EXIT_OK,
    NEW_PASSWORD_VARIABLE,
    UsageProblem,
    add_user_option,
    can_have_new_password,
    database_option,
    format_table,
    lazy_module,
    named_user,
    new_password,
    opened,
    sign_in,
)
from sclerochart.domain import accounts as account_rules
from sclerochart.domain.accounts import AccountDraft, Role
from sclerochart.domain.errors import ConflictError, FieldError, NotFoundError, ValidationError
from sclerochart.domain.paper import PAPER_SIZES
from sclerochart.domain.values import Practitioner
from sclerochart.paths import PASSWORD_VARIABLE

if TYPE_CHECKING:
    from sclerochart import settings
    from sclerochart.services import accounts, clinic, context
    from sclerochart.services.context import ServiceContext
else:  # loaded when a command runs (the clinic's settings too: building the command line does not need them)
    settings = lazy_module("sclerochart.settings")
    accounts = lazy_module("sclerochart.services.accounts")
    clinic = lazy_module("sclerochart.services.clinic")
    context = lazy_module("sclerochart.services.context")

_ROLES = [role.value for role in Role]


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `setup` and `user` (with its actions) to the command line's commands."""
    setup = commands.add_parser(
        "setup",
        help="set up a new clinic and its first administrator, without the window",
        description="Set up a new clinic: its details and its first practitioner, the administrator, who adds "
        f"everyone else. The administrator's password is read from ${PASSWORD_VARIABLE}, else asked for twice. "
        "The database is made when it does not exist yet.",
    )
    setup.add_argument(
        "--clinic-name", required=True, metavar="NAME", help="printed at the top of every report and handout"
    )
    setup.add_argument("--address", default="", metavar="TEXT", help="the clinic's address, printed under its name")
    setup.add_argument("--phone", default="", metavar="NUMBER", help="the number a patient calls with a warning sign")
    setup.add_argument("--paper", choices=PAPER_SIZES, default="A4", help="paper for reports (default A4)")
    setup.add_argument("--name", required=True, help="the administrator's full name, e.g. 'Dr. Ana Müller'")
    setup.add_argument(
        "--login", required=True, metavar="NAME", help="the administrator's sign-in name (letters, digits, . _ -)"
    )
    setup.add_argument(
        "--credentials", default="", metavar="TEXT", help="printed beside the name, e.g. 'MD, phlebologist'"
    )

    user = commands.add_parser(
        "user",
        help="the clinic's practitioners: list, add, change, deactivate, reactivate, set a password",
        description="The clinic's practitioners. Listing them needs nobody signed in; every change needs an "
        "administrator signed in with --user, except that everyone may set their own password.",
    )
    actions = user.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", help="list the practitioners and whether each can sign in")
    add = actions.add_parser(
        "add",
        help="add a practitioner",
        description=f"Add a practitioner. Their password is read from ${NEW_PASSWORD_VARIABLE}, else asked for twice.",
    )
    add.add_argument("--name", required=True, help="the full name, as printed on reports, e.g. 'Dr. Olumide Adeyemi'")
    add.add_argument(
        "--login", required=True, metavar="NAME", help="the short sign-in name they type (letters, digits, . _ -)"
    )
    add.add_argument("--role", required=True, choices=_ROLES, help="an administrator also manages accounts")
    add.add_argument(
        "--credentials", default="", metavar="TEXT", help="printed beside the name, e.g. 'MD, dermatologist'"
    )
    edit = actions.add_parser("edit", help="change a practitioner's name, credentials, role or sign-in name")
    edit.add_argument("person", metavar="LOGIN", help="the practitioner's sign-in name now")
    edit.add_argument("--name", help="the new full name")
    edit.add_argument("--credentials", metavar="TEXT", help="the new credentials ('' for none)")
    edit.add_argument("--role", choices=_ROLES, help="the new role")
    edit.add_argument("--login", dest="new_login", metavar="NEW", help="the new sign-in name")
    switches = [
        actions.add_parser(
            "deactivate", help="deactivate a practitioner: they can no longer sign in; records are kept"
        ),
        actions.add_parser("reactivate", help="let a deactivated practitioner sign in again"),
    ]
    for switch in switches:
        switch.add_argument("person", metavar="LOGIN", help="their sign-in name")
    password = actions.add_parser(
        "password",
        help="set a practitioner's password (one's own, or anyone's as administrator)",
        description=f"Set a new password, read from ${NEW_PASSWORD_VARIABLE}, else asked for twice. For your own "
        "password, the current one is the one you sign in with.",
    )
    password.add_argument("person", metavar="LOGIN", help="their sign-in name")
    for parser in (add, edit, password, *switches):
        add_user_option(parser, after_command=True)


def run_setup(args: argparse.Namespace) -> int:
    """`sclerochart setup`: the clinic and its administrator, checked before anything is asked or made."""
    values = {
        "clinic_name": args.clinic_name,
        "clinic_address": args.address,
        "clinic_phone": args.phone,
        "paper_size": args.paper,
    }
    draft = AccountDraft(args.name, args.login, Role.ADMINISTRATOR, args.credentials)
    _check_setup(values, draft)
    clean = account_rules.validate_account(draft)
    whose = f"{clean.name} ({clean.login})"
    can_have_new_password(PASSWORD_VARIABLE, whose)  # before a database is made
    with opened(args, create=True) as ctx:
        if not accounts.needs_setup(ctx):
            raise ConflictError(
                f"The clinic in {ctx.db.display} is set up already: it has an administrator.",
                "Sign in with --user, or ask the administrator to add you ('sclerochart user add').",
            )
        secret = new_password(PASSWORD_VARIABLE, whose)
        person = accounts.set_up_clinic(ctx, values, draft, secret)
        where = database_option(args, ctx)
        name = clinic.load_settings(ctx).clinic_name or "The clinic"
        print(f"{name} is set up in {ctx.db.display}.")
        print(f"{person.name} is its administrator and signs in as {person.login}.")
        print(f"Start the program with: sclerochart{where}")
        print(
            f"Add the practitioners there, or here: sclerochart{where} --user {person.login} user add "
            "--name 'FULL NAME' --login NAME --role physician|nurse|administrator"
        )
        return EXIT_OK


def _check_setup(values: dict[str, str], draft: AccountDraft) -> None:
    """Every problem of the clinic's values and the administrator's details at once, before a password is asked."""
    errors: list[FieldError] = []
    current = settings.ClinicSettings()
    for key, value in values.items():
        try:
            current = settings.with_value(current, key, value)
        except ValidationError as error:
            errors.extend(error.errors)
    try:
        account_rules.validate_account(draft)
    except ValidationError as error:
        errors.extend(error.errors)
    if errors:
        raise ValidationError(errors)


def run_user(args: argparse.Namespace) -> int:
    """`sclerochart user ACTION`."""
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {
        "list": _list,
        "add": _add,
        "edit": _edit,
        "deactivate": _set_active,
        "reactivate": _set_active,
        "password": _password,
    }
    return handlers[args.action](args)


def _list(args: argparse.Namespace) -> int:
    with opened(args) as ctx:
        people = accounts.list_accounts(ctx)
        if not people:
            print("No practitioners are stored yet. Set the clinic up with 'sclerochart setup'.")
            return EXIT_OK
        rows = [
            [
                person.login or "—",
                person.name,
                person.credentials,
                person.role,
                "active" if person.active else "deactivated",
                _can_sign_in(person),
            ]
            for person in people
        ]
        print(format_table(["Sign-in name", "Name", "Credentials", "Role", "Account", "Can sign in"], rows))
        return EXIT_OK


def _can_sign_in(person: Practitioner) -> str:
    if not person.active:
        return "no (deactivated)"
    if not person.login:
        return "no (no sign-in name yet)"
    if not person.can_sign_in:
        return "no (no password yet)"
    return "yes"


def _person(ctx: ServiceContext, login: str) -> Practitioner:
    """The practitioner who signs in as `login` (any case), or NotFoundError in plain words."""
    folded = account_rules.fold_login(login)
    for person in accounts.list_accounts(ctx):
        if person.login and account_rules.fold_login(person.login) == folded:
            return person
    raise NotFoundError(
        f"Nobody signs in as {login.strip()!r} here.",
        "Check the sign-in name (not the full name); 'sclerochart user list' shows everyone's.",
    )


def _add(args: argparse.Namespace) -> int:
    with opened(args, doing="Adding a practitioner") as ctx:
        context.require_administrator(ctx, "add practitioners")
        clean = account_rules.validate_account(AccountDraft(args.name, args.login, Role(args.role), args.credentials))
        _refuse_taken(ctx, clean.login)
        secret = new_password(NEW_PASSWORD_VARIABLE, f"{clean.name} ({clean.login})")
        added = accounts.add_account(ctx, clean, secret)
        print(f"Added {added.name} ({added.login}) as {added.role}.")
        print(f"They sign in with the sign-in name {added.login} and the password that was given.")
        return EXIT_OK


def _refuse_taken(ctx: ServiceContext, login: str, *, except_id: int | None = None) -> None:
    """Refuse a sign-in name someone else has, before a password is asked for (the service checks again)."""
    for person in accounts.list_accounts(ctx):
        if person.login == login and person.id != except_id:
            raise ConflictError(
                f"The sign-in name {login!r} is taken by {person.name}.",
                "Choose another sign-in name; nothing was saved.",
            )


def _edit(args: argparse.Namespace) -> int:
    if all(value is None for value in (args.name, args.credentials, args.role, args.new_login)):
        raise UsageProblem(
            "Nothing to change was given.", "Give one or more of --name, --credentials, --role and --login."
        )
    with opened(args, doing="Changing a practitioner") as ctx:
        context.require_administrator(ctx, "change practitioners")
        person = _person(ctx, args.person)
        draft = AccountDraft(
            name=person.name if args.name is None else args.name,
            login=person.login if args.new_login is None else args.new_login,
            role=Role(person.role if args.role is None else args.role),
            credentials=person.credentials if args.credentials is None else args.credentials,
        )
        changes = _changes(person, account_rules.validate_account(draft))
        if not changes:
            print(f"{person.name} ({person.login}) has these details already; nothing was changed.")
            return EXIT_OK
        after = accounts.edit_account(ctx, person.id, draft, person.version)
        print(f"Changed for {after.name} ({after.login}): {'; '.join(changes)}.")
        return EXIT_OK


def _changes(person: Practitioner, clean: AccountDraft) -> list[str]:
    """What the edit changes, in words ("role: physician → administrator")."""
    pairs = (
        ("name", person.name, clean.name),
        ("sign-in name", person.login, clean.login),
        ("role", person.role, clean.role.value),
        ("credentials", person.credentials, clean.credentials),
    )
    return [f"{label}: {before or '—'} → {after or '—'}" for label, before, after in pairs if before != after]


def _set_active(args: argparse.Namespace) -> int:
    active = args.action == "reactivate"
    doing = "Reactivating a practitioner" if active else "Deactivating a practitioner"
    with opened(args, doing=doing) as ctx:
        context.require_administrator(ctx, "deactivate or reactivate practitioners")
        person = _person(ctx, args.person)
        state = "active" if active else "deactivated"
        if person.active == active:
            print(f"{person.name} ({person.login}) is {state} already; nothing was changed.")
            return EXIT_OK
        accounts.set_active(ctx, person.id, active, person.version)
        if active:
            print(f"{person.name} ({person.login}) is active again and can sign in.")
        else:
            print(
                f"{person.name} ({person.login}) is deactivated and can no longer sign in. "
                f"Their records are kept; 'sclerochart user reactivate {person.login}' undoes this."
            )
        return EXIT_OK


def _password(args: argparse.Namespace) -> int:
    login = named_user(args, "Setting a password")
    with opened(args) as ctx:
        current = sign_in(ctx, login)
        person = _person(ctx, args.person)
        own = ctx.person is not None and ctx.person.id == person.id
        if not own:
            context.require_administrator(ctx, "set another person's password")
        secret = new_password(NEW_PASSWORD_VARIABLE, f"{person.name} ({person.login})", field="New password")
        accounts.set_password(ctx, person.id, secret, current_password=current if own else None)
        if own:
            print("Your new password is saved. Sign in with it from now on.")
        else:
            print(f"The new password for {person.name} ({person.login}) is saved; they sign in with it from now on.")
        return EXIT_OK
