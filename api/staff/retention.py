"""Retention purge: delete photo and overlay files whose ``retain_until`` has passed; counts stay.

Callable from the CLI (``purge_expired_photos(settings)``) and from the admin endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from api.analyses import storage
from api.db.models import Analysis, AuditLog
from api.db.session import session_scope
from api.settings import Settings
from api.timeutil import utcnow


@dataclass(frozen=True)
class PurgeReport:
    purged: int
    files_deleted: int

    def to_dict(self) -> dict[str, int]:
        return {"purged": self.purged, "files_deleted": self.files_deleted}


def purge_expired_photos(
    settings: Settings,
    now: datetime | None = None,
    actor: str = "system:retention",
    clinic_id: str | None = None,
    batch: int = 500,
) -> PurgeReport:
    """Delete expired files in batches (each batch one transaction); one audit row per clinic and batch."""
    now = now or utcnow()
    purged = files = 0
    while True:
        with session_scope(settings.resolved_database_url) as db:
            query = select(Analysis).where(
                Analysis.retain_until.is_not(None),
                Analysis.retain_until <= now,
                Analysis.photo_deleted_at.is_(None),
            )
            if clinic_id:
                query = query.where(Analysis.clinic_id == clinic_id)
            rows = db.scalars(query.limit(batch)).all()
            if not rows:
                break
            per_clinic: dict[str, list[str]] = {}
            for row in rows:
                files += storage.delete_files(settings.photos_dir, row.photo_path, row.overlay_path)
                row.photo_path = row.overlay_path = None
                row.photo_deleted_at = now
                per_clinic.setdefault(row.clinic_id, []).append(row.id)
            for clinic, ids in per_clinic.items():
                db.add(
                    AuditLog(
                        clinic_id=clinic,
                        actor=actor[:100],
                        action="photo.purge",
                        target_type="analysis",
                        target_id="",
                        detail={"analyses": ids},
                        created_at=now,
                    )
                )
            purged += len(rows)
    return PurgeReport(purged, files)
