"""Japanese for the messages of correlating observations with indicators (protect/cti/correlate*) (English template → Japanese template; see kizashi.messages)."""

from __future__ import annotations

SIGHTINGS: dict[str, str] = {}
