"""The message table's words for the dashboard pages (key → Japanese, English), merged into web.i18n.MESSAGES."""

from __future__ import annotations

DASHBOARD_MESSAGES: dict[str, tuple[str, str]] = {}
