"""Deterministic generator of OpenAlex-shaped Works records (the API / snapshot JSON), for ingest benchmarks.

Each record has the fields and nesting of a real OpenAlex work (ids, primary_location.source, open_access,
authorships with institutions, country codes, raw affiliation strings, topics with subfield/field/domain, keywords,
concepts, SDGs, grants, locations, best_oa_location, referenced_works, related_works, counts_by_year,
citation_normalized_percentile, abstract_inverted_index, ...). Sizes follow real records: ~1-20 authors, 30-70
references, ~150-250 abstract words, 8-20 concepts, up to 14 years of counts; a record is ~7-12 KB of JSON.

Vocabulary (title and abstract words, institutions with their countries and RORs, journals, author names, concepts,
topics, keywords, funders, affiliation strings) comes from the real flattened OpenAlex sample in
`../shared/data/openalex-sample/` when it is there; otherwise from a small built-in list, so the generator runs anywhere.
The same seed and the same vocabulary give the same file, byte for byte.

    python benchmarks/openalex_generator.py --n 100000 --out works.jsonl.gz --gzip
"""

from __future__ import annotations

import argparse
import ast
import bisect
import csv
import gc
import gzip
import itertools
import os
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson

SAMPLE = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "openalex-sample" / "openalex_works_bibliometrics_613.csv"
)
OA = "https://openalex.org/"
CHUNK = 2000  # records per write
LAST_YEAR = 2025
SHARED_INSTITUTION = 0.8  # chance that an author's institution is one already on the paper

# ── vocabulary ──────────────────────────────────────────────────────────────────────────────────────────────


@dataclass
class Vocabulary:
    """Pools the generator draws from. `source` says where they came from ("sample" or "built-in")."""

    source: str
    abstract_tokens: list[str]  # real abstract text as one token stream (segments are drawn from it)
    title_tokens: list[str]
    first_names: list[str]
    last_names: list[str]
    institutions: list[dict[str, Any]]  # OpenAlex dehydrated institutions (id, display_name, ror, country_code, ...)
    affiliations: dict[str, list[str]]  # institution id → raw affiliation strings seen for it
    sources: list[dict[str, Any]]  # dehydrated sources (journals)
    concepts: list[dict[str, Any]]  # id, wikidata, display_name, level
    topics: list[dict[str, Any]]  # id, display_name, subfield, field, domain
    keywords: list[dict[str, Any]]  # id, display_name
    funders: list[dict[str, Any]]  # funder, funder_display_name
    sdgs: list[dict[str, Any]]  # id, display_name
    extra: dict[str, Any] = field(default_factory=dict)


def load_vocabulary(sample: Path | None = SAMPLE) -> Vocabulary:
    """Vocabulary from the real OpenAlex sample when it exists, else the built-in fallback."""
    if sample is not None and sample.is_file():
        try:
            return _sample_vocabulary(sample)
        except (OSError, ValueError, KeyError, csv.Error) as exc:
            print(f"note: cannot use {sample} ({exc}); using the built-in vocabulary", file=sys.stderr)
    return _builtin_vocabulary()


def _cells(row: dict[str, str], column: str) -> list[str]:
    text = (row.get(column) or "").strip()
    return [item.strip() for item in text.split("|")] if text else []


def _present(value: str) -> bool:
    return value not in ("", "None", "nan")


def _repr_dicts(cell: str) -> list[dict[str, Any]]:
    """The `|`-joined Python-repr dicts of a flattened column (`{'id': ...}|{'id': ...}`)."""
    cell = cell.strip()
    if not cell:
        return []
    pieces = cell.replace("}|{", "}\x00{").split("\x00")
    parsed = []
    for piece in pieces:
        try:
            value = ast.literal_eval(piece)
        except (ValueError, SyntaxError):
            continue
        if isinstance(value, dict):
            parsed.append(value)
    return parsed


