"""Booking: catalog items, slots generated on demand, and reservations that cannot double-book.

The guarantee lives in the database: a booking holds one ``seat`` of its slot and UNIQUE(slot_id, seat)
refuses a second active booking of the same seat. Reserve tries the free seats inside savepoints; the loser
of a race for the last seat gets the constraint error and answers 409 ``slot_full``. A cancelled booking (or
an unconfirmed hold past ``booking_hold_minutes``) sets its seat to NULL and so frees it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api import idempotency
from api.auth.principal import Principal
from api.booking import rooms
from api.booking.catalog import ClinicCatalog, load_catalog
from api.booking.codes import mask_phone, new_code, normalize_code, normalize_phone
from api.booking.schemas import BookingItemOut, BookingOut, ReserveIn, SlotOut, StaffBookingOut
from api.components import clinic_knowledge_dir
from api.consultations import service as consultations
from api.db.base import new_id
from api.db.models import Booking, BookingItem, Slot
from api.errors import ProblemError
from api.metrics.registry import BOOKINGS
from api.settings import Settings
from api.timeutil import aware, check_days, utcnow

MAX_RANGE_DAYS = 31
PARTS_OF_DAY = {"morning": (0, 12), "afternoon": (12, 18), "evening": (17, 24)}


def catalog_for(settings: Settings, clinic_id: str) -> ClinicCatalog:
    return load_catalog(clinic_knowledge_dir(settings, clinic_id))


def _insert_ignore(db: Session, model: type, rows: list[dict[str, Any]], keys: list[str]) -> None:
    if not rows:
        return
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    db.execute(dialect.insert(model).values(rows).on_conflict_do_nothing(index_elements=keys))


def sync_items(db: Session, clinic_id: str, catalog: ClinicCatalog) -> dict[str, BookingItem]:
    """Make the clinic's booking_items match its catalog (insert new, update changed); keyed by code."""
    rows = {i.code: i for i in db.scalars(select(BookingItem).where(BookingItem.clinic_id == clinic_id))}
    missing = [spec for spec in catalog.items if spec.code not in rows]
    if missing:
        _insert_ignore(
            db,
            BookingItem,
            [
                {
                    "id": new_id(),
                    "clinic_id": clinic_id,
                    "code": s.code,
                    "name_ko": s.name_ko,
                    "name_en": s.name_en,
                    "duration_minutes": s.duration_minutes,
                    "capacity": s.capacity,
                    "room": s.room,
                    "price_krw": s.price_krw,
                }
                for s in missing
            ],
            ["clinic_id", "code"],
        )
        rows = {i.code: i for i in db.scalars(select(BookingItem).where(BookingItem.clinic_id == clinic_id))}
    for spec in catalog.items:
        row = rows[spec.code]
        wanted = (spec.name_ko, spec.name_en, spec.duration_minutes, spec.capacity, spec.room, spec.price_krw)
        if (row.name_ko, row.name_en, row.duration_minutes, row.capacity, row.room, row.price_krw) != wanted:
            (row.name_ko, row.name_en, row.duration_minutes, row.capacity, row.room, row.price_krw) = wanted
    db.flush()
    return {code: rows[code] for code in (s.code for s in catalog.items)}


def item_out(item: BookingItem) -> dict[str, Any]:
    return BookingItemOut(
        code=item.code,
        name_ko=item.name_ko,
        name_en=item.name_en,
        duration_minutes=item.duration_minutes,
        capacity=item.capacity,
        room=item.room,
        price_krw=item.price_krw,
    ).model_dump(mode="json")


def list_items(db: Session, settings: Settings, principal: Principal) -> dict[str, Any]:
    items = sync_items(db, principal.clinic_id, catalog_for(settings, principal.clinic_id))
    db.commit()
    return {"items": [item_out(i) for i in items.values()]}


def _item(db: Session, settings: Settings, clinic_id: str, code: str) -> tuple[BookingItem, ClinicCatalog]:
    catalog = catalog_for(settings, clinic_id)
    items = sync_items(db, clinic_id, catalog)
    if code not in items:
        raise ProblemError(404, "item_not_found", "Booking item not found", f"No bookable item '{code}'.")
    return items[code], catalog


def _hold_cutoff(settings: Settings, now: datetime) -> datetime:
    return now - timedelta(minutes=settings.booking_hold_minutes)


def _active(settings: Settings, now: datetime) -> Any:
    """A booking occupies its seat: it has one, and it is confirmed or a hold that has not run out."""
    return and_(
        Booking.seat.is_not(None),
        or_(Booking.status == "confirmed", Booking.created_at >= _hold_cutoff(settings, now)),
    )


