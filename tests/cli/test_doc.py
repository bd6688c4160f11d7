"""The CLI reference in docs/cli.md is generated from the commands; it must not drift from them."""

from pathlib import Path

from kizashi.cli.doc import cli_reference

DOC = Path(__file__).parents[2] / "docs" / "cli.md"


def test_cli_reference_is_current() -> None:
    assert DOC.read_text(encoding="utf-8") == cli_reference(), (
        "docs/cli.md is stale: run `python -m kizashi.cli.doc > docs/cli.md`"
    )


def test_every_command_is_in_the_reference() -> None:
    text = DOC.read_text(encoding="utf-8")
    for command in ("init", "ingest", "list", "status", "demo", "corpus sync"):
        assert f"## `kizashi {command}`" in text
