"""Reading kizashi's source for its messages: every `Message("…")` template, and every error raised with a bare
literal instead of a Message (what the message table cannot translate)."""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kizashi import errors

SOURCE = Path(errors.__file__).parent
ERRORS = {
    name for name, value in vars(errors).items() if inspect.isclass(value) and issubclass(value, errors.KizashiError)
}


@dataclass(frozen=True)
class Found:
    file: str  # relative to src/kizashi
    line: int
    text: str


def modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(SOURCE.rglob("*.py")):
        yield path.relative_to(SOURCE).as_posix(), ast.parse(path.read_text(encoding="utf-8"))


def _called(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def templates() -> tuple[list[Found], list[Found]]:
    """(templates of Message calls with a literal first argument, Message calls whose first argument is not one)."""
    literal, other = [], []
    for file, tree in modules():
        if file.startswith("messages/"):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called(node) == "Message" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    literal.append(Found(file, node.lineno, first.value))
                else:
                    other.append(Found(file, node.lineno, ast.unparse(first)))
    return literal, other


def _is_text(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    return False


def bare_errors() -> list[Found]:
    """Errors of kizashi's hierarchy built with a literal or f-string as their text."""
    found = []
    for file, tree in modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called(node) in ERRORS and node.args and _is_text(node.args[0]):
                found.append(Found(file, node.lineno, ast.unparse(node.args[0])[:80]))
    return found
