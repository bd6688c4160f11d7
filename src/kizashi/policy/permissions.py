"""Named permissions: one table of actions to the roles that may take them, and one `require(actor, action)`.

Reading is not in the table: who may read a record is its label's business (kizashi.policy.labels). The table says
who may *do* what beyond reading. Release review is not in it either: who approves a release is decided per
release by the routing rules (protect/release/routing.py), which are data of their own.

A workspace with no users yet is unmanaged: its operator may do everything (they hold the files anyway).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kizashi.errors import AccessDenied
from kizashi.policy.actor import Actor

ROLES = ("analyst", "principal_investigator", "programme_manager", "security_officer", "admin")
ADMINS = frozenset({"admin"})
OFFICERS = frozenset({"admin", "security_officer"})


@dataclass(frozen=True)
class Permission:
    roles: frozenset[str]
    what: str  # for the refusal: "<user> may not <what>"
    what_ja: str = ""  # the same in Japanese, for the lists of roles (`kizashi user roles`, the admin page)


PERMISSIONS: dict[str, Permission] = {
    "users.administer": Permission(
        ADMINS,
        "administer users, grants, trainings, passwords and tokens",
        "利用者・クリアランス付与・研修・パスワード・トークンを管理する",
    ),
    "users.approve": Permission(
        ADMINS,
        "approve another admin's change (the two-person rule)",
        "他の管理者の変更を承認する（二人承認の原則）",
    ),
    "users.read": Permission(ADMINS, "read another user's details", "他の利用者の詳細を見る"),
    "directory.read": Permission(
        OFFICERS, "see who by name may read a project", "プロジェクトを閲覧できる人を名前で確認する"
    ),
    "audit.read": Permission(OFFICERS, "read or export the audit trail", "監査証跡を閲覧・エクスポートする"),
    "audit.key": Permission(
        OFFICERS,
        "seal the audit trail's earlier events with its key",
        "監査証跡の過去のイベントを鍵で封印する",
    ),
    "records.load_for_all": Permission(
        ADMINS,
        "load records labelled above your own clearance",
        "自分のクリアランスを超える区分の記録を取り込む",
    ),
    "screening.load": Permission(OFFICERS, "load screening lists", "スクリーニングリストを取り込む"),
    "screening.decide": Permission(OFFICERS, "decide on screening alerts", "スクリーニングのアラートを判定する"),
    "screening.see_loaders": Permission(
        OFFICERS, "see who loaded each screening list", "各スクリーニングリストを取り込んだ人を確認する"
    ),
    "controls.decide": Permission(OFFICERS, "decide control-list classifications", "規制リスト該非判定を決定する"),
    "deemed_export.answer_for_others": Permission(
        frozenset({"security_officer", "principal_investigator", "admin"}),
        "record another person's deemed-export answer",
        "他の人のみなし輸出の回答を記録する",
    ),
}


def grants(roles: Iterable[str], action: str) -> bool:
    """Whether holding `roles` lets a user take `action` (an unknown action is a programming error): what a stored
    user may do, where `allowed` says what the actor at hand may."""
    return bool(PERMISSIONS[action].roles & set(roles))


def allowed(actor: Actor, action: str) -> bool:
    """Whether `actor` may take `action`."""
    return not actor.managed or grants(actor.roles, action)


def require(actor: Actor, action: str) -> None:
    """AccessDenied unless `actor` may take `action`; the service that asks writes the refusal to the audit trail."""
    if not allowed(actor, action):
        roles = ", ".join(sorted(PERMISSIONS[action].roles))
        raise AccessDenied(f"'{actor.user}' may not {PERMISSIONS[action].what}: that needs one of the roles {roles}")
