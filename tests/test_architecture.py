"""The shape of the house, checked: one readable-select helper, audit writes only in services, services that audit
their refusals, layers that do not circle, modules that stay small.

The runtime half of "every read goes through the policy" is the guard on every workspace engine
(kizashi.store.readable.install_guard): the whole suite runs under it, and the tests at the end show it refusing.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kizashi.model import MatchJudgement, Need
from kizashi.policy import Actor, Clearance
from kizashi.store.readable import (
    ACCESS_OPTION,
    DERIVED,
    PolicyBypass,
    labelled_tables,
    select_readable,
    select_trusted,
)
from kizashi.store.workspace import Workspace

SRC = Path(__file__).resolve().parents[1] / "src" / "kizashi"
ROOT = SRC.parents[1]
MAX_LINES = 600
HELPER = SRC / "store" / "readable.py"
SERVICE_LAYERS = ("ingest", "know", "protect", "report")
# Functions that take an Actor without being services of their own: each is called by a service, which writes the
# audit event of what it shows (and its refusals). Listed here so that a new one is a decision, not an accident.
READ_FOR_A_SERVICE = {
    "know/judgements.py": {"latest"},
    "know/match_index.py": {"latest_readable_runs"},
    "know/match_runs.py": {"save_run", "run_proposals"},
    "know/matching.py": {"match_steps"},
    "protect/people/changes.py": {"change", "holds", "other_admins"},
    "protect/screening/store.py": {"party_status"},
}


def _modules() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(SRC.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def _imports(tree: ast.Module) -> Iterator[tuple[str, list[str]]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []


def test_only_the_helper_uses_the_sql_rule_or_marks_a_select() -> None:
    offenders = []
    for path, tree in _modules():
        if path in (HELPER, SRC / "policy" / "sql.py"):
            continue
        for module, names in _imports(tree):
            if module == "kizashi.policy.sql" or (module == "kizashi.policy" and "sql" in names):
                offenders.append(f"{path.relative_to(SRC)} imports the SQL rule")
        if ACCESS_OPTION in path.read_text(encoding="utf-8"):
            offenders.append(f"{path.relative_to(SRC)} sets the helper's mark")
    assert offenders == []


def test_commands_and_routes_never_write_the_audit_trail() -> None:
    offenders = [
        f"{path.relative_to(SRC)}: {module}"
        for path, tree in _modules()
        if path.relative_to(SRC).parts[0] in ("cli", "web")
        for module, names in _imports(tree)
        if module in ("kizashi.store.audit", "kizashi.store.decisions")
        or (module == "kizashi.store" and {"audit", "decisions"} & set(names))
        or (module == "kizashi.store.service" and {"delivered", "denied"} & set(names))
    ]
    assert offenders == []


def _decorated_service(function: ast.FunctionDef) -> bool:
    for decorator in function.decorator_list:
        call = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(call, ast.Name) and call.id == "service":
            return True
    return False


def _takes_an_actor(function: ast.FunctionDef) -> bool:
    arguments = [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]
    return any(isinstance(a.annotation, ast.Name) and a.annotation.id == "Actor" for a in arguments)


def test_every_public_function_taking_an_actor_is_a_service() -> None:
    """A service audits the refusals inside it; a public function taking an actor without being one could refuse
    silently."""
    offenders = []
    for path, tree in _modules():
        relative = path.relative_to(SRC)
        if relative.parts[0] not in SERVICE_LAYERS:
            continue
        allowed = READ_FOR_A_SERVICE.get(relative.as_posix(), set())
        for node in tree.body:
            if (
                isinstance(node, ast.FunctionDef)
                and not node.name.startswith("_")
                and _takes_an_actor(node)
                and not _decorated_service(node)
                and node.name not in allowed
            ):
                offenders.append(f"{relative}: {node.name}")
    assert offenders == []


def test_role_sets_are_written_once() -> None:
    """Who may do what is the permission table's (kizashi.policy.permissions); nobody checks roles by hand."""
    offenders = []
    for path, tree in _modules():
        if path == SRC / "policy" / "permissions.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Compare) and any(isinstance(op, ast.In | ast.NotIn) for op in node.ops):
                left = node.left
                if (
                    isinstance(left, ast.Constant)
                    and left.value in ("admin", "security_officer")
                    and any(isinstance(c, ast.Attribute) and c.attr == "roles" for c in node.comparators)
                ):
                    offenders.append(f"{path.relative_to(SRC)}:{node.lineno}")
    # What a stored user is (an admin who could approve, an admin whose password is another's) is a fact about them,
    # not a permission of the actor: those few are in protect/people.
    assert all(offender.startswith("protect/people/") for offender in offenders), offenders


