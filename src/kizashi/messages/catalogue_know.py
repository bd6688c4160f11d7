"""Japanese for the know messages (English template → Japanese template; see kizashi.messages)."""

from __future__ import annotations

KNOW: dict[str, str] = {
    # Matching, assignment and the workshop (know/match*.py, assign.py, judgements.py, experts.py)
    "no {kind} found": "{kind} が見つかりません",
    "id '{id}' repeats row {row}": "ID「{id}」が {row} 行目と重複しています",
    "the workspace has no needs or no seeds that you may read": (
        "ワークスペースに閲覧できるニーズまたはシーズがありません"
    ),
    "source '{source}' must be one of {choices}": "source「{source}」は {choices} のいずれかにしてください",
    "no match run '{run}'": "照合「{run}」はありません",
    "each seed must be allowed at least one need (--per-seed ≥ 1)": (
        "1 件のシーズに少なくとも 1 件のニーズを割り当てられるようにしてください（--per-seed ≥ 1）"
    ),
    "no seed was proposed for {needs}: they cannot be assigned": (
        "{needs} にはシーズの候補がないため、割り当てられません"
    ),
    "no assignment gives every need a seed with at most {per_seed} need(s) per seed; raise --per-seed or --top": (
        "1 件のシーズにつきニーズ {per_seed} 件までで、すべてのニーズにシーズを割り当てる方法がありません。"
        "--per-seed または --top を大きくしてください"
    ),
    "decision '{decision}' must be one of {choices}": "判定「{decision}」は {choices} のいずれかにしてください",
    "a comment is at most 10,000 characters of text": "コメントは 10,000 文字以内のテキストにしてください",
    "tuning needs accepted seeds for at least {minimum} needs you may read; "
    "there are {needs} ({judgements} judgements)": (
        "調整には、閲覧できるニーズ {minimum} 件以上について採用されたシーズが必要です。"
        "現在は {needs} 件です（判定 {judgements} 件）"
    ),
    "the workspace has no seeds or works that you may read": (
        "ワークスペースに閲覧できるシーズも論文・プロジェクトもありません"
    ),
    "give a need id or a text, not both": "ニーズの ID かテキストのどちらか一方を指定してください",
    "the text is empty": "テキストが空です",
    "a search may be at most {limit} characters long": "検索語は {limit} 文字以内にしてください",
    "a search may not contain a NUL character": "検索語に NUL 文字は使えません",
    # The technology landscape (know/landscape/)
    "unknown engine '{engine}' (choose {first} or {second})": (
        "エンジン「{engine}」は不明です（{first} か {second} を選んでください）"
    ),
    "--from {start} is after --to {end}": "--from {start} が --to {end} より後です",
    "--from {start} is after --as-of {as_of}": "--from {start} が --as-of {as_of} より後です",
    "no works to scan: load works first (kizashi ingest works FILE)": (
        "分析する論文・プロジェクトがありません。先に読み込んでください（kizashi ingest works FILE）"
    ),
    "no works in the window: none published within --from/--to (and by --as-of)": (
        "期間内に論文・プロジェクトがありません（--from/--to の範囲内、かつ --as-of までに公開されたものがありません）"
    ),
    "the Spark engine needs PySpark and a Java runtime: pip install 'kizashi[spark]'": (
        "Spark エンジンには PySpark と Java 実行環境が必要です: pip install 'kizashi[spark]'"
    ),
    "--horizon must be at least 1 year": "--horizon は 1 年以上にしてください",
    "the works end in {last}: a horizon of {horizon} years from {start} needs works of {needed}": (
        "論文・プロジェクトは {last} 年までしかありません。{start} 年から {horizon} 年の検証には {needed} 年の"
        "論文・プロジェクトが必要です"
    ),
    "no PUBLIC technologies: --public publishes the taxonomy's names, so it uses only technologies labelled PUBLIC": (
        "PUBLIC の技術がありません。--public は技術分類の名称を公開するため、PUBLIC 区分の技術だけを使います"
    ),
    "no technologies to scan for: load a taxonomy (kizashi ingest technologies FILE)": (
        "分析対象の技術がありません。技術分類を読み込んでください（kizashi ingest technologies FILE）"
    ),
    "the weights file is empty": "重みのファイルが空です",
    "expected a mapping of indicator: weight": "「指標: 重み」の対応表を記載してください",
    "unknown indicator; known: {known}": "不明な指標です。使える指標: {known}",
    "weight must be a number, found {value!r}": "重みは数値にしてください（{value!r} が指定されています）",
    "weight must not be negative, found {value}": "重みは負にできません（{value} が指定されています）",
    "all weights are zero": "すべての重みが 0 です",
    "--limit must be at least 1": "--limit は 1 以上にしてください",
    "no technology '{technology}'": "技術「{technology}」はありません",
}
