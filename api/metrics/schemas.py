"""The funnel metrics' response shape (GET /v1/staff/metrics/funnel)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel


class FunnelCounts(BaseModel):
    consultations: int = 0
    photos: int = 0
    chats: int = 0
    bookings: int = 0


class FunnelDay(FunnelCounts):
    date: date


class FunnelKiosk(FunnelCounts):
    kiosk_device_id: str | None
    name: str


class FunnelOut(BaseModel):
    date_from: date
    date_to: date
    totals: FunnelCounts
    days: list[FunnelDay]
    kiosks: list[FunnelKiosk]
