"""`kizashi cti`: the threat-intelligence store (docs/cti.md): load STIX 2.1 bundles, MITRE ATT&CK and CISA's KEV
catalogue into a collection, and manage sharing groups and collections."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import orjson
import typer

from kizashi.cli.acting import acting
from kizashi.cli.common import WorkspaceOption, console, in_language, print_table, tell, warn
from kizashi.cli.cti_runs import assets_said, runs_app, targets_said
from kizashi.errors import InputError
from kizashi.ingest.kev import kev_objects
from kizashi.ingest.stix import read_stix_file
from kizashi.messages import Message
from kizashi.policy.labels import LEVELS, TLP
from kizashi.policy.permissions import ROLES
from kizashi.protect.cti.assets import Link, link_asset, list_links, unlink_asset
from kizashi.protect.cti.groups import add_collection, add_group, list_collections, list_groups, remove_member
from kizashi.protect.cti.runs import asset_kind_said
from kizashi.protect.cti.sightings import correlate_observations
from kizashi.protect.cti.store import MAX_LIMIT, Filters, add_objects, get_objects, timestamp

cti_app = typer.Typer(
    help="Threat intelligence: STIX 2.1 objects in collections shared by sharing groups, under TLP.",
    no_args_is_help=True,
)
group_app = typer.Typer(help="Sharing groups (security officers and admins).", no_args_is_help=True)
collection_app = typer.Typer(
    help="Collections of a sharing group (security officers and admins).", no_args_is_help=True
)
cti_app.add_typer(group_app, name="group")
cti_app.add_typer(collection_app, name="collection")
cti_app.add_typer(runs_app)  # `cti runs`, `cti run ID` (cli/cti_runs.py)

FORMATS = ("auto", "stix", "kev")
YES, NO = Message("yes"), Message("no")


def _is_kev(path: Path) -> bool:
    """CISA's catalogue: its CSV, or its JSON (which names `catalogVersion` at its head); anything else is STIX."""
    if path.suffix.lower() == ".csv":
        return True
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False  # the reader names the problem
    return b'"catalogVersion"' in head


def _objects(paths: list[Path], fmt: str) -> list[dict[str, Any]]:
    objects: list[dict[str, Any]] = []
    for path in paths:
        kev = fmt == "kev" or (fmt == "auto" and _is_kev(path))
        objects.extend(kev_objects(path) if kev else read_stix_file(path))
    return objects


def _collection_for(ws: Any, actor: Any, collection: str | None) -> str:
    """The collection named, or the only one the actor may add to."""
    if collection is not None:
        return collection
    writable = [found.name for found in list_collections(ws, actor) if found.can_write]
    if len(writable) != 1:
        raise InputError(
            Message(
                "name the collection with --collection: you may add to {count} ({names})",
                count=len(writable),
                names=", ".join(writable) or "-",
            ),
            field="collection",
        )
    return writable[0]


@cti_app.command("ingest")
def cti_ingest(
    files: Annotated[list[Path], typer.Argument(help="STIX 2.1 bundles (JSON), ATT&CK, or CISA KEV (CSV or JSON).")],
    collection: Annotated[
        str | None,
        typer.Option(help="The collection (name or id); by default the only one you may add to.", show_default=False),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help=f"{', '.join(FORMATS)}: KEV by its CSV or its catalogVersion.")
    ] = "auto",
    workspace: WorkspaceOption = None,
) -> None:
    """Load the files' objects into a collection in one transaction: every object is validated, a bad one refuses the
    whole load naming its id; an object already there unchanged is no new version."""
    if fmt not in FORMATS:
        raise InputError(
            Message("unknown format '{format}'; use one of {choices}", format=fmt, choices=", ".join(FORMATS)),
            field="format",
        )
    ws, actor = acting(workspace)
    objects = _objects(files, fmt)
    target = _collection_for(ws, actor, collection)
    status = add_objects(ws, actor, target, objects, files=[str(path) for path in files])
    unchanged = sum(1 for success in status.successes if success.get("message"))
    tell(
        Message(
            "{collection}: {added:,} object versions added, {unchanged:,} already there (status {status})",
            collection=target,
            added=status.success_count - unchanged,
            unchanged=unchanged,
            status=status.id,
        )
    )