def _sample_vocabulary(path: Path) -> Vocabulary:
    csv.field_size_limit(64 * 1024 * 1024)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    abstract_tokens: list[str] = []
    title_tokens: list[str] = []
    first_names: dict[str, None] = {}
    last_names: dict[str, None] = {}
    institutions: dict[str, dict[str, Any]] = {}
    affiliations: dict[str, dict[str, None]] = {}
    sources: dict[str, dict[str, Any]] = {}
    concepts: dict[str, dict[str, Any]] = {}
    topics: dict[str, dict[str, Any]] = {}
    keywords: dict[str, dict[str, Any]] = {}
    funders: dict[str, dict[str, Any]] = {}
    sdgs: dict[str, dict[str, Any]] = {}
    for row in rows:
        abstract_tokens.extend(row.get("abstract", "").split())
        title_tokens.extend(row.get("title", "").split())
        for name in _cells(row, "authorships.author.display_name"):
            parts = name.split()
            if len(parts) >= 2:
                first_names[" ".join(parts[:-1])] = None
                last_names[parts[-1]] = None
        for institution in _repr_dicts(row.get("authorships.institutions", "")):
            if institution.get("id") and institution.get("display_name"):
                institutions.setdefault(institution["id"], institution)
        for affiliation in _repr_dicts(row.get("authorships.affiliations", "")):
            text = affiliation.get("raw_affiliation_string")
            for institution_id in affiliation.get("institution_ids") or []:
                if text:
                    affiliations.setdefault(institution_id, {})[text] = None
        source_id = row.get("primary_location.source.id", "").strip()
        if _present(source_id) and source_id not in sources:
            sources[source_id] = _sample_source(row)
        ids = _cells(row, "concepts.id")
        wikidata = _cells(row, "concepts.wikidata")
        names = _cells(row, "concepts.display_name")
        levels = _cells(row, "concepts.level")
        if len(ids) == len(wikidata) == len(names) == len(levels):
            for concept_id, wiki, name, level in zip(ids, wikidata, names, levels, strict=True):
                concepts.setdefault(
                    concept_id, {"id": concept_id, "wikidata": wiki, "display_name": name, "level": int(level)}
                )
        columns = [
            _cells(row, f"topics.{key}")
            for key in (
                "id",
                "display_name",
                "subfield.id",
                "subfield.display_name",
                "field.id",
                "field.display_name",
                "domain.id",
                "domain.display_name",
            )
        ]
        if columns[0] and all(len(column) == len(columns[0]) for column in columns):
            for topic_id, name, sub_id, sub_name, field_id, field_name, dom_id, dom_name in zip(*columns, strict=True):
                topics.setdefault(
                    topic_id,
                    {
                        "id": topic_id,
                        "display_name": name,
                        "subfield": {"id": sub_id, "display_name": sub_name},
                        "field": {"id": field_id, "display_name": field_name},
                        "domain": {"id": dom_id, "display_name": dom_name},
                    },
                )
        keyword_ids, keyword_names = _cells(row, "keywords.id"), _cells(row, "keywords.display_name")
        if len(keyword_ids) == len(keyword_names):
            for keyword_id, name in zip(keyword_ids, keyword_names, strict=True):
                keywords.setdefault(keyword_id, {"id": keyword_id, "display_name": name})
        funder_ids, funder_names = _cells(row, "grants.funder"), _cells(row, "grants.funder_display_name")
        if len(funder_ids) == len(funder_names):
            for funder_id, name in zip(funder_ids, funder_names, strict=True):
                funders.setdefault(funder_id, {"funder": funder_id, "funder_display_name": name})
        sdg_ids, sdg_names = (
            _cells(row, "sustainable_development_goals.id"),
            _cells(row, "sustainable_development_goals.display_name"),
        )
        if len(sdg_ids) == len(sdg_names):
            for sdg_id, name in zip(sdg_ids, sdg_names, strict=True):
                sdgs.setdefault(sdg_id, {"id": sdg_id, "display_name": name})
    builtin = _builtin_vocabulary()
    if len(abstract_tokens) < 1000 or not institutions or not sources:
        raise ValueError("the sample has too little text or no institutions/sources")
    return Vocabulary(
        source=f"sample ({path.name}, {len(rows)} works)",
        abstract_tokens=abstract_tokens,
        title_tokens=title_tokens or builtin.title_tokens,
        first_names=list(first_names) or builtin.first_names,
        last_names=list(last_names) or builtin.last_names,
        institutions=list(institutions.values()),
        affiliations={key: list(value) for key, value in affiliations.items()},
        sources=list(sources.values()),
        concepts=list(concepts.values()) or builtin.concepts,
        topics=list(topics.values()) or builtin.topics,
        keywords=list(keywords.values()) or builtin.keywords,
        funders=list(funders.values()) or builtin.funders,
        sdgs=list(sdgs.values()) or builtin.sdgs,
    )


