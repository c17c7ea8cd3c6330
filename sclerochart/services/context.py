"""What every service needs: the open database, who is acting, and the clock."""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from sclerochart.store.database import Database


def this_room() -> str:
    """The name other rooms see for this computer: SCLEROCHART_ROOM when set, else the computer's name."""
    return (os.environ.get("SCLEROCHART_ROOM") or socket.gethostname() or "another computer").strip()[:100]


def new_origin() -> str:
    """A new id for one running copy of the program (its own changes come back marked with it)."""
    return str(uuid.uuid4())


def wall_clock() -> dt.datetime:
    """The clinic's local time to the second (sessions and the audit trail are kept in it)."""
    return dt.datetime.now().replace(microsecond=0)


@dataclass(frozen=True)
class ServiceContext:
    """Built once at start-up and passed to each service; tests give their own clock."""

    db: Database
    actor: str
    clock: Callable[[], dt.datetime] = field(default=wall_clock)
    room: str = field(default_factory=this_room)
    origin: str = field(default_factory=new_origin)

    def today(self) -> dt.date:
        """The clinic's current date."""
        return self.clock().date()
