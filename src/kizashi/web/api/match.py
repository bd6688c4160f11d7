"""Matching and expert finding through the API: the same services as `kizashi match` and the workshop pages."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from kizashi.know.experts import find_experts
from kizashi.know.matching import need_proposals
from kizashi.policy import Label
from kizashi.protect.screening.store import with_screening
from kizashi.web.api.schemas import BEARER, LabelOut, errors, label_out
from kizashi.web.context import workspace
from kizashi.web.deps import ActorDep

router = APIRouter()


class ProposalOut(BaseModel):
    rank: int
    seed_id: str
    seed_title: str
    score: float
    evidence: dict[str, Any] = Field(
        description="why: shared terms, translations, concepts, channel ranks, the taxonomy areas of need and seed, "
        "and cross_domain (the seed is from another field)"
    )
    label: LabelOut = Field(description="the pair's label: the higher of need and seed")


class MatchOut(BaseModel):
    need_id: str
    need_title: str
    cross_domain: bool = Field(description="only seeds from other taxonomy areas than the need's")
    label: LabelOut = Field(description="the highest label of the need and the seeds proposed")
    proposals: list[ProposalOut]


class ExpertRecordOut(BaseModel):
    kind: str = Field(description="seeds or works")
    id: str
    title: str
    score: float


class ExpertOut(BaseModel):
    rank: int
    name: str
    kind: str = Field(description="organisation or person")
    score: float = Field(description="0 to 1: higher the better their records that match well rank")
    screening: str | None = Field(
        default=None,
        description="an organisation's screening status against the workspace's lists (clear, alert, true_match, "
        "false_positive, escalated); absent for people and while no list is loaded",
    )
    record_count: int = Field(description="their records among the best matches, of which `records` lists the first")
    records: list[ExpertRecordOut]
    label: LabelOut = Field(description="the highest label of all their records counted")


class ExpertsOut(BaseModel):
    need_id: str | None
    query: str | None
    label: LabelOut = Field(description="the highest label of the experts' records (and of the need)")
    experts: list[ExpertOut]


@router.get("/match/{need_id:path}", responses=errors(404), summary="Seeds proposed for a need", dependencies=BEARER)
def match_need(
    request: Request,
    actor: ActorDep,
    need_id: Annotated[str, Path(max_length=300)],
    top: Annotated[int, Query(ge=1, le=100)] = 10,
    cross_domain: Annotated[bool, Query(description="only seeds from other fields than the need's")] = False,
) -> MatchOut:
    """Today's matcher over the seeds you may read; 404 both when there is no such need and when you may not read
    it."""
    found = need_proposals(workspace(request), actor, need_id, top=top, cross_domain=cross_domain)
    need_label = Label.of(found.need)
    return MatchOut(
        need_id=found.need["id"],
        need_title=found.need["title"],
        cross_domain=cross_domain,
        label=label_out(found.label),
        proposals=[
            ProposalOut(
                rank=p.rank,
                seed_id=p.seed_id,
                seed_title=seed.title,
                score=p.score or 0.0,
                evidence=p.evidence,
                label=label_out(Label.highest([need_label, seed.label or Label()])),
            )
            for p, seed in found.proposals
        ],
    )


@router.get("/experts", responses=errors(404), summary="Experts for a need or a technology", dependencies=BEARER)
def experts(
    request: Request,
    actor: ActorDep,
    need: Annotated[str | None, Query(max_length=300, description="a need's id")] = None,
    q: Annotated[str | None, Query(min_length=1, max_length=2000, description="or a technology in words")] = None,
    top: Annotated[int, Query(ge=1, le=100)] = 10,
) -> ExpertsOut:
    """Organisations and people behind the best-matching seeds and works you may read (目利き). Give `need` or `q`,
    not both (400); an unknown need and one you may not read are both 404."""
    found = find_experts(workspace(request), actor, need_id=need, text=q, top=top)
    rows = with_screening(workspace(request), actor, found.rows)
    return ExpertsOut(
        need_id=need,
        query=q,
        label=label_out(found.label),
        experts=[ExpertOut(**{**row, "label": label_out(Label.from_dict(row["label"]))}) for row in rows],
    )
