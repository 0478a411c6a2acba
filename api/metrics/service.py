"""The visitor funnel: consultations → photos → chats → bookings, per clinic day and per kiosk."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth.principal import Principal
from api.booking.service import catalog_for
from api.db.models import Analysis, Booking, Consultation, KioskDevice, Message
from api.errors import ProblemError
from api.metrics.schemas import FunnelOut
from api.settings import Settings
from api.timeutil import MIN_DAY, check_days, local_date, local_day_bounds, utcnow

STEPS = ("consultations", "photos", "chats", "bookings")


def stage_sets(db: Session, ids: list[str]) -> dict[str, set[str]]:
    """Which of ``ids`` reached each funnel step."""
    if not ids:
        return {"photos": set(), "chats": set(), "bookings": set()}
    return {
        "photos": set(db.scalars(select(Analysis.consultation_id).where(Analysis.consultation_id.in_(ids)))),
        "chats": set(
            db.scalars(
                select(Message.consultation_id).where(
                    Message.consultation_id.in_(ids), Message.role == "user"
                )
            )
        ),
        "bookings": set(
            db.scalars(
                select(Booking.consultation_id).where(
                    Booking.consultation_id.in_(ids), Booking.status != "cancelled"
                )
            )
        ),
    }


def date_range(
    settings: Settings,
    clinic_id: str,
    date_from: date | None,
    date_to: date | None,
    default_days: int = 7,
    max_days: int | None = 366,
) -> tuple[date, date, str]:
    check_days(date_from, date_to)
    tz = catalog_for(settings, clinic_id).timezone
    today = local_date(utcnow(), tz)
    date_to = date_to or today
    date_from = date_from or max(MIN_DAY, date_to - timedelta(days=default_days - 1))
    if date_from > date_to or (max_days is not None and (date_to - date_from).days > max_days):
        raise ProblemError(
            422,
            "invalid_date_range",
            "The date range is not valid",
            "date_from must be on or before date_to, at most a year apart.",
        )
    return date_from, date_to, tz


def funnel(
    db: Session, settings: Settings, principal: Principal, date_from: date | None, date_to: date | None
) -> dict[str, Any]:
    date_from, date_to, tz = date_range(settings, principal.clinic_id, date_from, date_to)
    start, end = local_day_bounds(date_from, date_to, tz)
    rows = db.execute(
        select(Consultation.id, Consultation.created_at, Consultation.kiosk_device_id).where(
            Consultation.clinic_id == principal.clinic_id,
            Consultation.created_at >= start,
            Consultation.created_at < end,
        )
    ).all()
    stages = stage_sets(db, [r.id for r in rows])
    days: dict[date, dict[str, int]] = {}
    day = date_from
    while day <= date_to:
        days[day] = dict.fromkeys(STEPS, 0)
        day += timedelta(days=1)
    kiosks: dict[str | None, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STEPS, 0))
    totals = dict.fromkeys(STEPS, 0)
    for row in rows:
        reached = ["consultations"] + [s for s in ("photos", "chats", "bookings") if row.id in stages[s]]
        for bucket in (days[local_date(row.created_at, tz)], kiosks[row.kiosk_device_id], totals):
            for step in reached:
                bucket[step] += 1
    names = dict(
        db.execute(
            select(KioskDevice.id, KioskDevice.name).where(KioskDevice.clinic_id == principal.clinic_id)
        ).all()
    )
    return FunnelOut(
        date_from=date_from,
        date_to=date_to,
        totals=totals,  # type: ignore[arg-type]
        days=[{"date": d, **c} for d, c in days.items()],  # type: ignore[misc]
        kiosks=[
            {
                "kiosk_device_id": k,
                "name": names.get(k, "web / integration") if k else "web / integration",
                **c,
            }
            for k, c in kiosks.items()
        ],  # type: ignore[misc]
    ).model_dump(mode="json")
