"""The planted-works generator: the same seed gives the same works, the works are OpenAlex native JSON that kizashi
ingests, and every planted answer holds when counted directly from the JSON (not from the generator's own truth).

The direct counts here follow issue 14's definitions: a technology's works are those naming one of its phrases
(whole words, any case; the Japanese name in a Japanese title); a country counts once per work among its
institutions and its authorships' countries; top-10 % works are those cited at or above the 90th percentile of the
works of the same technology and year; ASPI's "high" monopoly risk is a lead ≥ 3× the second and ≥ 8 of the ten
institutions with most top-10 % works.
"""

from __future__ import annotations

import gzip
import itertools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pyarrow.parquet as pq
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizashi.ingest.openalex.fields import abstract as rebuild_abstract
from kizashi.ingest.openalex.native import native_work
from kizashi.know.landscape.planted import (
    FILLER,
    FILLER_JA,
    LEAVES,
    WORK_BASE,
    Planted,
    PlantedSpec,
    _apportion,
    generate,
    made_up_words,
    stored_id,
    write_jsonl,
    write_taxonomy_yaml,
)
from kizashi.store.workspace import Workspace
from kizashi.text.concepts import ConceptTagger
from kizashi.text.tokenise import ENGLISH_STOP_WORDS, Tokeniser, english_term

# ── counting directly from the JSON ──────────────────────────────────────────────────────────────────────


@dataclass
class Counted:
    """One work as the tests read it from its JSON."""

    index: int
    year: int
    cited: int
    technologies: set[str]
    countries: set[str]
    institutions: set[tuple[str, str]]  # (id, country)
    words: set[str]  # lower-cased words of title and abstract
    references: set[str]


def _patterns() -> list[tuple[str, re.Pattern[str], list[str]]]:
    patterns = []
    for entry in LEAVES:
        english = [entry["name_en"], *entry["synonyms_en"]]
        alternatives = "|".join(r"\s+".join(re.escape(word) for word in phrase.split()) for phrase in english)
        pattern = re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])", re.IGNORECASE)
        patterns.append((entry["id"], pattern, [entry["name_ja"], *entry["synonyms_ja"]]))
    return patterns


PATTERNS = _patterns()


def count(work: dict[str, Any]) -> Counted:
    title = work["title"]
    text = f"{title} {rebuild_abstract(work['abstract_inverted_index'])}"
    technologies = {tech for tech, pattern, _ in PATTERNS if pattern.search(text)}
    if work["language"] == "ja":
        technologies |= {tech for tech, _, japanese in PATTERNS if any(name in title for name in japanese)}
    countries: set[str] = set()
    institutions: set[tuple[str, str]] = set()
    for authorship in work["authorships"]:
        countries.update(authorship["countries"])
        for institution in authorship["institutions"]:
            countries.add(institution["country_code"])
            institutions.add((institution["id"], institution["country_code"]))
    return Counted(
        index=int(work["id"].rpartition("W")[2]) - WORK_BASE,
        year=work["publication_year"],
        cited=work["cited_by_count"],
        technologies=technologies,
        countries=countries,
        institutions=institutions,
        words={word.strip(".").lower() for word in text.split()},
        references=set(work["referenced_works"]),
    )


@dataclass
class CountryRow:
    works: int
    fractional: float
    top10: int
    top10_fractional: float


def countries_of(works: list[Counted], technology: str) -> tuple[dict[str, CountryRow], list[tuple[str, str]]]:
    """Country rows of one technology, and its ten institutions with most top-10 % works (ties by id)."""
    own = [work for work in works if technology in work.technologies]
    by_year: dict[int, list[int]] = defaultdict(list)
    for work in own:
        by_year[work.year].append(work.cited)
    threshold = {year: np.percentile(cited, 90) for year, cited in by_year.items()}
    rows: dict[str, CountryRow] = defaultdict(lambda: CountryRow(0, 0.0, 0, 0.0))
    institutions: Counter[tuple[str, str]] = Counter()
    for work in own:
        top = work.cited >= threshold[work.year]
        for country in work.countries:
            row = rows[country]
            row.works += 1
            row.fractional += 1 / len(work.countries)
            if top:
                row.top10 += 1
                row.top10_fractional += 1 / len(work.countries)
        if top:
            institutions.update(work.institutions)
    ranked = sorted(institutions.items(), key=lambda item: (-item[1], item[0][0]))
    return dict(rows), [institution for institution, _ in ranked[:10]]


