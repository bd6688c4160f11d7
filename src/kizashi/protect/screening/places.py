"""Countries and places as a screener compares them: one code per country whatever a list or a partner file writes
("Democratic People's Republic of Korea", "DPRK", "KP"; "Greece", "EL", "GR"), and the words that name a place
rather than a party ("Cyprus" in "IPP Oil Products (Cyprus) Limited", "U.K.", "Israel").

Data, not logic: add a row when a list writes a country another way.
"""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

__all__ = ["PLACE_WORDS", "REGION_WORDS", "country_code", "is_place"]

# ISO 3166-1 alpha-2 → the names lists and registers use (lower case, ASCII). EU documents write EL for Greece and UK
# for the United Kingdom; both are accepted as codes.
_COUNTRIES: dict[str, tuple[str, ...]] = {
    "af": ("afghanistan",), "al": ("albania",), "dz": ("algeria",), "ao": ("angola",), "ar": ("argentina",),
    "am": ("armenia",), "au": ("australia",), "at": ("austria",), "az": ("azerbaijan",), "bh": ("bahrain",),
    "bd": ("bangladesh",), "by": ("belarus", "republic of belarus", "all addresses located in belarus"),
    "be": ("belgium",), "ba": ("bosnia and herzegovina", "bosnia"), "br": ("brazil",), "bg": ("bulgaria",),
    "mm": ("myanmar", "burma"), "kh": ("cambodia",), "ca": ("canada",), "ky": ("cayman islands",),
    "cf": ("central african republic",), "td": ("chad",), "cl": ("chile",), "cn": ("china", "people's republic of china", "prc"),
    "hk": ("hong kong", "china, hong kong special administrative region", "hong kong sar"), "co": ("colombia",),
    "km": ("comoros",), "cg": ("congo", "republic of the congo"), "cd": ("democratic republic of the congo", "drc"),
    "hr": ("croatia",), "cu": ("cuba",), "cy": ("cyprus",), "cz": ("czechia", "czech republic"), "dk": ("denmark",),
    "do": ("dominican republic",), "eg": ("egypt",), "er": ("eritrea",), "ee": ("estonia",), "et": ("ethiopia",),
    "fo": ("faroe islands",), "fi": ("finland",), "fr": ("france",), "ge": ("georgia",), "de": ("germany",),
    "gr": ("greece", "el"), "gg": ("guernsey",), "gw": ("guinea-bissau", "guinea bissau"), "ht": ("haiti",),
    "hu": ("hungary",), "is": ("iceland",), "in": ("india",), "id": ("indonesia",),
    "ir": ("iran", "iran (islamic republic of)", "islamic republic of iran"), "iq": ("iraq",), "ie": ("ireland",),
    "il": ("israel",), "it": ("italy",), "jp": ("japan",), "jo": ("jordan",), "kz": ("kazakhstan",), "ke": ("kenya",),
    "kp": ("democratic people's republic of korea", "north korea", "dprk", "korea, north",
           "korea, democratic people's republic of"),
    "kr": ("republic of korea", "south korea", "korea, south", "korea, republic of"), "xk": ("kosovo",),
    "kw": ("kuwait",), "kg": ("kyrgyzstan",), "la": ("laos",), "lv": ("latvia",), "lb": ("lebanon",),
    "ly": ("libya",), "li": ("liechtenstein",), "lt": ("lithuania",), "lu": ("luxembourg",), "my": ("malaysia",),
    "ml": ("mali",), "mt": ("malta",), "mh": ("marshall islands",), "mr": ("mauritania",), "mx": ("mexico",),
    "md": ("moldova", "republic of moldova"), "mn": ("mongolia",), "me": ("montenegro",), "ma": ("morocco",),
    "nl": ("netherlands", "the netherlands"), "nz": ("new zealand",), "ne": ("niger",), "ng": ("nigeria",),
    "mk": ("north macedonia", "macedonia"), "no": ("norway",), "om": ("oman",), "pk": ("pakistan",),
    "ps": ("palestine", "state of palestine", "palestinian", "region: gaza"), "pa": ("panama",),
    "ph": ("philippines",), "pl": ("poland",), "pt": ("portugal",), "qa": ("qatar",), "ro": ("romania",),
    "ru": ("russia", "russian federation"), "rw": ("rwanda",), "sa": ("saudi arabia",), "sn": ("senegal",),
    "rs": ("serbia",), "sg": ("singapore",), "sk": ("slovakia",), "si": ("slovenia",), "so": ("somalia",),
    "za": ("south africa",), "ss": ("south sudan",), "es": ("spain",), "lk": ("sri lanka",), "sd": ("sudan",),
    "se": ("sweden",), "ch": ("switzerland",), "sy": ("syria", "syrian arab republic"), "tw": ("taiwan",),
    "tj": ("tajikistan",), "tz": ("tanzania", "united republic of tanzania"), "th": ("thailand",),
    "tt": ("trinidad and tobago",), "tn": ("tunisia",), "tr": ("turkey", "turkiye"), "tm": ("turkmenistan",),
    "ug": ("uganda",), "ua": ("ukraine",), "ae": ("united arab emirates", "uae"),
    "gb": ("united kingdom", "united kingdom of great britain and northern ireland", "great britain", "uk"),
    "us": ("united states", "united states of america", "usa"), "uz": ("uzbekistan",), "ve": ("venezuela",),
    "vn": ("viet nam", "vietnam"), "vg": ("british virgin islands", "virgin islands, british"), "ye": ("yemen",),
}  # fmt: skip
_CODE_ALIASES = {"el": "gr", "uk": "gb"}
_BY_NAME = {name: code for code, names in _COUNTRIES.items() for name in names}

