"""Katakana of Korean names read as Korean: キム → Kim, パク → Pak/Park, カンボン → Kangbong, テドン → Taedong.

Read as Japanese, katakana of a Korean name meet nothing (キム → "kimu", チョル → "choru", ン for both n and ng). The
convention followed here is the one Japanese newspapers, broadcasters and learners' dictionaries use for Korean names
(written from general knowledge of it; no table was downloaded):

- each Hangul syllable is one kana syllable for its initial and vowel, the plain and aspirated consonants written
  alike (ㄱ/ㅋ カ or ガ, ㄷ/ㅌ タ or ダ, ㅂ/ㅍ パ or バ, ㅈ/ㅊ チャ or ジャ), ㅓ and ㅗ both オ, ㅜ and ㅡ both ウ, ㅐ and ㅔ
  both エ (대동 テドン, 제선 ジェソン), ㅚ ㅙ ㅞ ウェ or エ (최 チェ), ㅘ ㅝ クァ, ウォ;
- a final consonant is a kana of its own after the syllable: ㄱ ク, ㄹ ル, ㅁ ム, ㅂ プ, ㄴ and ㅇ both ン (김 キム, 박
  パク, 설 ソル, 강봉 カンボン), a final ㄷ ㅅ ㅈ (and ㄱ ㅂ before the same consonant) ッ (압록강 アムノッカン); learners'
  texts write the finals small (ㇰ ㇽ ㇺ ㇷ゚ ㇳ ㇱ ㇴ, Unicode's Katakana Phonetic Extensions);
- the family name first, apart from the given name (キム・ヨンチョル), whose syllables the lists write as words
  (KIM Yong Chol).

So one katakana spelling stands for several Korean ones (ジョン: Jong, Jung, Chong, Jon; ウン: Un, Eun; ヨン: Yong,
Yeon, Yon): the keys here are one of them (ン as ng, but n after i and u), and score.katakana_similarity compares them with
a list's spelling in the classes katakana cannot tell apart. A word that has a kana this convention does not use (ー,
ツ, ティ, small ァ ィ ゥ …) is no Korean reading: the name is read as Japanese only.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product

from kizashi.protect.screening import hangul

__all__ = ["is_korean", "is_surname", "spellings", "surname", "surname_spellings", "syllables"]

# The initial and vowel of a Hangul syllable as katakana writes it → the list spelling (McCune–Reischauer without its
# marks, as the UN and the DPRK write names). Voiced kana stand for the voiced spelling lists use inside a name
# (강 in 남천강 → ガン, -gang).
_ONSETS = {
    "ア": "a", "イ": "i", "ウ": "u", "エ": "e", "オ": "o",
    "カ": "ka", "キ": "ki", "ク": "ku", "ケ": "ke", "コ": "ko",
    "ガ": "ga", "ギ": "gi", "グ": "gu", "ゲ": "ge", "ゴ": "go",
    "サ": "sa", "シ": "si", "ス": "su", "セ": "se", "ソ": "so",
    "ジ": "ji", "ズ": "ju", "ゼ": "je", "ゾ": "jo",
    "タ": "ta", "チ": "chi", "テ": "tae", "ト": "to",
    "ダ": "da", "デ": "dae", "ド": "do",
    "ナ": "na", "ニ": "ni", "ヌ": "nu", "ネ": "ne", "ノ": "no",
    "ハ": "ha", "ヒ": "hi", "フ": "hu", "ヘ": "hae", "ホ": "ho",
    "バ": "ba", "ビ": "bi", "ブ": "bu", "ベ": "bae", "ボ": "bo",
    "パ": "pa", "ピ": "pi", "プ": "pu", "ペ": "pae", "ポ": "po",
    "マ": "ma", "ミ": "mi", "ム": "mu", "メ": "mae", "モ": "mo",
    "ヤ": "ya", "ユ": "yu", "ヨ": "yo",
    "ラ": "ra", "リ": "ri", "ル": "ru", "レ": "re", "ロ": "ro",
    "ワ": "wa",
    # two kana for one initial and vowel
    "キャ": "kya", "キュ": "kyu", "キョ": "kyo", "ギャ": "gya", "ギュ": "gyu", "ギョ": "gyo",
    "シャ": "sya", "シュ": "syu", "ショ": "syo", "シェ": "sye",
    "ジャ": "ja", "ジュ": "ju", "ジョ": "jo", "ジェ": "je",
    "チャ": "cha", "チュ": "chu", "チョ": "cho", "チェ": "che",
    "ニャ": "nya", "ニュ": "nyu", "ニョ": "nyo", "ヒャ": "hya", "ヒュ": "hyu", "ヒョ": "hyo",
    "ビャ": "bya", "ビュ": "byu", "ビョ": "byo", "ピャ": "pya", "ピュ": "pyu", "ピョ": "pyo",
    "ミャ": "mya", "ミュ": "myu", "ミョ": "myo", "リャ": "rya", "リュ": "ryu", "リョ": "ryo",
    "イェ": "ye", "ウィ": "wi", "ウェ": "oe", "ウォ": "wo",
    "クァ": "kwa", "クェ": "kwe", "クォ": "kwo", "グァ": "gwa", "グェ": "gwe", "グォ": "gwo",
    "ファ": "hwa", "フィ": "hwi", "フェ": "hwe", "フォ": "hwo", "ホァ": "hwa",
    "トゥ": "tu", "ドゥ": "du", "ティ": "ti", "ディ": "di",
}  # fmt: skip
# Kana that write a final consonant after a syllable; ン is ㄴ or ㅇ (the key spells ng, but n after i and u: 신, 진,
# 운, 춘 are common, 싱, 웅 rarer). ッ is the final of the consonant that follows it (ッカ: k).
_CODAS = {
    "ン": "ng", "ム": "m", "ク": "k", "ル": "l", "プ": "p", "ッ": "",
    "ㇰ": "k", "ㇺ": "m", "ㇽ": "l", "ㇷ゚": "p", "ㇷ": "p", "ㇳ": "t", "ㇱ": "t", "ㇴ": "n",
}  # fmt: skip
_N_AFTER = frozenset("iu")
_LONGEST_CODA = max(len(coda) for coda in _CODAS)
_SOKUON = "ッ"
_SOKUON_BEFORE = {"k": "k", "g": "k", "p": "p", "b": "p"}  # else t

# Family names in katakana → their Hangul, whose customary spellings (hangul.SURNAMES) a list may use (リ: Ri, Lee,
# Yi, Rhee). Where one katakana is several names (チョン: 정 전 천; ソン: 송 성 손 선), the first; the others differ in
# vowels or in n/ng only, which the comparison does not tell apart anyway.
_SURNAMES = {
    "キム": "김", "イ": "이", "リ": "리", "パク": "박", "チェ": "최", "チョン": "정", "ジョン": "정", "カン": "강",
    "チョ": "조", "ユン": "윤", "チャン": "장", "ジャン": "장", "イム": "임", "リム": "림", "ハン": "한", "オ": "오",
    "ソ": "서", "シン": "신", "クォン": "권", "ファン": "황", "アン": "안", "ソン": "송", "リュ": "류", "ユ": "유",
    "ホン": "홍", "コ": "고", "ムン": "문", "ヤン": "양", "リャン": "량", "ペ": "배", "ペク": "백", "ホ": "허",
    "ノ": "노", "ロ": "로", "ナム": "남", "シム": "심", "チュ": "주", "ク": "구", "ハ": "하", "クァク": "곽",
    "チャ": "차", "ミン": "민", "チン": "진", "チ": "지", "ヒョン": "현", "パン": "방", "コン": "공", "ウォン": "원",
    "テ": "태",
}  # fmt: skip
_LONGEST_SURNAME = max(len(kana) for kana in _SURNAMES)


@lru_cache(maxsize=50_000)
def syllables(word: str) -> tuple[tuple[str, str], ...] | None:
    """(kana, key) per Korean syllable of a katakana word (カンボン → (カン, kang), (ボン, bong)); None when the word
    is not written the way Japanese writes Korean (a long-vowel mark, ツ, a small vowel after a kana it does not
    follow in that convention, a final with no syllable before it, ッ at the end)."""
    found: list[tuple[str, str]] = []
    coda_done = True  # whether the syllable before already has its final (or there is none)
    i = 0
    while i < len(word):
        onset = next((word[i : i + n] for n in (2, 1) if word[i : i + n] in _ONSETS), None)
        coda = next((word[i : i + n] for n in range(_LONGEST_CODA, 0, -1) if word[i : i + n] in _CODAS), None)
        if coda is not None and not coda_done and (onset is None or len(onset) == 1):
            # A kana that can be a final is one after a syllable without one (キム: kim), not a syllable (ku, mu).
            if coda == _SOKUON:
                following = next((word[i + 1 : i + 1 + n] for n in (2, 1) if word[i + 1 : i + 1 + n] in _ONSETS), None)
                if following is None:
                    return None
                final = _SOKUON_BEFORE.get(_ONSETS[following][0], "t")
            else:
                final = "n" if coda == "ン" and found[-1][1][-1] in _N_AFTER else _CODAS[coda]
            kana, key = found[-1]
            found[-1] = (kana + coda, key + final)
            coda_done = True
            i += len(coda)
            continue
        if onset is None:
            return None
        found.append((onset, _ONSETS[onset]))
        coda_done = False
        i += len(onset)
    return tuple(found) if found else None


def is_korean(word: str) -> bool:
    """Whether a katakana word can be read as Korean (`syllables`)."""
    return syllables(word) is not None


def surname(word: str) -> int:
    """How many syllables of a katakana word its family name takes (キムヨンチョル: 1), 0 when it does not begin with
    one. The longest family name wins (ペク before ペ)."""
    read = syllables(word)
    if read is None:
        return 0
    for n in range(min(len(read), _LONGEST_SURNAME), 0, -1):
        if "".join(kana for kana, _ in read[:n]) in _SURNAMES:
            return n
    return 0


@lru_cache(maxsize=4096)
def surname_spellings(kana: str) -> tuple[str, ...]:
    """The keys a list may spell a family name in katakana with: its own reading, then hangul.SURNAMES's spellings
    that the comparison would not find alike (パク: pak, park; リ: ri, lee, yi, rhee; キム: kim)."""
    from kizashi.protect.screening.score import katakana_sound

    read = syllables(kana)
    own = "".join(key for _, key in read) if read else ""
    found: dict[str, str] = {}
    for spelling in (own, *hangul.SURNAMES.get(_SURNAMES.get(kana, ""), ())):
        if spelling:
            found.setdefault(katakana_sound(spelling), spelling)
    return tuple(found.values())


_CODA_N = re.compile(r"n(?:g(?![aeiouwy])|(?![aeiouwyg]))")
_MOST_SPELLINGS = 8


def spellings(key: str) -> tuple[str, ...]:
    """Other spellings of a key read out of katakana, for finding candidates (a list's Kangbong shares no blocking key
    with kanbon): each final n as ng and the reverse, ae as e; at most eight, the key itself left out."""
    options: list[tuple[str, ...]] = []
    pieces: list[str] = []
    end = 0
    for found in _CODA_N.finditer(key):
        pieces.append(key[end : found.start()])
        options.append((found.group(), "n" if found.group() == "ng" else "ng"))
        end = found.end()
    pieces.append(key[end:])
    made: list[str] = []
    for choice in product(*options):
        spelled = "".join(piece + (choice[i] if i < len(choice) else "") for i, piece in enumerate(pieces))
        for other in (spelled, spelled.replace("ae", "e")):
            if other != key and other not in made:
                made.append(other)
        if len(made) >= _MOST_SPELLINGS:
            break
    return tuple(made[:_MOST_SPELLINGS])


def is_surname(word: str) -> bool:
    """Whether a katakana word is a family name alone (キム, パク)."""
    read = syllables(word)
    return read is not None and surname(word) == len(read)