@group_app.command("add")
def cti_group_add(
    name: Annotated[str, typer.Argument(help="The sharing group.", show_default=False)],
    member: Annotated[
        list[str] | None, typer.Option("--member", help="A user to add (repeatable).", show_default=False)
    ] = None,
    title: Annotated[str, typer.Option(help="A title for a new group.")] = "",
    workspace: WorkspaceOption = None,
) -> None:
    """Create a sharing group, or add members to one: its members read (and by default add to) its collections."""
    ws, actor = acting(workspace)
    members = add_group(ws, actor, name, member or [], title=title)
    tell(Message("sharing group {group}: {members}", group=name, members=", ".join(members) or "-"))


@group_app.command("remove-member")
def cti_group_remove_member(
    name: Annotated[str, typer.Argument(help="The sharing group.", show_default=False)],
    user: Annotated[str, typer.Argument(help="The member to take out.", show_default=False)],
    workspace: WorkspaceOption = None,
) -> None:
    """Take a member out of a sharing group: from their next command or request they read none of its collections."""
    ws, actor = acting(workspace)
    members = remove_member(ws, actor, name, user)
    tell(Message("sharing group {group}: {members}", group=name, members=", ".join(members) or "-"))


GROUPS_FORMATS = ("table", "json")


@cti_app.command("groups")
def cti_groups(
    fmt: Annotated[str, typer.Option("--format", help=f"{', '.join(GROUPS_FORMATS)}.")] = "table",
    workspace: WorkspaceOption = None,
) -> None:
    """The sharing groups you are a member of (officers and admins: every group), with their members and
    collections."""
    if fmt not in GROUPS_FORMATS:
        raise InputError(
            Message("unknown format '{format}'; use one of {choices}", format=fmt, choices=", ".join(GROUPS_FORMATS)),
            field="format",
        )
    ws, actor = acting(workspace)
    groups = list_groups(ws, actor)
    if fmt == "json":
        found = [
            {
                "name": group.name,
                "title": group.title,
                "created_by": group.created_by,
                "created_at": timestamp(group.created_at),
                "members": [
                    {
                        "user": member.user,
                        "display_name": member.display_name,
                        "organisation": member.organisation,
                        "added_by": member.added_by,
                        "added_at": timestamp(member.added_at),
                    }
                    for member in group.members
                ],
                "collections": list(group.collections),
            }
            for group in groups
        ]
        console.print_json(orjson.dumps(found).decode())
        return
    if not groups:
        tell(Message("no sharing group to show"))
        return
    rows = [
        {
            "group": group.name,
            "members": ", ".join(
                f"{member.user} ({member.organisation})" if member.organisation else member.user
                for member in group.members
            )
            or "-",
            "collections": ", ".join(group.collections) or "-",
        }
        for group in groups
    ]
    print_table(rows, ["group", "members", "collections"])


