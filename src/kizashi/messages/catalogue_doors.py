"""Japanese for the messages of the doors and reports: cli, web, report (English template → Japanese template; see
kizashi.messages)."""

from __future__ import annotations

DOORS: dict[str, str] = {
    # Command-line options (cli/)
    "unknown format '{format}'; use one of {choices}": "形式「{format}」は不明です。{choices} のいずれかを使ってください",
    "unknown format '{format}'; use {choices}": "形式「{format}」は不明です。{choices} のいずれかを使ってください",
    "unknown format '{format}'; use jsonl, csv or xlsx": (
        "形式「{format}」は不明です。jsonl、csv、xlsx のいずれかを使ってください"
    ),
    "unknown format '{format}'; use table or json": "形式「{format}」は不明です。table か json を使ってください",
    "--out writes a file: give --format {formats}": "--out はファイルに書き出します。--format {formats} を指定してください",
    "--mode {mode!r}: give an octal mode such as 600 or 640 (the owner reads and writes)": (
        "--mode {mode!r}: 600 や 640 のような 8 進数のモードを指定してください（所有者が読み書きできること）"
    ),
    "--format html needs --out FILE": "--format html には --out FILE が必要です",
    "--format {format} needs --out FILE": "--format {format} には --out FILE が必要です",
    "give both --needs and --seeds, or neither (to match the workspace's)": (
        "--needs と --seeds は両方指定するか、どちらも指定しないでください（ワークスペースのものを照合します）"
    ),
    "--save stores a run of the workspace's needs and seeds: leave out --needs and --seeds": (
        "--save はワークスペースのニーズとシーズの照合を保存します。--needs と --seeds は指定しないでください"
    ),
    "unknown kind '{kind}'; use one of {choices}": "種類「{kind}」は不明です。{choices} のいずれかを使ってください",
    "give either --none or the categories that apply (--non-resident, --foreign-contract, "
    "--foreign-income, --foreign-instructions)": (
        "--none か、該当する類型（--non-resident、--foreign-contract、--foreign-income、--foreign-instructions）の"
        "どちらかを指定してください"
    ),
    "say the format of '{file}' with --format ({choices})": (
        "「{file}」の形式を --format で指定してください（{choices}）"
    ),
    "say where to write the tables and reports: --out DIR": "表と報告書の書き出し先を指定してください: --out DIR",
    "--lang {lang!r}: use ja or en": "--lang {lang!r}: ja か en を指定してください",
    "--as-of {date!r}: give a date as YYYY-MM-DD": "--as-of {date!r}: 日付は YYYY-MM-DD で指定してください",
    "no password on standard input": "標準入力にパスワードがありません",
    "--auth-stdin: no password on standard input": "--auth-stdin: 標準入力にパスワードがありません",
    "when was it completed?": "修了日を指定してください",
    "--workspace does not apply with --file: an exported range is verified on its own": (
        "--file と --workspace は併用できません。書き出した範囲はそれ単独で検証します"
    ),
    # Reports (report/)
    "PDF needs WeasyPrint and Pango (pip install weasyprint; apt libpango): {problem}": (
        "PDF の作成には WeasyPrint と Pango が必要です（pip install weasyprint、apt libpango）: {problem}"
    ),
    "unknown language '{lang}'; use one of {choices}": "言語「{lang}」は不明です。{choices} のいずれかを使ってください",
    # The web app and its API (web/)
    "log in first": "ログインしてください",
    "the store is busy with an import; try again in a minute": (
        "取り込み処理中のため処理できません。1 分ほどしてからもう一度お試しください"
    ),
    "unknown query parameter(s) {unknown}; this operation takes: {offered}": (
        "不明なクエリパラメータ {unknown} があります。この操作で使えるもの: {offered}"
    ),
    "KIZASHI_SECRET_KEY is not set; a server needs a random one: {command}": (
        "KIZASHI_SECRET_KEY が設定されていません。サーバーにはランダムな値が必要です: {command}"
    ),
    "no such page": "ページが見つかりません",
    "something went wrong on our side; it has been logged": "システム側で問題が発生しました。記録済みです",
    "tick the categories that apply, or 'none of them' alone": (
        "該当する類型に印を付けるか、「いずれにも該当しない」だけに印を付けてください"
    ),
    "no public landscape has been published": "公開された技術動向はありません",
    # The command line's own lines (cli/common.py tell and warn) and its table headings (cli/common.py HEADINGS)
    "error: ": "エラー: ",
    "warning: ": "警告: ",
    "no {kind} in {files} has a description (the column is missing or empty): matching will use titles only": (
        "{files} の{kind}には説明がありません（列がないか、すべて空です）。照合は件名だけで行います"
    ),
    "interrupted; the unfinished step wrote nothing": "中断しました。途中の処理は何も書き込んでいません",
    "workspace ready at {path} ({backend}), owner {owner}": (
        "ワークスペースを {path} に用意しました（{backend}）。所有者: {owner}"
    ),
    "corpus in sync; rebuilt {count} part(s)": "コーパスは最新です。{count} 個のパートを作り直しました",
    "{kind}: {added} added, {updated} updated, {unchanged} unchanged, {rejected} rejected (import {number})": (
        "{kind}: 追加 {added} 件、更新 {updated} 件、変更なし {unchanged} 件、除外 {rejected} 件（取り込み {number}）"
    ),
    "  rejected {location}: {reason}": "  除外 {location}: {reason}",
    "  … and {count} more (use --format json for all)": "  … ほか {count} 件（すべては --format json で表示）",
    "workspace: {path} ({backend})": "ワークスペース: {path}（{backend}）",
    "report: {path}": "報告書: {path}",
    "match run {run}: {count} proposals saved": "照合 {run}: 候補 {count} 件を保存しました",
    "judgement {number}: {decision} {need} → {seed}": "判定 {number}: {decision} {need} → {seed}",
    "title": "件名",
    "lang": "言語",
    "organization": "組織",
    "country": "国",
    "countries": "国",
    "threat": "対応する脅威",
    "deadline": "期限",
    "level": "区分",
    "label": "区分",
    "source": "出典",
    "year": "年",
    "cited_by_count": "被引用数",
    "category": "分類",
    "name_ja": "名称（日本語）",
    "name_en": "名称（英語）",
    "likelihood": "発生可能性",
    "impact": "影響度",
    "horizon": "時間軸",
    "parent": "上位",
    "created_at": "作成日時",
    "user": "利用者",
    "needs": "ニーズ",
    "seeds": "シーズ",
    "works": "論文・プロジェクト",
    "threats": "脅威",
    "technologies": "技術",
    "proposals": "候補",
    "settings": "設定",
    "need_id": "ニーズ ID",
    "seed_id": "シーズ ID",
    "decision": "判定",
    "comment": "コメント",
    "at": "日時",
    "name": "名称",
    "kind": "種類",
    "score": "スコア",
    "screening": "スクリーニング",
    "records": "記録",
    "{path} is readable by others than its owner (mode {mode:o}); it holds labelled records: chmod {private} {path}": (
        "{path} は所有者以外も読めます（モード {mode:o}）。区分付きの記録を含むため、chmod {private} {path} としてください"
    ),
    "audit trail": "監査証跡",
    "{where}: intact, {events:,} events, head {head}": "{where}: 改ざんなし、{events:,} 件、先頭 {head}",
    "{where}: intact, {events:,} events, every MAC matches the key, head {head}": (
        "{where}: 改ざんなし、{events:,} 件、すべての MAC が鍵と一致、先頭 {head}"
    ),
    "{where}: broken at event {event}: {reason}": "{where}: イベント {event} で連鎖が切れています: {reason}",
    "nothing to seal: every event carries its MAC": "封印するものはありません。すべてのイベントに MAC があります",
    "sealed events {first}–{last} with the audit key: `audit verify --key` now checks them as they are now": (
        "イベント {first}–{last} を監査鍵で封印しました。今後は `audit verify --key` で現在の内容のまま検証されます"
    ),
    "{record}: {start} → {end}; to approve: {roles}": "{record}: {start} → {end}。承認できる役割: {roles}",
    "{record}: {start} → {end} as {role}": "{record}: {start} → {end}（{role} として）",
    "{record}: {start} → {end} as {role} (approval noted; others pending)": (
        "{record}: {start} → {end}（{role} として。承認を記録しました。ほかの承認待ち）"
    ),
    "review {review}: {state} · {funding}{clause} · to approve: {required} · waiting: {waiting}": (
        "審査 {review}: {state} · {funding}{clause} · 承認する役割: {required} · 承認待ち: {waiting}"
    ),
    " (publication clause)": "（公表条項あり）",
    "{record}: never submitted for release review": "{record}: 公開審査に出されたことはありません",
    "none of the categories": "いずれの類型にも該当しない",
    "answer {number}: {person} on {project}: {summary}": "回答 {number}: {project} の {person}: {summary}",
    "deemed export · {project} · {level}": "みなし輸出 · {project} · {level}",
    "answered {answered}, not answered {unanswered}, licence check {licence_check}": (
        "回答済み {answered}、未回答 {unanswered}、許可の確認が必要 {licence_check}"
    ),
    "release review queue": "公開審査の待ち一覧",
    "risk card of {project} ({level}) written to {path}": "{project} のリスクカード（{level}）を {path} に書き出しました",
    "scan {scan}: {works:,} works, {technologies} technologies, {fronts} fronts ({engine}); label {label}": (
        "分析 {scan}: 論文・プロジェクト {works:,} 件、技術 {technologies} 件、研究前線 {fronts} 件（{engine}）。"
        "区分 {label}"
    ),
    "{name_ja} / {name_en} ({technology}): {total:,} works": "{name_ja} / {name_en}（{technology}）: 論文・プロジェクト {total:,} 件",
    "unchanged, already the newest version": "変更なし（すでに最新版です）",
    "{count:,} entries": "{count:,} 件",
    "{title} version {version} ({source}, {date}, sha256 {sha256}…): {what}": (
        "{title} 版 {version}（{source}、{date}、sha256 {sha256}…）: {what}"
    ),
    "no date stated": "日付の記載なし",
    "decision {number}: {name} × {list} {entry}: {decision}": "判断 {number}: {name} × {list} {entry}: {decision}",
    "decision {number}: {item} {decision}{where}": "判断 {number}: {item} {decision}{where}",
    "kizashi on http://{host}:{port}/ (server mode; Ctrl+C stops)": (
        "kizashi を http://{host}:{port}/ で起動しました（サーバーモード。Ctrl+C で停止）"
    ),
    "kizashi on http://{host}:{port}/ (local mode; Ctrl+C stops)": (
        "kizashi を http://{host}:{port}/ で起動しました（ローカルモード。Ctrl+C で停止）"
    ),
    "user {name} added": "利用者 {name} を追加しました",
    "password set for {name}": "{name} のパスワードを設定しました",
    "grant {grant} for {name}": "{name} に付与 {grant} を与えました",
    "revoked grant(s) {grants} of {name}": "{name} の付与 {grants} を取り消しました",
    "grant {old} of {name} renewed as grant {grant}": "{name} の付与 {old} を付与 {grant} として更新しました",
    "{name}: {level}, compartments: {compartments}, roles: {roles}, grants counted: {grants}": (
        "{name}: {level}、区画: {compartments}、役割: {roles}、有効な付与: {grants}"
    ),
    "{name}: inactive": "{name}: 無効",
    "{name} unlocked: {failures} failed login(s) and {refused} refused attempt(s) not yet in the audit trail cleared": (
        "{name} のロックを解除しました。ログイン失敗 {failures} 回と、監査証跡に未記録の拒否 {refused} 回を消去しました"
    ),
    "change {change} approved and carried out": "変更 {change} を承認し、実施しました",
    "change {change} rejected": "変更 {change} を却下しました",
    "token {token} for {name}: keep it like a password (KIZASHI_TOKEN)": (
        "{name} のトークン {token}: パスワードと同様に保管してください（KIZASHI_TOKEN）"
    ),
    "token {token} revoked": "トークン {token} を取り消しました",
    "held for a second admin (the two-person rule): change {change}; another admin approves it "
    "with `kizashi user approve {change}`": (
        "2 人目の管理者の承認待ちです（二人制の原則）: 変更 {change}。別の管理者が "
        "`kizashi user approve {change}` で承認します"
    ),
    "training '{course}' recorded for {name}": "{name} の研修「{course}」を記録しました",
    # kizashi demo
    "  {kind} {files}: {added} added, {updated} updated, {unchanged} unchanged": (
        "  {kind} {files}: 追加 {added} 件、更新 {updated} 件、変更なし {unchanged} 件"
    ),
    "{needs} Japanese needs matched to {seeds} projects (top 5 each, with evidence)": (
        "日本語のニーズ {needs} 件を {seeds} 件のプロジェクトと照合（各上位 5 件、根拠つき）"
    ),
    "{parties} partner organisations screened against Japan's export-ban designations (third countries, "
    "Belarus): {alerts} with an alert": (
        "共同研究先 {parties} 機関を日本の輸出禁止措置の対象（第三国・ベラルーシ関係）と照合: 警告 {alerts} 件"
    ),
    "risk card of project {id}: {level}, {missing} step(s) missing": (
        "プロジェクト {id} のリスクカード: 総合リスク {level}、不足 {missing} 件"
    ),
    "landscape of {works} projects: {technologies} technologies ({emerging} emerging), {fronts} research "
    "fronts, critical technologies ranked": (
        "{works} 件のプロジェクトの研究開発動向: 技術 {technologies} 件（新興 {emerging} 件）、研究フロント "
        "{fronts} 件、重要技術の順位づけ"
    ),
    # Web forms and the screening API (web/)
    "ids must be unique within one request": "1 回のリクエストの中で id は重複できません",
    "a user needs a name": "ユーザー名を入力してください",
    "which grant?": "付与を指定してください",
    "choose a file of names (CSV, XLSX or JSON lines with id, name)": (
        "名前のファイル（id と name を含む CSV、XLSX または JSON lines）を選んでください"
    ),
    "give a {suffixes} file": "{suffixes} のファイルを指定してください",
    "unknown format '{format}'; use xlsx or csv": "形式「{format}」は不明です。xlsx か csv を使ってください",
    "screen names first, then download their results": "先に名前を照合してから、結果をダウンロードしてください",
    "give each name (at most 1,000 characters)": "名前をそれぞれ入力してください（1,000 文字以内）",
    "choose a list file": "リストのファイルを選んでください",
    "give one list file, or the {count} files of an OFAC list together": (
        "リストのファイルを 1 つ、または OFAC のリストの {count} ファイルをまとめて指定してください"
    ),
    "the file": "ファイルのサイズ",
    "the request (beyond {room} for the form's other fields)": "リクエスト（フォームのほかの項目に使える {room} を除く）",
    # Usage errors of the command line, in the words of Typer and pydantic (cli/usage.py reads their English back)
    "Usage: {usage}": "使い方: {usage}",
    "Try '{command} {option}' for help.": "説明は '{command} {option}' で表示できます。",
    "Error": "エラー",
    "Aborted.": "中断しました。",
    "Missing argument {name}. Choose from:\n\t{choices}": "引数 {name} がありません。次から選んでください:\n\t{choices}",
    "Missing option {name}. Choose from:\n\t{choices}": (
        "オプション {name} がありません。次から選んでください:\n\t{choices}"
    ),
    "Missing argument {name}.": "引数 {name} を指定してください。",
    "Missing option {name}.": "オプション {name} を指定してください。",
    "Missing parameter {name}.": "パラメーター {name} を指定してください。",
    "Missing command.": "コマンドを指定してください。",
    "No such option: {name} (Possible options: {choices})": "オプション {name} はありません（近いもの: {choices}）",
    "No such option: {name}": "オプション {name} はありません",
    "No such command {name}. Did you mean {choices}?": "コマンド {name} はありません。{choices} のことですか？",
    "No such command {name}.": "コマンド {name} はありません。",
    "Got unexpected extra argument(s) ({args})": "余分な引数があります（{args}）",
    "Option {name} requires an argument.": "オプション {name} には値が必要です。",
    "Option {name} requires {count} arguments.": "オプション {name} には値が {count} 個必要です。",
    "Option {name} does not take a value.": "オプション {name} は値をとりません。",
    "Argument {name} takes {count} values.": "引数 {name} は値を {count} 個とります。",
    "Invalid value for {name}: {reason}": "{name} の値が正しくありません: {reason}",
    "Invalid value: {reason}": "値が正しくありません: {reason}",
    "Input should be a valid integer, unable to parse string as an integer": "整数を指定してください",
    "Input should be a valid integer, got a number with a fractional part": "小数ではなく整数を指定してください",
    "Input should be a valid number, unable to parse string as a number": "数値を指定してください",
    "Input should be a valid boolean, unable to interpret input": "真偽値（true か false）を指定してください",
    "Input should be greater than or equal to {limit}": "{limit} 以上の値を指定してください",
    "Input should be less than or equal to {limit}": "{limit} 以下の値を指定してください",
    "Input should be greater than {limit}": "{limit} より大きい値を指定してください",
    "Input should be less than {limit}": "{limit} より小さい値を指定してください",
    "Input should be {choices}": "{choices} のいずれかを指定してください",
}
