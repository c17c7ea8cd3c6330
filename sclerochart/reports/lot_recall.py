"""The recall list of a lot as a CSV file a spreadsheet opens (UTF-8 with its mark, so accents survive)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from sclerochart.readmodels import LotLine

COLUMNS = (
    "Chart",
    "Patient",
    "Born",
    "Phone",
    "E-mail",
    "Session",
    "Practitioner",
    "State",
    "Site",
    "Region",
    "Sclerosant",
    "%",
    "Form",
    "mL",
    "Lot",
)


def row_of(line: LotLine) -> list[str]:
    """One site of the recall as the list shows it (dates as the clinic reads them)."""
    return [
        line.chart_number,
        line.patient_name + (" (archived)" if line.archived else ""),
        line.date_of_birth.strftime("%d.%m.%Y") if line.date_of_birth else "",
        line.phone,
        line.email,
        line.started_at.strftime("%d.%m.%Y %H:%M"),
        line.practitioner_name,
        line.session_state,
        str(line.site_number),
        line.region_label,
        line.agent_name,
        f"{line.concentration:g}",
        line.form,
        f"{line.volume_ml:g}",
        line.lot_number,
    ]


def _safe(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (a name typed as "=…" stays text)."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


def recall_csv(lines: Sequence[LotLine]) -> bytes:
    """The lines as CSV: a header row, then one row per site."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows([_safe(cell) for cell in row_of(line)] for line in lines)
    return out.getvalue().encode("utf-8-sig")
