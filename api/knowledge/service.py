"""Knowledge upload (admin): save the files in the clinic's folder, then re-ingest the whole clinic.

Uploads go to ``<clinic knowledge dir>/uploads/`` because ingestion mirrors one folder (files missing from it
are removed from the index), so the uploads must live inside the clinic's own folder.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from api import audit
from api.analyses.storage import write_atomic
from api.auth.principal import Principal
from api.components import Components, clinic_knowledge_dir, unavailable
from api.errors import ProblemError
from api.settings import Settings

ALLOWED_SUFFIXES = {".md", ".txt", ".pdf", ".yaml", ".yml"}
_SAFE = re.compile(r"[^0-9A-Za-z가-힣._-]+")


def safe_name(filename: str) -> str:
    name = Path(filename or "").name
    stem, suffix = Path(name).stem, Path(name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise ProblemError(
            422,
            "unsupported_file",
            "This file type cannot be uploaded",
            f"Allowed: {', '.join(sorted(ALLOWED_SUFFIXES))}.",
            filename=name[:100],
        )
    stem = _SAFE.sub("-", stem).strip("-.")[:80]
    if not stem:
        raise ProblemError(422, "unsupported_file", "The file name is not usable", "Rename the file.")
    return stem + suffix


def upload(
    db: Any, settings: Settings, components: Components, principal: Principal, files: list[tuple[str, bytes]]
) -> dict[str, Any]:
    if not files:
        raise ProblemError(
            422, "validation_error", "No files", "Send one or more files in the field 'files'."
        )
    names = [safe_name(name) for name, _ in files]  # check every name before writing any file
    for (_, data), name in zip(files, names, strict=True):
        if len(data) > settings.max_upload_bytes:
            raise ProblemError(413, "payload_too_large", "A file is too large", name)
        if not data.strip():
            raise ProblemError(422, "unsupported_file", "A file is empty", name)
    root = clinic_knowledge_dir(settings, principal.clinic_id)
    for (_, data), name in zip(files, names, strict=True):
        write_atomic(root / "uploads" / name, data)
    try:
        from rag.ingest import ingest_directory

        report = ingest_directory(root, principal.clinic_id, components.store())
    except Exception as exc:
        raise unavailable("ingest_failed", "knowledge index", exc) from exc
    report_dict = report.to_dict() if hasattr(report, "to_dict") else dict(vars(report))
    audit.record(
        db,
        principal,
        "knowledge.upload",
        "clinic",
        principal.clinic_id,
        files=names,
        report={k: report_dict.get(k) for k in ("added", "updated", "removed", "skipped", "chunks")},
    )
    db.commit()
    return {"saved": names, "report": report_dict}
