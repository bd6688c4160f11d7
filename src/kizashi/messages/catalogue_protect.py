"""Japanese for the protect messages (English template → Japanese template; see kizashi.messages)."""

from __future__ import annotations

PROTECT: dict[str, str] = {
    # Control lists, classification and decisions (protect/controls/)
    "the control lists hold no items": "規制リストに項目がありません",
    "give the reason: text of at most {most:,} characters": "理由を {most:,} 文字以内のテキストで入力してください",
    "a 'listed' decision names the list and the code (--list, --code)": (
        "「listed」（該当）の判定ではリストと項番を指定してください（--list、--code）"
    ),
    "give the list and the code together": "リストと項番は両方とも指定してください",
    "no code '{code}' in the bundled list '{list}'": "同梱のリスト「{list}」に項番「{code}」はありません",
    "kind '{kind}' must be one of {kinds}": "種別「{kind}」は {kinds} のいずれかにしてください",
    "no record '{id}' among the {kinds}": "{kinds} に記録「{id}」はありません",
    "'{id}' is an id among the {kinds}; say which with --kind": (
        "「{id}」は {kinds} のいずれにもある ID です。--kind でどれかを指定してください"
    ),
    "'{name}' must be at most {most} characters": "「{name}」は {most} 文字以内にしてください",
    "no bundled control list '{name}'; use one of {bundled}, {all} or a file": (
        "同梱の規制リスト「{name}」はありません。{bundled}、{all} のいずれか、またはファイルを指定してください"
    ),
    "give at least one control list (--controls NAME or FILE)": (
        "規制リストを 1 つ以上指定してください（--controls NAME または FILE）"
    ),
    "'{name}' must be text": "「{name}」はテキストにしてください",
    "'{name}' must be text of at most {most:,} characters": "「{name}」は {most:,} 文字以内のテキストにしてください",
    "code '{code}' repeats row {row} of list '{list}'": "リスト「{list}」の項番「{code}」が {row} 行目と重複しています",
    "parent '{parent}' is not a code of list '{list}'": "親項目「{parent}」はリスト「{list}」の項番ではありません",
    "'{name}' is empty": "「{name}」が空です",
    "parents form a cycle: {cycle} → {code}": "親項目が循環しています: {cycle} → {code}",
    "no bundled control list '{name}' and no such file; bundled: {bundled}": (
        "同梱の規制リスト「{name}」も、その名前のファイルもありません。同梱のリスト: {bundled}"
    ),
    "code '{code}' of list '{list}' was already loaded": "リスト「{list}」の項番「{code}」は既に読み込まれています",
    # The deemed-export questionnaire (protect/deemed_export.py)
    "a person is named by 1 to 200 characters of text": "人名は 1〜200 文字のテキストで指定してください",
    "unknown categories {unknown}; use {categories}": "不明な類型 {unknown} です。{categories} を使用してください",
    "an evidence note is at most {most:,} characters of text": "根拠のメモは {most:,} 文字以内のテキストにしてください",
    "the answer's date {date} is in the future": "回答日 {date} が未来の日付です",
    "only {person}, or one who may record another person's answer, may record theirs": (
        "{person} の回答を記録できるのは、本人か、他の人の回答を記録する権限のある人だけです"
    ),
    # Users, clearances, logins and tokens (protect/people/)
    "user '{name}' exists already": "ユーザー「{name}」は既に存在します",
    "no user '{name}'": "ユーザー「{name}」は存在しません",
    "no active user '{name}'": "有効なユーザー「{name}」は存在しません",
    "no active grant {grant} of '{name}' to renew": "更新できる「{name}」の有効な付与 {grant} はありません",
    "no active grant to revoke for '{name}'": "「{name}」に取り消せる有効な付与はありません",
    "no pending change {number}": "承認待ちの変更 {number} はありません",
    "a reason is at most {most:,} characters of text": "理由は {most:,} 文字以内のテキストにしてください",
    "a change you proposed needs another admin's approval, not yours": (
        "自分が提案した変更には、自分ではなく別の管理者の承認が必要です"
    ),
    "'{name}' is not an active user of this workspace; ask an admin (kizashi user add)": (
        "「{name}」はこのワークスペースの有効なユーザーではありません。管理者に依頼してください（kizashi user add）"
    ),
    "acting as '{name}' (you are '{login}') needs their credential: set KIZASHI_TOKEN to a personal token "
    "of theirs, or give their password on standard input with --auth-stdin": (
        "「{name}」として操作するには（あなたは「{login}」です）、その人の認証情報が必要です。"
        "KIZASHI_TOKEN にその人の個人トークンを設定するか、--auth-stdin でその人のパスワードを標準入力から渡してください"
    ),
    "this workspace has no users yet and is operated by its owner '{owner}', not '{name}': "
    "they add you with `kizashi user add {name}`": (
        "このワークスペースにはまだユーザーがおらず、「{name}」ではなく所有者「{owner}」が運用しています。"
        "所有者が `kizashi user add {name}` であなたを追加します"
    ),
    "the personal token is unknown, expired or revoked": "個人トークンが不明、期限切れ、または失効しています",
    "the personal token is not {name}'s": "この個人トークンは {name} のものではありません",
    "wrong password for '{name}'": "「{name}」のパスワードが違います",
    "wrong user name or password": "ユーザー名またはパスワードが違います",
    "password too weak: at least {count} characters, no surrounding spaces, not one repeated character": (
        "パスワードが弱すぎます。{count} 文字以上で、前後に空白を含まず、同じ文字の繰り返しでないものにしてください"
    ),
    "missing or wrong CSRF token; reload the page": (
        "CSRF トークンがないか、正しくありません。ページを再読み込みしてください"
    ),
    "too many failed logins; try again in {seconds} seconds": (
        "ログインの失敗が多すぎます。{seconds} 秒後に再度お試しください"
    ),
    "grant {grant} ({level}) expired": "付与 {grant}（{level}）は有効期限が切れています",
    "grant {grant} ({level}) counts as {counts_as}: missing {missing}": (
        "付与 {grant}（{level}）は研修が未修了のため「{counts_as}」として扱われます（未修了: {missing}）"
    ),
    "a token's label is at most {most} characters": "トークンのラベルは {most} 文字以内にしてください",
    "the token's expiry is in the past": "トークンの有効期限が過去の日時です",
    "'{name}' is an admin: an admin creates their own tokens (the two-person rule)": (
        "「{name}」は管理者です。管理者のトークンは本人が作成します（二人承認の原則）"
    ),
    "no active token {token}": "有効なトークン {token} はありません",
    "unknown level '{level}'; use one of {levels}": "不明な区分「{level}」です。{levels} のいずれかを使用してください",
    "a user name is 1 to {most} letters or digits, with . _ @ - after the first": (
        "ユーザー名は 1〜{most} 文字の文字または数字にしてください（2 文字目以降は . _ @ - も使用可）"
    ),
    "unknown role(s) {unknown}; use {roles}": "不明な役割 {unknown} です。{roles} を使用してください",
    "the new expiry is in the past": "新しい有効期限が過去の日時です",
    "which course? (1 to 100 characters)": "研修名を 1〜100 文字で指定してください",
    "the first user of a workspace is its operator ('{operator}') as an admin: "
    "kizashi user add {operator} --role admin": (
        "ワークスペースの最初のユーザーは運用者（「{operator}」）本人で、管理者として登録します: "
        "kizashi user add {operator} --role admin"
    ),
    # Screening lists and partner files (protect/screening/lists.py, screen.py, entries.py)
    "unknown type '{value}'; use person, organisation, vessel or aircraft": (
        "不明な種別「{value}」です。person、organisation、vessel、aircraft のいずれかを使用してください"
    ),
    "unknown list format '{format}': give a UN XML file, an OFAC CSV folder, FollowTheMoney "
    "JSON lines, METI parsed_entities.json or the generic CSV": (
        "不明なリスト形式「{format}」です。国連の XML ファイル、OFAC の CSV フォルダー、FollowTheMoney の "
        "JSON lines、経済産業省の parsed_entities.json、または汎用 CSV を指定してください"
    ),
    "the list holds no entries": "リストに記載がありません",
    "no such file or folder": "ファイルまたはフォルダーがありません",
    "not a UN consolidated list (root element <{tag}>)": "国連安保理統合制裁リストではありません（ルート要素 <{tag}>）",
    "{tag} {number} ({id}) has no name": "{tag} {number}（{id}）に名前がありません",
    "no id": "ID なし",
    "{tag} {number} has no id": "{tag} {number} に ID がありません",
    "an OFAC list folder must hold sdn.csv or cons_prim.csv (with alt/add beside it)": (
        "OFAC リストのフォルダーには sdn.csv または cons_prim.csv（同じ場所に alt/add）が必要です"
    ),
    "{count} columns, expected {expected} ({columns})": "列が {count} 個です。{expected} 個（{columns}）必要です",
    "ent_num '{value}' is not a number": "ent_num「{value}」が数値ではありません",
    "ent_num '{value}' is not a number (these files have no header row)": (
        "ent_num「{value}」が数値ではありません（このファイルにヘッダー行はありません）"
    ),
    "no name": "名前がありません",
    "unknown SDN_Type '{value}'": "不明な SDN_Type「{value}」です",
    "not a FollowTheMoney entity (no 'schema')": "FollowTheMoney のエンティティではありません（schema がありません）",
    "entity without an id": "ID のないエンティティです",
    "entity without properties": "properties のないエンティティです",
    "{schema} {id} has no name": "{schema} {id} に名前がありません",
    "expected a list of strings": "文字列のリストにしてください",
    "empty id": "ID が空です",
    "empty name": "名前が空です",
    "broken JSON: {error}": "JSON が壊れています: {error}",
    "expected a JSON array of entities": "エンティティの JSON 配列にしてください",
    "expected a JSON object": "JSON オブジェクトにしてください",
    "no '{key}'": "「{key}」がありません",
    "no en_name or ja_name": "en_name も ja_name もありません",
    "expected a list of names": "名前のリストにしてください",
    "at most {most:,} names at a time": "一度に照合できる名前は {most:,} 件までです",
    # Screening explanations (protect/screening/score.py explanation_text): one line, its parts joined
    "{earlier}; {then}": "{earlier}；{then}",
    "{query}→{key} = {matched} ({how})": "{query}→{key} = {matched}（{how}）",
    "{key} = {matched} ({how})": "{key} = {matched}（{how}）",
    "exact": "完全一致",
    "transliterated": "翻字",
    "translated": "翻訳",
    "abbreviation": "略語",
    "fuzzy": "近似",
    "fuzzy {similarity}": "近似 {similarity}",
    "phonetic": "音の類似",
    "read in {language}: {text}": "{language}読み: {text}",
    "Korean": "朝鮮語",
    "matched as one word": "一語として一致",
    "not found: {words}": "リストの名前にない語: {words}",
    "not in the name: {words}": "照合した名前にない語: {words}",
    "kanji read in Japanese or Chinese, not compared with a Korean name: {words}": (
        "日本語または中国語で読んだ漢字（朝鮮語の名前とは比較せず）: {words}"
    ),
    "legal forms {query} ~ {list}": "法人形態 {query} ~ {list}",
    "{penalty} ({query} / {list})": "{penalty}（{query} / {list}）",
    "{penalty}: no match": "{penalty}: 不一致",
    "{penalty} −{value:.2f}": "{penalty} −{value:.2f}",
    "legal form differs": "法人形態が異なる",
    "entity type differs": "種別が異なる",
    "country differs": "国が異なる",
    "matched by sound alone": "音のみで一致",
    "only one word of a longer name matches": "長い名前のうち 1 語のみ一致",
    "only generic words or places match, and the countries do not agree": "一般的な語や地名のみが一致し、国も一致しない",
    "only initials match": "頭文字のみ一致",
    "a person against an organisation": "個人と組織の照合",
    "kinds of organisation differ": "組織の種類が異なる",
    # The audit trail (protect/audit_trail.py)
    "--workspace does not apply with --file: the key comes from {source}": (
        "--file と --workspace は併用できません。鍵の読み込み元: {source}"
    ),
    "a filter is text of at most {most} characters": "絞り込み条件は {most} 文字以内のテキストにしてください",
    "a page holds 1 to {most} events": "1 ページの件数は 1〜{most} 件にしてください",
    "pages are numbered from 1": "ページ番号は 1 から始まります",
    "the first day is after the last day": "開始日が終了日より後になっています",
    "--key: there is no audit key here: set KIZASHI_AUDIT_KEY or KIZASHI_AUDIT_KEY_FILE, or make the workspace's "
    "key file with `kizashi init`": (
        "--key: 監査鍵がありません。KIZASHI_AUDIT_KEY か KIZASHI_AUDIT_KEY_FILE を設定するか、"
        "`kizashi init` でワークスペースの鍵ファイルを作成してください"
    ),
    "there is no audit key here: set KIZASHI_AUDIT_KEY or KIZASHI_AUDIT_KEY_FILE, or make the workspace's "
    "key file with `kizashi init`": (
        "監査鍵がありません。KIZASHI_AUDIT_KEY か KIZASHI_AUDIT_KEY_FILE を設定するか、"
        "`kizashi init` でワークスペースの鍵ファイルを作成してください"
    ),
    # Release review (protect/release/): the actions and states an error names, then the errors
    "submit": "提出",
    "start": "審査開始",
    "approve": "承認",
    "approve with changes": "修正付き承認",
    "withhold": "公表不可の判断",
    "return": "差し戻し",
    "draft": "下書き",
    "submitted": "申請済",
    "under_review": "審査中",
    "approved": "承認",
    "approved_with_changes": "修正付き承認",
    "withheld": "公表不可",
    "none left": "（残っている役割はありません）",
    "you do not hold the role '{role}'": "役割「{role}」を持っていません",
    "the role '{role}' is not asked to review this release": "役割「{role}」はこの公開審査の承認者に含まれていません",
    "the role '{role}' has already approved in this round": "役割「{role}」はこの回の審査で既に承認しています",
    "to {action} this release you need one of the roles: {roles}": (
        "この公開審査で「{action}」を行うには、次のいずれかの役割が必要です: {roles}"
    ),
    "unknown action '{action}'; use one of {actions}": "不明な操作「{action}」です。{actions} のいずれかを使用してください",
    "the review is final ({state}); a revised record needs a new submission": (
        "審査は確定しています（{state}）。修正した記録は新たに提出してください"
    ),
    "cannot {action} a review that is {state} (from {state}: {possible})": (
        "{state}の審査に「{action}」はできません（{state}からできる操作: {possible}）"
    ),
    "you reviewed this release; a reviewer may not submit it (one person, one role)": (
        "この公開審査を審査したため、提出はできません（一人一役）"
    ),
    "a submitter may not review their own release": "提出者は自分が提出した公開審査を審査できません",
    "you have already approved in this round; one person approves once": (
        "この回の審査で既に承認しています。承認は一人一回です"
    ),
    "funding '{funding}' must be one of {choices}": "資金区分「{funding}」は {choices} のいずれかにしてください",
    "unknown level '{level}'": "不明な区分「{level}」です",
    "kind '{kind}' cannot be reviewed for release; use {kinds}": (
        "種別「{kind}」は公開審査の対象外です。{kinds} を指定してください"
    ),
    "'{id}' is both a work and a seed; name the kind (--kind)": (
        "「{id}」は論文・プロジェクトとシーズの両方にあります。--kind で種別を指定してください"
    ),
    "'{target}' is not a state a reviewer can move to; use one of {choices}": (
        "「{target}」は審査者が移せる状態ではありません。{choices} のいずれかを使用してください"
    ),
    "'{id}' has no open release review; submit it first": "「{id}」に進行中の公開審査はありません。先に提出してください",
    "the review moved on while you were deciding; look at it again": (
        "判断している間に審査が進みました。もう一度確認してください"
    ),
    # The screening store (protect/screening/store.py)
    "a list name is 1 to {most} characters": "リスト名は 1〜{most} 文字にしてください",
    "no screening list is loaded in this workspace: kizashi screen load LIST, or give --list": (
        "このワークスペースにはスクリーニングリストが読み込まれていません。"
        "kizashi screen load LIST を実行するか、--list を指定してください"
    ),
    "give the name that was screened": "照合した名前を指定してください",
    "no entry '{entry}' in a list '{list}' of this workspace": (
        "このワークスペースのリスト「{list}」に記載「{entry}」はありません"
    ),
}
