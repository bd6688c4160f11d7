"""The message table's words for the review pages (key → Japanese, English), merged into web.i18n.MESSAGES."""

from __future__ import annotations

REVIEW_MESSAGES: dict[str, tuple[str, str]] = {
    # My submissions (release.mine): a submitter sees what they submitted and who acts next.
    "review_mine": ("自分が申請した審査", "My submissions"),
    "review_mine_text": (
        "あなたが申請した成果公表審査です（閲覧できるもののみ）。新しい申請が上に表示されます。",
        "The release reviews you submitted (those you may still read), the latest first.",
    ),
    "review_mine_none": ("あなたが申請した審査はありません。", "You have submitted no review."),
    "review_submitted_at": ("申請日時", "Submitted"),
    "review_next": ("次に対応する者", "Who acts next"),
    "review_next_you": ("あなた（差し戻し：修正して再申請）", "You (returned: revise and resubmit)"),
    "review_next_nobody": ("なし（審査終了）", "Nobody (the review is final)"),
    "review_submitted_note": ("審査を申請しました。", "Submitted for review."),
    # A review nobody can approve (protect/release/eligible.py), with what would unblock it.
    "review_stuck": (
        "この審査は、現在の利用者では承認できる者がいないため完了できません",
        "Nobody can approve this review as the users stand today: it cannot finish",
    ),
    "review_stuck_short": ("承認できる者がいない", "Nobody can approve"),
    "review_stuck_role": ("{role}：承認できる者がいません。", "{role}: nobody can approve."),
    "review_stuck_raise": ("{user} の資格を{level}に引き上げる", "raise {user}'s clearance to {level}"),
    "review_stuck_raise_someone": (
        "{role}の役割を持つ利用者の資格を{level}に引き上げる",
        "raise the clearance of a user with the role {role} to {level}",
    ),
    "review_stuck_compartments": ("区画 {compartments} を付与する", "grant the compartments {compartments}"),
    "review_stuck_add": (
        "{role}の役割を持つ承認者（{level}以上の資格）を追加する",
        "add an approver with the role {role}, cleared to {level}",
    ),
    "review_stuck_or": ("、または", ", or "),
    "review_stuck_unblock": ("解消するには：", "To unblock it: "),
    "review_stuck_ask": (
        "利用者と資格の変更は管理者が行います。",
        "An administrator changes users and clearances.",
    ),
    # The confirmation before a final move (approve, approve with changes, withhold).
    "review_confirm": ("操作の確認", "Confirm"),
    "review_confirm_title": ("この操作は取り消せません", "This cannot be undone"),
    "review_confirm_withhold": (
        "この審査を「公表不可」として終了します。審査は最終状態となり、再開できません。公表するには、修正した記録で新たに申請する必要があります。",
        "The review ends as withheld. It becomes final and cannot be reopened; releasing the results needs a new "
        "submission of a revised record.",
    ),
    "review_confirm_approve": (
        "あなたの承認を記録します。承認待ちの最後の役割であれば、審査は「承認」で終了します。承認は取り消せません。",
        "Your approval is recorded. If yours is the last approval awaited, the review ends as approved. An approval "
        "cannot be taken back.",
    ),
    "review_confirm_approve_with_changes": (
        "修正付きの承認を記録します。承認待ちの最後の役割であれば、審査は「修正付き承認」で終了します。承認は取り消せません。",
        "Your approval with changes is recorded. If yours is the last approval awaited, the review ends as approved "
        "with changes. An approval cannot be taken back.",
    ),
    "review_confirm_button": ("確定する", "Confirm"),
    "review_confirm_cancel": ("取り消して戻る", "Cancel and go back"),
    "review_confirm_record": ("対象", "Record"),
    "review_confirm_action": ("操作", "Action"),
    # The risk card index (/risk).
    "risk_index": ("リスクカード一覧", "Risk cards"),
    "risk_index_text": (
        "閲覧できるプロジェクト（シーズ・成果）とそのリスクカードの状況です。",
        "The projects (seeds and works) you may read, with the state of their risk cards.",
    ),
    "risk_index_none": ("閲覧できるプロジェクトはありません。", "There is no project you may read."),
    "risk_index_open": ("カードを開く", "Open the card"),
    "risk_index_missing": ("不足", "Missing"),
    "risk_index_more": ("このページに {shown} 件（全 {total} 件）", "{shown} on this page, of {total}"),
    "risk_finding_release_unapprovable": (
        "成果公表審査を承認できる者がいない",
        "Nobody can approve the release review",
    ),
}
