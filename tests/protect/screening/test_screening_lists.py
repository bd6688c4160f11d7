"""Each list reader on a small real slice, the list version, and broken files → InputError naming file, row, field."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest

from kizashi.errors import InputError
from kizashi.protect.screening.entries import ListEntry
from kizashi.protect.screening.lists import detect_format, read_list

LISTS = Path(__file__).parents[2] / "fixtures" / "lists"


def by_id(path: Path) -> dict[str, ListEntry]:
    return {entry.entry_id: entry for entry in read_list(path).entries}


def test_un_consolidated_xml() -> None:
    screening_list = read_list(LISTS / "un_consolidated_slice.xml")
    assert screening_list.version.source == "un-xml"
    assert screening_list.version.date == "2026-02-27"  # dateGenerated, not the file's date
    assert (
        screening_list.version.sha256 == hashlib.sha256((LISTS / "un_consolidated_slice.xml").read_bytes()).hexdigest()
    )
    entries = {e.entry_id: e for e in screening_list.entries}
    assert len(entries) == 14
    adf = entries["CDe.001"]
    assert (adf.name, adf.type, adf.program) == ("ADF", "organisation", "DRC")
    assert "Allied Democratic Forces" in adf.aliases
    assert "Democratic Republic of the Congo" in adf.countries
    person = entries["CDi.002"]
    assert (person.name, person.type) == ("FRANK KAKOLELE BWAMBALE", "person")


def test_ofac_legacy_csv_folder() -> None:
    screening_list = read_list(LISTS / "ofac")
    assert screening_list.version.source == "ofac-csv"
    assert screening_list.version.list == "OFAC Consolidated (non-SDN)"
    entries = {e.entry_id: e for e in screening_list.entries}
    assert len(entries) == 33
    haniya = entries["9639"]
    assert haniya.name == "HANIYA, Ismail Abdul Salah"
    assert haniya.aliases == ("HANIYA, Ismail", "HANIYYA, Ismaeel")
    assert (haniya.type, haniya.program) == ("person", "NS-PLC")
    assert entries["17018"].type == "organisation"  # SDN_Type -0- is an entity
    assert "Russia" in entries["17018"].countries


def test_ofac_sdn_names_are_accepted(tmp_path: Path) -> None:
    for ours, theirs in (("cons_prim.csv", "sdn.csv"), ("cons_alt.csv", "alt.csv"), ("cons_add.csv", "add.csv")):
        shutil.copy(LISTS / "ofac" / ours, tmp_path / theirs)
    screening_list = read_list(tmp_path)
    assert screening_list.version.list == "OFAC SDN"
    assert len(screening_list.entries) == 33


def test_opensanctions_followthemoney_lines() -> None:
    entries = by_id(LISTS / "opensanctions.ftm.jsonl")
    assert set(entries) == {"unsc-6908257", "unsc-6908255", "unsc-6908371", "ofac-vessel-1", "jp-meti-tc-1"}
    komid = entries["unsc-6908255"]
    assert komid.aliases[-1] == "KOMID" and komid.countries == ("kp",)
    assert entries["ofac-vessel-1"].type == "vessel"
    tako = entries["jp-meti-tc-1"]
    assert tako.name == "Tako LLC" and "有限会社タコ" in tako.aliases


def test_generic_csv() -> None:
    screening_list = read_list(LISTS / "generic.csv")
    assert screening_list.version.list == "kizashi-test-list"
    first = screening_list.entries[0]
    assert first.aliases == ("Toto Seimitsu Kogyo K.K.", "TOTO PRECISION INDUSTRY CO. LTD.")
    types = [e.type for e in screening_list.entries]
    assert types == ["organisation", "organisation", "person", "organisation", "organisation", "vessel"]


def test_meti_parsed_entities() -> None:
    entries = by_id(LISTS / "meti_parsed_entities.json")
    tako = entries["third_countries-1"]
    assert tako.name == "Tako LLC"
    assert tako.aliases == ("有限会社タコ", "Taco LLC")
    assert tako.countries == ("Armenia",)
    ijet = entries["third_countries-2"]
    assert "アイジェット・アビエーション・サービス" in ijet.aliases
    assert "アイ・ジェット・グローバル DMCC" in ijet.aliases  # one Latin word at the end stays in the Japanese name


# Two records of METI's third-country list (2025-09-12) as the parse gives them, with the notice's lead-ins to the
# aliases left in the names.
LEAD_INS = [
    {
        "list": "third_countries",
        "number": 17,
        "ja_name": "アグ･インフォメーション･テクノロジー有限会社（啊咕信息技術有限公司)（別称、メイクウェル･インダストリアル･"
        "トレーディング有限会社（麥克維爾工業貿易有限公司））Agu Information Technology Co Limited, a.k.a., the following one",
        "en_name": "alias:",
        "en_aliases": ["Makewell Industrial Trading Co., Limited"],
    },
    {
        "list": "third_countries",
        "number": 28,
        "ja_name": "モースト･ディベロップメント有限会社（莫斯特發展有限公司）(別称、モースト･ディベロップメント)",
        "en_name": "Most Development Limited, the following two aliases:",
        "en_aliases": ["Most Development", "Most Development Ltd"],
    },
]


def test_meti_lead_ins_to_aliases_are_not_names(tmp_path: Path) -> None:
    path = tmp_path / "meti.json"
    path.write_text(json.dumps(LEAD_INS, ensure_ascii=False), encoding="utf-8")
    agu, most = read_list(path).entries
    assert agu.name == "Agu Information Technology Co Limited"
    assert agu.aliases[0].endswith(
        "（麥克維爾工業貿易有限公司））"
    )  # the Japanese name without the English glued to it
    assert "Makewell Industrial Trading Co., Limited" in agu.aliases
    assert most.name == "Most Development Limited" and "Most Development Ltd" in most.aliases
    assert not any("following" in name or "alias" in name for entry in (agu, most) for name in entry.names)


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("un_consolidated_slice.xml", "un-xml"),
        ("ofac", "ofac-csv"),
        ("ofac/cons_prim.csv", "ofac-csv"),
        ("opensanctions.ftm.jsonl", "ftm-jsonl"),
        ("generic.csv", "generic-csv"),
        ("meti_parsed_entities.json", "meti-json"),
    ],
)
def test_format_detection(path: str, kind: str) -> None:
    assert detect_format(LISTS / path) == kind


def test_a_list_that_states_no_date_has_none(tmp_path: Path) -> None:
    copy = tmp_path / "generic.csv"
    shutil.copy(LISTS / "generic.csv", copy)
    os.utime(copy, (1_700_000_000, 1_700_000_000))
    assert read_list(copy).version.date == ""  # the file's day says when it was copied, not when it was published


# --- broken files -------------------------------------------------------------------------------------------------


def broken(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def test_broken_xml_names_the_line(tmp_path: Path) -> None:
    text = (LISTS / "un_consolidated_slice.xml").read_text(encoding="utf-8")
    cut = text[: text.index("<ENTITIES>") + 200]  # ends inside an element
    path = broken(tmp_path, "un.xml", cut)
    with pytest.raises(InputError) as error:
        read_list(path)
    assert error.value.location.file == path
    assert error.value.location.row == cut.count("\n") + 1
    assert "broken XML" in error.value.reason


def test_xml_entities_are_refused_not_expanded(tmp_path: Path) -> None:
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
        ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n'
        "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&lol2;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS>"
        "</CONSOLIDATED_LIST>\n"
    )
    path = broken(tmp_path, "lolz.xml", laughs)
    with pytest.raises(InputError, match="DTD") as error:
        read_list(path)
    assert error.value.location.row == 2


def test_xml_of_another_kind(tmp_path: Path) -> None:
    path = broken(tmp_path, "other.xml", "<sdnList><sdnEntry/></sdnList>")
    with pytest.raises(InputError, match="not a UN consolidated list"):
        read_list(path)


def test_un_entry_without_a_name(tmp_path: Path) -> None:
    path = broken(
        tmp_path,
        "un.xml",
        '<CONSOLIDATED_LIST dateGenerated="2026-01-01"><ENTITIES><ENTITY><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER>'
        "</ENTITY></ENTITIES></CONSOLIDATED_LIST>",
    )
    with pytest.raises(InputError) as error:
        read_list(path)
    assert error.value.location.field == "FIRST_NAME"


def test_ofac_row_with_too_few_columns(tmp_path: Path) -> None:
    lines = (LISTS / "ofac" / "cons_prim.csv").read_text(encoding="utf-8").splitlines()
    lines[4] = "9643"
    broken(tmp_path, "ofac/cons_prim.csv", "\n".join(lines) + "\n")
    with pytest.raises(InputError) as error:
        read_list(tmp_path / "ofac")
    assert (error.value.location.row, error.value.location.field) == (5, "SDN_Name")
    assert error.value.location.file == tmp_path / "ofac" / "cons_prim.csv"


def test_ofac_with_a_header_row(tmp_path: Path) -> None:
    broken(tmp_path, "ofac/sdn.csv", "ent_num,SDN_Name,SDN_Type,Program\n1,ACME,-0-,X\n")
    with pytest.raises(InputError, match="no header row") as error:
        read_list(tmp_path / "ofac")
    assert (error.value.location.row, error.value.location.field) == (1, "ent_num")


def test_ofac_folder_without_the_primary_file(tmp_path: Path) -> None:
    broken(tmp_path, "ofac/alt.csv", "1,2,aka,ACME,-0-\n")
    with pytest.raises(InputError, match=r"sdn\.csv or cons_prim\.csv"):
        read_list(tmp_path / "ofac")


def test_ofac_unknown_type(tmp_path: Path) -> None:
    broken(tmp_path, "ofac/sdn.csv", '1,"ACME","spaceship","X"\n')
    with pytest.raises(InputError) as error:
        read_list(tmp_path / "ofac")
    assert error.value.location.field == "SDN_Type"


@pytest.mark.parametrize(
    ("content", "row", "field"),
    [
        ("id,aliases,type\n1,x,person\n", 1, "name"),  # wrong columns
        ("id,name,type\n1,ACME,spaceship\n", 2, "type"),
        ("id,name\n1,ACME\n,Nameless id\n", 3, "id"),
        ("id,name\n1,ACME\n2,\n", 3, "name"),
    ],
)
def test_generic_csv_errors(tmp_path: Path, content: str, row: int, field: str) -> None:
    path = broken(tmp_path, "list.csv", content)
    with pytest.raises(InputError) as error:
        read_list(path)
    assert (error.value.location.file, error.value.location.row, error.value.location.field) == (path, row, field)


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ('{"schema": "Person", "properties": {"name": ["X"]}}', "id"),
        ('{"id": "a", "schema": "Company", "properties": {"alias": ["X"]}}', "properties.name"),
        ('{"id": "a", "schema": "Company", "properties": {"name": "X", "country": [1]}}', "country"),
        ('{"id": "a", "properties": {}}', "schema"),
    ],
)
def test_followthemoney_errors(tmp_path: Path, line: str, field: str) -> None:
    good = '{"id": "ok", "schema": "Person", "properties": {"name": ["Someone"]}}'
    path = broken(tmp_path, "ftm.jsonl", good + "\n" + line + "\n")
    with pytest.raises(InputError) as error:
        read_list(path)
    assert (error.value.location.row, error.value.location.field) == (2, field)


def test_followthemoney_broken_json(tmp_path: Path) -> None:
    path = broken(tmp_path, "ftm.jsonl", '{"id": "a", "schema": "Person", "properties": {"name": ["X"]}}\n{"id": \n')
    with pytest.raises(InputError, match="broken JSON") as error:
        read_list(path)
    assert error.value.location.row == 2


@pytest.mark.parametrize(
    ("content", "row", "field"),
    [
        ('[{"list": "x", "number": 1, "en_name": "A"}, {"number": 2, "en_name": "B"}]', 2, "list"),
        ('[{"list": "x", "number": 1}]', 1, "en_name"),
        ('[{"list": "x", "number": 1, "en_name": "A", "en_aliases": "B"}]', 1, "en_aliases"),
    ],
)
def test_meti_errors(tmp_path: Path, content: str, row: int, field: str) -> None:
    path = broken(tmp_path, "parsed_entities.json", content)
    with pytest.raises(InputError) as error:
        read_list(path)
    assert (error.value.location.row, error.value.location.field) == (row, field)


def test_meti_broken_json(tmp_path: Path) -> None:
    path = broken(tmp_path, "parsed_entities.json", '[\n{"list": "x",\n "number": }\n]')
    with pytest.raises(InputError, match="broken JSON") as error:
        read_list(path)
    assert error.value.location.row == 3


def test_unknown_format_and_missing_path(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown list format"):
        read_list(broken(tmp_path, "list.pdf", b"%PDF"))
    with pytest.raises(InputError, match="no such file"):
        read_list(tmp_path / "missing.xml")


def test_a_list_without_entries(tmp_path: Path) -> None:
    path = broken(tmp_path, "ftm.jsonl", '{"id": "x", "schema": "Address", "properties": {}}\n')
    with pytest.raises(InputError, match="no entries"):
        read_list(path)