def monopoly(rows: dict[str, CountryRow], top_institutions: list[tuple[str, str]]) -> tuple[str, float, int, str]:
    """ASPI's rule on top-10 % works: the lead country, its ratio to the second, its top institutions, the risk."""
    (lead, first), (_, second) = sorted(((c, r.top10) for c, r in rows.items()), key=lambda item: -item[1])[:2]
    ratio = first / second if second else float("inf")
    institutions = sum(1 for _, country in top_institutions if country == lead)
    risk = "high" if ratio >= 3 and institutions >= 8 else "medium" if ratio >= 2 and institutions >= 5 else "low"
    return lead, ratio, institutions, risk


@pytest.fixture(scope="module")
def default() -> tuple[Planted, list[dict[str, Any]], list[Counted]]:
    planted, works = generate(PlantedSpec())
    listed = list(works)
    return planted, listed, [count(work) for work in listed]


# ── determinism and shape ────────────────────────────────────────────────────────────────────────────────


def _bytes(spec: PlantedSpec) -> list[bytes]:
    return [orjson.dumps(work) for work in generate(spec)[1]]


def test_same_seed_same_works_other_seed_other_works() -> None:
    spec = PlantedSpec(works=1_200, seed=11)
    first = _bytes(spec)
    assert first == _bytes(spec)
    assert generate(spec)[0].answers() == generate(spec)[0].answers()
    other = _bytes(PlantedSpec(works=1_200, seed=12))
    assert sum(a == b for a, b in zip(first, other, strict=True)) < 10


def test_reading_part_of_the_works_does_not_change_them() -> None:
    spec = PlantedSpec(works=12_000, seed=3)
    head = list(itertools.islice(generate(spec)[1], 10_500))  # into the second chunk
    again = list(itertools.islice(generate(spec)[1], 10_500))
    assert head == again


def test_works_are_openalex_native_records(default: tuple[Planted, list[dict[str, Any]], list[Counted]]) -> None:
    planted, works, _ = default
    spec = planted.spec
    assert len(works) == spec.works
    assert len({work["id"] for work in works}) == spec.works
    for work in works:
        record = native_work(work)  # kizashi's own reader: raises on a field of the wrong shape
        assert record["id"] == stored_id(work["id"])
        assert spec.first_year <= work["publication_year"] <= spec.last_year
        assert work["publication_date"].startswith(str(work["publication_year"]))
        assert record["countries"], "every work has a country"
        counts = work["counts_by_year"]
        years = [entry["year"] for entry in counts]
        assert years == sorted(years, reverse=True)
        assert all(work["publication_year"] <= year <= spec.last_year for year in years)
        assert all(year > spec.last_year - 10 for year in years)
        assert all(entry["cited_by_count"] > 0 for entry in counts)
        assert sum(entry["cited_by_count"] for entry in counts) <= work["cited_by_count"]
        if work["publication_year"] > spec.last_year - 10:
            assert sum(entry["cited_by_count"] for entry in counts) == work["cited_by_count"]
        assert all(ref.startswith("https://openalex.org/W") for ref in work["referenced_works"])
        assert len(set(work["referenced_works"])) == len(work["referenced_works"])
    assert sum(work["abstract_inverted_index"] is None for work in works) > 0
    assert sum(work["language"] == "ja" for work in works) > 0


