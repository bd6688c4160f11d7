"""The message table's words for the screening pages (key → Japanese, English), merged into web.i18n.MESSAGES."""

from __future__ import annotations

SCREENING_MESSAGES: dict[str, tuple[str, str]] = {}
