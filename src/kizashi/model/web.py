"""What the web app keeps between requests: server-side sessions, and login attempts and refusals (for throttling)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kizashi.model.base import Base


class WebSession(Base):
    """A logged-in browser or API client. Only the SHA-256 of the cookie's token is stored, so a copy of the
    database does not hand out live sessions."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user: Mapped[str] = mapped_column(String(200), ForeignKey("users.name"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    origin: Mapped[str | None] = mapped_column(String(100))
    user_agent: Mapped[str | None] = mapped_column(Text)


class LoginAttempt(Base):
    """A login whose password was checked (refused attempts are only counted, in `LoginRefusal`)."""

    __tablename__ = "login_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    origin: Mapped[str | None] = mapped_column(String(100), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)


class LoginRefusal(Base):
    """The attempts refused without a password check (too many failures) for one name from one address, counted
    rather than stored one by one: the first refusal in a window writes an audit event, later ones only add to
    `unreported`, which the next audit event for the pair reports (kizashi.protect.people.throttle)."""

    __tablename__ = "login_refusals"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    origin: Mapped[str] = mapped_column(String(100), primary_key=True)  # "" when the address is unknown
    unreported: Mapped[int] = mapped_column(Integer, default=0)
    first_unreported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reported_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