def ensure_slots(
    db: Session, clinic_id: str, item: BookingItem, catalog: ClinicCatalog, day_from: date, day_to: date
) -> list[Slot]:
    starts: list[datetime] = []
    day = day_from
    while day <= day_to:
        starts += [s.astimezone(UTC) for s in catalog.slot_starts(_spec(catalog, item), day)]
        day += timedelta(days=1)
    if not starts:
        return []
    existing = {
        aware(s.starts_at)
        for s in db.scalars(
            select(Slot).where(
                Slot.item_id == item.id, Slot.starts_at >= starts[0], Slot.starts_at <= starts[-1]
            )
        )
    }
    duration = timedelta(minutes=item.duration_minutes)
    _insert_ignore(
        db,
        Slot,
        [
            {
                "id": new_id(),
                "clinic_id": clinic_id,
                "item_id": item.id,
                "starts_at": s,
                "ends_at": s + duration,
                "capacity": item.capacity,
            }
            for s in starts
            if s not in existing
        ],
        ["item_id", "starts_at"],
    )
    wanted = set(starts)
    slots = db.scalars(
        select(Slot)
        .where(Slot.item_id == item.id, Slot.starts_at >= starts[0], Slot.starts_at <= starts[-1])
        .order_by(Slot.starts_at)
    ).all()
    return [s for s in slots if aware(s.starts_at) in wanted]


def _spec(catalog: ClinicCatalog, item: BookingItem) -> Any:
    return catalog.item(item.code)


def seats_taken(db: Session, settings: Settings, slot_ids: list[str], now: datetime) -> dict[str, int]:
    if not slot_ids:
        return {}
    rows = db.execute(
        select(Booking.slot_id, func.count())
        .where(Booking.slot_id.in_(slot_ids), _active(settings, now))
        .group_by(Booking.slot_id)
    ).all()
    return {slot_id: int(n) for slot_id, n in rows}


def slot_out(slot: Slot, taken: int, catalog: ClinicCatalog) -> dict[str, Any]:
    local = aware(slot.starts_at).astimezone(catalog.zone)  # type: ignore[union-attr]
    return SlotOut(
        slot_id=slot.id,
        starts_at=aware(slot.starts_at),
        ends_at=aware(slot.ends_at),  # type: ignore[arg-type]
        date=local.date(),
        local_time=local.strftime("%H:%M"),
        capacity=slot.capacity,
        seats_left=max(0, slot.capacity - taken),
    ).model_dump(mode="json")


def free_slots(
    db: Session,
    settings: Settings,
    clinic_id: str,
    item: BookingItem,
    catalog: ClinicCatalog,
    day_from: date,
    day_to: date,
    include_full: bool = False,
    hours: tuple[int, int] | None = None,
) -> list[dict[str, Any]]:
    now = utcnow()
    slots = [
        s for s in ensure_slots(db, clinic_id, item, catalog, day_from, day_to) if aware(s.starts_at) > now
    ]
    if hours:
        slots = [s for s in slots if hours[0] <= aware(s.starts_at).astimezone(catalog.zone).hour < hours[1]]  # type: ignore[union-attr]
    taken = seats_taken(db, settings, [s.id for s in slots], now)
    room = rooms.room_free(db, clinic_id, item.room, slots, _hold_cutoff(settings, now))
    out = [
        slot_out(s, max(taken.get(s.id, 0), s.capacity - room.get(s.id, s.capacity)), catalog) for s in slots
    ]
    return out if include_full else [s for s in out if s["seats_left"] > 0]


def list_slots(
    db: Session,
    settings: Settings,
    principal: Principal,
    code: str,
    date_from: date,
    date_to: date | None,
    include_full: bool,
) -> dict[str, Any]:
    date_to = date_to or date_from
    check_days(date_from, date_to)
    if date_to < date_from or (date_to - date_from).days >= MAX_RANGE_DAYS:
        raise ProblemError(
            422,
            "invalid_date_range",
            "The date range is not valid",
            f"date_to must be on or after date_from, at most {MAX_RANGE_DAYS} days.",
        )
    item, catalog = _item(db, settings, principal.clinic_id, code)
    slots = free_slots(db, settings, principal.clinic_id, item, catalog, date_from, date_to, include_full)
    db.commit()
    return {
        "item": item_out(item),
        "date_from": date_from.isoformat(),
        "date_to": date_to.isoformat(),
        "slots": slots,
    }


def offer(
    db: Session,
    settings: Settings,
    clinic_id: str,
    code: str,
    day: date | None,
    part_of_day: str | None,
    limit: int = 6,
) -> dict[str, Any] | None:
    """Free slots for the chat's booking offer: the asked day, or the next open day within a week."""
    catalog = catalog_for(settings, clinic_id)
    items = sync_items(db, clinic_id, catalog)
    item = items.get(code) or next(iter(items.values()), None)
    if item is None:
        return None
    hours = PARTS_OF_DAY.get(part_of_day or "")
    today = utcnow().astimezone(catalog.zone).date()
    days = [day] if day else [today + timedelta(days=n) for n in range(8)]
    slots: list[dict[str, Any]] = []
    chosen = days[0]
    for candidate in days:
        slots = free_slots(db, settings, clinic_id, item, catalog, candidate, candidate, hours=hours)
        chosen = candidate
        if slots:
            break
    return {
        "item": item_out(item),
        "date": chosen.isoformat(),
        "part_of_day": part_of_day,
        "slots": slots[:limit],
    }


