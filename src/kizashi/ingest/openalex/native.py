"""An OpenAlex work from OpenAlex's own JSON: the snapshot's and the API's records, with their authorships,
institutions and concepts.

Native records are read as OpenAlex gives them: a `.jsonl`/`.ndjson` file with one work per line (the
snapshot, usually gzipped) or a `.json` file holding one work, a bare array or an API page
(`{"meta": ..., "results": [...]}`).

The native path is the hot path of large imports: a handful of typed extraction functions (`fields`), each field
looked up once, no validation framework per work, and the abstract rebuilt from its inverted index in linear time.
"""

from __future__ import annotations

from typing import Any

from kizashi.ingest.openalex.fields import (
    ID_PREFIX,
    SOURCE,
    Bad,
    abstract,
    bare_doi,
    boolean,
    cited_by_year,
    day,
    extra,
    integer,
    items,
    kind,
    mapping,
    names,
    number,
    short,
    short_ids,
    text,
)
from kizashi.ingest.works import Author, Institution, new_work
from kizashi.messages import Message


def native_work(record: dict[str, Any]) -> dict[str, Any]:
    get = record.get
    raw_id = text(get("id"), "id")
    if raw_id is None:
        ids = mapping(get("ids"), "ids")
        raw_id = text(ids.get("openalex"), "ids.openalex") if ids else None
        if raw_id is None:
            raise Bad("id", Message("required value is missing"))
    # Some real works (older Springer articles among them) have neither; they are still citable works with ids.
    title = text(get("title"), "title") or text(get("display_name"), "display_name") or ""
    doi = text(get("doi"), "doi")
    published = day(get("publication_date"), "publication_date")
    year = integer(get("publication_year"), "publication_year")
    if year is None and published is not None:
        year = published.year
    try:
        abstract_text = abstract(get("abstract_inverted_index"))
    except Bad as bad:
        raise bad.within("abstract_inverted_index") from None
    authors, institutions, countries = _authorships(get("authorships"))
    percentile = mapping(get("citation_normalized_percentile"), "citation_normalized_percentile")
    if percentile:
        citation_percentile = number(percentile.get("value"), "citation_normalized_percentile.value")
        is_top10 = boolean(
            percentile.get("is_in_top_10_percent"), "citation_normalized_percentile.is_in_top_10_percent"
        )
    else:
        citation_percentile = is_top10 = None
    topics = names(get("topics"), "topics", "display_name")
    if not topics:
        topics = _concepts(get("concepts"))
    # `grants` until 2025; then `funders` (and `awards`, each naming its funder) replaced it.
    funders = names(get("grants"), "grants", "funder_display_name")
    newer, awards = get("funders"), get("awards")
    if newer or awards:
        funders = list(
            dict.fromkeys(
                funders + names(newer, "funders", "display_name") + names(awards, "awards", "funder_display_name")
            )
        )
    location = mapping(get("primary_location"), "primary_location") or {}
    source = mapping(location.get("source"), "primary_location.source") or {}
    kept = extra(
        text(source.get("display_name"), "primary_location.source.display_name"),
        number(get("fwci"), "fwci"),
        text(get("updated_date"), "updated_date"),
        _counts_by_year(get("counts_by_year")),
    )
    return new_work(
        ID_PREFIX + raw_id.rpartition("/")[2],
        SOURCE,
        title,
        doi=bare_doi(doi) if doi else None,
        abstract=abstract_text,
        year=year,
        date=published,
        type=text(get("type"), "type"),
        language=text(get("language"), "language"),
        authors=authors,
        institutions=institutions,
        countries=countries,
        cited_by_count=integer(get("cited_by_count"), "cited_by_count"),
        citation_percentile=citation_percentile,
        is_top10=is_top10,
        referenced_works=short_ids(get("referenced_works"), "referenced_works"),
        topics=topics,
        keywords=names(get("keywords"), "keywords", "display_name", "keyword"),
        funders=funders,
        extra=kept,
    )


