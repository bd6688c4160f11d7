"""Planted works: OpenAlex-shaped works whose answers are known before a scan runs, for tests and benchmarks.

`generate(spec)` returns what was planted (a bilingual taxonomy of 12 technologies under 3 areas; which technologies
rise, stay flat and fall; the country that dominates one technology's top-cited works; the technology Japan leads and
the one it is absent from; the sub-topics each work belongs to) and the works themselves, lazily, as OpenAlex native
JSON objects (the snapshot's shape: `kizashi ingest works FILE.jsonl` reads them).

How the answers are planted:

- Trends: works per (publication year, technology) are apportioned exactly (largest remainder) from shares of the
  corpus: a flat technology keeps its share, a rising one multiplies it by `rising_growth` each of the last
  `rise_years` years, a falling one by `falling_growth`. The corpus itself grows by `corpus_growth` a year, as real
  literature does, so "flat" means a flat share, not a flat count. Works of no technology fill the rest.
- Tagging: a work names its technology (the English name or a synonym, whole words) in its title or abstract; a few
  name a second technology, a few are in Japanese (the Japanese name in a Japanese title), the rest of each text is
  drawn from word lists that share no word (nor stem) with any technology's phrases, and phrases are always
  separated by such words. So a tagger that matches whole phrases finds exactly the planted technologies.
- Countries: each work has a lead country drawn from its technology's country weights; co-authors are mostly from
  the same country. In the dominated technology one country writes most works and its works are cited more, and
  every author's institution is drawn uniformly within its country, so its institutions fill the top of the
  institution ranking (ASPI's "high" monopoly risk: lead ≥ 3× the second and ≥ 8 of the top 10 institutions).
- Citations: a work's yearly citation rate is a log-normal quality times its country's multiplier in the
  technology; `cited_by_count` is Poisson over the years since publication, split over the years multinomially,
  and `counts_by_year` lists OpenAlex's window (the last ten years, non-zero years only, newest first), so its sum
  is at most `cited_by_count`.
- Fronts: each technology has 2 or 3 sub-topics, each with its own vocabulary (made-up words, so no two sub-topics
  share one) and its own pool of references; clustering by text or by bibliographic coupling recovers them.

Everything is drawn from numpy generators seeded by `spec.seed` (works in fixed chunks, each with its own stream),
so the same spec gives the same works, byte for byte.

The package, a module a job: `data` (identifier ranges, the taxonomy, word lists, countries), `spec` (the spec and
the answers), `draws` (vectorised drawing), `vocabulary` (made-up words, the lexicon, topics and keywords), `places`
(institutions and authors), `plan` (everything drawn for all works at once), `text` (titles and abstracts), `works`
(the works, a chunk at a time) and `files` (JSON lines, the taxonomy YAML, the command line).
"""

from __future__ import annotations

from kizashi.know.landscape.planted.data import (
    AREAS,
    COUNTRIES,
    FILLER,
    FILLER_JA,
    LEAVES,
    OA,
    TAXONOMY_YAML,
    WORK_BASE,
)
from kizashi.know.landscape.planted.draws import _apportion
from kizashi.know.landscape.planted.files import main, write_jsonl, write_taxonomy_yaml
from kizashi.know.landscape.planted.spec import Planted, PlantedSpec, Truth, stored_id
from kizashi.know.landscape.planted.vocabulary import made_up_words
from kizashi.know.landscape.planted.works import generate

__all__ = [
    "AREAS",
    "COUNTRIES",
    "FILLER",
    "FILLER_JA",
    "LEAVES",
    "OA",
    "TAXONOMY_YAML",
    "WORK_BASE",
    "Planted",
    "PlantedSpec",
    "Truth",
    "_apportion",
    "generate",
    "made_up_words",
    "main",
    "stored_id",
    "write_jsonl",
    "write_taxonomy_yaml",
]
