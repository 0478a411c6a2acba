"""Admin endpoints for the clinic's credentials: kiosk device tokens and API keys (staff JWT, role admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from api.auth.principal import AdminDep
from api.deps import DbDep
from api.devices import service
from api.devices.schemas import (
    ApiKeyCreated,
    ApiKeyList,
    ApiKeyOut,
    CredentialIn,
    KioskDeviceCreated,
    KioskDeviceList,
    KioskDeviceOut,
)

router = APIRouter(prefix="/staff", tags=["staff"])
IdPath = Annotated[str, Path(max_length=64)]


@router.get("/kiosk-devices", response_model=KioskDeviceList)
def list_kiosk_devices(principal: AdminDep, db: DbDep) -> dict:
    return service.list_kiosks(db, principal)


@router.post("/kiosk-devices", status_code=201, response_model=KioskDeviceCreated)
def register_kiosk_device(body: CredentialIn, principal: AdminDep, db: DbDep) -> dict:
    return service.register_kiosk(db, principal, body.name)


@router.post("/kiosk-devices/{device_id}/revoke", response_model=KioskDeviceOut)
def revoke_kiosk_device(device_id: IdPath, principal: AdminDep, db: DbDep) -> dict:
    return service.revoke_kiosk(db, principal, device_id)


@router.get("/api-keys", response_model=ApiKeyList)
def list_api_keys(principal: AdminDep, db: DbDep) -> dict:
    return service.list_keys(db, principal)


@router.post("/api-keys", status_code=201, response_model=ApiKeyCreated)
def create_api_key(body: CredentialIn, principal: AdminDep, db: DbDep) -> dict:
    return service.create_key(db, principal, body.name)


@router.post("/api-keys/{key_id}/revoke", response_model=ApiKeyOut)
def revoke_api_key(key_id: IdPath, principal: AdminDep, db: DbDep) -> dict:
    return service.revoke_key(db, principal, key_id)
