"""The kizashi command line: one module per command group. Commands parse arguments, build the actor once, call a
service and print; they hold no logic of their own and never write audit events.

Exit codes: 0 success; 1 done, with findings (e.g. rows rejected by --skip-invalid); 2 bad input, usage or refusal.
"""

from __future__ import annotations

import gettext
import os
import sys
from typing import Annotated, Any

import typer
from rich.text import Text
from typer._click.exceptions import UsageError

from kizashi import __version__
from kizashi.cli import help_ja, usage_ja
from kizashi.cli.acting import IDENTITY, Identity
from kizashi.cli.audit import audit_app
from kizashi.cli.common import OUTPUT, Output, console, errors, file_mode, measure_terminal, tell
from kizashi.cli.cti import cti_app
from kizashi.cli.match import match_command, match_runs_command
from kizashi.cli.portfolio import portfolio_app
from kizashi.cli.programme import barrier_app, gate_app, goal_app, project_app, trl_app
from kizashi.cli.records import corpus_app, register_records
from kizashi.cli.review import review_app
from kizashi.cli.risk import risk_card_command
from kizashi.cli.roadmap import roadmap_app
from kizashi.cli.scan import scan_app, technology_app
from kizashi.cli.screen import screen_app
from kizashi.cli.serve import serve_command
from kizashi.cli.usage import show_usage_error
from kizashi.cli.users import user_app
from kizashi.cli.workshop import experts_command, judge_command, judgements_command
from kizashi.errors import KizashiError
from kizashi.messages import Message, environment_language

app = typer.Typer(
    name="kizashi",
    help="kizashi (兆し): know, grow and protect science and technology for safety and security.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
register_records(app)
app.add_typer(corpus_app, name="corpus")
app.add_typer(audit_app, name="audit")
app.add_typer(user_app, name="user")
app.add_typer(screen_app, name="screen")
app.add_typer(review_app, name="review")
app.add_typer(scan_app, name="scan")
app.add_typer(technology_app, name="technology")
app.add_typer(goal_app, name="goal")
app.add_typer(project_app, name="project")
app.add_typer(gate_app, name="gate")
app.add_typer(trl_app, name="trl")
app.add_typer(barrier_app, name="barrier")
app.add_typer(cti_app, name="cti")
app.add_typer(roadmap_app, name="roadmap")
app.add_typer(portfolio_app, name="portfolio")
app.command("match")(match_command)
app.command("match-runs")(match_runs_command)
app.command("judge")(judge_command)
app.command("judgements")(judgements_command)
app.command("experts")(experts_command)
app.command("risk-card")(risk_card_command)
app.command("serve")(serve_command)


def _version(value: bool) -> None:
    if value:
        console.print(f"kizashi {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    user: Annotated[
        str | None,
        typer.Option(
            "--user",
            help="Act as this user (default: KIZASHI_USER, then your operating-system login). Another user than "
            "yourself needs their credential: KIZASHI_TOKEN, or --auth-stdin.",
            show_default=False,
        ),
    ] = None,
    auth_stdin: Annotated[
        bool,
        typer.Option("--auth-stdin", help="Read the password of the user you act as from the first line of stdin."),
    ] = False,
    raw_csv: Annotated[
        bool,
        typer.Option(
            "--raw-csv",
            help="Write CSV cells as they are. By default a cell starting with = + - @ (or a tab or carriage return) "
            "gets a leading ' so that a spreadsheet shows it as text instead of running it as a formula.",
        ),
    ] = False,
    mode: Annotated[
        str,
        typer.Option(
            "--mode",
            help="The mode of the files this run writes with --out: listings, handouts, risk cards (octal, as chmod "
            "takes it); by default only their owner may read them, as they hold labelled records.",
        ),
    ] = "600",
) -> None:
    IDENTITY.user, IDENTITY.auth_stdin = user, auth_stdin
    OUTPUT.raw_csv, OUTPUT.mode = raw_csv, file_mode(mode)


def _command_words(args: list[str]) -> str:
    """The subcommand's words (`user grant`), for the audit trail's `via`: the command groups walked down from the
    root, past the root's own options."""
    group: Any = typer.main.get_command(app)
    words: list[str] = []
    values = iter(args)
    for arg in values:
        if arg == "--user":
            next(values, None)
            continue
        if arg.startswith("-"):
            continue
        commands = getattr(group, "commands", None)
        if commands is None or arg not in commands:
            break
        words.append(arg)
        group = commands[arg]
    return " ".join(words)


def run(args: list[str] | None = None) -> int:
    """Run the CLI on `args` and return its exit code (tests call this; `main` exits with it)."""
    IDENTITY.__dict__.update(Identity().__dict__)
    OUTPUT.__dict__.update(Output().__dict__)
    measure_terminal()
    IDENTITY.command = _command_words(sys.argv[1:] if args is None else args)
    before = os.environ.get("LANGUAGE")
    # Click's and Typer's own words (usage errors, help headings) through gettext, in the reader's language.
    gettext.bindtextdomain(usage_ja.DOMAIN, str(usage_ja.locale_dir()))
    os.environ["LANGUAGE"] = environment_language()
    usage_ja.retitle()
    try:
        # Not standalone: a usage error comes back here to be said in the reader's language (Typer would print its
        # f-string English); typer.Exit comes back as its code, and a command that ends normally returns None.
        # Our own descriptions (command and option help) in Japanese too: swapped into the tree Click formats.
        command = help_ja.in_language(app, environment_language())
        result = command(args, prog_name="kizashi", standalone_mode=False)
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    except UsageError as wrong:
        show_usage_error(wrong, environment_language())
        return wrong.exit_code
    except typer.Abort:
        errors.print(Text(Message("Aborted.").said(environment_language()), style="red"), highlight=False)
        return 1
    except KizashiError as error:
        lang = environment_language()
        heading = Message("error: ").said(lang)
        errors.print(Text(heading, style="bold red") + Text(error.said(lang)), highlight=False, soft_wrap=True)
        return error.exit_code
    except KeyboardInterrupt:
        tell(Message("interrupted; the unfinished step wrote nothing"), stderr=True)
        return 130
    finally:
        if before is None:
            os.environ.pop("LANGUAGE", None)
        else:
            os.environ["LANGUAGE"] = before
    return result if isinstance(result, int) and not isinstance(result, bool) else 0


def main() -> None:
    sys.exit(run())
