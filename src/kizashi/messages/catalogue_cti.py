"""Japanese for the messages of the cyber threat-intelligence store, TLP and sharing groups (protect/cti) (English template → Japanese template; see kizashi.messages)."""

from __future__ import annotations

CTI: dict[str, str] = {
    # permissions
    "create sharing groups and collections and add members to them": "共有グループとコレクションを作成し、メンバーを加える",
    # groups and collections (protect/cti/groups.py)
    "a {what} name is 1 to 100 letters, digits, dots, hyphens or underscores, starting with a letter or digit: "
    "'{name}'": "{what}の名前は英字・数字・ピリオド・ハイフン・下線の 1〜100 文字で、英字か数字で始めます：'{name}'",
    "unknown roles {unknown}; use {roles}": "不明なロール {unknown}。{roles} のいずれかを使ってください",
    "no collection '{collection}'": "コレクション '{collection}' はありません",
    "'{user}' may not read collection '{collection}'": "'{user}' はコレクション '{collection}' を読めません",
    "'{user}' may not add to collection '{collection}'": "'{user}' はコレクション '{collection}' に追加できません",
    "unknown TLP marking '{tlp}'; use one of {choices}": "不明な TLP マーキング '{tlp}'。{choices} のいずれかを使ってください",
    "unknown level '{level}'; use one of {choices}": "不明なレベル '{level}'。{choices} のいずれかを使ってください",
    "no sharing group '{group}'": "共有グループ '{group}' はありません",
    "a collection named '{name}' exists already": "'{name}' という名前のコレクションは既にあります",
    # objects (protect/cti/store.py)
    "object {id}: {reason}": "オブジェクト {id}：{reason}",
    "{what}: not a timestamp like 2026-01-31T12:00:00.000Z: '{value}'": (
        "{what}：2026-01-31T12:00:00.000Z のようなタイムスタンプではありません：'{value}'"
    ),
    "object {number} is not a JSON object": "オブジェクト {number} は JSON オブジェクトではありません",
    "object {number}: no valid STIX id ({id})": "オブジェクト {number}：有効な STIX ID がありません（{id}）",
    "its type does not match its id": "type が ID と一致しません",
    "spec_version must be 2.1, not {value}": "spec_version は 2.1 でなければなりません（{value} ではなく）",
    "no object '{id}' in collection '{collection}'": "コレクション '{collection}' にオブジェクト '{id}' はありません",
    "a different object with this id and version {version} is stored": (
        "この ID と版 {version} の別のオブジェクトが既に保存されています"
    ),
    "no status '{status}'": "ステータス '{status}' はありません",
    "next: not a value this server gave": "next：このサーバーが返した値ではありません",
    "limit must be a whole number of 1 or more": "limit は 1 以上の整数でなければなりません",
    # markings (protect/cti/tlp.py)
    "object_marking_refs must be a list of marking-definition ids": (
        "object_marking_refs は marking-definition の ID のリストでなければなりません"
    ),
    "unknown marking definition {refs}": "不明なマーキング定義 {refs}",
    "{property} must be a list of user names": "{property} はユーザー名のリストでなければなりません",
    # the command line (cli/cti.py)
    "yes": "はい",
    "no": "いいえ",
    "{collection}: {added:,} object versions added, {unchanged:,} already there (status {status})": (
        "{collection}：オブジェクトの版を {added:,} 件追加、{unchanged:,} 件は既にありました（ステータス {status}）"
    ),
    "sharing group {group}: {members}": "共有グループ {group}：{members}",
    "collection {name} added to {group}: id {id}": "コレクション {name} を {group} に追加しました：ID {id}",
    "name the collection with --collection: you may add to {count} ({names})": (
        "--collection でコレクションを指定してください：追加できるコレクションは {count} 件です（{names}）"
    ),
    "no collection you may read": "読めるコレクションはありません",
    "no object you may read": "読めるオブジェクトはありません",
    "collection": "コレクション",
    "group": "グループ",
    "id": "識別子",
    "type": "種類",
    "version": "版",
    "added": "追加日時",
    "TLP": "TLP 区分",
    "default TLP": "既定の TLP",
    "you read": "閲覧可",
    "you add": "追加可",
    "roles read": "閲覧ロール",
    "roles add": "追加ロール",
    # report/demo_cti.py
    "{loaded}; {observations} observations correlated: {hits} indicator(s) hit, sightings stored": (
        "{loaded}。観測 {observations} 件を照合し、{hits} 件の指標に該当、目撃情報を登録"
    ),
    "threat intelligence: {objects} STIX objects (ATT&CK for ICS, CISA KEV) in collection {collection} of "
    "sharing group {group}, TLP {tlp}; served over TAXII 2.1 at /taxii2/": (
        "脅威情報: STIX オブジェクト {objects} 件（ATT&CK for ICS、CISA KEV）を共有グループ {group} のコレクション "
        "{collection} に TLP {tlp} で登録、/taxii2/ で TAXII 2.1 として提供"
    ),
}

