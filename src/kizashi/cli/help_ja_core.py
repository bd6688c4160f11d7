"""Japanese help texts of kizashi's commands, the root, the store, users, the server and the demo (merged into kizashi.cli.help_ja.HELP_JA)."""

TABLE: dict[str, str] = {
    # kizashi (the root and its options)
    "kizashi (兆し): know, grow and protect science and technology for safety and security.": (
        "kizashi（兆し）: 安全・安心のための科学技術を知り、育て、守ります。"
    ),
    "Print the version and exit.": "バージョンを表示して終了します。",
    (
        "Act as this user (default: KIZASHI_USER, then your operating-system login). Another user than "
        "yourself needs their credential: KIZASHI_TOKEN, or --auth-stdin."
    ): (
        "このユーザーとして操作します（既定: KIZASHI_USER、なければ OS のログイン名）。"
        "自分以外のユーザーとして操作するには、そのユーザーの資格情報（KIZASHI_TOKEN または --auth-stdin）"
        "が必要です。"
    ),
    "Read the password of the user you act as from the first line of stdin.": (
        "操作するユーザーのパスワードを標準入力の 1 行目から読みます。"
    ),
    (
        "Write CSV cells as they are. By default a cell starting with = + - @ (or a tab or carriage return) "
        "gets a leading ' so that a spreadsheet shows it as text instead of running it as a formula."
    ): (
        "CSV のセルを加工せずにそのまま書き出します。既定では、= + - @（またはタブ、復帰文字）"
        "で始まるセルの先頭に ' を付け、表計算ソフトが数式として実行せず文字列として表示するようにします。"
    ),
    (
        "The mode of the files this run writes with --out: listings, handouts, risk cards (octal, as chmod "
        "takes it); by default only their owner may read them, as they hold labelled records."
    ): (
        "この実行で --out に書き出すファイル（一覧、配布資料、リスクカード）のモード（chmod と同じ 8 進数）。"
        "既定では、ラベル付きの記録を含むため所有者だけが読めます。"
    ),
    "Install completion for the current shell.": "現在のシェルに補完をインストールします。",
    "Show completion for the current shell, to copy it or customize the installation.": (
        "現在のシェル用の補完を表示します（コピーやインストールの調整に使います）。"
    ),
    # Click's --help of every command (a literal it makes as it parses, not a gettext word)
    "Show this message and exit.": "この説明を表示して終了します。",
    # kizashi audit
    "The tamper-evident audit trail (admins and security officers).": (
        "改ざんを検知できる監査ログ（管理者と安全保障輸出管理責任者向け）。"
    ),
    ("Print the head of the chain (SEQ:HASH) to keep outside the system; `audit verify --anchor` checks it later."): (
        "チェーンの先頭（SEQ:HASH）を表示します。システムの外に保管しておけば、後で `audit verify --anchor` "
        "で確かめられます。"
    ),
    "Workspace folder. Default: $KIZASHI_WORKSPACE, then ./kizashi-workspace.": (
        "ワークスペースのフォルダー。既定: $KIZASHI_WORKSPACE、なければ ./kizashi-workspace。"
    ),
    "Write events with their hashes as JSON lines, so an outside party can re-verify them.": (
        "イベントをハッシュとともに JSON Lines で書き出し、外部の第三者が検証し直せるようにします。"
    ),
    "First event (seq).": "最初のイベント（seq）。",
    "Last event (seq).": "最後のイベント（seq）。",
    "Write to FILE instead of the terminal.": "端末ではなく FILE に書き出します。",
    "The audit key, which MACs every event (docs/security.md).": (
        "すべてのイベントに MAC を付ける監査鍵（docs/security.md）。"
    ),
    (
        "Seal the events written before the workspace had its audit key with their MACs, once. It proves "
        "only that\nthey are not changed after now; refused when the chain is broken or a later event lacks "
        "its MAC."
    ): (
        "ワークスペースに監査鍵ができる前に書かれたイベントに、MAC を一度だけ付けて封印します。"
        "証明できるのは、封印の後に変更されていないことだけです。チェーンが壊れているとき、"
        "またはそれより後のイベントに MAC がないときは拒否します。"
    ),
    "Check the hash chain (and with --key every event's MAC); exit code 1 naming the first broken event.": (
        "ハッシュチェーンを検証し（--key を付けると各イベントの MAC も）、"
        "壊れた最初のイベントを示して終了コード 1 で終わります。"
    ),
    "An anchor SEQ:HASH kept earlier: check that event is still in the chain (or in the --file).": (
        "以前に控えたアンカー SEQ:HASH。そのイベントがまだチェーン（または --file）にあるかを確かめます。"
    ),
    "Verify an exported range (JSONL) instead of the store.": "ストアではなく、書き出した範囲（JSONL）を検証します。",
    (
        "Also check every event's MAC under the audit key (KIZASHI_AUDIT_KEY, KIZASHI_AUDIT_KEY_FILE, or the "
        "workspace's audit.key; with --file, --workspace names that workspace): catches a rewrite of the "
        "whole trail with recomputed hashes."
    ): (
        "各イベントの MAC も監査鍵（KIZASHI_AUDIT_KEY、KIZASHI_AUDIT_KEY_FILE、またはワークスペースの "
        "audit.key。--file のときは --workspace でそのワークスペースを指定）で検証します。"
        "ハッシュを計算し直して監査ログ全体を書き換えた改ざんも見つけます。"
    ),
    # kizashi corpus
    "The Parquet corpus of works (for DuckDB and Spark).": (
        "論文・プロジェクトの Parquet コーパス（DuckDB と Spark 用）。"
    ),
    "Rebuild Parquet parts that an interrupted import left unwritten.": (
        "中断した取り込みで書かれずに残った Parquet のパートを作り直します。"
    ),
    # kizashi demo
    (
        "Build a workspace from the bundled real data (CORDIS security projects, topics, Japanese needs,\n"
        "taxonomy, threats), write a report and print a summary."
    ): (
        "同梱の実データ（CORDIS の安全保障プロジェクト、トピック、日本のニーズ、分類体系、脅威）"
        "からワークスペースを作り、レポートを書き出して概要を表示します。"
    ),
    # kizashi ingest
    "Load records of one KIND from FILES in one transaction: all of them, or (on any error) none.": (
        "FILES から KIND の記録を一つのトランザクションで取り込みます。すべて取り込むか、"
        "エラーが一つでもあれば何も取り込みません。"
    ),
    "What the files hold: needs, seeds, works, threats, technologies.": (
        "ファイルの内容: needs、seeds、works、threats、technologies。"
    ),
    "Files to load (CSV, XLSX, JSON, JSONL, YAML; .gz too).": (
        "取り込むファイル（CSV、XLSX、JSON、JSONL、YAML。.gz も可）。"
    ),
    "Set invalid rows aside (listed, exit code 1) instead of failing.": (
        "不正な行があっても失敗せず、その行を除いて取り込みます（除いた行を示し、終了コード 1）。"
    ),
    "Report as table or json.": "結果の形式: table または json。",
    # kizashi init
    (
        "Create a workspace (a folder with the record store and the corpus), or upgrade an existing one; the "
        "first to\ncreate it is recorded as its owner, who operates it until it has users."
    ): (
        "ワークスペース（記録ストアとコーパスを収めるフォルダー）を作成するか、既存のものを更新します。"
        "最初に作成した人が所有者として記録され、ユーザーができるまで運用します。"
    ),
    # kizashi list
    "List the records of one KIND: a table of the main columns on the terminal, every column in a file.": (
        "KIND の記録を一覧表示します。端末には主な列の表を、ファイルにはすべての列を出力します。"
    ),
    "One of needs, seeds, works, threats, technologies.": "needs、seeds、works、threats、technologies のいずれか。",
    "At most this many records.": "記録の最大数。",
    (
        "The table shows every column, not only the main ones (files always hold every column, bookkeeping "
        "hashes aside)."
    ): (
        "主な列だけでなく、すべての列を表に表示します（ファイルには、管理用のハッシュを除き常にすべての列を書きます）。"
    ),
    # kizashi serve
    "Start the web app and the JSON API (log in with a password set by `user add --password-stdin`).": (
        "ウェブアプリと JSON API を起動します（`user add --password-stdin` で設定したパスワードでログインします）。"
    ),
    "Address to listen on; beyond loopback means server mode.": (
        "待ち受けるアドレス。ループバック以外ならサーバーモードになります。"
    ),
    "Port to listen on.": "待ち受けるポート。",
    "Server mode on any address: a strong KIZASHI_SECRET_KEY and Secure cookies.": (
        "どのアドレスでも使えるサーバーモード: 強い KIZASHI_SECRET_KEY と Secure 属性の Cookie を使います。"
    ),
    (
        "Proxies whose X-Forwarded-For names the client (comma list, or *): login limits count per client, "
        "not per proxy."
    ): (
        "X-Forwarded-For でクライアントを示すプロキシ（カンマ区切り、または *）。"
        "ログインの制限をプロキシごとではなくクライアントごとに数えます。"
    ),
    (
        "Where the access log goes: one line per request (time, method, path without its query, status, "
        "milliseconds, user); '-' is standard error, 'off' none."
    ): (
        "アクセスログの出力先。1 リクエスト 1 行（時刻、メソッド、クエリを除いたパス、ステータス、ミリ秒、"
        "ユーザー）。'-' は標準エラー出力、'off' は出力しません。"
    ),
    # kizashi status
    "Record counts by kind (of the records you may read).": "種類ごとの記録数（閲覧できる記録のみ）。",
    # kizashi user
    "Users, clearance grants and training records (admins only).": "ユーザー、資格の付与、研修の記録（管理者のみ）。",
    (
        "Add a user (the first user of a workspace is its owner, as an admin), optionally with a first "
        "clearance\ngrant. A new admin is held for a second admin's approval."
    ): (
        "ユーザーを追加します（ワークスペースの最初のユーザーは所有者となり、管理者になります）。"
        "最初の資格の付与も同時に行えます。新しい管理者の追加は、別の管理者の承認まで保留されます。"
    ),
    "Login name.": "ログイン名。",
    (
        "Role (repeatable; default analyst): analyst, principal_investigator, programme_manager, "
        "security_officer, admin. `kizashi user roles` says what each may do."
    ): (
        "ロール（繰り返し指定可。既定: analyst）: analyst、principal_investigator、programme_manager、"
        "security_officer、admin。各ロールでできることは `kizashi user roles` で確かめられます。"
    ),
    "Also grant this level now.": "この区分の資格も今付与します。",
    "A need-to-know compartment (repeatable).": "ニード・トゥ・ノウの区画（繰り返し指定可）。",
    "The user's organisation.": "ユーザーの所属組織。",
    "Expiry of the grant (YYYY-MM-DD).": "付与の有効期限（YYYY-MM-DD）。",
    "Read a web password from the first line of standard input.": "ウェブのパスワードを標準入力の 1 行目から読みます。",
    "Carry out a change another admin proposed, as its second admin.": (
        "別の管理者が提案した変更を、二人目の管理者として実行します。"
    ),
    "The change (see `user changes`).": "変更（`user changes` を参照）。",
    "The changes to users held for a second admin (the two-person rule).": (
        "二人目の管理者を待って保留されているユーザーの変更（二人ルール）。"
    ),
    "Every change, not only the pending ones.": "保留中のものだけでなく、すべての変更。",
    (
        "Grant a clearance (a level and compartments), audited; to yourself, or above what you hold, it "
        "waits for a\nsecond admin."
    ): (
        "資格（区分と区画）を付与し、監査ログに記録します。自分自身への付与や自分の資格を超える付与は、"
        "二人目の管理者を待ちます。"
    ),
    "PUBLIC, INTERNAL, CONFIDENTIAL or SECRET.": "PUBLIC、INTERNAL、CONFIDENTIAL、SECRET のいずれか。",
    "Expiry (YYYY-MM-DD).": "有効期限（YYYY-MM-DD）。",
    "Why (kept in the audit trail).": "理由（監査ログに残ります）。",
    "Set a user's web password from the first line of standard input (admins, or the user themself).": (
        "ユーザーのウェブのパスワードを標準入力の 1 行目から設定します（管理者、またはそのユーザー本人）。"
    ),
    "Reject a held change (another admin, or its proposer withdrawing it).": (
        "保留中の変更を却下します（別の管理者、または提案者が取り下げるとき）。"
    ),
    "Renew a grant: the same level and compartments with a new expiry (the old grant is closed), audited.": (
        "付与を更新します: 同じ区分と区画で新しい有効期限にします（古い付与は終了します）。監査ログに記録します。"
    ),
    "The grant to renew (see `user show`).": "更新する付与（`user show` を参照）。",
    "New expiry (YYYY-MM-DD); none: no expiry.": "新しい有効期限（YYYY-MM-DD）。指定しなければ期限なし。",
    "Revoke a grant (or all of a user's grants), audited.": (
        "付与（またはユーザーのすべての付与）を取り消し、監査ログに記録します。"
    ),
    "One grant; default: every grant.": "一つの付与。既定: すべての付与。",
    (
        "The roles a user may hold, their names in Japanese and English, and what each lets its holder do; "
        "reading is\ndecided by clearance and labels, not by roles. Needs no workspace."
    ): (
        "ユーザーがもてるロールと、その日本語・英語の名前、それぞれでできること。"
        "閲覧できるかどうかはロールではなく資格とラベルで決まります。ワークスペースは不要です。"
    ),
    "The clearance a user holds today, and why (your own; anyone's for admins); audited.": (
        "ユーザーが現在もつ資格とその理由（自分のもの。管理者は誰のものでも）。監査ログに記録します。"
    ),
    "Personal tokens: a user's credential for the command line and API scripts.": (
        "個人トークン: コマンドラインと API スクリプトで使うユーザーの資格情報。"
    ),
    ("Create a personal token for a user (admins; for another admin only that admin): printed once, on stdout."): (
        "ユーザーの個人トークンを作成します（管理者。別の管理者のトークンはその本人だけ）。"
        "標準出力に一度だけ表示します。"
    ),
    "Whose token.": "トークンの持ち主。",
    "What it is for (shown in `user token list`).": "用途（`user token list` に表示されます）。",
    "A user's personal tokens (never the tokens themselves).": (
        "ユーザーの個人トークンの一覧（トークンそのものは表示しません）。"
    ),
    "Whose tokens (default: yours).": "トークンの持ち主（既定: 自分）。",
    "Revoke a personal token (admins any, users their own).": (
        "個人トークンを取り消します（管理者は誰のものでも、ユーザーは自分のものを）。"
    ),
    "The token's id (see `user token list`).": "トークンの ID（`user token list` を参照）。",
    "Record a completed training course, a prerequisite of CONFIDENTIAL and SECRET.": (
        "修了した研修を記録します（CONFIDENTIAL と SECRET の前提条件）。"
    ),
    "e.g. security-basics, secret-handling.": "例: security-basics、secret-handling。",
    "Completion date (YYYY-MM-DD).": "修了日（YYYY-MM-DD）。",
    (
        "Clear a user name's failed logins and counted refusals, so that it may log in again at once from "
        "any\naddress (admins); audited."
    ): (
        "ユーザー名のログイン失敗と数えられた拒否をリセットし、"
        "どのアドレスからもすぐにログインできるようにします（管理者）。監査ログに記録します。"
    ),
}
