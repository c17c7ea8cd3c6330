"""The clinic's outcome figures over a period (the rules in sclerochart.domain.outcome_figures)."""

from __future__ import annotations

import datetime as dt

from sclerochart.domain.errors import FieldError, ValidationError
from sclerochart.domain.outcome_figures import OutcomeFigures, cells_of
from sclerochart.services.context import ServiceContext
from sclerochart.store.repositories import outcomes as outcome_repo


def outcome_figures(ctx: ServiceContext, start: dt.date | None = None, end: dt.date | None = None) -> OutcomeFigures:
    """Clearance at the last follow-up and complications of the sessions started from `start` to `end`.

    Raises:
        ValidationError: the period ends before it starts.
    """
    if start is not None and end is not None and end < start:
        raise ValidationError(
            [FieldError("To", f"{end:%d.%m.%Y} is before the start of the period ({start:%d.%m.%Y}).")]
        )
    with ctx.db.read() as tx:
        counted = outcome_repo.clearance_sums(tx, start, end)
        complicated = outcome_repo.complication_counts(tx, start, end)
    cells = cells_of(
        (
            (str(a), float(c), str(f), str(v), int(n), int(fu), int(r), int(cs), int(c75))
            for a, c, f, v, n, fu, r, cs, c75 in counted
        ),
        complicated,
    )
    return OutcomeFigures(start, end, cells)
