"""Japanese for the core messages (English template → Japanese template; see kizashi.messages)."""

from __future__ import annotations

CORE: dict[str, str] = {
    # Where in an input (kizashi.errors.Location)
    "row {row}": "{row} 行目",
    "field '{field}'": "項目「{field}」",
    # Settings and secrets (settings.py, policy/secrets.py)
    "invalid setting: {problems}": "設定が正しくありません: {problems}",
    "INVALID SETTING: {problem}": "設定が正しくありません: {problem}",
    "{name} is too weak {purpose} (about {bits:.0f} bits; sequences, repeats and example words count for little): "
    "it needs {minimum} or more. Make one: {command}": (
        "{name} は{purpose}としては弱すぎます（推定 約 {bits:.0f} ビット。連続・繰り返し・例に使われる語はほとんど"
        "数えられません）。{minimum} ビット以上が必要です。作成例: {command}"
    ),
    # Permissions (policy/permissions.py): "'{user}' may not {what}" with what one of the phrases below it
    "'{user}' may not {what}: that needs one of the roles {roles}": (
        "「{user}」には{what}権限がありません（必要な役割: {roles} のいずれか）"
    ),
    "administer users, grants, trainings, passwords and tokens": (
        "利用者・クリアランス付与・研修・パスワード・トークンを管理する"
    ),
    "approve another admin's change (the two-person rule)": "他の管理者の変更を承認する（二人承認の原則）",
    "read another user's details": "他の利用者の詳細を見る",
    "see who by name may read a project": "プロジェクトを閲覧できる人を名前で確認する",
    "read or export the audit trail": "監査証跡を閲覧・エクスポートする",
    "seal the audit trail's earlier events with its key": "監査証跡の過去のイベントを鍵で封印する",
    "load records labelled above your own clearance": "自分のクリアランスを超える区分の記録を取り込む",
    "load screening lists": "スクリーニングリストを取り込む",
    "decide on screening alerts": "スクリーニングのアラートを判定する",
    "see who loaded each screening list": "各スクリーニングリストを取り込んだ人を確認する",
    "decide control-list classifications": "規制リスト該非判定を決定する",
    "record another person's deemed-export answer": "他の人のみなし輸出の回答を記録する",
    # The store (store/)
    "KIZASHI_DATABASE_URL is not a database URL: {problem}": (
        "KIZASHI_DATABASE_URL がデータベースの URL ではありません: {problem}"
    ),
    "unsupported database '{backend}'; use a SQLite file or postgresql+psycopg://": (
        "データベース「{backend}」には対応していません。SQLite のファイルか postgresql+psycopg:// を使ってください"
    ),
    "{path} exists and is not a folder": "{path} は既にあり、フォルダではありません",
    "no kizashi workspace at {path}; create one with `kizashi init --workspace {path}`": (
        "{path} に kizashi のワークスペースがありません。`kizashi init --workspace {path}` で作成してください"
    ),
    "no record '{id}' among the {kind}": "{kind} に記録「{id}」はありません",
    "a search may have at most {count} words": "検索語は {count} 語までです",
    "a search group holds 1 to {words} words and at most {alternatives} alternatives": (
        "検索語のまとまりは 1～{words} 語、言い換えは {alternatives} 個までです"
    ),
    "a search may not contain a NUL character or an empty word": "検索語に NUL 文字や空の語は使えません",
    "cannot filter {kind} on '{name}'; use {columns}": (
        "{kind} は「{name}」で絞り込めません。{columns} のいずれかを使ってください"
    ),
    "year '{value}' is not a number": "年「{value}」が数値ではありません",
    "cannot facet {kind} on '{column}'": "{kind} は「{column}」で集計できません",
    # The audit trail and its key (store/audit.py, store/audit_key.py)
    "the store is busy with an import and the audit trail could not be written; try again in a minute": (
        "取り込み処理中のため監査証跡を書き込めませんでした。1 分ほどしてからもう一度お試しください"
    ),
    "--anchor: event {seq} is before the file's first event {first}; export from it to check it": (
        "--anchor: イベント {seq} はファイルの最初のイベント {first} より前です。確認するにはそこからエクスポートしてください"
    ),
    "not an anchor: '{anchor}' (expected SEQ:HASH as `kizashi audit anchor` prints it)": (
        "アンカーではありません: 「{anchor}」（`kizashi audit anchor` が出力する SEQ:HASH の形式で指定してください）"
    ),
    "the chain is broken at event {seq} ({reason}): nothing was sealed": (
        "イベント {seq} でチェーンが壊れています（{reason}）。何も封印していません"
    ),
    "event {late} has no MAC although event {first} before it has one: written without the key, or its MAC "
    "removed. A backfill seals only the events before {first}: nothing was sealed": (
        "イベント {late} には MAC がありませんが、それより前のイベント {first} にはあります。鍵なしで書き込まれたか、"
        "MAC が削除されています。遡っての封印はイベント {first} より前のイベントだけが対象です。何も封印していません"
    ),
    "event {seq}: {reason}: nothing was sealed": "イベント {seq}: {reason}。何も封印していません",
    # Why a check of the trail failed (Verification.reason; "event {seq}: …" before most)
    "event {count} has no sequence number": "{count} 件目のイベントに通し番号がありません",
    "events are out of order": "イベントの順序が正しくありません",
    "events {first}–{last} are missing": "イベント {first}～{last} がありません",
    "does not follow the event before it (deleted, inserted or moved)": (
        "直前のイベントとつながっていません（削除・挿入・移動されています）"
    ),
    "is missing fields": "項目が欠けています",
    "its content was changed after it was written": "書き込み後に内容が変更されています",
    "has no MAC: written without the audit key, or its MAC removed (from before the key: `kizashi audit key "
    "backfill`)": (
        "MAC がありません。監査鍵なしで書き込まれたか、MAC が削除されています（鍵の導入前のものは "
        "`kizashi audit key backfill`）"
    ),
    "its MAC does not match the key: rewritten by someone without the key, or sealed with another key": (
        "MAC が鍵と一致しません。鍵を持たない者が書き換えたか、別の鍵で封印されています"
    ),
    "the anchored event is gone or different": "アンカーのイベントがないか、異なっています",
    "the file ends at event {seq}, before the anchored event: events were cut off the end": (
        "ファイルはアンカーのイベントより前のイベント {seq} で終わっています。末尾のイベントが切り取られています"
    ),
    "the anchored event is different: the file was rewritten": "アンカーのイベントが異なります。ファイルが書き換えられています",
    "set KIZASHI_AUDIT_KEY or KIZASHI_AUDIT_KEY_FILE, not both: the trail has one key": (
        "KIZASHI_AUDIT_KEY と KIZASHI_AUDIT_KEY_FILE はどちらか一方だけを設定してください（監査証跡の鍵は一つです）"
    ),
    "KIZASHI_AUDIT_KEY_FILE: there is no file {path}": "KIZASHI_AUDIT_KEY_FILE: ファイル {path} がありません",
    "cannot read the audit key file {path}: {problem}": "監査鍵ファイル {path} を読み込めません: {problem}",
    "cannot make the audit key file {path}: {problem}": "監査鍵ファイル {path} を作成できません: {problem}",
    "the audit key in {path}": "{path} の監査鍵",
    "for the audit trail": "監査証跡用",
    "the audit trail is sealed with a key this process does not have, and events written without it could never "
    "be checked: set KIZASHI_AUDIT_KEY or KIZASHI_AUDIT_KEY_FILE, or put back {path}": (
        "監査証跡はこのプロセスが持たない鍵で封印されており、鍵なしで書き込んだイベントは検証できなくなります。"
        "KIZASHI_AUDIT_KEY か KIZASHI_AUDIT_KEY_FILE を設定するか、{path} を元に戻してください"
    ),
}