# Regions, continents and directions: what a name adds to say where it works ("Europe", "Asia Pacific", "Global"), too
# wide to tell one party from another. A country or a city may be the one word of a name that does ("University of
# Tokyo", "Korea Mining Development Trading Corporation").
REGION_WORDS = frozenset(
    """
    europe european eu asia asian africa african america american americas middle east gulf arab arabian pacific
    atlantic scandinavia scandinavian nordic baltic balkan balkans mediterranean caribbean latin oceania
    international global world worldwide overseas north south east west central northern southern eastern western
    """.split()  # noqa: SIM905
)

# Words that name a place or a people, not a party: country names, their short forms and adjectives, regions and
# capitals that lists and registers put in brackets or beside a name.
PLACE_WORDS = frozenset(
    {word for names in _COUNTRIES.values() for name in names for word in re.findall(r"[a-z]+", name)}
    | REGION_WORDS
    | set(
        """
        uk gb usa us uae dprk prc korea korean iranian israeli russian chinese belarusian syrian iraqi afghan
        british english london paris berlin rome madrid moscow minsk beijing shanghai
        tehran pyongyang damascus kabul baghdad dubai istanbul ankara athens nicosia vienna brussels amsterdam
        luxembourg geneva zurich tokyo seoul hongkong macau macao
        """.split()  # noqa: SIM905
    )
) - {"of", "the", "and", "republic", "people", "s", "democratic", "islamic", "state", "islands", "federation",
     "united", "kingdom", "arab", "special", "administrative", "region", "all", "addresses", "located", "in"}  # fmt: skip


@lru_cache(maxsize=4096)
def country_code(value: str) -> str | None:
    """The ISO 3166-1 alpha-2 code (lower case) of a country a list or a partner file writes as a code or a name;
    None when it is not known."""
    text = anyascii(value).strip().casefold()
    if len(text) == 2 and text.isalpha():
        text = _CODE_ALIASES.get(text, text)
        return text if text in _COUNTRIES else None
    text = re.sub(r"\s+", " ", text.replace("’", "'"))
    return _BY_NAME.get(text)


def is_place(key: str) -> bool:
    """Whether a matching key names a place or a people (cyprus, israel, korea, u/k of "U.K.") rather than a party."""
    return key in PLACE_WORDS
