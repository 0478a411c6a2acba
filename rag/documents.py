"""Source documents and the passages cut from them: the plain data every other rag module passes around."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SourceDocument:
    """One file of a clinic's knowledge folder, with its front matter resolved."""

    doc_id: str
    title: str
    lang: str
    doc_type: str
    updated: str
    source: str  # path relative to the ingested folder, posix style
    text: str  # body without front matter


@dataclass(frozen=True)
class Chunk:
    """One retrievable passage. ``text`` is what is cited; ``kind`` is ``table_row`` or ``text``."""

    text: str
    section: str
    kind: str = "text"
    embed_text: str = ""  # what the encoder sees when it differs from ``text`` (linearized table rows)
    metadata: dict[str, Any] = field(default_factory=dict)
