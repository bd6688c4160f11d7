"""Japanese for the messages of the programme portfolio, stage gates and barriers (grow) (English template → Japanese template; see kizashi.messages)."""

from __future__ import annotations

PORTFOLIO: dict[str, str] = {}
