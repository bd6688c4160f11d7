"""A first roadmap for a technology, drafted from the evidence the actor may read, for a person to edit (issue 17,
`kizashi roadmap draft`; docs/programmes.md, "Drafting a roadmap").

What it draws on, every row read through the access policy (store.readable.select_readable, store.records):
the technology and its readable sub-technologies; the needs and seeds that name it (its names and synonyms, or a
sub-technology's, in their title, keywords or description; or listed for it by the latest readable landscape scan);
the needs matched to those seeds in the latest stored match run with a readable proposal for one of them; the
latest scan's facts about it; its latest TRL assessment; the threats naming it and the goals set against those
threats; the open barriers tied to it. A record the actor may not read contributes nothing, not even its title.

The lanes, top to bottom, chained need → technology → programme → use by `depends_on`:
- need: the matched needs (owner: the organisation, a ministry, that stated it); none: the threats naming it;
- technology: one item per seed cluster (the sub-technology the seeds name, or the technology itself), TRL from the
  technology's latest assessment (for a sub-technology: its most mature seed first), else its most mature seed,
  else an assumed TRL 3, to TRL 6;
- programme: one item, from the technology lane's TRL to 9 (demonstration and deployment);
- capability: the use, the goal's capability (its target date as the end when later), else the needs' use;
- barrier: the open barriers with their kind and owner, to be removed before the use starts.

Durations (the rule a person then edits): a need 6 months (confirm it with its owner), 8 months per TRL level to
gain and never less than 6, the use 12 months or until the goal's target date. Dates start at `start`, by default
the next April (the Japanese fiscal year).

Every item's `source` says where it came from: `need:<id>`, `seed:<id>`, `match-run:<id>`, `scan:<id>`,
`technology:<id>`, `trl:<assessment id>`, `threat:<id>`, `goal:<id>`, `barrier:<id>`, and `rule:<name>` for what a
rule and no record gave (an assumed TRL).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from kizashi.errors import InputError
from kizashi.grow.roadmap_evidence import (
    MOST_SEEDS_NAMED,
    Evidence,
    draft_id,
    read_evidence,
    scan_rows,
    technology_names,
)
from kizashi.grow.roadmap_model import LANES, Item, Readiness, Roadmap, month_number
from kizashi.messages import Message
from kizashi.policy import Actor, Label
from kizashi.store.service import SHOWN, Delivery, delivered, service
from kizashi.store.workspace import Workspace
from kizashi.text.normalise import is_japanese

NEED_MONTHS = 6  # confirm the need with its owner
MONTHS_PER_LEVEL = 8  # per TRL level to gain
LEAST_MONTHS = 6
USE_MONTHS = 12
RESEARCH_TRL = 6  # the technology lane's target: a prototype demonstrated in a relevant environment
USE_TRL = 9
ASSUMED_TRL = 3  # no seed TRL and no assessment: proof of concept, said in the item's source
MOST_NEEDS = 5
MOST_CLUSTERS = 6
MOST_THREATS = 3
FISCAL_YEAR_MONTH = 4
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def next_april(today: date) -> str:
    """The start of the next Japanese fiscal year, as YYYY-MM."""
    year = today.year + (1 if today.month >= FISCAL_YEAR_MONTH else 0)
    return f"{year:04d}-{FISCAL_YEAR_MONTH:02d}"


def month_after(month: str, months: int) -> str:
    """The month `months` after `month` (YYYY-MM)."""
    number = month_number(month) + months
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def months_for(trl_from: int, trl_to: int) -> int:
    """The documented duration of raising TRL from `trl_from` to `trl_to`."""
    return max(LEAST_MONTHS, MONTHS_PER_LEVEL * (trl_to - trl_from))


# ── drafting ────────────────────────────────────────────────────────────────────────────────────────────────────


def _titles(text: str, lang: str | None = None) -> dict[str, str]:
    """A record's one title as title_ja or title_en, by its language (the record's, else the text's)."""
    japanese = lang == "ja" if lang in ("ja", "en") else is_japanese(text)
    return {"title_ja": text[:500]} if japanese else {"title_en": text[:500]}


def _said(message: Message) -> dict[str, str]:
    """A drafted title in both languages."""
    return {"title_ja": message.said("ja")[:500], "title_en": str(message)[:500]}


def _named(said: Callable[[str], Message], names: tuple[str, str]) -> dict[str, str]:
    """A drafted title naming the technology: the Japanese with its Japanese name, the English with its English name
    (each falling back to the other)."""
    name_ja, name_en = names
    return {"title_ja": said(name_ja or name_en).said("ja")[:500], "title_en": str(said(name_en or name_ja))[:500]}


