"""Staff login and "who am I" for any token."""

from __future__ import annotations

from fastapi import APIRouter, Request

from api.auth import service
from api.auth.principal import PrincipalDep
from api.auth.schemas import LoginIn, MeOut, TokenOut
from api.deps import DbDep, SettingsDep
from api.ratelimit import hit

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/login", response_model=TokenOut)
def login(body: LoginIn, request: Request, db: DbDep, settings: SettingsDep) -> dict:
    hit(
        settings.resolved_database_url,
        f"login:{body.email.strip().lower()[:100]}",
        settings.login_rate_limit_per_minute,
    )
    return service.login(db, settings, body)


@router.get("/me", response_model=MeOut)
def me(principal: PrincipalDep) -> dict:
    return {
        "kind": principal.kind,
        "clinic_id": principal.clinic_id,
        "role": principal.role,
        "subject": principal.subject,
    }
