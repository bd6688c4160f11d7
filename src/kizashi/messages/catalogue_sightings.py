"""Japanese for the messages of correlating observations with indicators (protect/cti/correlate*) (English template → Japanese template; see kizashi.messages)."""

from __future__ import annotations

SIGHTINGS: dict[str, str] = {
    # ingest/observations.py: the observation files (proxy, DNS, EDR exports)
    "no time column (one of {columns})": "時刻の列がありません（{columns} のいずれか）",
    "no column of observed values (for example {columns}, or the columns type,value,time)": (
        "観測値の列がありません（例: {columns}、または type,value,time の列）"
    ),
    "unknown observable type '{type}' (use one of {types})": "観測値の種類「{type}」は使えません（{types} のいずれか）",
    "'{value}' is not {what}": "「{value}」は{what}ではありません",
    "an IP address": "IP アドレス",
    "a domain name": "ドメイン名",
    "a URL (scheme://...)": "URL（scheme://...）",
    "an e-mail address": "メールアドレス",
    "an MD5, SHA-1 or SHA-256 hash in hexadecimal": "16 進数の MD5・SHA-1・SHA-256 ハッシュ",
    "the time is missing": "時刻がありません",
    "'{text}' is not a time (ISO 8601 or Unix epoch seconds)": "「{text}」は時刻ではありません（ISO 8601 または Unix エポック秒）",
    # protect/cti/correlate.py: indicators not evaluated
    "pattern type '{type}' is not evaluated (only stix)": "パターン種別「{type}」は評価しません（stix のみ）",
    "the indicator's pattern does not parse: {problem}": "インディケーターのパターンを解析できません: {problem}",
    "stix2-matcher failed on the indicator's pattern: {problem}": "stix2-matcher がインディケーターのパターンの評価に失敗しました: {problem}",
    # protect/cti/sightings.py and `kizashi cti correlate` (cli/cti.py): correlating and recording sightings
    "you may not add sightings to collection '{name}'": "コレクション「{name}」にはサイティングを追加できません",
    "--since: '{value}' is not a date or time (ISO 8601, like 2026-03-01)": (
        "--since: 「{value}」は日付・時刻ではありません（ISO 8601、例: 2026-03-01）"
    ),
    "indicator {id} not evaluated: {reason}": "インディケーター {id} は評価していません: {reason}",
    "no sighting recorded for indicator {id}: {reason}": "インディケーター {id} のサイティングは記録していません: {reason}",
    "{observations:,} observations against {indicators:,} indicators: {hit:,} indicators hit, {recorded:,} sightings recorded": (
        "観測 {observations:,} 件をインディケーター {indicators:,} 件と照合: 該当したインディケーター {hit:,} 件、"
        "記録したサイティング {recorded:,} 件"
    ),
    "indicator": "インディケーター",
    "indicates": "示す脅威",
    "observations": "観測数",
    "first seen": "初観測",
    "last seen": "最終観測",
    "threat actor": "脅威アクター",
    "malware": "マルウェア",
    "attack pattern": "攻撃パターン",
    "campaign": "キャンペーン",
    "intrusion set": "侵入セット",
    # protect/cti/runs.py and `kizashi cti runs`, `kizashi cti run` (cli/cti_runs.py): correlation runs kept
    "no correlation run '{id}'": "照合の実行「{id}」はありません",
    "through threat {id}": "脅威 {id} を通じて",
    "tied directly": "直接の結び付き",
    "correlation run": "照合の実行",
    "run at": "実行日時",
    "ran by": "実行者",
    "observation file": "観測ファイル",
    "indicators hit": "該当したインディケーター",
    "research assets": "研究資産",
    "sighting recorded": "記録したサイティング",
    "no correlation run you may read": "閲覧できる照合の実行はありません",
    "correlation run {id} kept: kizashi cti run {id}": "照合の実行 {id} を保存しました: kizashi cti run {id}",
    "correlation run {id} by {user} at {at}: {file} ({observations:,} observations, {indicators:,} indicators)": (
        "照合の実行 {id}（{user}、{at}）: {file}（観測 {observations:,} 件、インディケーター {indicators:,} 件）"
    ),
    "no hit you may read in this run": "この実行に閲覧できる該当はありません",
}
