"""The audit trail as a chain: each event's hash covers its content and the hash of the event before it.

Changing or removing any event (even with the database's own tools, past the triggers) breaks the chain at
that point, and `sclerochart check` names the first broken link.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

GENESIS = ""
"""The "previous hash" of the first event."""


def event_hash(
    previous: str,
    at: dt.datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    origin: str,
    room: str,
    before: Any,
    after: Any,
) -> str:
    """SHA-256 (hex) over the event's content and the previous event's hash, in one canonical JSON text."""
    payload = json.dumps(
        [previous, at.isoformat(), actor, action, entity, entity_id, origin, room, before, after],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
