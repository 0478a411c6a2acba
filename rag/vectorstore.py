"""The Chroma store: embedded (a folder) or a ``chroma run`` server, one collection per clinic.

Every collection is opened with the registered USE embedding function: Chroma's default function would
download an ONNX model at the first add, and an unregistered one breaks a reopened collection.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
from chromadb.config import Settings

from rag.embeddings import UsemEmbeddingFunction

_CLINIC_ID = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


class VectorStoreError(Exception):
    """The store is unreachable or misconfigured. ``code``: bad_mode, bad_url, unreachable, bad_clinic."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _settings() -> Settings:
    return Settings(anonymized_telemetry=False, allow_reset=False)


def _http_client(url: str) -> Any:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise VectorStoreError("bad_url", f"Chroma URL must look like http://host:port, got {url!r}")
    port = parsed.port or (443 if parsed.scheme == "https" else 8000)
    return chromadb.HttpClient(host=parsed.hostname, port=port, ssl=parsed.scheme == "https",
                               settings=_settings())


def collection_name(clinic_id: str) -> str:
    if not _CLINIC_ID.match(clinic_id):
        raise VectorStoreError("bad_clinic", f"clinic id must match {_CLINIC_ID.pattern}: {clinic_id!r}")
    return f"clinic-{clinic_id}"


@dataclass
class VectorStore:
    """A Chroma client plus where it points; hands out per-clinic collections."""

    client: Any
    mode: str
    location: str

    def collection(self, clinic_id: str, create: bool = True) -> Any:
        name = collection_name(clinic_id)
        ef = UsemEmbeddingFunction()
        if create:
            return self.client.get_or_create_collection(
                name, embedding_function=ef, metadata={"clinic_id": clinic_id, "content_version": ""},
                configuration={"hnsw": {"space": "cosine"}},
            )
        return self.client.get_collection(name, embedding_function=ef)

    def content_version(self, clinic_id: str) -> str | None:
        """The version stamp ingestion writes; ``None`` when the clinic has no collection yet."""
        try:
            meta = self.client.get_collection(collection_name(clinic_id)).metadata or {}
        except Exception:  # Chroma raises NotFoundError/ValueError depending on client type
            return None
        return str(meta.get("content_version", ""))

    def delete_clinic(self, clinic_id: str) -> None:
        with contextlib.suppress(Exception):  # already gone is fine
            self.client.delete_collection(collection_name(clinic_id))


def open_store(mode: str, path: Path | str | None = None, url: str | None = None) -> VectorStore:
    """``mode="embedded"`` keeps the index in ``path``; ``mode="server"`` talks to ``url``."""
    if mode == "embedded":
        if not path:
            raise VectorStoreError("bad_mode", "embedded mode needs a path")
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(path=str(folder), settings=_settings())
        return VectorStore(client, mode, str(folder))
    if mode == "server":
        if not url:
            raise VectorStoreError("bad_mode", "server mode needs a URL")
        return VectorStore(_http_client(url), mode, url)
    raise VectorStoreError("bad_mode", f"unknown Chroma mode {mode!r} (embedded or server)")


def ping_vector_store(mode: str, path: Path | str | None = None, url: str | None = None) -> float:
    """Raise ``VectorStoreError("unreachable")`` unless the store answers; returns the heartbeat (ns)."""
    try:
        store = open_store(mode, path, url)
        return float(store.client.heartbeat())
    except VectorStoreError:
        raise
    except Exception as exc:
        raise VectorStoreError("unreachable", f"Chroma ({mode}) is unreachable: {exc}") from exc
