"""The web app's own defences: the server-mode secret, the login form's CSRF token, response headers."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import secrets
import unicodedata

from kizashi.errors import ConfigError

MIN_SECRET_BITS = 128
MAKE_SECRET = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'
# Words people paste from examples; refused even when long enough. (Runs such as xxxx or 0000 are not listed: the
# estimate counts them for little anyway, and as words they turned up in real random tokens, case-insensitively.)
PLACEHOLDERS = ("changeme", "change-me", "secret", "password", "kizashi", "example", "default")
# Character classes and how many characters each offers a guesser (printable ASCII symbols: 33).
_CLASSES = ((str.islower, 26), (str.isupper, 26), (str.isdigit, 10))
_SYMBOLS, _OTHER = 33, 100
_RUN = 3  # this many characters stepping by -1, 0 or +1 (abc, 321, aaa) are guessed as one sequence


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


def secret_bits(secret: str) -> float:
    """A guesser's estimate of the bits in `secret`, after the way zxcvbn counts: each character is worth the bits of
    the character classes the secret uses, but a sequence or repeat (abc…, 987…, aaa…) only its first character and
    its length, and a block repeated over and over only the block and the count. Full-width and other compatibility
    forms count as the ASCII they stand for (NFKC), so ａｂｃ… is the sequence abc…"""
    text = unicodedata.normalize("NFKC", secret)
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text == text[:size] * (len(text) // size):
            return secret_bits(text[:size]) + math.log2(len(text) // size)
    pool = sum(n for test, n in _CLASSES if any(test(ch) and ch.isascii() for ch in text))
    pool += _SYMBOLS if any(ch.isascii() and not ch.isalnum() for ch in text) else 0
    pool += _OTHER if any(not ch.isascii() for ch in text) else 0
    per_char = math.log2(max(pool, 2))
    bits, start = 0.0, 0
    while start < len(text):
        end = start + 1
        if end < len(text):
            step = ord(text[end]) - ord(text[start])
            while abs(step) <= 1 and end < len(text) and ord(text[end]) - ord(text[end - 1]) == step:
                end += 1
        length = end - start
        if length >= _RUN:
            bits += per_char + math.log2(length) + 1
        else:
            bits, end = bits + per_char, start + 1
        start = end
    return bits


def server_secret(configured: str | None, *, server_mode: bool) -> str:
    """The secret to run with. In server mode it must be configured, hold an estimated 128 bits or more (see
    `secret_bits`) and not be a placeholder; on loopback an unset secret becomes a random one for this run
    (sessions live in the database, so nobody is logged out)."""
    if configured is None or configured == "":
        if server_mode:
            raise ConfigError(f"KIZASHI_SECRET_KEY is not set; a server needs a random one: {MAKE_SECRET}")
        return secrets.token_urlsafe(48)
    if server_mode:
        bits = secret_bits(configured)
        lowered = unicodedata.normalize("NFKC", configured).lower()
        if bits < MIN_SECRET_BITS or any(p in lowered for p in PLACEHOLDERS):
            raise ConfigError(
                f"KIZASHI_SECRET_KEY is too weak for a server (about {bits:.0f} bits; sequences, repeats and "
                f"example words count for little): it needs {MIN_SECRET_BITS} or more. Make one: {MAKE_SECRET}"
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