def test_taxonomy_is_a_two_level_bilingual_tree(tmp_path: Path) -> None:
    planted, _ = generate(PlantedSpec(works=10))
    path = tmp_path / "taxonomy.yaml"
    write_taxonomy_yaml(path, planted)
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))["technologies"]
    assert entries == planted.taxonomy
    ids = {entry["id"] for entry in entries}
    areas = [entry for entry in entries if entry["parent"] is None]
    leaves = [entry for entry in entries if entry["parent"] is not None]
    assert len(areas) == 3 and len(leaves) == 12
    assert all(entry["parent"] in ids and entry["parent"] not in {leaf["id"] for leaf in leaves} for entry in leaves)
    for entry in entries:
        assert entry["name_en"] and entry["name_ja"] and entry["synonyms_en"] and entry["synonyms_ja"]
        assert entry["description_en"] and entry["description_ja"]
    assert sorted(planted.rising + planted.flat + planted.falling) == sorted(planted.leaves)


# ── tagging: exactly the planted technologies ───────────────────────────────────────────────────────────


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    return any(longer[i : i + len(shorter)] == shorter for i in range(len(longer) - len(shorter) + 1))


def test_no_phrase_lies_inside_another_technologys_phrase() -> None:
    tokeniser = Tokeniser()
    entries = [*generate(PlantedSpec(works=10))[0].taxonomy]
    phrases = {
        entry["id"]: [
            tuple(tokeniser.tokens(name))
            for name in (entry["name_en"], entry["name_ja"], *entry["synonyms_en"], *entry["synonyms_ja"])
        ]
        for entry in entries
    }
    for (a, own), (b, other) in itertools.permutations(phrases.items(), 2):
        for longer, shorter in itertools.product(own, other):
            assert not _contains(longer, shorter), (a, longer, b, shorter)


def test_filler_and_made_up_words_share_no_term_with_any_phrase() -> None:
    tokeniser = Tokeniser()
    entries = generate(PlantedSpec(works=10))[0].taxonomy
    english = [name for entry in entries for name in (entry["name_en"], *entry["synonyms_en"])]
    phrase_terms = {term for name in english for term in tokeniser.tokens(name)}
    made_up = made_up_words(1_200)
    assert len(set(made_up)) == len(made_up)
    for word in (*FILLER, *made_up):
        assert word not in ENGLISH_STOP_WORDS, word  # a dropped word would no longer separate two phrases
        assert english_term(word) not in phrase_terms, word
    assert len({english_term(word) for word in made_up}) == len(made_up)
    assert not {english_term(word) for word in made_up} & {english_term(word) for word in FILLER}
    tagger = ConceptTagger(entries, tokeniser)
    for a, b in itertools.permutations(FILLER_JA, 2):
        assert tagger.tag(tokeniser.tokens(f"{a}と{b}", "ja")) == []


def test_kizashis_tagger_finds_exactly_the_planted_technologies() -> None:
    spec = PlantedSpec(works=2_000, seed=5, japanese_share=0.1, double_share=0.1, no_abstract_share=0.1)
    planted, works = generate(spec)
    tokeniser = Tokeniser()
    tagger = ConceptTagger(planted.taxonomy, tokeniser)
    leaves = planted.leaves
    seen: Counter[str] = Counter()
    for work in works:
        record = native_work(work)
        found: set[str] = set()
        for text, lang in ((record["title"], record["language"]), (record["abstract"], None)):
            found |= tagger.concept_ids(tokeniser.tokens(text, lang))
        found |= tagger.concept_ids(tokeniser.tokens(" ".join(record["keywords"])))
        i = int(work["id"].rpartition("W")[2]) - WORK_BASE
        planted_here = {leaves[t] for t in (planted.truth.technology[i], planted.truth.second[i]) if t >= 0}
        assert found == planted_here, (work["title"], record["abstract"][:300])
        seen["none" if not found else "two" if len(found) == 2 else "ja" if record["language"] == "ja" else "one"] += 1
    assert min(seen.values()) > 50, seen


