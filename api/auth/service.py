"""Staff login: bcrypt check, then a short-lived JWT signed with SKINCHAT_SECRET_KEY."""

from __future__ import annotations

from functools import cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.auth.principal import issue_staff_token
from api.auth.schemas import LoginIn
from api.db.models import StaffUser
from api.errors import ProblemError
from api.security import hash_password, verify_password
from api.settings import Settings


@cache
def _dummy_hash() -> str:
    """Compared against when the e-mail is unknown, so both failures take the same bcrypt time."""
    return hash_password("not-a-real-password")


def login(db: Session, settings: Settings, body: LoginIn) -> dict:
    clinic_id = body.clinic_id or settings.clinic_id
    user = db.scalar(
        select(StaffUser).where(
            StaffUser.clinic_id == clinic_id, func.lower(StaffUser.email) == body.email.strip().lower()
        )
    )
    ok = verify_password(body.password, user.password_hash if user else _dummy_hash())
    if user is None or not ok or not user.is_active:
        raise ProblemError(
            401, "invalid_credentials", "Wrong e-mail or password", "Check the e-mail and password."
        )
    token, seconds = issue_staff_token(settings, user)
    return {
        "access_token": token,
        "token_type": "bearer",
        "expires_in": seconds,
        "role": user.role,
        "clinic_id": user.clinic_id,
        "email": user.email,
    }