@collection_app.command("add")
def cti_collection_add(
    name: Annotated[str, typer.Argument(help="The collection's name.", show_default=False)],
    group: Annotated[str, typer.Option(help="The sharing group it belongs to.", show_default=False)],
    default_tlp: Annotated[
        str, typer.Option("--default-tlp", help=f"The TLP of objects without a marking: {', '.join(TLP)}.")
    ] = "AMBER",
    read: Annotated[
        list[str] | None,
        typer.Option(
            "--read",
            help=f"Only these roles of the members read it (repeatable): {', '.join(ROLES)}.",
            show_default=False,
        ),
    ] = None,
    write: Annotated[
        list[str] | None,
        typer.Option("--write", help="Only these roles of the members add to it (repeatable).", show_default=False),
    ] = None,
    level: Annotated[str, typer.Option(help=f"Its level: {', '.join(LEVELS)}.")] = "PUBLIC",
    title: Annotated[str, typer.Option(help="Its title (TAXII).")] = "",
    description: Annotated[str, typer.Option(help="Its description (TAXII).")] = "",
    workspace: WorkspaceOption = None,
) -> None:
    """Add a collection to a sharing group; by default every member reads and adds to it, --read and --write narrow
    that to roles."""
    ws, actor = acting(workspace)
    made = add_collection(
        ws,
        actor,
        name,
        group,
        default_tlp=default_tlp,
        read_roles=read or [],
        write_roles=write or [],
        level=level,
        title=title,
        description=description,
    )
    tell(Message("collection {name} added to {group}: id {id}", name=made.name, group=made.group, id=made.id))


@cti_app.command("collections")
def cti_collections(workspace: WorkspaceOption = None) -> None:
    """The collections you may read, with whether you may read and add to their objects."""
    ws, actor = acting(workspace)
    found = list_collections(ws, actor)
    if not found:
        tell(Message("no collection you may read"))
        return
    rows = [
        {
            "collection": c.name,
            "id": c.id,
            "group": c.group,
            "default TLP": c.default_tlp,
            "you read": in_language(YES if c.can_read else NO),
            "you add": in_language(YES if c.can_write else NO),
            "roles read": ", ".join(c.read_roles) or "-",
            "roles add": ", ".join(c.write_roles) or "-",
        }
        for c in found
    ]
    print_table(rows, ["collection", "id", "group", "default TLP", "you read", "you add", "roles read", "roles add"])


