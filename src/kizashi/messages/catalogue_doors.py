"""Japanese for the messages of the doors and reports: cli, web, report (English template → Japanese template; see
kizashi.messages)."""

from __future__ import annotations

DOORS: dict[str, str] = {}
