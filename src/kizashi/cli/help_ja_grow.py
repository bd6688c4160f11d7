"""Japanese help texts of kizashi's commands, grow: goals, projects, gates, TRL, barriers, roadmaps, portfolios (merged into kizashi.cli.help_ja.HELP_JA)."""

TABLE: dict[str, str] = {
    # kizashi barrier
    "The barriers register: what keeps a technology from being used.": "障壁の登録簿: 技術の活用を妨げているもの。",
    "Add an open barrier to the register.": "未解消の障壁を登録簿に追加します。",
    "What the barrier is.": "障壁の内容。",
    "One of procurement, standards, regulation, export_control, supply_chain, talent.": (
        "procurement、standards、regulation、export_control、supply_chain、talent のいずれか。"
    ),
    "Who is to remove it.": "障壁を取り除く担当者。",
    "A roadmap item it blocks (T1, or ROADMAP/T1); repeat for more.": (
        "障壁が妨げているロードマップ項目（T1 または ROADMAP/T1）。複数あれば繰り返し指定します。"
    ),
    "The action planned to remove it.": "障壁を取り除くために予定している対策。",
    "Its id (default: one is made).": "ID（既定: 自動で付けます）。",
    "Level: PUBLIC, INTERNAL, CONFIDENTIAL or SECRET (default: INTERNAL, or yours if lower).": (
        "区分: PUBLIC、INTERNAL、CONFIDENTIAL、SECRET（既定: INTERNAL。自分の区分がそれより低ければ自分の区分）。"
    ),
    "A compartment (need-to-know group); repeat for more.": (
        "区画（ニード・トゥ・ノウのグループ）。複数あれば繰り返し指定します。"
    ),
    "Export the barriers you may read to a CSV or XLSX file.": (
        "閲覧できる障壁を CSV または XLSX ファイルに書き出します。"
    ),
    "The file to write.": "書き出すファイル。",
    "csv or xlsx.": "csv または xlsx。",
    "open or removed.": "open または removed。",
    "The barriers you may read.": "閲覧できる障壁。",
    "Output format: table, json, jsonl, csv, xlsx.": "出力形式: table、json、jsonl、csv、xlsx。",
    "Show every cell of the table in full, wider than the terminal if need be (files always are).": (
        "表のすべてのセルを省略せずに表示します。必要なら端末の幅を超えます（ファイルには常に全体を書きます）。"
    ),
    "Mark a barrier removed, naming the action that removed it.": "障壁を解消済みにし、解消した対策を記録します。",
    "The barrier.": "障壁。",
    "The action that removed it.": "障壁を解消した対策。",
    # kizashi gate
    "Stage-gate decisions on projects (go, kill, hold, recycle).": (
        "プロジェクトのステージゲート判定（go、kill、hold、recycle）。"
    ),
    "Record a gate decision: go needs every must-meet criterion met and neither rating c.": (
        "ゲート判定を記録します。go には、必須基準がすべて満たされ、どちらの評価も c でないことが必要です。"
    ),
    "The project.": "プロジェクト。",
    "One of go, kill, hold, recycle.": "go、kill、hold、recycle のいずれか。",
    'Rating a, b or c: "target achieved".': "評価 a、b、c:「目標の達成度」。",
    'Rating a, b or c: "outlook for the final target".': "評価 a、b、c:「最終目標の見通し」。",
    "Why (kept with the decision and in the audit trail).": "理由（判定とともに、また監査ログに残ります）。",
    "A reviewer; repeat for more.": "レビュアー。複数あれば繰り返し指定します。",
    "The gate's name (default: gate N).": "ゲートの名前（既定: gate N）。",
    "A must-meet criterion met; repeat.": "満たした必須基準。繰り返し指定します。",
    "A must-meet criterion not met; repeat.": "満たしていない必須基準。繰り返し指定します。",
    "A should-meet criterion met; repeat.": "満たした推奨基準。繰り返し指定します。",
    "A should-meet criterion not met; repeat.": "満たしていない推奨基準。繰り返し指定します。",
    "A project's gate decisions, oldest first.": "プロジェクトのゲート判定（古い順）。",
    # kizashi goal
    "Goals set against threats, with their Heilmeier proposals.": (
        "脅威に対して設定する目標と、そのハイルマイヤー型提案。"
    ),
    "Add a goal from options, or goals with their proposals from --file.": (
        "オプションから目標を一つ、または --file から目標と提案をまとめて追加します。"
    ),
    (
        "A YAML file of goals (each with `proposals`), or an XLSX workbook with sheets `goals` and "
        "`proposals` (column `goal`); all are stored or, on any fault, none."
    ): (
        "目標の YAML ファイル（それぞれに `proposals`）、またはシート `goals` と `proposals`（列 `goal`）"
        "をもつ XLSX ブック。すべて保存するか、問題が一つでもあれば何も保存しません。"
    ),
    "Title in Japanese.": "日本語のタイトル。",
    "Title in English.": "英語のタイトル。",
    "A threat id from the register; repeat.": "登録簿の脅威 ID。繰り返し指定します。",
    "The capability needed.": "必要な能力。",
    "By when (YYYY-MM-DD).": "期限（YYYY-MM-DD）。",
    "The measurable target for use in society.": "社会実装に向けた測定可能な目標。",
    "The goals you may read, with how many proposals and projects under each.": (
        "閲覧できる目標と、それぞれの下にある提案とプロジェクトの数。"
    ),
    "Add a proposal under a goal, answering the Heilmeier questions.": (
        "目標の下に、ハイルマイヤーの問いに答える提案を追加します。"
    ),
    "The goal.": "目標。",
    "The proposal's title.": "提案のタイトル。",
    "What are you trying to do? (no jargon)": "何をしようとしているのか（専門用語を使わずに）。",
    "How is it done today, and its limits?": "現在はどのように行われていて、その限界は何か。",
    "What is new in your approach; why will it succeed?": "その手法の新しさは何か。なぜ成功すると言えるのか。",
    "Who cares? What difference does success make?": "誰にとって重要か。成功すると何が変わるのか。",
    "What are the risks?": "リスクは何か。",
    "How much will it cost?": "費用はいくらかかるか。",
    "How long will it take?": "期間はどれだけかかるか。",
    "The mid-term check.": "中間評価の基準。",
    "The final check of success.": "成功を判定する最終評価の基準。",
    "A goal with its proposals and projects.": "目標と、その下の提案とプロジェクト。",
    "table or json.": "table または json。",
    # kizashi portfolio
    ("The programme portfolio (YAML or XLSX): schema, and the projects that maximise value under yearly budgets."): (
        "研究開発プログラムのポートフォリオ（YAML または XLSX）: スキーマと、"
        "年度ごとの予算内で価値を最大にするプロジェクトの選定。"
    ),
    (
        "Choose the projects that maximise total value under the yearly budgets, exactly (a mixed-integer "
        "programme\nsolved by HiGHS); value ties broken deterministically. Exit 2 naming the constraints that "
        "conflict when no\nportfolio meets them all.\n\nWith --save the run is kept as a labelled record (at "
        "least its goal's label; programme.manage permission) and\nits id printed on standard error; `kizashi "
        "portfolio runs` lists the kept runs."
    ): (
        "年度ごとの予算内で合計の価値が最大になるプロジェクトを厳密に選びます（HiGHS で解く混合整数計画）。"
        "価値が同じときは決まった規則で選びます。すべての制約を満たすポートフォリオがないときは、"
        "矛盾する制約を示して終了コード 2 で終わります。\n\n--save を付けると、"
        "実行をラベル付きの記録として保存し（ラベルは少なくとも目標のもの。programme.manage の権限が必要）、"
        "その ID を標準エラー出力に表示します。保存した実行の一覧は `kizashi portfolio runs` で表示できます。"
    ),
    "A portfolio: .yaml, .yml, .json or .xlsx (sheets budget and projects).": (
        "ポートフォリオ: .yaml、.yml、.json、または .xlsx（シート budget と projects）。"
    ),
    "json or table.": "json または table。",
    "Keep the run (problem and result) in the workspace.": "実行（問題と結果）をワークスペースに保存します。",
    "The kept run's title.": "保存する実行のタイトル。",
    "The goal the kept run is for.": "保存する実行が対象とする目標。",
    "The kept run's label: a level, compartments in brackets (SECRET [alpha]).": (
        "保存する実行のラベル: 区分と、角括弧で囲んだ区画（SECRET [alpha]）。"
    ),
    "A kept portfolio run as JSON: its title, goal, label, the problem as given and the result.": (
        "保存したポートフォリオの実行を JSON で表示します: タイトル、目標、ラベル、与えられた問題と結果。"
    ),
    "A kept run (kizashi portfolio runs).": "保存した実行（kizashi portfolio runs）。",
    "The kept portfolio runs you may read, newest first: how many projects, which were chosen, the value.": (
        "閲覧できる保存したポートフォリオの実行（新しい順）: プロジェクトの数、選ばれたプロジェクト、価値。"
    ),
    "Only the runs kept for this goal.": "この目標について保存した実行だけ。",
    "Print the JSON Schema of the portfolio format.": "ポートフォリオ形式の JSON Schema を表示します。",
    # kizashi project
    "Projects under goals.": "目標の下のプロジェクト。",
    "Add a project under a goal.": "目標の下にプロジェクトを追加します。",
    "The goal it serves.": "プロジェクトが貢献する目標。",
    "The project's title.": "プロジェクトのタイトル。",
    "Its programme manager.": "担当のプログラムマネージャー。",
    "One of active, on_hold, rework, stopped, completed.": "active、on_hold、rework、stopped、completed のいずれか。",
    "Budget of a year as YEAR=AMOUNT; repeat for more.": (
        "ある年度の予算（YEAR=AMOUNT）。複数あれば繰り返し指定します。"
    ),
    "The projects you may read.": "閲覧できるプロジェクト。",
    "Only the projects under this goal.": "この目標の下のプロジェクトだけ。",
    "A project with its gate decisions and TRL assessments.": (
        "プロジェクトと、そのゲート判定と技術成熟度（TRL）の評価。"
    ),
    # kizashi roadmap
    "Layered technology roadmaps (YAML or XLSX): schema, validation, critical path, drawing.": (
        "階層型の技術ロードマップ（YAML または XLSX）: スキーマ、検証、クリティカルパス、作図。"
    ),
    (
        "Store a roadmap file in the workspace as a labelled record, or as the next revision of the stored "
        "roadmap with\nits id; prints the revision.\n\nIts label is the file's `label` (none: INTERNAL, or "
        "yours if lower), raised to its goal's and never lowered by a\nrevision. A roadmap with errors stores "
        "nothing (the findings printed, exit 2); an unchanged one makes no\nrevision. Needs the "
        "programme.manage permission."
    ): (
        "ロードマップのファイルを、ラベル付きの記録としてワークスペースに保存します。同じ ID "
        "の保存済みロードマップがあれば、その次の版として保存します。版を表示します。\n\nラベルはファイルの "
        "`label`（なければ INTERNAL。自分の区分がそれより低ければ自分の区分）で、"
        "目標のラベルまで引き上げられ、版を重ねても下がりません。"
        "エラーのあるロードマップは保存しません（指摘を表示し、終了コード 2）。"
        "変更のないものは新しい版になりません。programme.manage の権限が必要です。"
    ),
    "A roadmap: .yaml, .yml or .xlsx (sheets roadmap and items).": (
        "ロードマップ: .yaml、.yml、または .xlsx（シート roadmap と items）。"
    ),
    "Why it changed (kept with the revision).": "変更の理由（版とともに残ります）。",
    (
        "The critical path and each item's slack, in months.\n\nThe longest chain of finish-to-start "
        "dependencies by duration in whole months (start to end inclusive), and each\nitem's slack against "
        "it. Exit 2 with the findings when the roadmap has errors."
    ): (
        "クリティカルパスと、各項目の余裕（月単位）。\n\n終了から開始への依存関係をたどり、"
        "期間（開始月から終了月まで含めた月数）が最も長い連鎖と、それに対する各項目の余裕を示します。"
        "ロードマップにエラーがあれば、その指摘を示して終了コード 2 で終わります。"
    ),
    "A roadmap: .yaml, .yml or .xlsx (sheets roadmap and items); or give --id.": (
        "ロードマップ: .yaml、.yml、または .xlsx（シート roadmap と items）。または --id を指定します。"
    ),
    "A roadmap stored in the workspace (kizashi roadmap list), instead of FILE.": (
        "FILE の代わりに、ワークスペースに保存したロードマップ（kizashi roadmap list）。"
    ),
    (
        "Draft a first roadmap for a technology from the evidence you may read, to edit.\n\nIts matched needs, "
        "its seeds (one technology item per sub-technology they name) with their TRL, its latest\nTRL "
        "assessment and landscape scan, the goals against the threats naming it and its open barriers; "
        "durations by\na documented rule (docs/programmes.md). Every item's `source` says where it came from. "
        "YAML on the terminal\nwithout --out."
    ): (
        "閲覧できる根拠から、技術のロードマップの最初の案を作ります（編集して使います）。\n\n照合したニーズ、"
        "シーズ（シーズが挙げる下位技術ごとに技術の項目を一つ）とその TRL、最新の技術成熟度（TRL）"
        "の評価と動向分析、その技術を挙げる脅威に対する目標、未解消の障壁を使います。"
        "期間は文書化した規則（docs/programmes.md）で決めます。各項目の `source` が出どころを示します。--out "
        "がなければ YAML を端末に表示します。"
    ),
    "The technology's id.": "技術の ID。",
    "The first month, YYYY-MM. Default: the next April.": "最初の月（YYYY-MM）。既定: 次の 4 月。",
    "Write to FILE (.yaml, .yml or .xlsx) instead of the terminal.": (
        "端末ではなく FILE（.yaml、.yml、または .xlsx）に書き出します。"
    ),
    "The stored roadmaps you may read, with their revision and label.": (
        "閲覧できる保存したロードマップと、その版とラベル。"
    ),
    "Only the roadmaps of this goal.": "この目標のロードマップだけ。",
    (
        "Draw the roadmap as SVG, PNG, HTML or PDF.\n\nSwimlanes, bars with TRL milestones, dependency arrows, "
        "the critical path in red, Japanese titles (KIZASHI_LANG\nchooses the language of titles and words). "
        "Exit 2 when the roadmap has errors."
    ): (
        "ロードマップを SVG、PNG、HTML、または PDF で描きます。\n\nスイムレーン、TRL "
        "のマイルストーンを付けたバー、依存関係の矢印、赤で示すクリティカルパス、"
        "日本語のタイトル（タイトルと語句の言語は KIZASHI_LANG で選びます）。"
        "ロードマップにエラーがあれば終了コード 2 で終わります。"
    ),
    "svg, png, html or pdf. Default: from the --out file's suffix, else svg.": (
        "svg、png、html、または pdf。既定: --out のファイルの拡張子から。なければ svg。"
    ),
    "Print the JSON Schema of the roadmap format.": "ロードマップ形式の JSON Schema を表示します。",
    (
        "A stored roadmap's document, as the file it was read from (YAML or XLSX re-validate to the same "
        "roadmap) or\nJSON; or, with --revisions, who changed it when and why."
    ): (
        "保存したロードマップの文書を、読み込んだときのファイルの形（YAML または XLSX。"
        "検証し直すと同じロードマップになります）か JSON で表示します。--revisions を付けると、"
        "誰がいつなぜ変更したかを表示します。"
    ),
    "A stored roadmap.": "保存したロードマップ。",
    "yaml, json or xlsx (xlsx needs --out).": "yaml、json、または xlsx（xlsx には --out が必要）。",
    "List its revisions instead.": "代わりに版の一覧を表示します。",
    (
        "Check a roadmap; exit 2 on errors, 0 when valid (warnings printed).\n\nFinds dependency cycles (every "
        "item on them named), items starting before a dependency ends, TRL going down,\nunknown dependencies, "
        "barriers without owner or kind (docs/roadmap.md); with a workspace, warns about items that\nan open "
        "barrier of its register blocks."
    ): (
        "ロードマップを検証します。エラーがあれば終了コード 2、妥当なら 0 で終わります（警告は表示します）。\n"
        "\n依存関係の循環（循環上のすべての項目を示します）、依存先が終わる前に始まる項目、下がる TRL、"
        "不明な依存先、担当者や種類のない障壁（docs/roadmap.md）を見つけます。ワークスペースがあれば、"
        "その登録簿の未解消の障壁が妨げている項目について警告します。"
    ),
    "text or json.": "text または json。",
    # kizashi trl
    "TRL assessments of projects and technologies, with their history.": (
        "プロジェクトと技術の技術成熟度（TRL）の評価とその履歴。"
    ),
    "Record a TRL assessment of a project or a technology.": (
        "プロジェクトまたは技術の技術成熟度（TRL）の評価を記録します。"
    ),
    "The TRL, 1 to 9.": "TRL（1〜9）。",
    "What the assessment rests on.": "評価の根拠。",
    "A project.": "プロジェクト。",
    "A technology of the taxonomy.": "分類体系の技術。",
    "Who assessed it (default: you).": "評価した人（既定: 自分）。",
    "The TRL assessments of a project or a technology, oldest first.": (
        "プロジェクトまたは技術の技術成熟度（TRL）の評価（古い順）。"
    ),
}
