"""The project risk card as a file: one self-contained bilingual HTML page (Japanese first, printable on A4), the same
page as PDF (WeasyPrint, with the Noto CJK fonts), an Excel workbook with one sheet per section, or JSON."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import orjson

from kizashi import __version__
from kizashi.errors import InputError, KizashiError
from kizashi.files.export import _xlsx_value
from kizashi.messages import Message
from kizashi.messages.words import FUNDING, LEVELS, RISK_LEVELS, ROLES, STATES, pairs
from kizashi.protect.risk_card import RiskCard
from kizashi.protect.risk_rules import FINDINGS
from kizashi.protect.risk_steps import Section
from kizashi.protect.screening.store import STATUSES
from kizashi.report.templating import environment

FORMATS = ("html", "pdf", "xlsx", "json")
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}

LEVEL_NAMES = {level: (word.ja, str(word)) for level, word in RISK_LEVELS.items()}
LEVEL_COLOURS = {"low": "#2e7d32", "medium": "#b26a00", "high": "#c62828", "blocked": "#4a0000"}
SECTION_NAMES = {
    "technology": ("技術の機微度（該非判定）", "Technology sensitivity"),
    "partners": ("共同研究先・参加者の照合", "Partner screening"),
    "release": ("成果公表審査", "Release review"),
    "deemed_export": ("みなし輸出の確認", "Deemed export"),
    "access": ("閲覧できる者", "Who may read the files"),
}
STATE_NAMES = {
    "complete": ("完了", "complete"),
    "incomplete": ("一部未了", "incomplete"),
    "missing": ("未実施・情報なし", "missing"),
}
FINDING_NAMES = {
    "technology_listed": "規制リスト該当技術",
    "technology_undecided": "該非判定が未記録",
    "partner_true_match": "懸念リストとの一致を確認",
    "partner_alert": "未判断の照合アラート",
    "partner_escalated": "エスカレーション中の照合アラート",
    "partners_not_screened": "懸念リストとの照合が未実施",
    "partners_unknown": "照合する共同研究先・参加者の記録がない",
    "release_unsubmitted": "成果公表審査が未申請",
    "release_pending": "成果公表審査が未決",
    "release_withheld": "成果公表審査で公表不可",
    "deemed_licence_check": "特定類型に該当する参加者がいる（許可要否の確認）",
    "deemed_unanswered": "みなし輸出の確認に未回答の参加者がいる",
    "deemed_nobody": "みなし輸出の確認の対象者が記録されていない",
    "access_unmanaged": "利用者管理がない（ファイルを持つ者は誰でも閲覧可）",
    "release_unapprovable": "成果公表審査を承認できる者がいない（閲覧できる者に承認者がいない）",
}
# Facts and columns: Japanese / English headings (a name not here is shown as it is).
NAMES = {
    "decision": ("判定", "Decision"),
    "list": ("リスト", "List"),
    "code": ("項番", "Code"),
    "reason": ("理由", "Reason"),
    "decided_by": ("判定者", "Decided by"),
    "decided_at": ("判定日時", "Decided at"),
    "earlier_decisions": ("過去の判定数", "Earlier decisions"),
    "suggested": ("候補を表示", "Candidates shown"),
    "title": ("名称", "Title"),
    "score": ("スコア", "Score"),
    "evidence": ("根拠", "Evidence"),
    "parties": ("照合対象", "Parties"),
    "clear": ("該当なし", "Clear"),
    "alert": ("アラート", "Alert"),
    "true_match": ("一致", "True match"),
    "false_positive": ("誤検知", "False positive"),
    "escalated": ("エスカレーション", "Escalated"),
    "not_screened": ("未照合", "Not screened"),
    "lists": ("照合したリスト（版）", "Lists (version)"),
    "pending": ("判断待ちのアラート", "Alerts awaiting a decision"),
    "name": ("名称・氏名", "Name"),
    "type": ("種別", "Type"),
    "status": ("状態", "Status"),
    "matches": ("一致候補", "Matches"),
    "state": ("状態", "State"),
    "reviews": ("審査回数", "Reviews"),
    "funding": ("資金区分", "Funding"),
    "publication_clause": ("公表条項", "Publication clause"),
    "required": ("承認が必要な役割", "Roles that must approve"),
    "waiting": ("承認待ち", "Awaiting"),
    "rules": ("適用規則", "Rules"),
    "notice_ends": ("通知期間の終了", "Notice ends"),
    "notice_days": ("通知期間（日）", "Notice (days)"),
    "submitted_by": ("申請者", "Submitted by"),
    "submitted_at": ("申請日時", "Submitted at"),
    "seq": ("#", "#"),
    "at": ("日時", "When"),
    "user": ("利用者", "User"),
    "role": ("役割", "Role"),
    "action": ("操作", "Action"),
    "from": ("前", "From"),
    "to": ("後", "To"),
    "comment": ("コメント", "Comment"),
    "people": ("対象者数", "People"),
    "answered": ("回答済", "Answered"),
    "unanswered": ("未回答", "Not answered"),
    "licence_check": ("許可要否の確認", "Licence check"),
    "person": ("氏名", "Person"),
    "categories": ("該当する類型", "Categories"),
    "answered_by": ("回答者", "Answered by"),
    "answered_on": ("回答日", "Answered on"),
    "level": ("区分", "Level"),
    "compartments": ("区画", "Compartments"),
    "tlp": ("TLP", "TLP"),
    "tlp_owner": ("TLP 発信組織", "TLP owner"),
    "tlp_recipients": ("TLP 共有先", "TLP recipients"),
    "managed": ("利用者管理", "Users managed"),
    "readers": ("閲覧できる利用者数", "Users who may read"),
    "readers_by_role": ("役割別の人数", "By role"),
    "names_shown": ("氏名を表示", "Names shown"),
    "display_name": ("表示名", "Display name"),
    "organisation": ("組織", "Organisation"),
    "roles": ("役割", "Roles"),
    "clearance": ("資格", "Clearance"),
}


# The words of the identifiers a card holds (the web pages' message table has the same: a test holds them equal).
WORDS: dict[str, tuple[str, str]] = {
    **pairs("role", ROLES),
    **pairs("level", LEVELS),
    **pairs("state", STATES),
    **pairs("funding", FUNDING),
    "review_submit": ("審査を申請", "Submit for review"),
    "review_start": ("審査を開始", "Start review"),
    "review_approve": ("承認", "Approve"),
    "review_approve_with_changes": ("修正付き承認", "Approve with changes"),
    "review_withhold": ("公表不可", "Withhold"),
    "review_return": ("差し戻し", "Return to author"),
    "screening_status_clear": ("該当なし", "Clear"),
    "screening_status_alert": ("要確認", "Alert"),
    "screening_status_true_match": ("該当", "True match"),
    "screening_status_false_positive": ("非該当", "False positive"),
    "screening_status_escalated": ("上申中", "Escalated"),
    "screening_status_not_screened": ("未照合", "Not screened"),
    "screening_type_person": ("個人", "Person"),
    "screening_type_organisation": ("組織", "Organisation"),
    "rule_investigator": ("研究代表者の承認", "A principal investigator approves"),
    "rule_publication-clause": (
        "公表条項（プログラムマネージャーへの通知）",
        "Publication clause (programme manager notified)",
    ),
    "rule_confidential": ("秘以上の記録（責任者の承認）", "Confidential or above (security officer approves)"),
    "rule_listed": ("規制リスト該当技術（責任者の承認）", "On a control list (security officer approves)"),
}
# A fact or column whose values are identifiers → the prefix of their words.
WORD_PREFIX = {
    "state": "state",
    "from": "state",
    "to": "state",
    "funding": "funding",
    "action": "review",
    "role": "role",
    "required": "role",
    "waiting": "role",
    "roles": "role",
    "level": "level",
    "clearance": "level",
    "type": "screening_type",
    "status": "screening_status",
    "rules": "rule",
}
KIND_NAMES = {"seeds": ("シーズ", "seed"), "works": ("研究成果", "work")}
MAX_ROWS = 6  # a table's rows on the one page (the Excel workbook and JSON carry them all)
MAX_STEPS = 8  # next steps on the one page


def word(key: str, value: Any) -> Any:
    """An identifier of a fact or cell in words, Japanese / English; mappings by role (notice periods, readers)
    get their roles in words; everything else as it is."""
    prefix = WORD_PREFIX.get(key)

    def one(item: Any) -> Any:
        words = WORDS.get(f"{prefix}_{item}") if isinstance(item, str) else None
        if words is None:
            return item
        # A rule's words are a phrase: Japanese alone keeps the route's table narrow (the English is in the files).
        return words[0] if prefix == "rule" else f"{words[0]} / {words[1]}"

    if key in ("notice_ends", "notice_days", "readers_by_role") and isinstance(value, Mapping):
        return {(f"{w[0]}" if (w := WORDS.get(f"role_{k}")) else k): v for k, v in value.items()}
    if prefix is None:
        return value
    if isinstance(value, list | tuple):
        return [one(item) for item in value]
    return one(value)


def short(value: str, limit: int) -> str:
    """At most `limit` characters, an ellipsis where it was cut (the page is one page; the files carry it all)."""
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def shown_fact(key: str, value: Any) -> bool:
    """The facts worth their room on the one page: none that is empty, zero counts of the partners' statuses, the
    unblocking (it is a next step) and the bookkeeping flags."""
    if key in ("stuck", "names_shown", "suggested", "managed") or value is None or value in ("", [], {}):
        return False
    return not (key in STATUSES and value == 0)


def shown_rows(name: str, section: Section) -> list[dict[str, Any]]:
    """A section's rows on the page: the partners other than clear; a review's latest steps; the others as they
    are (cut to MAX_ROWS by the template)."""
    if name == "partners":
        return [row for row in section.rows if row.get("status") != "clear"]
    if name == "release" and section.facts.get("state") is not None:
        return section.rows[-MAX_ROWS:]
    return section.rows


def shown_columns(name: str, section: Section) -> tuple[str, ...]:
    """The columns on the page: the candidates' evidence and a step's starting state stay in the files."""
    if name == "technology":
        return tuple(c for c in section.columns if c != "evidence")
    if name == "release":
        return tuple(c for c in section.columns if c != "from")
    return section.columns


def text(value: Any) -> str:
    """A fact or cell as one line of text: lists joined, mappings as key: value, times to the minute."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {text(v)}" for k, v in value.items()) or "—"
    if isinstance(value, list | tuple):
        return "; ".join(" × ".join(map(str, v)) if isinstance(v, tuple) else text(v) for v in value) or "—"
    return str(value)


