"""Japanese for the messages of the STIX 2.1, ATT&CK and KEV readers (ingest/stix.py, ingest/kev.py)."""

from __future__ import annotations

STIX: dict[str, str] = {}
