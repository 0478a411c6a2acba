"""File loaders. Front matter (``---`` YAML block) gives doc_id/title/lang/type/updated; files without it get
defaults derived from the path and the text so that a clinic can drop in a plain PDF and still be cited."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from rag.documents import SourceDocument
from rag.language import detect_language

SUPPORTED_SUFFIXES = (".md", ".markdown", ".txt", ".pdf")
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.DOTALL)
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


class LoaderError(Exception):
    """A file that cannot be read as a document. ``code`` is stable for logs and reports."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as exc:
        meta = _plain_front_matter(match.group(1))
        if meta is None:
            raise LoaderError("bad_front_matter", f"front matter is not valid YAML: {exc}") from exc
    if not isinstance(meta, dict):
        raise LoaderError("bad_front_matter", "front matter must be a mapping")
    return meta, text[match.end():]


_PLAIN_FIELD = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$")


def _plain_front_matter(block: str) -> dict[str, Any] | None:
    """Front matter read as plain ``key: value`` lines, for what YAML rejects but a person wrote on purpose:
    Korean notices are titled "[공지] 연말 휴진 안내", which YAML reads as the start of a list. None when a
    line is not a plain field (then the error stands)."""
    meta: dict[str, Any] = {}
    for line in block.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        field = _PLAIN_FIELD.match(line)
        if not field:
            return None
        meta[field.group(1)] = field.group(2).strip("'\"")
    return meta or None


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # pypdf raises many types for broken files
        raise LoaderError("unreadable_pdf", f"{path.name}: {exc}") from exc
    return "\n\n".join(p.strip() for p in pages if p.strip())


def load_document(path: Path, root: Path) -> SourceDocument:
    """Read one file; ``root`` makes ``source`` a stable relative path (the idempotency key)."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise LoaderError("unsupported_type", f"{path.name}: unsupported file type {suffix}")
    if suffix == ".pdf":
        raw = _read_pdf(path)
    else:
        try:
            raw = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            raise LoaderError("not_utf8", f"{path.name}: not UTF-8 text") from exc
    meta, body = split_front_matter(raw)
    relative = path.relative_to(root).as_posix()
    heading = _HEADING.search(body)
    title = str(meta.get("title") or (heading.group(1) if heading else path.stem))
    return SourceDocument(
        doc_id=str(meta.get("doc_id") or re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "doc"),
        title=title,
        lang=str(meta.get("lang") or detect_language(body)),
        doc_type=str(meta.get("type") or ("pdf" if suffix == ".pdf" else "note")),
        updated=str(meta.get("updated") or ""),
        source=relative,
        text=body.strip(),
    )
