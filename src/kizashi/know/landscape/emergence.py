"""Emergence of technologies from their yearly works: naive growth, an emergence score and the `emerging` flag.

After Porter et al.'s emergence indicator and its four criteria — novelty, persistence, community and growth
(Carley, Newman, Porter & Garner 2018, "An indicator of technical emergence", Scientometrics 115: 35–49; Porter,
Garner, Carley & Newman 2019, "Emergence scoring to identify frontier R&D topics and key players", Technological
Forecasting & Social Change 146: 628–643). As there, persistence and community are criteria a technology must meet
(here: to be flagged `emerging`), while novelty and growth make the score. Growth is measured robustly: the slope
of a log-linear Poisson regression of the works on the year with the corpus totals as offset (growth of the
technology's *share*, so a growing corpus lifts nobody), with a Normal prior on the slope, which shrinks a slope
towards "no change" in proportion to its standard error; two noisy endpoints (the naive `growth`) cannot tell a real
rise from one good year, and in the tuning data the naive growth even ranked the growth that followed backwards.

The score is a forecast (`forecast`): the growth per year to expect over the next five years from that shrunk trend,
corrected for where the last year stands against it, less a little for size. Its constants were chosen on scans of
real papers with kizashi's bundled taxonomy (robotics and vision conference papers as of 2006–2020, security papers
as of 2017–2022) and checked on taxonomies never used for choosing them (hand-written and n-gram technology lists over
the same papers): there the score's rank correlation with the growth that followed beat naive growth's in 31 of 32
scans (mean +0.24 against −0.13). Persistence and community are gates of the `emerging` flag, not parts of the score.
See `score_all` and `forecast`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import astuple, dataclass, fields

import numpy as np
import numpy.typing as npt

from kizashi.know.landscape.bursts import burst_years
from kizashi.know.landscape.tables import COLUMNS, Row

FloatArray = npt.NDArray[np.float64]

GROWTH_YEARS = 5  # `growth` compares the end year with this many years before
RECENT_YEARS = 5  # the active period: recent works, novelty's share, persistence and community
DIGITS = 6


@dataclass(frozen=True)
class Params:
    """The score's constants (defaults tuned as said in the module docstring)."""

    trend_years: int = 10  # the last years of the window the Poisson fit uses
    prior_sd: float = 0.05  # prior standard deviation of the yearly log-share slope: the shrinkage
    share_common: float = 0.2  # a technology with this share of recent works (or more) has no rarity left
    share_rare: float = 1e-4  # ... and with this share (or less) is as rare as can be
    youth_years: float = 3.0  # novelty's youth decays as exp(-age / youth_years)
    community_full: int = 5  # distinct contributors in the active period for a full community
    forecast_years: int = 5  # the score is the growth to expect per year over this many years (`forecast`)
    forecast_prior_sd: float = 0.14  # the forecast's shrinkage of the yearly log-share slope
    rarity_weight: float = 0.05  # a little more growth expected of what is still small


DEFAULT = Params()

# `emerging` is true when all of these hold (a documented rule, not a learned one):
EMERGING_MIN_RECENT_WORKS = 10  # works in the last RECENT_YEARS years of the window
# The share rises in the active period: the slope of `trend` over its years, shrunk less than the score's (a flag
# says "rising", the score ranks), at least ~10 % a year.
EMERGING_PRIOR_SD = 0.2
EMERGING_MIN_TREND = 0.1
EMERGING_MIN_PERSISTENCE = 0.6  # works in ≥ 3 of the last 5 years (of those since its first work)
EMERGING_MIN_CONTRIBUTORS = 2  # distinct institutions in the active period, when the works name any


@dataclass(frozen=True)
class Series:
    """A technology's yearly counts over consecutive years: its works, all works, and the distinct institutions of
    its works; `first_year` is the earliest year it has any work (also before the window), None when it has none."""

    technology: str
    years: tuple[int, ...]
    works: tuple[int, ...]
    totals: tuple[int, ...]
    contributors: tuple[int, ...]
    first_year: int | None


