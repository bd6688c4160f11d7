"""The error hierarchy: each kind carries its HTTP status and exit code; input errors say where."""

from __future__ import annotations

from pathlib import Path

import pytest

from kizashi.errors import ConfigError, InputError, KizashiError, Location, NotFound, WorkspaceError


def test_input_error_names_file_row_and_field() -> None:
    error = InputError("not a date", file=Path("needs.csv"), row=7, field="deadline")
    assert str(error) == "needs.csv, row 7, field 'deadline': not a date"
    assert error.detail == str(error)
    assert error.reason == "not a date"
    assert error.location == Location(Path("needs.csv"), 7, "deadline")


@pytest.mark.parametrize(
    ("location", "text"),
    [
        (Location(), ""),
        (Location(file="a.csv"), "a.csv"),
        (Location(row=3), "row 3"),
        (Location(field="trl"), "field 'trl'"),
        (Location(file="a.csv", field="title"), "a.csv, field 'title'"),
    ],
)
def test_location_text(location: Location, text: str) -> None:
    assert str(location) == text


def test_input_error_without_location_is_just_the_detail() -> None:
    assert str(InputError("no files given")) == "no files given"


@pytest.mark.parametrize(
    ("kind", "status", "exit_code"),
    [(KizashiError, 500, 1), (InputError, 400, 2), (NotFound, 404, 2), (WorkspaceError, 500, 2), (ConfigError, 500, 2)],
)
def test_status_and_exit_code(kind: type[KizashiError], status: int, exit_code: int) -> None:
    error = kind("x")
    assert isinstance(error, KizashiError)
    assert (error.status, error.exit_code) == (status, exit_code)
