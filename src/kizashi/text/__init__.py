"""Text pipeline for matching needs to seeds across Japanese and English: replaceable stages, one module each.

normalise (NFKC, width, case) → tokenise (Sudachi normalised forms for Japanese, Snowball stems for English) → later
stages (concepts, channels, fusion) read the terms.
"""

from kizashi.text.normalise import is_japanese, normalise
from kizashi.text.tokenise import Tokeniser

__all__ = ["Tokeniser", "is_japanese", "normalise"]
