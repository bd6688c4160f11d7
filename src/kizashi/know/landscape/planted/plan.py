"""The plan: everything about every work that numpy can draw at once (technology, year, country, citations,
sub-topic), and the answers that follow from it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from kizashi.know.landscape.planted.data import (
    AREAS,
    BASE_WEIGHTS,
    COUNTRIES,
    DOMINANT,
    LEAVES,
    OA,
    REFERENCE_BASE,
    SHARED_REFERENCES,
    WORK_BASE,
    Bools,
    Floats,
    Ints,
)
from kizashi.know.landscape.planted.draws import _apportion, _draw, _offset_cdf
from kizashi.know.landscape.planted.places import _Places, _places
from kizashi.know.landscape.planted.spec import Planted, PlantedSpec, Truth
from kizashi.know.landscape.planted.vocabulary import (
    BACKGROUND_SUBTOPICS,
    MAX_SUBTOPICS,
    SUBTOPIC_WORDS,
    TECHNOLOGY_WORDS,
    _keywords,
    _Lexicon,
    _lexicon,
    _topics,
    made_up_words,
)


@dataclass
class _Roles:
    rising: Ints
    flat: Ints
    falling: Ints
    dominated: int
    japan_leads: int
    japan_absent: int


@dataclass
class _Plan:
    spec: PlantedSpec
    planted: Planted
    no_abstract: Bools
    day: Ints  # day of the publication year, from 0
    percentile: Floats | None
    lexicon: _Lexicon
    places: _Places
    dominated: int
    japan_leads: int
    topics: list[dict[str, Any]]
    keywords: list[list[dict[str, Any]]]
    sources: list[dict[str, Any]]
    references: list[str]  # each sub-topic's pool, then the pool all works share
    reference_pool: int


def _plan(spec: PlantedSpec) -> _Plan:
    rng = np.random.default_rng([spec.seed, 0])
    leaves = [entry["id"] for entry in LEAVES]
    count, n = len(leaves), spec.works
    roles = _roles(rng, count)
    shares = _shares(spec, rng, roles)
    technology, years = _cells(spec, rng, shares)
    has_technology = technology >= 0
    japanese = has_technology & (rng.random(n) < spec.japanese_share)
    second = np.where(
        has_technology & ~japanese & (rng.random(n) < spec.double_share),
        _second_technology(rng, technology, years - spec.first_year, shares, roles.japan_absent),
        -1,
    )
    no_abstract = rng.random(n) < spec.no_abstract_share
    # Sub-topics: 2 or 3 per technology, and a few for works of no technology.
    subtopic_count = np.append(rng.integers(2, MAX_SUBTOPICS + 1, count), BACKGROUND_SUBTOPICS)
    row = np.where(has_technology, technology, count)
    first_subtopic = np.concatenate([[0], np.cumsum(subtopic_count)[:-1]])
    subtopic = first_subtopic[row] + (rng.random(n) * subtopic_count[row]).astype(np.int64)
    weights = _country_weights(spec, rng, roles)
    country = _draw(_offset_cdf(weights), row, rng.random(n), len(COUNTRIES))
    cited = _citations(spec, rng, roles, row, country, years)
    leap = ((years % 4 == 0) & (years % 100 != 0)) | (years % 400 == 0)
    day = (rng.random(n) * np.where(leap, 366, 365)).astype(np.int64)

    words = made_up_words((count + 1) * TECHNOLOGY_WORDS + int(subtopic_count.sum()) * SUBTOPIC_WORDS)
    technology_words = words[: (count + 1) * TECHNOLOGY_WORDS]
    subtopic_words = words[(count + 1) * TECHNOLOGY_WORDS :]
    names = _subtopic_names(leaves, subtopic_count)
    owner = np.repeat(np.arange(count + 1), subtopic_count).tolist()
    ids = np.char.add(f"{OA}W", (WORK_BASE + np.arange(n)).astype(str)).astype(object)
    by_subtopic = np.argsort(subtopic, kind="stable")
    bounds = np.searchsorted(subtopic[by_subtopic], np.arange(len(names) + 1))
    places = _places(weights)
    codes = list(COUNTRIES)
    planted = Planted(
        spec=spec,
        taxonomy=[dict(entry) for entry in (*AREAS, *LEAVES)],
        rising=[leaves[i] for i in roles.rising],
        flat=[leaves[i] for i in roles.flat],
        falling=[leaves[i] for i in roles.falling],
        dominated={leaves[roles.dominated]: DOMINANT},
        japan_leads=leaves[roles.japan_leads],
        japan_absent=leaves[roles.japan_absent],
        subtopics={name: ids[by_subtopic[bounds[i] : bounds[i + 1]]].tolist() for i, name in enumerate(names)},
        subtopic_technology={name: leaves[r] if r < count else None for name, r in zip(names, owner, strict=True)},
        subtopic_words={
            name: subtopic_words[i * SUBTOPIC_WORDS : (i + 1) * SUBTOPIC_WORDS] for i, name in enumerate(names)
        },
        works_per_year=_works_per_year(spec, leaves, years, technology, second),
        institutions=places.institutions,
        country_weights={leaves[t]: dict(zip(codes, weights[t].round(6).tolist(), strict=True)) for t in range(count)},
        truth=Truth(years, technology, second, japanese, subtopic, country, cited),
    )
    pool = 60
    return _Plan(
        spec=spec,
        planted=planted,
        no_abstract=no_abstract,
        day=day,
        percentile=_percentiles(years, row, cited) if spec.percentiles else None,
        lexicon=_lexicon(technology_words, subtopic_words),
        places=places,
        dominated=roles.dominated,
        japan_leads=roles.japan_leads,
        topics=_topics(names, subtopic_words, technology_words, owner),
        keywords=[_keywords(subtopic_words[i * SUBTOPIC_WORDS : (i + 1) * SUBTOPIC_WORDS]) for i in range(len(names))],
        sources=[
            {"source": {"display_name": f"Journal of {technology_words[t * TECHNOLOGY_WORDS].title()} Research"}}
            for t in range(count + 1)
        ],
        references=[f"{OA}W{REFERENCE_BASE + k}" for k in range(len(names) * pool + SHARED_REFERENCES)],
        reference_pool=pool,
    )


def _second_technology(
    rng: np.random.Generator, technology: Ints, year: Ints, shares: Floats, japan_absent: int
) -> Ints:
    """Another technology than the work's own, in proportion to the technologies' shares that year (so that
    passing mentions follow the same trends), never the one Japan is absent from (a work of another technology may
    have Japanese authors)."""
    weights = shares[: len(LEAVES)].T.copy()  # year × technology
    weights[:, japan_absent] = 0.0
    cdf = _offset_cdf(weights)
    chosen = _draw(cdf, year, rng.random(len(year)), len(LEAVES))
    for _ in range(50):  # redraw where the draw is the work's own technology; a few rounds settle nearly all
        again = chosen == technology
        if not again.any():
            break
        chosen[again] = _draw(cdf, year[again], rng.random(int(again.sum())), len(LEAVES))
    # Whatever is left after that (never seen in practice) takes the next technology that is not the absent one.
    left = chosen == technology
    chosen[left] = (technology[left] + 1) % len(LEAVES)
    chosen[left & (chosen == japan_absent)] = (chosen[left & (chosen == japan_absent)] + 1) % len(LEAVES)
    return chosen


def _roles(rng: np.random.Generator, count: int) -> _Roles:
    """Which technologies rise, stay flat and fall (four each), and which carry the country answers."""
    order = rng.permutation(count)
    rising, flat, falling = order[:4], order[4:8], order[8:12]
    return _Roles(rising, flat, falling, int(rising[0]), int(flat[0]), int(falling[0]))


def _shares(spec: PlantedSpec, rng: np.random.Generator, roles: _Roles) -> Floats:
    """Each technology's share of the corpus per year (rows), and a last row for works of no technology."""
    count = len(LEAVES)
    span = np.arange(spec.first_year, spec.last_year + 1)
    steps = np.clip(span - (spec.last_year - spec.rise_years), 0, None)
    base = np.empty(count)
    base[roles.rising], base[roles.flat], base[roles.falling] = spec.rising_share, spec.flat_share, spec.falling_share
    base *= rng.uniform(0.8, 1.25, count)  # so that no two technologies are alike
    base[roles.dominated] *= 1.5  # enough top-cited works for the institution rule to be clear
    factor = np.ones(count)
    factor[roles.rising], factor[roles.falling] = spec.rising_growth, spec.falling_growth
    shares = base[:, None] * factor[:, None] ** steps[None, :]
    rest = 1.0 - shares.sum(axis=0)
    if rest.min() < 0.05:
        raise ValueError("the planted shares leave less than 5 % of a year's works to no technology; lower them")
    return np.vstack([shares, rest[None, :]])