@cti_app.command("objects")
def cti_objects(
    collection: Annotated[
        str | None, typer.Option(help="Only this collection (default: every one you may read).", show_default=False)
    ] = None,
    kind: Annotated[
        list[str] | None,
        typer.Option("--type", help="Only objects of this STIX type (repeatable).", show_default=False),
    ] = None,
    version: Annotated[str, typer.Option(help="first, last, all or a timestamp (match[version]).")] = "last",
    limit: Annotated[int, typer.Option(help="At most this many objects.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="Print the objects as a JSON array.")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """The STIX objects you may read, oldest added first."""
    ws, actor = acting(workspace)
    names = [collection] if collection else [c.name for c in list_collections(ws, actor) if c.can_read]
    found: list[tuple[str, Any]] = []
    for name in names:
        token: str | None = None
        while len(found) < limit:
            filters = Filters.parse(
                types=kind or [], versions=[version], limit=min(limit - len(found), MAX_LIMIT), next=token
            )
            page = get_objects(ws, actor, name, filters)
            found.extend((name, entry) for entry in page.entries)
            if not page.more:
                break
            token = page.next
    if as_json:
        console.print_json(orjson.dumps([entry.stix() for _, entry in found]).decode())
        return
    if not found:
        tell(Message("no object you may read"))
        return
    rows = [
        {
            "collection": name,
            "id": entry.stix_id,
            "type": entry.type,
            "version": entry.version,
            "added": entry.date_added,
            "TLP": entry.tlp or "-",
        }
        for name, entry in found
    ]
    print_table(rows, ["collection", "id", "type", "version", "added", "TLP"])


# ── correlating observations (protect/cti/sightings.py) ─────────────────────────────────────────────────────────

CORRELATE_FORMATS = ("table", "json")


def _since(text: str) -> datetime:
    """--since: a date (midnight UTC) or an ISO 8601 time (without an offset, UTC)."""
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(
            Message("--since: '{value}' is not a date or time (ISO 8601, like 2026-03-01)", value=text),
            field="since",
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@cti_app.command("correlate")
def cti_correlate(
    observations: Annotated[
        Path,
        typer.Argument(
            help="Observations: CSV/TSV (gzipped too) or JSON lines of IPs, domains, URLs, e-mail addresses, hashes with times."
        ),
    ],
    since: Annotated[
        str | None, typer.Option(help="Leave out observations before this date or time.", show_default=False)
    ] = None,
    collection: Annotated[
        str | None,
        typer.Option(
            help="Only this collection's indicators, and record the sightings there (default: every collection you "
            "may read; each sighting in its indicator's).",
            show_default=False,
        ),
    ] = None,
    no_record: Annotated[bool, typer.Option("--no-record", help="Show the hits without storing sightings.")] = False,
    fmt: Annotated[str, typer.Option("--format", help=f"{', '.join(CORRELATE_FORMATS)}.")] = "table",
    workspace: WorkspaceOption = None,
) -> None:
    """Correlate observations (a proxy, DNS or EDR export) with the indicators you may read: each hit with the
    threat actor, malware or attack pattern its indicator indicates, recorded as a STIX sighting (docs/cti-correlation.md)."""
    if fmt not in CORRELATE_FORMATS:
        raise InputError(
            Message(
                "unknown format '{format}'; use one of {choices}", format=fmt, choices=", ".join(CORRELATE_FORMATS)
            ),
            field="format",
        )
    moment = None if since is None else _since(since)
    ws, actor = acting(workspace)
    report = correlate_observations(ws, actor, observations, since=moment, collection=collection, record=not no_record)
    if fmt == "json":
        console.print_json(orjson.dumps(report.as_json()).decode())
        return
    for ident, reason in report.skipped:
        warn(Message("indicator {id} not evaluated: {reason}", id=ident, reason=reason))
    for ident, reason in report.unrecorded:
        warn(Message("no sighting recorded for indicator {id}: {reason}", id=ident, reason=reason))
    recorded = sum(1 for entry in report.hits if entry.sighting)
    tell(
        Message(
            "{observations:,} observations against {indicators:,} indicators: {hit:,} indicators hit, {recorded:,} sightings recorded",
            observations=report.observations,
            indicators=report.indicators,
            hit=len(report.hits),
            recorded=recorded,
        )
    )
    if report.run:
        tell(Message("correlation run {id} kept: kizashi cti run {id}", id=report.run))
    if not report.hits:
        return
    rows = [
        {
            "indicator": entry.indicator,
            "name": entry.name or "-",
            "indicates": targets_said(entry.indicates),
            "research assets": assets_said(entry.assets),
            "observations": entry.count,
            "first seen": timestamp(entry.first_seen),
            "last seen": timestamp(entry.last_seen),
        }
        for entry in report.hits
    ]
    print_table(rows, ["indicator", "name", "indicates", "research assets", "observations", "first seen", "last seen"])


# ── research assets tied to threats (protect/cti/assets.py) ─────────────────────────────────────────────────────

LINKS_FORMATS = ("table", "json")
LINK_COLUMNS = ["object", "name", "kind", "asset", "title", "reason", "label"]  # who and when: --format json
SeedOption = Annotated[str | None, typer.Option("--seed", help="A seed (its id).", show_default=False)]
ProjectOption = Annotated[
    str | None, typer.Option("--project", help="A programme project (its id).", show_default=False)
]
TechnologyOption = Annotated[
    str | None, typer.Option("--technology", help="A technology (its id).", show_default=False)
]
ThreatOption = Annotated[
    str | None, typer.Option("--threat", help="A threat of the threat register (its id).", show_default=False)
]


def _asset(seed: str | None, project: str | None, technology: str | None, threat: str | None) -> tuple[str, str] | None:
    """The one asset named by the options, as (kind, id); None when none is; more than one is refused."""
    named = [
        (kind, ident)
        for kind, ident in (
            ("seeds", seed),
            ("programme_projects", project),
            ("technologies", technology),
            ("threats", threat),
        )
        if ident is not None
    ]
    if len(named) > 1:
        raise InputError(Message("name one asset: --seed, --project, --technology or --threat"), field="asset")
    return named[0] if named else None


def _one_asset(seed: str | None, project: str | None, technology: str | None, threat: str | None) -> tuple[str, str]:
    found = _asset(seed, project, technology, threat)
    if found is None:
        raise InputError(Message("name one asset: --seed, --project, --technology or --threat"), field="asset")
    return found


def _link_row(link: Link) -> dict[str, Any]:
    return {
        "object": link.stix_id,
        "name": link.object_name or "-",
        "kind": in_language(asset_kind_said(link.asset_kind)),
        "asset": link.asset_id,
        "title": in_language(link.asset_title),
        "reason": link.reason or "-",
        "label": link.label,
    }


@cti_app.command("link")
def cti_link(
    stix_id: Annotated[
        str,
        typer.Argument(
            metavar="STIX_ID",
            help="A threat actor, malware, attack pattern, intrusion set, campaign, "
            "tool or vulnerability (its STIX id).",
            show_default=False,
        ),
    ],
    seed: SeedOption = None,
    project: ProjectOption = None,
    technology: TechnologyOption = None,
    threat: ThreatOption = None,
    reason: Annotated[str, typer.Option(help="Why the threat is aimed at the asset.")] = "",
    workspace: WorkspaceOption = None,
) -> None:
    """Tie a threat (a STIX object you may read) to one research asset you may read: a correlation hit on the threat
    then names the asset. Through a threat of the register, its technologies and the projects answering it are tied
    too."""
    kind, asset_id = _one_asset(seed, project, technology, threat)
    ws, actor = acting(workspace)
    done = link_asset(ws, actor, stix_id, kind, asset_id, reason)
    said = Message("{object} tied to {kind} {asset}", object=stix_id, kind=asset_kind_said(kind), asset=asset_id)
    if not done.created:
        said = Message(
            "{object} and {kind} {asset} are tied already", object=stix_id, kind=asset_kind_said(kind), asset=asset_id
        )
    tell(said)


@cti_app.command("unlink")
def cti_unlink(
    stix_id: Annotated[str, typer.Argument(metavar="STIX_ID", help="The STIX object's id.", show_default=False)],
    seed: SeedOption = None,
    project: ProjectOption = None,
    technology: TechnologyOption = None,
    threat: ThreatOption = None,
    workspace: WorkspaceOption = None,
) -> None:
    """Remove the links you may read between a STIX object and a research asset (the audit trail keeps them)."""
    kind, asset_id = _one_asset(seed, project, technology, threat)
    ws, actor = acting(workspace)
    removed = unlink_asset(ws, actor, stix_id, kind, asset_id)
    tell(
        Message(
            "{count} link(s) removed between {object} and {kind} {asset}",
            count=len(removed),
            object=stix_id,
            kind=asset_kind_said(kind),
            asset=asset_id,
        )
    )


@cti_app.command("links")
def cti_links(
    stix_object: Annotated[
        str | None, typer.Option("--object", help="Only the links of this STIX object.", show_default=False)
    ] = None,
    seed: SeedOption = None,
    project: ProjectOption = None,
    technology: TechnologyOption = None,
    threat: ThreatOption = None,
    fmt: Annotated[str, typer.Option("--format", help=f"{', '.join(LINKS_FORMATS)}.")] = "table",
    workspace: WorkspaceOption = None,
) -> None:
    """The links between threats and research assets that you may read (the link, the object and the asset)."""
    if fmt not in LINKS_FORMATS:
        raise InputError(
            Message("unknown format '{format}'; use one of {choices}", format=fmt, choices=", ".join(LINKS_FORMATS)),
            field="format",
        )
    asset = _asset(seed, project, technology, threat)
    ws, actor = acting(workspace)
    links = list_links(ws, actor, stix_object, asset)
    if fmt == "json":
        console.print_json(orjson.dumps([link.as_json() for link in links]).decode())
        return
    if not links:
        tell(Message("no link you may read"))
        return
    print_table([_link_row(link) for link in links], LINK_COLUMNS)
