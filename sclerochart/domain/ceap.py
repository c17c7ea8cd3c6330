"""CEAP 2020 classification per leg (DOMAIN.md §5): parsing, the canonical spelling and plain words.

The canonical spelling is the one of CEAP 2020 (Lurie et al., J Vasc Surg Venous Lymphat Disord 2020)::

    C2,4a,S Ep As,p Pr,o

* **C**, required and first: one or more clinical classes (C0, C1, C2, C2r, C3, C4a, C4b, C4c, C5, C6, C6r),
  the letter C written once and the classes joined by commas in the order above; C0 stands alone and no class is
  given twice. Then, optionally, S (symptomatic) or A (asymptomatic) after a comma.
* **E**, optional: one etiology of Ep (primary), Es (secondary), Esi (secondary, intravenous), Ese (secondary,
  extravenous), Ec (congenital) or En (no cause identified).
* **A**, optional: As (superficial), Ad (deep) and Ap (perforator) alone or combined with the letter A written once
  (As,p or As,d,p, always in the order s, d, p), or An (no venous location identified) alone. The named-vein
  abbreviations of CEAP 2020 (GSV, SSV, ...) are not taken: the field records the anatomic level only.
* **P**, optional: Pr (reflux), Po (obstruction), both as Pr,o, or Pn (no pathophysiology identified) alone.

Parts are separated by one space. What is typed is read leniently: any case, spaces around commas, a space or a
slash in place of a comma (``c2r s``, ``C2r/S``), the suffix written on the last class (``C2rS``), the letter C or A
or P repeated (``C2,C4a``, ``As,Ap``, ``Pr,Po``), the classes and the anatomy in any order and E, A, P in any order
after C. Everything else is refused with a message that names the wrong part and what is allowed.

Values stored when only the clinical class was taken ("C1", "C1,A", "C2r,S") are canonical spellings still.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CLINICAL_CLASSES: dict[str, str] = {
    "C0": "No visible or palpable signs of venous disease",
    "C1": "Telangiectasia or reticular veins",
    "C2": "Varicose veins",
    "C2r": "Recurrent varicose veins",
    "C3": "Oedema",
    "C4a": "Pigmentation or eczema",
    "C4b": "Lipodermatosclerosis or atrophie blanche",
    "C4c": "Corona phlebectatica",
    "C5": "Healed venous ulcer",
    "C6": "Active venous ulcer",
    "C6r": "Recurrent active venous ulcer",
}
"""The clinical classes in their order of severity, with their meaning."""

ETIOLOGIES: dict[str, str] = {
    "Ep": "primary",
    "Es": "secondary",
    "Esi": "secondary, intravenous",
    "Ese": "secondary, extravenous",
    "Ec": "congenital",
    "En": "no venous cause identified",
}

ANATOMY: dict[str, str] = {
    "As": "superficial",
    "Ad": "deep",
    "Ap": "perforator",
    "An": "no venous location identified",
}
"""Anatomic levels in their canonical order; As, Ad and Ap combine, An stands alone."""

PATHOPHYSIOLOGY: dict[str, str] = {
    "Pr": "reflux",
    "Po": "obstruction",
    "Pn": "no venous pathophysiology identified",
}
"""Pathophysiology in its canonical order; Pr and Po combine, Pn stands alone."""

CEAP_MAX = 80
"""The longest canonical spelling taken (the longest possible one is about half of it)."""

INPUT_MAX = 200
"""Typed text longer than this is refused before it is read."""

EXAMPLE = "C2,4a,S Ep As Pr"

_CLASS_CODES = {code[1:].lower(): code for code in CLINICAL_CLASSES}
_CLASS_ORDER = {code: index for index, code in enumerate(CLINICAL_CLASSES)}
_ETIOLOGY_CODES = {code.lower(): code for code in ETIOLOGIES}
_ANATOMY_ORDER = {code: index for index, code in enumerate(ANATOMY)}
_PATHO_ORDER = {code: index for index, code in enumerate(PATHOPHYSIOLOGY)}

_CLASS_HELP = f"use C0 to C6 (C2r, C4a, C4b, C4c, C6r), for example {EXAMPLE}."
_SUFFIX_HELP = "write S (symptomatic) or A (asymptomatic) once, right after the clinical classes, for example C2,4a,S."
_ETIOLOGY_HELP = (
    "use one of Ep (primary), Es (secondary), Esi (secondary, intravenous), Ese (secondary, extravenous), "
    "Ec (congenital) or En (no cause identified)."
)
_ANATOMY_HELP = (
    "use As (superficial), Ad (deep) or Ap (perforator), combined as in As,p or As,d,p, "
    "or An (no venous location identified)."
)
_PATHO_HELP = "use Pr (reflux), Po (obstruction), Pr,o (both) or Pn (no pathophysiology identified)."


@dataclass(frozen=True)
class Ceap:
    """One leg's CEAP classification; always valid, its parts kept in canonical order.

    Attributes:
        clinical: The clinical classes as codes, e.g. ("C2", "C4a"); at least one.
        symptomatic: True for S, False for A, None when neither was given.
        etiology: "" or one code of ETIOLOGIES, e.g. "Ep".
        anatomy: Codes of ANATOMY, e.g. ("As", "Ap"); empty when not given.
        pathophysiology: Codes of PATHOPHYSIOLOGY, e.g. ("Pr", "Po"); empty when not given.
    """

    clinical: tuple[str, ...]
    symptomatic: bool | None = None
    etiology: str = ""
    anatomy: tuple[str, ...] = ()
    pathophysiology: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Refuse what CEAP does not allow; put each part in canonical order."""
        if not self.clinical:
            raise ValueError(f"Give at least one clinical class; {_CLASS_HELP}")
        for code in self.clinical:
            if code not in CLINICAL_CLASSES:
                raise ValueError(f'"{code}" is not a CEAP clinical class; {_CLASS_HELP}')
        _no_repeats(self.clinical, "give each clinical class once")
        if "C0" in self.clinical and len(self.clinical) > 1:
            raise ValueError("C0 (no signs of venous disease) cannot be combined with other clinical classes.")
        if self.etiology and self.etiology not in ETIOLOGIES:
            raise ValueError(f'"{self.etiology}" is not an etiology; {_ETIOLOGY_HELP}')
        for code in self.anatomy:
            if code not in ANATOMY:
                raise ValueError(f'"{code}" is not an anatomic location; {_ANATOMY_HELP}')
        _no_repeats(self.anatomy, _ANATOMY_TWICE)
        if "An" in self.anatomy and len(self.anatomy) > 1:
            raise ValueError("An (no venous location identified) cannot be combined with As, Ad or Ap.")
        for code in self.pathophysiology:
            if code not in PATHOPHYSIOLOGY:
                raise ValueError(f'"{code}" is not a pathophysiology; {_PATHO_HELP}')
        _no_repeats(self.pathophysiology, _PATHO_TWICE)
        if "Pn" in self.pathophysiology and len(self.pathophysiology) > 1:
            raise ValueError("Pn (no pathophysiology identified) cannot be combined with Pr or Po.")
        object.__setattr__(self, "clinical", tuple(sorted(self.clinical, key=_CLASS_ORDER.__getitem__)))
        object.__setattr__(self, "anatomy", tuple(sorted(self.anatomy, key=_ANATOMY_ORDER.__getitem__)))
        object.__setattr__(self, "pathophysiology", tuple(sorted(self.pathophysiology, key=_PATHO_ORDER.__getitem__)))

    @property
    def canonical(self) -> str:
        """The CEAP 2020 spelling, e.g. "C2,4a,S Ep As,p Pr"."""
        clinical = "C" + ",".join(code[1:] for code in self.clinical)
        if self.symptomatic is not None:
            clinical += ",S" if self.symptomatic else ",A"
        parts = [clinical]
        if self.etiology:
            parts.append(self.etiology)
        if self.anatomy:
            parts.append("A" + ",".join(code[1:] for code in self.anatomy))
        if self.pathophysiology:
            parts.append("P" + ",".join(code[1:] for code in self.pathophysiology))
        return " ".join(parts)

    def describe(self) -> str:
        """Plain words, e.g. "Varicose veins; pigmentation or eczema; symptomatic; primary; superficial veins"."""
        words = [CLINICAL_CLASSES[code] for code in self.clinical]
        words = [words[0]] + [_lower_first(text) for text in words[1:]]
        if self.symptomatic is not None:
            words.append("symptomatic" if self.symptomatic else "asymptomatic")
        if self.etiology:
            words.append(ETIOLOGIES[self.etiology])
        if self.anatomy == ("An",):
            words.append(ANATOMY["An"])
        elif self.anatomy:
            words.append(_and([ANATOMY[code] for code in self.anatomy]) + " veins")
        if self.pathophysiology:
            words.append(_and([PATHOPHYSIOLOGY[code] for code in self.pathophysiology]))
        return "; ".join(words)

    def __str__(self) -> str:
        return self.canonical


