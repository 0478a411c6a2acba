"""Register, list and revoke the clinic's kiosk devices and API keys (admin only, one clinic per admin).

Why the plaintext token is returned only by register: the database keeps the SHA-256 (``token_hash``), the
same as the seeded device, so a leaked database or list response cannot be replayed as a kiosk. Another
clinic's id answers 404 like an unknown one. Register and revoke are written to the audit log in the same
transaction.
"""

from __future__ import annotations

import re
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


def _name_taken(code: str, name: str) -> ProblemError:
    return ProblemError(
        409, code, "The name is already in use", f"An active credential is already called {name!r}."
    )


# --- kiosk devices ----------------------------------------------------------------------------------------


def list_kiosks(db: Session, principal: Principal) -> dict[str, Any]:
    rows = db.scalars(
        select(KioskDevice)
        .where(KioskDevice.clinic_id == principal.clinic_id)
        .order_by(KioskDevice.created_at, KioskDevice.id)
    ).all()
    now = utcnow()
    return {"items": [_kiosk_out(d, now) for d in rows]}


def register_kiosk(db: Session, principal: Principal, name: str) -> dict[str, Any]:
    taken = db.scalar(
        select(KioskDevice.id).where(
            KioskDevice.clinic_id == principal.clinic_id,
            KioskDevice.name == name,
            KioskDevice.revoked_at.is_(None),
        )
    )
    if taken is not None:
        raise _name_taken("kiosk_name_taken", name)
    token = new_token(KIOSK_PREFIX)
    device = KioskDevice(clinic_id=principal.clinic_id, name=name, token_hash=token_hash(token), created_at=utcnow())
    db.add(device)
    db.flush()
    audit.record(db, principal, "kiosk.register", "kiosk_device", device.id, name=name)
    db.commit()
    return KioskDeviceCreated(**_kiosk_out(device, utcnow()), token=token).model_dump(mode="json")


def _kiosk(db: Session, principal: Principal, device_id: str) -> KioskDevice:
    device = db.get(KioskDevice, device_id) if _ID.fullmatch(device_id) else None
    if device is None or device.clinic_id != principal.clinic_id:
        raise ProblemError(
            404, "kiosk_device_not_found", "Kiosk device not found", "No such kiosk device for this clinic."
        )
    return device


def revoke_kiosk(db: Session, principal: Principal, device_id: str) -> dict[str, Any]:
    """Idempotent: a second revoke answers the first revocation's time and writes nothing."""
    device = _kiosk(db, principal, device_id)
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        audit.record(db, principal, "kiosk.revoke", "kiosk_device", device.id, name=device.name)
        db.commit()
    return _kiosk_out(device, utcnow())


# --- API keys -----------------------------------------------------------------------------------------------


def list_keys(db: Session, principal: Principal) -> dict[str, Any]:
    rows = db.scalars(
        select(ApiKey).where(ApiKey.clinic_id == principal.clinic_id).order_by(ApiKey.created_at, ApiKey.id)
    ).all()
    return {"items": [_key_out(k) for k in rows]}


def create_key(db: Session, principal: Principal, name: str) -> dict[str, Any]:
    taken = db.scalar(
        select(ApiKey.id).where(
            ApiKey.clinic_id == principal.clinic_id, ApiKey.name == name, ApiKey.revoked_at.is_(None)
        )
    )
    if taken is not None:
        raise _name_taken("api_key_name_taken", name)
    token = new_token(KEY_PREFIX)
    key = ApiKey(clinic_id=principal.clinic_id, name=name, key_hash=token_hash(token), created_at=utcnow())
    db.add(key)
    db.flush()
    audit.record(db, principal, "api_key.create", "api_key", key.id, name=name)
    db.commit()
    return ApiKeyCreated(**_key_out(key), token=token).model_dump(mode="json")


def _key(db: Session, principal: Principal, key_id: str) -> ApiKey:
    key = db.get(ApiKey, key_id) if _ID.fullmatch(key_id) else None
    if key is None or key.clinic_id != principal.clinic_id:
        raise ProblemError(404, "api_key_not_found", "API key not found", "No such API key for this clinic.")
    return key


def revoke_key(db: Session, principal: Principal, key_id: str) -> dict[str, Any]:
    """Idempotent like ``revoke_kiosk``."""
    key = _key(db, principal, key_id)
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        audit.record(db, principal, "api_key.revoke", "api_key", key.id, name=key.name)
        db.commit()
    return _key_out(key)
