"""Japanese for the protect messages (English template → Japanese template; see kizashi.messages)."""

from __future__ import annotations

PROTECT: dict[str, str] = {}