def _sample_source(row: dict[str, str]) -> dict[str, Any]:
    def cell(key: str) -> str | None:
        value = row.get(f"primary_location.source.{key}", "").strip()
        return value if _present(value) else None

    def flag(key: str) -> bool:
        return cell(key) == "True"

    return {
        "id": cell("id"),
        "display_name": cell("display_name") or "Unknown source",
        "issn_l": cell("issn_l"),
        "issn": _cells(row, "primary_location.source.issn") or None,
        "is_oa": flag("is_oa"),
        "is_in_doaj": flag("is_in_doaj"),
        "is_indexed_in_scopus": flag("is_indexed_in_scopus"),
        "is_core": flag("is_core"),
        "host_organization": cell("host_organization"),
        "host_organization_name": cell("host_organization_name"),
        "host_organization_lineage": _cells(row, "primary_location.source.host_organization_lineage"),
        "host_organization_lineage_names": _cells(row, "primary_location.source.host_organization_lineage_names"),
        "type": cell("type") or "journal",
    }


_BUILTIN_TEXT = """
We propose a method for the detection of anomalies in large networks of sensors using machine learning and
statistical models. The results show that the approach improves accuracy and robustness compared with existing
methods, while reducing the computational cost. In this study we analyse data from experiments and simulations of
materials, quantum devices, semiconductors, batteries and autonomous systems. The analysis of citation networks,
collaboration patterns and research performance indicates that international co-authorship has increased across
countries and institutions. We discuss implications for policy, security, resilience and innovation, and outline
limitations and directions for future research on technology, science and engineering. A novel framework based on
deep neural networks, graph models and optimisation is evaluated on benchmark datasets; performance is measured by
precision, recall and efficiency under realistic conditions of noise, uncertainty and adversarial perturbation.
"""
_BUILTIN_COUNTRIES = ["US", "CN", "JP", "GB", "DE", "FR", "KR", "IN", "IT", "CA", "AU", "ES", "NL", "CH", "SE", "BR"]
_BUILTIN_INSTITUTION_WORDS = ["University", "Institute of Technology", "National Laboratory", "Research Center"]
_BUILTIN_PLACES = [
    "Tokyo",
    "Osaka",
    "Boston",
    "Berlin",
    "Paris",
    "Seoul",
    "Delhi",
    "Rome",
    "Toronto",
    "Sydney",
    "Madrid",
    "Delft",
    "Zurich",
    "Lund",
    "Campinas",
    "Beijing",
]


