"""When a kiosk was last seen: written on authentication, at most once a minute per device, best effort.

Why best effort: ``last_seen_at`` only feeds the staff console's "online" column; a visitor's request must
never fail because this bookkeeping could not be written (SQLite busy, a lock timeout). Why at most once a
minute: the caller already read the row, so a fresh value costs no write at all, and a burst of requests
from one kiosk (50 concurrent bookings) does not turn into 50 updates of one row.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from api.db.models import KioskDevice
from api.timeutil import aware, utcnow

log = logging.getLogger("skinchat.auth")
TOUCH_EVERY = timedelta(minutes=1)
ONLINE_WITHIN = timedelta(minutes=5)


def is_stale(last_seen_at: datetime | None, now: datetime) -> bool:
    seen = aware(last_seen_at)
    return seen is None or now - seen >= TOUCH_EVERY


def is_online(last_seen_at: datetime | None, now: datetime) -> bool:
    seen = aware(last_seen_at)
    return seen is not None and now - seen < ONLINE_WITHIN


def touch_kiosk(db: Session, device: KioskDevice, now: datetime | None = None) -> bool:
    """Set ``last_seen_at`` if the stored value is older than a minute; True when this call wrote it.

    The UPDATE repeats the staleness test in its WHERE clause, so of several requests that all read a stale
    value only the first one changes the row (PostgreSQL re-checks the condition after waiting for the row
    lock); the others update nothing. It commits at once, so the row lock is held for one statement only.
    """
    now = now or utcnow()
    if not is_stale(device.last_seen_at, now):
        return False
    try:
        result = db.execute(
            update(KioskDevice)
            .where(
                KioskDevice.id == device.id,
                or_(KioskDevice.last_seen_at.is_(None), KioskDevice.last_seen_at <= now - TOUCH_EVERY),
            )
            .values(last_seen_at=now)
            .execution_options(synchronize_session=False)
        )
        db.commit()
    except SQLAlchemyError as exc:
        db.rollback()
        log.warning("kiosk last_seen_at not updated: %s", type(exc).__name__)
        return False
    return bool(result.rowcount)
