"""Control lists as data: the bundled lists' shape, and a user's own list refused with file, row and field."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kizashi.errors import InputError
from kizashi.protect.controls.lists import BUNDLED, ControlList, bundled, load_controls, read_items


def test_the_japanese_list_has_its_items_sub_items_and_numbered_goods() -> None:
    items = bundled("jp-etco-1")
    controls = ControlList(items)
    assert len(items) == 293
    tops = [item.code for item in items if item.parent is None]
    assert tops == ["1", "2", "3", "3の2", *(str(n) for n in range(4, 17))]
    assert len([item for item in items if item.parent in tops]) == 242
    crypto = controls.get("jp-etco-1", "9(7)")
    assert crypto is not None and crypto.title == "暗号装置又はその部分品" and crypto.parent == "9"
    assert "通信・情報セキュリティ" in controls.parent_of(crypto).title
    # Numbered goods inside a sub-item, cited as the Order cites them: (二)１ → 3(2)1.
    reactor = controls.get("jp-etco-1", "3(2)1")
    assert reactor is not None and reactor.text == "反応器" and reactor.parent == "3(2)"
    assert controls.get("jp-etco-1", "3の2(2)5の2") is not None  # 噴霧乾燥器
    assert len(controls.children(controls.get("jp-etco-1", "16(1)"))) == 12
    assert all(item.text != "削除" for item in items)  # deleted sub-items control nothing
    assert controls.get("jp-etco-1", "8") is not None and controls.is_leaf(controls.get("jp-etco-1", "8"))


def test_the_ccl_list_has_categories_eccns_and_paragraphs() -> None:
    items = bundled("us-ccl-3-5")
    controls = ControlList(items)
    assert len(items) == 1254
    assert [item.code for item in items if item.parent is None] == ["3", "4", "5"]
    eccns = [item for item in items if re.fullmatch(r"\d[A-E]\d{3}", item.code)]
    assert len(eccns) == 123 and all(item.parent == item.code[0] for item in eccns)
    leaf = controls.get("us-ccl-3-5", "5A002.a.4.b")
    assert leaf is not None
    assert [a.code for a in controls.ancestors(leaf)] == ["5A002.a.4", "5A002.a", "5A002", "5"]
    # z.1.a has no z.1 above it: its parent is the nearest paragraph there is.
    assert controls.get("us-ccl-3-5", "5A002.z.1.a").parent == "5A002.z"
    # A note that says which paragraph it is for goes there: the key lengths that define 5A002.a.
    assert "key length in excess of 56 bits" in controls.get("us-ccl-3-5", "5A002.a").text
    assert all("*" not in item.title for item in items)


def test_parameters_are_read_from_the_item_text() -> None:
    controls = ControlList(bundled("us-ccl-3-5"))
    bits = [p for p in controls.get("us-ccl-3-5", "5A002.a").parameters if p.quantity == "bits"]
    assert (bits[0].value, bits[0].bound) == (56.0, ">")


def test_all_loads_every_bundled_list_and_names_are_short() -> None:
    controls = load_controls(["all"])
    assert controls.names == sorted(BUNDLED)
    assert len(controls.items) == 293 + 1254
    with pytest.raises(InputError, match="no bundled control list 'eu-annex-1'"):
        load_controls(["eu-annex-1"])
    with pytest.raises(InputError, match="already loaded"):
        load_controls(["jp-etco-1", "all"])
    with pytest.raises(InputError, match="at least one"):
        load_controls([])


OWN_LIST = (
    "list,code,title,text,parent\n"
    "eu-2021-821,5A002,Information security systems,Systems using cryptography,\n"
    "eu-2021-821,5A002.a,Cryptography for data confidentiality,Key length in excess of 56 bits,5A002\n"
    "wassenaar,5.A.2,Information security,,\n"
)


def test_a_users_list_loads_from_csv_and_json(tmp_path: Path) -> None:
    path = tmp_path / "own.csv"
    path.write_text(OWN_LIST, encoding="utf-8")
    controls = load_controls([path])
    assert controls.names == ["eu-2021-821", "wassenaar"]
    child = controls.get("eu-2021-821", "5A002.a")
    assert child is not None and child.parent == "5A002" and child.parameters[0].value == 56
    as_json = tmp_path / "own.json"
    rows = [{"list": "x", "code": 1, "title": "One"}, {"list": "x", "code": "1.a", "title": "A", "parent": 1}]
    as_json.write_text(json.dumps(rows), encoding="utf-8")
    assert [item.parent for item in read_items(as_json)] == [None, "1"]  # numbers from JSON are codes too
    # The same file twice would give every code twice.
    with pytest.raises(InputError, match="already loaded"):
        load_controls([path, path])


BROKEN = [
    # (file body, row, field, words in the message)
    ("list,title,text\nx,One,\n", 1, "code", "missing required column"),
    ("list,code,title\nx,1,One\nx,,Two\n", 3, "code", "'code' is empty"),
    ("list,code,title\nx,1,One\nx,2,\n", 3, "title", "'title' is empty"),
    ("list,code,title\nx,1,One\nx,1,Again\n", 3, "code", "repeats row 2"),
    ("list,code,title,parent\nx,1,One,\nx,2,Two,9\n", 3, "parent", "parent '9' is not a code"),
    ("list,code,title,parent\nx,1,One,3\nx,2,Two,1\nx,3,Three,2\n", 2, "parent", "cycle"),
    ("list,code,title,parent\nx,1,One,1\n", 2, "parent", "cycle"),
    # A parent in another list is not a parent.
    ("list,code,title,parent\nx,1,One,\ny,2,Two,1\n", 3, "parent", "not a code of list 'y'"),
]


@pytest.mark.parametrize(("body", "row", "field", "words"), BROKEN)
def test_a_broken_list_names_file_row_and_field(tmp_path: Path, body: str, row: int, field: str, words: str) -> None:
    path = tmp_path / "controls.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_controls([path])
    error = caught.value
    assert (error.location.file, error.location.row, error.location.field) == (path, row, field), str(error)
    assert words in str(error)


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_controls([tmp_path / "nothing.csv"])
