"""The demo clinic's course parts: lots with their expiry, VCSS, visits rating every treated region, photos.

The photos are pictures drawn here and prepared once like a real photo (no metadata, a thumbnail).
"""

from __future__ import annotations

import datetime as dt
import io
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from sclerochart.domain.follow_up import VISIT_SIGNATURE_MEANING
from sclerochart.domain.photos import PreparedPhoto
from sclerochart.domain.values import Complication
from sclerochart.domain.vcss import VCSS_KEYS
from sclerochart.services.photo_files import prepare_photo

PHOTO_EVERY = 100
"""One patient in this many gets photos: a before photo at the first session and an after photo at a visit."""


@dataclass(frozen=True)
class DemoVisit:
    """A visit's rows: the visit, its ratings and its complications."""

    header: dict[str, Any]
    clearances: list[tuple[str, str, int]]
    """(visit, region, cleared percent) of each rating."""
    complications: list[dict[str, Any]]


@cache
def _pictures() -> tuple[PreparedPhoto, ...]:
    """Three pictures of a leg with spider veins, drawn and prepared once per run."""
    from PIL import Image, ImageDraw

    prepared = []
    for seed in range(3):
        rng = random.Random(seed)
        image = Image.new("RGB", (900, 1200), (236, 236, 232))
        draw = ImageDraw.Draw(image)
        draw.rounded_rectangle((300, 40, 600, 1160), radius=140, fill=(226, 186, 164))
        for _ in range(30):
            x, y = rng.randint(330, 570), rng.randint(120, 1100)
            draw.line((x, y, x + rng.randint(-60, 60), y + rng.randint(-80, 80)), fill=(160, 50, 80), width=2)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=80)
        prepared.append(prepare_photo(out.getvalue(), f"leg-{seed + 1}.jpg"))
    return tuple(prepared)


class CourseParts:
    """Makes the course rows of the demo with the generator's random source (so a seed gives the same clinic)."""

    def __init__(self, rng: random.Random, new_id: Callable[[random.Random], str]) -> None:
        self.rng = rng
        self.new_id = new_id

    def vcss(self) -> dict[str, int]:
        """A light score, as for telangiectasia and reticular veins: mostly 0 and 1, the ulcer items 0."""
        rng = self.rng
        scores = {key: 0 for key in VCSS_KEYS}
        for key in ("pain", "varicose_veins", "oedema", "pigmentation", "compression"):
            if rng.random() < 0.4:
                scores[key] = rng.choice((1, 1, 2))
        return scores

    def lot(self, session_id: str, agent_id: int, agent_code: str, started: dt.datetime) -> dict[str, Any]:
        """The session's lot of its agent: one of a few lots a month (so a recall finds several patients)."""
        rng = self.rng
        return {
            "session_id": session_id,
            "agent_id": agent_id,
            "lot_number": f"{agent_code[:3].upper()}{started:%y%m}{rng.choice('ABC')}",
            "expires_on": (started + dt.timedelta(days=rng.randint(180, 720))).date(),
            "expiry_reason": "",
            "version": 1,
        }

    def visit(
        self,
        patient_id: str,
        examined: dt.date,
        regions: Iterable[str],
        practitioner_id: int,
        practitioner_name: str,
        scored: bool,
    ) -> DemoVisit:
        """A signed follow-up visit rating each region treated (`regions`), sometimes with a complication."""
        rng = self.rng
        visit_id = self.new_id(rng)
        regions = sorted(set(regions))
        clearances = [(visit_id, region, rng.choice((25, 50, 50, 75, 75, 100))) for region in regions]
        complications = []
        if rng.random() < 0.08:
            region = rng.choice(regions)
            kind = rng.choice((Complication.HYPERPIGMENTATION, Complication.MATTING, Complication.TRAPPED_BLOOD))
            complications.append(
                {
                    "visit_id": visit_id,
                    "kind": kind.value,
                    "side": region.split(".")[0],
                    "region": region,
                    "severity": rng.choice(("mild", "mild", "moderate")),
                    "action": "",
                    "resolved": rng.random() < 0.5,
                }
            )
        signed_at = dt.datetime.combine(examined, dt.time(12, 0))
        header = {
            "id": visit_id,
            "patient_id": patient_id,
            "practitioner_id": practitioner_id,
            "examined_on": examined,
            "notes": "",
            "ceap_right": "",
            "ceap_left": "",
            "vcss_right": self.vcss() if scored else None,
            "vcss_left": self.vcss() if scored else None,
            "state": "draft",
            "signed_at": signed_at,
            "signed_by": practitioner_name,
            "signer_id": practitioner_id,
            "signature_meaning": VISIT_SIGNATURE_MEANING,
            "created_at": signed_at,
            "updated_at": signed_at,
            "version": 1,
        }
        return DemoVisit(header, clearances, complications)

    def photo(
        self, patient_id: str, when: dt.datetime, *, session_id: str | None = None, visit_id: str | None = None
    ) -> dict[str, Any]:
        """A photo row of the anterior view, for a session (before) or a visit (after)."""
        picture = self.rng.choice(_pictures())
        return {
            "id": self.new_id(self.rng),
            "patient_id": patient_id,
            "session_id": session_id,
            "visit_id": visit_id,
            "view": "anterior",
            "region": "",
            "taken_at": when,
            "added_at": when,
            "added_by": "demo",
            "original_name": picture.original_name,
            "mime": picture.mime,
            "width": picture.width,
            "height": picture.height,
            "sha256": picture.sha256,
            "data": picture.data,
            "thumbnail": picture.thumbnail,
            "version": 1,
        }
