"""First-run data: the demo clinic, its admin and its kiosk device. Idempotent, so every start may call it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select

from api.db.models import Clinic, KioskDevice, StaffUser
from api.db.session import session_scope
from api.security import hash_password, token_hash
from api.settings import Settings

DEMO_CLINIC_NAME = "서울하늘피부과의원 (Seoul Haneul Dermatology, demo)"


@dataclass
class SeedResult:
    clinic_id: str
    admin_email: str
    admin_password: str | None  # set only when it was generated now
    kiosk_token: str | None  # set only when the device was created now


SEED_KIOSK_NAME = "lobby-1"


def seed_clinic(settings: Settings, kiosk_token: str | None = None) -> SeedResult:
    """Make sure the configured clinic has a row, an admin user and one kiosk device."""
    admin_password: str | None = None
    created_token: str | None = None
    with session_scope(settings.resolved_database_url) as db:
        if db.get(Clinic, settings.clinic_id) is None:
            db.add(Clinic(id=settings.clinic_id, name=DEMO_CLINIC_NAME, venue_kind="clinic",
                          urgent_phone="02-555-0119"))
            db.flush()
        admin = db.scalar(select(StaffUser).where(StaffUser.clinic_id == settings.clinic_id,
                                                  StaffUser.role == "admin"))
        if admin is None:
            admin_password = settings.admin_password.get_secret_value() or secrets.token_urlsafe(12)
            db.add(StaffUser(clinic_id=settings.clinic_id, email=settings.admin_email, display_name="Admin",
                             password_hash=hash_password(admin_password), role="admin"))
        token = kiosk_token or settings.kiosk_device_token.get_secret_value()
        # The seeded kiosk is found by its name, never "the clinic's first device": admins register more kiosks
        # (api/devices), and handing one of theirs the seed token would lock its real kiosk out. A seeded kiosk
        # that an admin revoked stays revoked.
        device = db.scalar(
            select(KioskDevice)
            .where(KioskDevice.clinic_id == settings.clinic_id, KioskDevice.name == SEED_KIOSK_NAME)
            .order_by(KioskDevice.created_at)
            .limit(1)
        )
        if device is None:
            created_token = token or "kiosk_" + secrets.token_urlsafe(32)
            db.add(KioskDevice(clinic_id=settings.clinic_id, name=SEED_KIOSK_NAME,
                               token_hash=token_hash(created_token)))
        elif token and device.revoked_at is None and device.token_hash != token_hash(token):
            device.token_hash = token_hash(token)
    return SeedResult(settings.clinic_id, settings.admin_email, admin_password, created_token)