def test_no_module_is_over_600_lines() -> None:
    long = {
        str(path.relative_to(SRC)): n
        for path in SRC.rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


@pytest.mark.skipif(shutil.which("lint-imports") is None, reason="import-linter is a dev dependency")
def test_the_layers_do_not_circle() -> None:
    """The import-linter contract in pyproject.toml (.ci/run runs it too)."""
    done = subprocess.run(["lint-imports"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:]


# ── the guard at run time ───────────────────────────────────────────────────────────────────────────────────────


def test_every_labelled_table_is_known_and_derived_rows_name_their_records() -> None:
    tables = labelled_tables()
    assert {"needs", "seeds", "works", "threats", "technologies"} <= set(tables)
    assert {"match_judgements", "control_decisions", "release_transitions", "deemed_export_answers"} <= set(tables)
    assert "clearance_grants" not in tables and "users" not in tables  # level columns, but no label
    for name, about in DERIVED.items():
        assert name in tables
        for part in about:
            assert part.column in tables[name].c and set(part.tables) <= set(tables)


def test_the_guard_refuses_every_labelled_table_selected_outside_the_helper(workspace: Workspace) -> None:
    reader = Clearance("reader")
    with workspace.session() as session:
        for name, table in labelled_tables().items():
            for statement in (
                select(table),
                select(func.count()).select_from(table),
                select(table.c.id).where(table.c.level == "PUBLIC"),
            ):
                with pytest.raises(PolicyBypass, match=name):
                    session.execute(statement)
            session.execute(select_readable(reader, workspace.backend, table).limit(1)).all()
            session.execute(select_trusted(table.c.id, why="the test shows it is allowed").limit(1)).all()


def test_the_guard_sees_through_subqueries_joins_and_the_orm(workspace: Workspace) -> None:
    reader = Clearance("reader")
    needs = Need.__table__
    with workspace.session() as session:
        hidden = select(needs.c.id).subquery()
        with pytest.raises(PolicyBypass):
            session.execute(select(hidden.c.id))
        with pytest.raises(PolicyBypass):  # a readable select joined to an unfiltered labelled table
            session.execute(
                select_readable(reader, workspace.backend, MatchJudgement.__table__).join(
                    needs, needs.c.id == MatchJudgement.__table__.c.need_id
                )
            )
        with pytest.raises(PolicyBypass):
            session.get(Need, "any")
        with pytest.raises(PolicyBypass):
            session.scalars(select(Need)).all()
        # A readable select may be a subquery of one built elsewhere.
        readable = select_readable(reader, workspace.backend, needs, columns=[needs.c.id]).subquery()
        assert session.execute(select(readable.c.id)).all() == []


def test_a_trusted_read_says_why() -> None:
    with pytest.raises(ValueError, match="why"):
        select_trusted(Need, why=" ")


def test_every_service_refusal_is_audited_once_even_when_services_nest(workspace: Workspace) -> None:
    """risk_card calls release.resolve and other services inside it: a hidden project is written once, by the
    outermost service, as `denied`."""
    from kizashi.errors import NotFound
    from kizashi.protect.risk_card import risk_card
    from kizashi.store.audit import iter_events

    actor = Actor(Clearance("reader"), via="test")
    before = sum(1 for _ in iter_events(workspace))
    with pytest.raises(NotFound):
        risk_card(workspace, actor, "no-such-project", "seeds")
    events = list(iter_events(workspace))[before:]
    assert [(e["actor"], e["action"], e["detail"]["service"], e["detail"]["code"]) for e in events] == [
        ("reader", "denied", "risk_card", "not_found")
    ]