def _level_text(label: Label) -> str:
    """The roadmap's `label` as the format writes it: level and compartments."""
    compartments = f" [{', '.join(sorted(label.compartments))}]" if label.compartments else ""
    return f"{label.level}{compartments}"


def _need_items(found: Evidence, start: str) -> list[Item]:
    ranked = sorted(
        found.needs.values(),
        key=lambda need: (-len(found.need_seeds.get(need["id"], ())), need["id"]),
    )[:MOST_NEEDS]
    end = month_after(start, NEED_MONTHS - 1)
    items = [
        Item(
            id=f"N{number}",
            lane="need",
            **_titles(str(need["title"]), need.get("lang")),
            start=start,
            end=end,
            owner=(str(need["organization"])[:200] or None) if need.get("organization") else None,
            source=found.need_sources[need["id"]],
        )
        for number, need in enumerate(ranked, 1)
    ]
    if items:
        return items
    threats = found.threats[:MOST_THREATS]
    if threats:
        return [
            Item(
                id=f"N{number}",
                lane="need",
                title_ja=str(threat.get("name_ja") or "")[:500] or None,
                title_en=str(threat.get("name_en") or "")[:500] or None,
                start=start,
                end=end,
                source=[f"threat:{threat['id']}"],
            )
            for number, threat in enumerate(threats, 1)
        ]
    root = str(found.technology["id"])
    return [
        Item(
            id="N1",
            lane="need",
            **_said(Message("No need matched to this technology yet: name the need and its owner")),
            start=start,
            end=end,
            source=[f"technology:{root}", "rule:no-need-found"],
        )
    ]


def _trl_from(found: Evidence, cluster: str, seeds: Sequence[str]) -> tuple[int, list[str]]:
    """The TRL a cluster starts from and where that came from: for the technology itself its latest assessment (a
    judgement with evidence) before its seeds' TRL; for a sub-technology its seeds' before the assessment of the
    whole; the most mature seed counts, as a programme builds on it; with neither, an assumed TRL 3."""
    levels = [(int(found.seeds[s]["trl"]), s) for s in seeds if found.seeds[s].get("trl") is not None]
    assessed = [(int(found.assessment["trl"]), f"trl:{found.assessment['id']}")] if found.assessment is not None else []
    seeded = [(level, f"seed:{seed}") for level, seed in sorted(levels, key=lambda pair: (-pair[0], pair[1]))[:1]]
    ordered = [*assessed, *seeded] if cluster == str(found.technology["id"]) else [*seeded, *assessed]
    if ordered:
        level, source = ordered[0]
        return level, [source]
    return ASSUMED_TRL, ["rule:trl-assumed-3"]


def _technology_items(found: Evidence, needs: Sequence[Item], start: str) -> list[Item]:
    root = str(found.technology["id"])
    by_cluster: dict[str, list[str]] = {}
    for seed in sorted(found.seeds):
        by_cluster.setdefault(found.seed_cluster[seed], []).append(seed)
    ranked = sorted(by_cluster.items(), key=lambda pair: (-len(pair[1]), pair[0]))[:MOST_CLUSTERS] or [(root, [])]
    need_of = {
        source[len("need:") :]: item.id for item in needs for source in item.source or [] if source.startswith("need:")
    }
    begins = month_after(start, NEED_MONTHS)
    items: list[Item] = []
    for number, (cluster, seeds) in enumerate(ranked, 1):
        level, level_source = _trl_from(found, cluster, seeds)
        target = max(level, RESEARCH_TRL)
        matched = sorted(
            {need_of[need] for need, its in found.need_seeds.items() if need in need_of and its & set(seeds)}
        )
        name_ja, name_en = found.names.get(cluster, ("", ""))
        sources = [f"technology:{cluster}", *level_source]
        sources += [f"seed:{seed}" for seed in seeds[:MOST_SEEDS_NAMED] if f"seed:{seed}" not in sources]
        if found.run is not None and matched:
            sources.append(f"match-run:{found.run}")
        if found.scan is not None and cluster == root:
            sources.append(f"scan:{found.scan['id']}")
        items.append(
            Item(
                id=f"T{number}",
                lane="technology",
                title_ja=_landscape_title(found, cluster, name_ja, "ja") or None,
                title_en=_landscape_title(found, cluster, name_en, "en") or None,
                start=begins,
                end=month_after(begins, months_for(level, target) - 1),
                trl=Readiness.model_validate({"from": level, "to": target}),
                depends_on=matched or [item.id for item in needs],
                source=sources,
            )
        )
    # A need no cluster's seeds were matched to (it names the technology) still leads to it: to the technology
    # itself, else the first cluster, so that no need dangles outside the chain.
    attached = {need for item in items for need in item.depends_on}
    loose = [item.id for item in needs if item.id not in attached]
    if loose:
        host = next((i for i in items if f"technology:{root}" in (i.source or [])), items[0])
        host.depends_on = sorted({*host.depends_on, *loose}, key=lambda name: int(name[1:]))
    return items


