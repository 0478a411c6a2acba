"""Register, list and revoke the clinic's kiosk devices and API keys (admin only, one clinic per admin).

Why the plaintext token is returned only by register: the database keeps the SHA-256 (``token_hash``), the
same as the seeded device, so a leaked database or list response cannot be replayed as a kiosk. Another
clinic's id answers 404 like an unknown one. Register and revoke are written to the audit log in the same
transaction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api import audit
from api.auth.presence import is_online
from api.auth.principal import Principal
from api.db.models import ApiKey, KioskDevice
from api.devices.schemas import ApiKeyCreated, ApiKeyOut, KioskDeviceCreated, KioskDeviceOut
from api.errors import ProblemError
from api.security import new_token, token_hash
from api.timeutil import aware, utcnow

KIOSK_PREFIX, KEY_PREFIX = "kiosk", "key"
_ID = re.compile(r"[0-9a-f]{32}")  # api.db ids; anything else cannot exist and is answered without a query


def _kiosk_out(device: KioskDevice, now: Any) -> dict[str, Any]:
    return KioskDeviceOut(
        id=device.id,
        name=device.name,
        created_at=aware(device.created_at),  # type: ignore[arg-type]
        last_seen_at=aware(device.last_seen_at),
        online=device.revoked_at is None and is_online(device.last_seen_at, now),
        revoked_at=aware(device.revoked_at),
    ).model_dump(mode="json")


def _key_out(key: ApiKey) -> dict[str, Any]:
    return ApiKeyOut(
        id=key.id,
        name=key.name,
        created_at=aware(key.created_at),  # type: ignore[arg-type]
        revoked_at=aware(key.revoked_at),
    ).model_dump(mode="json")


@dataclass(frozen=True)
class _Credential:
    """What differs between a kiosk device and an API key; the register/list/revoke logic is shared."""

    model: Any  # KioskDevice | ApiKey
    hash_column: str  # token_hash | key_hash
    prefix: str
    audit_kind: str
    created_action: str
    revoked_action: str
    not_found_code: str
    noun: str  # for messages: "kiosk device", "API key"
    taken_code: str


KIOSK = _Credential(
    KioskDevice, "token_hash", KIOSK_PREFIX, "kiosk_device", "kiosk.register", "kiosk.revoke",
    "kiosk_device_not_found", "kiosk device", "kiosk_name_taken",
)  # fmt: skip
API_KEY = _Credential(
    ApiKey, "key_hash", KEY_PREFIX, "api_key", "api_key.create", "api_key.revoke",
    "api_key_not_found", "API key", "api_key_name_taken",
)  # fmt: skip


def _rows(db: Session, principal: Principal, kind: _Credential) -> list[Any]:
    m = kind.model
    return list(db.scalars(select(m).where(m.clinic_id == principal.clinic_id).order_by(m.created_at, m.id)).all())


def _create(db: Session, principal: Principal, kind: _Credential, name: str) -> tuple[Any, str]:
    m = kind.model
    taken = db.scalar(
        select(m.id).where(m.clinic_id == principal.clinic_id, m.name == name, m.revoked_at.is_(None))
    )
    if taken is not None:
        raise ProblemError(
            409, kind.taken_code, "The name is already in use", f"An active credential is already called {name!r}."
        )
    token = new_token(kind.prefix)
    row = m(clinic_id=principal.clinic_id, name=name, created_at=utcnow(), **{kind.hash_column: token_hash(token)})
    db.add(row)
    db.flush()
    audit.record(db, principal, kind.created_action, kind.audit_kind, row.id, name=name)
    db.commit()
    return row, token


def _get(db: Session, principal: Principal, kind: _Credential, row_id: str) -> Any:
    row = db.get(kind.model, row_id) if _ID.fullmatch(row_id) else None
    if row is None or row.clinic_id != principal.clinic_id:
        title = f"{kind.noun[0].upper()}{kind.noun[1:]} not found"
        raise ProblemError(404, kind.not_found_code, title, f"No such {kind.noun} for this clinic.")
    return row


def _revoke(db: Session, principal: Principal, kind: _Credential, row_id: str) -> Any:
    """Idempotent: a second revoke answers the first revocation's time and writes nothing."""
    row = _get(db, principal, kind, row_id)
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record(db, principal, kind.revoked_action, kind.audit_kind, row.id, name=row.name)
        db.commit()
    return row


def list_kiosks(db: Session, principal: Principal) -> dict[str, Any]:
    now = utcnow()
    return {"items": [_kiosk_out(d, now) for d in _rows(db, principal, KIOSK)]}


def register_kiosk(db: Session, principal: Principal, name: str) -> dict[str, Any]:
    device, token = _create(db, principal, KIOSK, name)
    return KioskDeviceCreated(**_kiosk_out(device, utcnow()), token=token).model_dump(mode="json")


def revoke_kiosk(db: Session, principal: Principal, device_id: str) -> dict[str, Any]:
    return _kiosk_out(_revoke(db, principal, KIOSK, device_id), utcnow())


def list_keys(db: Session, principal: Principal) -> dict[str, Any]:
    return {"items": [_key_out(k) for k in _rows(db, principal, API_KEY)]}


def create_key(db: Session, principal: Principal, name: str) -> dict[str, Any]:
    key, token = _create(db, principal, API_KEY, name)
    return ApiKeyCreated(**_key_out(key), token=token).model_dump(mode="json")


def revoke_key(db: Session, principal: Principal, key_id: str) -> dict[str, Any]:
    return _key_out(_revoke(db, principal, API_KEY, key_id))
