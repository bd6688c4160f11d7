"""The lists are named as what they are: the bundled Japanese lists are export-ban designations (not METI's End User
List), in Japanese and English wherever a list is named; a list's own date is the date it states, or the one its
loader gives, never the file's modification day; a workspace from before the rename keeps one list, renamed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import update

from kizashi.model.screening import ScreeningListVersion
from kizashi.protect.people import actor_for as as_user
from kizashi.protect.screening.list_names import list_title
from kizashi.protect.screening.store import list_versions, load_list
from kizashi.store.migrate import alembic_config, upgrade
from kizashi.store.workspace import Workspace

METI = Path(__file__).parents[2] / "fixtures" / "lists" / "meti_parsed_entities.json"


def test_titles_say_what_the_lists_are() -> None:
    assert "輸出禁止" in list_title("METI export ban lists", "ja") and "エンドユーザー" not in list_title(
        "METI export ban lists", "ja"
    )
    assert "export ban" in list_title("METI third_countries", "en")
    assert list_title("METI end-user lists", "en") == list_title("METI export ban lists", "en")  # stored earlier
    assert list_title("our partners' own list", "ja") == "our partners' own list"


def test_a_date_the_file_does_not_state_comes_from_the_loader(workspace: Workspace, cli: Any) -> None:
    loaded = load_list(workspace, as_user(workspace, "officer"), METI, date="2025-09-12")
    assert loaded.version["date"] == "2025-09-12" and loaded.version["list"] == "METI export ban lists"
    assert "輸出禁止措置" in loaded.version["title_ja"]
    refused = cli("screen", "load", METI, "--name", "again", "--date", "12 Sept")
    assert refused.code == 2 and "date" in refused.err


def test_a_workspace_from_before_the_rename_keeps_one_list(workspace: Workspace) -> None:
    owner = as_user(workspace, "officer")
    load_list(workspace, owner, METI)
    command.downgrade(alembic_config(workspace.engine), "0012")
    with workspace.session() as session:  # what an earlier kizashi stored
        session.execute(update(ScreeningListVersion).values(list_name="METI end-user lists"))
    upgrade(workspace.engine)
    again = load_list(workspace, owner, METI)
    assert again.unchanged  # the same list, not a second one beside it
    assert [v["list"] for v in list_versions(workspace, owner)] == ["METI export ban lists"]
