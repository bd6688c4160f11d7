"""Release review refuses in Japanese under KIZASHI_LANG=ja (it once said "'…' is both a work and a seed" in English
there), and the machine names its actions and states in the reader's language while the English stays as it was."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kizashi.errors import KizashiError
from kizashi.protect.release.machine import decide
from kizashi.store.workspace import Workspace

WORKS = Path(__file__).parents[1] / "fixtures" / "openalex" / "works_flat_40.csv"


def test_an_id_both_a_work_and_a_seed_is_refused_in_japanese(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, cli, tmp_path: Path
) -> None:
    assert cli("ingest", "works", WORKS).code == 0
    twin = json.loads(cli("list", "works", "--format", "json").out)[0]["id"]  # as stored: openalex:W…
    seeds = tmp_path / "seeds.csv"
    seeds.write_text(f"id,title\n{twin},A seed with a work's id\n", encoding="utf-8")
    assert cli("ingest", "seeds", seeds).code == 0
    monkeypatch.setenv("KIZASHI_LANG", "ja")
    refused = cli("review", "submit", twin, "--funding", "private")
    assert refused.code == 2
    assert refused.err.strip() == (
        f"エラー: 項目「kind」: 「{twin}」は論文・プロジェクトとシーズの両方にあります。--kind で種別を指定してください"
    )
    monkeypatch.setenv("KIZASHI_LANG", "en")
    refused = cli("review", "submit", twin, "--funding", "private")
    assert f"'{twin}' is both a work and a seed; name the kind (--kind)" in refused.err


def test_the_machine_says_its_action_and_state_in_each_language() -> None:
    with pytest.raises(KizashiError) as refused:
        decide([], "pi", frozenset({"principal_investigator"}), "approve_with_changes", datetime.now(UTC))
    assert str(refused.value) == (
        "field 'state': cannot approve with changes a review that is draft (from draft: submit)"
    )
    assert (
        refused.value.said("ja")
        == "項目「state」: 下書きの審査に「修正付き承認」はできません（下書きからできる操作: submit）"
    )
