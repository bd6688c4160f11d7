"""A candidate's score as the probability that it is right, and the line above which a reviewer should check it.

The score is a logistic function (Platt scaling with a few inputs) of what the evidence says, fitted on the tuning
half of the labelled pairs in benchmarks/data/controls_pairs.csv (`python benchmarks/controls.py fit`) and measured
on the other half (`python benchmarks/controls.py`, benchmarks/README.md). Its inputs, all read from the evidence:

- `phrases`: ln(1 + the number of phrases the technology shares with the item (specific.py));
- `parameter`: 1 when the technology states a value that meets one of the item's thresholds;
- `fused`: the item's rank-fusion score as a share of the best attainable for this technology (the matcher's view);
- `cover`: the share of the weight of the item's own title terms that the technology shares (1: it names what the
  item names);
- `tech_cover`: the share of the weight of the technology's own terms that the item shares (how much of what the
  technology says the item accounts for).

Chosen by five-fold cross-validation on the tuning half (log loss 0.127): the heaviest phrase's weight, the heaviest
rare title term's weight, the summed weight of the other shared terms and whether the evidence is in the
technology's title added nothing (0.129 with all of them); the parameter costs 0.001 and is kept, as a threshold met
is what an officer checks first.

A candidate without specific evidence (no phrase, no rare title term, no parameter met) is not put through the
function: its score is NO_SPECIFIC, the share of such candidates that were right on the tuning half, always below
the line. "Above the line" means a score of at least the threshold (KIZASHI_CONTROLS_THRESHOLD, default
DEFAULT_THRESHOLD): a candidate a reviewer should check. Below it a candidate is shown as one to ask a human about.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

FEATURES = ("phrases", "parameter", "fused", "cover", "tech_cover")
# Fitted by `python benchmarks/controls.py fit` on the tuning half.
COEFFICIENTS: dict[str, float] = {
    "intercept": -12.7481,
    "phrases": 0.9482,
    "parameter": 1.6358,
    "fused": 8.9772,
    "cover": 2.4433,
    "tech_cover": 4.1179,
}
NO_SPECIFIC = 0.0023
DEFAULT_THRESHOLD = 0.5
CHECK, ASK = "check", "ask"


def probability(features: Mapping[str, float], coefficients: Mapping[str, float] | None = None) -> float:
    """The probability that a candidate with specific evidence is right."""
    weights = COEFFICIENTS if coefficients is None else coefficients
    z = weights["intercept"] + sum(weights.get(name, 0.0) * features[name] for name in FEATURES)
    return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


def level(score: float, specific: bool, threshold: float) -> str:
    """ "check" above the line (specific evidence and a score of at least the threshold), else "ask"."""
    return CHECK if specific and score >= threshold else ASK
