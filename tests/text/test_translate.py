"""Translator: Japanese tokens → stemmed English terms from the taxonomy's pairs and JMdict (jamdict-data's SQLite).

Golden cases are what JMdict 1.08 (jamdict-data 1.5) and sudachidict-core give, checked, not guessed.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kizashi.files.yaml_file import read_yaml
from kizashi.text import Tokeniser
from kizashi.text.tokenise import english_term
from kizashi.text.translate import DICTIONARY_WEIGHT, TAXONOMY_WEIGHT, Glossary, Translator, load_taxonomy_pairs

TOKENISER = Tokeniser()
GLOSSARY = Glossary()  # shared: its look-ups are cached
DICTIONARY_ONLY = Translator(TOKENISER, glossary=GLOSSARY)
WITH_TAXONOMY = Translator(TOKENISER, load_taxonomy_pairs(), glossary=GLOSSARY)

NEED = "倒壊現場で要救助者を無人機で捜索する能力が必要。津波の浸水と暗号化された通信の脆弱性も評価する。"


def terms_of(translator: Translator, text: str) -> dict[str, float]:
    """term → its best weight, for the tokens of `text`."""
    found: dict[str, float] = {}
    for _, term, weight in translator.english_terms(TOKENISER.tokens(text)):
        found[term] = max(weight, found.get(term, 0.0))
    return found


def stem(word: str) -> str:
    term = english_term(word)
    assert term is not None
    return term


@pytest.mark.parametrize("translator", [DICTIONARY_ONLY, WITH_TAXONOMY], ids=["dictionary", "taxonomy"])
@pytest.mark.parametrize(
    ("japanese", "any_of"),
    [
        ("無人機", ["drone", "uav"]),
        ("捜索", ["search"]),
        ("倒壊", ["collapse"]),
        ("津波", ["tsunami"]),
        ("暗号", ["cryptography", "encryption", "cipher"]),
        ("暗号化", ["encryption"]),
        ("脆弱性", ["vulnerability"]),
        ("救助", ["rescue"]),
        ("検知", ["detection"]),
        ("予測", ["prediction", "forecast"]),
    ],
)
def test_golden(translator: Translator, japanese: str, any_of: list[str]) -> None:
    found = terms_of(translator, japanese)
    assert {stem(word) for word in any_of} & found.keys(), found


def test_english_terms_are_stemmed_as_the_english_index_is() -> None:
    # The translation of a Japanese need must meet the terms of an English text on the same subject.
    english = TOKENISER.tokens("Drones search collapsed buildings; tsunami vulnerability and encrypted communications.")
    found = terms_of(WITH_TAXONOMY, NEED)
    for term in ("drone", "search", "collaps", "tsunami", "vulner", "encrypt", "communic"):
        assert term in found
        assert term in english


def test_taxonomy_pair_beats_the_dictionary() -> None:
    assert "manhunt" in terms_of(DICTIONARY_ONLY, "捜索")
    translator = Translator(TOKENISER, [("捜索", "search and rescue")], glossary=GLOSSARY)
    assert translator.english_terms(["捜索"]) == [
        ("捜索", "rescu", TAXONOMY_WEIGHT),
        ("捜索", "search", TAXONOMY_WEIGHT),
    ]


def test_taxonomy_phrase_matches_consecutive_tokens_only() -> None:
    translator = Translator(TOKENISER, [("救助活動", "rescue operation")], glossary=GLOSSARY)
    tokens = TOKENISER.tokens("救助活動")
    assert tokens == ["救助", "活動"]
    # The phrase covers both tokens: neither gets dictionary glosses of its own.
    assert translator.english_terms(tokens) == [
        ("救助活動", "oper", TAXONOMY_WEIGHT),
        ("救助活動", "rescu", TAXONOMY_WEIGHT),
    ]
    apart = translator.english_terms(["救助", "現場", "活動"])
    assert all(japanese != "救助活動" for japanese, _, _ in apart)
    assert {japanese for japanese, _, _ in apart} == {"救助", "現場", "活動"}


def test_bundled_taxonomy_phrase() -> None:
    tokens = TOKENISER.tokens("無人航空機による救助活動")
    assert tokens[:2] == ["無人", "航空機"]
    out = WITH_TAXONOMY.english_terms(tokens)
    phrase = {term for japanese, term, _ in out if japanese == "無人航空機"}
    assert {"drone", "uav", "unman", "aerial"} <= phrase
    assert not any(japanese in ("無人", "航空機") for japanese, _, _ in out)


def test_dictionary_compound_of_split_tokens() -> None:
    # サイバー攻撃 is one JMdict word that Sudachi splits; the parts keep their own glosses as well.
    out = DICTIONARY_ONLY.english_terms(["サイバー", "攻撃"])
    assert {japanese for japanese, _, _ in out} == {"サイバー", "攻撃", "サイバー攻撃"}
    assert ("サイバー", "cyber", DICTIONARY_WEIGHT) in out


@pytest.mark.parametrize("tokens", [[], ["ぬぬぬぬぬ"], ["drone", "lidar"], ["5g"], ["𠮷𠮷𠮷"]])
def test_unknown_tokens_give_nothing(tokens: list[str]) -> None:
    assert WITH_TAXONOMY.english_terms(tokens) == []


def test_weights_and_dropped_glosses() -> None:
    out = WITH_TAXONOMY.english_terms(TOKENISER.tokens(NEED))
    assert out
    assert all(0.0 < weight <= TAXONOMY_WEIGHT for _, _, weight in out)
    dictionary = DICTIONARY_ONLY.english_terms(["能力", "活動", "現場"])
    assert all(0.0 < weight <= DICTIONARY_WEIGHT for _, _, weight in dictionary)
    terms = {term for _, term, _ in dictionary}
    # 能力's rare homograph (のうりき, a temple worker), 活動's obsolete sense (a film), stop and generic words.
    assert not terms & {"priest", "templ", "movi", "to", "the", "of", "actual", "esp"}
    # Senses are split: 技術's first sense outweighs its third.
    technique = dict((term, weight) for _, term, weight in DICTIONARY_ONLY.english_terms(["技術"]))
    assert technique["technolog"] == DICTIONARY_WEIGHT > technique["craft"]


TOKENS = st.lists(
    st.sampled_from(
        [
            "倒壊",
            "現場",
            "救助",
            "活動",
            "無人",
            "航空機",
            "無人機",
            "捜索",
            "サイバー",
            "攻撃",
            "検知",
            "津波",
            "暗号",
            "する",
            "ぬぬ",
            "drone",
            "ゲノム",
            "編集",
            "技術",
            "開発",
        ]
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(TOKENS)
def test_deterministic_and_traceable(tokens: list[str]) -> None:
    out = WITH_TAXONOMY.english_terms(tokens)
    assert out == WITH_TAXONOMY.english_terms(tokens) == WITH_TAXONOMY.english_terms(tuple(tokens))
    # Every Japanese side is a token or a run of consecutive tokens, and runs appear in token order.
    runs = ["".join(tokens[i:j]) for i in range(len(tokens)) for j in range(i + 1, len(tokens) + 1)]
    for japanese, term, weight in out:
        assert japanese in runs
        assert term and term == term.casefold() and " " not in term
        assert 0.0 < weight <= 1.0


def test_same_result_from_another_instance_and_threads() -> None:
    other = Translator(Tokeniser(), load_taxonomy_pairs())
    tokens = TOKENISER.tokens(NEED)
    expected = WITH_TAXONOMY.english_terms(tokens)
    assert other.english_terms(tokens) == expected
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert all(result == expected for result in pool.map(lambda _: other.english_terms(tokens), range(16)))


def test_load_taxonomy_pairs(tmp_path: Path) -> None:
    pairs = load_taxonomy_pairs()
    assert ("ドローン", "drone") in pairs
    assert ("無人航空機", "unmanned aerial vehicle") in pairs
    assert len(pairs) == len(set(pairs))
    path = tmp_path / "taxonomy.yaml"
    path.write_text(
        "technologies:\n  - id: x\n    name_en: Search and rescue\n    name_ja: 捜索救助\n    synonyms_en: [SAR]\n",
        encoding="utf-8",
    )
    entries = read_yaml(path)["technologies"]
    assert load_taxonomy_pairs(entries) == [("捜索救助", "Search and rescue"), ("捜索救助", "SAR")]


def test_missing_dictionary_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="JMdict"):
        Glossary(tmp_path / "nowhere.db")


def test_speed() -> None:
    query = TOKENISER.tokens(
        "大規模災害の倒壊現場で要救助者を無人機とセンサーで捜索し、津波の浸水を予測して、暗号通信の脆弱性とサイバー攻撃を検知する技術"
    )
    assert len(query) >= 15
    fresh = Translator(TOKENISER, load_taxonomy_pairs(), glossary=Glossary())
    start = time.perf_counter()
    fresh.english_terms(query)
    cold = time.perf_counter() - start
    rounds = 200
    start = time.perf_counter()
    for _ in range(rounds):
        fresh.english_terms(query)
    warm = rounds / (time.perf_counter() - start)
    print(f"{len(query)}-token query: cold {cold * 1000:.1f} ms, warm {warm:,.0f} translations/s")
    assert cold < 2.0
    assert warm > 500
