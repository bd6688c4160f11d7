"""The retrieval core that `know` (matching, experts) and `protect` (control-list classification) share: statements,
a matcher of replaceable channels fused by reciprocal rank, its typed settings, and proposals with evidence."""

from kizashi.retrieval.channels import CHANNELS, Channel, Query, get_channel
from kizashi.retrieval.fusion import RRF_K, top_positive
from kizashi.retrieval.matcher import Matcher, default_stages
from kizashi.retrieval.settings import MatchSettings, configured_settings
from kizashi.retrieval.statement import Proposal, Statement

__all__ = [
    "CHANNELS",
    "RRF_K",
    "Channel",
    "MatchSettings",
    "Matcher",
    "Proposal",
    "Query",
    "Statement",
    "configured_settings",
    "default_stages",
    "get_channel",
    "top_positive",
]
