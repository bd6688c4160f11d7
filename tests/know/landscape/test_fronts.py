"""Research fronts: planted sub-topics recovered, coupling without shared words, labels, growth, determinism, and the
tracking of fronts between scans."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from kizashi.know.landscape import fronts_graph
from kizashi.know.landscape.fronts import (
    Front,
    FrontInput,
    FrontSettings,
    class_tfidf,
    english_label,
    find_fronts,
    front_rows,
    front_work_rows,
    growth,
    track,
)
from kizashi.know.landscape.fronts_track import STATUSES, track_sets
from kizashi.know.landscape.tables import COLUMNS

SYLLABLES = [c + v for c in "bdgkmnprstz" for v in "aiou"]
NOISE = [f"{a}{b}{c}" for a in SYLLABLES[:12] for b in SYLLABLES[12:24] for c in ("x", "q")][:200]


def vocabulary(topic: int, size: int = 30) -> list[str]:
    """A sub-topic's own words: made up, distinct between sub-topics and from the noise words."""
    return [f"{SYLLABLES[topic]}{SYLLABLES[i % len(SYLLABLES)]}{SYLLABLES[i // len(SYLLABLES)]}w" for i in range(size)]


def planted(
    topics: int = 0,
    per_topic: int = 0,
    *,
    sizes: Sequence[int] = (),
    seed: int = 3,
    own: int = 12,
    noise: int = 12,
    first_year: int = 2015,
) -> tuple[FrontInput, np.ndarray]:
    """Works whose texts mix their sub-topic's words with words every sub-topic uses (`topics` × `per_topic` works,
    or sub-topics of the given `sizes`); truth: each work's sub-topic."""
    rng = np.random.default_rng(seed)
    truth = np.repeat(np.arange(len(sizes) or topics), list(sizes) or per_topic)
    rng.shuffle(truth)
    texts = []
    for t in truth:
        words = [*rng.choice(vocabulary(int(t)), own), *rng.choice(NOISE, noise)]
        rng.shuffle(words)
        texts.append(" ".join(words))
    years = rng.integers(first_year, first_year + 6, len(truth)).tolist()
    ids = [f"openalex:W{i:05d}" for i in range(len(truth))]
    return FrontInput(ids, texts, years, [[] for _ in ids]), truth


def placed(fronts: Sequence[Front], data: FrontInput) -> np.ndarray:
    row = {w: i for i, w in enumerate(data.work_ids)}
    found = np.full(len(data.work_ids), -1)
    for f, front in enumerate(fronts):
        found[[row[w] for w in front.work_ids]] = f
    return found


def adjusted_rand(a: np.ndarray, b: np.ndarray) -> float:
    """Hubert and Arabie's adjusted Rand index, written out here so that the test does not share code with the
    benchmark."""
    table = np.zeros((a.max() + 1, b.max() + 1))
    np.add.at(table, (a, b), 1)

    def pairs(x: np.ndarray) -> float:
        return float((x * (x - 1) / 2).sum())

    index, rows, cols = pairs(table), pairs(table.sum(axis=1)), pairs(table.sum(axis=0))
    expected = rows * cols / (len(a) * (len(a) - 1) / 2)
    return (index - expected) / ((rows + cols) / 2 - expected)


def purity(found: np.ndarray, truth: np.ndarray) -> float:
    kept = found >= 0
    majority = sum(Counter(truth[kept & (found == f)].tolist()).most_common(1)[0][1] for f in set(found[kept]))
    return majority / len(truth)


# ── recovery ───────────────────────────────────────────────────────────────────────────────────────────────────


def test_planted_subtopics_are_recovered() -> None:
    data, truth = planted(topics=4, per_topic=60)
    fronts = find_fronts(data)
    found = placed(fronts, data)
    assert len(fronts) == 4
    assert purity(found, truth) >= 0.9  # over all works: a work in no front counts against it
    assert adjusted_rand(found[found >= 0], truth[found >= 0]) >= 0.9
    for front in fronts:
        topic = Counter(truth[placed([front], data) == 0].tolist()).most_common(1)[0][0]
        # Its label names its own vocabulary, not the noise every sub-topic shares.
        assert front.terms and all(term in vocabulary(topic) for term in front.terms[:4])
        assert front.label_en.split(", ") == front.terms[:4]


