"""Every sentence kizashi says outside a web page's own words: errors, refusals and explanations, in Japanese and
English from one table (English template → Japanese template), for the command line, the pages and the reports.

A `Message` is the English text itself (a `str`, so logs, the API and tests read English) that also knows its
template and parameters, so each door can say it in its reader's language: `Message("file is empty")`, or with
parameters, `Message("missing required column(s): {columns}", columns="name")`. The Japanese templates live in
`catalogue_*.py`, one module per area, merged here; a test finds every `Message("…")` in the source and fails on a
template without Japanese or with other placeholders, and on a raised error whose text is a bare literal.
"""

from __future__ import annotations

import os
from string import Formatter
from typing import Any

from kizashi.messages.catalogue_core import CORE
from kizashi.messages.catalogue_cti import CTI
from kizashi.messages.catalogue_doors import DOORS
from kizashi.messages.catalogue_files import FILES
from kizashi.messages.catalogue_know import KNOW
from kizashi.messages.catalogue_portfolio import PORTFOLIO
from kizashi.messages.catalogue_programme import PROGRAMME
from kizashi.messages.catalogue_protect import PROTECT
from kizashi.messages.catalogue_roadmap import ROADMAP
from kizashi.messages.catalogue_sightings import SIGHTINGS
from kizashi.messages.catalogue_stix import STIX

LANGUAGES = ("ja", "en")


def _merged(*tables: dict[str, str]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for table in tables:
        twice = merged.keys() & table.keys()
        if twice:
            raise RuntimeError(f"message templates defined twice: {sorted(twice)}")
        merged.update(table)
    return merged


JAPANESE: dict[str, str] = _merged(
    CORE, FILES, KNOW, PROTECT, DOORS, CTI, STIX, SIGHTINGS, ROADMAP, PORTFOLIO, PROGRAMME
)


class Message(str):
    """English text that can also be said in Japanese (see the module's docstring)."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, /, **params: Any) -> Message:
        text = template.format(**params) if params else template
        made = super().__new__(cls, text)
        made.template = template
        made.params = params
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuilt, (self.template, self.params))

    def said(self, lang: str) -> str:
        """This message in `lang` (ja or en); a template missing from the table falls back to English."""
        if lang != "ja":
            return str(self)
        template = JAPANESE.get(self.template)
        if template is None:
            return str(self)
        return template.format(**{name: said(value, lang) for name, value in self.params.items()})


class Words(str):
    """A word or name that a table elsewhere already has in both languages (a risk level, a role): English as the
    str, Japanese when said in Japanese; for a Message's parameters."""

    ja: str

    def __new__(cls, ja: str, en: str) -> Words:
        made = super().__new__(cls, en)
        made.ja = ja
        return made

    def __reduce__(self) -> tuple[Any, ...]:
        return (Words, (self.ja, str(self)))

    def said(self, lang: str) -> str:
        return self.ja if lang == "ja" else str(self)


def _rebuilt(template: str, params: dict[str, Any]) -> Message:
    return Message(template, **params)


def said(value: Any, lang: str) -> Any:
    """`value` in `lang` when it can say itself (a Message, an error); anything else unchanged, so that format
    specifications such as `{count:,}` still apply to numbers."""
    speak = getattr(value, "said", None)
    if callable(speak):
        return speak(lang)
    return value


def placeholders(template: str) -> set[str]:
    """The names a template formats (`{count:,}` → count), for the test that the two languages agree."""
    return {name.split(".")[0].split("[")[0] for _, name, _, _ in Formatter().parse(template) if name}


def environment_language() -> str:
    """The reader's language outside the web: KIZASHI_LANG (ja or en), else the locale's (LC_ALL, LC_MESSAGES,
    LANG: Japanese when it starts with ja), else English."""
    chosen = os.environ.get("KIZASHI_LANG", "").strip().lower()
    if chosen in LANGUAGES:
        return chosen
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"
