"""Visitor input rules for booking, checked on the kiosk before the API sees them (the API checks again).

Why here too: a visitor typing on a touch screen should hear "010으로 시작하는 번호" at once, not after a
round trip; the API stays the authority (``invalid_phone``, ``invalid_name``).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

SEOUL = ZoneInfo("Asia/Seoul")
_WEEKDAYS = {"ko": "월화수목금토일", "en": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]}


def normalize_phone(raw: str) -> str | None:
    """``010-1234-5678`` from any spacing or hyphens; None when it is not a Korean 010 mobile number."""
    digits = re.sub(r"[\s\-.()]", "", raw or "")
    if digits.startswith("+82"):
        digits = "0" + digits[3:]
    if not re.fullmatch(r"010\d{8}", digits):
        return None
    return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"


def valid_name(raw: str) -> str | None:
    name = " ".join((raw or "").split())
    return name if 1 <= len(name) <= 50 else None


def clinic_today(now: datetime | None = None) -> date:
    return (now or datetime.now(SEOUL)).astimezone(SEOUL).date()


def date_range(start: date, days: int) -> tuple[str, str]:
    return start.isoformat(), (start + timedelta(days=days - 1)).isoformat()


def day_label(day: str, lang: str) -> str:
    """``11/30 (월)`` / ``Mon 11/30``."""
    d = date.fromisoformat(day)
    wd = _WEEKDAYS[lang][d.weekday()]
    return f"{d.month}/{d.day} ({wd})" if lang == "ko" else f"{wd} {d.month}/{d.day}"


def local_time_text(iso: str) -> str:
    """``2026-11-28 08:53`` in the clinic's time zone, from the API's UTC ISO time."""
    try:
        moment = datetime.fromisoformat(str(iso).replace("Z", "+00:00"))
    except ValueError:
        return str(iso)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(SEOUL).strftime("%Y-%m-%d %H:%M")


def slot_date(slot: dict[str, Any]) -> str:
    if slot.get("date"):
        return str(slot["date"])
    starts = datetime.fromisoformat(str(slot["starts_at"]).replace("Z", "+00:00"))
    return starts.astimezone(SEOUL).date().isoformat()


def slot_time(slot: dict[str, Any]) -> str:
    if slot.get("local_time"):
        return str(slot["local_time"])
    starts = datetime.fromisoformat(str(slot["starts_at"]).replace("Z", "+00:00"))
    return starts.astimezone(SEOUL).strftime("%H:%M")


def slots_by_day(slots: list[dict[str, Any]]) -> OrderedDict[str, list[dict[str, Any]]]:
    """Free slots grouped by clinic date, in time order; full slots are left out."""
    grouped: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
    for slot in sorted(slots, key=lambda s: str(s.get("starts_at"))):
        if slot.get("seats_left", 1) <= 0:
            continue
        grouped.setdefault(slot_date(slot), []).append(slot)
    return grouped
