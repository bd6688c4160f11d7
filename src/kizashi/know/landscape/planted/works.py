"""The works as OpenAlex native JSON objects, a chunk at a time: texts, authorships, references and citations by
year drawn for the whole chunk, then one dict per work."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from kizashi.know.landscape.planted.data import (
    AUTHOR_BASE,
    AUTHORS_PER_INSTITUTION,
    CHUNK,
    COUNTRIES,
    LEAVES,
    OA,
    OPENALEX_WINDOW,
    SHARED_REFERENCES,
    WORK_BASE,
    Ints,
)
from kizashi.know.landscape.planted.draws import _draw, _draw_within, _flat
from kizashi.know.landscape.planted.plan import _age_weights, _Plan, _plan
from kizashi.know.landscape.planted.spec import Planted, PlantedSpec
from kizashi.know.landscape.planted.text import _inserts, _inverted_indexes, _japanese_title, _texts


def generate(spec: PlantedSpec | None = None) -> tuple[Planted, Iterator[dict[str, Any]]]:
    """What was planted, and the works as OpenAlex native JSON objects (yielded lazily, in id order)."""
    spec = spec or PlantedSpec()
    spec.validate()
    plan = _plan(spec)
    return plan.planted, _works(plan)


def _works(plan: _Plan) -> Iterator[dict[str, Any]]:
    for chunk, start in enumerate(range(0, plan.spec.works, CHUNK)):
        stop = min(start + CHUNK, plan.spec.works)
        with _collector_paused():
            works = _chunk(plan, start, stop, np.random.default_rng([plan.spec.seed, 1, chunk]))
        yield from works


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a chunk is built: its many small lists and dicts hold no cycles,
    and collecting among them would take 40 % of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _chunk(plan: _Plan, start: int, stop: int, rng: np.random.Generator) -> list[dict[str, Any]]:
    truth, m = plan.planted.truth, stop - start
    technology, second, subtopic = truth.technology[start:stop], truth.second[start:stop], truth.subtopic[start:stop]
    japanese, no_abstract = truth.japanese[start:stop], plan.no_abstract[start:stop]
    row = np.where(technology >= 0, technology, len(LEAVES))
    title_length = rng.integers(6, 11, m)
    abstract_length = np.where(no_abstract, 0, rng.integers(45, 80, m))
    in_title, in_abstract = _inserts(
        plan.lexicon, rng, technology, second, japanese, no_abstract, title_length, abstract_length
    )
    titles = _texts(plan.lexicon, rng, title_length, row, subtopic, (0.45, 0.10), in_title, None)
    abstracts = _texts(
        plan.lexicon, rng, abstract_length, row, subtopic, (0.45, 0.15), in_abstract, rng.integers(9, 16, m)
    )
    title_words = plan.lexicon.strings[titles.form].tolist()
    inverted = _inverted_indexes(plan.lexicon, abstracts)
    authorships = _authorships(plan, rng, start, stop, row)
    references = _references(plan, rng, subtopic)
    counts = _counts_by_year(plan.spec, rng, truth.year[start:stop], truth.cited_by_count[start:stop])
    dates = (truth.year[start:stop] - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    dates = dates + plan.day[start:stop].astype("timedelta64[D]")
    date_text = [str(day) for day in dates.tolist()]
    japanese_title = rng.random((m, 3)).tolist()
    keyword = rng.integers(0, 4, m).tolist()  # three keywords of six
    subtopics, rows, years = subtopic.tolist(), row.tolist(), truth.year[start:stop].tolist()
    cited, is_japanese = truth.cited_by_count[start:stop].tolist(), japanese.tolist()
    title_start = titles.start.tolist()
    works: list[dict[str, Any]] = []
    for i in range(m):
        number = WORK_BASE + start + i
        if is_japanese[i]:
            title = _japanese_title(plan.lexicon.phrases_ja[rows[i]], japanese_title[i])
        else:
            title = " ".join(title_words[title_start[i] : title_start[i + 1]])
        sub = subtopics[i]
        work: dict[str, Any] = {
            "id": f"{OA}W{number}",
            "doi": f"https://doi.org/10.5555/planted.{number}",
            "title": title,
            "display_name": title,
            "publication_year": years[i],
            "publication_date": date_text[i],
            "language": "ja" if is_japanese[i] else "en",
            "type": "article",
            "primary_location": {"source": dict(plan.sources[rows[i]]["source"])},
            "authorships": authorships[i],
            "countries_distinct_count": len({a["countries"][0] for a in authorships[i]}),
            "cited_by_count": cited[i],
            "counts_by_year": counts[i],
            "keywords": [dict(k) for k in plan.keywords[sub][keyword[i] : keyword[i] + 3]],
            "topics": [dict(plan.topics[sub])],
            "referenced_works": references[i],
            "abstract_inverted_index": inverted[i],
            "updated_date": f"{plan.spec.last_year}-12-31T00:00:00",
        }
        if plan.percentile is not None:
            work["citation_normalized_percentile"] = _percentile(float(plan.percentile[start + i]))
        works.append(work)
    return works


def _percentile(value: float) -> dict[str, Any]:
    return {"value": round(value, 6), "is_in_top_1_percent": value >= 0.99, "is_in_top_10_percent": value >= 0.9}


def _authorships(plan: _Plan, rng: np.random.Generator, start: int, stop: int, row: Ints) -> list[list[dict[str, Any]]]:
    """Authors of each work: the first in the work's lead country, co-authors mostly there too (often at the
    first author's institution), some abroad; a few affiliations name a country but no institution."""
    spec, places, m = plan.spec, plan.places, stop - start
    authors = 1 + np.minimum(rng.poisson(2.2, m), 11)
    owner, first = _flat(authors)
    slots = len(owner)
    position = np.arange(slots) - first[owner]
    in_dominated = row[owner] == plan.dominated
    chance = np.where(in_dominated, spec.international_share / 3, spec.international_share)
    abroad = (position > 0) & (rng.random(slots) < chance)
    drawn = _draw(places.country_cdf, row[owner], rng.random(slots), len(COUNTRIES))
    country = np.where(abroad, drawn, plan.planted.truth.country[start:stop][owner])
    # In the dominated technology every institution of a country is equally likely: the dominant country's
    # top-cited works then spread over all its institutions and fill the top of the institution ranking. In the
    # technology Japan leads, a few institutions per country do most of the work, so that Japan leads without
    # holding most of the top institutions (a lead, not a monopoly).
    u = rng.random(slots)
    last, lower = places.institution_last[country], places.institution_first[country]
    institution = np.where(
        in_dominated,
        _draw_within(places.institution_uniform_cdf, country, u, lower, last),
        np.where(
            row[owner] == plan.japan_leads,
            _draw_within(places.institution_steep_cdf, country, u, lower, last),
            _draw_within(places.institution_cdf, country, u, lower, last),
        ),
    )
    same = (position > 0) & ~abroad & (rng.random(slots) < 0.4)
    institution = np.where(same, institution[first[:-1]][owner], institution)
    author = institution * AUTHORS_PER_INSTITUTION + rng.integers(0, AUTHORS_PER_INSTITUTION, slots)
    unaffiliated = (rng.random(slots) < 0.08).tolist()
    codes = list(COUNTRIES)
    institution_list, country_list, author_list = institution.tolist(), country.tolist(), author.tolist()
    bounds, count = first.tolist(), authors.tolist()
    result: list[list[dict[str, Any]]] = []
    for i in range(m):
        result.append(
            [
                _authorship(
                    plan,
                    institution_list[s],
                    codes[country_list[s]],
                    author_list[s],
                    s - bounds[i],
                    count[i],
                    unaffiliated[s],
                )
                for s in range(bounds[i], bounds[i + 1])
            ]
        )
    return result


