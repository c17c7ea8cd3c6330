"""Running totals per agent with gauges against their limits, and the session's findings, all in view at once.

The panel asks its column for the full height its content needs at its width (a finding that needs attention
must never sit below a fold); it scrolls only in a window far smaller than a 1366×768 screen.
"""

from __future__ import annotations

import html
from collections.abc import Mapping

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QProgressBar,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from sclerochart.domain.dose import AgentTotals, Finding, LimitUse
from sclerochart.domain.values import Severity
from sclerochart.ui.marker_style import MarkerStyle, marker_path

GAUGE_COLOURS = {Severity.INFO: "#2f9e44", Severity.CAUTION: "#f08c00", Severity.EXCEEDED: "#c92a2a"}
FINDING_COLOURS = {Severity.INFO: "#1c4e80", Severity.CAUTION: "#7a4100", Severity.EXCEEDED: "#a61e1e"}
_FINDING_LOOK = {
    Severity.EXCEEDED: ("#c92a2a", "#fdecec"),
    Severity.CAUTION: ("#f08c00", "#fff4e0"),
    Severity.INFO: ("#8fa9c4", "transparent"),
}
SEVERITY_ORDER = {Severity.EXCEEDED: 0, Severity.CAUTION: 1, Severity.INFO: 2}
"""Most severe first."""


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") or "0"


class MarkerSwatch(QWidget):
    """An agent's marker shape in its colour, or an earlier session's hollow ring (the legends' key to the diagram)."""

    def __init__(self, style: MarkerStyle, size: int = 22, *, hollow: bool = False) -> None:
        super().__init__()
        self.marker_style = style
        self.hollow = hollow
        self.setFixedSize(size, size)

    def paintEvent(self, _event: QPaintEvent) -> None:
        """The marker's shape: filled in the agent's colour, or white with an outline in the session's colour."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.translate(self.width() / 2, self.height() / 2)
        if self.hollow:
            painter.setPen(QPen(self.marker_style.colour, 2.5))
            painter.setBrush(QBrush(QColor("#ffffff")))
        else:
            painter.setPen(QPen(QColor("#ffffff"), 1))
            painter.setBrush(QBrush(self.marker_style.colour))
        painter.drawPath(marker_path(self.marker_style.shape, self.width() * 0.36))
        painter.end()


class AgentName(QLabel):
    """An agent's name on one line: in full where every agent's full name fits, else the short names (POL, STS).

    All the rows switch together, so the panel never mixes "Polidocanol" with "STS"; the full name is in the tooltip.
    """

    def __init__(self, name: str, short: str, every_name: tuple[str, ...]) -> None:
        super().__init__()
        self.full_name, self.short_name, self.every_name = name, short, every_name
        font = self.font()
        font.setBold(True)
        self.setFont(font)
        self.setToolTip(name)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance(short) + 2)
        self.setText(short)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The full names when the column is wide enough for the longest of them."""
        super().resizeEvent(event)
        fits = max(self.fontMetrics().horizontalAdvance(name) for name in self.every_name) <= self.width()
        self.setText(self.full_name if fits else self.short_name)


class _WholeHeight(QScrollArea):
    """A scroll area that asks for its content's whole height at the width it is given."""

    def hasHeightForWidth(self) -> bool:
        """Its height follows its width, as the word-wrapped findings inside do."""
        return True

    def heightForWidth(self, width: int) -> int:
        """The content's height at this width, plus the frame.

        Worked out as if the scroll bar took its share of the width: once shown, a scroll bar narrows the content,
        which then needs more height, which keeps the scroll bar shown. Asking for that height hides it for good.
        """
        inner = self.widget()
        frame = 2 * self.frameWidth()
        if inner is None:
            return frame
        if inner.hasHeightForWidth():
            bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
            return inner.heightForWidth(width - frame - bar) + frame
        return inner.sizeHint().height() + frame

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The content's layout changed: ask the column for the new height at once (a scroll area would not)."""
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
        return super().eventFilter(watched, event)

    def sizeHint(self) -> QSize:
        """As wide as the content likes, as tall as it needs at that width."""
        inner = self.widget()
        width = inner.sizeHint().width() if inner is not None else 100
        return QSize(width, self.heightForWidth(width))


