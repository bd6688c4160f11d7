"""The scan's research fronts: the works in the window clustered (fronts.py), labelled in Japanese from the taxonomy,
and tracked from the last scan the reader may read (fronts_track.py). Document vectors come from TF-IDF/LSA, or from
the dense model when the scan names one (`dense_vectors`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from kizashi.ingest.taxonomy import ancestors, parent_map
from kizashi.know.landscape.fronts import FrontInput, find_fronts
from kizashi.know.landscape.fronts_track import track_sets
from kizashi.know.landscape.tables import Row
from kizashi.text.embed import load_embedder
from kizashi.text.normalise import is_japanese

TECHNOLOGIES_NAMED = 3  # in the fronts table's `technologies` column
ENCODED_AT_ONCE = 512  # texts per call to the model between two progress reports
Note = tuple[str, dict[str, Any]]


def dense_vectors(
    works: Sequence[Mapping[str, Any]],
    model: str,
    languages: frozenset[str],
    *,
    on_progress: Callable[[int, int], None] | None = None,
) -> tuple[npt.NDArray[np.float32] | None, Note]:
    """The works' vectors from the dense model in folder `model`, and the note the report carries about them.

    A model reads the languages it was made for only (an English model places a Japanese text at random), so when
    works are in a language outside `languages` every work keeps its TF-IDF/LSA vector instead: vectors from two
    models cannot be compared, and the note says how many works made the difference."""
    texts = [_text(work) for work in works]
    outside = sum(("ja" if is_japanese(text) else "en") not in languages for text in texts)
    if outside:
        return None, ("note_dense_languages", {"works": outside, "languages": ", ".join(sorted(languages))})
    embedder = load_embedder(model)
    parts: list[npt.NDArray[np.float32]] = []
    for start in range(0, len(texts), ENCODED_AT_ONCE):
        parts.append(embedder.encode(texts[start : start + ENCODED_AT_ONCE]))
        if on_progress is not None:
            on_progress(min(start + ENCODED_AT_ONCE, len(texts)), len(texts))
    return np.concatenate(parts), ("note_dense_fronts", {"model": embedder.path.name})


def front_rows(
    works: Sequence[Mapping[str, Any]],
    technologies: Sequence[Mapping[str, Any]],
    tags: Mapping[str, Sequence[str]],
    *,
    end_year: int,
    previous: Mapping[str, Sequence[str]],
    id_prefix: str,
    on_progress: Callable[[str, float], None] | None = None,
    vectors: npt.NDArray[np.float32] | None = None,
) -> tuple[list[Row], list[Row], list[str]]:
    """fronts.csv and front_works.csv rows, and the previous scan's fronts that vanished. `vectors`: one dense row
    per work (`dense_vectors`), in place of TF-IDF/LSA."""
    if not works:
        return [], [], sorted(previous)
    parents = parent_map(technologies)
    names = {str(t["id"]): str(t["name_ja"]) for t in technologies}
    # The most specific technologies describe a front best: a leaf over its area (`tags` are the direct ones).
    depth = {technology: len(ancestors(parents, technology)) for technology in parents}

    def dominant(work_ids: Sequence[str]) -> list[str]:
        counted = Counter(t for work_id in work_ids for t in tags.get(work_id, ()))
        return [t for t, _ in sorted(counted.items(), key=lambda item: (-item[1], -depth.get(item[0], 0), item[0]))]

    def japanese_label(work_ids: list[str]) -> str:
        top = dominant(work_ids)[:2]
        return "・".join(names.get(t, t) for t in top)

    data = FrontInput(
        work_ids=[w["id"] for w in works],
        texts=[_text(w) for w in works],
        years=[int(w["year"]) for w in works],
        references=[list(w.get("referenced_works") or ()) for w in works],
    )
    fronts = find_fronts(
        data,
        end_year=end_year,
        japanese_label=japanese_label,
        on_progress=on_progress,
        id_prefix=id_prefix,
        vectors=vectors,
    )
    tracked = track_sets({f.id: f.work_ids for f in fronts}, previous) if previous else None
    rows: list[Row] = []
    members: list[Row] = []
    for front in fronts:
        rows.append(
            {
                "front": front.id,
                "label_en": front.label_en,
                "label_ja": front.label_ja,
                "works": len(front.work_ids),
                "growth": None if front.growth is None else round(front.growth, 6),
                "status": tracked.status[front.id] if tracked else "new",
                "previous": tracked.previous_text(front.id) if tracked else "",
                "technologies": ";".join(dominant(front.work_ids)[:TECHNOLOGIES_NAMED]),
            }
        )
        members.extend({"front": front.id, "work_id": work_id} for work_id in front.work_ids)
    vanished = tracked.vanished if tracked else []
    for front_id in vanished:
        rows.append(
            {
                "front": front_id,
                "label_en": "",
                "label_ja": "",
                "works": 0,
                "growth": None,
                "status": "vanished",
                "previous": front_id,
                "technologies": "",
            }
        )
    return rows, members, list(vanished)


def _text(work: Mapping[str, Any]) -> str:
    keywords = "; ".join(work.get("keywords") or ())
    return "\n".join(part for part in (work.get("title") or "", keywords, work.get("abstract") or "") if part)
