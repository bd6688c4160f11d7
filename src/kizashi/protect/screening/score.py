"""How alike a query name and a list name are, in [0, 1], with the reasons.

Tokens are aligned one to one, best pair first, whatever their order. A pair scores 1 when the keys are equal
(after transliteration, translation or expansion), else by spelling (the mean of Jaro-Winkler and edit similarity,
stretched), or by sound skeleton when the spellings are close or one side was read out of kana, Hangul, Arabic …;
pairs under FLOOR do not match. Tokens weigh by rarity (NameIndex.weight). The score is the geometric mean of the
shares of the query's and of the list name's weight that the matched tokens carry (an alias that is part of the
listed name still scores; one common word met in a long name does not), or, when the names split into words
differently ("Abdalhamid" / "Abd al Hamid", pinyin syllables, キドマテック / Kidma Tech), the similarity of the
joined keys if that is higher. Penalties (PENALTIES): a legal form of another kind, a different entity type, no
country in common, each only when both sides state it; a name met by sound alone in a minority of its weight; a match
carried by one word of a longer name; a match of generic words and places only ("Ministry of Defence", "University of
Cyprus") unless the countries agree; a match of initials only; kinds of organisation that cannot be one party, when
both names state one (a university is no bank: vocabulary.KINDS). A person never matches an organisation: when both
types are stated the score is 0; when one is only inferred (a legal form or an organisation word in the name: "Israel
Electric Corporation"), it is penalised.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz.distance import JaroWinkler, Levenshtein

from kizashi.messages import Message
from kizashi.protect.screening.names import EXACT, NameForm, skeleton
from kizashi.protect.screening.places import REGION_WORDS, is_place
from kizashi.protect.screening.vocabulary import (
    GENERIC_WORDS,
    ORGANISATION_WORDS,
    kinds_differ,
    legal_family,
    organisation_kinds,
)

__all__ = [
    "FLOOR",
    "PENALTIES",
    "PENALTY_TEXT",
    "Match",
    "explain",
    "explanation_text",
    "katakana_similarity",
    "katakana_sound",
    "korean_similarity",
    "score",
    "token_similarity",
]

FLOOR = 0.82  # a token pair less alike than this is no match
PENALTIES = {
    "legal_form": 0.03,
    "type": 0.08,
    "country": 0.15,
    "sound_only": 0.1,
    "one_word": 0.15,
    "generic": 0.45,
    "initials": 0.3,
    "person_organisation": 0.3,  # inferred from the name; when both sides state their type, the score is 0
    "kind": 0.3,
}
# What each penalty says in an explanation (Messages: said in the reader's language, kizashi.messages).
PENALTY_TEXT = {
    "legal_form": Message("legal form differs"),
    "type": Message("entity type differs"),
    "country": Message("country differs"),
    "sound_only": Message("matched by sound alone"),
    "one_word": Message("only one word of a longer name matches"),
    "generic": Message("only generic words or places match, and the countries do not agree"),
    "initials": Message("only initials match"),
    "person_organisation": Message("a person against an organisation"),
    "kind": Message("kinds of organisation differ"),
}
# How a query token met a list token (explain's "how"), in words a reader's language has.
HOW_TEXT = {
    "exact": Message("exact"),
    "transliterated": Message("transliterated"),
    "translated": Message("translated"),
    "abbreviation": Message("abbreviation"),
    "fuzzy": Message("fuzzy"),
    "phonetic": Message("phonetic"),
}
# The languages a name's kanji are read in (explain's "reading").
READING_TEXT = {"Korean": Message("Korean")}
# The query share below which a match on sound alone is penalised: a katakana reading matches a Latin word by sound
# alone by chance far more often than by spelling, and one such chance meeting must not carry a long name.
_SOUND_ONLY_SHARE = 0.5
# A match on the joined string counts a little less than the same match token by token: it cannot say which words
# matched.
_JOINED = 0.95
_SHORT = 3  # keys this short match only when equal (Jaro-Winkler is generous to "ali"/"alu")
_STRETCH = 1.5
_JOINED_FLOOR = 0.9
_SOUNDS_ALIKE = 0.85  # Mohammed / Muhammad, defense / defence
_SPELLING_FOR_SOUND = 0.72  # spelling needed besides an equal skeleton (eutema / etim 0.64 is not a variant)
# Mean of JW (≤ 1) and edit similarity (≤ 1 - length difference share) reaches neither floor beyond this difference.
_LENGTH_SLACK = 2 * (1 - _SPELLING_FOR_SOUND)
_SOUND_SHARE = 0.6  # of a phonetic similarity that comes from the skeletons (the rest from the spelling)
_SOUND_FLOOR = 0.8
# A name of generic words only is weak when it has at most this many ("Ministry of National Defence"); more of them
# in one order make a name of their own ("Korea Mining Development Trading Corporation").
_GENERIC_MOST = 3


@dataclass(slots=True)
class Match:
    score: float
    pairs: list[tuple[int, int, float, str]] = field(default_factory=list)  # query token, list token, sim, how
    penalties: dict[str, float] = field(default_factory=dict)
    joined: bool = False
    excluded: tuple[int, ...] = ()  # query tokens not compared (kanji read in Japanese or Chinese, a Korean name)
    kinds: tuple[tuple[str, ...], tuple[str, ...]] | None = None  # the kinds stated, when they differ


@lru_cache(maxsize=1_000_000)
def token_similarity(query: str, entry: str, phonetic: bool) -> tuple[float, str]:
    """(similarity, how) of two keys: 'exact', 'fuzzy' or 'phonetic'; (0, '') when they do not match.

    The spelling similarity (_spelling) is stretched below 1 (0.95 → 0.92, 0.88 → 0.82): a one-letter slip in a
    long name is a near match, two or three are not, and an unrelated word must not reach the threshold on its own.
    Sound skeletons count for Latin keys only when the spellings are close as well (skeletons of short words
    collide), and on their own only when one side was read out of kana, Hangul, Arabic … (`phonetic`).
    """
    if query == entry:
        return 1.0, EXACT
    best, how = 0.0, ""
    long_enough = len(query) > _SHORT and len(entry) > _SHORT
    # The spelling cannot reach FLOOR when the lengths differ by more than this share (edit distance ≥ difference).
    if long_enough and abs(len(query) - len(entry)) <= _LENGTH_SLACK * max(len(query), len(entry)):
        similar = _spelling(query, entry)
        if similar >= FLOOR:
            best, how = 1 - _STRETCH * (1 - similar), "fuzzy"
        if (
            similar >= _SPELLING_FOR_SOUND
            and best < _SOUNDS_ALIKE
            and _same_syllables(query, entry)
            and _same_onset(query, entry)
        ):
            # Transliterations of one name differ in their vowels (Muhammad / Mohammed, Husayn / Hussein).
            sound_q = skeleton(query)
            if len(sound_q) >= 3 and sound_q == skeleton(entry):
                best, how = _SOUNDS_ALIKE, "phonetic"
    if phonetic and _same_onset(query, entry):
        sound_q, sound_e = skeleton(query), skeleton(entry)
        if not long_enough and sound_q and sound_q == sound_e and query[0] == entry[0]:
            best, how = max(best, _SOUNDS_ALIKE), "phonetic"  # キー / Key
        elif len(sound_q) >= 2 and len(sound_e) >= 2:
            sound = _sounds_like(query, entry, sound_q, sound_e)
            if sound > best:
                best, how = sound, "phonetic"
    return (best, how) if best > 0 else (0.0, "")


# How romanisations of one Hangul syllable differ: voicing (k/g, t/d, p/b, ch/j), aspiration written or not
# (ph, th, kh; MR's apostrophes are gone), r/l, and the vowels ㅓ ㅡ ㅗ ㅜ (o, eo, u, eu, oo: Jong, Jeong, Jung). Keys in
# one class are the same Korean name as far as a list's spelling can say; s and j are not (unlike in katakana).
_KOREAN_SOUND = re.compile(r"ng|tch|jj|ch|j|kk|gg|kh|k|g|tt|dd|th|t|d|pp|bb|ph|p|b|ss|sh|s|l|r|oe|oi|eo|eu|o|u")
_KOREAN_CLASS = {
    "ng": "ng", "tch": "c", "jj": "c", "ch": "c", "j": "c", "kk": "k", "gg": "k", "kh": "k", "k": "k", "g": "k",
    "tt": "t", "dd": "t", "th": "t", "t": "t", "d": "t", "pp": "p", "bb": "p", "ph": "p", "p": "p", "b": "p",
    "ss": "s", "sh": "s", "s": "s", "l": "r", "r": "r", "oe": "oe", "oi": "oe", "eo": "o", "eu": "o", "o": "o",
    "u": "o",
}  # fmt: skip
# One syllable spelt with other consonant letters only (Taedong / Daedong, Chong / Jong): the same Hangul. With the
# vowels differing as well (Jong / Jung), it may be another syllable.
_KOREAN_SAME, _KOREAN_ALIKE = 0.95, 0.9
_KOREAN_VOWELS = frozenset({"o", "oe"})
_KOREAN_VOWEL = re.compile(r"[aeiouwy]+")


@lru_cache(maxsize=200_000)
def korean_sound(key: str, *, vowels: bool = True) -> str:
    """A romanised Korean key in the classes its spellings share: jong, jeong, jung and chong are all 'cong'; with
    `vowels` False the vowels stay as spelt (jong and chong are 'cong', jung is 'cung')."""

    def sound(match: re.Match[str]) -> str:
        found = _KOREAN_CLASS[match.group()]
        return found if vowels or found not in _KOREAN_VOWELS else match.group()

    return _KOREAN_SOUND.sub(sound, key)


@lru_cache(maxsize=1_000_000)
def korean_similarity(query: str, entry: str) -> tuple[float, str]:
    """(similarity, how) of a key read out of Hangul (or kanji read in Korean) and a list's key: 1 when equal,
    _KOREAN_SAME or _KOREAN_ALIKE in one Korean spelling class (korean_sound: Taedong / Daedong, Jong / Jung), else by
    spelling as token_similarity has it when only the vowels differ (Hungjin / Hengjin); never by katakana sound
    classes, which make Jong and Song one sound."""
    if query == entry:
        return 1.0, EXACT
    ours, theirs = korean_sound(query), korean_sound(entry)
    if ours == theirs:
        same = korean_sound(query, vowels=False) == korean_sound(entry, vowels=False)
        return (_KOREAN_SAME if same else _KOREAN_ALIKE), "phonetic"
    if _KOREAN_VOWEL.sub("", ours) != _KOREAN_VOWEL.sub("", theirs):
        # Another consonant is another syllable (Samsong / Samjong, Kwangson / Kwangsong are other names).
        return 0.0, ""
    longer = max(len(query), len(entry))
    if min(len(query), len(entry)) > _SHORT and abs(len(query) - len(entry)) <= _LENGTH_SLACK * longer:
        similar = _spelling(query, entry)
        if similar >= FLOOR:
            return 1 - _STRETCH * (1 - similar), "fuzzy"
    return 0.0, ""


# What katakana cannot tell apart in a Korean name, besides what Korean spellings vary in (korean_sound): ン is ㄴ
# or ㅇ (n / ng), エ is ㅐ or ㅔ (ae / e), ウェ and エ are ㅚ ㅙ ㅞ as well (Choe チェ). An ng before a vowel is
# read as n + g (Hangang: han-gang), as a list writing a voiced initial spells it.
_KATAKANA_ALIKE = 0.9
_NG_BEFORE_VOWEL = re.compile(r"ng(?=[aeiouwy])")
_KATAKANA_E = re.compile(r"yae|w?ae|oe|we")
_REPEATED = re.compile(r"(.)\1+")


@lru_cache(maxsize=200_000)
def katakana_sound(key: str) -> str:
    """A romanised Korean key in the classes a katakana spelling shares: kangbong, kanbon and gangbong are all
    'kanpon'; choe, choi and che all 'ce'."""
    # g is k's class anyway; spelt k it cannot join a final n into an ng again (chon-gang).
    sound = korean_sound(_NG_BEFORE_VOWEL.sub("nk", key).replace("ng", "n").replace("g", "k"))
    sound = _KATAKANA_E.sub(lambda found: "ye" if found.group() == "yae" else "e", sound)
    return _REPEATED.sub(r"\1", sound)


@lru_cache(maxsize=1_000_000)
def katakana_similarity(query: str, entry: str) -> tuple[float, str]:
    """(similarity, how) of a key read out of katakana as Korean (kana_korean.py) and a list's key: as
    korean_similarity has it, or _KATAKANA_ALIKE when the two are one katakana spelling (katakana_sound: テドン
    taedong / Daedong, ヨン yong / Yeon, チェ che / Choe)."""
    found = korean_similarity(query, entry)
    if found[0] < _KATAKANA_ALIKE and katakana_sound(query) == katakana_sound(entry):
        return _KATAKANA_ALIKE, "phonetic"
    return found


_VOWELS = frozenset("aeiou")
_VOWEL_GROUPS = re.compile(r"[aeiou]+")
# Letters a katakana reading turns into a vowel-initial word (ウィリアム uiriamu for William, イエメン for Yemen).
_SOFT_ONSET = frozenset("aeiouwy")
# Initial spellings whose sound a katakana reading may render either way: Thomas トーマス (t) / Think シンク (s); ハ行
# is read fu before u (Hussein フセイン fusein); x is z or ks (Xerox ゼロックス).
_ONSET_ALIKE = {"th": "ts", "h": "hf", "f": "hf", "x": "ks"}
# Katakana letter names that begin a word read as one (エムヴィジョン emuvijon for MVision, エスティー for ST): the word
# may begin with the letter's sound as well as with the vowel.
_LETTER_NAME = re.compile(r"^(?:e(?:mu|nu|su|fu|ru|kkusu)|aru)")


def _onsets(key: str) -> str:
    """The sound classes a word may begin with: "v" for a vowel, else its skeleton's first class (or the classes a
    reading may give it). Empty for a key without vowels (Arabic or Hebrew read without them: عمر `mr for Omar),
    whose beginning says nothing about a vowel."""
    if not _VOWELS.intersection(key):
        return ""
    if key[0] in _SOFT_ONSET:
        letter = _LETTER_NAME.match(key)
        return "v" + skeleton(letter.group())[:1] if letter else "v"
    alike = _ONSET_ALIKE.get(key[:2]) or _ONSET_ALIKE.get(key[0])
    return alike or skeleton(key)[:1]


def _same_onset(query: str, entry: str) -> bool:
    """Whether two keys may begin with the same sound. A reading out of kana keeps how a word begins — a vowel stays
    a vowel, a consonant keeps its class — while its middle and end change (extra vowels, l/r, doubled consonants);
    skeletons that agree only from the second sound on are different words (omnitor / minotoru, agencia /
    saiensu, ciaotech / isutekku)."""
    ours, theirs = _onsets(query), _onsets(entry)
    return not ours or not theirs or bool(set(ours) & set(theirs))


def _same_syllables(query: str, entry: str) -> bool:
    """Whether two Latin spellings may be variants of one name: transliterations change the vowels' quality, and may
    drop an unstressed one in a long name (Aleksandr / Alexander), but do not drop half of a short name's syllables
    (entech / ENTC is a word against an acronym)."""
    ours, theirs = len(_VOWEL_GROUPS.findall(query)), len(_VOWEL_GROUPS.findall(entry))
    if not ours or not theirs:
        return True  # read out of Arabic or Hebrew without vowels (خالد khld / Khaled): nothing to count
    return ours == theirs or (abs(ours - theirs) == 1 and min(ours, theirs) >= 2)


def _combine(query_share: float, entry_share: float) -> float:
    """How much of the query's and of the list name's weight the matched tokens carry, as one number: their
    geometric mean, so that an alias that is part of the listed name still scores (1 × 0.5 → 0.71) while one common
    word met in a long name does not (1 × 0.2 → 0.45)."""
    return math.sqrt(query_share * entry_share)


def _spelling(query: str, entry: str) -> float:
    """Jaro-Winkler rewards a shared beginning (Multitel / Multicarta 0.87); the edit distance does not. Their mean
    keeps one-letter slips high (Haniyya / Haniya 0.91) and different words that start alike low (0.69)."""
    return 0.5 * (JaroWinkler.normalized_similarity(query, entry) + Levenshtein.normalized_similarity(query, entry))


def _sounds_like(query: str, entry: str, sound_q: str, sound_e: str, *, whole: bool = False) -> float:
    """A katakana reading of a foreign name against a spelling: mostly what they sound like (the skeletons), partly
    how they are spelled, as skeletons of different words collide (wageningen / shenjen are both 'snsn').

    For `whole` names joined into one string the skeletons are compared as spellings are (_spelling), not by
    Jaro-Winkler alone: over twenty sound classes drawn from a dozen, Jaro-Winkler finds enough common classes in
    any two names (0.78 for "agencia estatal consejo superior …" / "chansha tiani supesu saiensu …")."""
    sounds = _spelling(sound_q, sound_e) if whole else JaroWinkler.normalized_similarity(sound_q, sound_e)
    mixed = _SOUND_SHARE * sounds + (1 - _SOUND_SHARE) * JaroWinkler.normalized_similarity(query, entry)
    return 0.95 * mixed if mixed >= _SOUND_FLOOR else 0.0


def score(
    query: NameForm,
    query_weights: Sequence[float],
    keys: Sequence[str],
    entry_weights: Sequence[float],
    legal_forms: Sequence[str],
    phonetic: bool,
    *,
    query_type: str | None = None,
    entry_type: str | None = None,
    query_countries: Sequence[str] = (),
    entry_countries: Sequence[str] = (),
    excluded: Sequence[int] = (),
) -> Match:
    """Score a query form against one list name. Weights are per key, as NameIndex.weight gives them. Countries are
    compared as given (places.country_code makes them comparable). The query tokens at `excluded` positions are
    not compared: they count as not found (nor is the whole name compared as one word)."""
    query_keys = query.keys
    if not query_keys or not keys:
        return Match(0.0)
    sound = phonetic or query.phonetic
    korean, katakana = query.korean_read, query.katakana_read
    pairs = [
        (found[0], i, j, found[1])
        for i, q in enumerate(query_keys)
        if i not in excluded
        for j, e in enumerate(keys)
        if (
            found := katakana_similarity(q, e)
            if i in katakana
            else korean_similarity(q, e)
            if i in korean
            else token_similarity(q, e, sound)
        )[0]
    ]
    pairs.sort(reverse=True)
    used_q: set[int] = set()
    used_e: set[int] = set()
    chosen = []
    matched = partners = 0.0
    for similarity, i, j, how in pairs:
        if i not in used_q and j not in used_e:
            used_q.add(i)
            used_e.add(j)
            chosen.append((i, j, similarity, how))
            matched += similarity * entry_weights[j]
            partners += entry_weights[j]
    # A matched query token weighs as its partner: a misspelt token is unknown to the index, not rare.
    query_total = partners + sum(w for i, w in enumerate(query_weights) if i not in used_q)
    result = Match(_combine(matched / query_total, matched / sum(entry_weights)), chosen, excluded=tuple(excluded))
    if not excluded and (len(chosen) < len(keys) or len(chosen) < len(query_keys)):
        joined_q, joined_e = "".join(query_keys), "".join(keys)
        longer = max(len(joined_q), len(joined_e))
        # The edit distance cannot reach the floor when the lengths differ by more than it allows.
        spelled = abs(len(joined_q) - len(joined_e)) <= (1 - _JOINED_FLOOR) * longer
        joined = Levenshtein.normalized_similarity(joined_q, joined_e, score_cutoff=_JOINED_FLOOR) if spelled else 0.0
        if sound and not query.korean_read and _same_onset(joined_q, joined_e):
            # キドマテック / Kidma Tech: one word read from kana for two written ones; compare the whole sound. Not
            # for a name read from Hangul: its syllables are known, and the whole sound of one Korean name is close
            # to that of many (kimjongun / kimjungjong).
            sound_q, sound_e = skeleton(joined_q), skeleton(joined_e)
            joined = max(joined, _sounds_like(joined_q, joined_e, sound_q, sound_e, whole=True))
        if joined and joined * _JOINED > result.score:
            result.score, result.joined = joined * _JOINED, True
    sound_only = chosen and all(pair[3] == "phonetic" for pair in chosen)
    entry_total = sum(entry_weights)
    weak_sounds = all(pair[2] < _SOUND_FLOOR for pair in chosen)
    if (
        sound_only
        and not result.joined
        and (weak_sounds or min(partners / query_total, partners / entry_total) < _SOUND_ONLY_SHARE)
    ):
        # Every token met by sound alone, and only faintly or with most of the query or of the list name left over:
        # the pattern of a chance meeting (agencia / saiensu in a six-word name; superiore sanita / スペースティー・
        # チャイナ), not of a name read out of kana, which matches most of its words and sounds alike.
        result.penalties["sound_only"] = PENALTIES["sound_only"]
    if chosen:
        agree = bool(set(query_countries) & set(entry_countries))
        _weak(result, query_keys, keys, agree)
        _kinds(result, query, keys, legal_forms, query_type, entry_type)
        theirs = organisation_kinds(tuple(keys), tuple(legal_forms)) if query.kinds else ()
        if theirs and kinds_differ(query.kinds, theirs):
            # A university is no bank, whatever proper name they share (Korea University / KORYO BANK).
            result.penalties["kind"] = PENALTIES["kind"]
            result.kinds = (query.kinds, theirs)
    if legal_forms or query_type or query_countries:
        _penalise(result, query, legal_forms, query_type, entry_type, query_countries, entry_countries)
    if result.penalties.get("person_organisation") == 1.0:
        result.score = 0.0
    elif result.penalties:
        result.score = min(1.0, max(0.0, result.score - sum(result.penalties.values())))
    return result


def _says_what(key: str) -> bool:
    """Whether a key says which party, not what kind or where in the world: not a generic word, a region or a single
    letter (a country or a city may say it: University of Tokyo)."""
    if len(key) == 1 or key in REGION_WORDS:
        return False
    return key not in GENERIC_WORDS or is_place(key)  # 東京 is translated, as 大学 is, but names one university


def _weak(result: Match, query_keys: Sequence[str], keys: Sequence[str], agree: bool) -> None:
    """Matches that a name's own words do not carry: initials in a longer name; a few generic words only (unless the
    countries agree: a ministry of defence is the listed one only in its country); one word of a longer name."""
    if result.joined:
        return
    matched = [query_keys[i] for i, _, _, _ in result.pairs]
    whole = len(matched) == len(query_keys) == len(keys)
    if all(len(key) == 1 for key in matched):
        if not whole:
            result.penalties["initials"] = PENALTIES["initials"]
    elif not any(_says_what(key) for key in matched):
        if not agree and len(matched) <= _GENERIC_MOST:
            result.penalties["generic"] = PENALTIES["generic"]
    elif len(matched) == 1 and not whole:
        result.penalties["one_word"] = PENALTIES["one_word"]


def _kind(keys: Sequence[str], legal_forms: Sequence[str]) -> str | None:
    return "organisation" if legal_forms or any(key in ORGANISATION_WORDS for key in keys) else None


def _kinds(
    result: Match,
    query: NameForm,
    keys: Sequence[str],
    legal_forms: Sequence[str],
    query_type: str | None,
    entry_type: str | None,
) -> None:
    """A person is never an organisation: 1.0 (the score becomes 0) when both sides state it, else the penalty when
    one side's type is inferred from its name."""
    ours = query_type or _kind(query.keys, query.legal_forms)
    theirs = entry_type or _kind(keys, legal_forms)
    if {ours, theirs} == {"person", "organisation"}:
        stated = bool(query_type and entry_type)
        result.penalties["person_organisation"] = 1.0 if stated else PENALTIES["person_organisation"]


def _penalise(
    result: Match,
    query: NameForm,
    legal_forms: Sequence[str],
    query_type: str | None,
    entry_type: str | None,
    query_countries: Sequence[str],
    entry_countries: Sequence[str],
) -> None:
    if (
        query.legal_forms
        and legal_forms
        and not legal_family(tuple(query.legal_forms)) & legal_family(tuple(legal_forms))
    ):
        result.penalties["legal_form"] = PENALTIES["legal_form"]
    if query_type and entry_type and query_type != entry_type and "person_organisation" not in result.penalties:
        result.penalties["type"] = PENALTIES["type"]
    if (
        query_countries
        and entry_countries
        and not {c.casefold() for c in query_countries} & {c.casefold() for c in entry_countries}
    ):
        result.penalties["country"] = PENALTIES["country"]


def explain(match: Match, query: NameForm, keys: Sequence[str], legal_forms: Sequence[str]) -> dict[str, Any]:
    """What a reviewer reads: how the name was read when its kanji were read in Korean; each query token, what it met
    and how; the tokens not compared (kanji read in Japanese or Chinese against a Korean name); the legal forms; the
    penalties."""
    tokens = []
    for i, j, similarity, how in sorted(match.pairs):
        token = query.tokens[i]
        kind = how if how != EXACT else token.how  # equal keys: say how the query token got its key
        tokens.append(
            {
                "query": token.surface,
                "key": token.key,
                "matched": keys[j],
                "how": kind if similarity == 1.0 or how != "fuzzy" else f"fuzzy {similarity:.2f}",
                "similarity": round(similarity, 3),
            }
        )
    matched_q = {i for i, _, _, _ in match.pairs}
    matched_e = {j for _, j, _, _ in match.pairs}
    found: dict[str, Any] = {
        "tokens": tokens,
        "unmatched_query": [
            query.tokens[i].surface for i in range(len(query.tokens)) if i not in matched_q and i not in match.excluded
        ],
        "unmatched_list": [keys[j] for j in range(len(keys)) if j not in matched_e],
        "joined": match.joined,
        "legal_forms": {"query": list(query.legal_forms), "list": list(legal_forms)},
        "penalties": dict(match.penalties),
    }
    if query.reading:
        found["reading"] = {"language": "Korean", "text": query.reading}
    if match.kinds:
        found["kinds"] = {"query": list(match.kinds[0]), "list": list(match.kinds[1])}
    if match.excluded:
        found["not_compared"] = [query.tokens[i].surface for i in match.excluded]
    return found


def explanation_text(explanation: dict[str, Any]) -> str:
    """The explanation as one line for a spreadsheet: 'タコ→tako = tako (transliterated); legal forms ltd / llc'.
    A Message (its English as before; `said(text, "ja")` in Japanese) unless there is nothing to say ("")."""
    parts = [_token_text(t) for t in explanation["tokens"]]
    reading = explanation.get("reading")
    if reading:
        language = READING_TEXT.get(reading["language"], reading["language"])
        parts.insert(0, Message("read in {language}: {text}", language=language, text=reading["text"]))
    if explanation.get("joined"):
        parts.append(Message("matched as one word"))
    if explanation["unmatched_query"]:
        parts.append(Message("not found: {words}", words=" ".join(explanation["unmatched_query"])))
    if explanation["unmatched_list"]:
        parts.append(Message("not in the name: {words}", words=" ".join(explanation["unmatched_list"])))
    if explanation.get("not_compared"):
        parts.append(
            Message(
                "kanji read in Japanese or Chinese, not compared with a Korean name: {words}",
                words=" ".join(explanation["not_compared"]),
            )
        )
    forms = explanation["legal_forms"]
    if forms["query"] or forms["list"]:
        parts.append(
            Message(
                "legal forms {query} ~ {list}",
                query="/".join(forms["query"]) or "-",
                list="/".join(forms["list"]) or "-",
            )
        )
    for name, value in explanation["penalties"].items():
        penalty: str = PENALTY_TEXT.get(name, name.replace("_", " "))
        if name == "kind" and explanation.get("kinds"):
            kinds = explanation["kinds"]
            penalty = Message(
                "{penalty} ({query} / {list})",
                penalty=penalty,
                query=" ".join(kinds["query"]),
                list=" ".join(kinds["list"]),
            )
        parts.append(
            Message("{penalty}: no match", penalty=penalty)
            if value >= 1
            else Message("{penalty} −{value:.2f}", penalty=penalty, value=value)
        )
    if not parts:
        return ""
    # One Message of all the parts, so that the whole line is said in one language.
    text = parts[0]
    for part in parts[1:]:
        text = Message("{earlier}; {then}", earlier=text, then=part)
    return text


def _token_text(token: dict[str, Any]) -> Message:
    """'タコ→tako = tako (transliterated)', or 'tako = tako (exact)' when the query token is its key."""
    how = token["how"]
    if how.startswith("fuzzy "):  # "fuzzy 0.91": explain's similarity, kept as it wrote it
        how = Message("fuzzy {similarity}", similarity=how.removeprefix("fuzzy "))
    else:
        how = HOW_TEXT.get(how, how)
    if token["query"] != token["key"]:
        return Message(
            "{query}→{key} = {matched} ({how})",
            query=token["query"],
            key=token["key"],
            matched=token["matched"],
            how=how,
        )
    return Message("{key} = {matched} ({how})", key=token["key"], matched=token["matched"], how=how)
