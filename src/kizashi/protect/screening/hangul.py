"""Korean names in Hangul read the way sanctions lists spell them.

Lists write Korean people in McCune–Reischauer without its diacritics, one word per syllable of the given name
(김정은 → KIM Jong Un, 리선권 → RI Son Gwon, 최룡해 → CHOE Ryong Hae), and South Korean surnames in their own customary
spellings (이 → Lee, 박 → Park). A generic romanisation (anyascii: IMinHo, BagJiSeong) glues the syllables together
and spells the vowels the South Korean way (eo, eu), so neither the words nor the sounds line up. Here a Hangul word
of two to four syllables that begins with a surname is read as surname + given-name syllables, the surname in each of
its customary spellings; any other word as one word (단천 → tanchon). An organisation has its organisation words
translated (조선광선은행 → korea kwangson bank) and is also read aloud word by word (joson kwangson unhaeng); Korean
legal forms (주식회사, 유한회사) are set aside with the others (vocabulary.LEGAL_FORMS_CJK). Kanji of Korean names are
read in Korean first (korean.py) and then go the same way.
"""

from __future__ import annotations

import re

from kizashi.protect.screening.segment import split_known

# Hangul syllables are composed arithmetically: (initial × 21 + medial) × 28 + final, from U+AC00.
_FIRST = 0xAC00
_INITIALS = ("k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h")
_MEDIALS = (
    "a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "u", "ui", "i",
)  # fmt: skip
_FINALS = (
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t",
    "t", "k", "t", "p", "t",
)  # fmt: skip
# ㄱ ㄷ ㅂ between voiced sounds are voiced, and lists often write them so (Son Gwon, Yong Dok).
_VOICED = {"k": "g", "t": "d", "p": "b"}
_VOICED_BEFORE = ("", "n", "l", "m", "ng")  # a syllable ending in a vowel or one of these voices the next initial

# The customary spellings of common surnames, first as the DPRK and the lists write them. Korean drops an initial
# r/l and n before i and y (리 → 이, 림 → 임, 류 → 유, 로 → 노), so both spellings of those stand for one name.
SURNAMES: dict[str, tuple[str, ...]] = {
    "김": ("kim", "gim"),
    "이": ("ri", "lee", "yi", "rhee", "li"),
    "리": ("ri", "lee", "yi", "rhee", "li"),
    "박": ("pak", "park", "bak"),
    "최": ("choe", "choi"),
    "정": ("jong", "jung", "chung", "jeong"),
    "강": ("kang", "gang"),
    "조": ("jo", "cho"),
    "윤": ("yun", "yoon"),
    "장": ("jang", "chang"),
    "임": ("rim", "lim", "im"),
    "림": ("rim", "lim", "im"),
    "한": ("han",),
    "오": ("o", "oh"),
    "서": ("so", "seo", "suh"),
    "신": ("sin", "shin"),
    "권": ("kwon", "gwon"),
    "황": ("hwang",),
    "안": ("an", "ahn"),
    "송": ("song",),
    "류": ("ryu", "yu", "yoo", "lyu"),
    "유": ("yu", "ryu", "yoo"),
    "홍": ("hong",),
    "전": ("jon", "jeon", "chon", "chun"),
    "고": ("ko", "go"),
    "문": ("mun", "moon"),
    "손": ("son", "sohn"),
    "양": ("yang", "ryang"),
    "량": ("ryang", "yang"),
    "배": ("pae", "bae"),
    "백": ("paek", "baek", "paik"),
    "허": ("ho", "heo", "hur"),
    "노": ("ro", "no", "roh"),
    "로": ("ro", "no", "roh"),
    "남": ("nam",),
    "심": ("sim", "shim"),
    "주": ("ju", "joo", "chu"),
    "구": ("ku", "koo", "gu"),
    "하": ("ha",),
    "곽": ("kwak",),
    "성": ("song", "sung", "seong"),
    "차": ("cha",),
    "민": ("min",),
    "진": ("jin", "chin"),
    "지": ("ji", "chi"),
    "현": ("hyon", "hyun"),
    "방": ("pang", "bang"),
    "공": ("kong",),
    "원": ("won",),
    "천": ("chon", "cheon"),
    "태": ("thae", "tae"),
}
# Organisation words, as the lists translate them (조선광선은행 → KOREA KWANGSON BANKING CORPORATION: 조선 is how the
# DPRK names Korea). The rest of an organisation's name is read as one word per run (광선 → kwangson).
WORDS: dict[str, str] = {
    "조선": "korea", "한국": "korea", "은행": "bank", "무역": "trading", "총회사": "general corporation",
    "회사": "company", "상사": "trading company", "개발": "development", "광업": "mining", "기술": "technology",
    "합영": "joint venture", "합작": "joint venture", "국제": "international", "상업": "commercial",
    "신용": "credit", "금융": "finance", "연구소": "institute", "연구원": "institute", "대학": "university",
    "대학교": "university", "과학원": "academy of sciences", "기술원": "institute of technology",
    "과학기술원": "institute of science and technology", "과학": "science", "총국": "general bureau",
    "위원회": "committee", "해운": "shipping", "기계": "machinery", "화학": "chemical", "설비": "equipment",
    "수출입": "import export", "수출": "export", "수입": "import", "공업": "industry", "산업": "industry",
    "전자": "electronics", "연합": "united", "련합": "united", "국방": "national defense", "원자력": "atomic energy",
    "우주": "space", "항공": "aerospace", "해양": "ocean", "경제": "economic", "그룹": "group", "센터": "center",
    "공사": "corporation", "협회": "association", "재단": "foundation", "병원": "hospital", "중앙": "central",
    "국가": "national", "인민": "people's", "군": "army", "정찰": "reconnaissance",
    # ministries (성 in the DPRK, 부 in South Korea; alone either is as likely part of a name: 대성, 광성)
    "국방성": "ministry of national defence", "외무성": "ministry of foreign affairs",
    "무력성": "ministry of armed forces", "보위성": "ministry of state security", "국방부": "ministry of national defence",
    "외교부": "ministry of foreign affairs", "통일부": "ministry of unification",
}  # fmt: skip
LONGEST_WORD = max(len(word) for word in WORDS)
HANGUL = re.compile(r"[\uac00-\ud7a3]+")
_PERSON = range(2, 5)  # syllables of a personal name written as one word: 1 of surname, 1–3 of given name


