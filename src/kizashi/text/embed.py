"""Sentence vectors from a local model, for the matcher's optional dense channel.

The model is a folder the user names (KIZASHI_MATCH_DENSE_MODEL or `kizashi match --dense-model`), never a name to
fetch: a sentence-transformers model (a folder with `modules.json`; extra `kizashi[dense]`) or a model2vec static
model (`config.json` + `model.safetensors` + `tokenizer.json`; extra `kizashi[dense-static]`). The hub libraries are
told to stay offline before they are imported, so a folder that is incomplete fails here instead of downloading.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
import numpy.typing as npt

from kizashi.errors import ConfigError
from kizashi.messages import Message

Backend = Literal["sentence-transformers", "model2vec"]
BATCH = 32  # texts per forward pass of a transformer: enough to keep both cores busy, little memory


class Embedder(Protocol):
    """Anything that turns texts into rows of unit length, one per text."""

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...


# Vectors remembered per process, by text: the web app rebuilds a seed index whenever a readable record changes, and
# re-encoding every seed with a transformer (~50 ms each) would make that page wait minutes on a large corpus.
# 100 000 vectors of 384 floats are ~150 MB.
REMEMBERED = 100_000


@dataclass(frozen=True)
class LocalEmbedder:
    path: Path
    backend: Backend
    model: Any
    _known: OrderedDict[bytes, npt.NDArray[np.float32]] = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Unit rows for `texts`; texts met before (in this process) are not encoded again."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        keys = [hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest() for text in texts]
        with self._lock:
            found = {key: self._known[key] for key in keys if key in self._known}
            for key in found:
                self._known.move_to_end(key)
        missing = list(dict.fromkeys(key for key in keys if key not in found))
        if missing:
            first_text = dict(zip(keys, texts, strict=True))
            fresh = self._model_encode([first_text[key] for key in missing])
            with self._lock:
                for key, vector in zip(missing, fresh, strict=True):
                    found[key] = self._known[key] = vector.copy()  # not a view keeping the whole batch alive
                while len(self._known) > REMEMBERED:
                    self._known.popitem(last=False)
        return np.stack([found[key] for key in keys])

    def _model_encode(self, texts: list[str]) -> npt.NDArray[np.float32]:
        if self.backend == "sentence-transformers":
            vectors = self.model.encode(texts, batch_size=BATCH, show_progress_bar=False, convert_to_numpy=True)
        else:
            vectors = self.model.encode(texts, show_progress_bar=False, use_multiprocessing=False)
        return _unit_rows(np.asarray(vectors, dtype=np.float32))

    @property
    def remembered(self) -> int:
        return len(self._known)


def _unit_rows(vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    wide = vectors.astype(np.float64)  # squares of tiny float32 components underflow to a norm of 0
    norms = np.linalg.norm(wide, axis=1, keepdims=True)
    # An empty text's zero vector stays zero: similar to nothing.
    return (wide / np.where(norms > 0, norms, 1.0)).astype(np.float32)


def backend_of(folder: Path) -> Backend:
    """Which library reads the model in `folder`, from the files it holds; ConfigError when neither does.

    model2vec writes a modules.json too (sentence-transformers can read its models), so a static model is told by
    its own files: vectors, tokenizer and a config that describes no transformer architecture."""
    if not folder.is_dir():
        raise ConfigError(
            Message("dense model: {folder} is not a folder (give the folder of a local model)", folder=str(folder))
        )
    if all((folder / name).is_file() for name in ("config.json", "model.safetensors", "tokenizer.json")):
        try:
            config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(
                Message(
                    "dense model: {file} is not JSON: {problem}", file=str(folder / "config.json"), problem=str(exc)
                )
            ) from None
        static = isinstance(config, dict) and "architectures" not in config
        if static and config.get("model_type", "model2vec") == "model2vec":
            return "model2vec"
    if (folder / "modules.json").is_file():
        return "sentence-transformers"
    raise ConfigError(
        Message(
            "dense model: {folder} holds neither a sentence-transformers model (modules.json) nor a model2vec "
            "model (config.json, model.safetensors, tokenizer.json)",
            folder=str(folder),
        )
    )


@cache
def load_embedder(path: str) -> LocalEmbedder:
    """The model in folder `path`, loaded once per process (a transformer takes a second or more to load)."""
    folder = Path(path).expanduser().resolve()
    backend = backend_of(folder)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    extra = "dense" if backend == "sentence-transformers" else "dense-static"
    try:
        if backend == "sentence-transformers":
            from sentence_transformers import SentenceTransformer

            model: Any = SentenceTransformer(str(folder), device="cpu", local_files_only=True)
        else:
            from model2vec import StaticModel

            model = StaticModel.from_pretrained(folder, force_download=False)
    except ImportError as exc:
        raise ConfigError(
            Message(
                "dense model: {folder} is a {backend} model, and {backend} is not installed "
                "(pip install 'kizashi[{extra}]'): {problem}",
                folder=str(folder),
                backend=backend,
                extra=extra,
                problem=str(exc),
            )
        ) from None
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(
            Message(
                "dense model: {folder} could not be loaded as a {backend} model: {problem}",
                folder=str(folder),
                backend=backend,
                problem=str(exc),
            )
        ) from None
    return LocalEmbedder(folder, backend, model)