def _authorship(
    plan: _Plan, institution: int, country: str, author: int, position: int, authors: int, unaffiliated: bool
) -> dict[str, Any]:
    place = "first" if position == 0 else "last" if position == authors - 1 else "middle"
    name = plan.places.authors[author]
    return {
        "author_position": place,
        "author": {"id": f"{OA}A{AUTHOR_BASE + author}", "display_name": name, "orcid": None},
        # An affiliation without a resolved institution still names its country, as OpenAlex's often do.
        "institutions": [] if unaffiliated else [dict(plan.places.institutions[institution])],
        "countries": [country],
        "is_corresponding": position == 0,
        "raw_author_name": name,
    }


def _references(plan: _Plan, rng: np.random.Generator, subtopic: Ints) -> list[list[str]]:
    """Cited works: most from the sub-topic's pool (so works of a sub-topic are bibliographically coupled), the
    rest from a pool all works share; each cited once."""
    counts = rng.integers(5, 26, len(subtopic))
    owner, start = _flat(counts)
    pool = plan.reference_pool
    shared = len(plan.references) - SHARED_REFERENCES
    index = np.where(
        rng.random(len(owner)) < 0.7,
        subtopic[owner] * pool + rng.integers(0, pool, len(owner)),
        shared + rng.integers(0, SHARED_REFERENCES, len(owner)),
    )
    cited = [plan.references[k] for k in index.tolist()]
    bounds = start.tolist()
    return [list(dict.fromkeys(cited[bounds[i] : bounds[i + 1]])) for i in range(len(subtopic))]


def _counts_by_year(
    spec: PlantedSpec, rng: np.random.Generator, years: Ints, cited: Ints
) -> list[list[dict[str, int]]]:
    """Each work's citations split over the years since publication; OpenAlex's window, newest first, years
    without citations left out."""
    calendar = np.arange(spec.first_year, spec.last_year + 1)
    probabilities = np.vstack([_age_weights(spec, int(year)) for year in calendar])
    probabilities /= probabilities.sum(axis=1, keepdims=True)
    split = rng.multinomial(cited, probabilities[years - spec.first_year])
    window = calendar >= spec.last_year - OPENALEX_WINDOW + 1
    shown = calendar[window][::-1].tolist()
    rows = split[:, window][:, ::-1].tolist()
    return [[{"year": y, "cited_by_count": c} for y, c in zip(shown, row, strict=True) if c] for row in rows]