def test_direct_counts_equal_the_planted_counts(
    default: tuple[Planted, list[dict[str, Any]], list[Counted]],
) -> None:
    planted, _, counted = default
    direct: Counter[tuple[str, int]] = Counter()
    for work in counted:
        for technology in work.technologies:
            direct[technology, work.year] += 1
        for area in {technology.partition(".")[0] for technology in work.technologies}:
            direct[area, work.year] += 1
    expected = {(tech, year): n for tech, years in planted.works_per_year.items() for year, n in years.items() if n}
    assert {key: n for key, n in direct.items() if n} == expected
    untagged = sum(1 for work in counted if not work.technologies)
    assert 0.2 * len(counted) < untagged < 0.5 * len(counted)


# ── trends ───────────────────────────────────────────────────────────────────────────────────────────────


def _shares(planted: Planted, counted: list[Counted], technology: str) -> tuple[list[int], list[float]]:
    years = range(planted.spec.first_year, planted.spec.last_year + 1)
    corpus = Counter(work.year for work in counted)
    own = Counter(work.year for work in counted if technology in work.technologies)
    return [own[y] for y in years], [own[y] / corpus[y] for y in years]


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000))
def test_rising_technologies_rise_flat_stay_falling_fall(seed: int) -> None:
    planted, works = generate(PlantedSpec(works=4_000, seed=seed))
    counted = [count(work) for work in works]
    window = planted.spec.rise_years
    first = planted.spec.first_year
    for technology in planted.rising:
        # The works planted for a technology (not those that name it in passing) rise every year of the window...
        t = planted.leaves.index(technology)
        own = np.bincount(planted.truth.year[planted.truth.technology == t] - first)
        assert np.all(np.diff(own[-window - 1 :]) > 0), own
        # ... and all works naming it, counted from the JSON, rise over every two years and grow in share.
        counts, shares = _shares(planted, counted, technology)
        assert counts[-1] > counts[-3] > counts[-5], counts
        assert shares[-1] / shares[-window - 1] > 3.0, shares
    for technology in planted.flat:
        _, shares = _shares(planted, counted, technology)
        assert 0.6 < shares[-1] / shares[-window - 1] < 1.6, shares
        assert 0.6 < np.mean(shares[-window:]) / np.mean(shares[:window]) < 1.6, shares
    for technology in planted.falling:
        t = planted.leaves.index(technology)
        own = np.bincount(planted.truth.year[planted.truth.technology == t] - first)
        assert np.all(np.diff(own[-window - 1 :]) < 0), own
        # Passing mentions by other technologies' works add a few works either way: over four years it still falls.
        counts, shares = _shares(planted, counted, technology)
        assert counts[-1] < counts[-5], counts
        assert shares[-1] / shares[-window - 1] < 0.5, shares


# ── countries ────────────────────────────────────────────────────────────────────────────────────────────


def test_the_dominated_technology_has_aspis_high_monopoly_risk(
    default: tuple[Planted, list[dict[str, Any]], list[Counted]],
) -> None:
    planted, _, counted = default
    ((technology, country),) = planted.dominated.items()
    rows, top_institutions = countries_of(counted, technology)
    lead, ratio, institutions, risk = monopoly(rows, top_institutions)
    assert (lead, risk) == (country, "high")
    assert ratio >= 3 and institutions >= 8
    fractional = sorted((row.top10_fractional for row in rows.values()), reverse=True)
    assert fractional[0] >= 3 * fractional[1]
    assert max(rows, key=lambda c: rows[c].fractional) == country
    for other in planted.leaves:
        if other != technology:
            assert monopoly(*countries_of(counted, other))[3] != "high", other


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000))
def test_country_answers_hold_for_any_seed(seed: int) -> None:
    planted, works = generate(PlantedSpec(works=5_000, seed=seed))
    counted = [count(work) for work in works]
    ((technology, country),) = planted.dominated.items()
    assert monopoly(*countries_of(counted, technology))[::3] == (country, "high")
    rows, top_institutions = countries_of(counted, planted.japan_leads or "")
    assert monopoly(rows, top_institutions)[0] == "JP"
    assert max(rows, key=lambda c: rows[c].works) == "JP"
    assert max(rows, key=lambda c: rows[c].fractional) == "JP"
    assert max(rows, key=lambda c: rows[c].top10_fractional) == "JP"
    assert "JP" not in countries_of(counted, planted.japan_absent or "")[0]


