"""Known words in a name written without spaces (kanji, Hangul): the one way organisation words are found in it."""

from __future__ import annotations

from collections.abc import Callable, Container


def split_known(
    text: str, known: Container[str], longest: int, accept: Callable[[int, str], bool] | None = None
) -> list[tuple[str, bool]]:
    """`text` cut into known words, the longest first from the left (where `accept(start, word)` allows it), and the
    runs between them: (piece, whether it is a known word), in order."""
    pieces: list[tuple[str, bool]] = []
    pending, start = "", 0
    while start < len(text):
        word = next(
            (
                text[start : start + n]
                for n in range(min(longest, len(text) - start), 0, -1)
                if text[start : start + n] in known and (accept is None or accept(start, text[start : start + n]))
            ),
            None,
        )
        if word is None:
            pending += text[start]
            start += 1
            continue
        if pending:
            pieces.append((pending, False))
            pending = ""
        pieces.append((word, True))
        start += len(word)
    if pending:
        pieces.append((pending, False))
    return pieces
