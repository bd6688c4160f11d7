"""Usage errors (a missing argument, an unknown option, a value of the wrong kind) in the reader's language.

Typer's vendored Click writes these sentences with f-strings, out of gettext's reach, so `kizashi.cli.run` catches
the error itself and prints its parts here: the usage line, the hint to ask for help and the error in its box, each a
Message. The error's English text is read back against the templates below (the same sentences, word for word, so
an English run prints what Typer would); a text none of them reads is printed as it is, in the translated frame.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from rich.panel import Panel
from rich.text import Text
from typer import rich_utils
from typer._click.exceptions import NoArgsIsHelpError, UsageError

from kizashi.cli.common import errors
from kizashi.messages import Message

# What Typer and its vendored Click (and pydantic, for values) say, most specific first: "Input should be {choices}"
# would read every other "Input should be …". A placeholder named `reason` is itself read again with this table.
SAYINGS: tuple[Callable[..., Message], ...] = (
    lambda **p: Message("Missing argument {name}. Choose from:\n\t{choices}", **p),
    lambda **p: Message("Missing option {name}. Choose from:\n\t{choices}", **p),
    lambda **p: Message("Missing argument {name}.", **p),
    lambda **p: Message("Missing option {name}.", **p),
    lambda **p: Message("Missing parameter {name}.", **p),
    lambda **p: Message("Missing command.", **p),
    lambda **p: Message("No such option: {name} (Possible options: {choices})", **p),
    lambda **p: Message("No such option: {name}", **p),
    lambda **p: Message("No such command {name}. Did you mean {choices}?", **p),
    lambda **p: Message("No such command {name}.", **p),
    lambda **p: Message("Got unexpected extra argument(s) ({args})", **p),
    lambda **p: Message("Option {name} requires an argument.", **p),
    lambda **p: Message("Option {name} requires {count} arguments.", **p),
    lambda **p: Message("Option {name} does not take a value.", **p),
    lambda **p: Message("Argument {name} takes {count} values.", **p),
    lambda **p: Message("Invalid value for {name}: {reason}", **p),
    lambda **p: Message("Invalid value: {reason}", **p),
    lambda **p: Message("Input should be a valid integer, unable to parse string as an integer", **p),
    lambda **p: Message("Input should be a valid integer, got a number with a fractional part", **p),
    lambda **p: Message("Input should be a valid number, unable to parse string as a number", **p),
    lambda **p: Message("Input should be a valid boolean, unable to interpret input", **p),
    lambda **p: Message("Input should be greater than or equal to {limit}", **p),
    lambda **p: Message("Input should be less than or equal to {limit}", **p),
    lambda **p: Message("Input should be greater than {limit}", **p),
    lambda **p: Message("Input should be less than {limit}", **p),
    lambda **p: Message("Input should be {choices}", **p),
)


@dataclass(frozen=True)
class _Reading:
    pattern: re.Pattern[str]
    say: Callable[..., Message]


@cache
def _readings() -> tuple[_Reading, ...]:
    """Each saying's template as a pattern: its text literally, each placeholder a group (the shortest that fits,
    so that `Invalid value for {name}: {reason}` splits at the first colon, after the option's name)."""
    readings = []
    for say in SAYINGS:
        template = say().template  # a Message made without parameters keeps its template as its text
        pattern = "".join(
            f"(?P<{part[1:-1]}>.+?)" if part.startswith("{") else re.escape(part)
            for part in re.split(r"(\{\w+\})", template)
            if part
        )
        readings.append(_Reading(re.compile(pattern, re.DOTALL), say))
    return tuple(readings)


def reading(text: str) -> str:
    """`text`, a sentence of the framework's, as a Message when a saying reads it; else the text itself."""
    for known in _readings():
        found = known.pattern.fullmatch(text)
        if found:
            params: dict[str, Any] = found.groupdict()
            if "reason" in params:
                params["reason"] = reading(params["reason"])
            return known.say(**params)
    return text


def said_usage(error: UsageError, lang: str) -> list[str]:
    """The lines above the box: the command's usage and how to ask for its help (none when the error does not know
    its command, as Typer does)."""
    ctx = error.ctx
    if ctx is None:
        return []
    usage = ctx.get_usage().removeprefix("Usage: ")
    lines = [Message("Usage: {usage}", usage=usage).said(lang)]
    if ctx.command.get_help_option(ctx) is not None:
        command, option = ctx.command_path, ctx.help_option_names[0]
        lines.append(Message("Try '{command} {option}' for help.", command=command, option=option).said(lang))
    return lines


def show_usage_error(error: UsageError, lang: str) -> None:
    """Print `error` on stderr as Typer would, in `lang`. A group called without a command has printed its help
    already (NoArgsIsHelpError carries it): nothing more to say."""
    if isinstance(error, NoArgsIsHelpError):
        return
    usage = said_usage(error, lang)
    if usage:
        errors.print(rich_utils.highlighter(usage[0]), style=rich_utils.STYLE_USAGE_COMMAND, soft_wrap=True)
    for line in usage[1:]:
        errors.print(Text(line), style=rich_utils.STYLE_ERRORS_SUGGESTION, soft_wrap=True)
    said = reading(error.format_message())
    text = said.said(lang) if isinstance(said, Message) else said
    errors.print(
        Panel(
            rich_utils.highlighter(text),
            border_style=rich_utils.STYLE_ERRORS_PANEL_BORDER,
            title=Message("Error").said(lang),
            title_align=rich_utils.ALIGN_ERRORS_PANEL,
        )
    )
