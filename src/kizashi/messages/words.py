"""The words of the enum values a user reads, one table for every door: a role, a label level, a release review's
state and funding, a risk card's overall level. The store keeps the English identifiers (`principal_investigator`,
`CONFIDENTIAL`, `under_review`); the pages (web/i18n.py MESSAGES as `role_<id>`, …), the risk card and its next steps
say these words for them.
"""

from __future__ import annotations

from kizashi.messages import Words

ROLES: dict[str, Words] = {
    "admin": Words("管理者", "Administrator"),
    "analyst": Words("分析担当", "Analyst"),
    "principal_investigator": Words("研究代表者", "Principal investigator"),
    "programme_manager": Words("プログラムマネージャー", "Programme manager"),
    "security_officer": Words("安全保障輸出管理責任者", "Security officer"),
}
# Label levels (and clearances), in the vocabulary of ingest/records.py's Japanese aliases; English keeps the
# markings as they are written.
LEVELS: dict[str, Words] = {
    "PUBLIC": Words("公開", "PUBLIC"),
    "INTERNAL": Words("部内限り", "INTERNAL"),
    "CONFIDENTIAL": Words("秘", "CONFIDENTIAL"),
    "SECRET": Words("極秘", "SECRET"),
}
# A release review's states (protect/release/machine.py).
STATES: dict[str, Words] = {
    "draft": Words("下書き", "Draft"),
    "submitted": Words("申請済", "Submitted"),
    "under_review": Words("審査中", "Under review"),
    "approved": Words("承認", "Approved"),
    "approved_with_changes": Words("修正付き承認", "Approved with changes"),
    "withheld": Words("公表不可", "Withheld"),
}
# How a project under release review is funded (protect/release/routing.py).
FUNDING: dict[str, Words] = {
    "government": Words("公的資金", "Government-funded"),
    "private": Words("民間資金", "Private"),
    "mixed": Words("公的・民間の混合", "Mixed"),
}
# A risk card's overall level (protect/risk_card.py).
RISK_LEVELS: dict[str, Words] = {
    "low": Words("低", "Low"),
    "medium": Words("中", "Medium"),
    "high": Words("高", "High"),
    "blocked": Words("停止", "Blocked"),
}


def pairs(prefix: str, table: dict[str, Words]) -> dict[str, tuple[str, str]]:
    """A table as the pages' message entries: `role_analyst` → (Japanese, English)."""
    return {f"{prefix}_{key}": (word.ja, str(word)) for key, word in table.items()}
