"""The demo's threat intelligence (issue 16): a sharing group of the demo's owner, a collection under TLP AMBER, and
a slice of ATT&CK for ICS and of CISA's Known Exploited Vulnerabilities loaded into it (data/demo/cti/SOURCE.md), as
`kizashi cti ingest` would; the collection's listing in reports/."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from kizashi.files.export import created
from kizashi.ingest.kev import kev_objects
from kizashi.ingest.stix import read_stix_file
from kizashi.messages import Message
from kizashi.policy import Actor
from kizashi.protect.cti.assets import link_asset
from kizashi.protect.cti.groups import add_collection, add_group, list_collections
from kizashi.protect.cti.sightings import correlate_observations
from kizashi.protect.cti.store import add_objects, get_objects
from kizashi.protect.people import actor_for
from kizashi.store.service import Delivery, service
from kizashi.store.workspace import Workspace

CTI = Path(str(resources.files("kizashi") / "data" / "demo" / "cti"))
GROUP, COLLECTION, TLP = "demo-partners", "ics", "AMBER"
# What the example indicators indicate, tied to the demo's research assets, so that the correlation names them: the
# register's threat (its technologies come along), a CORDIS project on energy-grid security, and a project of the
# demo programme (report/demo_programme.py runs first and stores it).
LINKS: tuple[tuple[str, str, str, str], ...] = (
    (
        "malware--e401d4fe-f0c9-44f0-98e6-f93487678808",  # Industroyer
        "threats",
        "cy.critical-infrastructure-attack",
        "送電網の制御系を直接操作して停電を起こすマルウェア",
    ),
    (
        "intrusion-set--381fcf73-60f6-4ab2-9991-6af3cbc35192",  # Sandworm Team
        "seeds",
        "cordis:700416",  # SUCCESS: Securing Critical Energy Infrastructures
        "電力インフラを狙う攻撃集団。研究成果と試験環境が標的になりうる",
    ),
    (
        "attack-pattern--19a71d1e-6334-4233-8260-b749cae37953",  # Activate Firmware Update Mode
        "programme_projects",
        "P2",  # 小型水位センサー網
        "現場機器のファームウェア更新モードを悪用する手口。小型水位センサーも同じ弱点を持つ",
    ),
)


@service("demo.threat_intelligence")
def threat_intelligence(workspace: Workspace, actor: Actor, out: Path) -> tuple[Message, Path, Actor]:
    """Load the slices into a collection of the owner's sharing group; the actor returned holds the group (a
    clearance is computed when the actor is made, and membership is part of it)."""
    # In a workspace without users its owner operates with every compartment: no membership to add.
    add_group(workspace, actor, GROUP, [actor.user] if actor.managed else [], title="デモの共有グループ")
    member = actor_for(workspace, actor.user, via=actor.via, credential=actor.credential) if actor.managed else actor
    if COLLECTION not in {collection.name for collection in list_collections(workspace, member)}:
        add_collection(workspace, member, COLLECTION, GROUP, default_tlp=TLP, title="ICS の攻撃手法と悪用された脆弱性")
    attack, kev, indicators = CTI / "attack-ics-slice.json", CTI / "kev-slice.json", CTI / "indicators-example.json"
    objects = [*read_stix_file(attack), *kev_objects(kev), *read_stix_file(indicators)]
    add_objects(workspace, member, COLLECTION, objects, files=[str(attack), str(kev), str(indicators)])
    # Tied before correlating, so that each hit names the research assets (a second run finds them tied already).
    for stix_id, kind, asset_id, reason in LINKS:
        link_asset(workspace, member, stix_id, kind, asset_id, reason)
    # A few days of generated proxy rows against the collection's indicators: sightings stored, what each hit indicates.
    report = correlate_observations(workspace, member, CTI / "observations-example.csv", collection=COLLECTION)
    out.parent.mkdir(parents=True, exist_ok=True)
    page = get_objects(workspace, member, COLLECTION, delivery=Delivery(str(out), "json"))
    listing = [
        {"id": e.stix_id, "type": e.type, "name": e.stix().get("name"), "tlp": e.tlp, "version": e.version}
        for e in page.entries
    ]
    created(out).write_text(json.dumps(listing, ensure_ascii=False, indent=2), encoding="utf-8")
    loaded = Message(
        "threat intelligence: {objects} STIX objects (ATT&CK for ICS, CISA KEV) in collection {collection} of "
        "sharing group {group}, TLP {tlp}; served over TAXII 2.1 at /taxii2/",
        objects=len(objects),
        collection=COLLECTION,
        group=GROUP,
        tlp=TLP,
    )
    correlated = Message(
        "{loaded}; {observations} observations correlated: {hits} indicator(s) hit, sightings stored",
        loaded=loaded,
        observations=report.observations,
        hits=len(report.hits),
    )
    message = Message(
        "{correlated}; the threats they indicate tied to {links} research assets (a threat of the register, a "
        "seed, a programme project)",
        correlated=correlated,
        links=len(LINKS),
    )
    return message, out, member
