"""The overall risk level of a project's risk card, from its findings, by rules kept as data.

A finding is one fact the card found (its technology is listed, a partner is a confirmed match, someone has not
answered the deemed-export questionnaire, a section has no data ...). A rule names the findings it needs, all of them,
and the level it sets; the card's level is the highest level of the rules that apply (low when none does), and the
rules that applied are its reasons. Rules only ever *require* findings, so a card with more findings can never come
out lower: finding something worse never makes a project look safer.

Missing data counts: a section without data or decisions sets at least "medium", because "nothing known" is not
"nothing wrong".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

LEVELS = ("low", "medium", "high", "blocked")
_RANK = {level: rank for rank, level in enumerate(LEVELS)}

# Every finding a card can report, with what it means (English; the report templates carry the Japanese).
FINDINGS: dict[str, str] = {
    "technology_listed": "the latest control-list decision says the technology is listed",
    "technology_undecided": "no control-list decision (該非判定) has been recorded",
    "partner_true_match": "a partner was confirmed as a match on a screening list",
    "partner_alert": "a partner has an unresolved screening alert",
    "partner_escalated": "a partner's screening alert was escalated and awaits a decision",
    "partners_not_screened": "some partners have not been screened against the lists",
    "partners_unknown": "the project names no organisation or person to screen",
    "release_unsubmitted": "the project has never been submitted for release review",
    "release_pending": "the release review is open: not yet approved or withheld",
    "release_withheld": "the release review withheld the results",
    "deemed_licence_check": "someone on the project falls in a deemed-export category (licence check)",
    "deemed_unanswered": "someone on the project has not answered the deemed-export questionnaire",
    "deemed_nobody": "nobody is recorded on the project for the deemed-export questionnaire",
    "access_unmanaged": "the workspace has no users: anyone holding its files reads everything",
    "release_unapprovable": "nobody who may read the project can approve its open release review",
}


@dataclass(frozen=True)
class RiskRule:
    """Sets `level` when every finding in `when` is present."""

    name: str
    when: frozenset[str]
    level: str
    why: str
    why_ja: str = ""

    def __post_init__(self) -> None:
        if self.level not in _RANK:
            raise ValueError(f"rule {self.name}: unknown level {self.level!r}; use one of {', '.join(LEVELS)}")
        unknown = self.when - set(FINDINGS)
        if unknown or not self.when:
            raise ValueError(f"rule {self.name}: unknown or no findings {sorted(unknown)}")

    def applies(self, findings: frozenset[str]) -> bool:
        return self.when <= findings


def _rule(name: str, level: str, why: str, why_ja: str, *when: str) -> RiskRule:
    return RiskRule(name, frozenset(when), level, why, why_ja)


RULES: tuple[RiskRule, ...] = (
    _rule(
        "listed-technology-to-a-listed-party",
        "blocked",
        "controlled technology and a partner confirmed on a list: stop until a licence is granted or the partner goes",
        "規制該当技術かつ懸念リスト該当の取引先：許可取得または取引先の変更まで停止",
        "technology_listed",
        "partner_true_match",
    ),
    _rule(
        "confirmed-match",
        "high",
        "a partner is confirmed on a screening list",
        "取引先が懸念リストに該当",
        "partner_true_match",
    ),
    _rule("open-alert", "high", "a screening alert is not resolved", "照合アラートが未判断", "partner_alert"),
    _rule(
        "escalated",
        "high",
        "a screening alert was escalated and is not decided",
        "エスカレーション中のアラートが未決",
        "partner_escalated",
    ),
    _rule(
        "listed-technology-to-a-deemed-exporter",
        "high",
        "controlled technology and a person in a deemed-export category: a licence is needed before they receive it",
        "規制該当技術かつ特定類型該当者：技術提供の前に許可が必要",
        "technology_listed",
        "deemed_licence_check",
    ),
    _rule(
        "listed-technology", "medium", "the technology is on a control list", "規制リスト該当技術", "technology_listed"
    ),
    _rule(
        "deemed-export-category",
        "medium",
        "a person falls in a deemed-export category",
        "特定類型に該当する参加者がいる",
        "deemed_licence_check",
    ),
    _rule("undecided-technology", "medium", "no control-list decision yet", "該非判定が未了", "technology_undecided"),
    _rule("unscreened-partners", "medium", "partners not screened", "取引先の照合が未実施", "partners_not_screened"),
    _rule(
        "unknown-partners", "medium", "no partners named to screen", "照合する取引先の記録がない", "partners_unknown"
    ),
    _rule(
        "no-release-review",
        "medium",
        "never submitted for release review",
        "成果公表審査が未申請",
        "release_unsubmitted",
    ),
    _rule(
        "open-release-review", "medium", "the release review is not decided", "成果公表審査が未決", "release_pending"
    ),
    _rule(
        "unanswered-questionnaire",
        "medium",
        "deemed-export answers missing",
        "みなし輸出の確認に未回答者がいる",
        "deemed_unanswered",
    ),
    _rule(
        "nobody-on-record",
        "medium",
        "nobody recorded for the deemed-export questionnaire",
        "みなし輸出の確認の対象者が未記録",
        "deemed_nobody",
    ),
    _rule(
        "unapprovable-release-review",
        "medium",
        "nobody who may read the project can approve its release review",
        "成果公表審査を承認できる者がいない",
        "release_unapprovable",
    ),
    _rule(
        "unmanaged-access",
        "medium",
        "no access control: the workspace has no users",
        "利用者管理がない",
        "access_unmanaged",
    ),
)


@dataclass(frozen=True)
class Assessment:
    level: str
    reasons: tuple[RiskRule, ...]


def assess(findings: Iterable[str], rules: tuple[RiskRule, ...] = RULES) -> Assessment:
    """The highest level among the rules whose findings are all present ("low" when none applies), and those rules,
    highest first."""
    present = frozenset(findings)
    unknown = present - set(FINDINGS)
    if unknown:
        raise ValueError(f"unknown findings {sorted(unknown)}; use {', '.join(FINDINGS)}")
    applied = sorted((rule for rule in rules if rule.applies(present)), key=lambda rule: -_RANK[rule.level])
    return Assessment(applied[0].level if applied else LEVELS[0], tuple(applied))


def rank(level: str) -> int:
    return _RANK[level]
