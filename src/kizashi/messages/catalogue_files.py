"""Japanese for the files messages (English template → Japanese template; see kizashi.messages)."""

from __future__ import annotations

FILES: dict[str, str] = {
    "missing required column(s): {columns}": "必須の列がありません: {columns}",
    "file is empty (no data rows)": "ファイルが空です（データ行がありません）",
}
