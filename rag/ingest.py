"""Index a clinic's knowledge folder into its Chroma collection, idempotently.

Each file's content hash (plus the splitter version) is stored on its chunks: an unchanged file is skipped,
a changed one has its chunks replaced, a file that disappeared has its chunks removed. After any change the
collection's ``content_version`` stamp changes, which tells every process (API replicas sharing one Chroma
server) to rebuild its in-memory BM25 index.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.embeddings import embed
from rag.loaders import SUPPORTED_SUFFIXES, LoaderError, load_document
from rag.splitter import split_document
from rag.vectorstore import VectorStore

SPLITTER_VERSION = "5"
log = logging.getLogger(__name__)


@dataclass
class IngestReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    skipped: int = 0
    chunks: int = 0  # chunks written in this run
    errors: list[dict[str, str]] = field(default_factory=list)
    total_chunks: int = 0  # chunks in the collection afterwards
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class IngestError(Exception):
    """``code``: not_a_directory."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def _file_hash(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes())
    digest.update(SPLITTER_VERSION.encode())
    return digest.hexdigest()


def _existing_hashes(collection: Any) -> dict[str, str]:
    """source -> file_hash of what the collection holds now."""
    found: dict[str, str] = {}
    result = collection.get(include=["metadatas"])
    for meta in result.get("metadatas") or []:
        if meta and "source" in meta:
            found[str(meta["source"])] = str(meta.get("file_hash", ""))
    return found


def _files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*")
                  if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                  and not any(part.startswith(".") for part in p.relative_to(directory).parts)
                  and p.name.lower() != "readme.md")


def _write_file(collection: Any, path: Path, root: Path, clinic_id: str, file_hash: str,
                batch: int) -> int:
    document = load_document(path, root)
    chunks = split_document(document)
    ids, texts, metas, embed_texts = [], [], [], []
    for index, chunk in enumerate(chunks):
        ids.append(f"{document.source}#{index}:{file_hash[:12]}")
        texts.append(chunk.text)
        embed_texts.append(chunk.embed_text or chunk.text)
        metas.append({
            "clinic_id": clinic_id, "doc_id": document.doc_id, "title": document.title,
            "lang": document.lang, "doc_type": document.doc_type, "updated": document.updated,
            "source": document.source, "section": chunk.section, "kind": chunk.kind,
            "chunk_index": index, "file_hash": file_hash, **chunk.metadata,
        })
    # Embedded here, not by Chroma, because table rows are embedded in their linearized form.
    for start in range(0, len(ids), batch):
        vectors = embed(embed_texts[start:start + batch])
        collection.add(ids=ids[start:start + batch], documents=texts[start:start + batch],
                       metadatas=metas[start:start + batch], embeddings=vectors)
    return len(ids)


def ingest_directory(directory: Path | str, clinic_id: str, store: VectorStore) -> IngestReport:
    """Bring the clinic's collection in line with ``directory`` (Markdown, text, PDF; README.md ignored)."""
    import time

    started = time.perf_counter()
    root = Path(directory).resolve()
    if not root.is_dir():
        raise IngestError("not_a_directory", f"{root} is not a directory")
    collection = store.collection(clinic_id)
    existing = _existing_hashes(collection)
    report = IngestReport()
    batch = max(1, min(256, int(getattr(store.client, "get_max_batch_size", lambda: 256)())))
    seen: set[str] = set()
    for path in _files(root):
        source = path.relative_to(root).as_posix()
        seen.add(source)
        file_hash = _file_hash(path)
        previous = existing.get(source)
        if previous == file_hash:
            report.skipped += 1
            continue
        if previous is not None:
            collection.delete(where={"source": source})
        try:
            report.chunks += _write_file(collection, path, root, clinic_id, file_hash, batch)
        except LoaderError as exc:
            log.warning("ingest: %s skipped (%s)", source, exc.code)
            report.errors.append({"source": source, "code": exc.code, "message": str(exc)})
            if previous is not None:
                report.removed += 1
            continue
        if previous is None:
            report.added += 1
        else:
            report.updated += 1
    for source in sorted(set(existing) - seen):
        collection.delete(where={"source": source})
        report.removed += 1
    if report.added or report.updated or report.removed or not (collection.metadata or {}).get(
            "content_version"):
        hashes = _existing_hashes(collection)
        stamp = hashlib.sha256("\n".join(f"{s}:{h}" for s, h in sorted(hashes.items())).encode()).hexdigest()
        collection.modify(metadata={"clinic_id": clinic_id, "content_version": stamp[:16]})
    report.total_chunks = collection.count()
    report.seconds = round(time.perf_counter() - started, 3)
    return report
