"""The charting screen: the diagram over the sites table, with presets, legend and running totals beside."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from sclerochart.api import ClinicApi
from sclerochart.domain.dose import Finding
from sclerochart.domain.errors import UserError
from sclerochart.domain.markers import EARLIER_SESSION_COLOURS, earlier_session_colour
from sclerochart.domain.signing import corrected_sites
from sclerochart.domain.values import Patient, SessionState, Site, SiteDraft
from sclerochart.readmodels import SessionDetail
from sclerochart.ui.charting_controller import ChartingController
from sclerochart.ui.diagram_canvas import DiagramCanvas
from sclerochart.ui.marker_style import MarkerStyle, abbreviation, style_for
from sclerochart.ui.preset_dialog import PresetDialog
from sclerochart.ui.preset_keypad import PresetKeypad
from sclerochart.ui.session_actions import SessionActions
from sclerochart.ui.session_lots import attach_lots
from sclerochart.ui.session_panel import SessionPanel
from sclerochart.ui.session_scores import attach_scores
from sclerochart.ui.site_editor import SiteEditor
from sclerochart.ui.site_selection import SiteSelection
from sclerochart.ui.site_table_model import SiteTable, SiteTableModel
from sclerochart.ui.totals_panel import MarkerSwatch, TotalsPanel

SIGNED = "this session is signed or voided and can no longer be changed"
NO_SESSION = "No session open. Choose a patient, then New session or a session from the list."


def _sites(count: int) -> str:
    return f"{count} site{'' if count == 1 else 's'}"


def _scrolling(widget: QWidget) -> QScrollArea:
    scroller = QScrollArea()
    scroller.setWidget(widget)
    scroller.setWidgetResizable(True)
    scroller.setFrameShape(QFrame.Shape.NoFrame)
    scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return scroller


class ChartingScreen(QWidget):
    """Canvas, sites table, preset palette, legend and totals for the open session.

    Laid out so a 1366×768 screen shows it all at once: the header and a one-line legend over the diagram with
    the preset keys beside it, the sites table below; on the right the dose so far (always whole, findings most
    severe first) over the Site and Session tabs, which take the height that is left.
    """

    def __init__(self, api: ClinicApi, undo_stack: QUndoStack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.api = api
        self.quiet = False
        self.patient: Patient | None = None
        """The patient shown beside the chart (named above the diagram when the open session is theirs)."""
        """True while the window is locked: nothing may ask a question or show a message box over it."""
        self.controller = ChartingController(api, undo_stack, self._confirm_over_limit)
        self.styles: dict[int, MarkerStyle] = {
            agent.id: style_for(agent.code, agent.id) for agent in self.controller.agents.values()
        }
        self.header = QLabel(NO_SESSION)
        self.header.setWordWrap(True)
        self.canvas = DiagramCanvas()
        self.canvas.setMinimumSize(280, 260)
        self.site_model = SiteTableModel(self)
        self.site_table = SiteTable(self.site_model)
        self.site_table.setStatusTip(
            "A row selects its marker: F2 edits the site, Delete deletes it, Ctrl+D copies it."
        )

        self.edit_site_action = self._action(
            "&Edit selected site", "F2", self.edit_selected, "Put the cursor in the selected site's fields (Site tab)."
        )
        self.duplicate_action = self._action(
            "D&uplicate selected site",
            "Ctrl+D",
            self.duplicate_selected,
            "Place a copy of the selected site beside it.",
        )
        self.delete_action = self._action(
            "&Delete selected sites and tracings",
            QKeySequence.StandardKey.Delete,
            self.delete_selected,
            "Delete what is selected on the diagram or in the table; Ctrl+Z brings it back.",
        )
        self.pen_action = self._action(
            "&Pen: draw vein tracings", "P", None, "Drag along a vein to trace it; P or Esc goes back to placing sites."
        )
        self.pen_action.setCheckable(True)
        self.pen_action.setIconText("✎ Pen (P)")
        self.pen_button = QToolButton()
        self.pen_button.setDefaultAction(self.pen_action)
        self.pen_button.setToolTip("Draw vein tracings freehand (P switches, Esc goes back to placing sites)")
        self.pen_button.setMinimumHeight(30)
        self.legend = QWidget()
        self.legend_row = QHBoxLayout(self.legend)
        self.legend_row.setContentsMargins(0, 0, 0, 0)
        self.legend_row.addWidget(self.pen_button)
        self.legend_row.addSpacing(12)
        self.legend_entries: list[QLabel] = []
        for agent in sorted(self.controller.agents.values(), key=lambda a: a.id):
            swatch = MarkerSwatch(self.styles[agent.id])
            name = QLabel(abbreviation(agent.code))
            for widget in (swatch, name):
                widget.setToolTip(agent.name)
            self.legend_row.addWidget(swatch)
            self.legend_row.addWidget(name)
            self.legend_row.addSpacing(8)
            self.legend_entries.append(name)
        self.legend_row.addStretch(1)
        self.history_legend = QGroupBox("Earlier sessions (hollow)")
        self.history_legend.setVisible(False)
        self._history_rows = QGridLayout(self.history_legend)
        self._history_rows.setColumnStretch(1, 1)
        self.history_labels: list[QLabel] = []
        self.history_sessions: list[tuple[str, str, QColor, int]] = []
        """The earlier sessions drawn: (session id, date as shown, outline colour, sites), most recent first."""

        self.keypad = PresetKeypad(self.controller, columns=2)
        self.keypad.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Maximum)
        self.preset_buttons = self.keypad.buttons
        self.current_preset = self.keypad.next_click
        diagram = QWidget()
        diagram_row = QHBoxLayout(diagram)
        diagram_row.setContentsMargins(0, 0, 0, 0)
        diagram_row.addWidget(self.canvas, 1)
        beside = QWidget()  # the preset keys, and under them which earlier session is which while they show
        beside.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        beside_column = QVBoxLayout(beside)
        beside_column.setContentsMargins(0, 0, 0, 0)
        beside_column.addWidget(self.keypad)
        beside_column.addWidget(self.history_legend)
        beside_column.addStretch(1)
        diagram_row.addWidget(beside)
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.addWidget(self.header)
        centre_layout.addWidget(self.legend)
        self.vertical = QSplitter(Qt.Orientation.Vertical)
        self.vertical.addWidget(diagram)
        self.vertical.addWidget(self.site_table)
        self.vertical.setStretchFactor(0, 3)
        self.vertical.setStretchFactor(1, 1)
        self.vertical.setSizes([520, 190])
        self.vertical.setChildrenCollapsible(False)
        centre_layout.addWidget(self.vertical, 1)

        short_names = {agent.id: abbreviation(agent.code) for agent in self.controller.agents.values()}
        self.totals = TotalsPanel(self.styles, short_names)
        self.site_editor = SiteEditor(self.controller.agents, self.controller.edit_site)
        self.session_panel = SessionPanel(self.controller.save_session)
        for panel in (self.site_editor, self.session_panel):
            panel.typing_dropped.connect(
                lambda text: self.controller.failed.emit(UserError(text, "The session now shows what is stored."))
            )
        self.tabs = QTabWidget()
        self.tabs.addTab(_scrolling(self.site_editor), "&Site")
        self.tabs.addTab(_scrolling(self.session_panel), "Sessio&n")
        # The dose panel takes the height it needs first; the tabs (which scroll) take what is left.
        self.tabs.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.tabs.setMinimumHeight(60)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.totals)
        right_layout.addWidget(self.tabs, 1)
        right.setMinimumWidth(330)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([780, 330])
        self.splitter.setChildrenCollapsible(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        QWidget.setTabOrder(self.canvas, self.site_table)
        QWidget.setTabOrder(self.site_table, self.tabs)

        self.selection = SiteSelection(self.canvas, self.site_table, self.site_model)
        self.history_shown = False
        self._history_of: str | None = None  # the session whose earlier sites are drawn faintly
        self.canvas.place_requested.connect(self.controller.place_site)
        self.canvas.move_requested.connect(self.controller.move_site)
        self.canvas.delete_requested.connect(self.controller.delete_sites)
        self.canvas.duplicate_requested.connect(self.controller.duplicate_site)
        self.selection.changed.connect(lambda _ids: self._show_selected_site())
        self.controller.detail_changed.connect(self.show_detail)
        self.canvas.edit_requested.connect(self.edit_site)
        self.canvas.trace_requested.connect(self.controller.add_tracing)
        self.canvas.delete_tracings_requested.connect(self.controller.delete_tracings)
        self.pen_action.toggled.connect(self.set_pen_mode)
        self.canvas.leave_pen_requested.connect(lambda: self.pen_action.setChecked(False))
        self.canvas.nudge_requested.connect(self.controller.nudge_site)
        self.site_editor.save_as_preset.connect(self._save_as_preset)
        self.session_actions = SessionActions(self)
        self.scores_button = attach_scores(self)
        self.lots = attach_lots(self)
        self.sign_action = self.session_actions.sign_action
        self.session_panel.sign_requested.connect(self.session_actions.sign)
        self.preset_keys: list[QShortcut] = []
        for key in range(1, 10):
            shortcut = QShortcut(QKeySequence(str(key)), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda key=key: self.controller.choose_preset_key(key))
            self.preset_keys.append(shortcut)
        self.show_detail(None)

    def add_document_buttons(self, actions: tuple[QAction, ...]) -> None:
        """Big buttons for the print actions at the end of the legend row."""
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setMinimumHeight(30)
            self.legend_row.addWidget(button)

    def _action(
        self,
        text: str,
        shortcut: str | QKeySequence.StandardKey | None,
        slot: Callable[[], None] | None,
        tip: str,
    ) -> QAction:
        """An action of this screen: its shortcut works while the focus is anywhere on the screen."""
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setStatusTip(tip)
        if slot is not None:
            action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    # Shown state --------------------------------------------------------------------------------------
    def commit_pending(self) -> bool:
        """Store every change typed but not yet stored, as leaving its field would; False when one was not stored.

        Called before anything that must show, print or sign only what is stored. On False the tab with the
        refused value is shown, with the message beside its field.
        """
        if not self.site_editor.commit_pending():
            self.tabs.setCurrentIndex(0)
            return False
        if not self.session_panel.commit_pending():
            self.tabs.setCurrentIndex(1)
            return False
        return True

    def show_history(self, on: bool) -> None:
        """Show (or hide) the sites of the open session's earlier sessions of the same patient, faintly."""
        self.history_shown = on
        self._draw_history(self.controller.detail, again=True)

    def _draw_history(self, detail: SessionDetail | None, *, again: bool = False) -> None:
        """The earlier sites belong to the open session: none without one, and only its own patient's."""
        session_id = detail.session.id if detail is not None and self.history_shown else None
        if session_id == self._history_of and not again:
            return
        sites: tuple[Site, ...] = ()
        started: dict[str, dt.datetime] = {}
        if session_id is not None and detail is not None:
            try:
                sites = self.api.earlier_sites(session_id)
                if sites:
                    started = {s.id: s.started_at for s in self.api.list_sessions(detail.session.patient_id)}
            except UserError as error:
                self.controller.failed.emit(error)
                session_id, sites = None, ()
        self._history_of = session_id
        counts = Counter(site.session_id for site in sites)
        oldest = dt.datetime.min
        ordered = sorted(counts, key=lambda sid: (started.get(sid, oldest), sid), reverse=True)
        self.history_sessions = []
        for rank, sid in enumerate(ordered):  # the most recent earlier session first
            when = f"{started[sid]:%d.%m.%Y}" if sid in started else "date unknown"
            self.history_sessions.append((sid, when, QColor(earlier_session_colour(rank)), counts[sid]))
        drawn = {sid: (colour, when) for sid, when, colour, _count in self.history_sessions}
        self.canvas.set_history(sites, self.styles, drawn)
        self._show_history_legend()

    def _show_history_legend(self) -> None:
        """Which outline colour is which earlier session, with its date and number of sites (or why none shows)."""
        self.history_legend.setVisible(self.history_shown and self.controller.detail is not None)
        while self._history_rows.count():
            item = self._history_rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.history_labels = []
        own_colour = len(EARLIER_SESSION_COLOURS)
        rows: list[tuple[QColor | None, str]] = [
            (colour, f"{when} · {_sites(count)}") for _sid, when, colour, count in self.history_sessions[:own_colour]
        ]
        older = self.history_sessions[own_colour:]  # they share one grey
        if older:
            span = older[0][1] if len(older) == 1 else f"{older[-1][1]} to {older[0][1]}"
            rows.append((older[0][2], f"{len(older)} older, {span} · {_sites(sum(entry[3] for entry in older))}"))
        if not rows:
            rows = [(None, "None with sites for this patient.")]
        for row, (colour, text) in enumerate(rows):
            if colour is not None:
                self._history_rows.addWidget(MarkerSwatch(MarkerStyle("circle", colour), 18, hollow=True), row, 0)
            label = QLabel(text)
            label.setWordWrap(True)
            self._history_rows.addWidget(label, row, 1)
            self.history_labels.append(label)

    def show_patient(self, patient: Patient | None) -> None:
        """The patient whose chart is open, named above the diagram with their session."""
        self.patient = patient
        if self.controller.detail is not None:
            self._show_header(self.controller.detail)

    def _show_header(self, detail: SessionDetail) -> None:
        """The line above the diagram: whose session, when, by whom, the weight, and its state."""
        header = detail.session
        weight = f"{header.weight_kg:g} kg" if header.weight_kg else "weight not recorded"
        if header.voided:
            state = f"<b>voided</b>: {escape(header.void_reason)}"
        elif header.state.value == "draft":
            state = "draft – every change is saved as you go"
        else:
            state = f"signed by {escape(header.signed_by)}" if header.signed_by else "signed"
            if detail.amendments:
                count = len(detail.amendments)
                state += f" · {count} amendment{'s' if count > 1 else ''} (Session tab)"
        patient = self.patient if self.patient is not None and self.patient.id == header.patient_id else None
        self.header.setText(
            (f"<b>{escape(patient.full_name)}</b> ({escape(patient.chart_number)}) · " if patient else "")
            + f"<b>Session {header.started_at:%d.%m.%Y %H:%M}</b> · "
            f"{escape(header.practitioner_name) or 'no practitioner'} · "
            f"{weight} · {state}"
        )

    def show_detail(self, detail: SessionDetail | None) -> None:
        """Redraw markers, table and totals from the stored session."""
        self._draw_history(detail)
        editable = detail is None or (detail.session.state is SessionState.DRAFT and not detail.session.voided)
        self._set_editable(editable)
        self.session_actions.update_enabled(detail)
        self.session_panel.show_amendments(detail.amendments if detail is not None else ())
        if detail is None:
            self.header.setText(NO_SESSION)
            self.canvas.set_sites((), self.styles)
            self.canvas.set_tracings(())
            self.site_model.set_sites((), self.controller.agents)
            self.selection.show()
            self.totals.show_totals((), (), ())
            self.site_editor.show_site(None, editable=False)
            self.session_panel.show_session(None, self.controller.practitioners)
            self.canvas.setEnabled(False)
            return
        self.canvas.setEnabled(True)
        self._show_header(detail)
        self.canvas.set_sites(detail.sites, self.styles, self.selection.ids)
        self.canvas.set_tracings(detail.tracings, self.canvas.selected_tracing_ids())
        self.site_model.set_sites(detail.sites, self.controller.agents)
        self.site_model.set_corrected(corrected_sites(detail.sites, detail.amendments) if detail.amendments else ())
        self.selection.show()
        self.totals.show_totals(detail.totals, detail.limits, detail.findings)
        self.session_panel.show_session(detail.session, self.controller.practitioners)
        self._show_selected_site()
        self.site_table.settle()  # its rows laid out and columns fitted now: painted with the marker, at once

    def _set_editable(self, editable: bool) -> None:
        """A signed session: no dragging, nudging, placing or pen; the preset keys rest (they are for placing)."""
        self.canvas.set_editable(editable, SIGNED)
        if not editable and self.pen_action.isChecked():
            self.pen_action.blockSignals(True)  # no "Placing sites: click on a leg" for a session that takes none
            self.pen_action.setChecked(False)
            self.pen_action.blockSignals(False)
        self.pen_action.setEnabled(editable)
        self.keypad.set_placing(editable)
        for shortcut in self.preset_keys:
            shortcut.setEnabled(editable)

    # Selection in step ---------------------------------------------------------------------------------
    def _show_selected_site(self) -> None:
        sites = self.selected_sites()
        detail = self.controller.detail
        editable = detail is not None and detail.session.state is SessionState.DRAFT
        count = len(self.selection.ids)
        self.site_editor.show_site(sites[0] if len(sites) == 1 else None, editable=editable, selected_count=count)

    def edit_site(self, site_id: int) -> None:
        """Select a site and put the cursor in its fields (right-click → Edit, or Enter on a marker)."""
        self.selection.select([site_id])
        self._show_selected_site()
        self.tabs.setCurrentIndex(0)
        self.site_editor.volume.setFocus()
        self.site_editor.volume.selectAll()

    def show_session_details(self) -> None:
        """Open the Session tab with the keyboard focus in its first field."""
        self.tabs.setCurrentIndex(1)
        self.session_panel.started.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def edit_selected(self) -> None:
        """Edit the one selected site; says what to do when none or several are selected."""
        ids = self.selection.ids
        if len(ids) != 1:
            self.controller.message.emit("Select one site to edit (click its marker or its row in the table).")
            return
        self.edit_site(ids[0])

    def duplicate_selected(self) -> None:
        """Place a copy of the one selected site beside it."""
        ids = self.selection.ids
        if len(ids) != 1:
            self.controller.message.emit("Select one site to duplicate.")
            return
        self.controller.duplicate_site(ids[0])

    def selected_sites(self) -> list[Site]:
        """The sites selected on the canvas (and so in the table)."""
        ids = set(self.selection.ids)
        return [s for s in (self.controller.detail.sites if self.controller.detail else ()) if s.id in ids]

    def delete_selected(self) -> None:
        """Delete the selected sites and tracings."""
        ids, lines = list(self.selection.ids), self.canvas.selected_tracing_ids()
        if ids and lines:
            self.controller.undo_stack.beginMacro("Delete sites and tracings")
        if ids:
            self.controller.delete_sites(ids)
        if lines:
            self.controller.delete_tracings(lines)
        if ids and lines:
            self.controller.undo_stack.endMacro()

    def set_pen_mode(self, on: bool) -> None:
        """Draw vein tracings (on) or place sites (off)."""
        if self.pen_action.isChecked() != on:
            self.pen_action.setChecked(on)
            return
        self.canvas.set_pen_mode(on)
        self.controller.message.emit(
            "Pen: drag along a vein to trace it. P or Esc goes back to placing sites."
            if on
            else "Placing sites: click on a leg."
        )

    # Questions -----------------------------------------------------------------------------------------
    def _save_as_preset(self, draft: SiteDraft) -> None:
        dialog = PresetDialog(self.controller.presets, draft, self.controller.agents.get(draft.agent_id), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            key, name = dialog.chosen()
            self.controller.save_preset(key, name, draft)

    def _confirm_over_limit(self, findings: tuple[Finding, ...], doing: str) -> str | None:
        if self.quiet:
            return None  # nobody to answer (the window is locking): the value stays typed, not stored
        text = "\n".join(f.message for f in findings)
        reason, accepted = QInputDialog.getText(
            self,
            "Limit exceeded",
            f"{text}\n\nTo {doing} anyway, record the reason (it is kept with the site and printed):",
        )
        if not accepted:
            return None
        if not reason.strip():
            self.controller.failed.emit(UserError("A reason is needed to go over a limit.", "Nothing was changed."))
            return None
        return reason.strip()
