"""Technology against the bundled control lists: golden candidates, evidence that is really in both texts,
leaves before their ancestors, parameters against thresholds."""

from __future__ import annotations

from functools import cache

import pytest

from kizashi.errors import InputError
from kizashi.protect.controls.classify import Candidate, Classifier, item_statement, result_rows, table_rows
from kizashi.protect.controls.lists import ControlList, load_controls
from kizashi.retrieval import Statement
from kizashi.text.normalise import normalise


@cache
def classifier(name: str) -> Classifier:
    return Classifier(load_controls([name]))


def top_codes(name: str, title: str, description: str, top: int = 3) -> list[str]:
    return [c.item.code for c in classifier(name).classify(Statement("t", title, description), top)]


# (lists, title, description, codes that must all be in the top 3, code prefixes of which one must be there);
# each expectation checked by reading the items (the Order's headings, the CCL's paragraphs).
GOLDEN = [
    ("all", "256ビット鍵の暗号装置", "AES-256による通信の暗号化を行う装置の研究開発", ["9(7)"], "5A002"),
    (
        "jp-etco-1",
        "高出力レーザ発振器",
        "出力10kWのファイバーレーザー発振器による金属の切断加工",
        ["10(8)", "2(31)"],
        "",
    ),
    (
        "jp-etco-1",
        "無人航空機の飛行制御",
        "ドローンの自律飛行のための慣性航法装置とジャイロスコープ",
        ["4(17)", "11(3)"],
        "",
    ),
    (
        "all",
        "量子コンピュータ用の希釈冷凍機",
        "超伝導量子ビットを10 mK以下に冷却する極低温冷却装置",
        ["7(15の3)"],
        # 3A904 (cryogenic cooling systems) names a dilution refrigerator; 4A906 (quantum computers) its use.
        ("3A904", "4A906"),
    ),
    ("all", "半導体露光装置用のEUVマスク", "波長13.5 nmの極端紫外線リソグラフィ用マスクとレチクル", ["7(17)"], ""),
    (
        "us-ccl-3-5",
        "Quantum key distribution network",
        "QKD system for secure key exchange over optical fibre",
        ["5A002.c"],
        "",
    ),
    (
        "us-ccl-3-5",
        "Cryogenic CMOS for qubit control",
        "CMOS integrated circuits operating at 4 K for superconducting qubits",
        ["3A901.a"],
        "",
    ),
    (
        "us-ccl-3-5",
        "94 GHz GaN MMIC power amplifier",
        "A gallium nitride MMIC amplifier delivering 2 W at 94 GHz",
        [],
        "3A001.b.2",
    ),
    (
        "all",
        "Analog-to-digital converter",
        "A 12-bit ADC with a sample rate of 10 GS/s for radar receivers",
        [],
        "3A001.a.5",
    ),
]


@pytest.mark.parametrize(("lists", "title", "description", "codes", "prefix"), GOLDEN)
def test_golden_technologies_find_their_items_in_the_top_3(
    lists: str, title: str, description: str, codes: list[str], prefix: str | tuple[str, ...]
) -> None:
    found = top_codes(lists, title, description)
    assert set(codes) <= set(found), found
    if prefix:
        assert any(code.startswith(prefix) for code in found), found


def _candidates() -> list[tuple[Statement, ControlList, Candidate]]:
    out = []
    for lists, title, description, _, _ in GOLDEN:
        technology = Statement("t", title, description)
        chosen = classifier(lists)
        out.extend((technology, chosen.controls, c) for c in chosen.classify(technology, 5))
    return out


