"""What made a control-list candidate, in words, Japanese and English: the message table of the candidates' levels
and kinds of evidence (the web pages take these words under the keys `controls_<key>`, web/i18n.py), and the one
line a risk card, a worksheet or a command shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# key → (Japanese, English)
WORDS: dict[str, tuple[str, str]] = {
    "level_check": ("要確認（審査者が確認すべき候補）", "Check: a candidate a reviewer should check"),
    "level_ask": ("参考（根拠が弱いため人が判断）", "Ask a human: weak evidence"),
    "basis_phrase": ("項目の技術用語（複数語）が一致", "a technical phrase of the item matches"),
    "basis_term": ("項目名の専門用語が一致", "a rare term of the item's title matches"),
    "basis_translation": (
        "訳語を介して項目名の専門用語が一致",
        "a rare term of the item's title matches through a translation",
    ),
    "basis_parameter": ("仕様値が規制値に該当", "a stated value meets the item's threshold"),
    "basis_none": (
        "特定の根拠なし（一般的な語や分野の一致のみ）",
        "no specific evidence (only common words or the same field)",
    ),
    "score_is": ("確からしさ", "probability right"),
    "other_terms": ("その他の一致語", "other shared terms"),
}
BASES = ("phrase", "term", "translation", "parameter")


def word(key: str, language: str) -> str:
    japanese, english = WORDS[key]
    return japanese if language == "ja" else english


def why(evidence: Mapping[str, Any], score: float, language: str) -> str:
    """One line: the level, the probability, then each kind of specific evidence with what matched, or that there
    is none; then the other shared terms. E.g. "Check: a candidate a reviewer should check (probability right
    0.82); a technical phrase of the item matches: phased array; a stated value meets the item's threshold:
    10.5 GHz vs above 10.5 GHz (5A991.f)"."""
    parts = [f"{word('level_' + evidence['level'], language)} ({word('score_is', language)} {score:.2f})"]
    basis = evidence["basis"]
    if not basis:
        parts.append(word("basis_none", language))
    if "phrase" in basis:
        shown = [" ".join(p["technology"]) for p in evidence["phrases"]]
        parts.append(f"{word('basis_phrase', language)}: {', '.join(shown)}")
    for kind in ("term", "translation"):
        if kind in basis:
            shown = [_pair(t) for t in _specific(evidence, kind)]
            parts.append(f"{word('basis_' + kind, language)}: {', '.join(shown)}")
    if "parameter" in basis:
        shown = [f"{p['technology']} vs {p['item']} ({p['item_code']})" for p in evidence["parameters"] if p["within"]]
        parts.append(f"{word('basis_parameter', language)}: {', '.join(shown)}")
    others = [t["technology"] for t in evidence["terms"] if not t["specific"]]
    if others:
        parts.append(f"{word('other_terms', language)}: {', '.join(others)}")
    return "; ".join(parts)


def why_both(evidence: Mapping[str, Any], score: float) -> str:
    """Japanese, then English (a bilingual risk card, an officer's worksheet)."""
    return f"{why(evidence, score, 'ja')} / {why(evidence, score, 'en')}"


def _specific(evidence: Mapping[str, Any], kind: str) -> list[dict[str, Any]]:
    if kind == "term":
        return [t for t in evidence["terms"] if t["specific"]]
    return [t for t in evidence["translations"] if t.get("specific")]


def _pair(entry: Mapping[str, Any]) -> str:
    if "ja" in entry:
        return f"{entry['ja']}→{entry['en']}"
    return entry["technology"] if entry["technology"] == entry["item"] else f"{entry['technology']}={entry['item']}"
