"""The scan's parameters and notes in the reader's language: what the report's summary and the workbook's summary
sheet show."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from kizashi.know.landscape.result import ScanResult
from kizashi.report.landscape.messages import MESSAGES, marking, say
from kizashi.report.landscape.values import rows_of, split_ids, technology_name, technology_order


def scan_parameters(result: ScanResult, lang: str) -> list[tuple[str, str]]:
    """The scan's parameters as (name, value) lines, label first: what the summary and the summary sheet show."""
    created_at = result.created_at
    when = created_at.strftime("%Y-%m-%d %H:%M")
    if created_at.tzinfo is not None:
        when = created_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M") + say("utc", lang)
    if result.year_from is None and result.year_to is None:
        period = say("period.all", lang)
    else:
        period = say("period", lang, start=result.year_from or "…", end=result.year_to or "…")
    engine = f"engine.{result.engine}"
    return [
        (say("param.label", lang), marking(result.label, lang)),
        (say("param.scan", lang), str(result.scan_id)),
        (say("param.created", lang), when),
        (say("param.engine", lang), say(engine, lang) if engine in MESSAGES else result.engine),
        (say("param.period", lang), period),
        (say("param.as_of", lang), result.as_of.isoformat() if result.as_of else "—"),
        (say("param.public", lang), say("yes" if result.public else "no", lang)),
        (say("param.works", lang), f"{result.works:,}"),
        (say("param.technologies", lang), f"{len(technology_order(result)):,}"),
        (say("param.fronts", lang), f"{len(rows_of(result, 'fronts')):,}"),
        (say("param.previous", lang), "—" if result.previous_scan is None else str(result.previous_scan)),
        (say("param.fingerprint", lang), result.fingerprint[:16]),
    ]


def _note_value(result: ScanResult, name: str, value: Any, lang: str) -> Any:
    if name == "technology":
        return technology_name(result, str(value), lang)
    if name == "technologies":
        return say("list_sep", lang).join(technology_name(result, t, lang) for t in split_ids(value))
    if name == "table" and f"sheet.{value}" in MESSAGES:
        return say(f"sheet.{value}", lang)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def note_texts(result: ScanResult, lang: str) -> list[str]:
    """The scan's notes in `lang`. A note key this module does not know is shown with its values as they are (and
    should get a message here)."""
    texts = []
    for key, values in result.notes:
        localised = {name: _note_value(result, name, value, lang) for name, value in values.items()}
        message = "note." + key.removeprefix("note_").removeprefix("note.")
        if message in MESSAGES:
            texts.append(say(message, lang, **localised))
        else:
            texts.append(" ".join([key, *(f"{name}={value}" for name, value in localised.items())]))
    return texts
