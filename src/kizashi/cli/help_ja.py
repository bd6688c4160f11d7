"""Japanese for the descriptions kizashi writes in its command line: each command's help (its docstring or `help=`)
and each option's and argument's `help=`. Click's and Typer's own words (Usage:, Options, …) are the gettext
catalogue of `kizashi.cli.usage_ja`; these are ours, which gettext cannot reach as Typer takes them as they are.

HELP_JA maps the English text, as Click holds it (a docstring cleaned by inspect.cleandoc, as Typer does), to its
Japanese. A Japanese text keeps the English one's paragraphs (blank lines): the first is what a command list shows.
`in_language` swaps them into the command tree before Click formats any help, when the reader reads Japanese; an
English run never touches the tree. tests/cli/test_help_ja.py fails naming every text of the tree without Japanese
here, so a new command adds its texts.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from typing import Any

import typer
from rich.cells import cell_len
from rich.console import Console, JustifyMethod, OverflowMethod
from rich.containers import Lines
from rich.text import Text
from typer import _click, rich_utils

from kizashi.cli.help_ja_core import TABLE as CORE
from kizashi.cli.help_ja_grow import TABLE as GROW
from kizashi.cli.help_ja_know import TABLE as KNOW
from kizashi.cli.help_ja_protect import TABLE as PROTECT
from kizashi.cli.usage_ja import USAGE_JA

# One table, kept in four modules by pillar (each under the size limit of a module).
HELP_JA: dict[str, str] = {**CORE, **KNOW, **GROW, **PROTECT}


def english(text: str) -> str:
    """The text as the table keys it: Click's command help is the cleaned docstring (Typer cleans it already; this
    keeps a `help=` with indented continuation lines the same)."""
    return inspect.cleandoc(text)


def japanese(text: str | None) -> str | None:
    """`text` in Japanese, or the text itself when the table has none (a new command shows its English rather than
    nothing; the test names it)."""
    return HELP_JA.get(english(text), text) if text else text


def walk(command: _click.Command) -> Iterator[_click.Command]:
    """`command` and every command under it, parents first."""
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from walk(sub)


def _japanese_help_option(command: _click.Command) -> None:
    """Click makes each command's --help option when it first parses (its help a literal, out of gettext's reach):
    this command's gets its Japanese as it is made."""
    make = command.get_help_option

    def get_help_option(ctx: _click.Context) -> Any:
        option = make(ctx)
        if option is not None:
            option.help = japanese(option.help)
        return option

    command.get_help_option = get_help_option  # type: ignore[method-assign]  # this tree only, built for one run


def _japanese_usage(command: _click.Command) -> None:
    """The usage line of this command's help begins 使い方: (Click writes "Usage: " itself). Only while the Japanese
    run runs: a usage error is said after it, by kizashi.cli.usage, which reads the English line."""
    make = command.get_usage

    def get_usage(ctx: _click.Context) -> str:
        usage = make(ctx)
        if _Reader.japanese and usage.startswith("Usage: "):
            return f"{USAGE_JA['Usage:']} {usage.removeprefix('Usage: ')}"
        return usage

    command.get_usage = get_usage  # type: ignore[method-assign]  # this tree only, built for one run


def translate(root: _click.Command) -> _click.Command:
    """Swap the help of every command (help and short_help) and of every option and argument under `root`, --help
    included, for its Japanese, and its usage line's heading, in place; return `root`."""
    for command in walk(root):
        command.help = japanese(command.help)
        command.short_help = japanese(command.short_help)
        for param in command.params:
            if getattr(param, "help", None):
                param.help = japanese(param.help)  # type: ignore[attr-defined]  # Options and Typer's arguments
        _japanese_help_option(command)
        _japanese_usage(command)
    return root


# Japanese has no spaces between words, and Rich breaks lines only at spaces: in a table cell (an option's help) a
# run longer than the cell is cut short with "…", elsewhere broken at its last space. Help texts made while a
# Japanese run formats are JapaneseText, which may break between any two Japanese characters.
NO_LINE_START = set("、。，．・：；？！ー）」』］】〉》〕ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々")
NO_LINE_END = set("（「『［【〈《〔")


