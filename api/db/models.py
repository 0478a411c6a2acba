"""What the product stores. One module so the whole schema can be read at once; services own the logic.

Times are stored as timezone-aware UTC. Personal data in free text (messages) is masked before it gets here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.db.base import Base, new_id, utcnow


def _id() -> Mapped[str]:
    return mapped_column(String(32), primary_key=True, default=new_id)


def _created() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)


class Clinic(Base):
    """A tenant: a clinic, or a hotel/spa/diet-centre venue that works with clinics (stricter brokerage rules)."""

    __tablename__ = "clinics"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    venue_kind: Mapped[str] = mapped_column(String(20), default="clinic")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Seoul")
    urgent_phone: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = _created()
    __table_args__ = (CheckConstraint("venue_kind IN ('clinic','hotel','spa','diet_centre')", name="venue_kind"),)


class StaffUser(Base):
    __tablename__ = "staff_users"
    id: Mapped[str] = _id()
    clinic_id: Mapped[str] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    display_name: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(10), default="staff")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = _created()
    __table_args__ = (
        UniqueConstraint("clinic_id", "email"),
        CheckConstraint("role IN ('staff','admin')", name="role"),
    )


class KioskDevice(Base):
    """A lobby kiosk. Its token may create consultations, analyses, messages and bookings, never read logs."""

    __tablename__ = "kiosk_devices"
    id: Mapped[str] = _id()
    clinic_id: Mapped[str] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = _created()
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ApiKey(Base):
    """An integration key for another clinic system (CRM, front desk)."""

    __tablename__ = "api_keys"
    id: Mapped[str] = _id()
    clinic_id: Mapped[str] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = _created()
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Consultation(Base):
    """One visitor session, from the welcome screen to the booking (or the idle timeout)."""

    __tablename__ = "consultations"
    id: Mapped[str] = _id()
    clinic_id: Mapped[str] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), index=True)
    kiosk_device_id: Mapped[str | None] = mapped_column(ForeignKey("kiosk_devices.id", ondelete="SET NULL"))
    channel: Mapped[str] = mapped_column(String(10), default="kiosk")
    language: Mapped[str] = mapped_column(String(2), default="ko")
    status: Mapped[str] = mapped_column(String(10), default="active")
    flagged: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    flag_reason: Mapped[str] = mapped_column(String(200), default="")
    outcome: Mapped[str] = mapped_column(String(20), default="none")
    created_at: Mapped[datetime] = _created()
    last_activity_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    messages: Mapped[list[Message]] = relationship(
        back_populates="consultation", order_by="Message.created_at", cascade="all, delete-orphan"
    )
    __table_args__ = (
        CheckConstraint("language IN ('ko','en')", name="language"),
        CheckConstraint("status IN ('active','closed','expired')", name="status"),
    )


class ConsentRecord(Base):
    """What the visitor agreed to, with the wording version and how long the photo may be kept."""

    __tablename__ = "consent_records"
    id: Mapped[str] = _id()
    consultation_id: Mapped[str] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(40))
    granted: Mapped[bool] = mapped_column(Boolean)
    text_version: Mapped[str] = mapped_column(String(20), default="v1")
    retention_days: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = _created()
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Message(Base):
    __tablename__ = "messages"
    id: Mapped[str] = _id()
    consultation_id: Mapped[str] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(10))
    content: Mapped[str] = mapped_column(Text)  # always masked
    language: Mapped[str] = mapped_column(String(2), default="ko")
    citations: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    abstained: Mapped[bool] = mapped_column(Boolean, default=False)
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    latency_ms: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = _created()
    consultation: Mapped[Consultation] = relationship(back_populates="messages")
    __table_args__ = (CheckConstraint("role IN ('user','assistant','system')", name="role"),)


class GuardrailEvent(Base):
    __tablename__ = "guardrail_events"
    id: Mapped[str] = _id()
    consultation_id: Mapped[str] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    message_id: Mapped[str | None] = mapped_column(ForeignKey("messages.id", ondelete="SET NULL"))
    direction: Mapped[str] = mapped_column(String(6))
    category: Mapped[str] = mapped_column(String(20), index=True)
    action: Mapped[str] = mapped_column(String(10))  # blocked | masked | escalated
    reason: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = _created()


class Analysis(Base):
    """One photo analysis. The photo and overlay files exist only with consent, until ``retain_until``."""

    __tablename__ = "analyses"
    id: Mapped[str] = _id()
    clinic_id: Mapped[str] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), index=True)
    consultation_id: Mapped[str] = mapped_column(ForeignKey("consultations.id", ondelete="CASCADE"), index=True)
    consent_given: Mapped[bool] = mapped_column(Boolean)
    photo_path: Mapped[str | None] = mapped_column(String(500))
    overlay_path: Mapped[str | None] = mapped_column(String(500))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    grade_level: Mapped[int] = mapped_column(Integer)
    grade_name: Mapped[str] = mapped_column(String(20))
    timing_ms: Mapped[dict[str, float]] = mapped_column(JSON, default=dict)
    recommendations: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    retain_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    photo_deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = _created()
    lesions: Mapped[list[Lesion]] = relationship(cascade="all, delete-orphan")
    __table_args__ = (CheckConstraint("grade_level BETWEEN 0 AND 3", name="grade_level"),)


class Lesion(Base):
    __tablename__ = "lesions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    analysis_id: Mapped[str] = mapped_column(ForeignKey("analyses.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(40))
    confidence: Mapped[float] = mapped_column(Float)
    x1: Mapped[float] = mapped_column(Float)
    y1: Mapped[float] = mapped_column(Float)
    x2: Mapped[float] = mapped_column(Float)
    y2: Mapped[float] = mapped_column(Float)


class BookingItem(Base):
    """Something a visitor can book (a consultation or a procedure), with how long it takes and where."""

    __tablename__ = "booking_items"
    id: Mapped[str] = _id()
    clinic_id: Mapped[str] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    name_ko: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100))
    duration_minutes: Mapped[int] = mapped_column(Integer)
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    room: Mapped[str] = mapped_column(String(40), default="")
    price_krw: Mapped[int | None] = mapped_column(Integer)
    __table_args__ = (UniqueConstraint("clinic_id", "code"), CheckConstraint("capacity >= 1", name="capacity"))


class Slot(Base):
    """A bookable time for one item. ``capacity`` seats; each seat can hold one active booking."""

    __tablename__ = "slots"
    id: Mapped[str] = _id()
    clinic_id: Mapped[str] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("booking_items.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    __table_args__ = (UniqueConstraint("item_id", "starts_at"),)


class Booking(Base):
    """A reservation. Double booking is impossible by the unique (slot, seat): a cancelled booking gives up its seat."""

    __tablename__ = "bookings"
    id: Mapped[str] = _id()
    clinic_id: Mapped[str] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), index=True)
    slot_id: Mapped[str] = mapped_column(ForeignKey("slots.id", ondelete="RESTRICT"), index=True)
    seat: Mapped[int | None] = mapped_column(Integer)
    consultation_id: Mapped[str | None] = mapped_column(ForeignKey("consultations.id", ondelete="SET NULL"))
    code: Mapped[str] = mapped_column(String(12), unique=True)
    visitor_name: Mapped[str] = mapped_column(String(100))
    visitor_phone: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(12), default="confirmed")
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = _created()
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    __table_args__ = (
        UniqueConstraint("slot_id", "seat"),
        CheckConstraint("status IN ('held','confirmed','cancelled')", name="status"),
    )


class AuditLog(Base):
    """Every staff read of a transcript and every staff change, for the clinic's privacy officer."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    clinic_id: Mapped[str] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[str] = mapped_column(String(64), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = _created()


class IdempotencyKey(Base):
    """Replayed POSTs return the first response; kept in the database so any replica can answer."""

    __tablename__ = "idempotency_keys"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    clinic_id: Mapped[str] = mapped_column(ForeignKey("clinics.id", ondelete="CASCADE"), primary_key=True)
    status_code: Mapped[int] = mapped_column(Integer)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = _created()


class RateLimitBucket(Base):
    """Fixed-window request counters shared by all replicas."""

    __tablename__ = "rate_limit_buckets"
    key: Mapped[str] = mapped_column(String(120), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
