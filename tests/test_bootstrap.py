"""Seeding runs on every start: it must only ever touch its own kiosk, whatever admins registered since."""

from __future__ import annotations

from sqlalchemy import select

from api.bootstrap import SEED_KIOSK_NAME, seed_clinic
from api.db.migrate import upgrade
from api.db.models import KioskDevice
from api.db.session import session_scope
from api.security import token_hash


def _seeded(settings_factory) -> tuple:
    """A migrated database seeded once with ``kiosk_first-token``; returns its settings and URL."""
    settings = settings_factory(kiosk_device_token="kiosk_first-token")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url)
    seed_clinic(settings)
    return settings, settings.resolved_database_url


def test_reseeding_updates_only_the_seeded_kiosk(settings_factory) -> None:
    settings, url = _seeded(settings_factory)
    with session_scope(url) as db:  # an admin registers another kiosk; it sorts first by name
        db.add(KioskDevice(clinic_id=settings.clinic_id, name="a-front-desk", token_hash=token_hash("kiosk_admin")))

    seed_clinic(settings_factory(kiosk_device_token="kiosk_second-token"))

    with session_scope(url) as db:
        hashes = dict(db.execute(select(KioskDevice.name, KioskDevice.token_hash)).all())
    assert hashes == {"a-front-desk": token_hash("kiosk_admin"), SEED_KIOSK_NAME: token_hash("kiosk_second-token")}


def test_a_revoked_seed_kiosk_stays_revoked(settings_factory) -> None:
    from api.timeutil import utcnow

    _, url = _seeded(settings_factory)
    with session_scope(url) as db:
        device = db.scalar(select(KioskDevice).where(KioskDevice.name == SEED_KIOSK_NAME))
        device.revoked_at = utcnow()

    seed_clinic(settings_factory(kiosk_device_token="kiosk_second-token"))

    with session_scope(url) as db:
        device = db.scalar(select(KioskDevice).where(KioskDevice.name == SEED_KIOSK_NAME))
        assert device.revoked_at is not None and device.token_hash == token_hash("kiosk_first-token")
        assert db.scalar(select(KioskDevice).where(KioskDevice.revoked_at.is_(None))) is None
