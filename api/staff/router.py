"""The staff console's endpoints (staff JWT; the bookings list also takes a clinic API key)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from api.analyses.schemas import AnalysisOut, PhotoDeletedOut, PurgeOut
from api.auth.principal import AdminDep, StaffDep, StaffOrKeyDep
from api.booking.schemas import DayBookingsOut
from api.deps import DbDep, SettingsDep
from api.metrics import service as metrics
from api.metrics.schemas import FunnelOut
from api.staff import retention, service
from api.staff.schemas import ConversationDetail, ConversationList

router = APIRouter(prefix="/staff", tags=["staff"])


def _filters(
    flagged: bool | None,
    date_from: date | None,
    date_to: date | None,
    language: str | None,
    outcome: str | None,
    guardrail_category: str | None,
    kiosk_device_id: str | None,
) -> dict:
    return {
        "flagged": flagged,
        "date_from": date_from,
        "date_to": date_to,
        "language": language,
        "outcome": outcome,
        "guardrail_category": guardrail_category,
        "kiosk_device_id": kiosk_device_id,
    }


@router.get("/consultations", response_model=ConversationList)
def list_conversations(
    principal: StaffDep,
    db: DbDep,
    settings: SettingsDep,
    flagged: bool | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    language: Literal["ko", "en"] | None = None,
    outcome: Literal["none", "analysis", "chat", "booking"] | None = None,
    guardrail_category: str | None = Query(None, max_length=20),
    kiosk_device_id: str | None = Query(None, max_length=64),
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=1_000_000),
) -> dict:
    filters = _filters(flagged, date_from, date_to, language, outcome, guardrail_category, kiosk_device_id)
    return service.list_conversations(db, settings, principal, filters, limit, offset)


@router.get("/consultations/{consultation_id}", response_model=ConversationDetail)
def get_conversation(consultation_id: str, principal: StaffDep, db: DbDep, settings: SettingsDep) -> dict:
    return service.conversation(db, settings, principal, consultation_id)


@router.get("/analyses/{analysis_id}", response_model=AnalysisOut)
def get_analysis(analysis_id: str, principal: StaffDep, db: DbDep) -> dict:
    return service.analysis(db, principal, analysis_id)


@router.get(
    "/analyses/{analysis_id}/overlay.png",
    response_class=Response,
    responses={200: {"content": {"image/png": {}}}},
)
def get_overlay(analysis_id: str, principal: StaffDep, db: DbDep, settings: SettingsDep) -> Response:
    data = service.analysis_file(db, settings, principal, analysis_id, "overlay")
    return Response(data, media_type="image/png", headers={"Cache-Control": "no-store"})


@router.get(
    "/analyses/{analysis_id}/photo.jpg",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}}}},
)
def get_photo(analysis_id: str, principal: StaffDep, db: DbDep, settings: SettingsDep) -> Response:
    data = service.analysis_file(db, settings, principal, analysis_id, "photo")
    return Response(data, media_type="image/jpeg", headers={"Cache-Control": "no-store"})


@router.delete("/analyses/{analysis_id}/photo", response_model=PhotoDeletedOut)
def delete_photo(analysis_id: str, principal: StaffDep, db: DbDep, settings: SettingsDep) -> dict:
    return service.delete_photo(db, settings, principal, analysis_id)


@router.get("/bookings", response_model=DayBookingsOut)
def bookings(principal: StaffOrKeyDep, db: DbDep, settings: SettingsDep, date: date = Query()) -> dict:
    return service.bookings_for_day(db, settings, principal, date)


@router.get("/metrics/funnel", response_model=FunnelOut)
def funnel(
    principal: StaffDep,
    db: DbDep,
    settings: SettingsDep,
    date_from: date | None = None,
    date_to: date | None = None,
) -> dict:
    return metrics.funnel(db, settings, principal, date_from, date_to)


@router.get(
    "/export/consultations.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}}
)
def export_csv(
    principal: StaffDep,
    db: DbDep,
    settings: SettingsDep,
    date_from: date | None = None,
    date_to: date | None = None,
    flagged: bool | None = None,
    language: Literal["ko", "en"] | None = None,
    outcome: Literal["none", "analysis", "chat", "booking"] | None = None,
    guardrail_category: str | None = Query(None, max_length=20),
) -> Response:
    filters = _filters(flagged, date_from, date_to, language, outcome, guardrail_category, None)
    body = service.export_csv(db, settings, principal, filters)
    return Response(
        body.encode("utf-8"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="consultations.csv"'},
    )


@router.post("/retention/purge", response_model=PurgeOut)
def purge(principal: AdminDep, settings: SettingsDep) -> dict:
    return retention.purge_expired_photos(
        settings, actor=principal.actor, clinic_id=principal.clinic_id
    ).to_dict()