def heading(name: str) -> str:
    ja, en = NAMES.get(name, (name, name))
    return ja if ja == en else f"{ja} / {en}"


def render_html(card: RiskCard) -> str:
    return (
        environment()
        .get_template("risk_card.html.j2")
        .render(
            card=card,
            level_names=LEVEL_NAMES,
            level_colour=LEVEL_COLOURS[card.level],
            section_names=SECTION_NAMES,
            state_names=STATE_NAMES,
            finding_names=FINDING_NAMES,
            heading=heading,
            text=lambda value, key="": text(word(key, value)),
            short=short,
            shown_fact=shown_fact,
            shown_rows=shown_rows,
            shown_columns=shown_columns,
            kind_names=KIND_NAMES,
            findings_en=FINDINGS,
            max_rows=MAX_ROWS,
            max_steps=MAX_STEPS,
            version=__version__,
        )
    )


def render_pdf(card: RiskCard) -> bytes:
    """The HTML page printed by WeasyPrint (A4, the Noto CJK fonts from the system)."""
    try:
        from weasyprint import HTML  # type: ignore[import-untyped]
    except (ImportError, OSError) as error:  # OSError: the Pango libraries are missing
        raise KizashiError(
            Message(
                "PDF needs WeasyPrint and Pango (pip install weasyprint; apt libpango): {problem}", problem=str(error)
            )
        ) from None
    pdf: bytes = HTML(string=render_html(card)).write_pdf()
    return pdf


