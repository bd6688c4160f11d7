"""The record store: engine and sessions, migrations, the workspace folder."""

from kizashi.store.workspace import Workspace

__all__ = ["Workspace"]