def _counts_by_year(value: Any) -> dict[str, int] | None:
    years: list[Any] = []
    counts: list[Any] = []
    for position, entry in enumerate(items(value, "counts_by_year")):
        if type(entry) is not dict:
            raise Bad(f"counts_by_year[{position}]", Message("expected an object, found {found}", found=kind(entry)))
        years.append(entry.get("year"))
        counts.append(entry.get("cited_by_count"))
    return cited_by_year(years, counts, "counts_by_year")


def _concepts(value: Any) -> list[str]:
    """Concept names, the fallback for works without topics; zero-score concepts (bare ancestors) left out."""
    names: dict[str, None] = {}
    for position, concept in enumerate(items(value, "concepts")):
        try:
            if type(concept) is not dict:
                raise Bad("", Message("expected an object, found {found}", found=kind(concept)))
            score = number(concept.get("score"), "score")
            if score is not None and score <= 0:
                continue
            name = text(concept.get("display_name"), "display_name")
        except Bad as bad:
            raise bad.within(f"concepts[{position}]") from None
        if name:
            names[name] = None
    return list(names)


def _authorships(value: Any) -> tuple[list[Author], list[Institution], list[str]]:
    authors: list[Author] = []
    institutions: dict[str, Institution] = {}
    countries: dict[str, None] = {}
    for position, authorship in enumerate(items(value, "authorships")):
        try:
            authors.append(_authorship(authorship, institutions, countries))
        except Bad as bad:
            raise bad.within(f"authorships[{position}]") from None
    return authors, list(institutions.values()), list(countries)


def _authorship(authorship: Any, institutions: dict[str, Institution], countries: dict[str, None]) -> Author:
    if type(authorship) is not dict:
        raise Bad("", Message("expected an object, found {found}", found=kind(authorship)))
    get = authorship.get
    person = get("author")
    if type(person) is dict:
        author_id = short(person.get("id"), "author.id")
        orcid = short(person.get("orcid"), "author.orcid")
        name = text(person.get("display_name"), "author.display_name")
    elif person is None:
        author_id = orcid = name = None
    else:
        raise Bad("author", Message("expected an object, found {found}", found=kind(person)))
    if name is None:
        name = text(get("raw_author_name"), "raw_author_name")
    own_institutions: list[str] = []
    items = get("institutions")
    if items:
        if type(items) is not list:
            raise Bad("institutions", Message("expected a list, found {found}", found=kind(items)))
        for position, institution in enumerate(items):
            try:
                key, country = _institution(institution, institutions)
            except Bad as bad:
                raise bad.within(f"institutions[{position}]") from None
            own_institutions.append(key)
            if country is not None:
                countries[country] = None
    own_countries: list[str] = []
    items = get("countries")
    if items:
        if type(items) is not list:
            raise Bad("countries", Message("expected a list, found {found}", found=kind(items)))
        for position, country in enumerate(items):
            if type(country) is not str:
                raise Bad(
                    f"countries[{position}]", Message("expected a country code, found {found}", found=kind(country))
                )
            code = country.strip().upper()
            if code:
                own_countries.append(code)
                countries[code] = None
    return {
        "id": author_id,
        "name": name or "",
        "orcid": orcid,
        "position": text(get("author_position"), "author_position"),
        "institutions": own_institutions,
        "countries": own_countries,
    }


def _institution(value: Any, institutions: dict[str, Institution]) -> tuple[str, str | None]:
    """Record one institution of an authorship (once per work); its key (short id, or name) and country."""
    if type(value) is not dict:
        raise Bad("", Message("expected an object, found {found}", found=kind(value)))
    get = value.get
    key = short(get("id"), "id")
    known = institutions.get(key) if key is not None else None
    if known is not None:
        return key, known["country"]  # type: ignore[return-value]
    name = text(get("display_name"), "display_name")
    country = text(get("country_code"), "country_code")
    if country is not None:
        country = country.upper()
    institution: Institution = {
        "id": key,
        "name": name or "",
        "ror": short(get("ror"), "ror"),
        "country": country,
        "type": text(get("type"), "type"),
    }
    if key is None:
        if name is None:
            raise Bad("", Message("an institution with neither id nor display_name"))
        key = name
        institutions.setdefault(key, institution)
    else:
        institutions[key] = institution
    return key, country
