"""Japanese for the messages of the STIX 2.1, ATT&CK and KEV readers (ingest/stix.py, ingest/kev.py)."""

from __future__ import annotations

STIX: dict[str, str] = {
    "object {number} is not a JSON object but {found}": "{number} 番目のオブジェクトが JSON オブジェクトではなく {found} です",
    "STIX object {id} has no type or id": "STIX オブジェクト {id} に type または id がありません",
    "STIX object {id} is invalid: {reason}": "STIX オブジェクト {id} は不正です: {reason}",
    "the bundle's objects are not a list": "バンドルの objects がリストではありません",
    "a bundle of {count:,} objects": "{count:,} 個のオブジェクトからなるバンドル",
    "STIX bundle {id} is invalid: {reason}": "STIX バンドル {id} は不正です: {reason}",
    "{id} is STIX 2.0; kizashi reads STIX 2.1 only (ATT&CK publishes 2.1 bundles: use those)": (
        "{id} は STIX 2.0 です。kizashi が読むのは STIX 2.1 だけです（ATT&CK は 2.1 のバンドルも公開しています。そちらを使ってください）"
    ),
    "{id} has spec_version {version}; kizashi reads STIX 2.1 only": (
        "{id} の spec_version は {version} です。kizashi が読むのは STIX 2.1 だけです"
    ),
    "number {number}": "{number} 番目",
    "STIX object {id}: {reason}": "STIX オブジェクト {id}: {reason}",
    "STIX object {id}": "STIX オブジェクト {id}",
    "a KEV catalogue is a .json or .csv file, not '{suffix}'": (
        "KEV カタログは .json か .csv のファイルです（「{suffix}」ではありません）"
    ),
    "not a CVE id: {value}": "CVE ID ではありません: {value}",
    "not a KEV catalogue: no list of vulnerabilities": "KEV カタログではありません: vulnerabilities のリストがありません",
}