def test_planted_subtopics_through_the_approximate_search() -> None:
    # 8 cells of ~100 works, each searching 3: the inverted-file path, not the exact one.
    data, truth = planted(topics=8, per_topic=100, seed=5)
    fronts = find_fronts(data, FrontSettings(cell_size=100, probes=3))
    found = placed(fronts, data)
    assert purity(found, truth) >= 0.9
    assert adjusted_rand(found[found >= 0], truth[found >= 0]) >= 0.9


def test_japanese_subtopic_is_tokenised_and_recovered() -> None:
    english, _ = planted(topics=2, per_topic=40, seed=11)
    rng = np.random.default_rng(2)
    own = [
        "無人機",
        "測量",
        "災害",
        "点検",
        "自律",
        "飛行",
        "経路",
        "計画",
        "空撮",
        "画像",
        "解析",
        "地図",
        "測位",
        "衛星",
        "通信",
        "電池",
        "機体",
        "操縦",
        "監視",
        "救助",
    ]
    japanese = ["、".join(rng.choice(own, 12)) + "。" + " ".join(rng.choice(NOISE, 12)) for _ in range(40)]
    data = FrontInput(
        [*english.work_ids, *(f"ja:{i:03d}" for i in range(40))],
        [*english.texts, *japanese],
        [*english.years, *([2020] * 40)],
    )
    fronts = find_fronts(data)
    ja_front = [f for f in fronts if any(w.startswith("ja:") for w in f.work_ids)]
    assert len(fronts) == 3 and len(ja_front) == 1
    assert set(ja_front[0].work_ids) == {f"ja:{i:03d}" for i in range(40)}
    assert set(ja_front[0].terms[:4]) <= set(own)
    # No English term of its own to show: the English label is made of the Japanese terms.
    assert ja_front[0].label_en.split(", ") == ja_front[0].terms[:4]


def test_bibliographic_coupling_joins_works_without_shared_words() -> None:
    # Every word occurs once in the corpus: text alone joins nothing. Two groups cite two pools of references.
    n = 40
    texts = [f"unique{i}alpha only{i}beta" for i in range(n)]
    pools = [[f"R{g}-{j}" for j in range(8)] for g in range(2)]
    rng = np.random.default_rng(4)
    references = [list(rng.choice(pools[i % 2], 4, replace=False)) for i in range(n)]
    ids = [f"W{i:03d}" for i in range(n)]
    data = FrontInput(ids, texts, [2020] * n, references)
    fronts = find_fronts(data)
    assert sorted(sorted(f.work_ids) for f in fronts) == [ids[0::2], ids[1::2]]
    assert find_fronts(data, FrontSettings(reference_weight=0.0)) == []


def test_works_without_references_stay_with_their_subtopic() -> None:
    # Some works carry references, some do not: the fronts follow the sub-topics, not who has references.
    data, truth = planted(topics=3, per_topic=60, seed=8)
    rng = np.random.default_rng(9)
    references = [[f"R{t}-{j}" for j in rng.choice(10, 4, replace=False)] if rng.random() < 0.6 else [] for t in truth]
    fronts = find_fronts(FrontInput(data.work_ids, data.texts, data.years, references))
    found = placed(fronts, FrontInput(data.work_ids, data.texts, data.years, references))
    assert len(fronts) == 3
    assert adjusted_rand(found[found >= 0], truth[found >= 0]) >= 0.9


def test_works_with_nothing_to_compare_are_in_no_front() -> None:
    data, _ = planted(topics=2, per_topic=30, seed=16)
    empty = ["", "the of and", "a an", "x", "paper results method"]  # no term survives the stop words
    ids = [f"E{i}" for i in range(len(empty))]
    fronts = find_fronts(
        FrontInput([*data.work_ids, *ids], [*data.texts, *empty], [*data.years, *([2020] * len(empty))]),
        FrontSettings(min_size=2),  # each is a community of its own, too small for a front
    )
    assert not set(ids) & {w for f in fronts for w in f.work_ids}
    assert sorted(f.size for f in fronts) == [30, 30]


