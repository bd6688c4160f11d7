"""The web app's own defences: the server-mode secret, the login form's CSRF token, response headers."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets

from kizashi.errors import ConfigError

MIN_SECRET = 32
# Values people paste from examples; refused even when long enough.
PLACEHOLDERS = ("changeme", "change-me", "secret", "password", "kizashi", "example", "default", "xxxx", "0000")

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
    """The secret to run with. In server mode it must be configured, long and not a placeholder; on loopback an
    unset secret becomes a random one for this run (sessions live in the database, so nobody is logged out)."""
    if configured is None or configured == "":
        if server_mode:
            raise ConfigError(
                "KIZASHI_SECRET_KEY is not set; a server needs one of at least 32 characters "
                '(python -c "import secrets; print(secrets.token_urlsafe(48))")'
            )
        return secrets.token_urlsafe(48)
    if server_mode:
        lowered = configured.lower()
        repeated = configured in (configured + configured)[1:-1]  # a pattern over and over, e.g. 0123456789 × 4
        if (
            len(configured) < MIN_SECRET
            or len(set(configured)) < 12
            or repeated
            or any(p in lowered for p in PLACEHOLDERS)
        ):
            raise ConfigError(
                "KIZASHI_SECRET_KEY is too weak for a server: use at least 32 random characters "
                '(python -c "import secrets; print(secrets.token_urlsafe(48))")'
            )
    return configured


def login_form_token(secret: str, nonce: str) -> str:
    """Before login there is no session to hold a CSRF token: the form carries an HMAC of a nonce that is also
    in a cookie (signed double submit), so another site cannot post a login in the user's browser."""
    return hmac.new(secret.encode(), f"login:{nonce}".encode(), hashlib.sha256).hexdigest()


def login_form_token_ok(secret: str, nonce: str | None, token: str | None) -> bool:
    if not nonce or not token:
        return False
    return hmac.compare_digest(login_form_token(secret, nonce).encode(), token.encode())
