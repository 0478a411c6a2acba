"""Schema and constraints, on SQLite and on the real PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from api.db.migrate import downgrade, upgrade
from api.db.models import Booking, BookingItem, Clinic, Consultation, Message, Slot
from api.db.session import engine_for, session_scope

EXPECTED_TABLES = {
    "clinics", "staff_users", "kiosk_devices", "api_keys", "consultations", "consent_records", "messages",
    "guardrail_events", "analyses", "lesions", "booking_items", "slots", "bookings", "audit_log",
    "idempotency_keys", "rate_limit_buckets",
}


def test_migration_creates_every_table_and_downgrades(db_url: str) -> None:
    tables = set(inspect(engine_for(db_url)).get_table_names())
    assert tables >= EXPECTED_TABLES
    downgrade(db_url, "base")
    assert not (set(inspect(engine_for(db_url)).get_table_names()) & EXPECTED_TABLES)
    upgrade(db_url)
    assert set(inspect(engine_for(db_url)).get_table_names()) >= EXPECTED_TABLES


def test_sqlite_runs_in_wal_mode_with_foreign_keys(settings_factory, tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'wal.db'}"
    upgrade(url)
    with engine_for(url).connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def _slot(db_url: str) -> str:
    with session_scope(db_url) as db:
        db.add(Clinic(id="c1", name="Clinic"))
        db.flush()
        item = BookingItem(clinic_id="c1", code="consult", name_ko="상담", name_en="Consult", duration_minutes=30)
        db.add(item)
        db.flush()
        start = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
        slot = Slot(clinic_id="c1", item_id=item.id, starts_at=start, ends_at=start + timedelta(minutes=30))
        db.add(slot)
        db.flush()
        return slot.id


def test_the_database_itself_refuses_a_double_booking(db_url: str) -> None:
    slot_id = _slot(db_url)
    with session_scope(db_url) as db:
        db.add(Booking(clinic_id="c1", slot_id=slot_id, seat=1, code="HN-AAAAAA", visitor_name="김민지",
                       visitor_phone="01012345678"))
    with pytest.raises(IntegrityError), session_scope(db_url) as db:
        db.add(Booking(clinic_id="c1", slot_id=slot_id, seat=1, code="HN-BBBBBB", visitor_name="이서준",
                       visitor_phone="01098765432"))
    with session_scope(db_url) as db:
        assert len(db.scalars(select(Booking)).all()) == 1  # the failed insert left nothing behind


def test_cancelled_bookings_release_their_seat(db_url: str) -> None:
    slot_id = _slot(db_url)
    with session_scope(db_url) as db:
        first = Booking(clinic_id="c1", slot_id=slot_id, seat=1, code="HN-CCCCCC", visitor_name="a",
                        visitor_phone="01011112222")
        db.add(first)
        db.flush()
        first.status, first.seat = "cancelled", None
    with session_scope(db_url) as db:
        db.add(Booking(clinic_id="c1", slot_id=slot_id, seat=1, code="HN-DDDDDD", visitor_name="b",
                       visitor_phone="01033334444"))
    with session_scope(db_url) as db:
        assert {b.status for b in db.scalars(select(Booking))} == {"cancelled", "confirmed"}


def test_deleting_a_consultation_removes_its_messages(db_url: str) -> None:
    with session_scope(db_url) as db:
        db.add(Clinic(id="c2", name="Clinic 2"))
        db.flush()
        consultation = Consultation(clinic_id="c2", expires_at=datetime.now(UTC) + timedelta(hours=1))
        db.add(consultation)
        db.flush()
        db.add(Message(consultation_id=consultation.id, role="user", content="안녕하세요"))
        cid = consultation.id
    with session_scope(db_url) as db:
        db.delete(db.get(Consultation, cid))
    with session_scope(db_url) as db:
        assert db.scalars(select(Message)).all() == []
