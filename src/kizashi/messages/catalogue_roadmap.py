"""Japanese for the messages of goals and roadmaps (grow) (English template → Japanese template; see kizashi.messages)."""

from __future__ import annotations

ROADMAP: dict[str, str] = {
    # Drafting a roadmap from the evidence (grow/roadmap_draft.py, `kizashi roadmap draft`)
    "{name}: draft roadmap": "{name}：ロードマップ草案",
    "No need matched to this technology yet: name the need and its owner": (
        "この技術に照合されたニーズはまだありません：ニーズとその担い手を記入してください"
    ),
    "Demonstration and deployment programme: {name}": "実証・社会実装プログラム：{name}",
    "Use in society of {name} for the needs above": "上記ニーズに対する{name}の社会実装",
    "critical rank {rank} of {count}": "重要技術 {count} 件中 {rank} 位",
    "emerging": "新興",
    "Japan rank {rank}": "日本 {rank} 位",
    "A draft from the evidence you may read (kizashi roadmap draft {technology}): edit it before use.": (
        "閲覧できる根拠から作った草案です（kizashi roadmap draft {technology}）。使う前に編集してください。"
    ),
    "Each item's source says where it came from: {sources}.": "各項目の source はその出所を示します：{sources}。",
    "Durations by rule: a need 6 months, 8 months per TRL level (at least 6), the use 12 months or to the goal's "
    "target date.": (
        "期間は規則によります：ニーズ 6 か月、TRL 1 段階あたり 8 か月（最短 6 か月）、社会実装は 12 か月または"
        "目標期日まで。"
    ),
    "Found: {needs} needs, {seeds} seeds, {barriers} barriers, {goals} goals; match run {run}, landscape scan "
    "{scan}, TRL assessment {trl}.": (
        "見つけたもの：ニーズ {needs} 件、シーズ {seeds} 件、障壁 {barriers} 件、目標 {goals} 件。照合実行 {run}、"
        "技術動向スキャン {scan}、TRL 評価 {trl}。"
    ),
    "none": "なし",
    "Nothing was found about this technology beyond its name: the draft is a frame to fill in.": (
        "この技術について名前のほかに見つかったものはありません。草案は記入のための枠です。"
    ),
    "roadmap {id} drafted ({items} items) in {path}": "ロードマップ {id} の草案（{items} 項目）を {path} に書きました",
    "--start must be a month, YYYY-MM, not '{value}'": "--start は年月（YYYY-MM）です（「{value}」ではありません）",
    "a drafted roadmap is written as .yaml, .yml or .xlsx, not '{suffix}'": (
        "ロードマップの草案は .yaml、.yml または .xlsx に書きます（「{suffix}」には書けません）"
    ),
    # Reading a roadmap file (grow/roadmap_model.py)
    "a roadmap is read from .yaml, .yml or .xlsx, not '{suffix}'": (
        "ロードマップは .yaml、.yml または .xlsx から読みます（「{suffix}」は読めません）"
    ),
    "a roadmap file holds a mapping with id and items": "ロードマップのファイルには id と items を持つマッピングが必要です",
    "item {item}: {problem}": "ロードマップ項目 {item}: {problem}",
    "the roadmap format requires this value": "ロードマップの形式ではこの値が必須です",
    "not a field of the roadmap format": "ロードマップの形式にない項目名です",
    "'{value}' is not one of the roadmap's choices: {choices}": "「{value}」は選べる値（{choices}）のどれでもありません",
    "'{value}' is not a month (use YYYY-MM)": "「{value}」は年月ではありません（YYYY-MM で書いてください）",
    "{value} is outside the readiness scale (TRL 1–9, MRL 1–10)": "{value} は成熟度の尺度（TRL 1〜9、MRL 1〜10）の外です",
    "a readiness level is a whole number, not '{value}'": "成熟度は整数です（「{value}」ではありません）",
    "give title_ja or title_en": "title_ja か title_en を指定してください",
    "must not be empty in a roadmap": "ロードマップではここを空にできません",
    "not valid in the roadmap format ({problem})": "ロードマップの形式として正しくありません（{problem}）",
    # The workbook of one sheet per table (files/tabular.py, for the roadmap's sheets)
    "the workbook has no sheet named '{sheet}'": "ブックにシート「{sheet}」がありません",
    # Validation (grow/roadmap_checks.py)
    "{count} items have the id {item}": "{count} 個の項目が同じ id {item} を持っています",
    "{item} depends on {dependency}, which is not an item of this roadmap": (
        "{item} は {dependency} に依存していますが、{dependency} はこのロードマップの項目ではありません"
    ),
    "dependency cycle through {items}: {path}": "依存関係が循環しています（{items}）: {path}",
    "{item} starts ({start}) after it ends ({end})": "{item} の開始（{start}）が終了（{end}）より後です",
    "{item} starts {start}, but {dependency}, which it depends on, ends {end}": (
        "{item} は {start} に始まりますが、依存先の {dependency} が終わるのは {end} です"
    ),
    "the TRL of {item} goes down, from {start} to {end}": "{item} の TRL が {start} から {end} に下がっています",
    "the TRL goes down along a dependency: {dependency} reaches TRL {reached}, but {item}, which depends on it, "
    "starts at TRL {start}": (
        "依存関係に沿って TRL が下がっています: {dependency} は TRL {reached} に達しますが、"
        "それに依存する {item} は TRL {start} から始まります"
    ),
    "the barrier {item} has no owner (who removes it)": "障壁 {item} に担い手（取り除く者）がありません",
    "the barrier {item} has no kind (one of {kinds})": "障壁 {item} に種類（{kinds} のいずれか）がありません",
    "{item} is in the {lane} lane: its barrier kind {kind} is ignored": (
        "{item} は{lane}のレーンにあるため、障壁の種類「{kind}」は無視されます"
    ),
    "the MRL of {item} goes down, from {start} to {end}": "{item} の MRL が {start} から {end} に下がっています",
    # Drawing (grow/roadmap_render.py)
    "roadmap {id}: {count} items; critical path {months} months ({path})": (
        "ロードマップ {id}: {count} 項目、クリティカルパス {months} か月（{path}）"
    ),
    "goal {goal}": "目標 {goal}",
    "label {label}": "ラベル {label}",
    "PNG needs pypdfium2 (pip install pypdfium2): {problem}": (
        "PNG には pypdfium2 が必要です（pip install pypdfium2）: {problem}"
    ),
    # The command line (cli/roadmap.py)
    "{file}: roadmap {id} is valid ({count} items, {warnings} warnings)": (
        "{file}: ロードマップ {id} は正しい形です（{count} 項目、警告 {warnings} 件）"
    ),
    "critical path: {path} ({months} months)": "クリティカルパス: {path}（{months} か月）",
    "roadmap {id} drawn as {format} in {path}": "ロードマップ {id} を {format} で {path} に描きました",
    "{item} has '{key}', which is not a field of the roadmap format: ignored": (
        "{item} の「{key}」はロードマップの形式にない項目のため無視しました"
    ),
    "the roadmap has '{key}', which is not a field of the format: ignored": (
        "ロードマップの「{key}」は形式にない項目のため無視しました"
    ),
    "{item} is blocked by the open barrier(s) {barriers} in the register": (
        "{item} は登録簿の未解消の障壁 {barriers} に阻まれています"
    ),
    "open barriers not checked: {reason}": "未解消の障壁は確認していません: {reason}",
    # Stored roadmaps (grow/roadmaps.py, the roadmap commands and pages)
    "roadmap {id} has {count} error(s) and was not saved; the first: {first}": (
        "ロードマップ {id} には誤りが {count} 件あるため保存しませんでした。最初の誤り: {first}"
    ),
    "a label is a level with compartments in brackets (SECRET [nuclear]), not '{label}'": (
        "ラベルはレベルと角括弧内のコンパートメントで書きます（SECRET [nuclear]）。「{label}」は使えません"
    ),
    "roadmap {id} was changed meanwhile (it is at revision {revision} now); reload it and edit again": (
        "ロードマップ {id} はその間に変更されました（現在は第 {revision} 版）。読み込み直してから編集してください"
    ),
    "no roadmap '{id}'": "ロードマップ「{id}」はありません",
    "give a roadmap FILE or --id of a stored roadmap, not both": (
        "ロードマップのファイルか、保存済みロードマップの --id のどちらか一方を指定してください"
    ),
    "revision": "版",
    "items": "項目数",
    "changed by": "変更者",
    "roadmap {id} stored as revision {revision}": "ロードマップ {id} を第 {revision} 版として保存しました",
    "roadmap {id} is unchanged (revision {revision})": "ロードマップ {id} に変更はありません（第 {revision} 版）",
    "written to {path}": "{path} に書き出しました",
}
