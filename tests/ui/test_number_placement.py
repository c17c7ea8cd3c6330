"""The numbers placed again after a change are where placing all of them afresh puts them (domain.markers)."""

from __future__ import annotations

import random

import pytest

from sclerochart.domain.markers import Box, Point, label_offsets
from sclerochart.ui.number_placement import NumberPlacer

SIZES = ((12.0, 15.0), (18.0, 15.0), (24.0, 15.0))


def _spot(rng: random.Random, span: float, points: list[Point]) -> Point:
    if points and rng.random() < 0.2:
        return points[rng.randrange(len(points))]  # on top of another marker
    return (round(rng.uniform(0, span), rng.choice((0, 1, 3))), round(rng.uniform(0, span), rng.choice((0, 1, 3))))


@pytest.mark.parametrize("seed", range(12))
def test_changes_one_at_a_time_place_the_numbers_as_label_offsets_does(seed: int) -> None:
    rng = random.Random(seed)
    span = rng.choice((60.0, 150.0, 400.0))
    keys: list[int] = []
    points: list[Point] = []
    for key in range(rng.randrange(1, 80)):
        keys.append(key)
        points.append(_spot(rng, span, points))
    sizes = [rng.choice(SIZES) for _ in keys]
    bounds = (0.0, 0.0, span, span) if rng.random() < 0.7 else None
    earlier = rng.random() < 0.3  # as for earlier sessions' markers: today's markers and numbers to keep clear of
    others = [(1000 + i, _spot(rng, span, [])) for i in range(rng.randrange(0, 30))] if earlier else []
    taken: list[tuple[int, Box]] = []
    if earlier:
        for i in range(rng.randrange(0, 10)):
            x, y = _spot(rng, span, [])
            taken.append((2000 + i, (x, y, x + 14, y + 12)))
    radius, other_radius = (7.0, 9.0) if earlier else (9.0, None)
    placer: NumberPlacer[int] = NumberPlacer()
    next_key = len(keys)
    shown: dict[int, Point | None] = {}  # what the canvas shows: each call's answer applied to the last
    for _step in range(20):
        answer = placer.place(
            keys, points, radius, sizes, others=others, other_radius=other_radius, taken=taken, bounds=bounds, reach=1.3
        )
        shown.update(answer)
        afresh = label_offsets(
            points,
            radius,
            sizes,
            obstacles=[point for _, point in others],
            obstacle_radius=other_radius,
            taken=[box for _, box in taken],
            bounds=bounds,
            reach=1.3,
        )
        assert placer.offsets(keys) == afresh
        assert [shown[key] for key in keys] == afresh, "a number that moved was not in the answer"
        choice = rng.random()
        if choice < 0.5:  # a site placed
            keys.append(next_key)
            next_key += 1
            points.append(_spot(rng, span, points))
            sizes.append(rng.choice(SIZES))
        elif choice < 0.7 and len(keys) > 1:  # a site deleted
            gone = rng.randrange(len(keys))
            del keys[gone], points[gone], sizes[gone]
        elif choice < 0.85:  # a site moved
            moved = rng.randrange(len(keys))
            points[moved] = (points[moved][0] + rng.uniform(-20, 20), points[moved][1] + rng.uniform(-20, 20))
        elif others:  # one of today's markers moved, seen from the earlier sessions' numbers
            moved = rng.randrange(len(others))
            others[moved] = (others[moved][0], _spot(rng, span, []))
        elif taken:
            moved = rng.randrange(len(taken))
            x, y = _spot(rng, span, [])
            taken[moved] = (taken[moved][0], (x, y, x + 14, y + 12))