def test_dense_vectors_replace_the_text_vectors() -> None:
    # The texts are of two sub-topics, the given vectors say otherwise (even and odd rows): the vectors decide.
    data, _ = planted(topics=2, per_topic=30, seed=17)
    rng = np.random.default_rng(18)
    centres = np.eye(8)[[0, 1]]
    vectors = centres[np.arange(60) % 2] + 0.05 * rng.standard_normal((60, 8))
    fronts = find_fronts(data, vectors=vectors)
    assert sorted(f.work_ids for f in fronts) == sorted([data.work_ids[0::2], data.work_ids[1::2]])
    with pytest.raises(ValueError, match="rows"):
        find_fronts(data, vectors=vectors[:10])


# ── ids, sizes, determinism ────────────────────────────────────────────────────────────────────────────────────


def test_ids_sizes_and_small_communities() -> None:
    data, truth = planted(sizes=[30, 50, 3], seed=1)
    fronts = find_fronts(data, FrontSettings(min_size=5), id_prefix="T")
    assert [f.id for f in fronts] == ["T001", "T002"]
    assert [f.size for f in fronts] == [50, 30]  # largest first; the three-work sub-topic is no front
    assert all(f.work_ids == sorted(f.work_ids) for f in fronts)
    small = {data.work_ids[i] for i in np.flatnonzero(truth == 2)}
    assert not small & {w for f in fronts for w in f.work_ids}
    # With min_size 3 the small sub-topic is a front of its own.
    assert [f.size for f in find_fronts(data, FrontSettings(min_size=3))] == [50, 30, 3]


def test_equal_sizes_are_ordered_by_smallest_work_id() -> None:
    data, _ = planted(topics=2, per_topic=30, seed=6)
    fronts = find_fronts(data)
    assert [f.size for f in fronts] == [30, 30]
    assert fronts[0].work_ids[0] < fronts[1].work_ids[0]


def test_same_input_same_fronts() -> None:
    data, _ = planted(topics=5, per_topic=40, seed=12)
    first = find_fronts(data, FrontSettings(cell_size=50, probes=2))
    second = find_fronts(data, FrontSettings(cell_size=50, probes=2))
    assert first == second
    assert first  # not vacuous


def test_randomized_svd_recovers_a_low_rank_matrix() -> None:
    rng = np.random.default_rng(0)
    left, _ = np.linalg.qr(rng.standard_normal((400, 6)))
    right, _ = np.linalg.qr(rng.standard_normal((300, 6)))
    values = np.array([50.0, 30.0, 20.0, 10.0, 5.0, 2.0])
    matrix = sp.csr_array((left * values) @ right.T)
    u, s = fronts_graph.randomized_svd(matrix, 4, seed=1)
    assert np.allclose(s, values[:4], rtol=1e-3)
    # The same directions, up to sign.
    assert np.allclose(np.abs(np.sum(u * left[:, :4], axis=0)), 1.0, atol=1e-3)
    u2, s2 = fronts_graph.randomized_svd(matrix, 4, seed=1)
    assert np.array_equal(u, u2) and np.array_equal(s, s2)


def test_lsa_keeps_empty_works_at_zero() -> None:
    rng = np.random.default_rng(0)
    dense = rng.random((50, 30))
    dense[dense < 0.7] = 0.0
    dense[[3, 17]] = 0.0
    vectors = fronts_graph.lsa(sp.csr_array(dense), dims=40, seed=1)  # more dimensions than the matrix has rank
    assert not vectors[[3, 17]].any()
    assert np.allclose(np.linalg.norm(np.delete(vectors, [3, 17], axis=0), axis=1), 1.0, atol=1e-5)
    # Cosines are kept: with every dimension, they are those of the rows themselves.
    rows = np.delete(dense, [3, 17], axis=0)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    assert np.allclose(
        np.delete(vectors, [3, 17], axis=0) @ np.delete(vectors, [3, 17], axis=0).T, rows @ rows.T, atol=1e-4
    )


