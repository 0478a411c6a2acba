"""Visitor sessions (kiosk device tokens and clinic API keys)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api import idempotency
from api.auth.principal import VisitorDep
from api.consultations import service
from api.consultations.schemas import ConsultationCreate, ConsultationOut, TranscriptOut
from api.deps import DbDep, SettingsDep
from api.ratelimit import hit

router = APIRouter(prefix="/consultations", tags=["consultations"])


@router.post("", status_code=201, response_model=ConsultationOut)
def create_consultation(
    body: ConsultationCreate, request: Request, principal: VisitorDep, db: DbDep, settings: SettingsDep
) -> JSONResponse:
    hit(settings.resolved_database_url, f"consult:{principal.id}", settings.rate_limit_per_minute)
    status, payload = service.create(db, settings, principal, body, idempotency.key_from(request))
    return JSONResponse(payload, status_code=status)


@router.get("/{consultation_id}", response_model=ConsultationOut)
def get_consultation(consultation_id: str, principal: VisitorDep, db: DbDep) -> dict:
    return service.to_out(db, service.get_visible(db, principal, consultation_id))


@router.get("/{consultation_id}/messages", response_model=TranscriptOut)
def get_transcript(consultation_id: str, principal: VisitorDep, db: DbDep) -> dict:
    return service.transcript(db, service.get_visible(db, principal, consultation_id))
