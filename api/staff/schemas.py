"""Response shapes for the staff console."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from api.booking.schemas import StaffBookingOut
from api.consultations.schemas import ConsultationOut, MessageOut


class ConversationSummary(BaseModel):
    id: str
    created_at: datetime
    language: str
    channel: str
    status: str
    flagged: bool
    flag_reason: str
    outcome: str
    kiosk_device_id: str | None
    message_count: int
    guardrail_categories: list[str]
    analyses: int
    bookings: int


class ConversationList(BaseModel):
    total: int
    items: list[ConversationSummary]


class GuardrailEventOut(BaseModel):
    id: str
    message_id: str | None
    direction: str
    category: str
    action: str
    reason: str
    created_at: datetime


class AnalysisSummary(BaseModel):
    id: str
    counts: dict[str, int]
    grade: dict
    photo_stored: bool
    created_at: datetime


class ConversationDetail(BaseModel):
    consultation: ConsultationOut
    messages: list[MessageOut]
    guardrail_events: list[GuardrailEventOut]
    analyses: list[AnalysisSummary]
    bookings: list[StaffBookingOut]
