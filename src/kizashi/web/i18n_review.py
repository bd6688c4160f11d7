"""The message table's words for the review pages (key → Japanese, English), merged into web.i18n.MESSAGES."""

from __future__ import annotations

REVIEW_MESSAGES: dict[str, tuple[str, str]] = {}
