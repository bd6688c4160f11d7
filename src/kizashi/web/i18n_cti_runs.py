"""The message table's words for the correlation runs' pages (key → Japanese, English), merged into
web.i18n.MESSAGES."""

from __future__ import annotations

CTI_RUNS_MESSAGES: dict[str, tuple[str, str]] = {
    "cti_runs": ("照合の実行", "Correlation runs"),
    "cti_runs_intro": (
        "自組織の観測（プロキシ・DNS・EDR の出力）を、読めるインディケーターと照合した記録です。自分の実行だけが見えます（監査担当者はすべて）。",
        "Your correlations of your own observations (proxy, DNS or EDR exports) with the indicators you may read. "
        "You see your own runs (auditors see every run).",
    ),
    "cti_runs_link": ("照合の実行の一覧", "Correlation runs"),
    "cti_runs_none": ("照合の実行はまだありません。", "No correlation run yet."),
    "cti_runs_new": ("観測ファイルを照合する", "Correlate an observation file"),
    "cti_run": ("照合の実行", "Correlation run"),
    "cti_run_at": ("実行日時", "When"),
    "cti_run_user": ("実行者", "Run by"),
    "cti_run_file": ("観測ファイル", "Observation file"),
    "cti_run_observations": ("観測数", "Observations"),
    "cti_run_indicators": ("照合したインディケーター", "Indicators evaluated"),
    "cti_run_hits": ("該当", "Hits"),
    "cti_run_since": ("この日時以降の観測", "Observations since"),
    "cti_run_summary": (
        "観測 {observations} 件をインディケーター {indicators} 件と照合しました。",
        "{observations} observations against {indicators} indicators.",
    ),
    "cti_run_no_hits": ("閲覧できる該当はありません。", "No hit you may read."),
    "cti_run_indicator": ("インディケーター", "Indicator"),
    "cti_run_collection": ("コレクション", "Collection"),
    "cti_run_count": ("件数", "Count"),
    "cti_run_first_seen": ("初観測", "First seen"),
    "cti_run_last_seen": ("最終観測", "Last seen"),
    "cti_run_indicates": ("示す脅威", "Indicates"),
    "cti_run_assets": ("狙われている研究資産", "Research assets at stake"),
    "cti_run_no_assets": ("結び付いた研究資産はありません", "No research asset tied"),
    "cti_run_sighting": ("サイティング", "Sighting"),
    "cti_run_not_recorded": ("記録していません", "Not recorded"),
    "cti_run_samples": ("該当した観測（先頭）", "Matching observations (first)"),
    "cti_run_row": ("行", "Row"),
    "cti_run_value": ("値", "Value"),
    "cti_run_skipped": ("評価しなかったインディケーター", "Indicators not evaluated"),
    "cti_run_back": ("照合の実行の一覧へ", "Back to the correlation runs"),
    "cti_correlate": ("観測ファイルの照合", "Correlate observations"),
    "cti_correlate_intro": (
        "観測ファイル（CSV・TSV・JSON Lines、gzip 圧縮も可）をアップロードすると、読めるインディケーターと照合し、該当をサイティングとして記録して、実行を保存します。",
        "Upload an observation file (CSV, TSV or JSON lines, gzipped too): it is correlated with the indicators you "
        "may read, the hits are recorded as sightings, and the run is kept.",
    ),
    "cti_correlate_file": ("観測ファイル", "Observation file"),
    "cti_correlate_since": ("この日付以降の観測だけ（任意）", "Only observations since (optional)"),
    "cti_correlate_button": ("照合する", "Correlate"),
}