def _wide(character: str) -> bool:
    return cell_len(character) == 2


def _may_break(before: str, after: str) -> bool:
    """Whether a line may end between `before` and `after`: after a space (a space before hangs), or beside a
    Japanese character, but not before a closing mark nor after an opening one (kinsoku)."""
    if before == " ":
        return after != " "
    if after == " " or after in NO_LINE_START or before in NO_LINE_END:
        return False
    return _wide(before) or _wide(after)


def line_breaks(line: str, width: int) -> list[int]:
    """The offsets at which to break `line` so that each piece fits in `width` cells: at the last place a line may
    end, else (a run longer than the width with no such place) at the width. Spaces may hang past the width."""
    breaks: list[int] = []
    start, used, last = 0, 0, 0
    for at, character in enumerate(line):
        if at > start and _may_break(line[at - 1], character):
            last = at
        size = cell_len(character)
        while used + size > width and at > start and character != " ":  # twice when what moves down still overflows
            cut = last if last > start else at
            breaks.append(cut)
            start, used = cut, cell_len(line[cut:at])
        used += size
    return breaks


class JapaneseText(Text):
    """Rich text that breaks its lines the Japanese way (`line_breaks`); otherwise as Rich's Text.wrap does."""

    def wrap(
        self,
        console: Console,
        width: int,
        *,
        justify: JustifyMethod | None = None,
        overflow: OverflowMethod | None = None,
        tab_size: int = 8,
        no_wrap: bool | None = None,
    ) -> Lines:
        if no_wrap or self.no_wrap or overflow == "ignore":
            return super().wrap(console, width, justify=justify, overflow=overflow, tab_size=tab_size, no_wrap=no_wrap)
        lines = Lines()
        for line in self.split(allow_blank=True):
            if "\t" in line:
                line.expand_tabs(tab_size)
            pieces = line.divide(line_breaks(line.plain, width))
            for piece in pieces:
                piece.rstrip()  # the spaces a line ends with, hanging past the width or not
            pieces.justify(console, width, justify=justify or self.justify or "default", overflow="fold")
            for piece in pieces:
                piece.truncate(width, overflow="fold")
            lines.extend(pieces)
        return lines


class _Reader:
    """Whether the help being formatted is Japanese: true only while `in_language`'s Japanese run runs."""

    japanese = False


def _japanese_text(make: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(make)
    def make_text(**kwargs: Any) -> Any:
        text = make(**kwargs)
        if not _Reader.japanese or type(text) is not Text:
            return text
        japanese_text = JapaneseText(text.plain, style=text.style, justify=text.justify, end=text.end)
        japanese_text.spans = text.spans
        return japanese_text

    make_text.japanese = True  # type: ignore[attr-defined]
    return make_text


def _break_japanese_lines() -> None:
    """Make Typer's help texts (rich_utils._make_rich_text, where it makes each) JapaneseText in Japanese runs, once;
    a Typer without that function wraps as Rich does."""
    make = getattr(rich_utils, "_make_rich_text", None)
    if make is not None and not getattr(make, "japanese", False):
        rich_utils._make_rich_text = _japanese_text(make)


def in_language(app: typer.Typer, lang: str) -> Callable[..., Any]:
    """What `kizashi.cli.run` calls to run `app` in `lang`: the app itself in English, as Typer runs it; in Japanese
    its Click command tree (built afresh, as Typer builds one for each call) with every help swapped, its lines
    broken the Japanese way while it runs."""
    if lang != "ja":
        return app
    _break_japanese_lines()
    command = translate(typer.main.get_command(app))

    def run_in_japanese(*args: Any, **kwargs: Any) -> Any:
        _Reader.japanese = True
        try:
            return command(*args, **kwargs)
        finally:
            _Reader.japanese = False

    return run_in_japanese
