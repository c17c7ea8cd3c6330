"""The diagram geometry: six views, regions, and refusing points outside the legs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sclerochart.domain.diagram import ALL_REGIONS, VIEWS, leg_outline, point_for, region_at
from sclerochart.domain.values import View

EXPECTED = {
    (View.ANTERIOR, 0, 30): "Right anterior thigh, distal third",
    (View.ANTERIOR, 1, 47): "Left knee (patella)",
    (View.POSTERIOR, 0, 47): "Left popliteal fossa",
    (View.POSTERIOR, 1, 60): "Right calf, proximal third",
    (View.RIGHT_LATERAL, 0, 33): "Right lateral thigh, distal third",
    (View.RIGHT_MEDIAL, 0, 89): "Right medial ankle (malleolus)",
    (View.LEFT_LATERAL, 0, 70): "Left lateral lower leg, middle third",
    (View.LEFT_MEDIAL, 0, 10): "Left medial thigh, proximal third",
}


@pytest.mark.parametrize(("key", "label"), EXPECTED.items())
def test_a_point_on_each_view_names_its_region(key: tuple[View, int, float], label: str) -> None:
    view, leg, height = key
    x, y = point_for(view, leg, height, 0.0)
    region = region_at(view, x, y)
    assert region is not None
    assert region.label == label


def test_points_outside_the_legs_belong_to_no_region() -> None:
    assert region_at(View.ANTERIOR, 0.5, 0.5) is None  # between the legs
    assert region_at(View.RIGHT_LATERAL, 0.02, 0.5) is None
    assert region_at(View.ANTERIOR, 0.3, 0.0) is None  # above the groin


def test_every_region_has_a_label_with_side_first() -> None:
    assert len(ALL_REGIONS) == 2 * 4 * 9
    assert all(r.label.split()[0] in ("Right", "Left") for r in ALL_REGIONS.values())


def test_outlines_are_closed_smooth_polygons_inside_the_view() -> None:
    for view, spec in VIEWS.items():
        for index in range(len(spec.legs)):
            outline = leg_outline(view, index)
            assert len(outline) > 100
            assert all(0 <= x <= 1 and 0 <= y <= 1 for x, y in outline)


@given(st.sampled_from(list(View)), st.floats(1.0, 99.0), st.floats(-0.9, 0.9), st.data())
def test_points_inside_a_leg_map_to_that_legs_side(
    view: View, height: float, across: float, data: st.DataObject
) -> None:
    leg = data.draw(st.integers(0, len(VIEWS[view].legs) - 1))
    region = region_at(view, *point_for(view, leg, height, across))
    assert region is not None
    assert region.side == VIEWS[view].legs[leg].side
