"""Who is calling: a kiosk device, a staff user (JWT) or a clinic integration (API key).

Why one resolver: every route filters by ``principal.clinic_id``, so the clinic a token belongs to is decided
in exactly one place, and a token never sees another clinic's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Literal

import jwt
from fastapi import Depends, Request
from sqlalchemy import select

from api.auth.presence import touch_kiosk
from api.db.models import ApiKey, KioskDevice, StaffUser
from api.deps import DbDep, SettingsDep
from api.errors import ProblemError
from api.security import token_hash
from api.settings import Settings

Kind = Literal["kiosk", "staff", "api_key"]
JWT_ALGORITHM = "HS256"


@dataclass(frozen=True)
class Principal:
    kind: Kind
    clinic_id: str
    id: str  # staff user id, kiosk device id or api key id
    subject: str  # staff e-mail, device name or key name (for the audit log)
    role: str | None = None

    @property
    def actor(self) -> str:
        return f"{self.kind}:{self.subject}"[:100]


def issue_staff_token(settings: Settings, user: StaffUser) -> tuple[str, int]:
    seconds = settings.staff_token_minutes * 60
    now = datetime.now(UTC)
    claims = {
        "sub": user.id,
        "clinic": user.clinic_id,
        "role": user.role,
        "email": user.email,
        "typ": "staff",
        "iat": now,
        "exp": now + timedelta(seconds=seconds),
    }
    return jwt.encode(claims, settings.secret_key.get_secret_value(), algorithm=JWT_ALGORITHM), seconds


def _invalid() -> ProblemError:
    return ProblemError(401, "invalid_token", "The token is not valid", "Unknown, revoked or expired token.")


def _bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        raise ProblemError(
            401, "auth_required", "Authentication required", "Send Authorization: Bearer <token>."
        )
    if scheme.lower() != "bearer" or not token.strip():
        raise _invalid()
    return token.strip()


def resolve_principal(request: Request, db: DbDep, settings: SettingsDep) -> Principal:
    principal = _resolve(request, db, settings)
    db.rollback()  # end the lookup's transaction: on SQLite it holds the write lock until then
    return principal


def _resolve(request: Request, db: DbDep, settings: SettingsDep) -> Principal:
    token = _bearer(request)
    if token.startswith("kiosk_"):
        device = db.scalar(select(KioskDevice).where(KioskDevice.token_hash == token_hash(token)))
        if device is None or device.revoked_at is not None:
            raise _invalid()
        principal = Principal("kiosk", device.clinic_id, device.id, device.name)
        touch_kiosk(db, device)  # best effort, never fails the request
        return principal
    if token.startswith("key_"):
        key = db.scalar(select(ApiKey).where(ApiKey.key_hash == token_hash(token)))
        if key is None or key.revoked_at is not None:
            raise _invalid()
        return Principal("api_key", key.clinic_id, key.id, key.name)
    try:
        claims = jwt.decode(
            token,
            settings.secret_key.get_secret_value(),
            algorithms=[JWT_ALGORITHM],
            options={"require": ["sub", "exp", "clinic", "role"]},
        )
    except jwt.PyJWTError as exc:
        raise _invalid() from exc
    if claims.get("typ") != "staff":
        raise _invalid()
    user = db.get(StaffUser, str(claims["sub"]))
    if user is None or not user.is_active or user.clinic_id != claims["clinic"]:
        raise _invalid()
    return Principal("staff", user.clinic_id, user.id, user.email, role=user.role)


def _forbidden(detail: str) -> ProblemError:
    return ProblemError(403, "forbidden", "Not allowed with this token", detail)


def require_visitor(principal: Annotated[Principal, Depends(resolve_principal)]) -> Principal:
    """Kiosk devices and integrations act for visitors; staff use the console endpoints."""
    if principal.kind not in ("kiosk", "api_key"):
        raise _forbidden("Visitor endpoints need a kiosk device token or a clinic API key.")
    return principal


def require_staff(principal: Annotated[Principal, Depends(resolve_principal)]) -> Principal:
    if principal.kind != "staff":
        raise _forbidden("Staff endpoints need a staff login (JWT).")
    return principal


def require_admin(principal: Annotated[Principal, Depends(require_staff)]) -> Principal:
    if principal.role != "admin":
        raise _forbidden("This needs the admin role.")
    return principal


def require_staff_or_key(principal: Annotated[Principal, Depends(resolve_principal)]) -> Principal:
    if principal.kind not in ("staff", "api_key"):
        raise _forbidden("Needs a staff login or a clinic API key.")
    return principal


PrincipalDep = Annotated[Principal, Depends(resolve_principal)]
VisitorDep = Annotated[Principal, Depends(require_visitor)]
StaffDep = Annotated[Principal, Depends(require_staff)]
AdminDep = Annotated[Principal, Depends(require_admin)]
StaffOrKeyDep = Annotated[Principal, Depends(require_staff_or_key)]
