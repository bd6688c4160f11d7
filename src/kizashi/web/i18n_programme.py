"""The message table's words for the programme pages (key → Japanese, English), merged into web.i18n.MESSAGES."""

from __future__ import annotations

PROGRAMME_MESSAGES: dict[str, tuple[str, str]] = {
    "programmes": ("プログラム", "Programmes"),
    "programmes_text": (
        "閲覧できる目標と、その下のプロジェクトです。目標を開くとダッシュボードを表示します。",
        "The goals you may read with the projects under them. Open a goal for its dashboard.",
    ),
    "programmes_none": ("閲覧できる目標はありません。", "There is no goal you may read."),
    "programme_no_projects": ("プロジェクトはまだありません。", "No project yet."),
    "programme_goal": ("目標", "Goal"),
    "programme_target_date": ("目標期日", "Target date"),
    "programme_target": ("社会実装の目標", "Target for use in society"),
    "programme_capability": ("必要な能力", "Capability needed"),
    "programme_threats": ("対応する脅威", "Threats"),
    "programme_proposals_count": ("提案 {count} 件", "{count} proposals"),
    "programme_project": ("プロジェクト", "Project"),
    "programme_manager": ("プログラムマネージャー", "Programme manager"),
    "programme_project_state": ("実施状況", "State"),
    "programme_status": ("進捗評価", "Progress"),
    "programme_why": ("理由", "Why"),
    "programme_status_on_track": ("順調", "On track"),
    "programme_status_at_risk": ("要注意", "At risk"),
    "programme_status_off_track": ("遅延・不調", "Off track"),
    "programme_rule_link": (
        "進捗評価の規則：直近のステージゲートの評価、ロードマップに対する TRL の進み具合、期限を過ぎたゲート。",
        "The progress rule: the last stage gate's ratings, TRL progress against the roadmap, overdue gates.",
    ),
    "programme_by_status": ("進捗評価別のプロジェクト", "Projects by progress"),
    "programme_last_gate": ("直近のゲート判定", "Last gate decision"),
    "programme_no_gate": ("判定なし", "No decision yet"),
    "programme_reason_stopped": ("ゲートで中止された", "Stopped at a gate"),
    "programme_reason_status_on_hold": ("保留中", "On hold"),
    "programme_reason_status_rework": ("計画見直し中", "In rework"),
    "programme_reason_outlook_c": (
        "ゲート「{gate}」で最終目標の見通しが c（不十分）",
        "Gate “{gate}” rated the outlook for the final target c (not)",
    ),
    "programme_reason_outlook_b": (
        "ゲート「{gate}」で最終目標の見通しが b（概ね）",
        "Gate “{gate}” rated the outlook for the final target b (mostly)",
    ),
    "programme_reason_achieved_c": (
        "ゲート「{gate}」で目標の達成度が c（不十分）",
        "Gate “{gate}” rated the target achieved c (not)",
    ),
    "programme_reason_gate_overdue": (
        "{due} 期限のゲートが {months} か月超過",
        "The gate due {due} is {months} months overdue",
    ),
    "programme_reason_gate_overdue_long": (
        "{due} 期限のゲートが {months} か月超過（3 か月以上）",
        "The gate due {due} is {months} months overdue (3 or more)",
    ),
    "programme_reason_trl_unassessed": (
        "TRL が未評価（計画では現在 TRL {planned}）",
        "No TRL assessed (the plan is TRL {planned} by now)",
    ),
    "programme_reason_trl_behind": (
        "TRL {trl} が計画（TRL {planned}）より 1 段階遅れ",
        "TRL {trl} is one level behind the plan (TRL {planned})",
    ),
    "programme_reason_trl_behind_far": (
        "TRL {trl} が計画（TRL {planned}）より 2 段階以上遅れ",
        "TRL {trl} is two or more levels behind the plan (TRL {planned})",
    ),
    "programme_budget": ("予算：計画と執行中", "Budget: plan and committed"),
    "programme_budget_text": (
        "年度ごとの計画額（全プロジェクト）と、中止により解放された額を除いた執行中の額です。実績の支出は記録していません。",
        "Per year, the budget planned (every project's) and what stays committed once stopped projects released "
        "theirs. Actual expenditure is not recorded.",
    ),
    "programme_budget_none": ("予算を持つプロジェクトはありません。", "No project carries a budget."),
    "programme_year": ("年度", "Year"),
    "programme_planned": ("計画額", "Planned"),
    "programme_committed": ("執行中", "Committed"),
    "programme_released": ("中止により解放", "Released by stops"),
    "programme_trl": ("TRL の進み具合", "TRL progress"),
    "programme_trl_text": (
        "棒は最新の TRL 評価、縦線はロードマップ上の現在の計画、菱形は目標です。",
        "A bar is the latest TRL assessment, a tick the roadmap's plan for today, a diamond the target.",
    ),
    "programme_trl_latest": ("最新の TRL", "Latest TRL"),
    "programme_trl_planned": ("現在の計画", "Plan for today"),
    "programme_trl_target": ("目標 TRL", "Target TRL"),
    "programme_next_gates": ("次のゲート", "Next gates"),
    "programme_next_gates_none": (
        "予定されたゲートはありません（ゲートの期限はロードマップの項目の終了月です）。",
        "No gate is scheduled (a gate is due at the end month of the project's roadmap items).",
    ),
    "programme_due": ("期限", "Due"),
    "programme_overdue": ("{months} か月超過", "{months} months overdue"),
    "programme_roadmap_item": ("ロードマップ項目", "Roadmap item"),
    "programme_barriers": ("未解消の障壁", "Open barriers"),
    "programme_barriers_none": ("未解消の障壁はありません。", "No open barrier."),
    "programme_barrier": ("障壁", "Barrier"),
    "programme_barrier_kind": ("種類", "Kind"),
    "programme_barrier_owner": ("解消の担当", "Owner"),
    "programme_blocks_here": ("この目標のロードマップで妨げている項目", "Blocks in this goal's roadmap"),
    "programme_roadmap": ("ロードマップ", "Roadmap"),
    "programme_roadmap_none": (
        "この目標のロードマップはありません（ワークスペースの roadmaps フォルダに、goal でこの目標を指すファイルを置くと表示されます）。",
        "This goal has no roadmap (a file in the workspace's roadmaps folder whose goal names this goal is shown here).",
    ),
    "programme_as_of": ("{day} 時点", "As of {day}"),
    "programme_none_value": ("—", "—"),
}