def is_hangul(text: str) -> bool:
    return HANGUL.search(text) is not None


def _parts(syllable: str) -> tuple[int, int, int]:
    code = ord(syllable) - _FIRST
    return code // 588, (code % 588) // 28, code % 28


def syllable(char: str, previous: str | None = None) -> str:
    """One syllable in list spelling; `previous` (the syllable before it in the same name) voices k/t/p after a
    vowel or a voiced final, as in 선권 → son gwon."""
    initial, medial, final = _parts(char)
    onset = _INITIALS[initial]
    if previous is not None and onset in _VOICED and _FINALS[_parts(previous)[2]] in _VOICED_BEFORE:
        onset = _VOICED[onset]
    return onset + _MEDIALS[medial] + _FINALS[final]


def organisation(word: str) -> list[tuple[str, str, bool]] | None:
    """(key or English words, surface, translated) for a Hangul word with an organisation word in it, longest words
    first, the runs between them read as one word each; None when it has none. A single-syllable word (군) counts
    only at the end, where it is a suffix rather than part of a proper name."""
    pieces = split_known(word, WORDS, LONGEST_WORD, lambda start, found: len(found) > 1 or start + 1 == len(word))
    parts = [(WORDS[piece] if known else run(piece), piece, known) for piece, known in pieces]
    return parts if any(translated for _, _, translated in parts) else None


def run(syllables: str) -> str:
    """Syllables read as one word (광선 → kwangson)."""
    read = [syllable(char, previous) for previous, char in zip([None, *syllables], syllables, strict=False)]
    return "".join(read)


def person(word: str, *, first: bool = True) -> bool:
    """Whether a Hangul word is read as a person's name: the first word of a name, and a surname alone (김 정은) or a
    whole name (김정은, 2–4 syllables)."""
    return first and (len(word) == 1 or len(word) in _PERSON) and word[0] in SURNAMES


def readings(word: str, *, first: bool = True) -> list[list[tuple[str, str]]]:
    """The ways of reading one Hangul word, each a list of (key, the syllable it came from). A person's name
    (`person`) is read once per spelling of its surname; any other word once, syllable by syllable."""
    chars = list(word)
    read = [(syllable(char, previous), char) for previous, char in zip([None, *chars], chars, strict=False)]
    if person(word, first=first):
        return [[(surname, chars[0]), *read[1:]] for surname in SURNAMES[chars[0]]]
    return [read]
