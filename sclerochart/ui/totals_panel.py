"""Running totals per agent with gauges against their limits, and the session's findings."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QProgressBar, QVBoxLayout, QWidget

from sclerochart.domain.dose import AgentTotals, Finding, LimitUse
from sclerochart.domain.values import Severity

GAUGE_COLOURS = {Severity.INFO: "#2f9e44", Severity.CAUTION: "#f08c00", Severity.EXCEEDED: "#c92a2a"}
FINDING_COLOURS = {Severity.INFO: "#1c4e80", Severity.CAUTION: "#8a4b00", Severity.EXCEEDED: "#a61e1e"}


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") or "0"


class TotalsPanel(QGroupBox):
    """Per agent: liquid mL, foam mL, mg and a gauge per limit; below, the findings in words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Dose so far", parent)
        self._layout = QVBoxLayout(self)
        self._rows = QWidget()
        self._grid = QGridLayout(self._rows)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self._rows)
        self.findings_label = QLabel()
        self.findings_label.setWordWrap(True)
        self._layout.addWidget(self.findings_label)
        self._layout.addStretch(1)
        self.gauges: dict[tuple[int, str], QProgressBar] = {}
        self.show_totals((), (), ())

    def show_totals(
        self, totals: tuple[AgentTotals, ...], limits: tuple[LimitUse, ...], findings: tuple[Finding, ...]
    ) -> None:
        """Replace what is shown."""
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # gone from the screen now, not at the next turn of the event loop
                widget.deleteLater()
        self.gauges = {}
        if not totals:
            self._grid.addWidget(QLabel("No sites yet."), 0, 0)
        row = 0
        for total in totals:
            count = f"{total.site_count} site{'' if total.site_count == 1 else 's'}"
            figures = QLabel(
                f"<b>{html.escape(total.agent_name)}</b>: {count} · liquid {_fmt(total.liquid_ml)} mL"
                f" · foam {_fmt(total.foam_ml)} mL · {_fmt(total.mg)} mg"
            )
            figures.setWordWrap(True)
            self._grid.addWidget(figures, row, 0)
            row += 1
            for use in (u for u in limits if u.agent_id == total.agent_id):
                gauge = QProgressBar()
                gauge.setRange(0, 100)
                gauge.setValue(min(100, round(use.share * 100)))
                gauge.setFormat(f"{use.kind}: {_fmt(use.used)} of {_fmt(use.limit)} {use.unit} · {use.share:.0%}")
                gauge.setMinimumHeight(26)
                gauge.setToolTip(f"Limit: {use.kind}. Source: {use.source}")
                gauge.setStyleSheet(
                    f"QProgressBar {{ text-align: center; }} "
                    f"QProgressBar::chunk {{ background: {GAUGE_COLOURS[use.severity]}; }}"
                )
                gauge.setProperty("severity", use.severity.value)
                self._grid.addWidget(gauge, row, 0)
                self.gauges[(use.agent_id, use.kind)] = gauge
                row += 1
        lines = [
            f"<p style='color:{FINDING_COLOURS[f.severity]}'>{'⚠ ' if f.severity is not Severity.INFO else ''}"
            f"{html.escape(f.message)}</p>"
            for f in sorted(findings, key=lambda f: (f.severity is not Severity.EXCEEDED, f.severity is Severity.INFO))
        ]
        self.findings_label.setText("".join(lines))
