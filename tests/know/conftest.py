"""Fixtures of the matching tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

# Three meanings, each a direction: words of one meaning are synonyms to the model and strangers to BM25.
MEANINGS = {
    (1.0, 0.0, 0.0): ("drone", "uav", "unmanned", "ドローン"),
    (0.0, 1.0, 0.0): ("survivors", "victims", "rubble", "earthquake"),
    (0.0, 0.0, 1.0): ("malware", "network", "intrusion", "ransomware"),
}


def _static_model(folder: Path) -> Path:
    from model2vec import StaticModel
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.normalizers import Lowercase
    from tokenizers.pre_tokenizers import Whitespace

    words = ["[UNK]", "[PAD]", *(word for group in MEANINGS.values() for word in group)]
    vectors = np.zeros((len(words), 3), dtype=np.float32)
    for direction, group in MEANINGS.items():
        for word in group:
            vectors[words.index(word)] = direction
    tokenizer = Tokenizer(WordLevel({word: i for i, word in enumerate(words)}, unk_token="[UNK]"))
    tokenizer.normalizer = Lowercase()
    tokenizer.pre_tokenizer = Whitespace()
    StaticModel(vectors, tokenizer, normalize=True).save_pretrained(str(folder))
    return folder


@pytest.fixture(scope="module")
def static_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny real model2vec model: three meanings, each a direction; words of one meaning are synonyms to it."""
    pytest.importorskip("model2vec")
    return _static_model(tmp_path_factory.mktemp("static-model"))