class TotalsPanel(QGroupBox):
    """Per agent: sites, liquid mL, foam mL, mg and a gauge per limit; below, each finding, most severe first."""

    def __init__(
        self,
        styles: Mapping[int, MarkerStyle] | None = None,
        short_names: Mapping[int, str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Dose so far", parent)
        self.styles = dict(styles or {})
        self.short_names = dict(short_names or {})
        """Agents' short names (POL, STS) by id, for a column too narrow for the full name."""
        self.body = QWidget()
        body_layout = QVBoxLayout(self.body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        body_layout.setSpacing(4)
        self._rows = QWidget()
        self._grid = QGridLayout(self._rows)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(8)
        self._grid.setVerticalSpacing(3)
        self._grid.setColumnStretch(1, 1)
        body_layout.addWidget(self._rows)
        self._findings = QVBoxLayout()
        self._findings.setSpacing(3)
        body_layout.addLayout(self._findings)
        self.scroller = _WholeHeight()
        self.scroller.setWidget(self.body)
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroller.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 6)
        layout.addWidget(self.scroller)
        self.gauges: dict[tuple[int, str], QProgressBar] = {}
        self.agent_rows: dict[int, AgentName] = {}
        self.finding_labels: list[QLabel] = []
        self._figures: dict[int, list[QLabel]] = {}
        """Per agent, the labels of its sites, liquid, foam and mg."""
        self._shape: tuple[object, ...] | None = None
        """The agents and their limits shown (their widgets are kept while these stay the same)."""
        self._shown_findings: tuple[Finding, ...] = ()
        self.show_totals((), (), ())

    def changeEvent(self, event: QEvent) -> None:
        """Another font or style: the figures' labels are measured again (a label too narrow would cut digits)."""
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            QTimer.singleShot(0, self._hold_figures)  # once every label has taken the new font

    def _hold_figures(self) -> None:
        for cells in self._figures.values():
            for column, cell in enumerate(cells):
                _hold_width(cell, decimals=column > 0)

    def findings_text(self) -> str:
        """Every finding shown, one a line, as the panel shows them (most severe first)."""
        return "\n".join(label.property("message") for label in self.finding_labels)

    def show_totals(
        self, totals: tuple[AgentTotals, ...], limits: tuple[LimitUse, ...], findings: tuple[Finding, ...]
    ) -> None:
        """Show these totals, keeping the widgets of the same agents and limits.

        Only the labels and gauges whose text changed are written again: a click changes a few figures, not the panel.
        """
        shape = tuple(
            (total.agent_id, total.agent_name, tuple(use.kind for use in limits if use.agent_id == total.agent_id))
            for total in totals
        )
        ordered = tuple(sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity]))
        relaid = False
        if shape != self._shape:
            self._clear(self._grid)
            self.gauges, self.agent_rows, self._figures = {}, {}, {}
            if not totals:
                self._grid.addWidget(QLabel("No sites yet."), 0, 0, 1, 6)
            else:
                self._show_agents(totals, limits)
            self._shape = shape
            relaid = True
        else:
            for total in totals:
                for column, (cell, text) in enumerate(zip(self._figures[total.agent_id], _figures(total), strict=True)):
                    if cell.text() != text:
                        cell.setText(text)
                        _hold_width(cell, decimals=column > 0)
            for use in limits:
                _show_use(self.gauges[(use.agent_id, use.kind)], use)
        if ordered != self._shown_findings:
            if len(ordered) == len(self.finding_labels):
                for label, finding in zip(self.finding_labels, ordered, strict=True):
                    _show_finding(label, finding)
            else:
                self._clear(self._findings)
                self.finding_labels = []
                for finding in ordered:
                    label = QLabel()
                    label.setTextFormat(Qt.TextFormat.RichText)
                    label.setWordWrap(True)
                    _show_finding(label, finding)
                    self._findings.addWidget(label)
                    self.finding_labels.append(label)
                relaid = True
            self._shown_findings = ordered
        if relaid:
            # Forget the heights worked out for the old content now, inside out, so none is asked of a stale layout.
            self._rows.updateGeometry()
            body_layout = self.body.layout()
            if body_layout is not None:
                body_layout.invalidate()
            self.scroller.updateGeometry()

    @staticmethod
    def _clear(layout: QGridLayout | QVBoxLayout) -> None:
        while layout.count():
            item = layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # gone from the screen now, not at the next turn of the event loop
                widget.deleteLater()

    def _show_agents(self, totals: tuple[AgentTotals, ...], limits: tuple[LimitUse, ...]) -> None:
        """A heading line, then one line per agent with its gauges under it."""
        for column, title in enumerate(("", "", "sites", "liquid", "foam", "mg")):
            heading = QLabel(title)
            heading.setStyleSheet("color: #555555;")
            heading.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom)
            self._grid.addWidget(heading, 0, column)
        row = 1
        every_name = tuple(total.agent_name for total in totals)
        for total in totals:
            style = self.styles.get(total.agent_id)
            if style is not None:
                swatch = MarkerSwatch(style, 18)
                swatch.setToolTip(total.agent_name)
                self._grid.addWidget(swatch, row, 0)
            name = AgentName(total.agent_name, self.short_names.get(total.agent_id, total.agent_name), every_name)
            self._grid.addWidget(name, row, 1)
            self.agent_rows[total.agent_id] = name
            cells = []
            for column, text in enumerate(_figures(total), start=2):
                cell = QLabel(text)
                cell.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self._grid.addWidget(cell, row, column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                _hold_width(cell, decimals=column > 2)  # measured in the panel, with the font it shows
                cells.append(cell)
            self._figures[total.agent_id] = cells
            row += 1
            for use in (u for u in limits if u.agent_id == total.agent_id):
                self._grid.addWidget(self._gauge(use), row, 1, 1, 5)
                row += 1

    def _gauge(self, use: LimitUse) -> QProgressBar:
        gauge = QProgressBar()
        gauge.setRange(0, 100)
        gauge.setFixedHeight(22)
        _show_use(gauge, use)
        self.gauges[(use.agent_id, use.kind)] = gauge
        return gauge


def _room(text: str, *, decimals: bool) -> str:
    """The widest text a figure like `text` changes into while its whole number keeps its digits.

    '3.5 mL' keeps room for '9.99 mL', '20.2' for '99.99', a count of sites '19' for '99', no foam yet ('–') for
    '9.99 mL': a click changes the decimals, and only a new whole digit (9.9 mL to 10.1 mL) widens the column.
    """
    number, space, unit = text.partition(" ")
    whole = number.partition(".")[0]
    if not whole.isdigit():  # no foam yet ("–"): room for the first foam volumes, so the columns stay put then
        return "9.99 mL"
    return "9" * len(whole) + (".99" if decimals else "") + space + unit


def _hold_width(cell: QLabel, decimals: bool = True) -> None:
    """Keep a figure's label at a fixed size: the width of `_room` for its text.

    A click changes the figures; at a fixed size a new figure is only drawn, not laid out again with the panel,
    the charting screen and the window around it, and the columns do not shift by a few pixels at each click.
    (Qt lays nothing out again when the size set is the one the label has.)
    """
    cell.ensurePolished()  # its font and style as shown
    metrics = cell.fontMetrics()
    width = metrics.horizontalAdvance(_room(cell.text(), decimals=decimals)) + 2
    cell.setFixedSize(width, cell.sizeHint().height())


def _figures(total: AgentTotals) -> tuple[str, str, str, str]:
    """An agent's line: sites, liquid mL, foam mL, mg."""
    return (
        str(total.site_count),
        f"{_fmt(total.liquid_ml)} mL",
        f"{_fmt(total.foam_ml)} mL" if total.foam_ml else "–",
        _fmt(total.mg),
    )


def _show_use(gauge: QProgressBar, use: LimitUse) -> None:
    """A limit's gauge: the share used, in words and in the colour of its severity (each set only when it changed)."""
    value = min(100, round(use.share * 100))
    if gauge.value() != value:
        gauge.setValue(value)
    text = f"{use.kind}: {_fmt(use.used)} of {_fmt(use.limit)} {use.unit} · {use.share:.0%}"
    if gauge.format() != text:
        gauge.setFormat(text)
    tip = f"Limit: {use.kind}. Source: {use.source}"
    if gauge.toolTip() != tip:
        gauge.setToolTip(tip)
    if gauge.property("severity") != use.severity.value:
        gauge.setStyleSheet(
            f"QProgressBar {{ text-align: center; }} "
            f"QProgressBar::chunk {{ background: {GAUGE_COLOURS[use.severity]}; }}"
        )
        gauge.setProperty("severity", use.severity.value)


def _show_finding(label: QLabel, finding: Finding) -> None:
    """A finding in words, wrapped, marked by its severity with a coloured bar (and ⚠ when it needs attention)."""
    mark = "" if finding.severity is Severity.INFO else "⚠ "
    text = f"{mark}{html.escape(finding.message)}"
    if label.text() != text:
        label.setText(text)
    if label.property("severity") != finding.severity.value:
        bar, background = _FINDING_LOOK[finding.severity]
        weight = "font-weight: bold; " if finding.severity is Severity.EXCEEDED else ""
        label.setStyleSheet(
            f"QLabel {{ color: {FINDING_COLOURS[finding.severity]}; background: {background}; {weight}"
            f"border-left: 4px solid {bar}; padding: 1px 3px 1px 6px; }}"
        )
        label.setProperty("severity", finding.severity.value)
    tip = f"Source: {finding.source}" if finding.source else ""
    if label.toolTip() != tip:
        label.setToolTip(tip)
    label.setProperty("message", finding.message)
