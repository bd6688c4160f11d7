"""YAML from outside: read under the document limit, aliases refused and nesting bounded while composing.

Our YAML formats (threat registers, taxonomies) never need an alias; a few hundred bytes of nested aliases expand
into gigabytes ("billion laughs"), so the composer refuses the first one rather than counting them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from kizashi.errors import InputError
from kizashi.files.limits import Limits, over
from kizashi.files.tabular import read_text
from kizashi.messages import Message


def read_yaml(path: Path, limits: Limits | None = None) -> Any:
    """The document of a YAML file (None when it is empty), or InputError naming file, line and what was refused."""
    limits = limits or Limits.current()
    text, _ = read_text(path, limits)
    loader = _BoundedLoader(text, path, limits)
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(
            Message("broken YAML: {problem}", problem=str(getattr(exc, "problem", exc))),
            file=path,
            row=mark.line + 1 if mark else None,
        ) from None
    finally:
        loader.dispose()


class _BoundedLoader(yaml.SafeLoader):
    def __init__(self, text: str, path: Path, limits: Limits) -> None:
        super().__init__(text)
        self._path = path
        self._limits = limits
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event: Any = self.peek_event()  # type: ignore[no-untyped-call]
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.AliasEvent):
            raise InputError(
                Message("YAML aliases (*{anchor}) are refused", anchor=event.anchor), file=self._path, row=line
            )
        self._depth += 1
        try:
            if self._depth > self._limits.depth:
                raise over(self._limits, "depth", self._path, Message("the nesting depth"), row=line)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def _timestamp(self, node: yaml.ScalarNode) -> Any:
        # PyYAML builds a date such as 2031-02-30 itself and fails with a bare ValueError, outside its own errors.
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError:
            raise InputError(
                Message("'{value}' is not a date the calendar has", value=str(node.value)),
                file=self._path,
                row=node.start_mark.line + 1 if node.start_mark else None,
            ) from None


_BoundedLoader.add_constructor("tag:yaml.org,2002:timestamp", _BoundedLoader._timestamp)
