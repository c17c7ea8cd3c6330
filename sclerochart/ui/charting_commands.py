"""Undoable changes to the open session: each undo or redo is a new change made from the version now shown.

Commands name sites by their number in the session, which stays the same when an undo puts a deleted site
back under a new row id. A command also remembers, per site, the "epoch" it was made in: when another room
changes that site afterwards, the epoch moves on and the command refuses to undo or redo rather than put old
values over the other room's work.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from sclerochart.domain.values import Site, SiteDraft, VeinTracing

if TYPE_CHECKING:
    from sclerochart.ui.charting_controller import ChartingController


class StoredCommand(QUndoCommand):
    """A stored change that can be undone and redone; its first redo happened before it was pushed."""

    def __init__(self, controller: ChartingController, text: str, numbers: Sequence[int] = ()) -> None:
        super().__init__(text)
        self.controller = controller
        self.epochs = controller.epochs_of(numbers)
        self._done = True

    def redo(self) -> None:
        """Apply again (skipped on push: the change is already stored)."""
        if self._done:
            self._done = False
            return
        self._run(self.apply, "redo")

    def undo(self) -> None:
        """Take the change back in the database, as a new change."""
        self._run(self.revert, "undo")

    def _run(self, change: Callable[[], None], verb: str) -> None:
        def checked() -> None:
            self.controller.require_epochs(self.epochs, verb)
            change()

        self.controller.run_stored(checked)

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError


class AddSitesCommand(StoredCommand):
    """Sites placed (or duplicated)."""

    def __init__(self, controller: ChartingController, sites: Sequence[Site], text: str) -> None:
        super().__init__(controller, text, [site.number for site in sites])
        self.sites = [(site.number, site.draft()) for site in sites]

    def apply(self) -> None:
        for number, draft in self.sites:
            self.controller.adopt(
                self.controller.api.add_site(
                    self.controller.session_id, draft, number=number, shown=self.controller.detail
                )
            )

    def revert(self) -> None:
        seen = [self.controller.own_site(number) for number, _ in self.sites]
        self.controller.adopt(self.controller.api.remove_sites(seen, shown=self.controller.detail))


class RemoveSitesCommand(AddSitesCommand):
    """Sites deleted: undo stores them again with their numbers."""

    def apply(self) -> None:
        super().revert()

    def revert(self) -> None:
        super().apply()


class EditSiteCommand(StoredCommand):
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
        super().__init__(controller, text, [number])
        self.number, self.before, self.after, self.nudge = number, before, after, nudge

    def id(self) -> int:
        """Nudges share an id so the stack offers them to mergeWith; other edits never merge."""
        return self.NUDGE_ID if self.nudge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Take in the next nudge of the same site (already stored)."""
        if not isinstance(other, EditSiteCommand) or not other.nudge or other.number != self.number:
            return False
        if other.epochs != self.epochs:
            return False
        self.after = other.after
        return True

    def _store(self, draft: SiteDraft) -> None:
        site_id, version = self.controller.own_site(self.number)
        self.controller.adopt(self.controller.api.edit_site(site_id, draft, version, shown=self.controller.detail))

    def apply(self) -> None:
        self._store(self.after)

    def revert(self) -> None:
        self._store(self.before)


class AddTracingCommand(StoredCommand):
    """A vein tracing drawn (or put back); it gets a new row id each time it is stored again."""

    def __init__(self, controller: ChartingController, tracing: VeinTracing, text: str) -> None:
        super().__init__(controller, text)
        self.draft = tracing.draft()
        self.tracing_id = tracing.id
        self.version = tracing.version

    def apply(self) -> None:
        stored = self.controller.api.add_tracing(self.controller.session_id, self.draft)
        self.tracing_id, self.version = stored.id, stored.version
        self.controller.tracings_stored()

    def revert(self) -> None:
        self.controller.api.remove_tracing(self.tracing_id, self.version)
        self.controller.tracings_stored()


class RemoveTracingCommand(AddTracingCommand):
    """A vein tracing deleted: undo draws it again."""

    def apply(self) -> None:
        super().revert()

    def revert(self) -> None:
        super().apply()
