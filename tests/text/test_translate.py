"""Translator: Japanese tokens → stemmed English terms from the taxonomy's pairs and JMdict (jamdict-data's SQLite).

Golden cases are what JMdict 1.08 (jamdict-data 1.5) and sudachidict-core give, checked, not guessed.
"""

from __future__ import annotations

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
    """term → the heaviest rendering holding it, over the words of `text`."""
    found: dict[str, float] = {}
    for word in translator.translate(TOKENISER.tokens(text)):
        for rendering in word.renderings:
            for term in rendering.terms:
                found[term] = max(rendering.weight, found.get(term, 0.0))
    return found


def words(translator: Translator, tokens: list[str]) -> list[tuple[str, str, list[str]]]:
    """(Japanese word, source, its renderings as written), in order."""
    return [(w.japanese, w.source, [r.english for r in w.renderings]) for w in translator.translate(tokens)]


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
    (word,) = translator.translate(["捜索"])
    assert (word.japanese, word.source, word.weight) == ("捜索", "taxonomy", TAXONOMY_WEIGHT)
    assert [(r.english, r.terms, r.weight) for r in word.renderings] == [
        ("search and rescue", ("search", "rescu"), 1.0)
    ]


def test_taxonomy_phrase_matches_consecutive_tokens_only() -> None:
    translator = Translator(TOKENISER, [("救助活動", "rescue operation")], glossary=GLOSSARY)
    tokens = TOKENISER.tokens("救助活動")
    assert tokens == ["救助", "活動"]
    # The phrase covers both tokens: neither gets dictionary renderings of its own.
    assert words(translator, tokens) == [("救助活動", "taxonomy", ["rescue operation"])]
    apart = words(translator, ["救助", "現場", "活動"])
    assert [japanese for japanese, _, _ in apart] == ["救助", "現場", "活動"]


def test_bundled_taxonomy_phrase() -> None:
    tokens = TOKENISER.tokens("無人航空機による救助活動")
    assert tokens[:2] == ["無人", "航空機"]
    out = WITH_TAXONOMY.translate(tokens)
    assert out[0].japanese == "無人航空機" and out[0].source == "taxonomy"
    assert {"drone", "uav", "unman", "aerial"} <= {t for r in out[0].renderings for t in r.terms}
    assert not any(word.japanese in ("無人", "航空機") for word in out)
    # The names the dictionary also gives are the translation; the technology's other names count, but less, and
    # are never shown as the translation (ロボット → "unmanned systems").
    assert {"drone", "unmanned aerial vehicle"} <= {r.english for r in out[0].carried()}
    (robot,) = WITH_TAXONOMY.translate(["ロボット"])
    carried = {r.english for r in robot.carried()}
    assert "robotics" in carried and not carried & {"unmanned systems", "autonomous systems", "uncrewed systems"}
    assert {"unmanned systems", "autonomous systems"} <= {r.english for r in robot.renderings}


def test_dictionary_compound_of_split_tokens() -> None:
    # サイバー攻撃 is one JMdict word that Sudachi splits: read whole, its parts are not read again.
    out = DICTIONARY_ONLY.translate(["サイバー", "攻撃"])
    assert [word.japanese for word in out] == ["サイバー攻撃"]
    assert DICTIONARY_ONLY.translate(["サイバー"])[0].weight == DICTIONARY_WEIGHT


@pytest.mark.parametrize("tokens", [[], ["ぬぬぬぬぬ"], ["drone", "lidar"], ["5g"], ["𠮷𠮷𠮷"]])
def test_unknown_tokens_give_nothing(tokens: list[str]) -> None:
    assert WITH_TAXONOMY.translate(tokens) == []


def test_weights_follow_the_dictionary_order() -> None:
    for word in WITH_TAXONOMY.translate(TOKENISER.tokens(NEED)):
        assert word.renderings
        assert sum(r.weight for r in word.renderings) == pytest.approx(1.0, abs=1e-3)
        assert [r.weight for r in word.renderings] == sorted((r.weight for r in word.renderings), reverse=True)
    terms = {t for w in DICTIONARY_ONLY.translate(["能力", "活動", "現場"]) for r in w.renderings for t in r.terms}
    # 能力's rare homograph (のうりき, a temple worker), 活動's obsolete sense (a film), stop and generic words.
    assert not terms & {"priest", "templ", "movi", "to", "the", "of", "actual", "esp"}
    # 技術's first sense (technology; engineering) outweighs its third (art; craft), which never shows as evidence.
    (technique,) = DICTIONARY_ONLY.translate(["技術"])
    weight = {r.english: r.weight for r in technique.renderings}
    assert weight["technology"] > weight["art"]
    assert "art" not in {r.english for r in technique.carried()}
    assert "technology" in {r.english for r in technique.carried()}


def test_multiword_gloss_kept_as_written() -> None:
    (state,) = DICTIONARY_ONLY.translate(["現状"])
    assert ("present condition", ("present", "condit")) in {(r.english, r.terms) for r in state.renderings}


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
    out = WITH_TAXONOMY.translate(tokens)
    assert out == WITH_TAXONOMY.translate(tokens) == WITH_TAXONOMY.translate(tuple(tokens))
    # Every word is a token or a run of consecutive tokens, in token order, and no token is read twice.
    position = 0
    for word in out:
        while position < len(tokens) and not word.japanese.startswith(tokens[position]):
            position += 1
        run = ""
        while position < len(tokens) and len(run) < len(word.japanese):
            run += tokens[position]
            position += 1
        assert run == word.japanese
        assert word.renderings and sum(r.weight for r in word.renderings) == pytest.approx(1.0, abs=1e-3)
        for rendering in word.renderings:
            assert rendering.terms and all(t == t.casefold() and " " not in t for t in rendering.terms)
            assert 0.0 < rendering.weight <= 1.0


def test_same_result_from_another_instance_and_threads() -> None:
    other = Translator(Tokeniser(), load_taxonomy_pairs())
    tokens = TOKENISER.tokens(NEED)
    expected = WITH_TAXONOMY.translate(tokens)
    assert other.translate(tokens) == expected
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert all(result == expected for result in pool.map(lambda _: other.translate(tokens), range(16)))


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
