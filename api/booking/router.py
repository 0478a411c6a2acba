"""Booking for visitors (kiosk device tokens and clinic API keys)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from api import idempotency
from api.auth.principal import VisitorDep
from api.booking import service
from api.booking.schemas import BookingOut, ItemsOut, PhoneIn, RescheduleIn, ReserveIn, SlotsOut
from api.deps import DbDep, SettingsDep
from api.ratelimit import hit

router = APIRouter(prefix="/booking", tags=["booking"])


@router.get("/items", response_model=ItemsOut)
def list_items(principal: VisitorDep, db: DbDep, settings: SettingsDep) -> dict:
    return service.list_items(db, settings, principal)


@router.get("/slots", response_model=SlotsOut)
def list_slots(
    principal: VisitorDep,
    db: DbDep,
    settings: SettingsDep,
    item: str = Query(min_length=1, max_length=40),
    date_from: date = Query(),
    date_to: date | None = Query(None),
    include_full: bool = False,
) -> dict:
    return service.list_slots(db, settings, principal, item, date_from, date_to, include_full)


@router.post("/reservations", status_code=201, response_model=BookingOut)
def reserve(
    body: ReserveIn, request: Request, principal: VisitorDep, db: DbDep, settings: SettingsDep
) -> JSONResponse:
    hit(settings.resolved_database_url, f"reserve:{principal.id}", settings.rate_limit_per_minute)
    status, payload = service.reserve(db, settings, principal, body, idempotency.key_from(request))
    return JSONResponse(payload, status_code=status)


@router.get("/reservations/{code}", response_model=BookingOut)
def lookup(
    code: str, principal: VisitorDep, db: DbDep, settings: SettingsDep, phone: str = Query(max_length=40)
) -> dict:
    return service.lookup(db, settings, principal, code, phone)


@router.post("/reservations/{code}/confirm", response_model=BookingOut)
def confirm(code: str, body: PhoneIn, principal: VisitorDep, db: DbDep, settings: SettingsDep) -> dict:
    return service.confirm(db, settings, principal, code, body.phone)


@router.post("/reservations/{code}/reschedule", response_model=BookingOut)
def reschedule(
    code: str, body: RescheduleIn, principal: VisitorDep, db: DbDep, settings: SettingsDep
) -> dict:
    return service.reschedule(db, settings, principal, code, body.phone, body.slot_id)


@router.post("/reservations/{code}/cancel", response_model=BookingOut)
def cancel(code: str, body: PhoneIn, principal: VisitorDep, db: DbDep, settings: SettingsDep) -> dict:
    return service.cancel(db, settings, principal, code, body.phone)