# TAXII (web/taxii)
CTI.update(
    {
        "this server answers {media_type} only": "このサーバーは {media_type} でのみ応答します",
        "the body must be {media_type}": "本文は {media_type} でなければなりません",
        "send a user name and password (HTTP Basic authentication)": "利用者名とパスワードを送ってください（HTTP Basic 認証）",
        "invalid request: {where} {problem}": "不正な要求です: {where} {problem}",
        "the request is over the API root's max_content_length of {limit} bytes": (
            "要求が API ルートの max_content_length（{limit} バイト）を超えています"
        ),
        "this method is not allowed here": "このメソッドはここでは使えません",
        "no such TAXII endpoint": "そのような TAXII エンドポイントはありません",
    }
)

# Assets tied to threats (protect/cti/assets.py, cli/cti.py link, unlink, links)
CTI.update(
    {
        "unknown asset kind '{kind}'; use one of {choices}": "不明な資産の種類「{kind}」です。{choices} のいずれかを指定してください",
        "'{id}' is not a threat: only these types can be tied to an asset: {choices}": (
            "「{id}」は脅威ではありません。資産に結び付けられるのは次の種類だけです: {choices}"
        ),
        "no object '{id}'": "オブジェクト「{id}」はありません",
        "no link between '{id}' and {kind} '{asset}'": "「{id}」と {kind}「{asset}」の結び付きはありません",
    }
)

# Sharing groups' members and the administration pages (protect/cti/groups.py, web/pages/cti.py, cli/cti.py groups)
CTI.update(
    {
        "'{user}' is not a member of sharing group '{group}'": "「{user}」は共有グループ「{group}」のメンバーではありません",
        "a sharing group needs a name": "共有グループには名前が必要です",
        "a sharing group named '{group}' exists already": "共有グループ「{group}」はすでにあります",
        "name a user to add": "追加する利用者名を指定してください",
        "a collection needs a name": "コレクションには名前が必要です",
        "no sharing group to show": "表示できる共有グループはありません",
        "members": "メンバー",
        "collections": "コレクション",
    }
)
CTI.update(  # kizashi cti link, unlink, links (cli/cti.py)
    {
        "name one asset: --seed, --project, --technology or --threat": (
            "資産を 1 つ指定してください: --seed、--project、--technology、--threat のいずれか"
        ),
        "{object} tied to {kind} {asset}": "{object} を{kind} {asset} に結び付けました",
        "{object} and {kind} {asset} are tied already": "{object} と{kind} {asset} はすでに結び付いています",
        "{count} link(s) removed between {object} and {kind} {asset}": (
            "{object} と{kind} {asset} の結び付きを {count} 件削除しました"
        ),
        "no link you may read": "読める結び付きはありません",
        "{correlated}; the threats they indicate tied to {links} research assets (a threat of the register, a "
        "seed, a programme project)": (
            "{correlated}。示された脅威を研究資産 {links} 件（脅威登録簿の脅威、シーズ、プログラムのプロジェクト）に結び付け"
        ),
        "object": "オブジェクト",
        "asset": "資産",
        "reason": "理由",
    }
)