def test_japan_leads_one_technology_is_absent_from_one_and_present_in_the_rest(
    default: tuple[Planted, list[dict[str, Any]], list[Counted]],
) -> None:
    planted, _, counted = default
    assert planted.japan_leads and planted.japan_absent
    rows, top_institutions = countries_of(counted, planted.japan_leads)
    for measure in ("works", "fractional", "top10", "top10_fractional"):
        assert max(rows, key=lambda c: getattr(rows[c], measure)) == "JP", measure
    # A lead, not a monopoly: Japan's top institutions are few.
    assert monopoly(rows, top_institutions)[3] != "high"
    assert "JP" not in countries_of(counted, planted.japan_absent)[0]
    others = [t for t in planted.leaves if t not in (planted.japan_absent, planted.japan_leads)]
    assert all(countries_of(counted, t)[0]["JP"].works >= 3 for t in others)


def test_planted_country_weights_match_first_authors(
    default: tuple[Planted, list[dict[str, Any]], list[Counted]],
) -> None:
    planted, works, _ = default
    first: dict[str, Counter[str]] = defaultdict(Counter)
    for work in works:
        i = int(work["id"].rpartition("W")[2]) - WORK_BASE
        technology = planted.truth.technology[i]
        if technology >= 0:
            first[planted.leaves[technology]][work["authorships"][0]["countries"][0]] += 1
    for technology, weights in planted.country_weights.items():
        total = sum(first[technology].values())
        for country, weight in weights.items():
            observed = first[technology][country] / total
            assert abs(observed - weight) < 4 * np.sqrt(weight * (1 - weight) / total) + 0.01, (technology, country)


# ── fronts ───────────────────────────────────────────────────────────────────────────────────────────────


def test_subtopics_partition_the_works_and_have_their_own_words_and_references(
    default: tuple[Planted, list[dict[str, Any]], list[Counted]],
) -> None:
    planted, works, counted = default
    ids = [work["id"] for work in works]
    members = [work_id for listed in planted.subtopics.values() for work_id in listed]
    assert sorted(members) == sorted(ids)
    for technology in planted.leaves:
        own = [name for name, tech in planted.subtopic_technology.items() if tech == technology]
        assert 2 <= len(own) <= 3
    vocabularies = {name: set(words) for name, words in planted.subtopic_words.items()}
    for a, b in itertools.combinations(vocabularies.values(), 2):
        assert not a & b
    # Recovering the sub-topic from the words alone: the vocabulary a work uses most.
    by_id = {work.index: work for work in counted}
    right = total = 0
    for name, listed in planted.subtopics.items():
        for work_id in listed:
            work = by_id[int(work_id.rpartition("W")[2]) - WORK_BASE]
            best = max(vocabularies, key=lambda other: len(vocabularies[other] & work.words))
            right += best == name
            total += 1
    assert right / total > 0.95
    # Bibliographic coupling: works of one sub-topic share references; works of two share few.
    rng = np.random.default_rng(0)
    names = list(planted.subtopics)
    within, across = [], []
    for _ in range(400):
        a, b = rng.choice(len(names), 2, replace=False)
        x, y = rng.choice(planted.subtopics[names[a]], 2, replace=False)
        z = rng.choice(planted.subtopics[names[b]])
        refs = {w: by_id[int(w.rpartition("W")[2]) - WORK_BASE].references for w in (x, y, z)}
        within.append(len(refs[x] & refs[y]))
        across.append(len(refs[x] & refs[z]))
    assert np.mean(within) > 5 * max(np.mean(across), 0.1)


