"""The clinic's booking rules from ``catalog/clinic.yaml`` (hours, lunch, holidays, slot size, items).

Read from the clinic's knowledge folder and cached by file modification time, so an edited catalog is
picked up without a restart and every replica reads the same file.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class ItemSpec:
    code: str
    name_ko: str
    name_en: str
    duration_minutes: int
    capacity: int
    room: str
    price_krw: int | None


@dataclass(frozen=True)
class ClinicCatalog:
    timezone: str = "Asia/Seoul"
    hours: dict[str, tuple[time, time] | None] = field(default_factory=dict)
    lunch: tuple[time, time] | None = None
    lunch_days: frozenset[str] = frozenset()
    holidays: frozenset[date] = frozenset()
    slot_minutes: int = 30
    last_booking_before_close_minutes: int = 0
    items: tuple[ItemSpec, ...] = ()

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def item(self, code: str) -> ItemSpec | None:
        return next((i for i in self.items if i.code == code), None)

    def slot_starts(self, item: ItemSpec, day: date) -> list[datetime]:
        """Local start times on ``day`` at which ``item`` fits: open, no lunch, no holiday, ends in time."""
        if day in self.holidays:
            return []
        hours = self.hours.get(WEEKDAYS[day.weekday()])
        if hours is None:
            return []
        zone = self.zone
        open_at = datetime.combine(day, hours[0], zone)
        close_at = datetime.combine(day, hours[1], zone)
        last_start = close_at - timedelta(minutes=self.last_booking_before_close_minutes)
        duration = timedelta(minutes=item.duration_minutes)
        lunch = None
        if self.lunch and WEEKDAYS[day.weekday()] in self.lunch_days:
            lunch = (datetime.combine(day, self.lunch[0], zone), datetime.combine(day, self.lunch[1], zone))
        starts = []
        at = open_at
        while at + duration <= close_at and at <= last_start:
            if not (lunch and at < lunch[1] and at + duration > lunch[0]):
                starts.append(at)
            at += timedelta(minutes=self.slot_minutes)
        return starts


def _hhmm(value: str) -> time:
    hour, minute = str(value).split(":")
    return time(int(hour), int(minute))


def _prices(catalog_dir: Path) -> dict[str, int]:
    path = catalog_dir / "procedures.yaml"
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {
        str(p["id"]): int(p["price_krw"])
        for p in data.get("procedures", []) or []
        if isinstance(p, dict) and p.get("id") and p.get("price_krw") is not None
    }


def parse_catalog(data: dict[str, Any], prices: dict[str, int] | None = None) -> ClinicCatalog:
    prices = prices or {}
    hours: dict[str, tuple[time, time] | None] = {}
    for day in WEEKDAYS:
        spec = (data.get("hours") or {}).get(day)
        hours[day] = (_hhmm(spec["open"]), _hhmm(spec["close"])) if spec else None
    lunch_spec = data.get("lunch") or None
    items = tuple(
        ItemSpec(
            code=str(i["code"]),
            name_ko=str(i.get("name_ko", i["code"])),
            name_en=str(i.get("name_en", i["code"])),
            duration_minutes=int(i.get("duration_minutes", 30)),
            capacity=max(1, int(i.get("capacity", 1))),
            room=str(i.get("room", "")),
            price_krw=i.get("price_krw", prices.get(str(i["code"]))),
        )
        for i in data.get("booking_items", []) or []
    )
    return ClinicCatalog(
        timezone=str(data.get("timezone", "Asia/Seoul")),
        hours=hours,
        lunch=(_hhmm(lunch_spec["start"]), _hhmm(lunch_spec["end"])) if lunch_spec else None,
        lunch_days=frozenset((lunch_spec or {}).get("days", WEEKDAYS)),
        holidays=frozenset(date.fromisoformat(str(d)) for d in data.get("holidays", []) or []),
        slot_minutes=int(data.get("slot_minutes", 30)),
        last_booking_before_close_minutes=int(data.get("last_booking_before_close_minutes", 0)),
        items=items,
    )


_cache: dict[Path, tuple[float, ClinicCatalog]] = {}
_lock = threading.Lock()


def load_catalog(knowledge_dir: Path) -> ClinicCatalog:
    """The clinic's catalog; an empty one (nothing bookable) when the clinic has no clinic.yaml."""
    path = (knowledge_dir / "catalog" / "clinic.yaml").resolve()
    if not path.is_file():
        return ClinicCatalog()
    mtime = path.stat().st_mtime
    with _lock:
        cached = _cache.get(path)
        if cached and cached[0] == mtime:
            return cached[1]
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    catalog = parse_catalog(data, _prices(path.parent))
    with _lock:
        _cache[path] = (mtime, catalog)
    return catalog
