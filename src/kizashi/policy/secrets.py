"""How strong a secret must be: the server's secret key and the audit trail's key are judged by one estimate.

It lives here, beside the access policy at the bottom of the layers, because the store (the audit key) and the web
app (the server secret) both judge secrets, and the store may not import the web app.
"""

from __future__ import annotations

import math
import unicodedata

from kizashi.errors import ConfigError
from kizashi.messages import Message

MIN_SECRET_BITS = 128
MAKE_SECRET = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'
# Words people paste from examples; refused even when long enough. (Runs such as xxxx or 0000 are not listed: the
# estimate counts them for little anyway, and as words they turned up in real random tokens, case-insensitively.)
PLACEHOLDERS = ("changeme", "change-me", "secret", "password", "kizashi", "example", "default")
# Character classes and how many characters each offers a guesser (printable ASCII symbols: 33).
_CLASSES = ((str.islower, 26), (str.isupper, 26), (str.isdigit, 10))
_SYMBOLS, _OTHER = 33, 100
_RUN = 3  # this many characters stepping by -1, 0 or +1 (abc, 321, aaa) are guessed as one sequence


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


def require_strong_secret(secret: str, *, name: str, purpose: str) -> None:
    """ConfigError unless `secret` holds an estimated 128 bits or more and is no placeholder; the refusal names it
    and what it is for ("KIZASHI_SECRET_KEY is too weak for a server …")."""
    bits = secret_bits(secret)
    lowered = unicodedata.normalize("NFKC", secret).lower()
    if bits < MIN_SECRET_BITS or any(p in lowered for p in PLACEHOLDERS):
        raise ConfigError(
            Message(
                "{name} is too weak {purpose} (about {bits:.0f} bits; sequences, repeats and example words count for "
                "little): it needs {minimum} or more. Make one: {command}",
                name=name,
                purpose=purpose,
                bits=bits,
                minimum=MIN_SECRET_BITS,
                command=MAKE_SECRET,
            )
        )
