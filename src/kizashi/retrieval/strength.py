"""A proposal's strength in words a workshop reads, from how many of the matcher's channels agree on it, and from the
analysts' judgement of the pair when there is one.

A fused score (0.0143–0.0241) says nothing to a reader; "two of the three ways kizashi reads this need put the
project in their top ten" does. The rule is fixed, not tuned: `benchmarks/match_quality.py` prints how often the
proposals of each band are relevant on both evaluation sets, which is what the words promise.
"""

from __future__ import annotations

from collections.abc import Mapping

STRENGTHS = ("strong", "possible", "weak")
# In Japanese and English: the web pages' message table and the workshop handout take them from here.
STRENGTH_WORDS: dict[str, tuple[str, str]] = {"strong": ("有力", "strong"), "possible": ("候補", "possible"),
                                               "weak": ("弱い", "weak")}  # fmt: skip
AGREE_TOP = 10  # a channel agrees when it ranks the seed this high


def strength(channels: Mapping[str, int], ran: int) -> tuple[str, float]:
    """(word, agreement): agreement is the share of the channels that ranked seeds for the need (`ran`) which put
    this one in their top AGREE_TOP. Strong: at least two channels and two thirds of them agree; possible: one agrees;
    weak: none does (the seed was fused up from deeper ranks)."""
    agreeing = sum(1 for rank in channels.values() if rank <= AGREE_TOP)
    agreement = agreeing / ran if ran else 0.0
    if agreeing >= 2 and agreement >= 2 / 3:
        return "strong", agreement
    return ("possible" if agreeing else "weak"), agreement


def judged(word: str, decision: str | None) -> tuple[str, bool]:
    """(word, whether an analyst's judgement set it): a person who read both texts knows better than the channels,
    so an accepted pair is strong and a rejected one weak, whatever the channels said; "later" and no judgement
    leave the channels' word."""
    if decision == "accept":
        return "strong", True
    if decision == "reject":
        return "weak", True
    return word, False
