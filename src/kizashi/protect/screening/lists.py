"""Screening lists read in their official formats, each with its version (source, date, SHA-256).

Formats: UN Security Council consolidated XML; OFAC legacy CSV (the sdn/alt/add or cons_prim/alt/add trio, given
as their folder; the files have no header row); OpenSanctions FollowTheMoney JSON lines; the generic CSV
`id,name,aliases,type,country,list,program`; Japan's export-ban designations (the MOFA notices for third countries and
Belarus that METI publishes; not METI's End User List) as `parsed_entities.json`. `read_list`
tells them apart by path and content. Every structural problem is an InputError naming file, row and field.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import orjson

from kizashi.errors import InputError
from kizashi.files.limits import Limits, bounded, check_rows, check_structure, open_binary
from kizashi.files.tabular import Row, csv_rows, iter_rows, json_object, suffix_of
from kizashi.files.xml import parse_xml
from kizashi.messages import Message
from kizashi.protect.screening.entries import ListEntry, ListVersion, ScreeningList, entry_type, unknown_type

__all__ = ["FORMATS", "detect_format", "read_list", "read_lists"]

FORMATS = ("un-xml", "ofac-csv", "ftm-jsonl", "generic-csv", "meti-json")


def read_lists(paths: Sequence[Path]) -> list[ScreeningList]:
    return [read_list(path) for path in paths]


def read_list(path: Path) -> ScreeningList:
    kind = detect_format(path)
    readers = {
        "un-xml": _read_un,
        "ofac-csv": _read_ofac,
        "ftm-jsonl": _read_ftm,
        "generic-csv": _read_generic,
        "meti-json": _read_meti,
    }
    screening_list = readers[kind](path)
    if not screening_list.entries:
        raise InputError(Message("the list holds no entries"), file=path)
    return screening_list


def detect_format(path: Path) -> str:
    if not path.exists():
        raise InputError(Message("no such file or folder"), file=path)
    if path.is_dir():
        _ofac_files(path)  # raises when the trio is not there
        return "ofac-csv"
    suffix = suffix_of(path)
    if suffix == ".xml":
        return "un-xml"
    if suffix in (".jsonl", ".ndjson", ".ftm"):
        return "ftm-jsonl"
    if suffix == ".json":
        with open_binary(path) as handle:
            head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
        # METI's parsed list is one JSON array; FollowTheMoney exports are one entity per line.
        return "meti-json" if head.startswith(b"[") else "ftm-jsonl"
    if suffix == ".csv":
        if path.name.lower() in _OFAC_NAMES["prim"]:
            return "ofac-csv"
        return "generic-csv"
    raise InputError(
        Message(
            "unknown list format '{format}': give a UN XML file, an OFAC CSV folder, FollowTheMoney "
            "JSON lines, METI parsed_entities.json or the generic CSV",
            format=suffix or path.name,
        ),
        file=path,
    )


def _sha256(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _version(source: str, name: str, path: Path, files: Sequence[Path], date: str | None = None) -> ListVersion:
    # Only a date the list states: a file's modification day says when it was copied, not when the list was published.
    return ListVersion(source, name, date or "", _sha256(files), str(path))


# --- UN Security Council consolidated XML ------------------------------------------------------------------------


def _read_un(path: Path) -> ScreeningList:
    with bounded(path) as source:
        root = parse_xml(source.document(), path)
    if root.tag != "CONSOLIDATED_LIST":
        raise InputError(
            Message("not a UN consolidated list (root element <{tag}>)", tag=root.tag), file=path, field=root.tag
        )
    date = (root.get("dateGenerated") or "")[:10] or None
    version = _version("un-xml", "UN SC Consolidated", path, [path], date)
    entries: list[ListEntry] = []
    limits = Limits.current()
    for kind, tag in (("person", "INDIVIDUAL"), ("organisation", "ENTITY")):
        for number, element in enumerate(root.iter(tag), start=1):
            check_rows(len(entries) + 1, path, limits)
            entries.append(_un_entry(element, kind, tag, path, number))
    return ScreeningList(version, entries)


def _text(element: Element, path: str) -> str:
    found = element.find(path)
    return " ".join((found.text or "").split()) if found is not None else ""


def _un_entry(element: Element, kind: str, tag: str, path: Path, number: int) -> ListEntry:
    parts = [_text(element, part) for part in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
    name = " ".join(part for part in parts if part)
    entry_id = _text(element, "REFERENCE_NUMBER") or _text(element, "DATAID")
    if not name:
        raise InputError(
            Message("{tag} {number} ({id}) has no name", tag=tag, number=number, id=entry_id or Message("no id")),
            file=path,
            row=number,
            field="FIRST_NAME",
        )
    if not entry_id:
        raise InputError(
            Message("{tag} {number} has no id", tag=tag, number=number), file=path, row=number, field="REFERENCE_NUMBER"
        )
    aliases = [_text(alias, "ALIAS_NAME") for alias in element.iter(f"{tag}_ALIAS")]
    aliases.append(_text(element, "NAME_ORIGINAL_SCRIPT"))
    countries = [" ".join((v.text or "").split()) for v in element.iterfind("NATIONALITY/VALUE")]
    countries += [_text(address, "COUNTRY") for address in element.iter(f"{tag}_ADDRESS")]
    return ListEntry(
        list="UN SC Consolidated",
        entry_id=entry_id,
        name=name,
        aliases=_unique(a for a in aliases if a and a != name),
        type=kind,
        countries=_unique(c for c in countries if c),
        program=_text(element, "UN_LIST_TYPE") or None,
    )


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


# --- OFAC legacy CSV ------------------------------------------------------------------------------------------------

_OFAC_NAMES = {
    "prim": ("sdn.csv", "cons_prim.csv"),
    "alt": ("alt.csv", "cons_alt.csv"),
    "add": ("add.csv", "cons_add.csv"),
}
# Column names from OFAC's legacy data specification, for the messages; the files themselves have no header.
_PRIM_COLUMNS = ("ent_num", "SDN_Name", "SDN_Type", "Program", "Title", "Call_Sign", "Vess_type", "Tonnage", "GRT",
                 "Vess_flag", "Vess_owner", "Remarks")  # fmt: skip
_ALT_COLUMNS = ("ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks")
_ADD_COLUMNS = ("ent_num", "Add_num", "Address", "City/State/Province/Postal Code", "Country", "Add_remarks")
_OFAC_TYPES = {"individual": "person", "vessel": "vessel", "aircraft": "aircraft", "": "organisation"}


def _ofac_files(folder: Path) -> dict[str, Path | None]:
    present = {p.name.lower(): p for p in folder.iterdir()}
    found: dict[str, Path | None] = {}
    for part, names in _OFAC_NAMES.items():
        found[part] = next((present[n] for n in names if n in present), None)
    if found["prim"] is None:
        raise InputError(
            Message("an OFAC list folder must hold sdn.csv or cons_prim.csv (with alt/add beside it)"), file=folder
        )
    return found


def _ofac_rows(path: Path, columns: Sequence[str], needed: int) -> Iterator[tuple[int, list[str]]]:
    limits = Limits.current()
    # OFAC's older files are Windows-1252.
    for number, row in csv_rows(path, limits, delimiter=",", fallback="cp1252"):
        check_rows(number, path, limits)
        cells = [cell.strip() for cell in row]
        if not any(cells) or cells == ["\x1a"]:  # blank lines; the DOS end-of-file mark OFAC appends
            continue
        if len(cells) < needed:
            raise InputError(
                Message(
                    "{count} columns, expected {expected} ({columns})",
                    count=len(cells),
                    expected=len(columns),
                    columns=", ".join(columns),
                ),
                file=path,
                row=number,
                field=columns[len(cells)],
            )
        if not cells[0].isdigit():
            # On the first row, the likely cause: a header row these files do not have.
            said = (
                Message("ent_num '{value}' is not a number (these files have no header row)", value=cells[0])
                if number == 1
                else Message("ent_num '{value}' is not a number", value=cells[0])
            )
            raise InputError(said, file=path, row=number, field="ent_num")
        yield number, [("" if cell == "-0-" else cell) for cell in cells]


def _read_ofac(folder: Path) -> ScreeningList:
    if folder.is_file():
        folder = folder.parent
    files = _ofac_files(folder)
    prim = files["prim"]
    assert prim is not None
    name = "OFAC SDN" if prim.name.lower() == "sdn.csv" else "OFAC Consolidated (non-SDN)"
    aliases: dict[str, list[str]] = {}
    if files["alt"] is not None:
        for _, cells in _ofac_rows(files["alt"], _ALT_COLUMNS, 4):
            if cells[3]:
                aliases.setdefault(cells[0], []).append(cells[3])
    countries: dict[str, list[str]] = {}
    if files["add"] is not None:
        for _, cells in _ofac_rows(files["add"], _ADD_COLUMNS, 5):
            if cells[4]:
                countries.setdefault(cells[0], []).append(cells[4])
    entries = []
    for number, cells in _ofac_rows(prim, _PRIM_COLUMNS, 4):
        if not cells[1]:
            raise InputError(Message("no name"), file=prim, row=number, field="SDN_Name")
        kind = _OFAC_TYPES.get(cells[2].lower())
        if kind is None:
            raise InputError(
                Message("unknown SDN_Type '{value}'", value=cells[2]), file=prim, row=number, field="SDN_Type"
            )
        entries.append(
            ListEntry(
                list=name,
                entry_id=cells[0],
                name=cells[1],
                aliases=_unique(aliases.get(cells[0], [])),
                type=kind,
                countries=_unique(countries.get(cells[0], [])),
                program=cells[3] or None,
            )
        )
    used = [p for p in (files["prim"], files["alt"], files["add"]) if p is not None]
    return ScreeningList(_version("ofac-csv", name, folder, used), entries)


# --- OpenSanctions FollowTheMoney JSON lines -----------------------------------------------------------------------

_FTM_TYPES = {
    "Person": "person",
    "Organization": "organisation",
    "Company": "organisation",
    "LegalEntity": "organisation",
    "PublicBody": "organisation",
    "Vessel": "vessel",
    "Airplane": "aircraft",
}


def _read_ftm(path: Path) -> ScreeningList:
    entries = []
    list_name = path.name.split(".")[0]
    for row in iter_rows(path) if suffix_of(path) != ".json" else _json_lines(path):
        values = row.values
        schema = values.get("schema")
        if not isinstance(schema, str):
            raise InputError(
                Message("not a FollowTheMoney entity (no 'schema')"), file=path, row=row.number, field="schema"
            )
        if schema not in _FTM_TYPES:
            continue  # addresses, sanctions, ownerships: not parties to screen
        entity_id = values.get("id")
        if not isinstance(entity_id, str) or not entity_id:
            raise InputError(Message("entity without an id"), file=path, row=row.number, field="id")
        properties = values.get("properties")
        if not isinstance(properties, dict):
            raise InputError(Message("entity without properties"), file=path, row=row.number, field="properties")
        names = _strings(properties, "name", path, row.number)
        if not names:
            raise InputError(
                Message("{schema} {id} has no name", schema=schema, id=entity_id),
                file=path,
                row=row.number,
                field="properties.name",
            )
        other = [*names[1:]]
        for key in ("alias", "weakAlias", "previousName"):
            other += _strings(properties, key, path, row.number)
        countries = []
        for key in ("country", "nationality", "jurisdiction", "citizenship", "flag"):
            countries += _strings(properties, key, path, row.number)
        programs = _strings(properties, "program", path, row.number) or _strings(values, "datasets", path, row.number)
        entries.append(
            ListEntry(
                list=list_name,
                entry_id=entity_id,
                name=names[0],
                aliases=_unique(a for a in other if a != names[0]),
                type=_FTM_TYPES[schema],
                countries=_unique(countries),
                program="; ".join(programs) or None,
            )
        )
    return ScreeningList(_version("ftm-jsonl", list_name, path, [path]), entries)


def _json_lines(path: Path) -> Iterator[Row]:
    """FollowTheMoney exports named .json are JSON lines all the same."""
    limits = Limits.current()
    with bounded(path, limits) as source:
        for number, line in enumerate(source.lines(), start=1):
            if not line.strip():
                continue
            check_rows(number, path, limits)
            value = json_object(line, path, number)
            check_structure(value, path, limits, row=number)
            yield Row(path, number, value)


def _strings(mapping: dict[str, Any], key: str, path: Path, number: int) -> list[str]:
    value = mapping.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(Message("expected a list of strings"), file=path, row=number, field=key)
    return [v.strip() for v in value if v.strip()]


# --- generic CSV --------------------------------------------------------------------------------------------------

GENERIC_COLUMNS = ("id", "name", "aliases", "type", "country", "list", "program")


def _read_generic(path: Path) -> ScreeningList:
    default_list = path.stem
    entries = []
    lists: set[str] = set()
    for row in iter_rows(path, required=("id", "name")):
        values = {k: str(v).strip() if v is not None else "" for k, v in row.values.items()}
        if not values["id"]:
            raise InputError(Message("empty id"), file=path, row=row.number, field="id")
        if not values["name"]:
            raise InputError(Message("empty name"), file=path, row=row.number, field="name")
        try:
            kind = entry_type(values.get("type", ""))
        except ValueError:
            raise InputError(unknown_type(values.get("type", "")), file=path, row=row.number, field="type") from None
        list_name = values.get("list") or default_list
        lists.add(list_name)
        entries.append(
            ListEntry(
                list=list_name,
                entry_id=values["id"],
                name=values["name"],
                aliases=_split(values.get("aliases", "")),
                type=kind,
                countries=_split(values.get("country", "")),
                program=values.get("program") or None,
            )
        )
    name = next(iter(lists)) if len(lists) == 1 else default_list
    return ScreeningList(_version("generic-csv", name, path, [path]), entries)


def _split(cell: str) -> tuple[str, ...]:
    return _unique(part.strip() for part in cell.split(";") if part.strip())


# --- Japan's export-ban designations, as METI publishes them (parsed_entities.json) --------------------------------

_JA_ALIASES = re.compile(r"\s*(?:、|及び|;)\s*")
# The parse leaves the notice's lead-in to its aliases in some names: "Most Development Limited, the following two
# aliases:", an English name of "alias:", or the English name glued to the end of the Japanese one ("…有限会社）Agu
# Information Technology Co Limited, a.k.a., the following one").
_LEAD_IN = re.compile(
    r"(?:[,;]?\s*(?:a\.?k\.?a\.?,?\s*)?(?:the\s+)?following\s+(?:one|two|three|four|five|\d+)?\s*(?:alias(?:es)?)?"
    r"|^\s*alias(?:es)?)\s*:?\s*$",
    re.IGNORECASE,
)
_LATIN_TAIL = re.compile(r"(?<=[^\x00-\x7f])\s*([A-Za-z][\x20-\x7e]*)$")


def _meti_names(en_name: str, ja_name: str) -> tuple[str, str, str]:
    """(English name, Japanese name, English name found at the end of the Japanese one), lead-ins removed."""
    tail = ""
    glued = _LATIN_TAIL.search(ja_name)
    # Two words or more: a single Latin word at the end is part of the Japanese name (アイ・ジェット・グローバル DMCC).
    if glued and len(re.findall(r"[A-Za-z]{2,}", glued.group(1))) > 1:
        ja_name, tail = ja_name[: glued.start()].strip(), _LEAD_IN.sub("", glued.group(1)).strip(" ,;")
    return _LEAD_IN.sub("", en_name).strip(" ,;"), ja_name, tail


def _read_meti(path: Path) -> ScreeningList:
    limits = Limits.current()
    with bounded(path, limits) as source:
        raw = source.document()
    try:
        document = orjson.loads(raw.removeprefix(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError as error:
        line = raw.count(b"\n", 0, max(error.pos, 0)) + 1
        raise InputError(Message("broken JSON: {error}", error=str(error)), file=path, row=line) from None
    if not isinstance(document, list):
        raise InputError(Message("expected a JSON array of entities"), file=path)
    entries = []
    for number, item in enumerate(document, start=1):
        check_rows(number, path, limits)
        check_structure(item, path, limits, row=number)
        if not isinstance(item, dict):
            raise InputError(Message("expected a JSON object"), file=path, row=number)
        for key in ("list", "number"):
            if item.get(key) in (None, ""):
                raise InputError(Message("no '{key}'", key=key), file=path, row=number, field=key)
        en_name, ja_name, glued = _meti_names(
            str(item.get("en_name") or "").strip(), str(item.get("ja_name") or "").strip()
        )
        en_name = en_name or glued
        if not en_name and not ja_name:
            raise InputError(Message("no en_name or ja_name"), file=path, row=number, field="en_name")
        en_aliases = item.get("en_aliases") or []
        if not isinstance(en_aliases, list):
            raise InputError(Message("expected a list of names"), file=path, row=number, field="en_aliases")
        ja_aliases = _JA_ALIASES.split(str(item.get("ja_aliases_raw") or ""))
        address = str(item.get("address") or "")
        country = address.rstrip(" .").rsplit(",", 1)[-1].strip() if address else ""
        entries.append(
            ListEntry(
                list=f"METI {item['list']}",
                entry_id=f"{item['list']}-{item['number']}",
                name=en_name or ja_name,
                aliases=_unique(
                    a for a in [ja_name, glued, *map(str, en_aliases), *ja_aliases] if a and a != (en_name or ja_name)
                ),
                type="organisation",
                countries=(country,) if country else (),
                program=str(item["list"]),
            )
        )
    return ScreeningList(_version("meti-json", "METI export ban lists", path, [path]), entries)
