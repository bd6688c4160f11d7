"""The critical-technology ranking: indicators combined by TOPSIS and by a weighted sum, with sensitivity bands.

TOPSIS (Hwang & Yoon 1981, "Multiple Attribute Decision Making", the technique for order preference by similarity
to an ideal solution): each indicator column is divided by its Euclidean norm, weighted, and every technology scored
by its closeness D⁻ / (D⁺ + D⁻) to the ideal (the best value of every column) against the anti-ideal (the worst).
The weighted sum scales every column to 0..1 (min-max) and adds them by weight. Every indicator is "higher = more
critical"; a negative value counts as 0 (a declining technology has no momentum to add), so raising a technology's
indicator never lowers its score. `rank_low`/`rank_high` are its best and worst TOPSIS rank when each weight in
turn moves by ±20 % (the weights renormalised to sum 1), the base weights included.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson

from kizashi.errors import InputError
from kizashi.files.limits import bounded
from kizashi.files.tabular import suffix_of
from kizashi.files.yaml_file import read_yaml
from kizashi.know.landscape.tables import COLUMNS, Row
from kizashi.messages import Message

FloatArray = npt.NDArray[np.float64]

INDICATORS: tuple[str, ...] = (
    "threat_relevance",
    "momentum",
    "japan_gap",
    "japan_trend",
    "dual_use",
    "concentration",
)
DEFAULT_WEIGHTS: dict[str, float] = {
    "threat_relevance": 0.25,
    "momentum": 0.20,
    "japan_gap": 0.20,
    "japan_trend": 0.10,
    "dual_use": 0.15,
    "concentration": 0.10,
}
SENSITIVITY = 0.2  # each weight moved by ±20 % for rank_low / rank_high
DIGITS = 6

# What each indicator means, for the weights file a user edits (English, Japanese).
_MEANING: dict[str, tuple[str, str]] = {
    "threat_relevance": (
        "threats in the register that name the technology, and needs tagged with it, by likelihood x impact",
        "脅威登録簿で当該技術を挙げる脅威と、当該技術が付いたニーズ（発生可能性×影響度で重み付け）",
    ),
    "momentum": (
        "the emergence score: growth, novelty, persistence, community",
        "新興性スコア（成長・新規性・持続性・共同体）",
    ),
    "japan_gap": ("the lead country's share minus Japan's share", "首位国のシェアと日本のシェアの差"),
    "japan_trend": ("how far Japan's share is falling", "日本のシェアの低下幅"),
    "dual_use": ("the control-list classifier's dual-use signal", "規制リスト分類器によるデュアルユース性の信号"),
    "concentration": ("monopoly risk: high 1, medium 0.5, low 0", "独占リスク（高 1、中 0.5、低 0）"),
}


@dataclass(frozen=True)
class Ranked:
    technology: str
    rank: int  # 1 = most critical, by TOPSIS
    score: float  # TOPSIS closeness, 0..1
    rank_low: int  # best rank under the weight changes
    rank_high: int  # worst rank under the weight changes
    weighted_score: float  # weighted sum of min-max scaled indicators, 0..1
    weighted_rank: int

    def row(self) -> Row:
        return dict(zip(COLUMNS["critical"][: len(fields(self))], astuple(self), strict=True))


assert tuple(f.name for f in fields(Ranked)) == COLUMNS["critical"][: len(fields(Ranked))]


def topsis(matrix: npt.ArrayLike, weights: npt.ArrayLike) -> FloatArray:
    """TOPSIS closeness of each row (alternatives × criteria, every criterion a benefit) under `weights`.

    A column of zeros normalises to zeros; a row as far from the ideal as from the anti-ideal, which happens only
    when all rows are equal on every weighted column, scores 0.5.
    """
    x = np.asarray(matrix, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if x.ndim != 2 or w.shape != (x.shape[1],):
        raise ValueError("matrix must be 2-D with one weight per column")
    if x.shape[0] == 0:
        return np.zeros(0)
    norm = np.sqrt((x * x).sum(axis=0))
    v = np.divide(x, norm, out=np.zeros_like(x), where=norm > 0) * w
    best = np.sqrt(((v - v.max(axis=0)) ** 2).sum(axis=1))
    worst = np.sqrt(((v - v.min(axis=0)) ** 2).sum(axis=1))
    total = best + worst
    result: FloatArray = np.divide(worst, total, out=np.full_like(total, 0.5), where=total > 0)
    return result


def weighted_sum(matrix: npt.ArrayLike, weights: npt.ArrayLike) -> FloatArray:
    """Σ weight × (x − column min) / (column max − column min); a constant column adds nothing."""
    x = np.asarray(matrix, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if x.ndim != 2 or w.shape != (x.shape[1],):
        raise ValueError("matrix must be 2-D with one weight per column")
    if x.shape[0] == 0:
        return np.zeros(0)
    low, spread = x.min(axis=0), np.ptp(x, axis=0)
    scaled = np.divide(x - low, spread, out=np.zeros_like(x), where=spread > 0)
    result: FloatArray = scaled @ w
    return result


def rank(indicators: Mapping[str, Mapping[str, float]], weights: Mapping[str, float]) -> list[Ranked]:
    """Technologies ranked by TOPSIS (ties by technology id), with the weighted sum and the sensitivity bands.

    `indicators` maps technology → {indicator: value}; a missing, None or NaN value counts as 0, a negative one as 0.
    `weights` maps indicators to non-negative weights (missing ones are 0), rescaled to sum 1."""
    technologies = sorted(indicators)
    w = _weight_vector(weights)
    matrix = np.zeros((len(technologies), len(INDICATORS)))
    for i, technology in enumerate(technologies):
        for name, value in indicators[technology].items():
            if name not in INDICATORS:
                raise ValueError(f"unknown indicator {name!r}; known: {', '.join(INDICATORS)}")
            matrix[i, INDICATORS.index(name)] = _value(value)
    scores = topsis(matrix, w)
    ranks = _ranks(scores, technologies)
    low, high = ranks.copy(), ranks.copy()
    for j in range(len(INDICATORS)):
        for factor in (1.0 - SENSITIVITY, 1.0 + SENSITIVITY):
            moved = w.copy()
            moved[j] *= factor
            if moved.sum() <= 0:
                continue
            other = _ranks(topsis(matrix, moved / moved.sum()), technologies)
            low, high = np.minimum(low, other), np.maximum(high, other)
    weighted = weighted_sum(matrix, w)
    weighted_ranks = _ranks(weighted, technologies)
    found = [
        Ranked(
            technology=technology,
            rank=int(ranks[i]),
            score=round(float(scores[i]), DIGITS),
            rank_low=int(low[i]),
            rank_high=int(high[i]),
            weighted_score=round(float(weighted[i]), DIGITS),
            weighted_rank=int(weighted_ranks[i]),
        )
        for i, technology in enumerate(technologies)
    ]
    return sorted(found, key=lambda r: r.rank)


def read_weights(path: Path) -> dict[str, float]:
    """The weights in a YAML or JSON file `{indicator: weight}`, rescaled to sum 1; indicators it leaves out weigh 0.

    InputError (naming the file and the indicator) for a document that is not a mapping, an unknown indicator, a
    weight that is not a finite number or is negative, and weights that are all zero."""
    document = _json(path) if suffix_of(path) == ".json" else read_yaml(path)
    if document is None:
        raise InputError(Message("the weights file is empty"), file=path)
    if not isinstance(document, dict):
        raise InputError(Message("expected a mapping of indicator: weight"), file=path)
    weights = dict.fromkeys(INDICATORS, 0.0)
    for name, value in document.items():
        if name not in INDICATORS:
            raise InputError(
                Message("unknown indicator; known: {known}", known=", ".join(INDICATORS)), file=path, field=str(name)
            )
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise InputError(Message("weight must be a number, found {value!r}", value=value), file=path, field=name)
        if value < 0:
            raise InputError(Message("weight must not be negative, found {value}", value=value), file=path, field=name)
        weights[name] = float(value)
    total = sum(weights.values())
    if total <= 0:
        raise InputError(Message("all weights are zero"), file=path)
    return {name: value / total for name, value in weights.items()}


def weights_text() -> str:
    """The default weights file (YAML), a comment per indicator in English and Japanese."""
    lines = [
        "# Weights of the critical-technology ranking (kizashi scan --weights FILE).",
        "# 重要技術ランキングの重み（kizashi scan --weights FILE）。",
        "# Each weight is a number >= 0; they are rescaled to sum 1. An indicator left out weighs 0.",
        "# 各重みは 0 以上の数値で、合計が 1 になるよう再尺度化されます。省略した指標の重みは 0 です。",
    ]
    for name in INDICATORS:
        english, japanese = _MEANING[name]
        lines += ["", f"# {english}", f"# {japanese}", f"{name}: {DEFAULT_WEIGHTS[name]}"]
    return "\n".join(lines) + "\n"


def _json(path: Path) -> Any:
    with bounded(path) as source:
        raw = source.document().removeprefix(b"\xef\xbb\xbf")
    if not raw.strip():
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise InputError(Message("broken JSON: {problem}", problem=str(exc)), file=path) from None


def _weight_vector(weights: Mapping[str, float]) -> FloatArray:
    w = np.zeros(len(INDICATORS))
    for name, value in weights.items():
        if name not in INDICATORS:
            raise ValueError(f"unknown indicator {name!r}; known: {', '.join(INDICATORS)}")
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"weight of {name} must be a finite number >= 0, not {value}")
        w[INDICATORS.index(name)] = value
    if w.sum() <= 0:
        raise ValueError("all weights are zero")
    result: FloatArray = w / w.sum()
    return result


def _value(value: float | None) -> float:
    if value is None or not math.isfinite(value):
        return 0.0
    return max(0.0, float(value))


def _ranks(scores: FloatArray, technologies: Sequence[str]) -> npt.NDArray[np.int64]:
    """1-based ranks by score, highest first; equal scores (to 12 digits) ordered by technology id."""
    # Rounding first: equal indicator rows can differ in the last bit after renormalised weights.
    order = sorted(range(len(technologies)), key=lambda i: (-round(float(scores[i]), 12), technologies[i]))
    ranks = np.empty(len(technologies), dtype=np.int64)
    ranks[order] = np.arange(1, len(technologies) + 1)
    return ranks
