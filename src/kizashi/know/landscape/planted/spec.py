"""The specification of a planted corpus and what was planted (the answers a scan should find)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from kizashi.know.landscape.planted.data import COUNTRIES, Bools, Ints


@dataclass(frozen=True)
class PlantedSpec:
    works: int = 5_000
    seed: int = 7
    first_year: int = 2010
    last_year: int = 2024
    rise_years: int = 5  # the last years over which rising technologies grow and falling ones shrink
    rising_growth: float = 1.4  # yearly factor on a rising technology's share of the corpus
    falling_growth: float = 0.8
    corpus_growth: float = 1.03  # yearly growth of the whole corpus
    rising_share: float = 0.02  # a technology's share of the corpus before it rises
    flat_share: float = 0.05
    falling_share: float = 0.07  # before it falls
    double_share: float = 0.05  # works of a technology that also name a second technology
    japanese_share: float = 0.02  # works of a technology with a Japanese title naming it in Japanese
    no_abstract_share: float = 0.05  # works without an abstract (their title names the technology)
    international_share: float = 0.15  # chance that a co-author works in another country than the first author
    dominant_share: float = 0.6  # the dominant country's share of the dominated technology's works
    dominant_citations: float = 3.0  # how much more its works there are cited
    japan_share: float = 0.35  # Japan's share of the works of the technology it leads
    japan_citations: float = 2.0
    percentiles: bool = False  # add OpenAlex's citation_normalized_percentile (per year and technology)

    def validate(self) -> None:
        """Raise ValueError for a spec whose shares cannot be planted."""
        if self.works < 1:
            raise ValueError("works must be at least 1")
        if self.last_year - self.first_year < self.rise_years:
            raise ValueError("the years must span more than rise_years")
        for name in ("double_share", "japanese_share", "no_abstract_share", "international_share"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
        if not 0.0 < self.dominant_share < 1.0 or not 0.0 < self.japan_share < 1.0:
            raise ValueError("dominant_share and japan_share must be between 0 and 1")


@dataclass
class Truth:
    """What each work is, in the works' order (index i is work W{WORK_BASE + i}): for counts made independently."""

    year: Ints
    technology: Ints  # index into Planted.leaves; -1 for works of no technology
    second: Ints  # the second technology named, or -1
    japanese: Bools
    subtopic: Ints  # index into Planted.subtopic_names
    country: Ints  # the first author's country, index into Planted.country_codes
    cited_by_count: Ints


@dataclass
class Planted:
    spec: PlantedSpec
    taxonomy: list[dict[str, Any]]  # the entries of a taxonomy YAML (areas first, then leaves)
    rising: list[str]
    flat: list[str]
    falling: list[str]
    dominated: dict[str, str]  # technology id → the country planted to dominate its top-cited works
    japan_leads: str | None  # the technology where Japan has the largest share of works and of top-cited works
    japan_absent: str | None  # a technology with no Japanese author at all
    subtopics: dict[str, list[str]]  # sub-topic name → ids of its works ("https://openalex.org/W…"; see stored_id)
    subtopic_technology: dict[str, str | None]  # sub-topic name → its technology (None: works of no technology)
    subtopic_words: dict[str, list[str]]  # sub-topic name → its own vocabulary
    works_per_year: dict[str, dict[int, int]]  # taxonomy id (leaves and areas) → year → works naming it
    institutions: list[dict[str, Any]]  # OpenAlex dehydrated institutions (id, display_name, country_code, type)
    country_weights: dict[str, dict[str, float]]  # technology id → country → planted share of first authors
    truth: Truth = field(repr=False, compare=False)

    @property
    def leaves(self) -> list[str]:
        return [entry["id"] for entry in self.taxonomy if entry["parent"] is not None]

    @property
    def subtopic_names(self) -> list[str]:
        return list(self.subtopics)

    @property
    def country_codes(self) -> list[str]:
        return list(COUNTRIES)

    def answers(self) -> dict[str, Any]:
        """The planted answers as JSON-ready data (without the per-work truth)."""
        return {
            "spec": asdict(self.spec),
            "rising": self.rising,
            "flat": self.flat,
            "falling": self.falling,
            "dominated": self.dominated,
            "japan_leads": self.japan_leads,
            "japan_absent": self.japan_absent,
            "subtopics": self.subtopics,
            "subtopic_technology": self.subtopic_technology,
            "works_per_year": {
                tech: {str(y): n for y, n in years.items()} for tech, years in self.works_per_year.items()
            },
            "country_weights": self.country_weights,
        }


def stored_id(work_id: str) -> str:
    """The id kizashi stores a work under, as the scan's tables name it: `https://openalex.org/W1` → `openalex:W1`."""
    return "openalex:" + work_id.rpartition("/")[2]