@dataclass(frozen=True)
class Emergence:
    technology: str
    works: int  # in the window
    growth: float | None  # naive compound annual growth over the last GROWTH_YEARS years
    emergence_score: float
    emerging: bool
    burst_years: str
    novelty: float  # 0..1
    persistence: float  # 0..1
    community: float | None  # 0..1; None when the works name no institution
    recent_works: int  # in the last RECENT_YEARS years of the window

    def row(self) -> Row:
        return dict(zip(COLUMNS["emergence"], astuple(self), strict=True))


assert tuple(f.name for f in fields(Emergence)) == COLUMNS["emergence"]


def growth(works: Sequence[int], span: int = GROWTH_YEARS) -> float | None:
    """Compound annual growth from `span` years before the last year to the last: ((n_end + 0.5) / (n_start + 0.5))
    ** (1 / span) − 1. The +0.5 keeps a technology that starts from nothing finite (0 → 3 works in five years is
    +48 % a year, not infinite). A window shorter than span + 1 years uses its first year as the start and the
    shorter span; None for a window of one year."""
    if len(works) < 2:
        return None
    start = max(0, len(works) - 1 - span)
    years = len(works) - 1 - start
    return float(((works[-1] + 0.5) / (works[start] + 0.5)) ** (1.0 / years) - 1.0)


def trend(
    works: npt.ArrayLike, totals: npt.ArrayLike, *, prior_sd: float = DEFAULT.prior_sd
) -> tuple[FloatArray, FloatArray]:
    """The slope and its standard error of `fit` (below)."""
    _, b, se = fit(works, totals, prior_sd=prior_sd)
    return b, se


