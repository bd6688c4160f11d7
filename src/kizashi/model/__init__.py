"""Typed tables by area. Import from here so Alembic and the loader see every table."""

from kizashi.model.base import Base, LabelledRecord
from kizashi.model.controls import ControlDecision
from kizashi.model.cti import (
    AddStatus,
    AssetLink,
    Collection,
    CorrelationHit,
    CorrelationRun,
    GroupMember,
    SharingGroup,
    StixObject,
)
from kizashi.model.judgement import MatchJudgement
from kizashi.model.know import Need, Seed, Technology, Threat, Work
from kizashi.model.landscape import LandscapeScan
from kizashi.model.match_run import MatchProposal as MatchProposal
from kizashi.model.match_run import MatchRun as MatchRun
from kizashi.model.people import Grant, PendingChange, PersonalToken, Training, User
from kizashi.model.programme import Barrier as Barrier
from kizashi.model.programme import GateDecision as GateDecision
from kizashi.model.programme import Goal as Goal
from kizashi.model.programme import GoalProposal as GoalProposal
from kizashi.model.programme import PortfolioRun as PortfolioRun
from kizashi.model.programme import ProgrammeProject as ProgrammeProject
from kizashi.model.programme import Roadmap as Roadmap
from kizashi.model.programme import RoadmapRevision as RoadmapRevision
from kizashi.model.programme import TrlAssessment as TrlAssessment
from kizashi.model.protect import AuditEvent
from kizashi.model.release import DeemedExportAnswer, ReleaseReview, ReleaseTransition
from kizashi.model.screening import ScreeningDecision as ScreeningDecision
from kizashi.model.screening import ScreeningEntry as ScreeningEntry
from kizashi.model.screening import ScreeningListVersion as ScreeningListVersion
from kizashi.model.system import Import, WorkspaceFact
from kizashi.model.web import LoginAttempt, LoginRefusal, WebSession

RECORD_KINDS: dict[str, type[LabelledRecord]] = {
    "needs": Need,
    "seeds": Seed,
    "works": Work,
    "threats": Threat,
    "technologies": Technology,
}

__all__ = [
    "RECORD_KINDS",
    "AddStatus",
    "AssetLink",
    "AuditEvent",
    "Base",
    "Collection",
    "ControlDecision",
    "CorrelationHit",
    "CorrelationRun",
    "DeemedExportAnswer",
    "Grant",
    "GroupMember",
    "Import",
    "LabelledRecord",
    "LandscapeScan",
    "LoginAttempt",
    "LoginRefusal",
    "MatchJudgement",
    "Need",
    "PendingChange",
    "PersonalToken",
    "ReleaseReview",
    "ReleaseTransition",
    "Seed",
    "SharingGroup",
    "StixObject",
    "Technology",
    "Threat",
    "Training",
    "User",
    "WebSession",
    "Work",
    "WorkspaceFact",
]