def _cells(spec: PlantedSpec, rng: np.random.Generator, shares: Floats) -> tuple[Ints, Ints]:
    """Each work's technology (-1: none) and year: exact counts per cell, works in random order (so that any
    prefix of the file is a sample of the whole)."""
    span = np.arange(spec.first_year, spec.last_year + 1)
    volume = spec.corpus_growth ** (span - spec.first_year)
    cells = _apportion((shares * volume[None, :]).ravel(), spec.works)
    row, year = np.divmod(np.arange(cells.size), len(span))
    order = rng.permutation(spec.works)
    technology = np.repeat(row, cells)[order]
    technology[technology == len(LEAVES)] = -1
    return technology, spec.first_year + np.repeat(year, cells)[order]


def _country_weights(spec: PlantedSpec, rng: np.random.Generator, roles: _Roles) -> Floats:
    """Shares of first authors by country: one row per technology, a last row for works of no technology."""
    base = np.array(BASE_WEIGHTS)
    weights = np.vstack([base[None, :] * rng.lognormal(0.0, 0.15, (len(LEAVES), len(base))), base[None, :]])
    weights /= weights.sum(axis=1, keepdims=True)
    codes = list(COUNTRIES)
    _plant_share(weights[roles.dominated], codes.index(DOMINANT), spec.dominant_share)
    _plant_share(weights[roles.japan_leads], codes.index("JP"), spec.japan_share)
    weights[roles.japan_absent, codes.index("JP")] = 0.0
    weights[roles.japan_absent] /= weights[roles.japan_absent].sum()
    return weights


