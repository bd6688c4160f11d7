"""Japanese for the messages of the cyber threat-intelligence store, TLP and sharing groups (protect/cti) (English template → Japanese template; see kizashi.messages)."""

from __future__ import annotations

CTI: dict[str, str] = {}
