"""One error hierarchy. Each kind carries the HTTP status and CLI exit code it maps to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kizashi.messages import Message, said


class KizashiError(Exception):
    """Base of every error kizashi raises on purpose; `detail` is what a user reads."""

    status: int = 500
    exit_code: int = 1

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def said(self, lang: str) -> str:
        """What the user reads, in `lang` (ja or en): the detail's Japanese when it is a Message."""
        return str(said(self.detail, lang))


@dataclass(frozen=True)
class Location:
    """Where in an input the problem is: file, 1-based row (or record) number, field name."""

    file: str | Path | None = None
    row: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        return self.said("en")

    def said(self, lang: str) -> str:
        parts = []
        if self.file is not None:
            parts.append(str(self.file))
        if self.row is not None:
            parts.append(Message("row {row}", row=self.row).said(lang))
        if self.field is not None:
            parts.append(Message("field '{field}'", field=self.field).said(lang))
        return ("、" if lang == "ja" else ", ").join(parts)


class InputError(KizashiError):
    """Bad input from the user: a malformed file, a missing column, a wrong value. Exit code 2."""

    status = 400
    exit_code = 2

    def __init__(
        self,
        detail: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        field: str | None = None,
    ) -> None:
        self.location = Location(file, row, field)
        where = str(self.location)
        super().__init__(f"{where}: {detail}" if where else detail)
        self.reason = detail

    def said(self, lang: str) -> str:
        where = self.location.said(lang)
        reason = str(said(self.reason, lang))
        return f"{where}: {reason}" if where else reason


class AccessDenied(KizashiError):
    """The acting user may not do this (not an admin, above their clearance, ...)."""

    status = 403
    exit_code = 2


class LoginRequired(KizashiError):
    status = 401
    exit_code = 2


class LoginFailed(KizashiError):
    """Wrong name or password; the same words whichever it was."""

    status = 401
    exit_code = 2


class TooManyAttempts(KizashiError):
    """Too many failed logins: the next attempt is checked only after `retry_after` seconds (the Retry-After header)."""

    status = 429
    exit_code = 2

    def __init__(self, detail: str, *, retry_after: int = 1) -> None:
        super().__init__(detail)
        self.retry_after = retry_after


class CsrfFailed(KizashiError):
    status = 403
    exit_code = 2


class NotFound(KizashiError):
    status = 404
    exit_code = 2


class WorkspaceError(KizashiError):
    """The workspace is missing, not initialised, or at an incompatible schema version."""

    status = 500
    exit_code = 2


class ConfigError(KizashiError):
    """Settings are invalid or unsafe (for example a weak secret in server mode)."""

    status = 500
    exit_code = 2


class StoreBusy(KizashiError):
    """Another writer held the store past the busy timeout (on SQLite, an import holds its one write lock for the
    whole import): nothing was done, try again later."""

    status = 503
    exit_code = 1
    retry_after = 60
