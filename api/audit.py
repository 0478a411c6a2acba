"""The audit log: who read or changed what, written in the same transaction as the read or change."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from api.auth.principal import Principal
from api.db.models import AuditLog
from api.timeutil import utcnow


def record(
    db: Session, principal: Principal, action: str, target_type: str, target_id: str = "", **detail: Any
) -> None:
    db.add(
        AuditLog(
            clinic_id=principal.clinic_id,
            actor=principal.actor,
            action=action,
            target_type=target_type,
            target_id=target_id[:64],
            detail=detail,
            created_at=utcnow(),
        )
    )
