"""`--help` in Japanese: with KIZASHI_LANG=ja every description kizashi writes (each command's help, each option's
and argument's) is Japanese, from kizashi.cli.help_ja; in English the CLI prints what Typer itself prints.

The first test walks the whole command tree and fails naming every help text without Japanese: a new command adds
its texts to HELP_JA."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from typer import _click

from kizashi.cli import app
from kizashi.cli.help_ja import HELP_JA, english, line_breaks

HELP_OPTION = "Show this message and exit."  # Click's --help, made as it parses: not in the tree's params yet
JAPANESE = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]")  # kana, kanji, Japanese punctuation
# An English sentence: three or more words in a row, each with a small letter (metavars like FILE have none),
# joined by single spaces; a run that starts with `kizashi` is a command line (the usage line, a command named).
ENGLISH_RUN = re.compile(r"(?<![\w-])(?:[A-Za-z]*[a-z][A-Za-z']*)(?: (?:[A-Za-z]*[a-z][A-Za-z']*)){2,}(?![\w-])")
# What a Japanese text keeps as the English has it: options, environment variables, paths and file names, `code`.
LITERALS = re.compile(r"--[a-z][a-z-]*|\$?KIZASHI_[A-Z_]+|`[^`]+`|\.?/?[\w-]+(?:/[\w.-]+)*\.(?:md|py|json|key)\b")


def english_runs(text: str) -> list[str]:
    """The English sentences (ENGLISH_RUN) in `text`, leaving out `code` and command lines."""
    text = re.sub(r"`[^`]*`", " ", text)
    return [run for run in ENGLISH_RUN.findall(text) if not run.startswith("kizashi ")]


def helps(root: _click.Command) -> Iterator[tuple[str, str]]:
    """(where, text) of every help text under `root`: commands by their path, options and arguments after it."""

    def under(command: _click.Command, path: str) -> Iterator[tuple[str, str]]:
        for text in (command.help, command.short_help):
            if text:
                yield path, text
        for param in command.params:
            text = getattr(param, "help", None)
            if text:
                yield f"{path} {param.opts[0] if param.opts else param.name}", text
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            yield from under(sub, f"{path} {name}")

    yield from under(root, "kizashi")


def test_every_help_text_has_japanese() -> None:
    missing = [
        f"{where}: {text!r}" for where, text in helps(typer.main.get_command(app)) if english(text) not in HELP_JA
    ]
    assert not missing, "help texts without Japanese in kizashi/cli/help_ja.py HELP_JA:\n" + "\n".join(missing)


def test_every_entry_is_a_help_text_of_the_tree() -> None:
    used = {english(text) for _, text in helps(typer.main.get_command(app))} | {HELP_OPTION}
    assert not set(HELP_JA) - used, f"entries no command uses (renamed or removed?): {sorted(set(HELP_JA) - used)}"


@pytest.mark.parametrize("en", sorted(HELP_JA))
def test_each_japanese_text_is_japanese_and_keeps_the_literals(en: str) -> None:
    ja = HELP_JA[en]
    assert JAPANESE.search(ja), ja
    assert not english_runs(ja), english_runs(ja)
    # The paragraphs stay (the first is the command list's line); no single line break, which Typer would turn
    # into a space in the middle of a Japanese sentence.
    assert ja.count("\n\n") == en.count("\n\n") and "\n" not in ja.replace("\n\n", ""), ja
    for literal in LITERALS.findall(en):
        assert literal.strip("`") in ja, (literal, ja)


@pytest.mark.parametrize("args", [["--help"], ["cti", "--help"], ["roadmap", "validate", "--help"], []])
def test_help_in_japanese_has_no_english_sentence(monkeypatch: pytest.MonkeyPatch, cli, args: list[str]) -> None:
    monkeypatch.setenv("KIZASHI_LANG", "ja")
    monkeypatch.setenv("COLUMNS", "200")
    result = cli(*args)
    assert result.code in (0, 2), result.err  # `kizashi` alone prints the help and exits 2, as Click does
    page = result.out + result.err
    assert "この説明を表示して終了します。" in page
    assert "使い方: kizashi" in page and "Usage" not in page  # Click's own heading, a literal too
    assert not english_runs(page), english_runs(page)


def test_the_heuristic_finds_english(monkeypatch: pytest.MonkeyPatch, cli) -> None:
    monkeypatch.setenv("KIZASHI_LANG", "en")
    monkeypatch.setenv("COLUMNS", "200")
    assert "Show this message and exit" in english_runs(cli("--help").out)


@pytest.mark.parametrize("args", [["--help"], ["cti", "--help"], ["roadmap", "validate", "--help"]])
def test_japanese_help_the_commands_name(monkeypatch: pytest.MonkeyPatch, cli, args: list[str]) -> None:
    monkeypatch.setenv("KIZASHI_LANG", "ja")
    monkeypatch.setenv("COLUMNS", "200")
    page = cli(*args).out
    assert HELP_JA[english(_command(args[:-1]).help or "")].split("\n\n")[0] in page


def _command(path: list[str]) -> _click.Command:
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    return command


def test_long_japanese_help_wraps_instead_of_being_cut(monkeypatch: pytest.MonkeyPatch, cli) -> None:
    # Rich breaks lines at spaces only and cuts what does not fit a table cell with "…"; Japanese has no spaces.
    monkeypatch.setenv("KIZASHI_LANG", "ja")
    monkeypatch.setenv("COLUMNS", "80")
    page = cli("screen", "parties", "--help").out
    assert "…" not in page
    assert "区切り）。" in page.replace(" ", "").replace("│", "").replace("\n", "")


def _typer_prints(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """What Typer prints itself for `args` (without kizashi's run)."""
    capsys.readouterr()
    with pytest.raises(SystemExit):
        app(args, prog_name="kizashi")
    return capsys.readouterr().out


@pytest.mark.parametrize("args", [["--help"], ["cti", "--help"], ["roadmap", "validate", "--help"], ["list", "--help"]])
def test_english_help_is_what_typer_prints(
    monkeypatch: pytest.MonkeyPatch, cli, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "90")  # narrow: long lines wrap, as Rich wraps them for Typer
    monkeypatch.setenv("KIZASHI_LANG", "ja")
    assert cli(*args).code == 0  # a Japanese run first: it must leave nothing behind for the English one
    monkeypatch.setenv("KIZASHI_LANG", "en")
    said = cli(*args).out
    assert said == _typer_prints(args, capsys)
    assert "Show this message and exit." in said and "この説明" not in said


@given(
    st.text(alphabet="あい漢字、。（）「」ーabcXYZ-_ ", max_size=80),
    st.integers(min_value=2, max_value=30),
)
def test_line_breaks_keep_every_character_and_fit(line: str, width: int) -> None:
    breaks = line_breaks(line, width)
    assert breaks == sorted(set(breaks)) and all(0 < at < len(line) for at in breaks)
    for start, end in zip([0, *breaks], [*breaks, len(line)], strict=True):
        assert cell_len(line[start:end].rstrip(" ")) <= width
