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
from kizashi.protect.risk_card import RiskCard, Section
from kizashi.report.templating import environment

FORMATS = ("html", "pdf", "xlsx", "json")
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}

LEVEL_NAMES = {"low": ("低", "Low"), "medium": ("中", "Medium"), "high": ("高", "High"), "blocked": ("停止", "Blocked")}
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
            text=text,
            version=__version__,
        )
    )


def render_pdf(card: RiskCard) -> bytes:
    """The HTML page printed by WeasyPrint (A4, the Noto CJK fonts from the system)."""
    try:
        from weasyprint import HTML  # type: ignore[import-untyped]
    except (ImportError, OSError) as error:  # OSError: the Pango libraries are missing
        raise KizashiError(f"PDF needs WeasyPrint and Pango (pip install weasyprint; apt libpango): {error}") from None
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
    if isinstance(value, list) and any(isinstance(v, tuple) for v in value):
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
    raise InputError(f"unknown format '{fmt}'; use one of {', '.join(FORMATS)}", field="format")
