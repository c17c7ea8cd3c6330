"""A line of a patient list: what a search gives for each patient it finds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sclerochart.domain.names import NameOrder, list_name


@dataclass(frozen=True)
class PatientHit:
    """One line of a patient search result."""

    id: str
    chart_number: str
    family_name: str
    given_name: str
    date_of_birth: dt.date | None
    archived: bool
    name_order: NameOrder = NameOrder.GIVEN_FIRST

    @property
    def display_name(self) -> str:
        """The name as a list sorted by family name shows it: "Schmidt, Anna", "张伟"."""
        return list_name(self.family_name, self.given_name, self.name_order)
