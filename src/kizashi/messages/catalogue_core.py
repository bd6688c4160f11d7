"""Japanese for the core messages (English template → Japanese template; see kizashi.messages)."""

from __future__ import annotations

CORE: dict[str, str] = {
    "row {row}": "{row} 行目",
    "field '{field}'": "項目「{field}」",
}
