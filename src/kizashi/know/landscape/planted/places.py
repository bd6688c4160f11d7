"""Institutions and authors of each country, and the cumulative weights that draw them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from kizashi.know.landscape.planted.data import (
    AUTHORS_PER_INSTITUTION,
    CITIES,
    COUNTRIES,
    FAMILY_NAMES,
    INITIALS,
    INSTITUTION_BASE,
    INSTITUTION_KINDS,
    OA,
    Floats,
    Ints,
)
from kizashi.know.landscape.planted.draws import _offset_cdf, _offset_cdf_groups


@dataclass
class _Places:
    """Institutions and authors, and the cumulative weights that draw them (see `_offset_cdf`)."""

    institutions: list[dict[str, Any]]
    authors: list[str]  # display name by author index (institution * AUTHORS_PER_INSTITUTION + k)
    country_cdf: Floats  # one row per technology and one for works of no technology
    institution_cdf: Floats  # within each country, larger institutions first
    institution_uniform_cdf: Floats  # within each country, all alike
    institution_steep_cdf: Floats  # within each country, a few institutions hold most works
    institution_first: Ints  # each country's first and last institution
    institution_last: Ints


def _places(weights: Floats) -> _Places:
    institutions: list[dict[str, Any]] = []
    country: list[int] = []
    for k, code in enumerate(COUNTRIES):
        for i, city in enumerate(CITIES[code]):
            kind, kind_type = INSTITUTION_KINDS[i % len(INSTITUTION_KINDS)]
            number = INSTITUTION_BASE + len(institutions)
            institutions.append(
                {
                    "id": f"{OA}I{number}",
                    "display_name": f"{city} {kind}",
                    "ror": None,
                    "country_code": code,
                    "type": kind_type,
                }
            )
            country.append(k)
    of_country = np.array(country, dtype=np.int64)
    first = np.searchsorted(of_country, np.arange(len(COUNTRIES))).astype(np.int64)
    rank = np.arange(len(of_country)) - first[of_country]
    codes = list(COUNTRIES)
    names: list[str] = []
    for institution, k in enumerate(country):
        families = FAMILY_NAMES[codes[k]]
        for a in range(AUTHORS_PER_INSTITUTION):
            number = institution * AUTHORS_PER_INSTITUTION + a
            names.append(f"{INITIALS[number % len(INITIALS)]}. {families[(number // 3) % len(families)]}")
    return _Places(
        institutions=institutions,
        authors=names,
        country_cdf=_offset_cdf(weights),
        institution_cdf=_offset_cdf_groups(np.power(rank + 1.0, -0.7), first),
        institution_uniform_cdf=_offset_cdf_groups(np.ones(len(of_country)), first),
        institution_steep_cdf=_offset_cdf_groups(np.power(rank + 1.0, -2.0), first),
        institution_first=first,
        institution_last=np.append(first[1:], len(of_country)) - 1,
    )
