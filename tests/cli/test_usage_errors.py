"""Usage errors in the reader's language: with KIZASHI_LANG=ja the usage line, the hint, the box's title and the error
itself are Japanese, for each kind Typer raises, and the exit code stays 2; in English the CLI prints what Typer
itself would, word for word."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import Annotated

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st
from typer._click.exceptions import UsageError

from kizashi.cli import app
from kizashi.cli.usage import reading, show_usage_error
from kizashi.messages import Message

ENGLISH_WORDS = re.compile(r"\b(Usage|Try|Error|Missing|No such|Invalid|Got unexpected|Input should|Possible)\b")


@pytest.fixture
def japanese(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIZASHI_LANG", "ja")
    monkeypatch.setenv("COLUMNS", "200")


@pytest.mark.parametrize(
    ("args", "usage", "said"),
    [
        (["ingest", "needs"], "使い方: kizashi ingest", "引数 'files' を指定してください。"),
        (["list", "needs", "--x"], "使い方: kizashi list", "オプション --x はありません"),
        (["list", "needs", "--wid"], "使い方: kizashi list", "オプション --wid はありません（近いもの: --wide）"),
        (["match", "--top", "x"], "使い方: kizashi match", "'--top' の値が正しくありません: 整数を指定してください"),
        (
            ["match", "--top", "0"],
            "使い方: kizashi match",
            "'--top' の値が正しくありません: 1 以上の値を指定してください",
        ),
        (["list", "needs", "extra"], "使い方: kizashi list", "余分な引数があります（extra）"),
        (["stat"], "使い方: kizashi [OPTIONS]", "コマンド 'stat' はありません。'status' のことですか？"),
        (["list", "needs", "--format"], None, "オプション '--format' には値が必要です。"),
    ],
)
def test_usage_errors_in_japanese(japanese: None, cli, args: list[str], usage: str | None, said: str) -> None:
    result = cli(*args)
    assert result.code == 2
    assert said in result.err
    assert "エラー" in result.err  # the box's title
    if usage is not None:
        assert usage in result.err
        command = "kizashi" if args == ["stat"] else f"kizashi {args[0]}"
        assert f"説明は '{command} --help' で表示できます。" in result.err
    assert not ENGLISH_WORDS.search(result.err), result.err


def _typer_says(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """What Typer prints itself for `args` (standalone, as without kizashi's run)."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        app(args, prog_name="kizashi")
    assert done.value.code == 2
    return capsys.readouterr().err


@pytest.mark.parametrize(
    "args",
    [
        ["ingest", "needs"],
        ["list", "needs", "--wid"],
        ["match", "--top", "0"],
        ["list", "needs", "extra"],
        ["stat"],
        ["list", "needs", "--format"],
    ],
)
def test_in_english_the_cli_says_what_typer_says(
    monkeypatch: pytest.MonkeyPatch, cli, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    monkeypatch.setenv("KIZASHI_LANG", "en")
    monkeypatch.setenv("COLUMNS", "200")
    result = cli(*args)
    assert result.code == 2
    assert result.err == _typer_says(args, capsys)


def test_a_missing_option_in_japanese(japanese: None, capsys: pytest.CaptureFixture[str]) -> None:
    # kizashi's own commands have no required option today: a small app of the same framework has one.
    tiny = typer.Typer()

    @tiny.command()
    def need(name: Annotated[str, typer.Option("--name")]) -> None:
        pass  # pragma: no cover  (the missing option stops it first)

    with pytest.raises(UsageError) as raised:
        tiny([], prog_name="tiny", standalone_mode=False)
    assert raised.value.format_message() == "Missing option '--name'."
    show_usage_error(raised.value, "ja")
    err = capsys.readouterr().err
    assert "オプション '--name' を指定してください。" in err and "使い方: tiny [OPTIONS]" in err
    assert not ENGLISH_WORDS.search(err), err


def test_a_real_run_in_japanese_exits_with_2() -> None:
    environment = {**os.environ, "KIZASHI_LANG": "ja", "COLUMNS": "200"}
    done = subprocess.run(
        [sys.executable, "-c", "from kizashi.cli import main; main()", "list", "needs", "--x"],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert done.returncode == 2
    assert "オプション --x はありません" in done.stderr and "説明は 'kizashi list --help'" in done.stderr
    assert not ENGLISH_WORDS.search(done.stderr), done.stderr


def test_an_unknown_sentence_is_printed_as_it_is(japanese: None) -> None:
    assert reading("Something Typer says one day") == "Something Typer says one day"
    assert reading("Invalid value for '--x': something new") == Message(
        "Invalid value for {name}: {reason}", name="'--x'", reason="something new"
    )


# Option names and arguments as a user may type them (no colon: Typer's own sentence would be ambiguous there).
NAMES = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters=":"), min_size=1, max_size=30)


@given(name=NAMES, limit=st.integers(-(10**6), 10**6))
def test_reading_keeps_the_english_and_says_it_in_japanese(name: str, limit: int) -> None:
    english = f"Invalid value for '{name}': Input should be less than or equal to {limit}"
    read = reading(english)
    assert isinstance(read, Message)
    assert read.said("en") == english
    assert read.said("ja") == f"'{name}' の値が正しくありません: {limit} 以下の値を指定してください"


@given(args=st.lists(NAMES, min_size=1, max_size=4).map(" ".join))
def test_extra_arguments_are_read_whatever_they_are(args: str) -> None:
    english = f"Got unexpected extra argument(s) ({args})"
    read = reading(english)
    assert isinstance(read, Message) and read.said("en") == english
    assert read.said("ja") == f"余分な引数があります（{args}）"
