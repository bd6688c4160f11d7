"""The CLI reference in Markdown, generated from the commands themselves: `python -m kizashi.cli.doc > docs/cli.md`.

A test regenerates it and fails when docs/cli.md is stale, so the reference cannot drift from --help.
"""

from __future__ import annotations

from typing import Any

import typer

from kizashi.cli import app


# Typer carries its own copy of click, so parameters and groups are told apart by what they have, not by class.
def _param_line(param: Any) -> str:
    if param.param_type_name == "argument":
        return (
            f"- `{param.name.upper()}` (argument{', several' if param.nargs == -1 else ''}): "
            f"{(getattr(param, 'help', None) or '').strip()}"
        )
    names = ", ".join(f"`{name}`" for name in param.opts)
    default = ""
    if param.show_default is not False and param.default not in (None, False, (), []) and not param.is_flag:
        default = f" (default: `{param.default}`)"
    return f"- {names}: {(param.help or '').strip()}{default}"


def _command_section(path: str, command: Any) -> list[str]:
    lines = [f"## `{path}`", "", (command.help or "").strip(), ""]
    params = [p for p in command.params if p.name not in ("help",) and not getattr(p, "hidden", False)]
    if params:
        lines += [_param_line(p) for p in params] + [""]
    return lines


def cli_reference() -> str:
    root = typer.main.get_command(app)
    lines = ["# kizashi command reference", "", "Generated from the commands by `python -m kizashi.cli.doc`.", ""]

    def walk(prefix: str, group: Any) -> None:
        if hasattr(group, "commands"):
            for name in sorted(group.commands):
                walk(f"{prefix} {name}", group.commands[name])
        else:
            lines.extend(_command_section(prefix, group))

    # The root's own options go before any command: `kizashi --raw-csv list needs -f csv`.
    lines += ["## `kizashi [OPTIONS] COMMAND`", "", "Options of every run, given before the command.", ""]
    lines += [_param_line(p) for p in root.params if p.name != "help"] + [""]
    walk("kizashi", root)
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    print(cli_reference(), end="")