def render_xlsx(card: RiskCard) -> bytes:
    """A workbook: the card's summary, one sheet per section (its facts, then its table) and the next steps."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)

    def header(sheet: Any, names: list[str]) -> list[Any]:
        cells = []
        for name in names:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            cells.append(cell)
        return cells

    summary = book.create_sheet("card")
    summary.append(header(summary, ["field", "value"]))
    for field, value in (
        ("project", card.project_id),
        ("kind", card.kind),
        ("title", card.title),
        ("risk level", card.level),
        ("label", _label_text(card)),
        ("reasons", [f"{r.level}: {r.name} — {r.why}" for r in card.reasons]),
        ("findings", card.findings),
        ("generated", card.generated_at),
        ("generated by", card.generated_by),
    ):
        summary.append([field, _xlsx_value(summary, value)])
    for name, section in card.sections.items():
        _section_sheet(book.create_sheet(name), section, header)
    steps = book.create_sheet("missing")
    columns = ["section", "finding", "ja", "en", "command", "page"]
    steps.append(header(steps, columns))
    for step in card.missing:
        steps.append([_xlsx_value(steps, getattr(step, column)) for column in columns])
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _section_sheet(sheet: Any, section: Section, header: Any) -> None:
    sheet.append(header(sheet, ["state", section.state]))
    for name, value in section.facts.items():
        sheet.append([name, _xlsx_value(sheet, _flat(value))])
    sheet.append([])
    if section.columns:
        sheet.append(header(sheet, list(section.columns)))
        for row in section.rows:
            sheet.append([_xlsx_value(sheet, _flat(row.get(column))) for column in section.columns])


def _flat(value: Any) -> Any:
    """Cells hold text, numbers and dates: tuples (an alert's name × list × entry) are joined like text does."""
    if isinstance(value, list) and any(isinstance(v, tuple | dict) for v in value):
        return text(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones; every time here is UTC
    return value


def _label_text(card: RiskCard) -> str:
    parts = [card.label.level, *sorted(card.label.compartments)]
    return " // ".join(parts) + (f" · TLP:{card.label.tlp}" if card.label.tlp else "")


def render_json(card: RiskCard) -> bytes:
    return orjson.dumps(card.as_json(), option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS, default=str) + b"\n"


def render(card: RiskCard, fmt: str) -> bytes:
    if fmt == "html":
        return render_html(card).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(card)
    if fmt == "xlsx":
        return render_xlsx(card)
    if fmt == "json":
        return render_json(card)
    raise InputError(
        Message("unknown format '{format}'; use one of {choices}", format=fmt, choices=", ".join(FORMATS)),
        field="format",
    )
