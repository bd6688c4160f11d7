"""What the matcher reads and what it proposes: a `Statement` (a need, a seed, a work, a control item) and a
`Proposal` (one seed for one need, ranked and scored, with its evidence)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kizashi.policy.labels import Label


@dataclass(frozen=True)
class Statement:
    """A need or a seed as the matcher sees it."""

    id: str
    title: str
    description: str = ""
    lang: str | None = None
    label: Label | None = None  # set when it comes from a workspace: a proposal is labelled by its need and seed

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.description}" if self.description else self.title

    @classmethod
    def of(cls, record: Mapping[str, Any], *, key: str | None = None) -> Statement:
        """A stored record as the matcher reads it, with its label: a need's or seed's title and description, a work's
        title and abstract, a taxonomy entry's names, synonyms and descriptions in both languages (so it meets texts
        in either). `key` is the statement's id where it differs from the record's (`works/ID` in an index of several
        kinds)."""
        label = Label.of(record) if "level" in record else None
        if "name_ja" in record and "title" not in record:
            names = [record.get("name_ja") or "", record.get("name_en") or ""]
            words = [*(record.get("synonyms_ja") or []), *(record.get("synonyms_en") or [])]
            text = "\n".join(p for p in [record.get("description_ja"), record.get("description_en"), *words] if p)
            return cls(key or str(record["id"]), " / ".join(n for n in names if n), text, None, label)
        text = record.get("description") or record.get("abstract") or ""
        lang = record.get("lang") or record.get("language")
        return cls(key or str(record["id"]), str(record.get("title") or ""), str(text), lang, label)


@dataclass(frozen=True)
class Proposal:
    need_id: str
    seed_id: str
    rank: int
    score: float | None  # None: not shown (a stored run's, to a reader: know/match_runs.py)
    evidence: dict[str, Any]
