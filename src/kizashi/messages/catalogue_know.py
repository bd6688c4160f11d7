"""Japanese for the know messages (English template → Japanese template; see kizashi.messages)."""

from __future__ import annotations

KNOW: dict[str, str] = {}
