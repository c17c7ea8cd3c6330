"""Turns what the user asked for on the canvas into service calls and undoable commands.

Every change is stored by a service before anything on screen shows it; the screen is then redrawn from
what the database holds. Commands name sites by their number in the session, which stays the same when
an undo puts a deleted site back under a new row id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from sclerochart.domain.diagram import region_at
from sclerochart.domain.dose import Finding
from sclerochart.domain.errors import UserError, ValidationError
from sclerochart.domain.values import (
    Practitioner,
    Preset,
    Sclerosant,
    SessionDraft,
    Site,
    SiteDraft,
    TracingDraft,
    VeinTracing,
    View,
)
from sclerochart.readmodels import SessionDetail
from sclerochart.services import catalogue
from sclerochart.services import sessions as session_service
from sclerochart.services import tracings as tracing_service
from sclerochart.services.context import ServiceContext

ConfirmOverLimit = Callable[[tuple[Finding, ...]], str | None]
"""Asked before a site that would exceed a limit is stored: the reason given, or None to cancel."""


class _SiteCommand(QUndoCommand):
    """A stored change that can be undone and redone; its first redo happened before it was pushed."""

    def __init__(self, controller: ChartingController, text: str) -> None:
        super().__init__(text)
        self.controller = controller
        self._done = True

    def redo(self) -> None:
        """Apply again (skipped on push: the change is already stored)."""
        if self._done:
            self._done = False
            return
        self.controller.run_stored(self.apply)

    def undo(self) -> None:
        """Take the change back in the database."""
        self.controller.run_stored(self.revert)

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError


class AddSitesCommand(_SiteCommand):
    """Sites placed (or duplicated, or put back)."""

    def __init__(self, controller: ChartingController, sites: Sequence[Site], text: str) -> None:
        super().__init__(controller, text)
        self.sites = [(site.number, site.draft()) for site in sites]

    def apply(self) -> None:
        for number, draft in self.sites:
            session_service.add_site(self.controller.ctx, self.controller.session_id, draft, number=number)

    def revert(self) -> None:
        for number, _ in self.sites:
            session_service.remove_site(self.controller.ctx, self.controller.site_id(number))


class RemoveSitesCommand(AddSitesCommand):
    """Sites deleted: undo stores them again with their numbers."""

    def apply(self) -> None:
        super().revert()

    def revert(self) -> None:
        super().apply()


class EditSiteCommand(_SiteCommand):
    """A site moved or changed.

    Moves with the arrow keys (`nudge`) of one site merge into one command, so a single undo takes the site
    back to where it was before the keys were pressed.
    """

    NUDGE_ID = 1

    def __init__(
        self,
        controller: ChartingController,
        number: int,
        before: SiteDraft,
        after: SiteDraft,
        text: str,
        *,
        nudge: bool = False,
    ) -> None:
        super().__init__(controller, text)
        self.number, self.before, self.after, self.nudge = number, before, after, nudge

    def id(self) -> int:
        """Nudges share an id so the stack offers them to mergeWith; other edits never merge."""
        return self.NUDGE_ID if self.nudge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Take in the next nudge of the same site (already stored)."""
        if not isinstance(other, EditSiteCommand) or not other.nudge or other.number != self.number:
            return False
        self.after = other.after
        return True

    def apply(self) -> None:
        session_service.edit_site(self.controller.ctx, self.controller.site_id(self.number), self.after)

    def revert(self) -> None:
        session_service.edit_site(self.controller.ctx, self.controller.site_id(self.number), self.before)


class AddTracingCommand(_SiteCommand):
    """A vein tracing drawn (or put back); it gets a new row id each time it is stored again."""

    def __init__(self, controller: ChartingController, tracing: VeinTracing, text: str) -> None:
        super().__init__(controller, text)
        self.draft = tracing.draft()
        self.tracing_id = tracing.id

    def apply(self) -> None:
        self.tracing_id = tracing_service.add_tracing(self.controller.ctx, self.controller.session_id, self.draft).id

    def revert(self) -> None:
        tracing_service.remove_tracing(self.controller.ctx, self.tracing_id)


class RemoveTracingCommand(AddTracingCommand):
    """A vein tracing deleted: undo draws it again."""

    def apply(self) -> None:
        super().revert()

    def revert(self) -> None:
        super().apply()