def test_evidence_terms_occur_in_both_texts() -> None:
    shown = 0
    for technology, controls, candidate in _candidates():
        item_text = normalise(item_statement(controls, candidate.item).text)
        tech_text = normalise(technology.text)
        evidence = candidate.evidence
        for pair in evidence["terms"]:
            assert pair["technology"] in tech_text and pair["item"] in item_text, (candidate.item.code, pair)
            shown += 1
        for pair in evidence["translations"]:
            assert pair["ja"] in tech_text and pair["en"] in item_text, (candidate.item.code, pair)
        for parameter in evidence["parameters"]:
            assert parameter["technology"] in technology.text
            source = controls.get(candidate.item.list, parameter["item_code"])
            assert source is not None and parameter["item"] in f"{source.title}\n{source.text}"
        assert evidence["channels"] or evidence["parameters"], candidate.item.code
    assert shown > 20  # the check above checked something


def test_leaves_come_before_their_ancestors_and_show_their_path() -> None:
    for _, controls, candidate in _candidates():
        ancestors = {a.key for a in controls.ancestors(candidate.item)}
        path = [entry["code"] for entry in candidate.evidence["path"]]
        assert path == [a.code for a in reversed(list(controls.ancestors(candidate.item)))]
        assert candidate.evidence["parent"] == (candidate.evidence["path"][-1] if path else None)
        assert candidate.item.key not in ancestors
    found = classifier("all").classify(Statement("t", "256ビット鍵の暗号装置", "暗号化を行う装置"), 10)
    keys = {c.item.key for c in found}
    for c in found:
        assert not keys & {a.key for a in classifier("all").controls.ancestors(c.item)}, c.item.code


def test_a_match_through_a_heading_alone_proposes_the_heading() -> None:
    # Only the heading of item 10 says "lasers" in English: the heading is proposed, not some item under it.
    found = classifier("jp-etco-1").classify(Statement("t", "High-power fiber laser", "A 10 kW fiber laser"), 3)
    assert found[0].item.code == "10" and found[0].evidence["leaf"] is False


def test_parameters_say_whether_the_technology_meets_the_threshold() -> None:
    found = classifier("us-ccl-3-5").classify(Statement("t", "256ビット鍵の暗号装置", "AES-256による暗号化"), 3)
    crypto = next(c for c in found if c.item.code.startswith("5A002.a"))
    first = crypto.evidence["parameters"][0]
    assert first == {
        "quantity": "bits",
        "item": "in excess of 56 bits",
        "item_code": "5A002.a",
        "technology": "256ビット",
        "within": True,
    }
    assert {p["within"] for p in crypto.evidence["parameters"]} == {True, False}  # 512-bit RSA is not met
    # Without figures in the technology there is nothing to compare.
    plain = classifier("us-ccl-3-5").classify(Statement("t", "暗号装置", "暗号化を行う装置"), 3)
    assert all(c.evidence["parameters"] == [] for c in plain)


def test_lists_are_compared_fairly_and_siblings_do_not_crowd_the_top() -> None:
    found = classifier("all").classify(Statement("t", "256ビット鍵の暗号装置", "暗号化を行う装置"), 4)
    assert {c.item.list for c in found} == {"jp-etco-1", "us-ccl-3-5"}
    parents = [(c.item.list, c.item.parent) for c in found]
    assert len(parents) == len(set(parents)), [c.item.code for c in found]
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)


def test_rows_keep_the_stable_shape() -> None:
    technology = Statement("t1", "暗号装置", "暗号化を行う装置")
    results = [classifier("jp-etco-1").classify(technology, 2)]
    (row,) = result_rows([technology], results)
    assert set(row) == {"id", "title", "matches"} and row["id"] == "t1"
    assert [set(m) for m in row["matches"]] == [{"list", "code", "title", "score", "evidence"}] * 2
    assert row["matches"][0]["code"] == "9(7)"
    flat = table_rows([technology], results)
    assert [r["rank"] for r in flat] == [1, 2] and flat[0]["parent_code"] == "9"


def test_top_must_be_positive() -> None:
    with pytest.raises(InputError, match="top"):
        classifier("jp-etco-1").classify(Statement("t", "暗号"), 0)
