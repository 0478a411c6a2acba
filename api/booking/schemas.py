"""Request and response shapes for booking."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class BookingItemOut(BaseModel):
    code: str
    name_ko: str
    name_en: str
    duration_minutes: int
    capacity: int
    room: str
    price_krw: int | None


class ItemsOut(BaseModel):
    items: list[BookingItemOut]


class SlotOut(BaseModel):
    slot_id: str
    starts_at: datetime
    ends_at: datetime
    date: date
    local_time: str
    capacity: int
    seats_left: int


class SlotsOut(BaseModel):
    item: BookingItemOut
    date_from: date
    date_to: date
    slots: list[SlotOut]


class ReserveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    slot_id: str = Field(min_length=1, max_length=64)
    name: str = Field(max_length=100)
    phone: str = Field(max_length=40)
    consultation_id: str | None = Field(None, max_length=64)
    note: str = Field("", max_length=500)


class PhoneIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    phone: str = Field(max_length=40)


class RescheduleIn(PhoneIn):
    slot_id: str = Field(min_length=1, max_length=64)


class BookingOut(BaseModel):
    code: str
    status: str
    item: BookingItemOut
    starts_at: datetime
    ends_at: datetime
    local_date: date
    local_time: str
    name: str
    phone_masked: str
    hold_expires_at: datetime | None
    created_at: datetime


class StaffBookingOut(BookingOut):
    phone: str
    consultation_id: str | None


class DayBookingsOut(BaseModel):
    date: date
    bookings: list[StaffBookingOut]


class BookingOffer(BaseModel):
    item: BookingItemOut
    date: date
    part_of_day: str | None
    slots: list[SlotOut]