def parse_ceap(text: str) -> str | None:
    """The canonical form ("C2,4a,S Ep As Pr") of a CEAP classification, "" for empty input, None when not valid."""
    if not text.strip():
        return ""
    try:
        return parse_ceap_full(text).canonical
    except ValueError:
        return None


def parse_ceap_full(text: str) -> Ceap:
    """The classification written in text (read leniently, see the module's docstring).

    Raises:
        ValueError: with a message for the clinician naming the wrong part and what is allowed.
    """
    if not text.strip():
        raise ValueError(f"Enter the CEAP classification, for example {EXAMPLE}.")
    if len(text) > INPUT_MAX:
        raise ValueError(
            f"The text is longer than {INPUT_MAX} characters; write the classification alone, for example {EXAMPLE}."
        )
    items = _items(text)
    if not items:
        raise ValueError(f"Enter the CEAP classification, for example {EXAMPLE}.")
    ceap = _Reader(items).read()
    if len(ceap.canonical) > CEAP_MAX:  # pragma: no cover - no valid classification is this long
        raise ValueError(f"The classification is longer than {CEAP_MAX} characters once written out.")
    return ceap


def _items(text: str) -> list[str]:
    """The text cut into its items: "C2, 4a s Ep As,p" gives C2, 4a, s, Ep, As, p."""
    text = re.sub(r"\b([cC])\s+(?=\d)", r"\1", text.strip())  # "C 2" as typed before CEAP 2020 was read
    return [item for item in re.split(r"[\s,/]+", text) if item]