def _landscape_title(found: Evidence, cluster: str, name: str, lang: str) -> str:
    """The cluster's name; for the technology itself, with what the latest scan says of it (rank among critical
    technologies, emerging, Japan's place), so that the person editing sees the landscape beside the bar."""
    if not name or found.scan is None or cluster != str(found.technology["id"]):
        return name
    facts: list[Message] = []
    ranked = len((found.scan["tables"] or {}).get("critical", []))
    for row in scan_rows(found.scan, "critical", cluster)[:1]:
        facts.append(Message("critical rank {rank} of {count}", rank=row.get("rank"), count=ranked))
    for row in scan_rows(found.scan, "emergence", cluster)[:1]:
        if row.get("emerging"):
            facts.append(Message("emerging"))
    for row in scan_rows(found.scan, "countries", cluster):
        if row.get("country") == "JP" and row.get("rank") is not None:
            facts.append(Message("Japan rank {rank}", rank=row.get("rank")))
    if not facts:
        return name
    said = [fact.said(lang) for fact in facts]
    return f"{name}（{'、'.join(said)}）" if lang == "ja" else f"{name} ({'; '.join(said)})"


def draft_items(found: Evidence, start: str) -> list[Item]:
    """The drafted items, lane by lane, chained need → technology → programme → use (see the module's note)."""
    root = str(found.technology["id"])
    needs = _need_items(found, start)
    technologies = _technology_items(found, needs, start)
    level = max(item.trl.to for item in technologies if item.trl is not None)
    begins = month_after(max(technologies, key=lambda item: month_number(item.end)).end, 1)
    programme_end = month_after(begins, months_for(level, USE_TRL) - 1)
    programme = Item(
        id="P1",
        lane="programme",
        **_named(
            lambda name: Message("Demonstration and deployment programme: {name}", name=name),
            technology_names(found.technology),
        ),
        start=begins,
        end=programme_end,
        trl=Readiness.model_validate({"from": level, "to": USE_TRL}),
        depends_on=[item.id for item in technologies],
        source=[f"technology:{root}", *(f"goal:{goal['id']}" for goal in found.goals)],
    )
    barriers = [
        Item(
            id=f"B{number}",
            lane="barrier",
            **_titles(str(barrier["title"])),
            start=month_after(start, NEED_MONTHS),
            end=programme_end,
            owner=str(barrier["owner"])[:200],
            kind=barrier["kind"],
            source=[f"barrier:{barrier['id']}"],
        )
        for number, barrier in enumerate(found.barriers, 1)
    ]
    use_start = month_after(programme_end, 1)
    uses = _use_items(found, needs, use_start, [programme.id, *(item.id for item in barriers)])
    return [*needs, *uses, *technologies, programme, *barriers]


def _use_items(found: Evidence, needs: Sequence[Item], start: str, after: list[str]) -> list[Item]:
    """The capability lane: the use, from each goal set against the threats naming the technology, else from the
    needs."""
    items: list[Item] = []
    for number, goal in enumerate(found.goals[:MOST_THREATS], 1):
        end = month_after(start, USE_MONTHS - 1)
        target = goal.get("target_date")
        if isinstance(target, date) and month_number(f"{target.year:04d}-{target.month:02d}") > month_number(end):
            end = f"{target.year:04d}-{target.month:02d}"
        items.append(
            Item(
                id=f"C{number}",
                lane="capability",
                **_titles(str(goal["capability"])),
                start=start,
                end=end,
                depends_on=after,
                source=[f"goal:{goal['id']}", *(f"threat:{t}" for t in goal.get("threats") or [])],
            )
        )
    if items:
        return items
    titles = _named(
        lambda name: Message("Use in society of {name} for the needs above", name=name),
        technology_names(found.technology),
    )
    return [
        Item(
            id="C1",
            lane="capability",
            **titles,
            start=start,
            end=month_after(start, USE_MONTHS - 1),
            depends_on=after,
            source=sorted({s for item in needs for s in item.source or [] if s.split(":", 1)[0] in ("need", "threat")})
            or [f"technology:{found.technology['id']}"],
        )
    ]


