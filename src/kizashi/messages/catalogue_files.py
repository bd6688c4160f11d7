"""Japanese for the files messages (English template → Japanese template; see kizashi.messages)."""

from __future__ import annotations

FILES: dict[str, str] = {
    # Reading files (files/)
    "missing required column(s): {columns}": "必須の列がありません: {columns}",
    "file is empty (no data rows)": "ファイルが空です（データ行がありません）",
    "no such file": "ファイルがありません",
    "is a folder, expected a file": "フォルダです。ファイルを指定してください",
    "cannot read file: {problem}": "ファイルを読み込めません: {problem}",
    "unsupported file type '{suffix}'; use one of {suffixes}": (
        "ファイル形式「{suffix}」には対応していません。{suffixes} のいずれかを使ってください"
    ),
    "not UTF-8 or {encoding} text (byte 0x{byte:02x} at line {line}, byte offset {offset}); save the file as UTF-8": (
        "UTF-8 でも {encoding} でもないテキストです（{line} 行目のバイト 0x{byte:02x}、バイト位置 {offset}）。"
        "UTF-8 で保存し直してください"
    ),
    "malformed CSV (line {line}): {problem}": "CSV の形式が正しくありません（{line} 行目）: {problem}",
    "{cells} cells but the header has {columns} columns": "セルが {cells} 個ありますが、見出しは {columns} 列です",
    "column {position} of the header has no name": "見出しの {position} 列目に名前がありません",
    "column appears twice in the header": "見出しに同じ列が 2 回あります",
    "not a readable XLSX workbook ({problem})": "読み込める XLSX ブックではありません（{problem}）",
    "XML with a DTD or entity declarations is refused": "DTD や実体宣言を含む XML は受け付けません",
    "broken XML at column {column}: {problem}": "XML が壊れています（{column} 桁目）: {problem}",
    "broken JSON: {problem}": "JSON が壊れています: {problem}",
    "expected a JSON object, found {found}": "JSON オブジェクトが必要ですが、{found} がありました",
    "broken YAML: {problem}": "YAML が壊れています: {problem}",
    "YAML aliases (*{anchor}) are refused": "YAML のエイリアス（*{anchor}）は受け付けません",
    "'{value}' is not a date the calendar has": "「{value}」は暦にない日付です",
    "'{text}' is not a date (use YYYY-MM-DD)": "「{text}」は日付ではありません（YYYY-MM-DD で指定してください）",
    # Input limits (files/limits.py): "{what} is over the limit …" with what one of the phrases below it
    "{what} is over the limit of {amount} (the setting {setting} raises it)": (
        "{what}が上限の {amount} を超えています（設定 {setting} で上限を上げられます）"
    ),
    "{count} bytes": "{count} バイト",
    "the file, unpacked,": "展開後のファイル",
    "the file, parsed whole,": "一括で解析するファイル",
    "the line": "行の長さ",
    "row {count:,}": "行数（{count:,} 行目）",
    "the nesting depth": "入れ子の深さ",
    "a list of {count:,} items": "{count:,} 個の要素を持つリスト",
    "a cell": "セルの文字数",
    "the workbook's {count:,} parts": "ブックの部品数（{count:,}）",
    "the part {part}": "部品 {part}",
    "the workbook, unpacked,": "展開後のブック",
    # Writing files (files/export.py)
    "--format xlsx needs --out FILE": "--format xlsx には --out FILE が必要です",
    "cannot write {path}: {problem}": "{path} に書き込めません: {problem}",
    # Imports (ingest/)
    "no files given": "ファイルが指定されていません",
    "no records found": "記録が見つかりません",
    "not a known works format (OpenAlex JSON/JSONL/CSV or CORDIS project CSV)": (
        "既知の論文・プロジェクトの形式ではありません（OpenAlex の JSON/JSONL/CSV、または CORDIS のプロジェクト CSV）"
    ),
    "only CORDIS organisation files were given; add the project file": (
        "CORDIS の組織ファイルしか指定されていません。プロジェクトファイルも指定してください"
    ),
    "missing required column: id (or ids.openalex)": "必須の列がありません: id（または ids.openalex）",
    "id '{id}' appears twice (first at {file} row {row})": "id「{id}」が重複しています（最初は {file} の {row} 行目）",
    "labelled {label}, above the clearance of '{user}' who imports it": (
        "区分 {label} は、取り込む利用者「{user}」のクリアランスを超えています"
    ),
    "the reader process ended without finishing (out of memory?)": (
        "読み込み用のプロセスが途中で終了しました（メモリ不足の可能性があります）"
    ),
    "the reader process failed: {problem}": "読み込み用のプロセスが失敗しました: {problem}",
    "expected a list under the key '{key}'": "キー「{key}」の下にリストが必要です",
    "the list '{key}' is empty": "リスト「{key}」が空です",
    "entry {number} of '{key}' is not a mapping": "「{key}」の {number} 番目の項目がマッピングではありません",
    "technology parent not in the taxonomy: {listed}": "親の技術が分類体系にありません: {listed}",
    "technology parent not in the taxonomy: {listed} (and {more} more)": (
        "親の技術が分類体系にありません: {listed}（ほか {more} 件）"
    ),
    "the taxonomy has a cycle: {cycle}": "分類体系に循環があります: {cycle}",
    # Rows of OpenAlex and CORDIS files (ingest/openalex/, ingest/cordis.py)
    "required value is missing": "必須の値がありません",
    "'{value}' is not a date (YYYY-MM-DD)": "「{value}」は日付ではありません（YYYY-MM-DD）",
    "expected text, found {found}": "テキストが必要ですが、{found}がありました",
    "expected an id, found {found}": "id が必要ですが、{found}がありました",
    "expected a whole number, found {found}": "整数が必要ですが、{found}がありました",
    "expected a number, found {found}": "数値が必要ですが、{found}がありました",
    "expected true or false, found {found}": "true か false が必要ですが、{found}がありました",
    "expected a date (YYYY-MM-DD), found {found}": "日付（YYYY-MM-DD）が必要ですが、{found}がありました",
    "expected an object, found {found}": "オブジェクトが必要ですが、{found}がありました",
    "expected a list, found {found}": "リストが必要ですが、{found}がありました",
    "expected a country code, found {found}": "国コードが必要ですが、{found}がありました",
    "expected an institution as a Python dict, found {found}": (
        "機関は Python の dict で記載してください（{found}がありました）"
    ),
    "expected the inverted index as JSON": "転置インデックスは JSON で記載してください",
    "expected an object of word positions, found {found}": "語の位置のオブジェクトが必要ですが、{found}がありました",
    "expected a list of positions, found {found}": "位置のリストが必要ですが、{found}がありました",
    "expected a whole-number position ≥ 0, found {found}": "0 以上の整数の位置が必要ですが、{found}がありました",
    "expected words as keys, found {found}": "キーには語が必要ですが、{found}がありました",
    "positions are not whole numbers": "位置が整数ではありません",
    "{years} years but {counts} counts": "年が {years} 個ありますが、件数は {counts} 個です",
    "a citation count cannot be negative": "被引用数は負にできません",
    "an institution with neither id nor display_name": "id も display_name もない機関です",
    # what was found instead ("found {found}")
    "a boolean": "真偽値",
    "a number ({value})": "数値（{value}）",
    "text ({value})": "テキスト（{value}）",
    "a list": "リスト",
    "an object": "オブジェクト",
    # Intake (ingest/intake.py)
    "only needs and seeds are entered by hand, not '{kind}'": "手入力できるのは needs と seeds だけです（「{kind}」は不可）",
    "TLP:AMBER is shared by an organisation and your user has none; ask an admin": (
        "TLP:AMBER は組織が共有する区分ですが、あなたの利用者には組織が設定されていません。管理者に依頼してください"
    ),
    "you may not create a record labelled {label}: it is above your own clearance (you could not read it "
    "yourself)": "区分 {label} の記録は作成できません。ご自身のクリアランスを超えています（作成しても自分では閲覧できません）",
    # Matching (retrieval/, text/)
    "no seeds to match against": "照合の対象となるシーズがありません",
    "seed ids must be unique; repeated: {ids}": "シーズの id は一意でなければなりません。重複: {ids}",
    "top must be at least 1": "top は 1 以上にしてください",
    "dense model: {folder} is not a folder (give the folder of a local model)": (
        "密ベクトルモデル: {folder} はフォルダではありません（ローカルのモデルのフォルダを指定してください）"
    ),
    "dense model: {file} is not JSON: {problem}": "密ベクトルモデル: {file} は JSON ではありません: {problem}",
    "dense model: {folder} holds neither a sentence-transformers model (modules.json) nor a model2vec model "
    "(config.json, model.safetensors, tokenizer.json)": (
        "密ベクトルモデル: {folder} には sentence-transformers のモデル（modules.json）も model2vec のモデル"
        "（config.json、model.safetensors、tokenizer.json）もありません"
    ),
    "dense model: {folder} is a {backend} model, and {backend} is not installed "
    "(pip install 'kizashi[{extra}]'): {problem}": (
        "密ベクトルモデル: {folder} は {backend} のモデルですが、{backend} がインストールされていません"
        "（pip install 'kizashi[{extra}]'）: {problem}"
    ),
    "dense model: {folder} could not be loaded as a {backend} model: {problem}": (
        "密ベクトルモデル: {folder} を {backend} のモデルとして読み込めません: {problem}"
    ),
}