def test_exact_neighbours_match_brute_force() -> None:
    rng = np.random.default_rng(1)
    vectors = fronts_graph.unit_rows(rng.standard_normal((120, 8)).astype(np.float32))
    vectors[7] = 0.0  # a work with nothing to compare
    found, similarity = fronts_graph.neighbours(vectors, 5)
    scores = vectors @ vectors.T
    np.fill_diagonal(scores, -np.inf)
    for i in range(120):
        if i == 7:
            assert (found[i] == -1).all()
            continue
        expected = [j for j in np.argsort(-scores[i]) if j != 7][:5]
        assert set(found[i].tolist()) == set(expected)
        assert np.allclose(np.sort(similarity[i]), np.sort(scores[i, expected]), atol=1e-5)


def test_approximate_neighbours_find_most_exact_ones() -> None:
    rng = np.random.default_rng(2)
    centres = rng.standard_normal((20, 16))
    points = centres[rng.integers(0, 20, 2000)] + 0.4 * rng.standard_normal((2000, 16))
    vectors = fronts_graph.unit_rows(points.astype(np.float32))
    found, _ = fronts_graph.neighbours(vectors, 10, cell_size=100, probes=4, seed=3)
    scores = vectors @ vectors.T
    np.fill_diagonal(scores, -np.inf)
    exact = np.argpartition(scores, -10, axis=1)[:, -10:]
    recall = np.mean([len(set(exact[i]) & set(found[i])) / 10 for i in range(2000)])
    assert recall >= 0.9


# ── terms and labels ───────────────────────────────────────────────────────────────────────────────────────────


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet="abcdeXYZ 19_-.,'thisand", max_size=60), min_size=1, max_size=12))
def test_terms_respect_the_vocabulary_rules(texts: list[str]) -> None:
    counts, terms = fronts_graph.count_terms(texts, min_df=2, max_df=1.0)
    assert counts.shape == (len(texts), len(terms))
    assert len(set(terms)) == len(terms)
    for term in terms:
        assert len(term) >= 2 and term == term.lower() and term not in fronts_graph.STOP_WORDS
        assert any(ch.isalpha() for ch in term) and "_" not in term
    df = np.bincount(counts.indices, minlength=len(terms))
    assert (df >= 2).all()
    for row, text in enumerate(texts):
        words = Counter(fronts_graph.words(text))
        got = counts[[row], :].toarray().ravel()
        assert all(got[c] == words[term] for c, term in enumerate(terms))


def test_japanese_words_come_from_sudachi() -> None:
    assert "ドローン" in fronts_graph.words("ドローンによる災害現場の測量")
    assert fronts_graph.words("Drone-based Survey of 3D sites") == ["drone", "based", "survey", "of", "3d", "sites"]


def test_class_tfidf_known_answer() -> None:
    # Two classes of one work each and a third (the works in no front) of one work.
    counts = sp.csr_array(np.array([[3.0, 1.0, 0.0], [0.0, 1.0, 2.0], [0.0, 1.0, 0.0]]))
    weights = class_tfidf(counts, [np.array([0]), np.array([1])]).toarray()
    average = counts.sum() / 3
    frequency = counts.toarray().sum(axis=0)
    idf = np.log(1 + average / frequency)
    assert weights[0, 0] == pytest.approx(3 / 4 * idf[0])
    assert weights[0, 1] == pytest.approx(1 / 4 * idf[1])
    assert weights[1, 2] == pytest.approx(2 / 3 * idf[2])
    assert weights.shape == (3, 3)


def test_english_label_prefers_latin_terms() -> None:
    assert english_label(["ドローン", "lidar", "survey", "測量", "mapping", "slam"], 3) == "lidar, survey, mapping"
    assert english_label(["ドローン", "測量"], 3) == "ドローン, 測量"
    assert english_label(["robot", "robots", "grasping", "grasp", "hand"], 3) == "robot, grasping, hand"