@service("roadmap.draft")
def draft_roadmap(
    workspace: Workspace,
    actor: Actor,
    technology_id: str,
    *,
    start: str | None = None,
    delivery: Delivery = SHOWN,
) -> Roadmap:
    """A first roadmap for `technology_id` from what `actor` may read (see the module's note); NotFound alike for a
    technology that is missing or hidden. Audited as a read (or export) naming the records it drew on."""
    first = start or next_april(datetime.now(UTC).date())
    if not _MONTH.fullmatch(first):
        raise InputError(Message("--start must be a month, YYYY-MM, not '{value}'", value=first), field="start")
    found = read_evidence(workspace, actor, technology_id)
    root = str(found.technology["id"])
    items = draft_items(found, first)
    items.sort(key=lambda item: LANES.index(item.lane))
    roadmap = Roadmap(
        id=draft_id(root),
        **_named(lambda name: Message("{name}: draft roadmap", name=name), technology_names(found.technology)),
        goal=str(found.goals[0]["id"]) if found.goals else None,
        label=_level_text(Label.highest(found.labels)),
        items=items,
    )
    delivered(
        workspace,
        actor,
        delivery,
        records=found.records(),
        detail={
            "service": "roadmap draft",
            "technology": root,
            "items": len(items),
            "scan": found.scan["id"] if found.scan is not None else None,
            "match_run": found.run,
            "trl_assessment": found.assessment["id"] if found.assessment is not None else None,
        },
    )
    return roadmap


def sources_of(roadmap: Roadmap) -> dict[str, list[str]]:
    """The kinds of evidence the items name (need, seed, match-run, …) → the distinct ids, in order of appearance."""
    found: dict[str, list[str]] = {}
    for item in roadmap.items:
        for source in item.source or []:
            kind, _, name = source.partition(":")
            if name not in found.setdefault(kind, []):
                found[kind].append(name)
    return found


def draft_header(roadmap: Roadmap, technology: str) -> list[Message]:
    """What a drafted file says at its top (as comments): that it is a draft, how to read `source`, the rule of the
    durations, and what was found."""
    found = sources_of(roadmap)
    nothing = Message("none")
    lines = [
        Message(
            "A draft from the evidence you may read (kizashi roadmap draft {technology}): edit it before use.",
            technology=technology,
        ),
        Message("Each item's source says where it came from: {sources}.", sources=", ".join(found)),
        Message(
            "Durations by rule: a need 6 months, 8 months per TRL level (at least 6), the use 12 months or to the "
            "goal's target date."
        ),
        Message(
            "Found: {needs} needs, {seeds} seeds, {barriers} barriers, {goals} goals; match run {run}, landscape scan "
            "{scan}, TRL assessment {trl}.",
            needs=len(found.get("need", [])),
            seeds=len(found.get("seed", [])),
            barriers=len(found.get("barrier", [])),
            goals=len(found.get("goal", [])),
            run=", ".join(found.get("match-run", [])) or nothing,
            scan=", ".join(found.get("scan", [])) or nothing,
            trl=", ".join(found.get("trl", [])) or nothing,
        ),
    ]
    if not any(kind in found for kind in ("need", "seed", "threat", "goal", "barrier", "scan", "trl")):
        lines.append(
            Message("Nothing was found about this technology beyond its name: the draft is a frame to fill in.")
        )
    return lines


# ── writing ─────────────────────────────────────────────────────────────────────────────────────────────────────


def roadmap_document(roadmap: Roadmap) -> dict[str, Any]:
    """The roadmap as the file format writes it (aliases, no empty values), for grow/roadmap_export.py's writers."""
    document = roadmap.model_dump(by_alias=True, exclude_none=True, exclude={"items"}, mode="json")
    document["items"] = [
        {
            key: value
            for key, value in item.model_dump(by_alias=True, exclude_none=True, mode="json").items()
            if value != []
        }
        for item in roadmap.items
    ]
    return document


def roadmap_yaml(roadmap: Roadmap, header: Iterable[str] = ()) -> str:
    """The roadmap as YAML, `header` lines first as comments."""
    from kizashi.grow.roadmap_export import to_yaml

    return "".join(f"# {line}\n" for line in header) + to_yaml(roadmap_document(roadmap))


def roadmap_xlsx(roadmap: Roadmap) -> bytes:
    """The roadmap as the workbook `read_roadmap` reads (sheets `roadmap` and `items`, `source` as "a; b")."""
    from kizashi.grow.roadmap_export import to_xlsx

    return to_xlsx(roadmap_document(roadmap))