# --- reservations ---------------------------------------------------------------------------------


def _booking_out(db: Session, settings: Settings, booking: Booking, staff: bool = False) -> dict[str, Any]:
    slot = db.get(Slot, booking.slot_id)
    item = db.get(BookingItem, slot.item_id)  # type: ignore[union-attr]
    catalog = catalog_for(settings, booking.clinic_id)
    local = aware(slot.starts_at).astimezone(catalog.zone)  # type: ignore[union-attr]
    created = aware(booking.created_at)
    data: dict[str, Any] = dict(
        code=booking.code,
        status=booking.status,
        item=item_out(item),  # type: ignore[arg-type]
        starts_at=aware(slot.starts_at),
        ends_at=aware(slot.ends_at),
        local_date=local.date(),  # type: ignore[union-attr]
        local_time=local.strftime("%H:%M"),
        name=booking.visitor_name,
        phone_masked=mask_phone(booking.visitor_phone),
        hold_expires_at=(
            created + timedelta(minutes=settings.booking_hold_minutes)  # type: ignore[operator]
            if booking.status == "held"
            else None
        ),
        created_at=created,
    )
    if staff:
        return StaffBookingOut(
            **data, phone=booking.visitor_phone, consultation_id=booking.consultation_id
        ).model_dump(mode="json")
    return BookingOut(**data).model_dump(mode="json")


def _slot_for(db: Session, principal: Principal, slot_id: str, now: datetime) -> Slot:
    slot = db.get(Slot, slot_id)
    if slot is None or slot.clinic_id != principal.clinic_id:
        raise ProblemError(404, "slot_not_found", "Slot not found", "No such slot for this clinic.")
    if aware(slot.starts_at) <= now:  # type: ignore[operator]
        raise ProblemError(409, "slot_in_past", "This time has already passed", "Choose a later time.")
    return slot


def _release_expired_holds(db: Session, settings: Settings, slot_id: str, now: datetime) -> None:
    db.execute(
        update(Booking)
        .where(
            Booking.slot_id == slot_id,
            Booking.status == "held",
            Booking.created_at < _hold_cutoff(settings, now),
        )
        .values(status="cancelled", seat=None, updated_at=now)
    )


def _slot_full() -> ProblemError:
    return ProblemError(409, "slot_full", "This time is fully booked", "Please choose another time.")


def _take_seat(db: Session, settings: Settings, slot: Slot, now: datetime, booking: Booking) -> None:
    """Give ``booking`` a free seat of ``slot`` (new or moved); the unique constraint decides any race."""
    _release_expired_holds(db, settings, slot.id, now)
    item = db.get(BookingItem, slot.item_id)
    if item is not None and item.room:
        rooms.lock_room(db, slot.clinic_id, item.room)
        busy = rooms.overlapping(
            db,
            slot.clinic_id,
            item.room,
            aware(slot.starts_at),
            aware(slot.ends_at),  # type: ignore[arg-type]
            _hold_cutoff(settings, now),
            exclude_booking_id=booking.id,
        )
        if busy >= rooms.room_capacity(db, slot.clinic_id, item.room):
            raise _slot_full()
    taken = set(db.scalars(select(Booking.seat).where(Booking.slot_id == slot.id, Booking.seat.is_not(None))))
    for seat in range(1, slot.capacity + 1):
        if seat in taken:
            continue
        for _ in range(3):  # a retry only for the (very rare) confirmation-code collision
            try:
                with db.begin_nested():
                    booking.slot_id, booking.seat = slot.id, seat
                    if booking not in db:
                        db.add(booking)
                    db.flush()
                return
            except IntegrityError:
                seat_now_taken = (
                    db.scalar(select(func.count()).where(Booking.slot_id == slot.id, Booking.seat == seat))
                    or 0
                )
                if seat_now_taken:
                    break
                booking.code = new_code(settings.booking_code_prefix)
    raise _slot_full()