def test_japanese_label_is_given_the_works_and_falls_back() -> None:
    data, _ = planted(topics=2, per_topic=20, seed=13)
    asked: list[list[str]] = []

    def name(work_ids: list[str]) -> str:
        asked.append(work_ids)
        return "無人機" if len(asked) == 1 else ""

    fronts = find_fronts(data, japanese_label=name)
    assert asked == [fronts[0].work_ids, fronts[1].work_ids]
    assert fronts[0].label_ja == "無人機"
    assert fronts[1].label_ja == fronts[1].label_en != ""
    assert all(f.label_ja == f.label_en for f in find_fronts(data))


# ── growth ─────────────────────────────────────────────────────────────────────────────────────────────────────


def test_growth_known_answer() -> None:
    years = np.array([2015, 2020, 2020, 2020, 2018, 2015, 2015, 2020])
    groups = [np.array([0, 1, 2, 3]), np.array([4, 5, 6, 7])]
    assert growth(years, groups, 2020) == pytest.approx([(3.5 / 1.5) ** 0.2 - 1, (1.5 / 2.5) ** 0.2 - 1])
    # A corpus that starts in 2018: a two-year span from its first year.
    assert growth(years[[1, 4]], [np.array([0, 1])], 2020) == pytest.approx([(1.5 / 1.5) ** 0.5 - 1])
    assert growth(np.array([2020, 2020]), [np.array([0, 1])], 2020) == [None]


def test_front_growth_over_the_last_five_years() -> None:
    data, truth = planted(topics=2, per_topic=30, seed=14)
    # Sub-topic 0: 2 works in 2015, the rest in 2020; sub-topic 1: all in 2017.
    years = np.where(truth == 0, 2020, 2017)
    years[np.flatnonzero(truth == 0)[:2]] = 2015
    fronts = find_fronts(FrontInput(data.work_ids, data.texts, years.tolist(), data.references))
    by_topic = {int(truth[placed([f], data) == 0][0]): f for f in fronts}
    assert by_topic[0].growth == pytest.approx((28.5 / 2.5) ** 0.2 - 1)
    assert by_topic[1].growth == pytest.approx((0.5 / 0.5) ** 0.2 - 1)
    later = find_fronts(FrontInput(data.work_ids, data.texts, years.tolist()), end_year=2022)
    assert sorted(f.growth or 0.0 for f in later) == pytest.approx([(0.5 / 30.5) ** 0.2 - 1, 0.0])


# ── input, settings, rows ──────────────────────────────────────────────────────────────────────────────────────


def test_bad_input_and_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        FrontInput(["a", "b"], ["x"], [2020, 2020])
    with pytest.raises(ValueError, match="distinct"):
        FrontInput(["a", "a"], ["x", "y"], [2020, 2020])
    with pytest.raises(ValueError, match="k, reference_weight"):
        FrontSettings(k=0, reference_weight=1.5)


def test_tiny_inputs_have_no_fronts() -> None:
    assert find_fronts(FrontInput([], [], [])) == []
    assert find_fronts(FrontInput(["a"], ["drone survey"], [2020])) == []
    assert find_fronts(FrontInput(["a", "b"], ["", ""], [2020, 2021])) == []


def test_rows_have_the_table_columns() -> None:
    data, _ = planted(topics=2, per_topic=20, seed=15)
    fronts = find_fronts(data)
    rows = front_rows(fronts, technologies={fronts[0].id: "T1;T2"})
    assert [tuple(r) for r in rows] == [COLUMNS["fronts"]] * 2
    assert rows[0]["technologies"] == "T1;T2" and rows[0]["status"] == "new" and rows[0]["previous"] == ""
    assert rows[0]["works"] == fronts[0].size
    works = front_work_rows(fronts)
    assert all(tuple(r) == COLUMNS["front_works"] for r in works)
    assert len(works) == sum(f.size for f in fronts)
    tracked = track(fronts, {"P1": fronts[0].work_ids})
    assert front_rows(fronts, tracked)[0]["previous"] == "P1"


# ── tracking ───────────────────────────────────────────────────────────────────────────────────────────────────


def ids(prefix: str, start: int, stop: int) -> list[str]:
    return [f"{prefix}{i}" for i in range(start, stop)]


