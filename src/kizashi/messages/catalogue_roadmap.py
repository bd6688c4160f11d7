"""Japanese for the messages of goals and roadmaps (grow) (English template → Japanese template; see kizashi.messages)."""

from __future__ import annotations

ROADMAP: dict[str, str] = {}