def _builtin_vocabulary() -> Vocabulary:
    tokens = _BUILTIN_TEXT.split()
    institutions = []
    for number, (place, country) in enumerate(zip(_BUILTIN_PLACES, _BUILTIN_COUNTRIES, strict=True)):
        for kind_number, kind in enumerate(_BUILTIN_INSTITUTION_WORDS):
            institution_id = f"{OA}I{1000 + number * 10 + kind_number}"
            institutions.append(
                {
                    "id": institution_id,
                    "display_name": f"{place} {kind}",
                    "ror": f"https://ror.org/0{number:02d}{kind_number}abc{kind_number}",
                    "country_code": country,
                    "type": "education" if kind == "University" else "facility",
                    "lineage": [institution_id],
                }
            )
    sources = [
        {
            "id": f"{OA}S{2000 + number}",
            "display_name": name,
            "issn_l": f"{1000 + number}-{2000 + number}",
            "issn": [f"{1000 + number}-{2000 + number}"],
            "is_oa": number % 3 == 0,
            "is_in_doaj": number % 3 == 0,
            "is_indexed_in_scopus": True,
            "is_core": True,
            "host_organization": f"{OA}P{3000 + number % 3}",
            "host_organization_name": ["Elsevier BV", "Springer Nature", "Wiley"][number % 3],
            "host_organization_lineage": [f"{OA}P{3000 + number % 3}"],
            "host_organization_lineage_names": [["Elsevier BV", "Springer Nature", "Wiley"][number % 3]],
            "type": "journal",
        }
        for number, name in enumerate(
            ["Physical Review Letters", "Nature Communications", "Scientometrics", "IEEE Access", "Scientific Reports"]
        )
    ]
    concept_names = [
        "Computer science",
        "Physics",
        "Materials science",
        "Artificial intelligence",
        "Engineering",
        "Mathematics",
        "Political science",
        "Machine learning",
        "Quantum mechanics",
        "Chemistry",
    ]
    return Vocabulary(
        source="built-in",
        abstract_tokens=tokens,
        title_tokens=tokens,
        first_names=["Hiroshi", "Yuki", "Maria", "John", "Wei", "Anna", "Carlos", "Priya", "Jin", "Sophie"],
        last_names=["Tanaka", "Suzuki", "Garcia", "Smith", "Wang", "Müller", "Silva", "Sharma", "Kim", "Martin"],
        institutions=institutions,
        affiliations={},
        sources=sources,
        concepts=[
            {
                "id": f"{OA}C{40000 + n}",
                "wikidata": f"https://www.wikidata.org/wiki/Q{100 + n}",
                "display_name": name,
                "level": n % 3,
            }
            for n, name in enumerate(concept_names)
        ],
        topics=[
            {
                "id": f"{OA}T{10000 + n}",
                "display_name": name,
                "subfield": {"id": f"{OA}subfields/{1700 + n}", "display_name": "Artificial Intelligence"},
                "field": {"id": f"{OA}fields/17", "display_name": "Computer Science"},
                "domain": {"id": f"{OA}domains/3", "display_name": "Physical Sciences"},
            }
            for n, name in enumerate(["Anomaly Detection Techniques", "Quantum Computing", "Battery Materials"])
        ],
        keywords=[
            {"id": f"{OA}keywords/{name.lower().replace(' ', '-')}", "display_name": name}
            for name in ["Anomaly detection", "Robustness", "Sensor network", "Citation analysis"]
        ],
        funders=[
            {"funder": f"{OA}F43203{n:05d}", "funder_display_name": name}
            for n, name in enumerate(["Japan Society for the Promotion of Science", "National Science Foundation"])
        ],
        sdgs=[{"id": "https://metadata.un.org/sdg/9", "display_name": "Industry, innovation and infrastructure"}],
    )


# ── records ─────────────────────────────────────────────────────────────────────────────────────────────────

_TYPES = [
    ("article", "journal-article", 80),
    ("review", "journal-article", 6),
    ("book-chapter", "book-chapter", 5),
    ("preprint", "posted-content", 4),
    ("dataset", "dataset", 2),
    ("book", "book", 1),
    ("dissertation", "dissertation", 1),
    ("letter", "journal-article", 1),
]
_LANGUAGES = [("en", 88), ("zh", 3), ("es", 2), ("de", 2), ("fr", 2), ("ja", 1), ("pt", 2)]
_OA_STATUS = [("closed", 45), ("gold", 20), ("green", 15), ("bronze", 10), ("hybrid", 8), ("diamond", 2)]
_LICENSES = [(None, 50), ("cc-by", 30), ("cc-by-nc", 8), ("cc-by-nc-nd", 7), ("publisher-specific-oa", 5)]
_AUTHOR_COUNTS = [
    (1, 18),
    (2, 22),
    (3, 19),
    (4, 14),
    (5, 9),
    (6, 6),
    (7, 4),
    (8, 3),
    (9, 1.5),
    (10, 1.2),
    (12, 1),
    (15, 0.7),
    (20, 0.4),
    (30, 0.2),
]
_INSTITUTIONS_PER_AUTHOR = [(0, 8), (1, 74), (2, 14), (3, 4)]
_REPOSITORIES = [
    {
        "id": f"{OA}S4306400194",
        "display_name": "arXiv (Cornell University)",
        "issn_l": None,
        "issn": None,
        "is_oa": True,
        "is_in_doaj": False,
        "is_indexed_in_scopus": False,
        "is_core": False,
        "host_organization": f"{OA}I205783295",
        "host_organization_name": "Cornell University",
        "host_organization_lineage": [f"{OA}I205783295"],
        "host_organization_lineage_names": ["Cornell University"],
        "type": "repository",
    },
    {
        "id": f"{OA}S2764455111",
        "display_name": "PubMed Central",
        "issn_l": None,
        "issn": None,
        "is_oa": True,
        "is_in_doaj": False,
        "is_indexed_in_scopus": False,
        "is_core": False,
        "host_organization": f"{OA}I1299303238",
        "host_organization_name": "National Institutes of Health",
        "host_organization_lineage": [f"{OA}I1299303238"],
        "host_organization_lineage_names": ["National Institutes of Health"],
        "type": "repository",
    },
]


