"""The risk card's sections and the steps that fill their gaps: what a finding asks of whom, in words (ja, en), with the
command and the page that do it (kizashi.protect.risk_card builds the card)."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from kizashi.messages import Words
from kizashi.messages.words import LEVELS, ROLES


@dataclass(frozen=True)
class Section:
    """One part of the card: a summary (`facts`), a table (`columns`, `rows`) and what it found."""

    name: str
    state: str  # complete: data and decisions present; incomplete: some missing; missing: none at all
    facts: dict[str, Any]
    columns: tuple[str, ...] = ()
    rows: list[dict[str, Any]] = field(default_factory=list)
    findings: tuple[str, ...] = ()


@dataclass(frozen=True)
class NextStep:
    """What fills a gap: in words (ja, en), the command and the web page that do it."""

    section: str
    finding: str
    ja: str
    en: str
    command: str
    page: str | None = None


# ── what is missing ─────────────────────────────────────────────────────────────────────────────────────────────

# finding → (section, Japanese, English, command, page); {id} and {kind} are filled in, the command's id shell-quoted.
STEPS: dict[str, tuple[str, str, str, str, str | None]] = {
    "technology_undecided": (
        "technology",
        "該非判定を行い、結果を記録する（候補の規制項目を参考に）",
        "Decide whether the technology is on a control list, and record it (the candidates may help)",
        "kizashi screen classify {id} --kind {kind} --decision not-listed|listed|exempt-published|"
        "exempt-basic-research --reason REASON [--list LIST --code CODE]",
        "/controls/{kind}/{id}",
    ),
    "partners_unknown": (
        "partners",
        "共同研究先・参加者（組織と人物）を記録する",
        "Record the partners (organisations and people) of the project",
        "kizashi ingest {kind} FILE  (with the organization / institutions and authors)",
        "/{kind}/{id}",
    ),
    "partners_not_screened": (
        "partners",
        "懸念リスト（外国ユーザーリスト・制裁リスト）をワークスペースに読み込む（カードが取引先を照合します）",
        "Load the end-user and sanctions lists into the workspace (the card screens the partners against them)",
        "kizashi screen load LIST",
        "/screening",
    ),
    # One step per alert awaiting an officer: {name}, {list} and {entry} come from the partners section.
    "partner_alert": (
        "partners",
        "照合アラート「{name}」× {list} {entry} を確認し、判断を記録する",
        "Decide the screening alert '{name}' × {list} {entry}",
        "kizashi screen decide {name_arg} {list_arg} {entry_arg} --decision true-match|false-positive|escalate "
        "--reason REASON",
        "/screening?name={name_query}",
    ),
    "release_unsubmitted": (
        "release",
        "成果公表審査に申請し、資金区分を記録する",
        "Submit the project for release review with its funding category",
        "kizashi review submit {id} --kind {kind} --funding government|private|mixed [--publication-clause]",
        "/review/{kind}/{id}",
    ),
    "release_pending": (
        "release",
        "承認待ちの役割が成果公表審査を判断する",
        "The awaited roles decide the release review",
        "kizashi review move {id} --kind {kind} approved|approved_with_changes|withheld",
        "/review/{kind}/{id}",
    ),
    "deemed_nobody": (
        "deemed_export",
        "参加者ごとにみなし輸出の確認（特定類型の該当性）を記録する",
        "Record each participant's deemed-export answer (the specific categories)",
        "kizashi review deemed-export {id} PERSON --kind {kind} --none|--non-resident|--foreign-contract|"
        "--foreign-income|--foreign-instructions",
        "/deemed-export/{kind}/{id}",
    ),
    "deemed_unanswered": (
        "deemed_export",
        "未回答の参加者のみなし輸出の確認を記録する",
        "Record the deemed-export answers still missing",
        "kizashi review deemed-export {id} PERSON --kind {kind} --none|--non-resident|--foreign-contract|"
        "--foreign-income|--foreign-instructions",
        "/deemed-export/{kind}/{id}",
    ),
    "deemed_licence_check": (
        "deemed_export",
        "特定類型に該当する者への技術提供の前に、許可の要否を確認する",
        "Check whether a licence is needed before a person in a specific category receives the technology",
        "kizashi review deemed-export-status {id} --kind {kind} --check",
        "/deemed-export/{kind}/{id}",
    ),
    "access_unmanaged": (
        "access",
        "利用者と資格を登録し、閲覧を管理する",
        "Add users and clearances so that reading is controlled",
        "kizashi user add NAME --role admin",
        None,
    ),
}


def next_steps(kind: str, project_id: str, sections: dict[str, Section]) -> list[NextStep]:
    """The concrete steps that fill the card's gaps, in section order."""
    steps = []
    for section in sections.values():
        for finding in section.findings:
            if finding in ("partner_alert", "partner_escalated", "release_unapprovable"):
                continue  # one step per pending alert, or per role nobody can approve, below
            if finding in STEPS:  # the others are results, not gaps (a listed technology, a withheld release)
                steps.append(_step(finding, id=shlex.quote(project_id), kind=kind, page_id=quote(project_id, safe=":")))
        if "release_unapprovable" in section.findings:
            stuck = next((s.facts.get("stuck") for s in sections.values() if s.name == "release"), None) or []
            steps.extend(unblock(kind, project_id, item) for item in stuck)
        for name, entry_list, entry in section.facts.get("pending", []) if section.name == "partners" else []:
            values = {"name": name, "list": entry_list, "entry": entry}
            quoted = {f"{key}_arg": shlex.quote(value) for key, value in values.items()}
            steps.append(_step("partner_alert", **values, **quoted, name_query=quote(name)))
    return steps