class _Reader:
    """Reads the items of one classification from left to right; each mistake raises its own message."""

    def __init__(self, items: list[str]) -> None:
        self.items = items
        self.classes: list[str] = []
        self.symptomatic: bool | None = None
        self.etiology = ""
        self.anatomy: list[str] = []
        self.pathophysiology: list[str] = []
        self.part = ""  # the part being read: "C", "S", "E", "A" or "P"
        self.done: set[str] = set()

    def read(self) -> Ceap:
        first = self.items[0]
        low = first.lower()
        if low in _CLASS_CODES:
            raise ValueError(f"Write the letter C before the clinical class, for example {_CLASS_CODES[low]}.")
        if low in _ETIOLOGY_CODES or re.fullmatch(r"a[sdpn]|p[ron]", low):
            raise ValueError(f'"{first}" comes before the clinical class; start with C0 to C6, for example {EXAMPLE}.')
        if not low.startswith("c") or not self._clinical(first):
            raise ValueError(f'"{first}" is not a CEAP clinical class; {_CLASS_HELP}')
        for item in self.items[1:]:
            self._item(item)
        return Ceap(
            clinical=tuple(self.classes),
            symptomatic=self.symptomatic,
            etiology=self.etiology,
            anatomy=tuple(self.anatomy),
            pathophysiology=tuple(self.pathophysiology),
        )

    def _item(self, item: str) -> None:
        low = item.lower()
        if self.part == "A" and low in ("s", "d", "p", "n"):
            _add(self.anatomy, "A" + low, _ANATOMY_TWICE)
        elif self.part == "P" and low in ("r", "o", "n"):
            _add(self.pathophysiology, "P" + low, _PATHO_TWICE)
        elif low in ("s", "a"):
            if self.part != "C":
                raise ValueError(f'"{item}" is out of place; {_SUFFIX_HELP}')
            self.symptomatic = low == "s"
            self._begin("S")
        elif low[:1].isdigit() or (low.startswith("c") and low[1:2].isdigit()):
            if self.part != "C":
                raise ValueError(
                    f'"{item}" comes after other parts; write all clinical classes first, for example C2,4a,S.'
                )
            if not self._clinical(item):
                raise ValueError(f'"{item}" is not a CEAP clinical class; {_CLASS_HELP}')
        elif low.startswith("e") and len(low) > 1:
            if low not in _ETIOLOGY_CODES:
                raise ValueError(f'"{item}" is not an etiology; {_ETIOLOGY_HELP}')
            if "E" in self.done:
                raise ValueError(f"Give one etiology only; {_ETIOLOGY_HELP}")
            self._begin("E")
            self.etiology = _ETIOLOGY_CODES[low]
        elif low.startswith("a") and len(low) == 2 and low[1] in "sdpn":
            if self.part != "A":
                self._begin("A")
            _add(self.anatomy, "A" + low[1], _ANATOMY_TWICE)
        elif low.startswith("p") and len(low) == 2 and low[1] in "ron":
            if self.part != "P":
                self._begin("P")
            _add(self.pathophysiology, "P" + low[1], _PATHO_TWICE)
        elif self.part == "A" or (low.startswith("a") and len(low) > 1):
            raise ValueError(
                f'"{item}" is not an anatomic location; {_ANATOMY_HELP} Named veins are not recorded in this field.'
            )
        elif self.part == "P" or (low.startswith("p") and len(low) > 1):
            raise ValueError(f'"{item}" is not a pathophysiology; {_PATHO_HELP}')
        else:
            raise ValueError(f'"{item}" is not part of a CEAP classification; write it as, for example, {EXAMPLE}.')

    def _clinical(self, item: str) -> bool:
        """Take one clinical class ("C2", "4a", or "C2rS" with its suffix); False when it is none."""
        low = item.lower()
        body = low[1:] if low.startswith("c") else low
        suffix = ""
        if body not in _CLASS_CODES and body[-1:] in ("s", "a") and body[:-1] in _CLASS_CODES:
            body, suffix = body[:-1], body[-1]
        if body not in _CLASS_CODES:
            return False
        code = _CLASS_CODES[body]
        if code in self.classes:
            raise ValueError(f'"{code}" is given twice; give each clinical class once.')
        self.classes.append(code)
        self.part = "C"
        if suffix:
            self.symptomatic = suffix == "s"
            self._begin("S")
        return True

    def _begin(self, part: str) -> None:
        """Start reading a part of the classification; each part comes once."""
        if part in self.done:
            name, example = _PARTS[part]
            raise ValueError(f"The {name} is given twice; write it once, for example {example}.")
        self.done.add(part)
        self.part = part


_PARTS = {
    "S": ("symptomatic or asymptomatic mark (S or A)", "C2,4a,S"),
    "E": ("etiology (E)", "Ep"),
    "A": ("anatomy (A)", "As,d,p"),
    "P": ("pathophysiology (P)", "Pr,o"),
}
_ANATOMY_TWICE = "give each anatomic location once, for example As,p"
_PATHO_TWICE = "give reflux and obstruction once each, for example Pr,o"


def _add(codes: list[str], code: str, advice: str) -> None:
    if code in codes:
        raise ValueError(f'"{code}" is given twice; {advice}.')
    codes.append(code)


def _no_repeats(codes: tuple[str, ...], advice: str) -> None:
    for code in codes:
        if codes.count(code) > 1:
            raise ValueError(f'"{code}" is given twice; {advice}.')


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _and(words: list[str]) -> str:
    """Words joined as in "superficial, deep and perforator"."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
