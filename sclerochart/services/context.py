"""What every service needs: the open database, who is acting, and the clock."""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from sclerochart.domain.clock import utc_of
from sclerochart.domain.errors import UserError
from sclerochart.domain.values import Practitioner
from sclerochart.store.database import Database
from sclerochart.store.models import PractitionerRow


def this_room() -> str:
    """The name other rooms see for this computer: SCLEROCHART_ROOM when set, else the computer's name."""
    return (os.environ.get("SCLEROCHART_ROOM") or socket.gethostname() or "another computer").strip()[:100]


def new_origin() -> str:
    """A new id for one running copy of the program (its own changes come back marked with it)."""
    return str(uuid.uuid4())


def wall_clock() -> dt.datetime:
    """The clinic's local time to the second (sessions are kept in it; the audit trail in UTC)."""
    return dt.datetime.now().replace(microsecond=0)


class SignInNeeded(UserError):
    """A change or a signature needs a signed-in practitioner and nobody is signed in."""


class Seat:
    """Who is signed in at this copy of the program: set by signing in, cleared by signing out."""

    def __init__(self) -> None:
        self.person: Practitioner | None = None


def actor_label(person: Practitioner) -> str:
    """How the audit trail names a person: "Anna Berg (anna)" (the sign-in name tells two Anna Bergs apart)."""
    return f"{person.name} ({person.login})"[:100] if person.login else person.name[:100]


@dataclass(frozen=True)
class ServiceContext:
    """Built once at start-up and passed to each service; tests give their own clock.

    `actor` names a program that acts for nobody (the demo writer, a benchmark, a test); the program a
    clinician uses gives "" so that every change needs a signed-in practitioner, who is then the actor.
    """

    db: Database
    actor: str
    clock: Callable[[], dt.datetime] = field(default=wall_clock)
    room: str = field(default_factory=this_room)
    origin: str = field(default_factory=new_origin)
    seat: Seat = field(default_factory=Seat, compare=False)

    def today(self) -> dt.date:
        """The clinic's current date."""
        return self.clock().date()

    def utc_now(self) -> dt.datetime:
        """Now in UTC (naive), from the same clock."""
        return utc_of(self.clock())

    @property
    def person(self) -> Practitioner | None:
        """The signed-in practitioner, or None."""
        return self.seat.person

    def acting(self) -> str:
        """The name the audit trail records for a change made now.

        Raises:
            SignInNeeded: nobody is signed in and the program acts for nobody.
        """
        if self.seat.person is not None:
            return actor_label(self.seat.person)
        if self.actor:
            return self.actor
        raise SignInNeeded("Nobody is signed in, so nothing was saved.", "Sign in, then try again.")

    def signed_in(self) -> Practitioner:
        """The signed-in practitioner.

        Raises:
            SignInNeeded: nobody is.
        """
        if self.seat.person is None:
            raise SignInNeeded("This needs a signed-in practitioner; nobody is signed in.", "Sign in, then try again.")
        return self.seat.person


class NotAllowed(UserError):
    """The signed-in practitioner's role does not allow this."""


def require_administrator(ctx: ServiceContext, what: str) -> None:
    """Refuse unless an administrator is signed in (a program acting for nobody, such as a test, may).

    Raises:
        NotAllowed: someone else is signed in.
        SignInNeeded: nobody is, and the program acts for a clinician.
    """
    person = ctx.person
    if person is None:
        ctx.acting()
        return
    with ctx.db.read() as tx:  # the role as stored now: another room may have changed it since sign-in
        row = tx.get(PractitionerRow, person.id)
        role = row.role if row is not None and row.active else ""
    if role != "administrator":
        raise NotAllowed(
            f"Only an administrator may {what}; {person.name} is signed in as {role or 'a deactivated account'}.",
            "Ask the clinic's administrator.",
        )