class ChartingController(QObject):
    """The open session, the current preset, and every change to the session's sites."""

    detail_changed = Signal(object)  # SessionDetail, or None when no session is open
    preset_changed = Signal(object)  # Preset
    presets_changed = Signal()  # the list of presets was changed
    failed = Signal(object)  # UserError
    message = Signal(str)

    def __init__(self, ctx: ServiceContext, undo_stack: QUndoStack, confirm_over_limit: ConfirmOverLimit) -> None:
        super().__init__()
        self.ctx = ctx
        self.undo_stack = undo_stack
        self.confirm_over_limit = confirm_over_limit
        self.session_id = ""
        self.detail: SessionDetail | None = None
        self.agents: dict[int, Sclerosant] = catalogue.sclerosants_by_id(ctx)
        self.presets: tuple[Preset, ...] = catalogue.list_presets(ctx)
        self.preset: Preset | None = self.presets[0] if self.presets else None
        self.practitioners: tuple[Practitioner, ...] = catalogue.list_practitioners(ctx)

    # Session ------------------------------------------------------------------------------------------
    def open_session(self, session_id: str) -> None:
        """Show a session; the undo history starts empty."""
        self.undo_stack.clear()
        self.session_id = session_id
        self.refresh()

    def close_session(self) -> None:
        """Show no session."""
        self.undo_stack.clear()
        self.session_id = ""
        self.detail = None
        self.detail_changed.emit(None)

    def refresh(self) -> None:
        """Redraw from what the database holds."""
        if not self.session_id:
            return
        try:
            self.detail = session_service.get_session(self.ctx, self.session_id)
        except UserError as error:
            self.failed.emit(error)
            return
        self.detail_changed.emit(self.detail)

    def site_id(self, number: int) -> int:
        """The row id of the site with this number in the open session."""
        detail = self.detail or session_service.get_session(self.ctx, self.session_id)
        for site in detail.sites:
            if site.number == number:
                return site.id
        raise UserError(f"Site {number} is no longer in this session.", "It may have been changed in another room.")

    def _site(self, site_id: int) -> Site | None:
        return next((s for s in self.detail.sites if s.id == site_id), None) if self.detail else None

    def run_stored(self, change: Callable[[], None]) -> bool:
        """Run a change through the services and redraw; on failure say so and show what is really stored."""
        try:
            change()
        except UserError as error:
            self.failed.emit(error)
            self.refresh()
            # What is on screen may differ from what the undo history expects: start the history afresh,
            # after the stack has finished the command it is running.
            QTimer.singleShot(0, self.undo_stack.clear)
            return False
        self.refresh()
        return True

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
        try:
            saved = catalogue.save_preset(self.ctx, preset)
            self.presets = catalogue.list_presets(self.ctx)
        except UserError as error:
            self.failed.emit(error)
            return None
        self.preset = saved
        self.presets_changed.emit()
        self.preset_changed.emit(saved)
        self.message.emit(f"Preset {key} is now {saved.name}.")
        return saved

    def delete_preset(self, key: int) -> bool:
        """Remove the preset on a key; when it was the current one, the first remaining preset takes over."""
        preset = next((p for p in self.presets if p.key == key), None)
        if preset is None:
            return False
        try:
            catalogue.delete_preset(self.ctx, preset.id)
            self.presets = catalogue.list_presets(self.ctx)
        except UserError as error:
            self.failed.emit(error)
            return False
        if self.preset is not None and self.preset.id == preset.id:
            self.preset = next((p for p in self.presets if p.key is not None), None)
        self.presets_changed.emit()
        if self.preset is not None:
            self.preset_changed.emit(self.preset)
        self.message.emit(f"Preset {key} ({preset.name}) removed. Sites placed with it keep their values.")
        return True

    # Session details ----------------------------------------------------------------------------------
    def save_session(self, draft: SessionDraft, expected_version: int) -> None:
        """Store the session's details and redraw (the weight changes the limits).

        Raises:
            ValidationError: a field is not allowed; nothing was stored.
            UserError: the database refused the change (also reported through `failed`).
        """
        try:
            session_service.update_session(self.ctx, self.session_id, draft, expected_version)
        except ValidationError:
            raise
        except UserError as error:
            self.failed.emit(error)
            self.refresh()
            raise
        self.refresh()
        self.message.emit("Session details saved.")

    def sign_session(self, signed_by: str) -> bool:
        """Sign the open session: it becomes read only."""
        try:
            session_service.sign_session(self.ctx, self.session_id, signed_by)
        except UserError as error:
            self.failed.emit(error)
            return False
        self.undo_stack.clear()
        self.refresh()
        self.message.emit(f"Session signed by {signed_by.strip()}. It can no longer be changed.")
        return True

    # Changes ------------------------------------------------------------------------------------------
    def _ready(self) -> bool:
        if self.detail is None:
            self.message.emit("Start or open a session first.")
            return False
        if self.detail.session.state.value != "draft":
            self.message.emit("This session is signed and can no longer be changed.")
            return False
        return True

    def place_site(self, view: View, x: float, y: float) -> Site | None:
        """Store a site with the current preset at a spot (asking first when it would exceed a limit)."""
        if not self._ready() or self.preset is None:
            if self.preset is None:
                self.message.emit("Choose a preset first.")
            return None
        return self.add_draft(self.preset.site_draft(view, x, y), "Place site")

    def add_draft(self, draft: SiteDraft, text: str) -> Site | None:
        """Store a new site from a draft, push its undo command, and redraw."""
        shown = self.detail
        if not self._ready() or shown is None:
            return None
        try:
            exceeded = session_service.limits_a_change_would_exceed(self.ctx, self.session_id, draft, shown=shown)
            if exceeded:
                reason = self.confirm_over_limit(exceeded)
                if reason is None:
                    self.message.emit("Site not placed: the limit was not overridden.")
                    return None
                draft = replace(draft, override_reason=reason)
            site, self.detail = session_service.add_site_to_shown(self.ctx, shown, draft)
        except UserError as error:
            self.failed.emit(error)
            self.refresh()
            return None
        self.undo_stack.push(AddSitesCommand(self, [site], f"{text} {site.number}"))
        self.detail_changed.emit(self.detail)
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
                return self.add_draft(replace(moved, override_reason=""), "Duplicate site")
        return self.add_draft(replace(draft, override_reason=""), "Duplicate site")

    def move_site(self, site_id: int, view: View, x: float, y: float, *, nudge: bool = False) -> None:
        """Store a site's new position (dragged, or nudged with the arrow keys)."""
        site = self._site(site_id)
        if site is None or not self._ready():
            self.refresh()
            return
        before = site.draft()
        after = replace(before, view=view, x=x, y=y)
        self._edit(site, before, after, f"Move site {site.number}", nudge=nudge)

    def nudge_site(self, site_id: int, view: View, x: float, y: float) -> None:
        """Store a site moved with an arrow key; a run of such moves is undone at once."""
        self.move_site(site_id, view, x, y, nudge=True)

    def edit_site(self, site_id: int, after: SiteDraft) -> bool:
        """Store changed fields of a site; False (with a message) when they are not allowed."""
        site = self._site(site_id)
        if site is None or not self._ready():
            return False
        try:
            exceeded = session_service.limits_a_change_would_exceed(
                self.ctx, self.session_id, after, site.id, shown=self.detail
            )
        except UserError as error:
            self.failed.emit(error)
            return False
        if exceeded:
            reason = self.confirm_over_limit(exceeded)
            if reason is None:
                self.message.emit(f"Site {site.number} not changed: the limit was not overridden.")
                self.refresh()
                return False
            after = replace(after, override_reason=reason)
        return self._edit(site, site.draft(), after, f"Edit site {site.number}")

    def _edit(self, site: Site, before: SiteDraft, after: SiteDraft, text: str, *, nudge: bool = False) -> bool:
        try:
            session_service.edit_site(self.ctx, site.id, after)
        except UserError as error:
            self.failed.emit(error)
            self.refresh()
            return False
        self.undo_stack.push(EditSiteCommand(self, site.number, before, after, text, nudge=nudge))
        self.refresh()
        return True

    def delete_sites(self, site_ids: Sequence[int]) -> None:
        """Delete sites (undo puts them back with their numbers)."""
        sites = [s for s in (self._site(i) for i in site_ids) if s is not None]
        if not sites or not self._ready():
            return
        removed: list[Site] = []
        try:
            for site in sites:
                session_service.remove_site(self.ctx, site.id)
                removed.append(site)
        except UserError as error:
            self.failed.emit(error)
        if removed:
            numbers = ", ".join(str(s.number) for s in removed)
            self.undo_stack.push(
                RemoveSitesCommand(self, removed, f"Delete site{'s' if len(removed) > 1 else ''} {numbers}")
            )
            self.message.emit(f"Deleted site{'s' if len(removed) > 1 else ''} {numbers}. Ctrl+Z brings them back.")
        self.refresh()

    # Tracings -----------------------------------------------------------------------------------------
    def add_tracing(self, view: View, points: tuple[tuple[float, float], ...]) -> VeinTracing | None:
        """Store a freehand vein tracing drawn with the pen."""
        if not self._ready():
            return None
        try:
            tracing = tracing_service.add_tracing(self.ctx, self.session_id, TracingDraft(view=view, points=points))
        except UserError as error:
            self.failed.emit(error)
            self.refresh()
            return None
        self.undo_stack.push(AddTracingCommand(self, tracing, f"Draw tracing on the {view.value} view"))
        self.refresh()
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
                try:
                    removed = tracing_service.remove_tracing(self.ctx, tracing_id)
                except UserError as error:
                    self.failed.emit(error)
                    break
                self.undo_stack.push(RemoveTracingCommand(self, shown.get(tracing_id, removed), "Delete tracing"))
        finally:
            self.undo_stack.endMacro()
        self.refresh()
