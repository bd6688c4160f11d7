"""What the official lists are, in Japanese and English, for every place that names one (pages, the risk card,
the demo report, `screen lists`). A list kizashi does not know is shown by the name it was loaded under.

The bundled Japanese lists are the designations under Japan's export ban (the MOFA notices METI publishes for third
countries and for Belarus), not METI's End User List (外国ユーザーリスト): their titles say so.
"""

from __future__ import annotations

# Stored name → (Japanese, English).
LIST_TITLES: dict[str, tuple[str, str]] = {
    "METI export ban lists": (
        "輸出禁止措置の対象者（第三国・ベラルーシ、外務省告示）",
        "Japan's export-ban designations (third countries and Belarus, MOFA notices)",
    ),
    "METI third_countries": (
        "輸出禁止措置の対象者：第三国（令和5年外務省告示第447号）",
        "Japan's export ban: third-country entities (MOFA Notice No. 447 of 2023)",
    ),
    "METI belarus": (
        "輸出禁止措置の対象者：ベラルーシ（令和4年外務省告示第104号）",
        "Japan's export ban: Belarusian entities (MOFA Notice No. 104 of 2022)",
    ),
    "UN SC Consolidated": ("国連安全保障理事会 統合制裁リスト", "UN Security Council Consolidated List"),
    "OFAC SDN": ("米国財務省 OFAC 特別指定国民（SDN）リスト", "OFAC Specially Designated Nationals (SDN) List"),
    "OFAC Consolidated (non-SDN)": (
        "米国財務省 OFAC 統合制裁リスト（SDN 以外）",
        "OFAC Consolidated Sanctions List (non-SDN)",
    ),
}

# Names an earlier kizashi stored; migration 0013 renames them in a workspace.
RENAMED = {"METI end-user lists": "METI export ban lists"}


def list_title(name: str, language: str = "ja") -> str:
    """The list's title in `language` (ja or en), or its stored name when kizashi does not know the list."""
    titles = LIST_TITLES.get(RENAMED.get(name, name))
    if titles is None:
        return name
    return titles[0] if language == "ja" else titles[1]
