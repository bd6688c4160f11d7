"""Reading records back: counts by kind and listings, always through the access policy (kizashi/policy)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, Table, and_, func, or_

from kizashi.errors import InputError, NotFound
from kizashi.messages import Message
from kizashi.model import RECORD_KINDS
from kizashi.policy import Clearance, Label
from kizashi.store.readable import LABEL_COLUMNS, select_readable, select_trusted
from kizashi.store.workspace import Workspace

# Columns a listing shows by default, per kind; the rest are in --format json.
LIST_COLUMNS = {
    "needs": ["id", "title", "lang", "organization", "country", "trl", "threat", "deadline", "level"],
    "seeds": ["id", "title", "lang", "organization", "country", "trl", "level"],
    "works": ["id", "source", "year", "title", "doi", "countries", "cited_by_count", "level"],
    "threats": ["id", "category", "name_ja", "name_en", "likelihood", "impact", "horizon", "level"],
    "technologies": ["id", "parent", "name_ja", "name_en", "level"],
}

# Columns a free-text search looks in, and columns a listing may be filtered on by equality.
SEARCH_COLUMNS = {
    "needs": ["id", "title", "description", "organization", "threat"],
    "seeds": ["id", "title", "description", "organization"],
    "works": ["id", "title", "abstract", "doi"],
    "threats": ["id", "name_en", "name_ja", "description_en", "description_ja", "category"],
    "technologies": ["id", "name_en", "name_ja", "description_en", "description_ja"],
}
FILTER_COLUMNS = {
    "needs": ["level", "lang", "country", "source"],
    "seeds": ["level", "lang", "country", "source"],
    "works": ["level", "source", "year", "type"],
    "threats": ["level", "category", "horizon"],
    "technologies": ["level", "parent"],
}


def table_of(kind: str) -> Table:
    model = RECORD_KINDS.get(kind)
    if model is None:
        raise InputError(
            Message("unknown kind '{kind}'; use one of {choices}", kind=kind, choices=", ".join(RECORD_KINDS))
        )
    return model.__table__  # type: ignore[return-value]


def counts(workspace: Workspace, clearance: Clearance) -> dict[str, int]:
    """How many records of each kind `clearance` may read (a count of the others would leak that they exist)."""
    with workspace.session() as session:
        return {
            kind: session.execute(
                select_readable(clearance, workspace.backend, kind, columns=[func.count()])
            ).scalar_one()
            for kind in RECORD_KINDS
        }


def readable_label(workspace: Workspace, clearance: Clearance) -> Label:
    """The label of a product built from every record `clearance` may read (counts, a dashboard): the highest of
    their distinct labels."""
    labels: list[Label] = []
    with workspace.session() as session:
        for kind in RECORD_KINDS:
            table = table_of(kind)
            columns = [table.c[name] for name in LABEL_COLUMNS]
            statement = select_readable(clearance, workspace.backend, table, columns=columns).distinct()
            labels.extend(Label.of(dict(row)) for row in session.execute(statement).mappings())
    return Label.highest(labels)


def iter_records(
    workspace: Workspace, kind: str, clearance: Clearance, limit: int | None = None
) -> Iterator[dict[str, Any]]:
    """The records of `kind` that `clearance` may read, in id order. An unknown kind raises InputError here."""
    table = table_of(kind)
    statement = select_readable(clearance, workspace.backend, table).order_by(table.c.id)
    if limit is not None:
        statement = statement.limit(limit)
    return _rows(workspace, statement)


def _rows(workspace: Workspace, statement: Select[Any]) -> Iterator[dict[str, Any]]:
    with workspace.session() as session:
        for row in session.execute(statement).mappings():
            yield dict(row)


def get_record(workspace: Workspace, kind: str, record_id: str, clearance: Clearance) -> dict[str, Any]:
    """One record, or NotFound, worded the same whether it is missing or above the reader: the difference would
    tell an outsider that it exists."""
    table = table_of(kind)
    row = None
    if "\x00" not in record_id:  # no stored id holds one (ingest refuses them), and PostgreSQL cannot compare it
        statement = select_readable(clearance, workspace.backend, table).where(table.c.id == record_id)
        with workspace.session() as session:
            row = session.execute(statement).mappings().first()
    if row is None:
        raise NotFound(Message("no record '{id}' among the {kind}", id=record_id, kind=kind))
    return dict(row)


# A structured search (kizashi.know.search_terms) is a list of groups, all of which must match. Bounds keep its SQL
# small on both backends whatever the query: every alternative costs one LIKE per searchable column and word start.
MAX_GROUPS = 250  # a 500-character query has at most 250 words
MAX_GROUP_WORDS = 8
MAX_ALTERNATIVES = 12
# Where a word starts: an alternative in Latin script ("search", "UAV") is matched only at the start of a value or
# after one of these characters, so that "search" does not find "research", nor "art" "start". An alternative in
# Japanese script, which has no spaces between words, is matched anywhere.
WORD_SEPARATORS = (" ", "\n", "(", "-", "/")


@dataclass(frozen=True)
class SearchGroup:
    """One part of a search: each of `words` occurs in some searchable column (anywhere, case-insensitively: the
    search as typed), or any one of `alternatives` does (its translations; at a word start if it is in Latin script).
    A group without alternatives is a plain word of the query."""

    words: tuple[str, ...]
    alternatives: tuple[str, ...] = ()


def literal_groups(query: str) -> tuple[SearchGroup, ...]:
    """The query as typed: each word (split at white space) a group of its own, without alternatives."""
    return tuple(SearchGroup((word,)) for word in query.split())


def at_word_start(alternative: str) -> bool:
    """Whether an alternative is matched at a word start only: it begins with a letter or digit of ASCII."""
    return alternative[:1].isascii() and alternative[:1].isalnum()


def _escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like_pattern(text: str) -> str:
    return f"%{_escaped(text)}%"


def _matches(column: ColumnElement[Any], pattern: str, backend: str) -> ColumnElement[bool]:
    # Case-insensitive on both backends. SQLite's LIKE already ignores the case of ASCII letters, and only of those,
    # as its lower() does: LIKE alone means the same as lower(x) LIKE lower(y) and copies no value per comparison.
    if backend == "sqlite":
        return column.like(pattern, escape="\\")
    return column.ilike(pattern, escape="\\")


def _alternative(column: ColumnElement[Any], alternative: str, backend: str) -> ColumnElement[bool]:
    anywhere = _matches(column, _like_pattern(alternative), backend)
    if not at_word_start(alternative):
        return anywhere
    # Anywhere first: the few values that hold it at all are the only ones scanned again for a word start.
    escaped = _escaped(alternative)
    starts = [f"{escaped}%", *(f"%{separator}{escaped}%" for separator in WORD_SEPARATORS)]
    return and_(anywhere, or_(*(_matches(column, pattern, backend) for pattern in starts)))


def _group_condition(table: Table, kind: str, group: SearchGroup, backend: str) -> ColumnElement[bool]:
    columns = [table.c[name] for name in SEARCH_COLUMNS[kind]]
    # Each word in some column (the words of one group may be in different columns, as the words of a query are).
    literal = and_(
        *(or_(*(_matches(column, _like_pattern(word), backend) for column in columns)) for word in group.words)
    )
    if not group.alternatives:
        return literal
    if backend == "postgresql":
        # One case-insensitive regular expression per column for all the alternatives, the same test as the LIKEs
        # below: on PostgreSQL each ILIKE folds the whole value again (eight ILIKEs over 5,000 abstracts took 680 ms,
        # one expression with the eight alternatives 100 ms).
        expression = _alternatives_regex(group.alternatives)
        return or_(literal, *(column.regexp_match(expression, flags="i") for column in columns))
    return or_(literal, *(_alternative(column, text, backend) for text in group.alternatives for column in columns))


def _regex_literal(text: str) -> str:
    # In PostgreSQL's regular expressions a backslash before a character that is not a letter or digit stands for
    # that character: every other character is escaped, so nothing of the query is read as an operator.
    return "".join(char if char.isalnum() else "\\" + char for char in text)


def _alternatives_regex(alternatives: Sequence[str]) -> str:
    word_start = [_regex_literal(text) for text in alternatives if at_word_start(text)]
    anywhere = [_regex_literal(text) for text in alternatives if not at_word_start(text)]
    separators = "".join(sorted(WORD_SEPARATORS, key=lambda char: char == "-"))  # "-" last: literal in brackets
    parts = []
    if word_start:
        parts.append(f"(^|[{separators}])({'|'.join(word_start)})")
    if anywhere:
        parts.append(f"({'|'.join(anywhere)})")
    return "|".join(parts)


def _checked(groups: Sequence[SearchGroup]) -> None:
    if len(groups) > MAX_GROUPS:
        raise InputError(Message("a search may have at most {count} words", count=MAX_GROUPS), field="q")
    for group in groups:
        if not group.words or len(group.words) > MAX_GROUP_WORDS or len(group.alternatives) > MAX_ALTERNATIVES:
            raise InputError(
                Message(
                    "a search group holds 1 to {words} words and at most {alternatives} alternatives",
                    words=MAX_GROUP_WORDS,
                    alternatives=MAX_ALTERNATIVES,
                ),
                field="q",
            )
        if any(not text or "\x00" in text for text in (*group.words, *group.alternatives)):
            raise InputError(Message("a search may not contain a NUL character or an empty word"), field="q")


def search_conditions(
    table: Table,
    kind: str,
    query: str | Sequence[SearchGroup] = "",
    filters: dict[str, str] | None = None,
    backend: str = "",
) -> list[ColumnElement[bool]]:
    """WHERE conditions for a search: the query (a string: every word of it in some searchable column; or a
    structured query: every group matches, see SearchGroup), and each filter equal. Every value is a bound
    parameter; LIKE's wildcards in the query are escaped, so a word matches as written. Words are compared without
    the case of ASCII letters on every backend; `backend` ("sqlite") only chooses the cheaper way to say so."""
    if isinstance(query, str):
        if "\x00" in query:
            raise InputError(Message("a search may not contain a NUL character"), field="q")
        groups = literal_groups(query)
    else:
        groups = tuple(query)
    if any("\x00" in value for value in (filters or {}).values()):
        raise InputError(Message("a search may not contain a NUL character"), field="q")
    _checked(groups)
    conditions: list[ColumnElement[bool]] = [_group_condition(table, kind, group, backend) for group in groups]
    for name, value in (filters or {}).items():
        if name not in FILTER_COLUMNS[kind]:
            raise InputError(
                Message(
                    "cannot filter {kind} on '{name}'; use {columns}",
                    kind=kind,
                    name=name,
                    columns=", ".join(FILTER_COLUMNS[kind]),
                ),
                field=name,
            )
        column = table.c[name]
        if value == "":
            continue
        if name == "year":
            if not value.isdigit():
                raise InputError(Message("year '{value}' is not a number", value=value), field=name)
            conditions.append(column == int(value))
        else:
            conditions.append(column == value)
    return conditions


def search(
    workspace: Workspace,
    kind: str,
    clearance: Clearance,
    *,
    query: str | Sequence[SearchGroup] = "",
    filters: dict[str, str] | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """A page of the records of `kind` that `clearance` may read and that match (`query` as in search_conditions);
    and how many match in all (counted under the same filter, so the total never counts what the reader may not
    see)."""
    table = table_of(kind)
    where = search_conditions(table, kind, query, filters, workspace.backend)
    with workspace.session() as session:
        counted = select_readable(clearance, workspace.backend, table, columns=[func.count()]).where(*where)
        total = session.execute(counted).scalar_one()
        page = select_readable(clearance, workspace.backend, table).where(*where).order_by(table.c.id)
        rows = session.execute(page.limit(limit).offset(offset)).mappings()
        return [dict(row) for row in rows], total


def facet(workspace: Workspace, kind: str, column: str, clearance: Clearance) -> list[tuple[Any, int]]:
    """Distinct values of a filter column with their counts, over the readable records only."""
    table = table_of(kind)
    if column not in FILTER_COLUMNS[kind]:
        raise InputError(Message("cannot facet {kind} on '{column}'", kind=kind, column=column), field=column)
    statement = (
        select_readable(clearance, workspace.backend, table, columns=[table.c[column], func.count()])
        .where(table.c[column].is_not(None))
        .group_by(table.c[column])
        .order_by(table.c[column])
    )
    with workspace.session() as session:
        return [(value, count) for value, count in session.execute(statement)]


def exists(workspace: Workspace, kind: str, record_id: str) -> bool:
    """Whether any record has this id, whoever may read it: for kizashi's own bookkeeping, never shown to a user."""
    table = table_of(kind)
    with workspace.session() as session:
        found = select_trusted(table.c.id, why="a new record's id must be unused").where(table.c.id == record_id)
        return session.execute(found).first() is not None
