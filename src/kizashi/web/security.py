"""The web app's own defences: the server-mode secret, the login form's CSRF token, response headers."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets

from kizashi.errors import ConfigError
from kizashi.messages import Message
from kizashi.policy.secrets import MAKE_SECRET, require_strong_secret
from kizashi.policy.secrets import secret_bits as secret_bits  # shared with the audit key (kizashi.store.audit_key)

HEADERS = {
    # Everything the pages use is served from the app itself: htmx, the stylesheet, inline SVG charts.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def server_secret(configured: str | None, *, server_mode: bool) -> str:
    """The secret to run with. In server mode it must be configured, hold an estimated 128 bits or more (see
    `secret_bits`) and not be a placeholder; on loopback an unset secret becomes a random one for this run
    (sessions live in the database, so nobody is logged out)."""
    if configured is None or configured == "":
        if server_mode:
            raise ConfigError(
                Message("KIZASHI_SECRET_KEY is not set; a server needs a random one: {command}", command=MAKE_SECRET)
            )
        return secrets.token_urlsafe(48)
    if server_mode:
        require_strong_secret(configured, name="KIZASHI_SECRET_KEY", purpose="for a server")
    return configured


def login_form_token(secret: str, nonce: str) -> str:
    """Before login there is no session to hold a CSRF token: the form carries an HMAC of a nonce that is also
    in a cookie (signed double submit), so another site cannot post a login in the user's browser."""
    return hmac.new(secret.encode(), f"login:{nonce}".encode(), hashlib.sha256).hexdigest()


def login_form_token_ok(secret: str, nonce: str | None, token: str | None) -> bool:
    if not nonce or not token:
        return False
    return hmac.compare_digest(login_form_token(secret, nonce).encode(), token.encode())
