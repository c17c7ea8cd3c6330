"""Turns what the user asked for on the canvas into service calls and undoable commands.

Every change is stored by a service before anything on screen shows it, and names the version of the record the
screen showed: a change made from a stale screen is refused, said so in plain words, and the screen then shows
what is stored. The service hands back the session as now stored; the screen is redrawn from that.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from sclerochart.api import ClinicApi
from sclerochart.domain.diagram import region_at
from sclerochart.domain.dose import Finding, ReasonNeeded
from sclerochart.domain.errors import StaleError, UserError, ValidationError
from sclerochart.domain.values import (
    Practitioner,
    Preset,
    Sclerosant,
    SessionDraft,
    SessionState,
    Site,
    SiteDraft,
    TracingDraft,
    VeinTracing,
    View,
)
from sclerochart.readmodels import Changes, SessionChange, SessionDetail
from sclerochart.ui.charting_commands import (
    AddSitesCommand,
    AddTracingCommand,
    EditSiteCommand,
    RemoveSitesCommand,
    RemoveTracingCommand,
)

ConfirmOverLimit = Callable[[tuple[Finding, ...], str], str | None]
"""Asked when a change would exceed a limit, with what the change does ("place the site", "move site 4"):
the reason given, or None to cancel."""


DUPLICATE = "Duplicate site"


class ChartingController(QObject):
    """The open session, the current preset, and every change to the session's sites."""

    detail_changed = Signal(object)  # SessionDetail, or None when no session is open
    preset_changed = Signal(object)  # Preset
    presets_changed = Signal()  # the list of presets was changed
    changed = Signal(object)  # Changes this screen made (other screens refresh what they show of them)
    failed = Signal(object)  # UserError
    message = Signal(str)

    def __init__(self, api: ClinicApi, undo_stack: QUndoStack, confirm_over_limit: ConfirmOverLimit) -> None:
        super().__init__()
        self.api = api
        self.undo_stack = undo_stack
        self.confirm_over_limit = confirm_over_limit
        self.session_id = ""
        self.detail: SessionDetail | None = None
        self.agents: dict[int, Sclerosant] = api.sclerosants_by_id()
        self.presets: tuple[Preset, ...] = api.list_presets()
        self.preset: Preset | None = self.presets[0] if self.presets else None
        self.practitioners: tuple[Practitioner, ...] = api.list_practitioners()
        self._own: dict[int, tuple[int, int]] = {}
        """Site number → (row id, version) as this screen last stored or showed it."""
        self._epochs: dict[int, int] = {}
        """Site number → how many times another room changed it while this session was open."""

    # Session ------------------------------------------------------------------------------------------
    def open_session(self, session_id: str) -> None:
        """Show a session; the undo history starts empty."""
        self.undo_stack.clear()
        self.session_id = session_id
        self._own, self._epochs = {}, {}
        self.detail = None
        self.refresh()

    def close_session(self) -> None:
        """Show no session."""
        self.undo_stack.clear()
        self.session_id = ""
        self.detail = None
        self._own, self._epochs = {}, {}
        self.detail_changed.emit(None)

    def refresh(self) -> None:
        """Redraw from what the database holds."""
        if not self.session_id:
            return
        try:
            detail = self.api.get_session(self.session_id)
        except UserError as error:
            self.failed.emit(error)
            return
        self._show(detail)

    def _show(self, detail: SessionDetail, *, known: bool = False) -> None:
        """Take a session as stored: sites that differ from what this screen knew were changed by another room.

        `known`: this screen knows every site of it already (its own change was the only one since).
        """
        if self.detail is None:
            self._own = {site.number: (site.id, site.version) for site in detail.sites}
        elif not known:
            now = {site.number: (site.id, site.version) for site in detail.sites}
            if now != self._own:  # this screen's own change was known already: usually nothing to look through
                for number in now.keys() | self._own.keys():
                    if now.get(number) != self._own.get(number):
                        self._epochs[number] = self._epochs.get(number, 0) + 1
            self._own = now
        self.detail = detail
        self.agents = dict(detail.agents) or self.agents
        self.detail_changed.emit(detail)

    def adopt(self, change: SessionChange) -> None:
        """Take the result of this screen's own change: its sites are known to this screen, then show it."""
        stored = change.detail.sites
        for site in change.sites:
            if (stored and stored[-1] is site) or any(s.id == site.id for s in stored):  # a new site is last
                self._own[site.number] = (site.id, site.version)
            else:
                self._own.pop(site.number, None)
        shown = self.detail.session if self.detail is not None else None
        now = change.detail.session
        # The session moved on by one version only: by this change, so no other room's is among its sites.
        alone = shown is not None and shown.id == now.id and now.version == shown.version + 1
        self._show(change.detail, known=alone)
        self.changed.emit(Changes(sessions=frozenset({self.session_id})))

    def tracings_stored(self) -> None:
        """This screen changed the session's tracings: show the session as now stored."""
        self.refresh()
        self.changed.emit(Changes(sessions=frozenset({self.session_id})))

    def on_changes(self, changes: Changes) -> None:
        """Another screen or another room changed records: show the open session and the presets as now stored.

        Connected to the change watch (other rooms) and to the window's other screens (the settings dialog, the
        patient form); never to this controller's own `changed`, which it has shown already.
        """
        if changes.presets or changes.catalogue or changes.everything:
            self.reload_presets()
        if changes.practitioners or changes.everything:
            self.practitioners = self.api.list_practitioners()
        if not self.session_id or self.detail is None:
            return
        patient = self.detail.session.patient_id
        if (
            changes.everything
            or self.session_id in changes.sessions
            or patient in changes.session_patients  # another session of the day counts against the daily limit
            or changes.catalogue
            or changes.settings
            or changes.practitioners
        ):
            self.refresh()

    def reload_presets(self) -> None:
        """Read the presets again (another room may have changed them)."""
        try:
            self.presets = self.api.list_presets()
        except UserError as error:
            self.failed.emit(error)
            return
        if self.preset is not None:
            self.preset = next((p for p in self.presets if p.id == self.preset.id), None)
        if self.preset is None:
            self.preset = next((p for p in self.presets if p.key is not None), None)
        self.presets_changed.emit()
        if self.preset is not None:
            self.preset_changed.emit(self.preset)

    # What undo and redo may do -----------------------------------------------------------------------
    def epochs_of(self, numbers: Iterable[int]) -> dict[int, int]:
        """The epoch of each site number now (kept by a command when it is made)."""
        return {number: self._epochs.get(number, 0) for number in numbers}

    def require_epochs(self, epochs: dict[int, int], verb: str) -> None:
        """Refuse an undo or redo of sites another room changed after the command was made."""
        moved = sorted(number for number, epoch in epochs.items() if self._epochs.get(number, 0) != epoch)
        if moved:
            names = ", ".join(str(number) for number in moved)
            who = "in another room"
            known = self._own.get(moved[0])
            if known is not None:
                with contextlib.suppress(UserError):  # the message says less, but it still refuses
                    who = self.api.last_change("site", known[0])
            raise StaleError(
                f"Site{'s' if len(moved) > 1 else ''} {names} {'were' if len(moved) > 1 else 'was'} changed {who}, "
                f"after your change, so {verb} would overwrite that work. Nothing was changed.",
                "The chart shows what is stored; change the site by hand if needed.",
            )

    def own_site(self, number: int) -> tuple[int, int]:
        """(row id, version) of the site with this number as this screen knows it."""
        known = self._own.get(number)
        if known is None:
            raise StaleError(
                f"Site {number} is no longer in this session.", "It may have been removed in another room."
            )
        return known

    def _site(self, site_id: int) -> Site | None:
        return next((s for s in self.detail.sites if s.id == site_id), None) if self.detail else None

    def run_stored(self, change: Callable[[], object]) -> bool:
        """Run an undo or redo through the services; on failure say so and show what is really stored."""
        try:
            change()
        except UserError as error:
            self.failed.emit(error)
            self.refresh()
            # What is on screen may differ from what the undo history expects: start the history afresh,
            # after the stack has finished the command it is running.
            QTimer.singleShot(0, self.undo_stack.clear)
            return False
        return True

    def refused(self, error: UserError) -> None:
        """Show what is stored, then say why the change was not (the message then describes the screen).

        A refusal usually means another room changed the session: the window's session list follows at once.
        """
        self.refresh()
        if self.session_id:
            self.changed.emit(Changes(sessions=frozenset({self.session_id})))
        self.failed.emit(error)

    # Presets ------------------------------------------------------------------------------------------
    def choose_preset_key(self, key: int) -> bool:
        """Make the preset on a key 1–9 current; False when no preset has that key."""
        for preset in self.presets:
            if preset.key == key:
                self.preset = preset
                self.preset_changed.emit(preset)
                agent = self.agents.get(preset.agent_id)
                self.message.emit(f"Preset {key}: {preset.name} ({agent.name if agent else ''})")
                return True
        self.message.emit(f"No preset is on key {key}.")
        return False

    def save_preset(self, key: int, name: str, draft: SiteDraft) -> Preset | None:
        """Put a site's settings on a key 1–9 (changing the preset already there); it becomes current."""
        holder = next((p for p in self.presets if p.key == key), None)
        preset = draft.as_preset(holder.id if holder else 0, key, name)
        if holder is not None:
            preset = replace(preset, version=holder.version)
        try:
            saved = self.api.save_preset(preset)
        except UserError as error:
            self.failed.emit(error)
            self.reload_presets()
            return None
        self.presets = self.api.list_presets()
        self.preset = saved
        self.presets_changed.emit()
        self.preset_changed.emit(saved)
        self.changed.emit(Changes(presets=True))
        self.message.emit(f"Preset {key} is now {saved.name}.")
        return saved

    def delete_preset(self, key: int) -> bool:
        """Remove the preset on a key; when it was the current one, the first remaining preset takes over."""
        preset = next((p for p in self.presets if p.key == key), None)
        if preset is None:
            return False
        try:
            self.api.delete_preset(preset.id, preset.version)
        except UserError as error:
            self.failed.emit(error)
            self.reload_presets()
            return False
        self.presets = self.api.list_presets()
        if self.preset is not None and self.preset.id == preset.id:
            self.preset = next((p for p in self.presets if p.key is not None), None)
        self.presets_changed.emit()
        if self.preset is not None:
            self.preset_changed.emit(self.preset)
        self.changed.emit(Changes(presets=True))
        self.message.emit(f"Preset {key} ({preset.name}) removed. Sites placed with it keep their values.")
        return True

    # Session details ----------------------------------------------------------------------------------
    def save_session(self, draft: SessionDraft, expected_version: int) -> None:
        """Store the session's details made from `expected_version` and redraw (the weight changes the limits).

        Raises:
            ValidationError: a field is not allowed; nothing was stored.
            UserError: the database refused the change (also reported through `failed`).
        """
        try:
            self.api.update_session(self.session_id, draft, expected_version)
        except ValidationError:
            raise
        except UserError as error:
            self.refused(error)
            raise
        self.refresh()
        self.changed.emit(Changes(sessions=frozenset({self.session_id})))
        self.message.emit("Session details saved.")

    # Changes ------------------------------------------------------------------------------------------
    def _ready(self) -> bool:
        if self.detail is None:
            self.message.emit("Start or open a session first.")
            return False
        if self.detail.session.voided:
            self.message.emit("This session was voided and can no longer be changed.")
            return False
        if self.detail.session.state is not SessionState.DRAFT:
            self.message.emit("This session is signed and can no longer be changed.")
            return False
        return True

    def _with_reason(
        self,
        store: Callable[[SiteDraft, tuple[Finding, ...] | None], SessionChange],
        draft: SiteDraft,
        doing: str,
    ) -> SessionChange | None:
        """Store a draft; when it would go over a limit, ask for the reason and store it with the reason.

        The reason covers the findings shown when it was asked for: should another room add to the dose while the
        question is open, the larger overrun is asked about again.
        """
        try:
            return store(draft, None)
        except ReasonNeeded as needed:
            findings = needed.findings
        for _ in range(3):
            reason = self.confirm_over_limit(findings, doing)
            if reason is None:
                return None
            try:
                return store(replace(draft, override_reason=reason), findings)
            except ReasonNeeded as again:
                findings = again.findings
        return None

    def place_site(self, view: View, x: float, y: float) -> Site | None:
        """Store a site with the current preset at a spot (asking first when it would exceed a limit)."""
        if not self._ready():
            return None
        if self.preset is None:
            self.message.emit("Choose a preset first.")
            return None
        return self.add_draft(self.preset.site_draft(view, x, y), "Place site")

    def add_draft(self, draft: SiteDraft, text: str) -> Site | None:
        """Store a new site from a draft, push its undo command, and redraw."""
        if not self._ready():
            return None
        try:
            change = self._with_reason(
                lambda d, seen: self.api.add_site(self.session_id, d, shown=self.detail, confirmed=seen),
                draft,
                "place the copy" if text == DUPLICATE else "place the site",
            )
        except UserError as error:
            self.refused(error)
            return None
        if change is None:
            self.message.emit("Site not placed: the limit was not overridden.")
            return None
        (site,) = change.sites
        self.adopt(change)
        self.undo_stack.push(AddSitesCommand(self, [site], f"{text} {site.number}"))
        self.message.emit(f"Site {site.number} saved: {site.region_label}.")
        return site

    def duplicate_site(self, site_id: int) -> Site | None:
        """A copy of a site a little beside it (same settings)."""
        site = self._site(site_id)
        if site is None:
            return None
        draft = site.draft()
        for dx, dy in ((0.03, 0.0), (-0.03, 0.0), (0.0, 0.02), (0.0, -0.02)):
            moved = replace(draft, x=min(1.0, max(0.0, draft.x + dx)), y=min(1.0, max(0.0, draft.y + dy)))
            if region_at(moved.view, moved.x, moved.y) is not None:
                return self.add_draft(replace(moved, override_reason=""), DUPLICATE)
        return self.add_draft(replace(draft, override_reason=""), DUPLICATE)

    def move_site(self, site_id: int, view: View, x: float, y: float, *, nudge: bool = False) -> bool:
        """Store a site's new position (dragged, or nudged with the arrow keys); False, and redrawn, when refused."""
        site = self._site(site_id)
        if site is None or not self._ready():
            self.refresh()
            return False
        before = site.draft()
        after = replace(before, view=view, x=x, y=y)
        return self._edit(site, before, after, f"Move site {site.number}", nudge=nudge)

    def nudge_site(self, site_id: int, view: View, x: float, y: float) -> bool:
        """Store a site moved with an arrow key; a run of such moves is undone at once."""
        return self.move_site(site_id, view, x, y, nudge=True)

    def edit_site(self, site_id: int, after: SiteDraft, expected_version: int | None = None) -> bool:
        """Store changed fields of a site; False (with a message) when they are not allowed or were refused.

        Args:
            site_id: the site.
            after: the site's fields as the user left them.
            expected_version: the version the editor showed (by default the one this screen shows now).
        """
        site = self._site(site_id)
        if site is None or not self._ready():
            self.refresh()
            return False
        return self._edit(site, site.draft(), after, f"Edit site {site.number}", expected_version=expected_version)

    def _edit(
        self,
        site: Site,
        before: SiteDraft,
        after: SiteDraft,
        text: str,
        *,
        nudge: bool = False,
        expected_version: int | None = None,
    ) -> bool:
        version = site.version if expected_version is None else expected_version
        try:
            change = self._with_reason(
                lambda d, seen: self.api.edit_site(site.id, d, version, shown=self.detail, confirmed=seen),
                after,
                f"move site {site.number}" if text.startswith("Move") else f"keep the change to site {site.number}",
            )
        except UserError as error:
            self.refused(error)
            return False
        if change is None:
            self.message.emit(f"Site {site.number} not changed: the limit was not overridden.")
            self.refresh()
            return False
        (stored,) = change.sites
        if stored.version == version:  # nothing differed
            return True
        self.adopt(change)
        self.undo_stack.push(EditSiteCommand(self, site.number, before, stored.draft(), text, nudge=nudge))
        return True

    def delete_sites(self, site_ids: Sequence[int]) -> None:
        """Delete sites in one change (undo puts them back with their numbers)."""
        sites = [s for s in (self._site(i) for i in site_ids) if s is not None]
        if not sites or not self._ready():
            return
        try:
            change = self.api.remove_sites([(s.id, s.version) for s in sites], shown=self.detail)
        except UserError as error:
            self.refused(error)
            return
        self.adopt(change)
        numbers = ", ".join(str(s.number) for s in change.sites)
        plural = "s" if len(change.sites) > 1 else ""
        self.undo_stack.push(RemoveSitesCommand(self, change.sites, f"Delete site{plural} {numbers}"))
        self.message.emit(f"Deleted site{plural} {numbers}. Ctrl+Z brings {'them' if plural else 'it'} back.")

    # Tracings -----------------------------------------------------------------------------------------
    def add_tracing(self, view: View, points: tuple[tuple[float, float], ...]) -> VeinTracing | None:
        """Store a freehand vein tracing drawn with the pen."""
        if not self._ready():
            return None
        try:
            tracing = self.api.add_tracing(self.session_id, TracingDraft(view=view, points=points))
        except UserError as error:
            self.refused(error)
            return None
        self.undo_stack.push(AddTracingCommand(self, tracing, f"Draw tracing on the {view.value} view"))
        self.tracings_stored()
        self.message.emit("Tracing saved. Ctrl+Z takes it back.")
        return tracing

    def delete_tracings(self, tracing_ids: Sequence[int]) -> None:
        """Delete vein tracings (undo draws them again)."""
        if not tracing_ids or not self._ready() or self.detail is None:
            return
        shown = {t.id: t for t in self.detail.tracings}
        self.undo_stack.beginMacro("Delete tracing" + ("s" if len(tracing_ids) > 1 else ""))
        try:
            for tracing_id in tracing_ids:
                seen = shown.get(tracing_id)
                try:
                    removed = self.api.remove_tracing(tracing_id, seen.version if seen else 1)
                except UserError as error:
                    self.failed.emit(error)
                    break
                self.undo_stack.push(RemoveTracingCommand(self, seen or removed, "Delete tracing"))
        finally:
            self.undo_stack.endMacro()
        self.tracings_stored()