def _step(finding: str, **values: str) -> NextStep:
    section, ja, en, command, page = STEPS[finding]
    # A page takes the id URL-quoted, a command shell-quoted.
    page = page.format(**{**values, "id": values.get("page_id", "")}) if page else None
    return NextStep(section, finding, ja.format(**values), en.format(**values), command.format(**values), page)


def unblock(kind: str, project_id: str, item: dict[str, Any]) -> NextStep:
    """The step that unblocks a role nobody can approve (release.Stuck.as_json): raise a holder's clearance (named
    when the reader may see the directory), or add an approver with the role cleared for the review's level."""
    role = ROLES.get(item["role"], Words(item["role"], item["role"]))
    role_ja, role_en = role.ja, str(role)
    level_ja, level_en = LEVELS[item["level"]].ja, str(LEVELS[item["level"]])
    ja_ways: list[str] = []
    en_ways: list[str] = []
    for holder in item["holders"]:
        if holder["outside_tlp"] or not holder["level"]:
            continue  # a compartment or TLP recipient, not a level: the add-an-approver way covers it
        if holder["user"]:
            ja_ways.append(f"{holder['user']} の資格を{level_ja}に引き上げる")
            en_ways.append(f"raise {holder['user']}'s clearance to {level_en}")
        else:
            ja_ways.append(f"{role_ja}の役割を持つ利用者の資格を{level_ja}に引き上げる")
            en_ways.append(f"raise the clearance of a user with the role {role_en} to {level_en}")
    ja_ways.append(f"{role_ja}の役割を持つ承認者（{level_ja}以上の資格）を追加する")
    en_ways.append(f"add an approver with the role {role_en}, cleared to {level_en}")
    user = next((h["user"] for h in item["holders"] if h["user"] and h["level"]), None)
    command = (
        f"kizashi user grant {shlex.quote(user)} --level {item['level']}"
        if user
        else f"kizashi user add NAME --role {item['role']}; kizashi user grant NAME --level {item['level']}"
    )
    return NextStep(
        "access",
        "release_unapprovable",
        f"成果公表審査を承認できる{role_ja}がいない：" + "、または".join(dict.fromkeys(ja_ways)),
        f"Nobody can approve the release review as {role_en}: " + ", or ".join(dict.fromkeys(en_ways)),
        command,
        "/admin/users",
    )
