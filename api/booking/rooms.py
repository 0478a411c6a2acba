"""Rooms shared by several items (care-1 serves extraction, peels and calming care): a room holds at most
its capacity of overlapping bookings, whatever the item.

Room capacity = the largest ``capacity`` among the items in that room (clinic.yaml: "capacity = parallel
bookings per slot in that room"). Races: on PostgreSQL the reserving transaction takes an advisory lock per
room before it counts; on SQLite every write transaction is BEGIN IMMEDIATE, so they are serialised already.
The per-slot UNIQUE(slot_id, seat) still guards the seat itself.
"""

from __future__ import annotations

import zlib
from datetime import datetime

from sqlalchemy import and_, func, or_, select, text
from sqlalchemy.orm import Session

from api.db.models import Booking, BookingItem, Slot
from api.timeutil import aware


def room_capacity(db: Session, clinic_id: str, room: str) -> int:
    if not room:
        return 0
    return int(
        db.scalar(
            select(func.max(BookingItem.capacity)).where(
                BookingItem.clinic_id == clinic_id, BookingItem.room == room
            )
        )
        or 0
    )


def lock_room(db: Session, clinic_id: str, room: str) -> None:
    if room and db.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(f"{clinic_id}:{room}".encode()) - 2**31
        db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _active_in_room(clinic_id: str, room: str, hold_cutoff: datetime) -> list:
    return [
        Booking.clinic_id == clinic_id,
        BookingItem.room == room,
        Booking.seat.is_not(None),
        or_(Booking.status == "confirmed", Booking.created_at >= hold_cutoff),
    ]


def overlapping(
    db: Session,
    clinic_id: str,
    room: str,
    start: datetime,
    end: datetime,
    hold_cutoff: datetime,
    exclude_booking_id: str | None = None,
) -> int:
    """Active bookings in ``room`` whose time overlaps [start, end)."""
    query = (
        select(func.count())
        .select_from(Booking)
        .join(Slot, Slot.id == Booking.slot_id)
        .join(BookingItem, BookingItem.id == Slot.item_id)
        .where(*_active_in_room(clinic_id, room, hold_cutoff), Slot.starts_at < end, Slot.ends_at > start)
    )
    if exclude_booking_id:
        query = query.where(Booking.id != exclude_booking_id)
    return int(db.scalar(query) or 0)


def room_free(
    db: Session, clinic_id: str, room: str, slots: list[Slot], hold_cutoff: datetime
) -> dict[str, int]:
    """Free room places per slot id (only for rooms; slots of items without a room are left out)."""
    capacity = room_capacity(db, clinic_id, room)
    if not capacity or not slots:
        return {}
    first = min(aware(s.starts_at) for s in slots)
    last = max(aware(s.ends_at) for s in slots)
    rows = db.execute(
        select(Slot.starts_at, Slot.ends_at)
        .select_from(Booking)
        .join(Slot, Slot.id == Booking.slot_id)
        .join(BookingItem, BookingItem.id == Slot.item_id)
        .where(
            and_(*_active_in_room(clinic_id, room, hold_cutoff)), Slot.starts_at < last, Slot.ends_at > first
        )
    ).all()
    busy = [(aware(s), aware(e)) for s, e in rows]
    return {
        slot.id: capacity - sum(1 for s, e in busy if s < aware(slot.ends_at) and e > aware(slot.starts_at))
        for slot in slots
    }
