"""Stored words shown as words: a column name, a label level, a role, an enum value → the page language's word.

The store keeps stable English identifiers (`tlp_owner`, `CONFIDENTIAL`, `principal_investigator`, `near`); a reader
sees the message table's words for them (i18n.MESSAGES). A value the table does not know is shown as it is: it is
data (a source file's own column, a category added to a catalogue), not a word of kizashi's.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from kizashi.ingest.reference import threat_categories
from kizashi.web.i18n import MESSAGES, translate


def term(prefix: str, value: object, lang: str) -> str:
    """`term("state", "under_review", "ja")` → 審査中; an unknown or empty value as it is."""
    if value is None or value == "":
        return ""
    key = f"{prefix}_{value}"
    return translate(key, lang) if key in MESSAGES else str(value)


def terms(prefix: str, values: Iterable[object] | None, lang: str) -> str:
    """Several values in words, joined as the language joins a list."""
    return ("、" if lang == "ja" else ", ").join(term(prefix, value, lang) for value in values or ())


def field_name(name: str, lang: str) -> str:
    """A record's column: `field_<name>` where the bare key would mean something else, else the bare key."""
    for key in (f"field_{name}", name):
        if key in MESSAGES:
            return translate(key, lang)
    return name


def extra_name(key: str, lang: str) -> str | None:
    """A known key of a record's `extra` (what an importer writes), or None for a source file's own column."""
    found = f"extra_{key}"
    return translate(found, lang) if found in MESSAGES else None


def category_name(key: object, lang: str) -> str:
    if key is None or key == "":
        return ""
    names = threat_categories().get(str(key))
    return str(key) if names is None else names[0 if lang == "ja" else 1]


# A column → how its values are said, for lists and facets; a column not here shows its values as data.
_VALUE_PREFIX = {"level": "level", "horizon": "horizon", "tlp": "tlp"}


def column_value(column: str, value: object, lang: str) -> str:
    """A listed cell or a facet's option: an enum column's value in words, any other value as it is."""
    if column == "category":
        return category_name(value, lang)
    prefix = _VALUE_PREFIX.get(column)
    if prefix is None:
        return "" if value is None else str(value)
    return term(prefix, value, lang)


def helpers(lang: str) -> dict[str, Callable[..., str | None]]:
    """The functions every template gets, bound to the page's language."""
    return {
        "term": lambda prefix, value: term(prefix, value, lang),
        "level_name": lambda level: term("level", level, lang),
        "role_name": lambda role: term("role", role, lang),
        "role_names": lambda roles: terms("role", roles, lang),
        "terms": lambda prefix, values: terms(prefix, values, lang),
        "field_name": lambda name: field_name(name, lang),
        "extra_name": lambda key: extra_name(key, lang),
        "category_name": lambda key: category_name(key, lang),
        "column_value": lambda column, value: column_value(column, value, lang),
    }
