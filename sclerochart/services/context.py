"""What every service needs: the open database, who is acting, and the clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from sclerochart.store.database import Database


def wall_clock() -> dt.datetime:
    """The clinic's local time to the second (sessions and the audit trail are kept in it)."""
    return dt.datetime.now().replace(microsecond=0)


@dataclass(frozen=True)
class ServiceContext:
    """Built once at start-up and passed to each service; tests give their own clock."""

    db: Database
    actor: str
    clock: Callable[[], dt.datetime] = field(default=wall_clock)

    def today(self) -> dt.date:
        """The clinic's current date."""
        return self.clock().date()
