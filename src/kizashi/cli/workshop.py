"""The matching workshop on the command line: `judge` a proposal, list and learn from the `judgements`, and find the
`experts` (目利き) behind the best records."""

from __future__ import annotations

from typing import Annotated

import typer

from kizashi.cli.acting import acting
from kizashi.cli.common import (
    FormatOption,
    OutOption,
    WideOption,
    WorkspaceOption,
    console,
    delivery,
    progress,
    rows_writer,
    short,
    tell,
)
from kizashi.messages import Message


def judge_command(
    need_id: Annotated[str, typer.Argument(help="The need.", show_default=False)],
    seed_id: Annotated[str, typer.Argument(help="The proposed seed.", show_default=False)],
    decision: Annotated[str, typer.Argument(help="accept, reject or later.", show_default=False)],
    comment: Annotated[str, typer.Option(help="Why (kept with the decision and in the audit trail).")] = "",
    workspace: WorkspaceOption = None,
) -> None:
    """Record a workshop decision on a proposed match (append-only: a later decision supersedes, never erases)."""
    from kizashi.know.judgements import judge

    ws, actor = acting(workspace)
    number = judge(ws, actor, need_id, seed_id, decision, comment=comment)
    tell(
        Message(
            "judgement {number}: {decision} {need} → {seed}",
            number=number,
            decision=decision,
            need=need_id,
            seed=seed_id,
        )
    )


def judgements_command(
    evaluate_matcher: Annotated[
        bool,
        typer.Option("--evaluate", help="Score today's matcher against the accepted and rejected pairs (MRR, recall)."),
    ] = False,
    tune: Annotated[
        bool,
        typer.Option(
            "--tune",
            help="Search the fusion weights that rank the accepted seeds best and print them as settings to use.",
        ),
    ] = False,
    top: Annotated[int, typer.Option(help="With --evaluate or --tune: the ranking depth.", min=1, max=1000)] = 10,
    fmt: FormatOption = "table",
    out: OutOption = None,
    wide: WideOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """The latest workshop decision on every pair you may read; with --evaluate, how the matcher ranks them; with
    --tune, the fusion weights that would rank them best."""
    from kizashi.know import judgements

    if tune:
        import orjson

        ws, actor = acting(workspace)
        with progress("tuning", None, "settings tried"):
            found = judgements.tune(ws, actor, top)
        for name in ("current", "best"):
            result = found[name]
            console.print(
                f"{name}: MRR {result['mrr']}, recall@{top} {result['recall']}, rejected in the top "
                f"{result['rejected_in_top']} — weights {result['weights']}, bigram weight {result['bigram_weight']}",
                highlight=False,
            )
        best = found["best"]
        console.print(
            f"to use them: export KIZASHI_MATCH_WEIGHTS='{orjson.dumps(best['weights']).decode()}' "
            f"KIZASHI_MATCH_BIGRAM_WEIGHT={best['bigram_weight']}  "
            f"({found['tried']} settings tried on {best['needs']} needs)",
            highlight=False,
            soft_wrap=True,
        )
        return
    if evaluate_matcher:
        ws, actor = acting(workspace)
        result = judgements.evaluate(ws, actor, top)
        console.print(
            f"needs with an accepted seed: {result['needs']}, MRR {result['mrr']}, recall@{top} {result['recall']}, "
            f"rejected seeds still in the top {top}: {result['rejected_in_top']} ({result['judgements']} judgements)",
            highlight=False,
        )
        return
    write = rows_writer(
        fmt, out, ["need_id", "seed_id", "decision", "comment", "user", "at", "level"], width=40, wide=wide
    )
    ws, actor = acting(workspace)
    write(judgements.readable_judgements(ws, actor, delivery=delivery(fmt, out)))


def experts_command(
    need_id: Annotated[str | None, typer.Argument(help="A need of the workspace.", show_default=False)] = None,
    text: Annotated[str | None, typer.Option(help="Or a need or technology in words (Japanese or English).")] = None,
    top: Annotated[int, typer.Option(help="How many organisations and people.", min=1, max=1000)] = 10,
    fmt: FormatOption = "table",
    out: OutOption = None,
    wide: WideOption = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Who has done the work a need asks for (目利き): organisations and people ranked by their records that match it
    well (score 0 to 1), each organisation with its screening status when the workspace has lists."""
    from kizashi.know.experts import find_experts
    from kizashi.protect.screening.store import with_screening

    write = rows_writer(
        fmt,
        out,
        ["rank", "name", "kind", "score", "screening", "record_count", "records", "label"],
        table_columns=["#", "name", "kind", "score", "screening", "records", "label"],
        width=None,
        wide=wide,
    )
    ws, actor = acting(workspace)
    found = find_experts(ws, actor, need_id=need_id, text=text, top=top, delivery=delivery(fmt, out))
    rows = with_screening(ws, actor, found.rows)
    if fmt == "table":  # the evidence as titles, each cut on its own, and the label's level
        rows = [
            {
                "#": str(row["rank"]),
                "name": row["name"],
                "kind": row["kind"],
                "score": f"{row['score']:.2f}",
                "screening": row.get("screening") or "",
                "records": "; ".join(short(r["title"], None if wide else 40) for r in row["records"]),
                "label": row["label"]["level"],
            }
            for row in rows
        ]
    write(rows)
