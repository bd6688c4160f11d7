"""Japanese for the messages of the programme portfolio, stage gates and barriers (grow) (English template → Japanese template; see kizashi.messages)."""

from __future__ import annotations

PORTFOLIO: dict[str, str] = {
    # Reading a portfolio file (grow/portfolio_model.py)
    "expected a mapping with budget and projects at the top": (
        "最上位には budget と projects を持つマッピングが必要です"
    ),
    "project {project}: {problem}": "プロジェクト {project}: {problem}",
    "unknown field": "不明な項目です",
    "not a valid value: {problem}": "値が正しくありません: {problem}",
    "the id appears twice (first as project #{first})": "id が重複しています（最初は {first} 番目のプロジェクト）",
    "names the project itself": "プロジェクト自身を指しています",
    "no project has the id '{id}'": "id「{id}」のプロジェクトはありません",
    "a cost in {year}, a year without a budget": "予算のない {year} 年度に費用があります",
    "the TRL target is below now": "TRL の目標が現在の値より低くなっています",
    "criteria need a scoring section (method and criteria) at the top": (
        "criteria を使うには最上位に scoring（method と criteria）が必要です"
    ),
    "'{criterion}' is not among the scoring criteria": "「{criterion}」は scoring の評価基準にありません",
    "no score for the criterion '{criterion}'": "評価基準「{criterion}」の評点がありません",
    "a score must be positive (zero allowed for a TOPSIS or benefit criterion)": (
        "評点は正の数にしてください（TOPSIS または便益型の基準ではゼロも可）"
    ),
    "the criterion has no weight (give weight, or pairwise for AHP)": (
        "評価基準に重みがありません（weight を指定するか、AHP では pairwise を指定してください）"
    ),
    "pairwise comparisons are for the AHP method": "一対比較（pairwise）は AHP 法で使います",
    "the pairwise matrix must be {n} × {n}, one row and column per criterion": (
        "一対比較行列は評価基準ごとに 1 行 1 列の {n} × {n} にしてください"
    ),
    "the pairwise matrix is not reciprocal at row {row}, column {column}": (
        "一対比較行列の {row} 行 {column} 列が逆数の関係になっていません"
    ),
    "the pairwise comparisons are inconsistent (consistency ratio {ratio:.3f} above {limit})": (
        "一対比較の整合性が不十分です（整合比 {ratio:.3f} が {limit} を超えています）"
    ),
    # Solving (grow/portfolio.py)
    "budget {year}: at most {amount}": "{year} 年度の予算: {amount} 以下",
    "area {area}: at least {minimum} project(s)": "分野 {area}: {minimum} 件以上",
    "{project} requires {other}": "{project} は {other} を前提とする",
    "{project} and {other} exclude each other": "{project} と {other} は両立しない",
    "{project}: TRL {now} → {target} is a gap over the maximum {gap}": (
        "{project}: TRL {now} → {target} は上限 {gap} を超える差"
    ),
    "no portfolio meets every constraint; these {count} conflict (dropping any one of them resolves it): "
    "{constraints}": (
        "すべての制約を満たすポートフォリオはありません。次の {count} 個の制約が矛盾しています"
        "（どれか 1 つを外すと解消します）: {constraints}"
    ),
    "the solver stopped without a proven answer: {problem}": "ソルバーが最適性を証明できずに停止しました: {problem}",
    # The command line (cli/portfolio.py)
    "project": "プロジェクト",
    "area": "分野",
    "value": "価値",
    "cost": "費用",
    "total value: {value}": "価値の合計: {value}",
    "{year}: spent {spent} of {budget}; one more unit would add {gain}": (
        "{year} 年度: 予算 {budget} のうち {spent} を使用。予算を 1 単位増やすと価値が {gain} 増えます"
    ),
    "binding: {constraints}": "効いている制約: {constraints}",
    "project {project} has '{key}', which is not a field of the portfolio format: ignored": (
        "プロジェクト {project} の「{key}」はポートフォリオの形式にない項目のため無視しました"
    ),
    "the portfolio has '{key}', which is not a field of the format: ignored": (
        "ポートフォリオの「{key}」は形式にない項目のため無視しました"
    ),
    # Kept runs (grow/roadmaps.py, `kizashi portfolio optimize --save`, `runs`, `run`)
    "no portfolio run '{id}'": "ポートフォリオの実行記録「{id}」はありません",
    "portfolio run kept as {id}": "ポートフォリオの実行を {id} として保存しました",
    "chosen": "選定",
    "kept by": "保存者",
}
