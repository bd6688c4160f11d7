"""The message table's words for the screening pages (key → Japanese, English), merged into web.i18n.MESSAGES."""

from __future__ import annotations

SCREENING_MESSAGES: dict[str, tuple[str, str]] = {
    # The lists page (every version; loading a list for officers).
    "screening_versions": ("リストと版", "Lists and versions"),
    "screening_versions_note": (
        "登録されたすべてのリストの全版です。照合には各リストの最新版を使います。",
        "Every version of every list loaded in this workspace; screening uses the newest version of each.",
    ),
    "screening_versions_link": ("リストと版の一覧・リストの登録", "Lists and versions, loading a list"),
    "screening_latest": ("最新版", "Newest"),
    "screening_older": ("旧版", "Older"),
    "screening_file": ("ファイル", "File"),
    "screening_load": ("リストを登録", "Load a list"),
    "screening_load_file": ("リストのファイル", "List file"),
    # File and column names are written as the files have them, in <code> (templates/screening_lists.html.j2).
    "screening_load_hint": (
        "国連統合制裁リスト（XML）、経済産業省 外国ユーザーリスト、FollowTheMoney（JSON Lines）、または汎用CSV。",
        "The UN consolidated list (XML), METI's End User List, FollowTheMoney (JSON lines) or the generic CSV.",
    ),
    "screening_load_ofac": (
        "米国 OFAC のリストは 3 ファイルをまとめて選んでください:",
        "OFAC's list: choose its three files together:",
    ),
    "screening_load_meti": ("経済産業省のファイル:", "METI's file:"),
    "screening_load_columns": ("汎用CSVの列:", "The generic CSV's columns:"),
    "screening_load_name": ("ワークスペースでのリスト名（任意）", "List name in the workspace (optional)"),
    "screening_load_date": (
        "公表日（ファイルに記載がない場合）",
        "Publication date (when the file states none)",
    ),
    "screening_load_button": ("登録する", "Load"),
    "screening_loaded_note": ("リストを登録しました。", "The list is loaded."),
    "screening_unchanged_note": (
        "このファイルはすでに最新版として登録されています。何も変更していません。",
        "This file is already the newest version of its list: nothing was changed.",
    ),
    "screening_load_officers": (
        "リストの登録は管理者と安全保障輸出管理責任者が行います。",
        "Lists are loaded by admins and security officers.",
    ),
    "screening_back": ("取引先スクリーニングへ戻る", "Back to partner screening"),
    # Downloading results.
    "screening_download": ("結果をダウンロード", "Download the results"),
    "screening_download_xlsx": ("Excel（xlsx）", "Excel (xlsx)"),
    "screening_download_csv": ("CSV", "CSV"),
    "screening_download_note": (
        "同じ名称を最新のリストで照合し直し、すべての列をファイルに書き出します（監査記録に残ります）。",
        "The same names are screened again against the newest lists and every column is written (recorded in the "
        "audit trail).",
    ),
    # Intake confirmation (records' detail page after saving a form).
    "record_saved": ("登録しました。登録した記録を表示しています。", "Saved. This is the record you entered."),
}