def _plant_share(weights: Floats, country: int, share: float) -> None:
    """Give `country` `share` of the row, the others the rest in their proportions."""
    others = weights.copy()
    others[country] = 0.0
    weights[:] = others / others.sum() * (1.0 - share)
    weights[country] = share


def _citations(
    spec: PlantedSpec, rng: np.random.Generator, roles: _Roles, row: Ints, country: Ints, years: Ints
) -> Ints:
    """cited_by_count: Poisson with a rate of log-normal quality times the country's multiplier in the
    technology, times the exposure of the publication year."""
    multiplier = np.ones((len(LEAVES) + 1, len(COUNTRIES)))
    codes = list(COUNTRIES)
    multiplier[roles.dominated, codes.index(DOMINANT)] = spec.dominant_citations
    multiplier[roles.japan_leads, codes.index("JP")] = spec.japan_citations
    rate = 1.5 * rng.lognormal(0.0, 0.9, len(row)) * multiplier[row, country]
    exposure = np.array([_age_weights(spec, y).sum() for y in range(spec.first_year, spec.last_year + 1)])
    return np.asarray(rng.poisson(rate * exposure[years - spec.first_year]), dtype=np.int64)


def _age_weights(spec: PlantedSpec, year: int) -> Floats:
    """Relative citations in each calendar year (first_year..last_year) of a work published in `year`: few in its
    first year, most in the next, then slowly fewer."""
    age = np.arange(spec.first_year, spec.last_year + 1) - year
    return np.where(age < 0, 0.0, np.where(age == 0, 0.3, 0.93 ** np.clip(age - 1, 0, None)))


def _percentiles(years: Ints, row: Ints, cited: Ints) -> Floats:
    """OpenAlex-style citation percentile: the share of works of the same year and technology cited less (works
    with equal counts share a value)."""
    group = (years - years.min()) * (row.max() + 1) + row
    order = np.lexsort((cited, group))
    sorted_group, sorted_cited = group[order], cited[order]
    start = np.searchsorted(sorted_group, sorted_group, side="left")
    size = np.bincount(group)[sorted_group]
    combined = sorted_group * (int(cited.max()) + 1) + sorted_cited
    first_equal = np.searchsorted(combined, combined, side="left")
    value = np.empty(len(cited))
    value[order] = (first_equal - start) / size
    return value


def _works_per_year(
    spec: PlantedSpec, leaves: list[str], years: Ints, technology: Ints, second: Ints
) -> dict[str, dict[int, int]]:
    """Works naming each technology per year; an area counts a work naming two of its technologies once."""
    span = list(range(spec.first_year, spec.last_year + 1))
    area_of = np.array([[area["id"] for area in AREAS].index(leaf["parent"]) for leaf in LEAVES])
    result: dict[str, dict[int, int]] = {}
    for t, leaf in enumerate(leaves):
        counts = np.bincount(years[(technology == t) | (second == t)] - spec.first_year, minlength=len(span))
        result[leaf] = dict(zip(span, counts.tolist(), strict=True))
    for a, area in enumerate(AREAS):
        hit = ((technology >= 0) & (area_of[technology] == a)) | ((second >= 0) & (area_of[second] == a))
        counts = np.bincount(years[hit] - spec.first_year, minlength=len(span))
        result[area["id"]] = dict(zip(span, counts.tolist(), strict=True))
    return result


def _subtopic_names(leaves: list[str], subtopic_count: Ints) -> list[str]:
    names = [f"{leaf}/{k + 1}" for t, leaf in enumerate(leaves) for k in range(int(subtopic_count[t]))]
    return names + [f"none/{k + 1}" for k in range(int(subtopic_count[-1]))]
