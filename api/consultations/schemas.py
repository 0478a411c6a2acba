"""Request and response shapes for visitor sessions."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Language = Literal["ko", "en"]


class ConsentChoices(BaseModel):
    model_config = ConfigDict(extra="forbid")
    photo_storage: bool = False
    text_version: str = Field("v1", min_length=1, max_length=20)


class ConsultationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    language: Language = "ko"
    channel: Literal["kiosk", "web"] = "kiosk"
    consents: ConsentChoices = Field(default_factory=ConsentChoices)


class ConsentOut(BaseModel):
    purpose: str
    granted: bool
    text_version: str
    retention_days: int
    created_at: datetime


class ConsultationOut(BaseModel):
    id: str
    clinic_id: str
    language: Language
    channel: str
    status: str
    flagged: bool
    outcome: str
    created_at: datetime
    last_activity_at: datetime
    expires_at: datetime
    consents: list[ConsentOut]


class MessageOut(BaseModel):
    id: str
    role: str
    content: str
    language: str
    citations: list[dict]
    abstained: bool
    blocked: bool
    created_at: datetime


class TranscriptOut(BaseModel):
    consultation_id: str
    messages: list[MessageOut]
