"""Japanese and English for the web pages. Japanese is the default; `?lang=en` switches and a cookie remembers it.

Messages are a table in code (key → Japanese, English): a missing translation fails a test, not a page.
"""

from __future__ import annotations

LANGUAGES = ("ja", "en")
DEFAULT_LANGUAGE = "ja"

MESSAGES: dict[str, tuple[str, str]] = {
    "app": ("兆し kizashi", "kizashi"),
    "tagline": (
        "安全・安心のための科学技術イノベーション",
        "Science, technology and innovation for safety and security",
    ),
    "dashboard": ("ダッシュボード", "Dashboard"),
    "needs": ("ニーズ", "Needs"),
    "seeds": ("シーズ", "Seeds"),
    "works": ("論文・プロジェクト", "Works"),
    "threats": ("脅威", "Threats"),
    "technologies": ("技術", "Technologies"),
    "admin": ("管理", "Admin"),
    "users": ("利用者", "Users"),
    "login": ("ログイン", "Log in"),
    "logout": ("ログアウト", "Log out"),
    "user_name": ("利用者名", "User name"),
    "password": ("パスワード", "Password"),
    "search": ("検索", "Search"),
    "search_placeholder": ("キーワード（空白区切りですべてを含む）", "Words (all must match)"),
    "all": ("すべて", "All"),
    "results": ("件", "results"),
    "no_results": ("該当する記録はありません。", "No matching records."),
    "previous": ("前へ", "Previous"),
    "next": ("次へ", "Next"),
    "new_need": ("ニーズを登録", "New need"),
    "new_seed": ("シーズを登録", "New seed"),
    "save": ("登録", "Save"),
    "saved": ("登録しました。", "Saved."),
    "your_clearance": ("あなたの資格", "Your clearance"),
    "clearance_notes": ("注記", "Notes"),
    "records_you_may_read": ("閲覧できる記録数", "Records you may read"),
    "label": ("区分", "Label"),
    "level": ("区分", "Level"),
    "compartments": ("区画（ニード・トゥ・ノウ）", "Compartments (need to know)"),
    "none": ("なし", "none"),
    "page_label": ("このページの区分", "This page is labelled"),
    "not_found": ("見つかりません", "Not found"),
    "not_found_text": (
        "お探しの記録は存在しないか、閲覧できません。",
        "There is no such record, or you may not read it.",
    ),
    "forbidden": ("権限がありません", "Not allowed"),
    "error": ("エラー", "Error"),
    "login_failed": ("利用者名またはパスワードが違います。", "Wrong user name or password."),
    "too_many": (
        "ログインの失敗が多すぎます。しばらく待ってから再度お試しください。",
        "Too many failed logins; wait a few minutes and try again.",
    ),
    "csrf_failed": (
        "フォームの有効期限が切れました。ページを再読み込みしてください。",
        "The form has expired; reload the page and try again.",
    ),
    "id": ("ID", "ID"),
    "title": ("件名", "Title"),
    "description": ("説明", "Description"),
    "lang": ("言語", "Language"),
    "organization": ("組織", "Organisation"),
    "organisation": ("組織", "Organisation"),
    "country": ("国", "Country"),
    "trl": ("TRL", "TRL"),
    "threat": ("対応する脅威", "Threat"),
    "deadline": ("期限", "Deadline"),
    "keywords": ("キーワード", "Keywords"),
    "source": ("出典", "Source"),
    "year": ("年", "Year"),
    "doi": ("DOI", "DOI"),
    "countries": ("国", "Countries"),
    "cited_by_count": ("被引用数", "Cited by"),
    "category": ("分類", "Category"),
    "name_ja": ("名称（日本語）", "Name (Japanese)"),
    "name_en": ("名称（英語）", "Name (English)"),
    "likelihood": ("発生可能性", "Likelihood"),
    "impact": ("影響度", "Impact"),
    "horizon": ("時間軸", "Horizon"),
    "parent": ("上位", "Parent"),
    "type": ("種別", "Type"),
    "keywords_hint": ("セミコロン（;）区切り", "separated by ;"),
    "roles": ("役割", "Roles"),
    "display_name": ("表示名", "Display name"),
    "active": ("有効", "Active"),
    "grants": ("資格付与", "Grants"),
    "granted_at": ("付与日", "Granted"),
    "expires_at": ("有効期限", "Expires"),
    "granted_by": ("付与者", "Granted by"),
    "reason": ("理由", "Reason"),
    "revoked": ("取消済", "Revoked"),
    "grant": ("資格を付与", "Grant"),
    "revoke": ("取消", "Revoke"),
    "renew": ("更新", "Renew"),
    "trainings": ("研修記録", "Training records"),
    "course": ("研修", "Course"),
    "completed_at": ("修了日", "Completed"),
    "record_training": ("研修修了を記録", "Record training"),
    "add_user": ("利用者を追加", "Add user"),
    "set_password": ("パスワードを設定", "Set password"),
    "done": ("完了しました。", "Done."),
    "api_docs": ("API 仕様", "API reference"),
    "language_switch": ("English", "日本語"),
}


def translate(key: str, lang: str) -> str:
    pair = MESSAGES.get(key)
    if pair is None:
        return key
    return pair[0] if lang == "ja" else pair[1]
