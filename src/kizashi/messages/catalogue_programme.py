"""Japanese for the messages of programmes: goals, proposals, projects, stage gates, TRL assessments and barriers
(grow/goals.py, grow/gates.py, grow/barriers.py, cli/programme.py) (English template → Japanese template; see
kizashi.messages)."""

from __future__ import annotations

PROGRAMME: dict[str, str] = {
    # Checking values (grow/goals.py)
    "no goal '{id}'": "目標「{id}」はありません",
    "no project '{id}'": "プロジェクト「{id}」はありません",
    "no barrier '{id}'": "障壁「{id}」はありません",
    "at most {most:,} characters of text": "テキストは {most:,} 文字までです",
    "an id is 1 to 100 letters, digits and . _ : - (starting with a letter or digit)": (
        "ID は英数字と . _ : - で 1〜100 文字です（先頭は英数字）"
    ),
    "a goal names at least one threat from the register": "目標には脅威登録簿の脅威を 1 つ以上挙げてください",
    "no threat '{id}' in the register": "脅威登録簿に脅威「{id}」はありません",
    "id '{id}' is taken; choose another or leave it out": "ID「{id}」は使われています。別の ID にするか、省いてください",
    "id '{id}' appears twice": "ID「{id}」が 2 回出てきます",
    "unknown status '{status}'; use one of {statuses}": "状態「{status}」は使えません。{statuses} のどれかにしてください",
    "a budget's year is four digits, not '{year}'": "予算の年は 4 桁の数字です（「{year}」ではありません）",
    "a budget's amount is a number not below 0, not '{amount}'": "予算の額は 0 以上の数です（「{amount}」ではありません）",
    # Goals files
    "a goals file is YAML (.yaml, .yml) or an XLSX workbook (.xlsx), not '{suffix}'": (
        "目標のファイルは YAML（.yaml、.yml）か XLSX ブック（.xlsx）です（「{suffix}」は読めません）"
    ),
    "expected a list of goals (or 'goals:' holding one)": "目標のリスト（または、それを持つ goals:）が必要です",
    "a goal is a mapping of fields": "目標は項目名と値のマッピングで書いてください",
    "expected a list of proposals": "提案のリストが必要です",
    "a proposal is a mapping of fields": "提案は項目名と値のマッピングで書いてください",
    "no goal '{id}' on the goals sheet": "goals シートに目標「{id}」はありません",
    # Stage gates and TRL (grow/gates.py)
    "go needs every must-meet criterion met; not met: {criteria}": (
        "継続（Go）には必須基準をすべて満たす必要があります。満たしていない基準: {criteria}"
    ),
    "go needs neither rating to be c; decide hold, recycle or kill": (
        "継続（Go）にはどちらの評価も c でないことが必要です。保留、差し戻し、中止のいずれかにしてください"
    ),
    "at most {most:,} criteria": "基準は {most:,} 個までです",
    "unknown decision '{decision}'; use one of {choices}": "判定「{decision}」は使えません。{choices} のどれかにしてください",
    "a rating is a, b or c, not '{rating}'": "評価は a、b、c のいずれかです（「{rating}」ではありません）",
    "a gate decision names at least one reviewer": "ゲート判定には評価者を 1 人以上挙げてください",
    "project '{id}' was killed; it takes no further gate decision": (
        "プロジェクト「{id}」は中止されています。これ以上ゲート判定はできません"
    ),
    "a TRL assessment is about a project or a technology, not '{kind}'": (
        "TRL 評価の対象はプロジェクトか技術です（「{kind}」ではありません）"
    ),
    "a TRL is a whole number from 1 to 9, not {trl}": "TRL は 1〜9 の整数です（{trl} ではありません）",
    # Barriers (grow/barriers.py)
    "unknown barrier kind '{kind}'; use one of {kinds}": "障壁の種類「{kind}」は使えません。{kinds} のどれかにしてください",
    "at most {most:,} roadmap items": "ロードマップ項目は {most:,} 個までです",
    "barrier '{id}' is already removed": "障壁「{id}」はすでに解消済みです",
    # Permissions (policy/permissions.py)
    "add goals, proposals, projects and barriers": "目標・提案・プロジェクト・障壁を登録する",
    "decide stage gates of projects": "プロジェクトのステージゲートを判定する",
    "record TRL assessments": "TRL 評価を記録する",
    # The command line (cli/programme.py): headings
    "title (Japanese)": "題名（日本語）",
    "title (English)": "題名（英語）",
    "capability": "必要な能力",
    "target date": "目標期日",
    "target for use in society": "社会実装の目標",
    "projects": "プロジェクト",
    "goal": "目標",
    "programme manager": "プログラムマネージャー",
    "status": "状態",
    "budget per year": "年度別予算",
    "gate": "ゲート",
    "target achieved": "目標達成度",
    "outlook for the final target": "最終目標の見通し",
    "must-meet criteria": "必須基準",
    "should-meet criteria": "推奨基準",
    "reviewers": "評価者",
    "reasons": "理由",
    "TRL": "技術成熟度（TRL）",
    "evidence": "根拠",
    "assessor": "評価者",
    "owner": "担当",
    "blocks roadmap items": "妨げるロードマップ項目",
    "removing action": "解消の措置",
    "removed by": "解消した人",
    "removed at": "解消日時",
    "what are you trying to do": "何をしようとしているか",
    "how is it done today": "現在はどう行われているか",
    "what is new in your approach": "提案の新しさ",
    "who cares": "誰にとって重要か",
    "risks": "リスク",
    "time": "期間",
    "mid-term exam": "中間評価",
    "final exam": "最終評価",
    "met": "満たす",
    "not met": "満たさない",
    # The command line: what it tells
    "goal {id} added": "目標 {id} を登録しました",
    "{count:,} goal(s) added from {path}: {ids}": "{path} から目標を {count:,} 件登録しました: {ids}",
    "proposal {id} added": "提案 {id} を登録しました",
    "project {id} added": "プロジェクト {id} を登録しました",
    "gate decision {number} on {project}: {decision}": "{project} のゲート判定 {number}: {decision}",
    "TRL assessment {number}: {subject} at TRL {trl}": "TRL 評価 {number}: {subject} は TRL {trl}",
    "barrier {id} added": "障壁 {id} を登録しました",
    "barrier {id} removed": "障壁 {id} を解消済みにしました",
    "{count:,} barrier(s) written to {path}": "障壁 {count:,} 件を {path} に書き出しました",
    "give either --file or the goal's options, not both": "--file か目標のオプションのどちらか一方を指定してください",
    "give either --project or --technology": "--project か --technology のどちらか一方を指定してください",
    "--budget is YEAR=AMOUNT, not '{value}'": "--budget は 年=額 の形です（「{value}」ではありません）",
    # report/demo_programme.py
    "programme {goal}: {chosen} of {projects} projects chosen under the budgets (value {value}); roadmap of "
    "{items} items, critical path {months} months": (
        "プログラム {goal}: 候補 {projects} 件から予算内で {chosen} 件を選定（価値 {value}）、ロードマップ {items} 項目、"
        "クリティカルパス {months} か月"
    ),
}
