"""Request and response shapes for the chat."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from api.booking.schemas import BookingOffer
from api.consultations.schemas import MessageOut


class MessageIn(BaseModel):
    # No length limits here on purpose: empty and over-long texts get their own stable codes
    # (message_empty / message_too_long) from the service instead of a generic validation_error.
    model_config = ConfigDict(extra="forbid")
    content: str


class GuardrailOut(BaseModel):
    category: str | None
    action: str
    reason: str
    escalate: bool


class ChatReply(BaseModel):
    consultation_id: str
    user_message_id: str
    message: MessageOut
    citations: list[dict]
    abstained: bool
    guardrail: GuardrailOut | None
    booking_offer: BookingOffer | None
