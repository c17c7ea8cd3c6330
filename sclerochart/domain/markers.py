"""How a site's marker looks, on screen and on paper: a shape and a colour per agent, and a short name.

The shapes tell the agents apart without colour too (a black-and-white printout, colour-blind readers).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MarkerLook:
    """A marker's shape name (circle, square, triangle, diamond) and fill colour as #rrggbb."""

    shape: str
    colour: str


_BY_CODE = {
    "polidocanol": MarkerLook("circle", "#1c5fb8"),
    "sts": MarkerLook("square", "#c2410c"),
    "saline": MarkerLook("triangle", "#2b8a3e"),
    "glycerin": MarkerLook("diamond", "#7c3aed"),
}
_SPARE = (
    MarkerLook("circle", "#0f766e"),
    MarkerLook("square", "#a16207"),
    MarkerLook("triangle", "#be185d"),
    MarkerLook("diamond", "#475569"),
)
_ABBREVIATIONS = {"polidocanol": "POL", "sts": "STS", "saline": "HS", "glycerin": "GLY"}


def abbreviation(code: str) -> str:
    """A short name for buttons and tight table cells: POL, STS, HS, GLY, else the code's first letters."""
    return _ABBREVIATIONS.get(code) or code[:4].upper()


def marker_look(code: str, agent_id: int) -> MarkerLook:
    """The look of an agent's markers: fixed for the four seeded agents, from a spare palette for others."""
    return _BY_CODE.get(code) or _SPARE[agent_id % len(_SPARE)]


def marker_polygon(shape: str, radius: float) -> tuple[tuple[float, float], ...]:
    """The corners of a marker centred on (0, 0), y pointing down; empty for a circle of `radius`."""
    r = radius
    if shape == "square":
        return ((-r * 0.9, -r * 0.9), (r * 0.9, -r * 0.9), (r * 0.9, r * 0.9), (-r * 0.9, r * 0.9))
    if shape == "triangle":
        return ((0.0, -r * 1.1), (r * 1.05, r * 0.8), (-r * 1.05, r * 0.8))
    if shape == "diamond":
        return ((0.0, -r * 1.2), (r * 1.2, 0.0), (0.0, r * 1.2), (-r * 1.2, 0.0))
    return ()
