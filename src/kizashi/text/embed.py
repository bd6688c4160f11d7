"""Sentence vectors from a local model, for the matcher's optional dense channel.

The model is a folder the user names (KIZASHI_MATCH_DENSE_MODEL or `kizashi match --dense-model`), never a name to
fetch: a sentence-transformers model (a folder with `modules.json`; extra `kizashi[dense]`) or a model2vec static
model (`config.json` + `model.safetensors` + `tokenizer.json`; extra `kizashi[dense-static]`). The hub libraries are
told to stay offline before they are imported, so a folder that is incomplete fails here instead of downloading.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np
import numpy.typing as npt

from kizashi.errors import ConfigError

Backend = Literal["sentence-transformers", "model2vec"]
BATCH = 32  # texts per forward pass of a transformer: enough to keep both cores busy, little memory


class Embedder(Protocol):
    """Anything that turns texts into rows of unit length, one per text."""

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...


@dataclass(frozen=True)
class LocalEmbedder:
    path: Path
    backend: Backend
    model: Any

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        if self.backend == "sentence-transformers":
            vectors = self.model.encode(list(texts), batch_size=BATCH, show_progress_bar=False, convert_to_numpy=True)
        else:
            vectors = self.model.encode(list(texts), show_progress_bar=False, use_multiprocessing=False)
        return _unit_rows(np.asarray(vectors, dtype=np.float32))


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
        raise ConfigError(f"dense model: {folder} is not a folder (give the folder of a local model)")
    if all((folder / name).is_file() for name in ("config.json", "model.safetensors", "tokenizer.json")):
        try:
            config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"dense model: {folder / 'config.json'} is not JSON: {exc}") from None
        static = isinstance(config, dict) and "architectures" not in config
        if static and config.get("model_type", "model2vec") == "model2vec":
            return "model2vec"
    if (folder / "modules.json").is_file():
        return "sentence-transformers"
    raise ConfigError(
        f"dense model: {folder} holds neither a sentence-transformers model (modules.json) nor a model2vec "
        "model (config.json, model.safetensors, tokenizer.json)"
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
            f"dense model: {folder} is a {backend} model, and {backend} is not installed "
            f"(pip install 'kizashi[{extra}]'): {exc}"
        ) from None
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(f"dense model: {folder} could not be loaded as a {backend} model: {exc}") from None
    return LocalEmbedder(folder, backend, model)
