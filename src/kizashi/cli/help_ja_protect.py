"""Japanese help texts of kizashi's commands, protect: threat intelligence, release review, risk cards, screening (merged into kizashi.cli.help_ja.HELP_JA)."""

TABLE: dict[str, str] = {
    # kizashi cti
    "Threat intelligence: STIX 2.1 objects in collections shared by sharing groups, under TLP.": (
        "脅威情報: 共有グループが共有するコレクションの STIX 2.1 オブジェクト（TLP に従います）。"
    ),
    "Collections of a sharing group (security officers and admins).": (
        "共有グループのコレクション（安全保障輸出管理責任者と管理者向け）。"
    ),
    (
        "Add a collection to a sharing group; by default every member reads and adds to it, --read and "
        "--write narrow\nthat to roles."
    ): (
        "共有グループにコレクションを追加します。既定ではメンバー全員が読み書きできます。--read と --write "
        "で、読める・追加できるロールを絞ります。"
    ),
    "The collection's name.": "コレクションの名前。",
    "The sharing group it belongs to.": "コレクションが属する共有グループ。",
    "The TLP of objects without a marking: CLEAR, GREEN, AMBER, AMBER+STRICT, RED.": (
        "マーキングのないオブジェクトの TLP: CLEAR、GREEN、AMBER、AMBER+STRICT、RED。"
    ),
    (
        "Only these roles of the members read it (repeatable): analyst, principal_investigator, "
        "programme_manager, security_officer, admin."
    ): (
        "メンバーのうち、読めるのはこれらのロールだけにします（繰り返し指定可）: analyst、"
        "principal_investigator、programme_manager、security_officer、admin。"
    ),
    "Only these roles of the members add to it (repeatable).": (
        "メンバーのうち、追加できるのはこれらのロールだけにします（繰り返し指定可）。"
    ),
    "Its level: PUBLIC, INTERNAL, CONFIDENTIAL, SECRET.": "区分: PUBLIC、INTERNAL、CONFIDENTIAL、SECRET。",
    "Its title (TAXII).": "タイトル（TAXII）。",
    "Its description (TAXII).": "説明（TAXII）。",
    "The collections you may read, with whether you may read and add to their objects.": (
        "閲覧できるコレクションと、それぞれのオブジェクトを読めるか・追加できるか。"
    ),
    (
        "Correlate observations (a proxy, DNS or EDR export) with the indicators you may read: each hit with "
        "the\nthreat actor, malware or attack pattern its indicator indicates, recorded as a STIX sighting "
        "(docs/cti-correlation.md)."
    ): (
        "観測データ（プロキシ、DNS、EDR の書き出し）を、閲覧できる指標と照合します。ヒットごとに、"
        "その指標が示す脅威アクター、マルウェア、攻撃パターンを添え、STIX "
        "の目撃情報として記録します（docs/cti-correlation.md）。"
    ),
    ("Observations: CSV/TSV (gzipped too) or JSON lines of IPs, domains, URLs, e-mail addresses, hashes with times."): (
        "観測データ: IP アドレス、ドメイン、URL、メールアドレス、ハッシュと時刻を含む CSV/TSV（gzip "
        "圧縮も可）または JSON Lines。"
    ),
    "Leave out observations before this date or time.": "この日付・時刻より前の観測データを除きます。",
    (
        "Only this collection's indicators, and record the sightings there (default: every collection you "
        "may read; each sighting in its indicator's)."
    ): (
        "このコレクションの指標だけを使い、目撃情報もここに記録します（既定: 閲覧できるすべてのコレクション。"
        "目撃情報はそれぞれの指標のコレクションに記録）。"
    ),
    "Show the hits without storing sightings.": "目撃情報を保存せずに、ヒットだけを表示します。",
    "table, json.": "table、json。",
    "Sharing groups (security officers and admins).": "共有グループ（安全保障輸出管理責任者と管理者向け）。",
    ("Create a sharing group, or add members to one: its members read (and by default add to) its collections."): (
        "共有グループを作成するか、既存のグループにメンバーを追加します。"
        "メンバーはグループのコレクションを読み、既定では追加もできます。"
    ),
    "The sharing group.": "共有グループ。",
    "A user to add (repeatable).": "追加するユーザー（繰り返し指定可）。",
    "A title for a new group.": "新しいグループのタイトル。",
    ("Take a member out of a sharing group: from their next command or request they read none of its collections."): (
        "共有グループからメンバーを外します。そのメンバーは次のコマンドやリクエストから、"
        "グループのどのコレクションも読めなくなります。"
    ),
    "The member to take out.": "外すメンバー。",
    (
        "The sharing groups you are a member of (officers and admins: every group), with their members and\n"
        "collections."
    ): (
        "自分がメンバーである共有グループ（安全保障輸出管理責任者と管理者はすべてのグループ）と、"
        "そのメンバーとコレクション。"
    ),
    (
        "Load the files' objects into a collection in one transaction: every object is validated, a bad one "
        "refuses the\nwhole load naming its id; an object already there unchanged is no new version."
    ): (
        "ファイルのオブジェクトを一つのトランザクションでコレクションに取り込みます。"
        "すべてのオブジェクトを検証し、不正なものが一つでもあればその ID を示して全体を拒否します。"
        "変更のない既存のオブジェクトは新しい版になりません。"
    ),
    "STIX 2.1 bundles (JSON), ATT&CK, or CISA KEV (CSV or JSON).": (
        "STIX 2.1 バンドル（JSON）、ATT&CK、または CISA KEV（CSV または JSON）。"
    ),
    "The collection (name or id); by default the only one you may add to.": (
        "コレクション（名前または ID）。既定: 追加できる唯一のコレクション。"
    ),
    "auto, stix, kev: KEV by its CSV or its catalogVersion.": (
        "auto、stix、kev。KEV は CSV か catalogVersion で判別します。"
    ),
    (
        "Tie a threat (a STIX object you may read) to one research asset you may read: a correlation hit on "
        "the threat\nthen names the asset. Through a threat of the register, its technologies and the "
        "projects answering it are tied\ntoo."
    ): (
        "脅威（閲覧できる STIX オブジェクト）を、閲覧できる研究資産一つに結び付けます。"
        "その脅威に照合がヒットすると、この資産が示されます。脅威登録簿の脅威に結び付けると、"
        "その脅威の技術と、それに応えるプロジェクトも結び付きます。"
    ),
    ("A threat actor, malware, attack pattern, intrusion set, campaign, tool or vulnerability (its STIX id)."): (
        "脅威アクター、マルウェア、攻撃パターン、侵入セット、キャンペーン、ツール、脆弱性（STIX の ID）。"
    ),
    "A seed (its id).": "シーズ（ID）。",
    "A programme project (its id).": "プログラムのプロジェクト（ID）。",
    "A technology (its id).": "技術（ID）。",
    "A threat of the threat register (its id).": "脅威登録簿の脅威（ID）。",
    "Why the threat is aimed at the asset.": "その脅威がこの資産を狙う理由。",
    ("The links between threats and research assets that you may read (the link, the object and the asset)."): (
        "閲覧できる脅威と研究資産の結び付き（結び付き、オブジェクト、資産のすべてを閲覧できるもの）。"
    ),
    "Only the links of this STIX object.": "この STIX オブジェクトの結び付きだけ。",
    "The STIX objects you may read, oldest added first.": "閲覧できる STIX オブジェクト（追加の古い順）。",
    "Only this collection (default: every one you may read).": (
        "このコレクションだけ（既定: 閲覧できるすべてのコレクション）。"
    ),
    "Only objects of this STIX type (repeatable).": "この STIX タイプのオブジェクトだけ（繰り返し指定可）。",
    "first, last, all or a timestamp (match[version]).": "first、last、all、またはタイムスタンプ（match[version]）。",
    "At most this many objects.": "オブジェクトの最大数。",
    "Print the objects as a JSON array.": "オブジェクトを JSON 配列で表示します。",
    (
        "One correlation run: each hit you may read, what its indicator indicates and the research assets "
        "(seeds,\nprogramme projects, technologies, threats of the register) those threats are tied to."
    ): (
        "照合の実行一件: 閲覧できる各ヒット、その指標が示すもの、"
        "およびそれらの脅威に結び付いた研究資産（シーズ、プログラムのプロジェクト、技術、登録簿の脅威）。"
    ),
    "The run's id (kizashi cti runs).": "実行の ID（kizashi cti runs）。",
    (
        "Your correlation runs, newest first (every run for those who read the audit trail), with the hits "
        "you may\nread."
    ): ("自分の照合の実行（新しい順。監査ログを閲覧できる人にはすべての実行）と、閲覧できるヒット。"),
    ("Remove the links you may read between a STIX object and a research asset (the audit trail keeps them)."): (
        "STIX オブジェクトと研究資産の結び付きのうち、閲覧できるものを削除します（監査ログには残ります）。"
    ),
    "The STIX object's id.": "STIX オブジェクトの ID。",
    # kizashi review
    "Release review (publication, presentation) of works and seeds, and the deemed-export questionnaire.": (
        "論文・プロジェクトとシーズの公開審査（論文発表、学会発表）と、みなし輸出の確認票。"
    ),
    "Record a person's deemed-export answer on a project (the 2022 specific categories, 特定類型).": (
        "プロジェクトにかかわる人のみなし輸出の回答を記録します（2022 年の特定類型）。"
    ),
    "The project (a work or seed).": "プロジェクト（論文・プロジェクトまたはシーズ）。",
    "Who the answer is about.": "回答の対象となる人。",
    "A non-resident (非居住者).": "非居住者。",
    "Under a contract with a foreign government or entity controlling them.": (
        "外国政府またはその人を支配する外国の団体との契約の下にある。"
    ),
    "25 % or more of annual income from a foreign government.": "年収の 25 % 以上を外国政府から得ている。",
    "Acting on a foreign government's instructions in Japan.": "日本国内で外国政府の指示の下に行動している。",
    "None of the categories applies.": "どの類型にも当たらない。",
    "Evidence: what the answer rests on (a signed pledge, ...).": "根拠: 回答のよりどころ（署名した誓約書など）。",
    "Who gave the answer (default: you).": "回答した人（既定: 自分）。",
    "When it was answered (YYYY-MM-DD; default: today).": "回答した日（YYYY-MM-DD。既定: 今日）。",
    "works or seeds; needed only when an id is both.": "works または seeds。ID が両方にあるときだけ必要です。",
    ("Who on a project has answered the deemed-export questionnaire, who has not, and who needs a licence check."): (
        "プロジェクトで、みなし輸出の確認票に回答した人、まだの人、許可の確認が必要な人。"
    ),
    "Someone on the project (repeatable); the work's authors count too.": (
        "プロジェクトにかかわる人（繰り返し指定可）。論文・プロジェクトの著者も含みます。"
    ),
    "Exit with code 1 when anyone has not answered or needs a licence check.": (
        "未回答の人、または許可の確認が必要な人がいれば終了コード 1 で終わります。"
    ),
    "Move a record's open review to STATE, acting in one of your roles the review requires.": (
        "記録の進行中の審査を STATE に進めます。審査が求めるロールのうち、自分のロールの一つとして行います。"
    ),
    "The work or seed under review.": "審査中の論文・プロジェクトまたはシーズ。",
    "under_review, approved, approved_with_changes, withheld, or draft (back to the author).": (
        "under_review、approved、approved_with_changes、withheld、または draft（作成者に差し戻し）。"
    ),
    "The role you act in, when you hold several.": "複数のロールをもつときに、どのロールとして行うか。",
    "Why (kept with the step and in the audit trail).": "理由（この手順とともに、また監査ログに残ります）。",
    "The open reviews awaiting you: those your roles may act on, and your own returned to draft.": (
        "自分を待っている進行中の審査: 自分のロールで対応できるものと、差し戻された自分のもの。"
    ),
    "A record's release reviews: each step, who took it, when, in which role and why.": (
        "記録の公開審査: 各手順を、誰が、いつ、どのロールで、なぜ行ったか。"
    ),
    "The work or seed.": "論文・プロジェクトまたはシーズ。",
    "Submit a record for release review; the funding and its sensitivity decide which roles must approve.": (
        "記録を公開審査に提出します。資金とその機微度によって、承認が必要なロールが決まります。"
    ),
    "The work or seed to release.": "公開する論文・プロジェクトまたはシーズ。",
    "Funding category: government, private, mixed.": "資金の区分: government、private、mixed。",
    "The funding contract has a publication clause.": "資金の契約に公表に関する条項がある。",
    "Its technology is on a control list (routes to the security officer).": (
        "その技術がリスト規制に該当する（安全保障輸出管理責任者に回ります）。"
    ),
    # kizashi risk-card
    (
        "A project's risk card: technology sensitivity, partner screening, release route, deemed-export "
        "answers and who\nmay read the files, with an overall risk level (low, medium, high, blocked) and "
        "what is missing. Shows what you\nmay read; audited (read, or export with --out)."
    ): (
        "プロジェクトのリスクカード: 技術の機微度、相手先のスクリーニング、公開の経路、みなし輸出の回答、"
        "ファイルを閲覧できる人と、総合のリスク水準（low、medium、high、blocked）および不足している事項。"
        "閲覧できる範囲を表示します。監査ログに記録されます（閲覧、または --out での書き出し）。"
    ),
    "The project: a seed or a work of the workspace.": "プロジェクト: ワークスペースのシーズまたは論文・プロジェクト。",
    "seeds or works; needed only when an id is both.": "seeds または works。ID が両方にあるときだけ必要です。",
    "html, pdf, xlsx or json. Default: from the --out file's suffix; without --out, a summary.": (
        "html、pdf、xlsx、または json。既定: --out のファイルの拡張子から。--out がなければ概要。"
    ),
    "Do not propose control-list items while the technology is undecided.": (
        "技術の該非が未判定のときに、規制リストの項目を提案しません。"
    ),
    "Exit with code 1 unless the risk level is low.": "リスク水準が low でなければ終了コード 1 で終わります。",
    # kizashi screen
    "Research-security screening: partners against lists, technologies against export-control lists.": (
        "研究セキュリティのスクリーニング: 相手先をリストと、技術を輸出管理の規制リストと照合します。"
    ),
    ("The latest control-list decision on every record you may read (or on one), with how many came before."): (
        "閲覧できる各記録（または一つの記録）の該非判定の最新の判定と、それ以前の判定の数。"
    ),
    "Only this record.": "この記録だけ。",
    (
        "Record your decision on whether a record is on a control list (append-only and audited: a later "
        "decision\nsupersedes, never erases)."
    ): (
        "記録が規制リストに該当するかどうかの判定を記録します（追記のみで監査ログに記録: "
        "後の判定が前の判定に優先し、前の判定は消えません）。"
    ),
    "A seed, work or technology of the workspace.": "ワークスペースのシーズ、論文・プロジェクト、または技術。",
    "listed, not-listed, exempt-published or exempt-basic-research.": (
        "listed、not-listed、exempt-published、exempt-basic-research のいずれか。"
    ),
    "The control item's code, e.g. 9(7) or 5A002.a.1.": "規制項目のコード。例: 9(7)、5A002.a.1。",
    "The list of the code, e.g. jp-etco-1 or us-ccl-3-5.": "コードが属するリスト。例: jp-etco-1、us-ccl-3-5。",
    "seeds, works or technologies, when the id is in more than one.": (
        "seeds、works、または technologies。ID が複数にあるときに指定します。"
    ),
    (
        "Record your decision on an alert: this name against this list entry (admins and security officers;\n"
        "append-only and audited: a later decision supersedes, never erases). Later screenings of the same "
        "name show it."
    ): (
        "アラートに対する判定を記録します: "
        "この名前とこのリストの項目について（管理者と安全保障輸出管理責任者。追記のみで監査ログに記録: "
        "後の判定が前の判定に優先し、前の判定は消えません）。"
        "同じ名前の以後のスクリーニングにこの判定が表示されます。"
    ),
    "The screened name, as it was given.": "スクリーニングした名前（指定したとおりに）。",
    "The matched entry's list, as results show it.": "照合したリスト項目が属するリスト（結果に表示されたとおりに）。",
    "The matched entry's id.": "照合したリスト項目の ID。",
    "true-match, false-positive or escalate.": "true-match、false-positive、escalate のいずれか。",
    ("The screening lists loaded in the workspace, every version, the newest of each marked (screening uses it)."): (
        "ワークスペースに取り込んだスクリーニングのリストの全版。"
        "リストごとに最新版に印を付けます（スクリーニングには最新版を使います）。"
    ),
    (
        "Load a screening list into the workspace as the newest version of that list, in one transaction (a "
        "file that\ndoes not read leaves the workspace as it was). Earlier versions are kept; screening uses "
        "the newest. For admins\nand security officers; audited."
    ): (
        "スクリーニングのリストを、"
        "そのリストの最新版として一つのトランザクションでワークスペースに取り込みます（読めないファイルならワ"
        "ークスペースは元のままです）。以前の版も残し、スクリーニングには最新版を使います。"
        "管理者と安全保障輸出管理責任者向け。監査ログに記録します。"
    ),
    (
        "The list: UN consolidated XML, an OFAC legacy CSV folder, FollowTheMoney JSON lines, Japan's "
        "export-ban designations as METI's parsed_entities.json, or the generic CSV."
    ): (
        "リスト: 国連統合制裁リストの XML、OFAC の旧形式 CSV のフォルダー、FollowTheMoney 形式の JSON Lines、"
        "日本の輸出禁止の対象指定（経済産業省の parsed_entities.json）、または汎用 CSV。"
    ),
    "The list's name in the workspace (default: the name the file gives).": (
        "ワークスペースでのリストの名前（既定: ファイルに書かれた名前）。"
    ),
    (
        "The list's publication date (YYYY-MM-DD), for a file that states none (METI's, OFAC's legacy CSV); "
        "a date the file states wins."
    ): (
        "リストの公表日（YYYY-MM-DD）。日付の書かれていないファイル（経済産業省のもの、OFAC の旧形式 CSV）"
        "に使います。ファイルに日付があればそちらを使います。"
    ),
    (
        "Screen partners (companies, universities, people) against end-user and sanctions lists, in Japanese "
        "and\nEnglish: legal forms, width, case, kana/kanji readings, Cyrillic and Chinese are normalised; "
        "every match explains\nwhich words matched how and names the list version (source, date, SHA-256). "
        "With --list it needs no workspace;\nwithout, it screens against the workspace's lists, each match "
        "with the list version's id and the latest\nofficer's decision on it that you may read (kizashi "
        "screen decide), and the run is audited.\n\nExit code 1 when any name has an alert (a match at or "
        "above the threshold; in a workspace, one not decided a\nfalse positive), 0 when none has, 2 for bad "
        "input."
    ): (
        "相手先（企業、大学、個人）を、エンドユーザーリストや制裁リストと日本語・英語で照合します。法人格、"
        "全角・半角、大文字・小文字、かな・漢字の読み、キリル文字、中国語を正規化し、各一致について、"
        "どの語がどう一致したかとリストの版（出典、日付、SHA-256）を示します。--list "
        "を指定すればワークスペースは不要です。指定しなければワークスペースのリストと照合し、"
        "各一致にリストの版の ID と、閲覧できる安全保障輸出管理責任者の最新の判定（kizashi screen decide）"
        "を添え、実行は監査ログに記録されます。\n\nアラート（しきい値以上の一致。"
        "ワークスペースでは誤検知と判定されていないもの）のある名前があれば終了コード 1、なければ 0、"
        "入力が正しくなければ 2 で終わります。"
    ),
    "Names to screen: CSV, XLSX or JSONL with id, name (optional country, type).": (
        "スクリーニングする名前: id、name（任意で country、type）をもつ CSV、XLSX、または JSONL。"
    ),
    (
        "A screening list (repeatable): UN consolidated XML, an OFAC legacy CSV folder (sdn/alt/add or "
        "cons_prim/alt/add), OpenSanctions FollowTheMoney JSON lines, METI parsed_entities.json, or the "
        "generic CSV id,name,aliases,type,country,list,program (aliases separated by ;). Without --list: the "
        "newest version of each list loaded in the workspace (kizashi screen load)."
    ): (
        "スクリーニングのリスト（繰り返し指定可）: 国連統合制裁リストの XML、OFAC の旧形式 CSV "
        "のフォルダー（sdn/alt/add または cons_prim/alt/add）、OpenSanctions の FollowTheMoney 形式の JSON "
        "Lines、経済産業省の parsed_entities.json、または列 id,name,aliases,type,country,list,program の汎用 "
        "CSV（aliases は ; 区切り）。--list がなければ、ワークスペースに取り込んだ各リストの最新版（kizashi "
        "screen load）。"
    ),
    (
        "Lowest score that is an alert, 0-1. Default 0.60: under 1 % false alerts on real organisation names "
        "(benchmarks/screening.py); lower finds more aliases and raises more alerts to check."
    ): (
        "アラートとするスコアの下限（0〜1）。既定 0.60: 実在の組織名で誤アラートが 1 % "
        "未満（benchmarks/screening.py）。低くすると別名をより多く見つけますが、"
        "確認すべきアラートも増えます。"
    ),
    "Matches kept per name, best first.": "名前ごとに残す一致の数（よい順）。",
    "jsonl, csv or xlsx.": "jsonl、csv、または xlsx。",
    (
        "Propose, for every technology, the control-list items it may fall under, with evidence (matching "
        "terms in\nJapanese and English, shared concepts, parameters against thresholds). Each has a score, "
        "the probability that it\nis right, and a level: check (specific evidence and a score of at least "
        "KIZASHI_CONTROLS_THRESHOLD) or ask. It\nproposes; a person decides (kizashi screen classify). Needs "
        "no workspace."
    ): (
        "技術ごとに、該当しうる規制リストの項目を根拠（日本語と英語で一致した用語、共通の概念、"
        "しきい値と比べたパラメーター）とともに提案します。各提案には、スコア、正しい確率、水準（check: "
        "具体的な根拠があり、スコアが KIZASHI_CONTROLS_THRESHOLD 以上。ask: それ以外）が付きます。"
        "提案するだけで、判定は人が行います（kizashi screen classify）。ワークスペースは不要です。"
    ),
    "Technologies: CSV, XLSX, JSONL with id, title, description (repeatable).": (
        "技術: id、title、description をもつ CSV、XLSX、JSONL（繰り返し指定可）。"
    ),
    (
        "A control list: a bundled name (jp-etco-1, us-ccl-3-5, all) or a CSV/JSON file with list, code, "
        "title, text, parent (repeatable)."
    ): (
        "規制リスト: 同梱のリストの名前（jp-etco-1、us-ccl-3-5、all）、または列 list、code、title、text、"
        "parent をもつ CSV/JSON ファイル（繰り返し指定可）。"
    ),
    "Candidate items per technology.": "技術ごとの候補項目の数。",
}