class _Pick:
    """Weighted choice by bisection over precomputed cumulative weights (random.choices recomputes them per call)."""

    def __init__(self, rng: random.Random, items: list[Any], weights: list[float]) -> None:
        self.random = rng.random
        self.items = items
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def __call__(self) -> Any:
        return self.items[bisect.bisect_right(self.cumulative, self.random() * self.total)]

    def many(self, k: int) -> list[Any]:
        random, cumulative, total, items = self.random, self.cumulative, self.total, self.items
        return [items[bisect.bisect_right(cumulative, random() * total)] for _ in range(k)]


def _table(rng: random.Random, table: list[tuple[Any, ...]]) -> _Pick:
    """A picker of the rows of `table`, weighted by each row's last item; it returns the row's first item."""
    return _Pick(rng, [row[0] if len(row) == 2 else row[:-1] for row in table], [row[-1] for row in table])


class Generator:
    """Makes OpenAlex work dicts, deterministically from `seed`.

    Draws use `random()` (one C call) rather than `randrange`/`choices`, which are several times slower in Python;
    that keeps generation at a few thousand works/s on one core, so a 1 M file takes a few minutes.
    """

    def __init__(self, vocabulary: Vocabulary, seed: int = 0) -> None:
        self.vocabulary = vocabulary
        rng = self.rng = random.Random(seed)
        self.random = rng.random
        self.pick_type = _table(rng, _TYPES)
        self.pick_language = _table(rng, _LANGUAGES)
        self.pick_oa_status = _table(rng, _OA_STATUS)
        self.pick_license = _table(rng, _LICENSES)
        self.pick_author_count = _table(rng, _AUTHOR_COUNTS)
        self.pick_per_author = _table(rng, _INSTITUTIONS_PER_AUTHOR)
        # A minority of institutions and journals produce most papers: Zipf-like weights by rank.
        institutions = vocabulary.institutions
        self.pick_institution = _Pick(rng, institutions, [1.0 / (rank + 1) ** 0.8 for rank in range(len(institutions))])
        sources = vocabulary.sources
        self.pick_source = _Pick(rng, sources, [1.0 / (rank + 1) ** 0.7 for rank in range(len(sources))])
        self.pick_extra_locations = _Pick(rng, [0, 1, 2, 3], [55, 30, 10, 5])
        self.pick_grants = _Pick(rng, [0, 1, 2, 3], [70, 18, 8, 4])

    def below(self, n: int) -> int:
        """A whole number in [0, n)."""
        return int(self.random() * n)

    def between(self, low: int, high: int) -> int:
        """A whole number in [low, high]."""
        return low + int(self.random() * (high - low + 1))

    def choice(self, items: list[Any] | tuple[Any, ...]) -> Any:
        return items[int(self.random() * len(items))]

    def sample(self, items: list[Any], k: int) -> list[Any]:
        """k distinct items (k small relative to the pool)."""
        k = min(k, len(items))
        size = len(items)
        chosen: dict[int, None] = {}
        random = self.random
        while len(chosen) < k:
            chosen[int(random() * size)] = None
        return [items[index] for index in chosen]

    def works(self, n: int, start: int = 0) -> Iterator[dict[str, Any]]:
        for index in range(start, start + n):
            yield self.work(index)

    # The record ─────────────────────────────────────────────────────────────────────────────────────────────

    def work(self, index: int) -> dict[str, Any]:
        random, between = self.random, self.between
        work_id = f"W{2_000_000_000 + index * 17 + self.below(17)}"
        year = min(LAST_YEAR, max(1950, int(self.rng.gauss(2016, 7))))
        published = f"{year}-{between(1, 12):02d}-{between(1, 28):02d}"
        kind, crossref_type = self.pick_type()
        source = self.pick_source()
        doi = None
        if random() >= 0.12:
            letter = self.choice("abcdefghjkmnpqrstuvwxyz")
            doi = f"https://doi.org/10.{between(1000, 1200)}/{letter}{self.below(10**7):07d}.{year}"
        title = self._title()
        cited = int(self.rng.paretovariate(1.2)) - 1 + (self.below(5) if random() < 0.5 else 0)
        fwci = round(self.rng.lognormvariate(0, 1.1), 3) if random() < 0.9 else None
        percentile = round(random(), 6) if cited else 0.0
        authorships, institution_ids, countries, corresponding = self._authorships()
        oa_status = self.pick_oa_status()
        is_oa = oa_status != "closed"
        primary = self._location(source, doi, is_oa, primary=True)
        locations = [primary]
        for _ in range(self.pick_extra_locations()):
            locations.append(self._location(self.choice(_REPOSITORIES), None, True, primary=False))
        best = next((location for location in locations if location["is_oa"]), None)
        references = self._work_urls(between(30, 70) if random() < 0.93 else 0)
        abstract = self._abstract() if random() < 0.9 else None
        ids: dict[str, Any] = {"openalex": OA + work_id}
        if doi:
            ids["doi"] = doi
        ids["mag"] = str(1_000_000_000 + self.below(3_000_000_000))
        pubmed = random() < 0.25
        if pubmed:
            ids["pmid"] = f"https://pubmed.ncbi.nlm.nih.gov/{10_000_000 + self.below(30_000_000)}"
        first_page = between(1, 3000)
        return {
            "id": OA + work_id,
            "doi": doi,
            "title": title,
            "display_name": title,
            "publication_year": year,
            "publication_date": published,
            "ids": ids,
            "language": self.pick_language(),
            "primary_location": primary,
            "type": kind,
            "type_crossref": crossref_type,
            "indexed_in": ["crossref", "pubmed"] if pubmed else ["crossref"],
            "open_access": {
                "is_oa": is_oa,
                "oa_status": oa_status,
                "oa_url": best["landing_page_url"] if best else None,
                "any_repository_has_fulltext": len(locations) > 1,
            },
            "authorships": authorships,
            "institution_assertions": [],
            "countries_distinct_count": len(countries),
            "institutions_distinct_count": len(institution_ids),
            "corresponding_author_ids": corresponding,
            "corresponding_institution_ids": institution_ids[:1],
            "apc_list": {"value": 3000, "currency": "USD", "value_usd": 3000} if random() < 0.5 else None,
            "apc_paid": None,
            "fwci": fwci,
            "has_fulltext": random() < 0.6,
            "fulltext_origin": "ngrams",
            "cited_by_count": cited,
            "citation_normalized_percentile": {
                "value": percentile,
                "is_in_top_1_percent": percentile >= 0.99,
                "is_in_top_10_percent": percentile >= 0.9,
            },
            "cited_by_percentile_year": {"min": max(0, int(percentile * 100) - 1), "max": int(percentile * 100)},
            "biblio": {
                "volume": str(between(1, 300)),
                "issue": str(between(1, 12)),
                "first_page": str(first_page),
                "last_page": str(first_page + between(3, 25)),
            },
            "is_retracted": False,
            "is_paratext": False,
            **self._subjects(),
            "mesh": [],
            "locations_count": len(locations),
            "locations": locations,
            "best_oa_location": best,
            "sustainable_development_goals": self._sdgs(),
            "grants": self._grants(),
            "datasets": [],
            "versions": [],
            "referenced_works_count": len(references),
            "referenced_works": references,
            "related_works": self._work_urls(10),
            "abstract_inverted_index": abstract,
            "abstract_inverted_index_v3": None,
            "cited_by_api_url": f"https://api.openalex.org/works?filter=cites:{work_id}",
            "counts_by_year": self._counts_by_year(year, cited),
            "updated_date": f"2025-{between(1, 9):02d}-{between(1, 28):02d}T0{between(0, 9)}:"
            f"{between(10, 59)}:{between(10, 59)}.{self.below(10**6):06d}",
            "created_date": f"{max(year, 2016)}-{between(1, 12):02d}-{between(1, 28):02d}",
        }

    # Parts ──────────────────────────────────────────────────────────────────────────────────────────────────

    def _work_urls(self, k: int) -> list[str]:
        random = self.random
        return [f"{OA}W{1_000_000_000 + int(random() * 3_400_000_000)}" for _ in range(k)]

    def _title(self) -> str:
        tokens = self.vocabulary.title_tokens
        start = self.below(len(tokens))
        words = tokens[start : start + self.between(6, 16)] or tokens[:8]
        words[0] = words[0][:1].upper() + words[0][1:]
        return " ".join(words).strip(" ,;:")

    def _abstract(self) -> dict[str, list[int]]:
        """An inverted index of ~150-250 words of real abstract text (a few contiguous segments of the sample)."""
        tokens = self.vocabulary.abstract_tokens
        size = len(tokens)
        wanted = self.between(150, 250)
        words: list[str] = []
        while len(words) < wanted:
            start = self.below(size)
            length = min(self.between(25, 80), wanted - len(words))
            segment = tokens[start : start + length]
            if len(segment) < length:
                segment += tokens[: length - len(segment)]
            words.extend(segment)
        index: dict[str, list[int]] = {}
        for position, word in enumerate(words):
            positions = index.get(word)
            if positions is None:
                index[word] = [position]
            else:
                positions.append(position)
        return index

    def _authorships(self) -> tuple[list[dict[str, Any]], list[str], list[str], list[str]]:
        random, between, choice = self.random, self.between, self.choice
        vocabulary = self.vocabulary
        count = self.pick_author_count()
        authorships = []
        work_institutions: dict[str, None] = {}
        work_countries: dict[str, None] = {}
        work_list: list[dict[str, Any]] = []
        corresponding: list[str] = []
        for position in range(count):
            name = f"{choice(vocabulary.first_names)} {choice(vocabulary.last_names)}"
            author_id = f"{OA}A5{100_000_000 + self.below(900_000_000)}"
            per_author = self.pick_per_author()
            # Co-authors mostly share the institutions already on the paper (international papers are a minority).
            chosen: dict[str, dict[str, Any]] = {}
            for _ in range(per_author):
                if work_list and random() < SHARED_INSTITUTION:
                    institution = choice(work_list)
                else:
                    institution = self.pick_institution()
                    work_list.append(institution)
                chosen[institution["id"]] = institution
            institutions = list(chosen.values())
            countries = list(dict.fromkeys(i["country_code"] for i in institutions if i.get("country_code")))
            affiliations = []
            for institution in institutions:
                work_institutions[institution["id"]] = None
                known = vocabulary.affiliations.get(institution["id"])
                if known:
                    raw = choice(known)
                else:
                    department = choice(("Physics", "Computer Science", "Engineering", "Chemistry"))
                    raw = f"Department of {department}, {institution['display_name']}"
                affiliations.append({"raw_affiliation_string": raw, "institution_ids": [institution["id"]]})
            work_countries.update(dict.fromkeys(countries))
            is_corresponding = position == 0 or (position == count - 1 and random() < 0.3)
            if is_corresponding:
                corresponding.append(author_id)
            orcid = None
            if random() < 0.55:
                orcid = f"https://orcid.org/0000-000{between(1, 3)}-{self.below(10**4):04d}-{self.below(10**4):04d}"
            authorships.append(
                {
                    "author_position": "first" if position == 0 else "last" if position == count - 1 else "middle",
                    "author": {"id": author_id, "display_name": name, "orcid": orcid},
                    "institutions": institutions,
                    "countries": countries,
                    "is_corresponding": is_corresponding,
                    "raw_author_name": name,
                    "raw_affiliation_strings": [a["raw_affiliation_string"] for a in affiliations],
                    "affiliations": affiliations,
                }
            )
        return authorships, list(work_institutions), list(work_countries), corresponding

    def _location(self, source: dict[str, Any], doi: str | None, is_oa: bool, *, primary: bool) -> dict[str, Any]:
        if primary:
            landing = doi or f"https://example.org/article/{self.below(10**8)}"
            version = "publishedVersion"
        else:
            landing = f"https://arxiv.org/abs/{self.between(1000, 2412)}.{self.below(10**5):05d}"
            version = "acceptedVersion" if self.random() < 0.5 else "submittedVersion"
        license_id = self.pick_license() if is_oa else None
        return {
            "is_oa": is_oa,
            "landing_page_url": landing,
            "pdf_url": landing.replace("/abs/", "/pdf/") if is_oa and not primary else None,
            "source": source,
            "license": license_id,
            "license_id": f"https://openalex.org/licenses/{license_id}" if license_id else None,
            "version": version,
            "is_accepted": version != "submittedVersion",
            "is_published": version == "publishedVersion",
        }

    def _subjects(self) -> dict[str, Any]:
        random = self.random
        vocabulary = self.vocabulary
        topic_scores = sorted((0.5 + random() * 0.5 for _ in range(3)), reverse=True)
        topic_count = self.choice((1, 2, 3, 3, 3))
        topics = [
            {**topic, "score": round(score, 4)}
            for topic, score in zip(self.sample(vocabulary.topics, topic_count), topic_scores, strict=False)
        ]
        keywords = [
            {**keyword, "score": round(0.3 + random() * 0.5, 7)}
            for keyword in self.sample(vocabulary.keywords, self.between(0, 5))
        ]
        chosen = self.sample(vocabulary.concepts, self.between(6, 16))
        scores = sorted((random() * 0.9 if random() < 0.7 else 0.0 for _ in chosen), reverse=True)
        concepts = [{**concept, "score": round(score, 7)} for concept, score in zip(chosen, scores, strict=True)]
        return {
            "primary_topic": topics[0] if topics else None,
            "topics": topics,
            "keywords": keywords,
            "concepts": concepts,
        }

    def _sdgs(self) -> list[dict[str, Any]]:
        if self.random() < 0.5 or not self.vocabulary.sdgs:
            return []
        return [{**self.choice(self.vocabulary.sdgs), "score": round(0.3 + self.random() * 0.6, 2)}]

    def _grants(self) -> list[dict[str, Any]]:
        grants = []
        for _ in range(self.pick_grants()):
            award = str(100_000 + self.below(10**8)) if self.random() < 0.7 else None
            grants.append({**self.choice(self.vocabulary.funders), "award_id": award})
        return grants

    def _counts_by_year(self, year: int, cited: int) -> list[dict[str, int]]:
        if not cited:
            return []
        first = max(year, LAST_YEAR - 13)
        years = range(LAST_YEAR, first - 1, -1)
        ceiling = max(1, cited // len(years) * 2)
        return [{"year": y, "cited_by_count": self.between(0, ceiling)} for y in years]


# ── writing ─────────────────────────────────────────────────────────────────────────────────────────────────


def _open(path: Path, compress: bool) -> IO[bytes]:
    if compress:
        # Level 1: fast to write; decompression speed (what readers pay) hardly depends on the level.
        return gzip.open(path, "wb", compresslevel=1)
    return path.open("wb")


def write(
    path: Path,
    n: int,
    *,
    seed: int = 0,
    compress: bool | None = None,
    vocabulary: Vocabulary | None = None,
    progress: bool = False,
) -> Path:
    """Write `n` works as JSON lines to `path` (gzip when `compress`, or when the name ends in .gz)."""
    if compress is None:
        compress = path.suffix == ".gz"
    if compress and path.suffix != ".gz":
        path = path.with_name(path.name + ".gz")
    generator = Generator(vocabulary or load_vocabulary(), seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    dumps = orjson.dumps
    started = time.perf_counter()
    # The records hold no reference cycles; the cyclic collector would only rescan them (a third of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        with _open(temp, compress) as handle:
            for start in range(0, n, CHUNK):
                count = min(CHUNK, n - start)
                lines = [dumps(work) for work in generator.works(count, start)]
                lines.append(b"")
                handle.write(b"\n".join(lines))
                if progress and (start // CHUNK) % 25 == 24:
                    done = start + count
                    rate = done / (time.perf_counter() - started)
                    print(f"  generated {done:,} / {n:,} works ({rate:,.0f}/s)", file=sys.stderr)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    finally:
        if collecting:
            gc.enable()
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="number of works (default 100000)")
    parser.add_argument("--out", type=Path, required=True, help="output file (.jsonl, or .jsonl.gz)")
    parser.add_argument("--gzip", action="store_true", help="gzip the output (adds .gz to the name if missing)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--sample", type=Path, default=SAMPLE, help="the real OpenAlex CSV to draw vocabulary from")
    args = parser.parse_args(argv)
    vocabulary = load_vocabulary(args.sample)
    print(f"vocabulary: {vocabulary.source}", file=sys.stderr)
    started = time.perf_counter()
    path = write(args.out, args.n, seed=args.seed, compress=args.gzip or None, vocabulary=vocabulary, progress=True)
    elapsed = time.perf_counter() - started
    size = path.stat().st_size
    print(
        f"wrote {args.n:,} works to {path} ({size / 1e6:,.1f} MB, {size / max(args.n, 1) / 1e3:.1f} KB/work on disk) "
        f"in {elapsed:.1f} s ({args.n / elapsed:,.0f} works/s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
