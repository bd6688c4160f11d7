"""The command line in Japanese (KIZASHI_LANG=ja): errors of the CLI, of the services behind it and of the landscape
come out in Japanese with no English left; its own lines and the headings of its tables too, while files keep their
English keys; in English everything reads as before."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest

from kizashi.store.records import LIST_COLUMNS
from kizashi.store.workspace import Workspace

FIXTURES = Path(__file__).parents[1] / "fixtures"
NEEDS = FIXTURES / "needs" / "needs.csv"
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


@pytest.fixture
def japanese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIZASHI_LANG", "ja")
    monkeypatch.setenv("COLUMNS", "200")


def said_error(err: str) -> str:
    """The error the CLI printed, after its heading (which must be the Japanese one)."""
    assert err.startswith("エラー: "), err
    return err.removeprefix("エラー: ").strip()


@pytest.mark.parametrize(
    ("args", "japanese_text", "english_text"),
    [
        (["list", "widgets"], "種類「widgets」は不明です", "unknown kind"),
        (["list", "needs", "--format", "yaml"], "形式「yaml」は不明です", "unknown format"),
        (["list", "needs", "--format", "table", "--out", "x.txt"], "--out はファイルに書き出します", "writes a file"),
        (["match", "--needs", "needs.csv"], "--needs と --seeds は両方指定するか", "give both"),
        (["match", "--format", "html"], "--format html には --out FILE が必要です", "needs --out"),
        (["--mode", "777", "status"], "8 進数のモードを指定してください", "octal mode"),
    ],
)
def test_errors_of_the_command_line_in_japanese(
    japanese: None, cli, args: list[str], japanese_text: str, english_text: str
) -> None:
    result = cli(*args)
    assert result.code == 2
    error = said_error(result.err)
    assert japanese_text in error
    assert english_text not in error


def test_errors_of_the_services_in_japanese_with_their_field(workspace: Workspace, japanese: None, cli) -> None:
    judged = cli("judge", "n1", "s1", "maybe")
    assert judged.code == 2
    error = said_error(judged.err)
    assert error == "項目「decision」: 判定「maybe」は accept, reject, later のいずれかにしてください"
    scanned = cli("scan", "--out", "scan-out", "--from", "2020", "--to", "2019")
    assert scanned.code == 2
    error = said_error(scanned.err)
    assert "--from 2020 が --to 2019 より後です" in error and "is after" not in error


def test_the_same_errors_in_english(workspace: Workspace, monkeypatch: pytest.MonkeyPatch, cli) -> None:
    monkeypatch.setenv("KIZASHI_LANG", "en")
    judged = cli("judge", "n1", "s1", "maybe")
    assert judged.err.strip() == "error: field 'decision': decision 'maybe' must be one of accept, reject, later"
    listed = cli("list", "needs", "--format", "yaml")
    assert "unknown format 'yaml'; use one of" in listed.err and not JAPANESE.search(listed.err)


def test_a_listing_in_japanese_keeps_english_keys_in_files(workspace: Workspace, japanese: None, cli) -> None:
    loaded = cli("ingest", "needs", NEEDS)
    assert loaded.code == 0, loaded.err
    assert re.search(r"ニーズ: 追加 \d+ 件、更新 0 件、変更なし 0 件、除外 0 件", loaded.out), loaded.out
    table = cli("list", "needs")
    assert table.code == 0, table.err
    for heading in ("件名", "言語", "組織", "区分", "期限", "ニーズ"):
        assert heading in table.out, heading
    assert not re.search(r"\b(title|organization|deadline|level)\b", table.out)
    files = cli("list", "needs", "--format", "csv")
    assert next(csv.reader(io.StringIO(files.out)))[: len(LIST_COLUMNS["needs"])] == LIST_COLUMNS["needs"]
    counts = cli("status")
    assert "ワークスペース: " in counts.out and "種類" in counts.out and "記録" in counts.out


def test_a_warning_in_japanese(japanese: None, cli, tmp_path: Path) -> None:
    needs, seeds = tmp_path / "needs.csv", tmp_path / "seeds.csv"
    needs.write_text("id,title\nn1,Container inspection at borders\n", encoding="utf-8")
    seeds.write_text("id,title\ns1,Muon tomography of containers\n", encoding="utf-8")
    result = cli("match", "--needs", needs, "--seeds", seeds, "--format", "csv")
    assert result.code == 0, result.err
    assert f"警告: {needs} のニーズには説明がありません" in result.err
    assert "warning: " not in result.err and "has a description" not in result.err


def test_the_frameworks_own_words_follow_the_language(monkeypatch: pytest.MonkeyPatch, cli) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("KIZASHI_LANG", "ja")
    helped = cli("list", "--help")
    assert helped.code == 0 and "オプション" in helped.out and "[必須]" in helped.out
    wrong = cli("list", "needs", "--wat")
    assert wrong.code == 2 and "説明は 'kizashi list --help' で表示できます。" in wrong.err
    monkeypatch.setenv("KIZASHI_LANG", "en")
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")  # the chosen language wins over the locale
    english = cli("list", "--help")
    assert "Options" in english.out and "オプション" not in english.out
    assert os.environ.get("LANGUAGE") is None  # the run put gettext's language back


def test_the_committed_catalogue_is_the_table() -> None:
    from kizashi.cli.usage_ja import compiled, locale_dir

    committed = (locale_dir() / "ja" / "LC_MESSAGES" / "messages.mo").read_bytes()
    assert committed == compiled(), "run: python -c 'from kizashi.cli.usage_ja import ...' to rebuild messages.mo"