def test_tracking_statuses_on_constructed_scans() -> None:
    previous = {
        "P1": ids("w", 0, 100),  # continues as C1 (grown)
        "P2": ids("w", 100, 200),  # splits into C2 and C3
        "P3": ids("w", 200, 240),  # merges with P4 into C4
        "P4": ids("w", 240, 280),
        "P5": ids("w", 280, 300),  # vanishes: its works are in no front now
        "P6": ids("w", 300, 310),  # vanishes: one work went to C1, below the threshold
    }
    current = {
        "C1": [*ids("w", 0, 95), *ids("n", 0, 200), "w300"],
        "C2": ids("w", 100, 150),
        "C3": ids("w", 150, 200),
        "C4": ids("w", 200, 280),
        "C5": ids("n", 500, 540),  # new
    }
    tracked = track_sets(current, previous)
    assert tracked.status == {"C1": "continued", "C2": "split", "C3": "split", "C4": "merged", "C5": "new"}
    assert tracked.previous == {"C1": ["P1"], "C2": ["P2"], "C3": ["P2"], "C4": ["P3", "P4"], "C5": []}
    assert tracked.previous_text("C4") == "P3;P4"
    assert tracked.vanished == ["P5", "P6"]


def test_tracking_threshold_is_inclusive() -> None:
    previous = {"P": ids("w", 0, 10)}
    assert track_sets({"C": [*ids("w", 0, 3), *ids("n", 0, 20)]}, previous).status == {"C": "continued"}
    assert track_sets({"C": [*ids("w", 0, 2), *ids("n", 0, 20)]}, previous).status == {"C": "new"}


def test_merge_wins_over_split() -> None:
    previous = {"P1": ids("w", 0, 10), "P2": ids("w", 10, 20)}
    current = {"C1": [*ids("w", 0, 5), *ids("w", 10, 20)], "C2": ids("w", 5, 10)}
    tracked = track_sets(current, previous)
    assert tracked.status == {"C1": "merged", "C2": "split"}
    assert tracked.previous["C1"] == ["P2", "P1"]  # most shared works first


def test_track_takes_fronts() -> None:
    front = Front("F001", "a", "a", ids("w", 0, 10), None, [])
    tracked = track([front], {"P": ids("w", 0, 10), "Q": ids("x", 0, 5)})
    assert tracked.status == {"F001": "continued"} and tracked.vanished == ["Q"]


partitions = st.lists(st.lists(st.integers(0, 60), min_size=1, max_size=25, unique=True), max_size=6)


@settings(max_examples=200, deadline=None)
@given(partitions, partitions, st.sampled_from([0.1, 0.3, 0.5, 1.0]))
def test_tracking_is_consistent(
    current_sets: list[list[int]], previous_sets: list[list[int]], threshold: float
) -> None:
    current = {f"C{i}": [f"w{w}" for w in works] for i, works in enumerate(current_sets)}
    previous = {f"P{i}": [f"w{w}" for w in works] for i, works in enumerate(previous_sets)}
    tracked = track_sets(current, previous, threshold=threshold)
    assert set(tracked.status) == set(current) == set(tracked.previous)
    named = {p for linked in tracked.previous.values() for p in linked}
    assert named <= set(previous)
    assert set(tracked.vanished) == set(previous) - named and tracked.vanished == sorted(tracked.vanished)
    fan_out = Counter(p for linked in tracked.previous.values() for p in linked)
    for front, linked in tracked.previous.items():
        assert tracked.status[front] in STATUSES
        assert len(linked) == len(set(linked))
        for p in linked:  # every link shares works, at least the threshold of the smaller front
            shared = len(set(current[front]) & set(previous[p]))
            assert shared > 0
            assert shared / min(len(set(current[front])), len(set(previous[p]))) >= threshold - 1e-12
        expected = (
            "new"
            if not linked
            else "merged"
            if len(linked) >= 2
            else "split"
            if fan_out[linked[0]] >= 2
            else "continued"
        )
        assert tracked.status[front] == expected
    # Sanity of the overlap rule: a scan compared with itself continues every front that shares no works.
    if all(not set(a) & set(b) for i, a in enumerate(current_sets) for b in current_sets[i + 1 :]):
        same = track_sets(current, current, threshold=threshold)
        assert set(same.status.values()) <= {"continued"} and same.vanished == []