# ── files and ingestion ──────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("name", ["works.jsonl", "works.jsonl.gz"])
def test_write_jsonl_writes_one_work_a_line(tmp_path: Path, name: str) -> None:
    _, works = generate(PlantedSpec(works=1_500))
    listed = list(works)
    path = tmp_path / name
    assert write_jsonl(path, iter(listed)) == len(listed)
    raw = gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()
    assert [orjson.loads(line) for line in raw.splitlines()] == listed


def test_kizashi_ingests_the_works_and_the_taxonomy(workspace: Workspace, cli: Any, tmp_path: Path) -> None:
    planted, works = generate(PlantedSpec(works=400, seed=2))
    listed = list(works)
    write_jsonl(tmp_path / "works.jsonl", listed)
    write_taxonomy_yaml(tmp_path / "taxonomy.yaml", planted)
    assert cli("ingest", "works", tmp_path / "works.jsonl").code == 0
    assert cli("ingest", "technologies", tmp_path / "taxonomy.yaml").code == 0
    status = {row["kind"]: row["count"] for row in orjson.loads(cli("status", "--format", "json").out)}
    assert status["works"] == 400 and status["technologies"] == 15
    table = pq.read_table(next((workspace.corpus_dir / "works").glob("part-*.parquet"))).to_pylist()
    stored = {row["id"]: row for row in table}
    assert len(stored) == 400
    for work in listed:
        row = stored[stored_id(work["id"])]
        counted = count(work)
        assert set(row["countries"]) == counted.countries
        assert {(i["id"], i["country"]) for i in row["institutions"]} == {
            (i.rpartition("/")[2], c) for i, c in counted.institutions
        }
        assert row["cited_by_count"] == work["cited_by_count"]
        assert row["year"] == work["publication_year"]
        assert row["abstract"] == rebuild_abstract(work["abstract_inverted_index"])


# ── the parts ────────────────────────────────────────────────────────────────────────────────────────────


@given(
    expected=st.lists(st.floats(0.0, 1e6, allow_nan=False), min_size=1, max_size=60).filter(lambda xs: sum(xs) > 0),
    total=st.integers(0, 100_000),
)
def test_apportion_gives_whole_numbers_that_add_up_and_stay_within_one(expected: list[float], total: int) -> None:
    values = np.array(expected)
    counts = _apportion(values, total)
    assert counts.sum() == total
    exact = values * total / values.sum()
    assert np.all(counts >= np.floor(exact) - 1e-9) and np.all(counts <= np.floor(exact) + 1)


def test_percentiles_rank_works_within_their_year_and_technology() -> None:
    planted, works = generate(PlantedSpec(works=3_000, percentiles=True))
    groups: dict[tuple[int, int], list[tuple[int, float, bool]]] = defaultdict(list)
    for work in works:
        i = int(work["id"].rpartition("W")[2]) - WORK_BASE
        percentile = work["citation_normalized_percentile"]
        assert 0.0 <= percentile["value"] < 1.0
        key = (work["publication_year"], int(planted.truth.technology[i]))
        groups[key].append((work["cited_by_count"], percentile["value"], percentile["is_in_top_10_percent"]))
    for members in groups.values():
        members.sort()
        values = [value for _, value, _ in members]
        assert values == sorted(values)  # more citations, never a lower percentile
        assert sum(top for _, _, top in members) <= max(1, round(0.1 * len(members)) + 1)
        assert [c for c, v, _ in members if v == 0.0] == [c for c, _, _ in members if c == members[0][0]]


@pytest.mark.parametrize(
    "spec",
    [
        PlantedSpec(works=0),
        PlantedSpec(first_year=2020, last_year=2022),
        PlantedSpec(rising_share=0.1, flat_share=0.1),
        PlantedSpec(double_share=1.5),
        PlantedSpec(dominant_share=1.0),
    ],
)
def test_specs_that_cannot_be_planted_are_refused(spec: PlantedSpec) -> None:
    with pytest.raises(ValueError):
        generate(spec)