def reserve(
    db: Session, settings: Settings, principal: Principal, body: ReserveIn, idem_key: str | None
) -> tuple[int, dict[str, Any]]:
    phone = normalize_phone(body.phone)
    name = body.name.strip()
    if not name:
        raise ProblemError(422, "invalid_name", "Please enter a name", "The name must not be empty.")
    request_hash = idempotency.fingerprint(body.model_dump())
    if idem_key and (replay := idempotency.find(db, principal.clinic_id, "reserve", idem_key, request_hash)):
        return replay.status_code, replay.body
    now = utcnow()
    consultation = None
    if body.consultation_id:
        consultation = consultations.get_visible(db, principal, body.consultation_id)
    slot = _slot_for(db, principal, body.slot_id, now)
    booking = Booking(
        clinic_id=principal.clinic_id,
        consultation_id=body.consultation_id,
        status="held",
        code=new_code(settings.booking_code_prefix),
        visitor_name=name,
        visitor_phone=phone,
        note=body.note,
        created_at=now,
        updated_at=now,
    )
    try:
        _take_seat(db, settings, slot, now, booking)
    except ProblemError:
        db.rollback()
        if idem_key and (
            replay := idempotency.find(db, principal.clinic_id, "reserve", idem_key, request_hash)
        ):
            return replay.status_code, replay.body
        BOOKINGS.labels(action="slot_full").inc()
        raise
    if consultation is not None:
        consultations.advance_outcome(consultation, "booking")
    out = _booking_out(db, settings, booking)
    replay = idempotency.commit_or_replay(
        db, principal.clinic_id, "reserve", idem_key, request_hash, 201, out, on_conflict=_slot_full
    )
    if replay is not None:
        return replay.status_code, replay.body
    BOOKINGS.labels(action="reserve").inc()
    return 201, out


def _find(db: Session, principal: Principal, code: str, phone: str) -> Booking:
    phone = normalize_phone(phone)
    booking = db.scalar(
        select(Booking).where(Booking.code == normalize_code(code), Booking.clinic_id == principal.clinic_id)
    )
    if booking is None or booking.visitor_phone != phone:
        raise ProblemError(
            404, "booking_not_found", "Booking not found", "Check the confirmation code and the phone number."
        )
    return booking


def _not_cancelled(booking: Booking) -> None:
    if booking.status == "cancelled":
        raise ProblemError(409, "booking_cancelled", "This booking was cancelled", "Make a new booking.")


def lookup(db: Session, settings: Settings, principal: Principal, code: str, phone: str) -> dict[str, Any]:
    return _booking_out(db, settings, _find(db, principal, code, phone))


def confirm(db: Session, settings: Settings, principal: Principal, code: str, phone: str) -> dict[str, Any]:
    booking = _find(db, principal, code, phone)
    _not_cancelled(booking)
    now = utcnow()
    if booking.status == "held":
        if aware(booking.created_at) < _hold_cutoff(settings, now):  # type: ignore[operator]
            booking.status, booking.seat, booking.updated_at = "cancelled", None, now
            db.commit()
            raise ProblemError(
                409,
                "hold_expired",
                "The hold has run out",
                "The time was held for a few minutes only. Please book again.",
            )
        booking.status, booking.updated_at = "confirmed", now
    out = _booking_out(db, settings, booking)
    db.commit()
    BOOKINGS.labels(action="confirm").inc()
    return out


def reschedule(
    db: Session, settings: Settings, principal: Principal, code: str, phone: str, slot_id: str
) -> dict[str, Any]:
    booking = _find(db, principal, code, phone)
    _not_cancelled(booking)
    now = utcnow()
    slot = _slot_for(db, principal, slot_id, now)
    if slot.id != booking.slot_id:
        booking.seat = None  # give up the old seat in the same transaction
        db.flush()
        booking.updated_at = now
        try:
            _take_seat(db, settings, slot, now, booking)
        except ProblemError:
            db.rollback()
            raise
    out = _booking_out(db, settings, booking)
    db.commit()
    BOOKINGS.labels(action="reschedule").inc()
    return out


def cancel(db: Session, settings: Settings, principal: Principal, code: str, phone: str) -> dict[str, Any]:
    booking = _find(db, principal, code, phone)
    _not_cancelled(booking)
    booking.status, booking.seat, booking.updated_at = "cancelled", None, utcnow()
    out = _booking_out(db, settings, booking)
    db.commit()
    BOOKINGS.labels(action="cancel").inc()
    return out


def bookings_for_day(db: Session, settings: Settings, principal: Principal, day: date) -> dict[str, Any]:
    catalog = catalog_for(settings, principal.clinic_id)
    from api.timeutil import local_day_bounds

    check_days(day)
    start, end = local_day_bounds(day, day, catalog.timezone)
    rows = db.scalars(
        select(Booking)
        .join(Slot, Slot.id == Booking.slot_id)
        .where(Booking.clinic_id == principal.clinic_id, Slot.starts_at >= start, Slot.starts_at < end)
        .order_by(Slot.starts_at, Booking.created_at)
    ).all()
    return {"date": day.isoformat(), "bookings": [_booking_out(db, settings, b, staff=True) for b in rows]}
