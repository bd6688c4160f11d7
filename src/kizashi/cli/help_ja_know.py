"""Japanese help texts of kizashi's commands, know: matching, judgements, experts, scans, technologies (merged into kizashi.cli.help_ja.HELP_JA)."""

TABLE: dict[str, str] = {
    # kizashi experts
    (
        "Who has done the work a need asks for (目利き): organisations and people ranked by their records "
        "that match it\nwell (score 0 to 1), each organisation with its screening status when the workspace "
        "has lists."
    ): (
        "ニーズが求める仕事を手がけてきたのは誰か（目利き）: ニーズによく合う記録（スコア 0〜1）"
        "をもとに組織と人を順位付けします。ワークスペースにリストがあれば、"
        "各組織のスクリーニング状況も示します。"
    ),
    "A need of the workspace.": "ワークスペースのニーズ。",
    "Or a need or technology in words (Japanese or English).": "または、ニーズや技術を言葉で（日本語または英語）。",
    "How many organisations and people.": "組織と人の数。",
    # kizashi judge
    ("Record a workshop decision on a proposed match (append-only: a later decision supersedes, never erases)."): (
        "提案された照合に対するマッチング検討の判定を記録します（追記のみ: 後の判定が前の判定に優先し、"
        "前の判定は消えません）。"
    ),
    "The need.": "ニーズ。",
    "The proposed seed.": "提案されたシーズ。",
    "accept, reject or later.": "accept、reject、later のいずれか。",
    # kizashi judgements
    (
        "The latest workshop decision on every pair you may read; with --evaluate, how the matcher ranks "
        "them; with\n--tune, the fusion weights that would rank them best."
    ): (
        "閲覧できる組ごとの最新のマッチング検討の判定。--evaluate "
        "を付けると照合器がそれらをどう順位付けるか、--tune "
        "を付けると最もよく順位付ける融合の重みを示します。"
    ),
    "Score today's matcher against the accepted and rejected pairs (MRR, recall).": (
        "現在の照合器を、採択・不採択の組で評価します（MRR、再現率）。"
    ),
    "Search the fusion weights that rank the accepted seeds best and print them as settings to use.": (
        "採択されたシーズを最も上位に順位付ける融合の重みを探索し、使える設定として表示します。"
    ),
    "With --evaluate or --tune: the ranking depth.": "--evaluate または --tune のとき: 順位を評価する深さ。",
    # kizashi match
    (
        "Propose, for every need, the seeds that could meet it, with evidence (Japanese and English in any "
        "mix).\n\nWith --needs and --seeds it reads files and needs no workspace; without them it matches the "
        "workspace's needs and\nseeds that you may read, and every row carries the higher label of its need "
        "and seed."
    ): (
        "ニーズごとに、"
        "それを満たしうるシーズを根拠とともに提案します（日本語と英語が混在していてもかまいません）。\n\n"
        "--needs と --seeds を指定するとファイルを読み、ワークスペースは不要です。指定しなければ、"
        "ワークスペースのニーズとシーズのうち閲覧できるものを照合し、"
        "各行にはニーズとシーズのうち高いほうのラベルが付きます。"
    ),
    "Needs: CSV, XLSX, JSONL (repeatable). Without: the workspace's.": (
        "ニーズ: CSV、XLSX、JSONL（繰り返し指定可）。指定しなければワークスペースのニーズ。"
    ),
    "Seeds: CSV, XLSX, JSONL (repeatable). Without: the workspace's.": (
        "シーズ: CSV、XLSX、JSONL（繰り返し指定可）。指定しなければワークスペースのシーズ。"
    ),
    "Seeds proposed per need.": "ニーズごとに提案するシーズの数。",
    "jsonl, csv, xlsx or html (a workshop handout).": "jsonl、csv、xlsx、または html（マッチング検討の配布資料）。",
    (
        "Workshop mode: keep the proposals that give each need at least one seed and each seed at most "
        "--per-seed needs with the highest total score (an exact assignment, not a greedy pass)."
    ): (
        "マッチング検討モード: 各ニーズに少なくとも一つのシーズ、各シーズに多くとも --per-seed "
        "件のニーズを割り当て、合計スコアが最大になる提案を残します（貪欲法ではなく厳密な割り当て）。"
    ),
    "With --assign: needs one seed may serve.": "--assign のとき: 一つのシーズが対応できるニーズの数。",
    "Only seeds from other taxonomy areas than the need's own (fields it would not search).": (
        "ニーズ自身とは別の分類体系の分野のシーズだけ（ニーズの分野では探さないもの）。"
    ),
    (
        "Workspace mode: store the proposals as a match run (each labelled like its need and seed) for the "
        "workshop pages; prints the run's id."
    ): (
        "ワークスペースモード: 提案を照合の実行として保存し（それぞれにニーズとシーズと同じラベル）、"
        "マッチング検討の画面で使えるようにします。実行の ID を表示します。"
    ),
    (
        "Folder of a local sentence-transformers or model2vec model: adds the dense channel for this run "
        "(overrides KIZASHI_MATCH_DENSE_MODEL; never downloads)."
    ): (
        "ローカルの sentence-transformers または model2vec モデルのフォルダー。"
        "この実行に密ベクトルのチャネルを加えます（KIZASHI_MATCH_DENSE_MODEL より優先。"
        "ダウンロードはしません）。"
    ),
    # kizashi match-runs
    (
        "The stored match runs (kizashi match --save) with a proposal you may read, newest first; the counts "
        "are of\nthe proposals, needs and seeds you may read."
    ): (
        "保存された照合の実行（kizashi match --save）のうち閲覧できる提案を含むもの（新しい順）。"
        "件数は閲覧できる提案、ニーズ、シーズだけを数えます。"
    ),
    # kizashi scan
    (
        "The R&D landscape: trends, emergence, countries and Japan's position, research fronts, critical "
        "technologies and threats → technologies, over the works you may read. Writes trends.csv, "
        "emergence.csv, countries.csv, collaboration.csv, fronts.csv, front_works.csv, critical.csv, "
        "threats.csv and report.html, report.xlsx, report.pdf to --out (columns are a stable interface: "
        "added, never renamed)."
    ): (
        "研究開発の動向: 閲覧できる論文・プロジェクトをもとに、トレンド、新興性、国別の状況と日本の位置、"
        "研究フロント、重要技術、脅威から技術への対応を分析します。trends.csv、emergence.csv、countries.csv、"
        "collaboration.csv、fronts.csv、front_works.csv、critical.csv、threats.csv と report.html、"
        "report.xlsx、report.pdf を --out に書き出します（列は安定したインターフェースです: "
        "追加はしても名前は変えません）。"
    ),
    "The folder to write the tables and reports to.": "表とレポートを書き出すフォルダー。",
    "First publication year.": "最初の出版年。",
    "Last publication year.": "最後の出版年。",
    (
        "Use only what was known on DATE (YYYY-MM-DD): works published by then, citations counted to then "
        "(OpenAlex's counts_by_year)."
    ): (
        "DATE（YYYY-MM-DD）の時点でわかっていたことだけを使います: その日までに出版された論文、"
        "その日までの被引用数（OpenAlex の counts_by_year）。"
    ),
    "duckdb (this machine) or spark (PySpark).": "duckdb（この計算機）または spark（PySpark）。",
    "Spark master URL (default: local mode).": "Spark のマスター URL（既定: ローカルモード）。",
    "Use PUBLIC records only: a report fit for publication.": (
        "PUBLIC の記録だけを使います: 公表できるレポートになります。"
    ),
    "Tag with this taxonomy (YAML/CSV/XLSX) instead of the workspace's.": (
        "ワークスペースのものではなく、この分類体系（YAML/CSV/XLSX）でタグ付けします。"
    ),
    "Indicator weights for the ranking (YAML/JSON; see `kizashi scan weights`).": (
        "順位付けに使う指標の重み（YAML/JSON。`kizashi scan weights` を参照）。"
    ),
    "The report's language: ja or en.": "レポートの言語: ja または en。",
    "Skip research fronts (the slowest step).": "研究フロントを省きます（最も時間のかかる手順です）。",
    (
        "Folder of a local sentence-transformers or model2vec model: research fronts from its document "
        "vectors instead of TF-IDF/LSA (default: KIZASHI_MATCH_DENSE_MODEL; never downloads)."
    ): (
        "ローカルの sentence-transformers または model2vec モデルのフォルダー。TF-IDF/LSA ではなく、"
        "その文書ベクトルから研究フロントを求めます（既定: KIZASHI_MATCH_DENSE_MODEL。"
        "ダウンロードはしません）。"
    ),
    "Research fronts from TF-IDF/LSA even where a dense model is set.": (
        "密ベクトルのモデルが設定されていても、研究フロントを TF-IDF/LSA で求めます。"
    ),
    (
        "How well the emergence flags and scores as of a date predicted the growth in the HORIZON years that "
        "followed:\nprecision and recall of `emerging`, and the rank correlation of the emergence score (and "
        "of naive growth, for\ncomparison) with the growth that came."
    ): (
        "ある日付の時点での新興性のフラグとスコアが、その後 HORIZON 年の成長をどれだけ予測できたか: "
        "`emerging` の適合率と再現率、および新興性スコア（比較のため単純な成長率も）"
        "と実際の成長との順位相関。"
    ),
    "The date to predict from (YYYY-MM-DD).": "予測の起点とする日付（YYYY-MM-DD）。",
    "Years of growth to predict.": "予測する成長の年数。",
    "duckdb or spark.": "duckdb または spark。",
    "Tag with this taxonomy instead of the workspace's.": (
        "ワークスペースのものではなく、この分類体系でタグ付けします。"
    ),
    "Print the default indicator weights as a file to edit and pass with --weights.": (
        "既定の指標の重みを、編集して --weights に渡せるファイルの形で表示します。"
    ),
    # kizashi technology
    "The taxonomy's technologies and the works tagged with them.": (
        "分類体系の技術と、それでタグ付けされた論文・プロジェクト。"
    ),
    (
        "A technology and the works tagged with it that you may read, with the evidence: the phrase found "
        "and where\n(title, keywords or abstract), and for a parent the child technology it came through."
    ): (
        "技術と、それでタグ付けされた論文・プロジェクトのうち閲覧できるもの、およびその根拠: "
        "見つかった語句とその場所（タイトル、キーワード、要旨）、親の技術では経由した子の技術。"
    ),
    "The technology's id in the taxonomy.": "分類体系での技術の ID。",
    "At most this many works, most cited first.": "論文・プロジェクトの最大数（被引用数の多い順）。",
}
