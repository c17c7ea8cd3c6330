"""Where crowded markers' numbers go, kept from one change to the next: only markers near a change are placed again.

`NumberPlacer.place` answers what `domain.markers.label_offsets` answers for the same markers (the tests compare
the two), but it keeps what it worked out: a click that adds one marker places again only the numbers that the new
marker, or a number that moved because of it, can reach. Everything else is as it was, because a marker's number
depends only on what lies within a short reach of the marker (its neighbours, and the spots its number may take),
and on the numbers placed before it in the markers' order.

How it stays the same as placing all numbers afresh:
- the things on the screen are kept in the same square cells as `label_offsets` keeps them, so a check counts the
  same things the same number of times;
- a marker's neighbours are added up in the order `label_offsets` adds them (cell by cell; in a cell, today's
  markers in their order, then the other markers), so the sums are the same to the last bit;
- a marker placed again sees only the numbers of the markers before it, as when all are placed in order;
- a number whose spot clashed with nothing stays without being placed again when all that was added near it is
  no neighbour of its marker and does not touch its spot (the spots tried before it stay taken);
- whenever that cannot be promised (another zoom or visible area, markers in another order, many changes at once),
  everything is placed afresh.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Hashable, Sequence
from typing import Generic, TypeVar

from sclerochart.domain.markers import _CELL, _GAP, CROWDED, Box, Point, _box
from sclerochart.ui.number_spots import cells as _cells
from sclerochart.ui.number_spots import spot_centres, touches_box, touches_circle

Key = TypeVar("Key", bound=Hashable)
_Entry = tuple[Box, Point | None, float, int, Hashable]
"""box, centre (None for a number's box), radius as drawn, kind, owner."""
_MARKER, _OTHER, _TAKEN, _TAG = 0, 1, 2, 3
"""Kinds of things in the cells, in the order `label_offsets` puts them in a cell."""
_Given = tuple[list[Key], list[Point], list[Point], list[tuple[Hashable, Point]], list[tuple[Hashable, Box]]]
"""A call's markers, their points and sizes, the others and the boxes taken, as lists."""
_UNSET = object()
_Due = dict[int, tuple[list[_Entry], list[Box]] | None]
"""Markers to look at again, by rank: None when a marker must be placed again, else what was added near it and
the boxes of numbers moved away from near it (see `NumberPlacer._still`)."""
_REDO_ALL_SHARE = 3
"""Past one change in this many markers, everything is placed afresh (it is then as quick)."""


def _more(due: _Due, index: int, added: _Entry | None = None, freed: Box | None = None) -> None:
    """Note a thing added, or a number's box freed, near the marker at `index` (unless it is due anyway)."""
    if index not in due:
        due[index] = ([], [])
    reasons = due[index]
    if reasons is not None:
        if added is not None:
            reasons[0].append(added)
        if freed is not None:
            reasons[1].append(freed)


class NumberPlacer(Generic[Key]):
    """`label_offsets` for markers named by keys, placing again only what a change can reach."""

    def __init__(self) -> None:
        self._settings: tuple[float, float, float, Box | None] | None = None
        self._keys: list[Key] = []
        self._points: dict[Key, Point] = {}
        self._sizes: dict[Key, Point] = {}
        self._offsets: dict[Key, Point | None] = {}
        self._tags: dict[Key, _Entry] = {}
        self._spots: dict[Key, tuple[float, int, bool]] = {}
        """Per number placed: its direction, how many spots were tried before its own, whether that one clashed
        with nothing (see `_still`)."""
        self._others: list[Hashable] = []
        self._other_points: dict[Hashable, Point] = {}
        self._taken: dict[Hashable, Box] = {}
        self._cells: dict[tuple[int, int], list[_Entry]] = {}
        self._by_cell: dict[tuple[int, int], list[Key]] = {}
        """Markers by the cell their centre is in: which markers a change can reach."""
        self._same_spot: dict[Point, list[Key]] = {}
        self._rank: dict[Hashable, int] = {}
        self._other_rank: dict[Hashable, int] = {}
        self._reach_of: float = 0.0
        self._capped = False
        self._first_most = 0
        """The most clashes counted at any number's first spot (a count stops at a cap that fewer markers lower)."""
        self._given: _Given[Key] | None = None
        """What the last call was given, as lists: a call that only adds markers at the end is told by comparing
        with them (list comparison runs in C: thousands of markers in a fraction of a millisecond)."""
        self.placed_again = 0
        """How many markers the last call placed (all of them when it started afresh): for tests and benchmarks."""

    def place(
        self,
        keys: Sequence[Key],
        points: Sequence[Point],
        radius: float,
        sizes: Sequence[Point],
        *,
        others: Sequence[tuple[Hashable, Point]] = (),
        other_radius: float | None = None,
        taken: Sequence[tuple[Hashable, Box]] = (),
        bounds: Box | None = None,
        reach: float = 1.0,
    ) -> dict[Key, Point | None]:
        """The offsets `label_offsets` gives these markers (see there), by key; only the markers that changed.

        Args:
            keys: one per marker, in the markers' order (a marker keeps its key from one call to the next).
            points, radius, sizes, bounds, reach: as `label_offsets` takes them.
            others: `label_offsets`'s obstacles, each with a key of its own.
            other_radius: their radius (by default `radius`).
            taken: boxes already written there, each with a key of its own.

        Returns:
            The markers whose offset differs from what the previous call gave them (all of them the first time),
            with their offsets; `offsets()` gives every marker's.
        """
        settings = (radius, radius if other_radius is None else other_radius, reach, bounds)
        given = (list(keys), list(points), list(sizes), list(others), list(taken))
        grown = self._grown(settings, given)
        if grown is not None:
            moved = self._append(given, grown)
            if moved is not None:
                self._given = given
                return moved
        new_points = dict(zip(keys, points, strict=True))
        new_sizes = dict(zip(keys, sizes, strict=True))
        new_others = dict(others)
        new_taken = dict(taken)
        before = dict(self._offsets)
        if (
            settings != self._settings
            or self._capped
            or not self._update(list(keys), new_points, new_sizes, [key for key, _ in others], new_others, new_taken)
        ):
            self._afresh(settings, list(keys), new_points, new_sizes, [key for key, _ in others], new_others, new_taken)
        self._given = given
        return {key: offset for key, offset in self._offsets.items() if key not in before or before[key] != offset}

    def offsets(self, keys: Sequence[Key]) -> list[Point | None]:
        """Every marker's offset as last placed, in the order of `keys`."""
        return [self._offsets[key] for key in keys]

    # Markers added at the end --------------------------------------------------------------------------
    def _grown(self, settings: tuple[float, float, float, Box | None], given: _Given[Key]) -> int | None:
        """How many markers the last call had, when this call gives the same ones and only adds after them."""
        last = self._given
        if last is None or settings != self._settings or self._capped:
            return None
        keys, points, sizes, others, taken = given
        count = len(last[0])
        if (
            len(keys) < count
            or keys[:count] != last[0]
            or points[:count] != last[1]
            or sizes[:count] != last[2]
            or others != last[3]
            or taken != last[4]
            or any(key in self._points for key in keys[count:])
        ):
            return None
        return count

    def _append(self, given: _Given[Key], count: int) -> dict[Key, Point | None] | None:
        """Place the markers added after the first `count`, and what they reach; None: start afresh instead."""
        keys, points, sizes = given[0], given[1], given[2]
        added = keys[count:]
        if len(added) * _REDO_ALL_SHARE > max(len(keys), 8):
            return None
        self._keys = keys
        for index in range(count, len(keys)):
            key = keys[index]
            self._points[key], self._sizes[key], self._rank[key] = points[index], sizes[index], index
        for key in added:
            self._add_marker(key)
        due: _Due = {}
        for key in added:
            circle = self._marker_entry(key)
            for index in self._reaching(circle[0], -1):
                _more(due, index, added=circle)
        for index in range(count, len(keys)):
            due[index] = None
        return self._again(keys, due)

    # Afresh -------------------------------------------------------------------------------------------
    def _afresh(
        self,
        settings: tuple[float, float, float, Box | None],
        keys: list[Key],
        points: dict[Key, Point],
        sizes: dict[Key, Point],
        others: list[Hashable],
        other_points: dict[Hashable, Point],
        taken: dict[Hashable, Box],
    ) -> None:
        self._settings = settings
        self._keys, self._points, self._sizes = keys, points, sizes
        self._others, self._other_points, self._taken = others, other_points, taken
        self._offsets, self._tags, self._cells, self._by_cell, self._same_spot = {}, {}, {}, {}, {}
        self._spots = {}
        self._capped = False
        self._first_most = 0
        self._rank = {key: index for index, key in enumerate(keys)}
        self._other_rank = {other: index for index, other in enumerate(others)}
        self._reach_of = 0.0
        for key in keys:
            self._add_marker(key)
        for other in others:
            self._add_circle(_OTHER, other, other_points[other], settings[1])
        for owner, box in taken.items():
            self._add((box, None, 0.0, _TAKEN, owner))
        for index, key in enumerate(keys):
            self._place(key, index)
        self.placed_again = len(keys)

    # A few changes ------------------------------------------------------------------------------------
    def _update(
        self,
        keys: list[Key],
        points: dict[Key, Point],
        sizes: dict[Key, Point],
        others: list[Hashable],
        other_points: dict[Hashable, Point],
        taken: dict[Hashable, Box],
    ) -> bool:
        """Place again what the changes reach; False (nothing changed) when starting afresh is needed."""
        old = self._points
        kept = [key for key in keys if key in old]
        if kept != [key for key in self._keys if key in points]:
            return False  # markers in another order: numbers would be placed in another order
        kept_others = [key for key in others if key in self._other_points]
        if kept_others != [key for key in self._others if key in other_points]:
            return False
        gone = [key for key in self._keys if key not in points]
        changed = [key for key in keys if key not in old or old[key] != points[key] or self._sizes[key] != sizes[key]]
        gone_others = [key for key in self._others if key not in other_points]
        changed_others = [
            key for key in others if key not in self._other_points or self._other_points[key] != other_points[key]
        ]
        taken_changes = [key for key in set(taken) | set(self._taken) if taken.get(key) != self._taken.get(key)]
        count = len(gone) + len(changed) + len(gone_others) + len(changed_others) + len(taken_changes)
        if count * _REDO_ALL_SHARE > max(len(keys), 8):
            return False
        if 2 * len(keys) + len(others) + 1 <= self._first_most:
            return False  # fewer things lower the cap on a first spot's count below one counted: not as counted
        other_radius = self._settings[1]  # type: ignore[index]
        reached: list[Box] = []  # where something changed: the markers that can reach there are placed again
        for key in (*gone, *(key for key in changed if key in old)):
            reached.append(self._remove_marker(key))
            tag = self._tags.pop(key, None)
            if tag is not None:
                self._remove(tag)
                reached.append(tag[0])
            self._offsets.pop(key, None)
        for other in (*gone_others, *(other for other in changed_others if other in self._other_points)):
            reached.append(self._remove_circle(_OTHER, other, self._other_points[other], other_radius))
        for owner in taken_changes:
            if owner in self._taken:
                self._remove((self._taken[owner], None, 0.0, _TAKEN, owner))
                reached.append(self._taken[owner])
        self._keys, self._points, self._sizes = keys, points, sizes
        self._others, self._other_points, self._taken = others, other_points, taken
        self._rank = {key: index for index, key in enumerate(keys)}
        self._other_rank = {other: index for index, other in enumerate(others)}
        for key in changed:
            reached.append(self._add_marker(key))
        for other in changed_others:
            reached.append(self._add_circle(_OTHER, other, other_points[other], other_radius))
        for owner in taken_changes:
            if owner in taken:
                self._add((taken[owner], None, 0.0, _TAKEN, owner))
                reached.append(taken[owner])
        due: _Due = {self._rank[key]: None for key in changed}
        for box in reached:
            due.update((index, None) for index in self._reaching(box, -1))
        self._again(keys, due)
        return True

    def _again(self, keys: list[Key], due: _Due) -> dict[Key, Point | None]:
        """Place again the markers due, and those a moved number reaches; the offsets that changed."""
        moved: dict[Key, Point | None] = {}
        heap = list(due)
        heapq.heapify(heap)
        done = set()
        placed = 0
        while heap:
            index = heapq.heappop(heap)
            if index in done:
                continue
            done.add(index)
            key = keys[index]
            reasons = due[index]
            if reasons is not None and self._still(key, *reasons):
                continue
            placed += 1
            prior = self._offsets.get(key, _UNSET)
            old_tag = self._tags.pop(key, None)
            if old_tag is not None:
                self._remove(old_tag)
            self._place(key, index)
            offset = self._offsets[key]
            if prior is _UNSET or prior != offset:
                moved[key] = offset
            new_tag = self._tags.get(key)
            if (old_tag[0] if old_tag else None) != (new_tag[0] if new_tag else None):
                for tag, added, freed in ((old_tag, None, old_tag), (new_tag, new_tag, None)):
                    if tag is not None:
                        for later in self._reaching(tag[0], index):
                            _more(due, later, added, freed[0] if freed else None)
                            heapq.heappush(heap, later)
        self.placed_again = placed
        return moved

    def _still(self, key: Key, added: list[_Entry], freed: list[Box]) -> bool:
        """Whether a marker's number stays where it is when things were added near it, or numbers moved away.

        Its direction is worked out from its neighbours: an added marker that is one, or on the same spot,
        can change it. Otherwise the spots tried are the same, and the first with the fewest clashes wins:
        - a thing added counts against no spot less, so the number stays when nothing added touches its spot;
        - a number's box freed lets a spot tried before count fewer clashes: the number stays when its spot
          was free of clashes (none can beat it) and no freed box touches a spot tried before it.
        Checked on the shapes alone, without the cells: whatever counts in `_place` passes these tests, so
        an answer errs only towards placing again.
        """
        radius, _other_radius, reach, _bounds = self._settings  # type: ignore[misc]
        x, y = self._points[key]
        tag = self._tags.get(key)
        if tag is None and self._offsets.get(key, _UNSET) is not None:
            return False  # never placed yet (with no number shown, only a new neighbour gives it one: below)
        for box, centre, r, _kind, _owner in added:
            if centre is not None:
                if centre == (x, y) or math.hypot(centre[0] - x, centre[1] - y) < CROWDED * (radius + r / reach):
                    return False  # a neighbour, or a marker on the same spot
                if tag is not None and touches_circle(tag[0], centre, r):
                    return False
            elif tag is not None and touches_box(tag[0], box):
                return False
        if tag is None or not freed:
            return True
        base, tried, free = self._spots[key]
        if not free:
            return False
        width, height = self._sizes[key]
        half_width, half_height = width / 2, height / 2
        first = radius * reach + max(width, height) / 2 + _GAP
        for count, (cx, cy) in enumerate(spot_centres(x, y, base, first, radius)):
            if count == tried:
                return True
            spot = (cx - half_width, cy - half_height, cx + half_width, cy + half_height)
            if any(touches_box(spot, box) for box in freed):
                return False
        return True

    def _reaching(self, box: Box, after: int) -> list[int]:
        """The markers after `after` in order whose number could be placed differently for a change in `box`."""
        reach = self._reach_of
        wide = (box[0] - reach, box[1] - reach, box[2] + reach, box[3] + reach)
        found = []
        for cell in _cells(wide):
            for key in self._by_cell.get(cell, ()):
                index = self._rank[key]
                if index > after:
                    x, y = self._points[key]
                    if wide[0] <= x <= wide[2] and wide[1] <= y <= wide[3]:
                        found.append(index)
        return found

    # The cells ----------------------------------------------------------------------------------------
    def _add(self, entry: _Entry) -> None:
        for cell in _cells(entry[0]):
            self._cells.setdefault(cell, []).append(entry)

    def _remove(self, entry: _Entry) -> None:
        for cell in _cells(entry[0]):
            things = self._cells[cell]
            things.remove(entry)
            if not things:
                del self._cells[cell]

    def _circle(self, kind: int, key: Hashable, point: Point, radius: float) -> _Entry:
        reach = self._settings[2]  # type: ignore[index]
        x, y = point
        r = radius * reach
        return ((x - r, y - r, x + r, y + r), point, r, kind, key)

    def _add_circle(self, kind: int, key: Hashable, point: Point, radius: float) -> Box:
        entry = self._circle(kind, key, point, radius)
        self._add(entry)
        return entry[0]

    def _remove_circle(self, kind: int, key: Hashable, point: Point, radius: float) -> Box:
        entry = self._circle(kind, key, point, radius)
        self._remove(entry)
        return entry[0]

    def _add_marker(self, key: Key) -> Box:
        radius, other, reach, _bounds = self._settings  # type: ignore[misc]
        point = self._points[key]
        width, height = self._sizes[key]
        # How far the marker looks for a spot, and what a spot there can touch.
        first = radius * reach + max(width, height) / 2 + _GAP
        # A spot for its number lies within first + 2 radii; its box reaches half its size further, and a thing
        # within _GAP of that box counts against it (a marker's box includes the marker's own radius).
        spot = first + 2 * radius + max(width, height) / 2 + _GAP
        self._reach_of = max(self._reach_of, spot, CROWDED * 2 * max(radius, other))
        self._by_cell.setdefault((int(point[0] // _CELL), int(point[1] // _CELL)), []).append(key)
        self._same_spot.setdefault(point, []).append(key)
        return self._add_circle(_MARKER, key, point, radius)

    def _marker_entry(self, key: Key) -> _Entry:
        """The marker's circle as it stands in the cells (after `_add_marker`)."""
        return self._circle(_MARKER, key, self._points[key], self._settings[0])  # type: ignore[index]

    def _remove_marker(self, key: Key) -> Box:
        point = self._points[key]
        cell = (int(point[0] // _CELL), int(point[1] // _CELL))
        self._by_cell[cell].remove(key)
        if not self._by_cell[cell]:
            del self._by_cell[cell]
        twins = self._same_spot[point]
        twins.remove(key)
        if not twins:
            del self._same_spot[point]
        return self._remove_circle(_MARKER, key, point, self._settings[0])  # type: ignore[index]

    # One marker -----------------------------------------------------------------------------------------
    def _order(self, entry: _Entry) -> tuple[int, int]:
        kind, key = entry[3], entry[4]
        return (kind, self._rank[key] if kind == _MARKER else self._other_rank[key])

    def _place(self, key: Key, index: int) -> None:
        """Place one marker's number as `label_offsets` does, seeing the numbers of the markers before it only."""
        radius, other_radius, reach, bounds = self._settings  # type: ignore[misc]
        x, y = self._points[key]
        within = CROWDED * 2 * max(radius, other_radius)
        neighbours = []
        for cell in _cells((x - within, y - within, x + within, y + within)):
            circles = sorted((e for e in self._cells.get(cell, ()) if e[1] is not None), key=self._order)
            for _area, centre, r, _kind, _owner in circles:
                if (
                    centre is not None
                    and centre != (x, y)
                    and math.hypot(centre[0] - x, centre[1] - y) < CROWDED * (radius + r / reach)
                ):
                    neighbours.append(centre)
        twins = self._same_spot[(x, y)]
        if not neighbours and len(twins) == 1:
            self._offsets[key] = None
            return
        dx = sum(x - px for px, _ in neighbours)
        dy = sum(y - py for _, py in neighbours)
        if math.hypot(dx, dy) < 1e-6 * radius:
            order = sorted(self._rank[twin] for twin in twins)
            base = -math.pi / 4 + 2 * math.pi * order.index(index) / max(len(twins), 2)
        else:
            base = math.atan2(dy, dx)
        width, height = self._sizes[key]
        first = radius * reach + max(width, height) / 2 + _GAP
        cap = 2 * len(self._keys) + len(self._others) + 1
        best: tuple[int, Point] | None = None
        rank = self._rank
        hypot, half_gap = math.hypot, _GAP / 2
        in_cell = self._cells.get
        half_width, half_height = width / 2, height / 2  # as `_box` halves them: the same numbers
        tried = tried_before = 0
        for centre in spot_centres(x, y, base, first, radius):
            left, top = centre[0] - half_width, centre[1] - half_height
            right, bottom = centre[0] + half_width, centre[1] + half_height
            enough = best[0] if best is not None else cap
            clashes = 0
            if bounds is not None and not (
                bounds[0] <= left and bounds[1] <= top and right <= bounds[2] and bottom <= bounds[3]
            ):
                clashes = 1
            # The cells of the box, as `_cells` lists them (column by column), without making the list.
            columns = range(int(left // _CELL), int(right // _CELL) + 1)
            rows = range(int(top // _CELL), int(bottom // _CELL) + 1)
            for cell in ((column, row) for column in columns for row in rows):
                for other, mark, r, kind, owner in in_cell(cell, ()):
                    if clashes >= enough:
                        break
                    if mark is not None:  # domain.markers' _clear_of_circle, written out (it runs most)
                        # The same numbers as its max(…, 0.0, …) and hypot; hypot is never below either side,
                        # so a side already too far settles it without the square root.
                        mx, my = mark
                        limit = r + half_gap
                        dx = left - mx if mx < left else (mx - right if mx > right else 0.0)
                        if dx >= limit:
                            continue
                        dy = top - my if my < top else (my - bottom if my > bottom else 0.0)
                        if dy < limit and hypot(dx, dy) < limit:
                            clashes += 1
                    elif kind == _TAG and rank[owner] >= index:
                        continue  # placed after this one
                    elif not (
                        right + _GAP <= other[0]
                        or other[2] + _GAP <= left
                        or bottom + _GAP <= other[1]
                        or other[3] + _GAP <= top
                    ):
                        clashes += 1
            if best is None:
                if clashes >= cap:
                    self._capped = True  # the count stopped early: a later call must not rely on it
                self._first_most = max(self._first_most, clashes)
            if best is None or clashes < best[0]:
                best, tried_before = (clashes, centre), tried
            if clashes == 0:
                break
            tried += 1
        assert best is not None
        chosen = best[1]
        tag: _Entry = (_box(chosen, (width, height)), None, 0.0, _TAG, key)
        self._add(tag)
        self._tags[key] = tag
        self._spots[key] = (base, tried_before, best[0] == 0)
        self._offsets[key] = (chosen[0] - x, chosen[1] - y)
