"""Research assets tied to threats (issue #16 item 3, docs/cti.md "Assets tied to threats"): a STIX object (threat
actor, malware, attack pattern, intrusion set, campaign, tool, vulnerability) linked to a seed, a programme project, a
technology or a threat of the register, and through a linked threat the technologies it names and the programme
projects under the goals that answer it.

A link (`cti_asset_links`, model/cti.py) tells of both ends, so it is labelled with the higher of the object's and the
asset's labels, and it is shown only while the reader may read the link, its asset and the object now (an asset
relabelled above the reader since takes its links with it). Linking needs no permission beyond reading both ends,
like a judgement. Unlinking deletes the rows (the table has no state column); the audit trail keeps each link and
unlink with its reason, which is the history.

`assets_of` is the plain function other services call (the correlation shows each hit's assets): it writes nothing,
the calling service audits what it shows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import orjson
from sqlalchemy import Table, delete, update
from sqlalchemy.orm import Session

from kizashi.errors import InputError, NotFound
from kizashi.messages import Message, Words
from kizashi.model import AssetLink, Collection, Goal, ProgrammeProject, Seed, StixObject, Technology, Threat
from kizashi.policy import Actor, Clearance, Label, label_columns
from kizashi.protect.cti.groups import view
from kizashi.store import audit
from kizashi.store.readable import select_readable, select_trusted
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace

# The asset kinds are the tables an asset is a row of (the table's check constraint names the same four).
ASSET_TABLES: dict[str, Table] = {
    "seeds": Seed.__table__,  # type: ignore[dict-item]
    "programme_projects": ProgrammeProject.__table__,  # type: ignore[dict-item]
    "technologies": Technology.__table__,  # type: ignore[dict-item]
    "threats": Threat.__table__,  # type: ignore[dict-item]
}
ASSET_KINDS = tuple(ASSET_TABLES)
# The STIX types a link may start from: what a threat is, and what it uses or exploits.
THREAT_TYPES = (
    "threat-actor",
    "malware",
    "attack-pattern",
    "intrusion-set",
    "campaign",
    "tool",
    "vulnerability",
)
LINK = "link"
THREAT_VIA = "threat:"  # "threat:<id>": an asset reached through a linked threat of the register
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class Asset:
    """A research asset tied to a STIX object: its kind (the table), id, title (a `Words` where the record has both
    Japanese and English), how it is tied ("link", or "threat:<id>" through a threat of the register) and why (the
    link's reason)."""

    kind: str
    id: str
    title: str
    via: str
    reason: str

    def as_json(self) -> dict[str, Any]:
        found = {"kind": self.kind, "id": self.id, "title": str(self.title), "via": self.via, "reason": self.reason}
        if isinstance(self.title, Words):
            found["title_ja"] = self.title.ja
        return found


@dataclass(frozen=True, slots=True)
class Link:
    """One stored link as its reader sees it."""

    id: int
    stix_id: str
    object_type: str
    object_name: str
    asset_kind: str
    asset_id: str
    asset_title: str
    reason: str
    user: str
    at: datetime
    label: str  # Label.shown()

    def as_json(self) -> dict[str, Any]:
        found = {
            "id": self.id,
            "object": self.stix_id,
            "object_type": self.object_type,
            "object_name": self.object_name,
            "asset_kind": self.asset_kind,
            "asset_id": self.asset_id,
            "asset_title": str(self.asset_title),
            "reason": self.reason,
            "user": self.user,
            "at": _utc(self.at).isoformat(),
            "label": self.label,
        }
        if isinstance(self.asset_title, Words):
            found["asset_title_ja"] = self.asset_title.ja
        return found


@dataclass(frozen=True, slots=True)
class Linked:
    """What `link_asset` did: the link (new, or the one the actor could already read) and whether it is new."""

    link: Link
    created: bool


# ── reading ─────────────────────────────────────────────────────────────────────────────────────────────────────


def _backend(source: Session | Workspace) -> str:
    if isinstance(source, Workspace):
        return source.backend
    bind = source.get_bind()
    return bind.dialect.name


def _chunks(values: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _held(clearance: Clearance) -> frozenset[str] | None:
    """The roles a collection's read roles are checked against; None for the operator (a clearance to everything)."""
    return None if clearance.every_compartment else clearance.roles


def _title(kind: str, row: Mapping[str, Any]) -> str:
    """The asset's title: a technology's or threat's name in both languages, a seed's or project's title."""
    if kind in ("technologies", "threats"):
        ja, en = str(row.get("name_ja") or ""), str(row.get("name_en") or "")
        if ja and en:
            return Words(ja, en)
        return en or ja or str(row["id"])
    return str(row.get("title") or row["id"])


def _readable_collections(session: Session, backend: str, clearance: Clearance) -> list[str]:
    """The ids of the collections whose objects `clearance` may read (the label, and the collection's read roles)."""
    table = Collection.__table__
    held = _held(clearance)
    rows = session.execute(select_readable(clearance, backend, table)).mappings()
    return [found.id for found in (view(dict(row), held) for row in rows) if found.can_read]


def _objects(session: Session, backend: str, clearance: Clearance, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The latest version `clearance` may read of each of the objects `ids`, in any collection they may read."""
    collections = _readable_collections(session, backend, clearance)
    latest: dict[str, dict[str, Any]] = {}
    if not collections or not ids:
        return latest
    table = StixObject.__table__
    wanted = sorted(set(ids))
    for part in _chunks(wanted):
        statement = select_readable(clearance, backend, table).where(
            table.c.stix_id.in_(part), table.c.collection_id.in_(collections)
        )
        for row in session.execute(statement).mappings():
            found = latest.get(row["stix_id"])
            if found is None or (row["version"], row["id"]) > (found["version"], found["id"]):
                latest[row["stix_id"]] = dict(row)
    return latest


def _assets(
    session: Session, backend: str, clearance: Clearance, kind: str, ids: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """The rows of `kind` among `ids` that `clearance` may read (a project only under a goal they may read)."""
    table = ASSET_TABLES[kind]
    wanted = sorted({ident for ident in ids if "\x00" not in ident})
    found: dict[str, dict[str, Any]] = {}
    for part in _chunks(wanted):
        statement = select_readable(clearance, backend, table).where(table.c.id.in_(part))
        found.update({row["id"]: dict(row) for row in session.execute(statement).mappings()})
    return found


def _links(
    session: Session,
    backend: str,
    clearance: Clearance,
    stix_ids: Sequence[str] | None = None,
    asset: tuple[str, str] | None = None,
) -> list[dict[str, Any]]:
    """The link rows `clearance` may read (the label alone), of the objects `stix_ids` and/or of one asset."""
    table = AssetLink.__table__
    base = select_readable(clearance, backend, table).order_by(table.c.stix_id, table.c.asset_kind, table.c.asset_id)
    if asset is not None:
        base = base.where(table.c.asset_kind == asset[0], table.c.asset_id == asset[1])
    if stix_ids is None:
        return [dict(row) for row in session.execute(base).mappings()]
    rows: list[dict[str, Any]] = []
    for part in _chunks(sorted(set(stix_ids))):
        rows.extend(dict(row) for row in session.execute(base.where(table.c.stix_id.in_(part))).mappings())
    return rows


@dataclass
class _Shown:
    """The links a reader may see whole (link, object and asset readable), with the objects and assets read."""

    links: list[dict[str, Any]]
    objects: dict[str, dict[str, Any]]
    assets: dict[str, dict[str, dict[str, Any]]]  # kind → id → row


def _shown(
    session: Session,
    backend: str,
    clearance: Clearance,
    stix_ids: Sequence[str] | None = None,
    asset: tuple[str, str] | None = None,
) -> _Shown:
    rows = _links(session, backend, clearance, stix_ids, asset)
    objects = _objects(session, backend, clearance, [row["stix_id"] for row in rows])
    by_kind: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        by_kind[row["asset_kind"]].add(row["asset_id"])
    assets = {kind: _assets(session, backend, clearance, kind, ids) for kind, ids in by_kind.items()}
    whole = [row for row in rows if row["stix_id"] in objects and row["asset_id"] in assets.get(row["asset_kind"], {})]
    return _Shown(whole, objects, assets)


def _assets_in(
    session: Session, backend: str, clearance: Clearance, target_ids: Sequence[str]
) -> dict[str, list[Asset]]:
    shown = _shown(session, backend, clearance, target_ids)
    # One entry per asset and object: a direct link first, else the first threat (by id) that reaches it.
    found: dict[str, dict[tuple[str, str], Asset]] = defaultdict(dict)
    threats: dict[str, list[tuple[str, str]]] = defaultdict(list)  # threat id → (stix id, reason)
    for row in shown.links:
        kind, ident = row["asset_kind"], row["asset_id"]
        asset = Asset(kind, ident, _title(kind, shown.assets[kind][ident]), LINK, row["reason"])
        found[row["stix_id"]].setdefault((kind, ident), asset)
        if kind == "threats":
            threats[ident].append((row["stix_id"], row["reason"]))
    if threats:
        register = shown.assets["threats"]
        named = {tech for threat in threats for tech in register[threat].get("technologies") or ()}
        technologies = _assets(session, backend, clearance, "technologies", named)
        goals = session.execute(select_readable(clearance, backend, Goal.__table__)).mappings()
        answering: dict[str, set[str]] = defaultdict(set)  # threat → goals answering it
        for goal in goals:
            for threat in goal["threats"] or ():
                if threat in threats:
                    answering[threat].add(goal["id"])
        projects = _projects_under(session, backend, clearance, {g for gs in answering.values() for g in gs})
        for threat, pairs in sorted(threats.items()):
            via = f"{THREAT_VIA}{threat}"
            reached = [
                Asset("technologies", tech, _title("technologies", technologies[tech]), via, "")
                for tech in register[threat].get("technologies") or ()
                if tech in technologies
            ]
            reached += [
                Asset("programme_projects", row["id"], _title("programme_projects", row), via, "")
                for goal in sorted(answering.get(threat, ()))
                for row in projects.get(goal, ())
            ]
            for stix_id, reason in pairs:
                for asset in reached:
                    found[stix_id].setdefault(
                        (asset.kind, asset.id), Asset(asset.kind, asset.id, asset.title, via, reason)
                    )
    return {
        stix_id: sorted(found.get(stix_id, {}).values(), key=lambda a: (a.via != LINK, a.via, a.kind, a.id))
        for stix_id in dict.fromkeys(target_ids)
    }


def _projects_under(
    session: Session, backend: str, clearance: Clearance, goal_ids: set[str]
) -> dict[str, list[dict[str, Any]]]:
    """The readable projects under each of the goals (select_readable also asks that the goal be readable)."""
    table = ProgrammeProject.__table__
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for part in _chunks(sorted(goal_ids)):
        statement = select_readable(clearance, backend, table).where(table.c.goal_id.in_(part)).order_by(table.c.id)
        for row in session.execute(statement).mappings():
            found[row["goal_id"]].append(dict(row))
    return found


def assets_of(source: Session | Workspace, clearance: Clearance, target_ids: Sequence[str]) -> dict[str, list[Asset]]:
    """For each STIX id, the research assets `clearance` may read that it is tied to: its links (each shown only
    while the link, the object and the asset are all readable) and, through a linked threat of the register, the
    technologies the threat names and the projects under the goals answering it (each readable). Every id asked for
    is a key (an empty list: none). Not audited: the calling service audits what it shows."""
    ids = list(dict.fromkeys(target_ids))
    if isinstance(source, Workspace):
        with source.session() as session:
            return _assets_in(session, source.backend, clearance, ids)
    return _assets_in(source, _backend(source), clearance, ids)


def _view(row: Mapping[str, Any], stix: Mapping[str, Any], asset: Mapping[str, Any]) -> Link:
    body = orjson.loads(stix["body"]) if stix.get("body") else {}
    return Link(
        id=row["id"],
        stix_id=row["stix_id"],
        object_type=stix["type"],
        object_name=str(body.get("name", "")),
        asset_kind=row["asset_kind"],
        asset_id=row["asset_id"],
        asset_title=_title(row["asset_kind"], asset),
        reason=row["reason"],
        user=row["user"],
        at=_utc(row["at"]),
        label=Label.of(row).shown(),
    )


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _asset_kind(kind: str) -> str:
    if kind not in ASSET_TABLES:
        raise InputError(
            Message("unknown asset kind '{kind}'; use one of {choices}", kind=kind, choices=", ".join(ASSET_KINDS)),
            field="kind",
        )
    return kind


def relabel_links(session: Session, stix_ids: Any) -> None:
    """Label again the links of the objects `stix_ids` (a select of ids) with the higher of their ends' labels now:
    the latest version of the object and the asset. Called where an object's label changes without a new version
    (a sharing group's membership re-shares its AMBER objects, protect/cti/groups.py)."""
    links: Table = AssetLink.__table__  # type: ignore[assignment]
    objects: Table = StixObject.__table__  # type: ignore[assignment]
    why = "a relabelled object relabels its links to assets"
    rows = session.execute(select_trusted(links, why=why).where(links.c.stix_id.in_(stix_ids))).mappings().all()
    for row in rows:
        stix = (
            session.execute(
                select_trusted(objects, why=why)
                .where(objects.c.stix_id == row["stix_id"])
                .order_by(objects.c.version.desc(), objects.c.date_added.desc())
                .limit(1)
            )
            .mappings()
            .first()
        )
        table = ASSET_TABLES[row["asset_kind"]]
        asset = session.execute(select_trusted(table, why=why).where(table.c.id == row["asset_id"])).mappings().first()
        if stix is None or asset is None:
            continue  # an end gone: the link is shown to nobody (assets_of needs both ends readable)
        label = Label.highest([Label.of(dict(stix)), Label.of(dict(asset))])
        session.execute(update(links).where(links.c.id == row["id"]).values(**label_columns(label)))


@service("cti.links")
def list_links(
    workspace: Workspace,
    actor: Actor,
    stix_id: str | None = None,
    asset: tuple[str, str] | None = None,
    *,
    delivery: Delivery = SHOWN,
) -> list[Link]:
    """The links `actor` may read (link, object and asset), of one object and/or one asset (kind, id); audited."""
    if asset is not None:
        _asset_kind(asset[0])
    with workspace.session() as session:
        shown = _shown(session, workspace.backend, actor.clearance, None if stix_id is None else [stix_id], asset)
        links = [
            _view(row, shown.objects[row["stix_id"]], shown.assets[row["asset_kind"]][row["asset_id"]])
            for row in shown.links
        ]
    delivered(
        workspace,
        actor,
        delivery,
        records=sorted({link.stix_id for link in links} | {link.asset_id for link in links}),
        detail={"service": "cti.links", "links": [link.id for link in links]},
    )
    return links


# ── linking ─────────────────────────────────────────────────────────────────────────────────────────────────────


def _ends(
    session: Session, backend: str, clearance: Clearance, stix_id: str, kind: str, asset_id: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The object (its latest readable version) and the asset, each NotFound alike whether missing or hidden."""
    stix = _objects(session, backend, clearance, [stix_id]).get(stix_id) if "\x00" not in stix_id else None
    if stix is None:
        raise NotFound(Message("no object '{id}'", id=stix_id))
    asset = _assets(session, backend, clearance, kind, [asset_id]).get(asset_id)
    if asset is None:
        raise NotFound(Message("no record '{id}' among the {kind}", id=asset_id, kind=kind))
    return stix, asset


@service("cti.link")
def link_asset(workspace: Workspace, actor: Actor, stix_id: str, kind: str, asset_id: str, reason: str = "") -> Linked:
    """Tie the STIX object `stix_id` (a threat type) to the asset `kind`/`asset_id`, both readable by `actor`
    (either hidden: NotFound, worded like missing). The link is labelled with the higher of their labels. A pair the
    actor can already read a link for is not stored again (`created` False). Audited as `cti_link`."""
    _asset_kind(kind)
    stix_type = stix_id.split("--", 1)[0]
    if stix_type not in THREAT_TYPES:
        raise InputError(
            Message(
                "'{id}' is not a threat: only these types can be tied to an asset: {choices}",
                id=stix_id,
                choices=", ".join(THREAT_TYPES),
            ),
            field="object",
        )
    backend = workspace.backend
    with workspace.session() as session:
        stix, asset = _ends(session, backend, actor.clearance, stix_id, kind, asset_id)
        present = _shown(session, backend, actor.clearance, [stix_id], (kind, asset_id)).links
        if present:
            return Linked(_view(present[0], stix, asset), created=False)
        label = Label.highest([Label.of(stix), Label.of(asset)])
        row = AssetLink(
            stix_id=stix_id,
            asset_kind=kind,
            asset_id=asset_id,
            reason=reason.strip(),
            user=actor.user,
            at=datetime.now(UTC),
            **label_columns(label),
        )
        session.add(row)
        session.flush()
        made = {column.key: getattr(row, column.key) for column in AssetLink.__table__.c}
    link = _view(made, stix, asset)
    audit.record(
        workspace,
        actor,
        "cti_link",
        records=[stix_id, asset_id],
        detail={"link": link.id, "object": stix_id, "kind": kind, "asset": asset_id, "reason": link.reason},
    )
    return Linked(link, created=True)


@service("cti.unlink")
def unlink_asset(workspace: Workspace, actor: Actor, stix_id: str, kind: str, asset_id: str) -> list[int]:
    """Remove the links between `stix_id` and the asset that `actor` may read (link, object and asset); their ids.
    NotFound when there is none, hidden or not. The rows are deleted; the audit event (`cti_unlink`) keeps them."""
    _asset_kind(kind)
    with workspace.session() as session:
        shown = _shown(session, workspace.backend, actor.clearance, [stix_id], (kind, asset_id))
        if not shown.links:
            raise NotFound(
                Message("no link between '{id}' and {kind} '{asset}'", id=stix_id, kind=kind, asset=asset_id)
            )
        ids = [row["id"] for row in shown.links]
        session.execute(delete(AssetLink).where(AssetLink.id.in_(ids)))
    audit.record(
        workspace,
        actor,
        "cti_unlink",
        records=[stix_id, asset_id],
        detail={
            "links": ids,
            "object": stix_id,
            "kind": kind,
            "asset": asset_id,
            "reasons": [row["reason"] for row in shown.links],
            "users": [row["user"] for row in shown.links],
        },
    )
    return ids