@pytest.mark.parametrize("seed", range(16))
def test_clicks_into_a_crowded_scene_place_the_numbers_as_label_offsets_does(seed: int) -> None:
    """Mostly markers added, closely packed, some deleted or dragged.

    Numbers near a change are left where they are only when placing them again would put them there too.
    """
    rng = random.Random(1000 + seed)
    span = rng.choice((80.0, 150.0))
    keys = list(range(rng.randrange(5, 40)))
    points: list[Point] = []
    for _ in keys:
        points.append(_spot(rng, span, points))
    sizes = [rng.choice(SIZES) for _ in keys]
    others = [(1000 + i, _spot(rng, span, [])) for i in range(rng.randrange(0, 20))]
    boxes = (_spot(rng, span, []) for _ in range(rng.randrange(0, 20)))  # numbers already written, of all sizes
    taken = [(2000 + i, (x, y, x + rng.uniform(4, 30), y + rng.uniform(4, 20))) for i, (x, y) in enumerate(boxes)]
    bounds = (0.0, 0.0, span, span)
    placer: NumberPlacer[int] = NumberPlacer()
    shown: dict[int, Point | None] = {}
    left_alone = 0
    next_key = 10_000
    for _step in range(60):
        shown.update(placer.place(keys, points, 7.0, sizes, others=others, other_radius=9.0, taken=taken,
                                  bounds=bounds, reach=1.3))  # fmt: skip
        afresh = label_offsets(points, 7.0, sizes, obstacles=[p for _, p in others], obstacle_radius=9.0,
                               taken=[box for _, box in taken], bounds=bounds, reach=1.3)  # fmt: skip
        assert placer.offsets(keys) == afresh
        assert [shown[key] for key in keys] == afresh
        if _step and placer.placed_again < len(keys) - 1:
            left_alone += 1
        choice = rng.random()
        if choice < 0.8 or len(keys) < 3:  # a click
            keys.append(next_key)
            next_key += 1
            points.append(_spot(rng, span, points))
            sizes.append(rng.choice(SIZES))
        elif choice < 0.9:  # a site deleted: its number's spot is free again
            gone = rng.randrange(len(keys))
            del keys[gone], points[gone], sizes[gone]
        else:  # a site dragged a little: its number moves away from where it was
            moved = rng.randrange(len(keys))
            points[moved] = (points[moved][0] + rng.uniform(-10, 10), points[moved][1] + rng.uniform(-10, 10))
    assert left_alone > 0, "every click placed every number again"


def test_fewer_markers_lower_the_count_a_first_spot_is_held_to() -> None:
    """A first spot's clashes are counted up to a cap that grows with the markers: a deletion can lower it."""
    points = [(76.22558704698082, 67.4501662810681), (80.48973514878313, 73.92402608608049), (900.0, 900.0)]
    sizes = [(12.0, 15.0)] * 3
    heaped = [(-200.0, -200.0, 300.0, 300.0)] * 5  # one box written five times over: five clashes everywhere
    taken = list(enumerate(heaped, 100))
    placer: NumberPlacer[int] = NumberPlacer()
    placer.place([0, 1, 2], points, 7.0, sizes, taken=taken)
    placer.place([0, 1], points[:2], 7.0, sizes[:2], taken=taken)  # the far marker deleted
    assert placer.offsets([0, 1]) == label_offsets(points[:2], 7.0, sizes[:2], taken=heaped)


@pytest.mark.parametrize("seed", range(24))
def test_numbers_freed_by_a_change_are_looked_at_again_as_label_offsets_would(seed: int) -> None:
    """Scenes where a number moving away frees a spot that a later number tried before its own (seeds 17 and 20)."""
    rng = random.Random(seed)
    span = rng.choice((80.0, 150.0, 250.0))
    keys: list[int] = []
    points: list[Point] = []
    sizes: list[Point] = []

    def spot() -> Point:
        if points and rng.random() < 0.1:
            return points[rng.randrange(len(points))]
        return (rng.uniform(0, span), rng.uniform(0, span))

    for key in range(rng.randrange(1, 60)):
        keys.append(key)
        points.append(spot())
        sizes.append(rng.choice(SIZES))
    earlier = rng.random() < 0.4
    others: list[tuple[int, Point]] = []
    taken: list[tuple[int, Box]] = []
    if earlier:  # as for earlier sessions' markers and numbers
        others = [(1000 + i, (rng.uniform(0, span), rng.uniform(0, span))) for i in range(rng.randrange(0, 30))]
        for i in range(rng.randrange(0, 10)):
            x, y = rng.uniform(0, span), rng.uniform(0, span)
            taken.append((2000 + i, (x, y, x + 14, y + 12)))
    radius, other_radius = (7.0, 9.0) if earlier else (9.0, None)
    bounds = (0.0, 0.0, span, span) if rng.random() < 0.7 else None
    placer: NumberPlacer[int] = NumberPlacer()
    next_key = len(keys)
    for _step in range(40):
        placer.place(keys, points, radius, sizes, others=others, other_radius=other_radius, taken=taken,
                     bounds=bounds, reach=1.3)  # fmt: skip
        assert placer.offsets(keys) == label_offsets(
            points, radius, sizes, obstacles=[point for _, point in others], obstacle_radius=other_radius,
            taken=[box for _, box in taken], bounds=bounds, reach=1.3,
        )  # fmt: skip
        choice = rng.random()
        if choice < 0.85:
            for _ in range(1 if rng.random() < 0.9 else 2):
                keys.append(next_key)
                next_key += 1
                points.append(spot())
                sizes.append(rng.choice(SIZES))
        elif choice < 0.93 and len(keys) > 1:
            gone = rng.randrange(len(keys))
            del keys[gone], points[gone], sizes[gone]
        else:
            moved = rng.randrange(len(keys))
            points[moved] = (points[moved][0] + rng.uniform(-20, 20), points[moved][1] + rng.uniform(-20, 20))