def fit(
    works: npt.ArrayLike, totals: npt.ArrayLike, *, prior_sd: float = DEFAULT.prior_sd
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per row: the level a, the slope b and b's standard error of log E[works] = a + b·(year − last year) +
    log(totals), a Poisson
    regression with the totals as offset and a N(0, prior_sd²) prior on b (maximum a posteriori by Newton steps).

    Rows are technologies, columns consecutive years; a year with total 0 carries no information. A row with no
    works, or fewer than two informative years, has b = 0 and the prior's spread as its standard error.
    """
    c = np.atleast_2d(np.asarray(works, dtype=np.float64))
    n = np.atleast_2d(np.asarray(totals, dtype=np.float64))
    n = np.broadcast_to(n, c.shape)
    seen = n > 0
    c = np.where(seen, c, 0.0)
    x = np.arange(c.shape[1], dtype=np.float64) - (c.shape[1] - 1)
    offset = np.log(np.where(seen, n, 1.0))
    precision = 1.0 / prior_sd**2
    fitted = (c.sum(axis=1) > 0) & (seen.sum(axis=1) >= 2)
    a = np.log((c.sum(axis=1) + 0.5) / np.maximum(np.where(seen, n, 0.0).sum(axis=1), 1.0))
    b = np.zeros(c.shape[0])
    info_b = np.full(c.shape[0], precision)
    for _ in range(50):
        mu = np.where(seen, np.exp(np.clip(a[:, None] + b[:, None] * x + offset, -700.0, 700.0)), 0.0)
        residual = c - mu
        g_a = residual.sum(axis=1)
        g_b = (residual * x).sum(axis=1) - precision * b
        h_aa = mu.sum(axis=1)
        h_ab = (mu * x).sum(axis=1)
        h_bb = (mu * x * x).sum(axis=1) + precision
        det = h_aa * h_bb - h_ab * h_ab
        ok = fitted & (det > 1e-12)
        safe = np.where(ok, det, 1.0)
        # Steps are clipped: far from the optimum a Newton step on exp() can overshoot by orders of magnitude.
        a = a + np.where(ok, np.clip((h_bb * g_a - h_ab * g_b) / safe, -3.0, 3.0), 0.0)
        b = b + np.where(ok, np.clip((h_aa * g_b - h_ab * g_a) / safe, -1.0, 1.0), 0.0)
        info_b = np.where(ok, safe / np.where(h_aa > 0, h_aa, 1.0), precision)
    b = np.where(fitted, b, 0.0)
    se = np.where(fitted, 1.0 / np.sqrt(np.maximum(info_b, precision)), prior_sd)
    return a, b, se


def forecast(works: FloatArray, totals: FloatArray, params: Params = DEFAULT) -> FloatArray:
    """The growth to expect per year over the next `forecast_years`: a shrunk log-linear trend of the technology's
    share over the last `trend_years` (`fit`, prior `forecast_prior_sd`), plus the way back to that trend of a last
    year above or below it, minus a little for size:

        g = b + (a + ln N_last − ln(n_last + 0.5)) / forecast_years − rarity_weight · ln(1 + Σ recent n)

    Why: yearly counts are noisy, and a technology counted high in its last year (a good year, a big conference)
    grows less after it; naive growth, two endpoints apart, takes that noise for a trend and ranks what followed
    backwards (on real papers its rank correlation with the growth that came was below zero in most backtests).
    """
    window = slice(-params.trend_years, None)
    a, b, _ = fit(works[:, window], totals[:, window], prior_sd=params.forecast_prior_sd)
    last_total = np.maximum(totals[:, -1], 1.0)
    level = a + np.log(last_total) - np.log(works[:, -1] + 0.5)
    recent = works[:, -RECENT_YEARS:].sum(axis=1)
    return np.asarray(b + level / params.forecast_years - params.rarity_weight * np.log1p(recent), dtype=np.float64)


def score_all(series: Sequence[Series], end_year: int | None = None, params: Params = DEFAULT) -> list[Emergence]:
    """Emergence of every technology over its window ending at `end_year` (default: the last year of the series).

    With n_y the technology's works and N_y all works in year y, and the active period the window's last
    RECENT_YEARS years:
    - trend b: the shrunk Poisson slope (`trend`) over the window's last `trend_years` years, the yearly log growth of
      the technology's share;
    - novelty = (rarity + youth) / 2 in 0..1: rarity = ln(share_common / s) / ln(share_common / share_rare) clipped to
      0..1 with s = (Σn + 0.5) / ΣN its share of the active period's works; youth = exp(−age / youth_years) with
      age = end_year − first_year (1 when it has no work yet) — Porter's "new, and not yet common";
    - emergence_score = `forecast`: the growth per year to expect over the next `forecast_years` (the scan leaves it
      empty for a technology without works);
    - persistence = the share of the active years since its first work in which it has works (0..1);
    - community = min(1, C / community_full), C the most distinct institutions of its works in one active year (the
      period has at least that many); None when its works name none (unknown rather than zero: a work with an
      institution names at least one);
    - emerging: at least EMERGING_MIN_RECENT_WORKS works in the active period, its share rising there (the slope of
      `trend` over the active period with prior EMERGING_PRIOR_SD at least EMERGING_MIN_TREND), persistence ≥
      EMERGING_MIN_PERSISTENCE and, when known, C ≥ EMERGING_MIN_CONTRIBUTORS;
    - burst_years: Kleinberg's bursts of n_y among N_y over the whole window (bursts.py).
    """
    if not series:
        return []
    works, totals, contributors, years, starts = _matrices(series, end_year)
    last = years[-1]
    recent = works[:, -RECENT_YEARS:].sum(axis=1)
    recent_totals = totals[:, -RECENT_YEARS:].sum(axis=1)
    expected = forecast(works, totals, params)
    rising, _ = trend(works[:, -RECENT_YEARS:], totals[:, -RECENT_YEARS:], prior_sd=EMERGING_PRIOR_SD)
    share = (recent + 0.5) / np.maximum(recent_totals, 1.0)
    span = math.log(params.share_common / params.share_rare)
    rarity = np.clip(np.log(params.share_common / share) / span, 0.0, 1.0)
    first = _first_years(series, works, years)
    youth = np.where(first > last, 1.0, np.exp(-(last - first) / params.youth_years))
    novelty = (rarity + youth) / 2.0
    persistence = _persistence(works, years, first)
    # Yearly distinct counts cannot be added up (an institution active every year would count five times); the
    # largest is how many distinct institutions the active period has at least.
    people = contributors[:, -RECENT_YEARS:].max(axis=1)
    community = np.minimum(people / params.community_full, 1.0)
    known = people > 0
    score = expected
    emerging = (
        (recent >= EMERGING_MIN_RECENT_WORKS)
        & (rising >= EMERGING_MIN_TREND)
        & (persistence >= EMERGING_MIN_PERSISTENCE)
        & (~known | (people >= EMERGING_MIN_CONTRIBUTORS))
    )
    found = []
    for i, one in enumerate(series):
        # Naive growth and bursts over the series' own years, not the padding before them.
        own = slice(int(starts[i]), None)
        counts = works[i, own].astype(np.int64).tolist()
        found.append(
            Emergence(
                technology=one.technology,
                works=int(sum(counts)),
                growth=_rounded(growth(counts)),
                emergence_score=round(float(score[i]), DIGITS),
                emerging=bool(emerging[i]),
                burst_years=burst_years(years[own].tolist(), counts, totals[i, own].astype(np.int64).tolist()),
                novelty=round(float(novelty[i]), DIGITS),
                persistence=round(float(persistence[i]), DIGITS),
                community=round(float(community[i]), DIGITS) if known[i] else None,
                recent_works=int(recent[i]),
            )
        )
    return found


def score(series: Series, end_year: int | None = None, params: Params = DEFAULT) -> Emergence:
    """One technology's emergence (as `score_all`)."""
    return score_all([series], end_year, params)[0]


def _matrices(
    series: Sequence[Series], end_year: int | None
) -> tuple[FloatArray, FloatArray, FloatArray, npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Works, totals and contributors as rows over one window of consecutive years ending at end_year, the years,
    and where each series starts in them: a series that starts later is padded with empty years (total 0: no
    information)."""
    for one in series:
        n = len(one.years)
        if not n or len(one.works) != n or len(one.totals) != n or len(one.contributors) != n:
            raise ValueError(f"{one.technology}: years, works, totals and contributors must have one value a year")
        if any(b - a != 1 for a, b in zip(one.years, one.years[1:], strict=False)):
            raise ValueError(f"{one.technology}: years must be consecutive and ascending")
    last = end_year if end_year is not None else max(one.years[-1] for one in series)
    first = min(one.years[0] for one in series)
    if last < first:
        raise ValueError(f"end year {last} is before the first year {first}")
    years = np.arange(first, last + 1, dtype=np.int64)
    shape = (len(series), len(years))
    works, totals, contributors = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    starts = np.zeros(len(series), dtype=np.int64)
    for i, one in enumerate(series):
        start, stop = one.years[0] - first, min(one.years[-1], last) - first + 1
        starts[i] = min(start, len(years))
        if stop <= start:
            continue
        taken = stop - start
        works[i, start:stop] = one.works[:taken]
        # A total below the technology's own works would be a counting error upstream; the works bound it.
        totals[i, start:stop] = np.maximum(one.totals[:taken], one.works[:taken])
        contributors[i, start:stop] = one.contributors[:taken]
    return works, totals, contributors, years, starts


def _first_years(series: Sequence[Series], works: FloatArray, years: npt.NDArray[np.int64]) -> FloatArray:
    """Each technology's first year (its own `first_year`, or its first year with works in the window when that is
    earlier or missing); the year after the window when it has no work yet."""
    has = works > 0
    seen = np.where(has.any(axis=1), years[np.argmax(has, axis=1)], years[-1] + 1)
    given = np.array([years[-1] + 1 if one.first_year is None else one.first_year for one in series])
    result: FloatArray = np.minimum(seen, given).astype(np.float64)
    return result


def _persistence(works: FloatArray, years: npt.NDArray[np.int64], first: FloatArray) -> FloatArray:
    active = years[-RECENT_YEARS:]
    since = active[None, :] >= first[:, None]
    present = works[:, -RECENT_YEARS:] > 0
    count = since.sum(axis=1)
    result: FloatArray = np.where(count > 0, (present & since).sum(axis=1) / np.maximum(count, 1), 0.0)
    return result


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, DIGITS)
