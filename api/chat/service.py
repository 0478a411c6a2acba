"""The chat: validate, answer (RAG assistant, or a booking offer), store masked, record guardrail events.

The unit of work is split on purpose: the consultation is checked and the history read in one short
transaction, the (slow) answer is produced with no transaction open, and both messages, the guardrail
events and the flag are written together at the end, so a failed answer leaves nothing half-written.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.auth.principal import Principal
from api.booking import service as booking
from api.chat.intent import BookingIntent, detect
from api.components import Components, unavailable
from api.consultations import service as consultations
from api.db.models import Clinic, GuardrailEvent, Message
from api.errors import ProblemError
from api.metrics.registry import GUARDRAIL_BLOCKS, MESSAGES
from api.settings import Settings
from api.timeutil import local_date, utcnow

log = logging.getLogger("skinchat.chat")

BOOKING_TEXT = {
    "ko": (
        "{date} {part}{item} 예약 가능한 시간입니다: {times}. 원하시는 시간을 선택해 주세요.",
        "{date} {part}{item} 예약 가능한 시간이 없습니다. 다른 날짜나 시간대를 말씀해 주세요.",
    ),
    "en": (
        "Free times for {item} on {date}{part}: {times}. Please choose a time.",
        "There are no free times for {item} on {date}{part}. Please tell me another day or time.",
    ),
}
PART_NAMES = {
    "ko": {"morning": "오전 ", "afternoon": "오후 ", "evening": "저녁 "},
    "en": {"morning": " (morning)", "afternoon": " (afternoon)", "evening": " (evening)"},
}


@dataclass
class Prepared:
    consultation_id: str
    clinic_id: str
    text: str
    language: str
    history: list[Any]
    intent: BookingIntent | None
    venue_kind: str = "clinic"
    urgent_phone: str = ""


@dataclass
class Reply:
    text: str
    citations: list[dict[str, Any]] = field(default_factory=list)
    abstained: bool = False
    blocked: bool = False
    verdict: Any = None
    verdict_direction: str = "input"
    intent: BookingIntent | None = None
    latency_ms: float | None = None


def validate_text(settings: Settings, content: str) -> str:
    text = (content or "").strip()
    if not text:
        raise ProblemError(422, "message_empty", "The message is empty", "Type a question first.")
    if len(text) > settings.max_message_chars:
        raise ProblemError(
            422,
            "message_too_long",
            "The message is too long",
            f"At most {settings.max_message_chars} characters.",
            max_chars=settings.max_message_chars,
        )
    return text


def _language(text: str, fallback: str) -> str:
    try:
        from rag.language import detect_language, hangul_ratio
    except ImportError:
        return fallback
    if fallback == "ko" and hangul_ratio(text) == 0 and sum(c.isalpha() for c in text) >= 8:
        return "en"
    if fallback == "en" and hangul_ratio(text) > 0.3:
        return "ko"
    return fallback if len(text) < 4 else detect_language(text, default=fallback)


def prepare(
    db: Session, settings: Settings, principal: Principal, consultation_id: str, content: str
) -> Prepared:
    text = validate_text(settings, content)
    consultation = consultations.get_active(db, principal, consultation_id)
    rows = (
        db.scalars(
            select(Message)
            .where(Message.consultation_id == consultation.id)
            .order_by(Message.created_at.desc(), Message.id.desc())
            .limit(settings.chat_history_turns * 2)
        ).all()
        if settings.chat_history_turns
        else []
    )
    from rag.answer import Turn

    history = [Turn(m.role, m.content) for m in reversed(rows) if m.role in ("user", "assistant")]
    catalog = booking.catalog_for(settings, consultation.clinic_id)
    intent = detect(text, catalog, local_date(utcnow(), catalog.timezone))
    clinic = db.get(Clinic, consultation.clinic_id)
    prepared = Prepared(
        consultation.id,
        consultation.clinic_id,
        text,
        _language(text, consultation.language),
        history,
        intent,
        clinic.venue_kind if clinic else "clinic",
        clinic.urgent_phone if clinic else "",
    )
    db.rollback()  # end the read transaction before the slow part
    return prepared


def _booking_guard(components: Components, prepared: Prepared) -> bool:
    """A booking request still passes the input rail (an injection can hide in one)."""
    verdict = components.guardrails(
        prepared.clinic_id, prepared.venue_kind, prepared.urgent_phone or None
    ).check_input(prepared.text, prepared.language)
    return bool(getattr(verdict, "allowed", True)) and not getattr(verdict, "escalate", False)


def _assistant(components: Components, prepared: Prepared) -> Any:
    return components.assistant(prepared.clinic_id, prepared.venue_kind, prepared.urgent_phone or None)


def answer(components: Components, prepared: Prepared) -> Reply:
    """The assistant's answer (blocking; call from a worker thread)."""
    try:
        if prepared.intent and _booking_guard(components, prepared):
            return Reply(text="", intent=prepared.intent)
        result = _assistant(components, prepared).answer(prepared.text, prepared.history, prepared.language)
    except ProblemError:
        raise
    except Exception as exc:
        raise unavailable("assistant_unavailable", "assistant", exc) from exc
    return reply_from_answer(result)


def reply_from_answer(result: Any) -> Reply:
    verdict = getattr(result, "guardrail", None)
    timing = getattr(result, "timing_ms", {}) or {}
    direction = "output" if "output_guardrail" in timing and getattr(result, "blocked", False) else "input"
    return Reply(
        text=result.answer,
        citations=[c.to_dict() if hasattr(c, "to_dict") else dict(c) for c in result.citations],
        abstained=bool(result.abstained),
        blocked=bool(result.blocked),
        verdict=verdict,
        verdict_direction=direction,
        latency_ms=timing.get("total"),
    )


def stream(components: Components, prepared: Prepared) -> Iterator[str | Reply]:
    """Text chunks as the assistant produces them, then the Reply."""
    try:
        if prepared.intent and _booking_guard(components, prepared):
            yield Reply(text="", intent=prepared.intent)
            return
        for part in _assistant(components, prepared).stream(
            prepared.text, prepared.history, prepared.language
        ):
            if isinstance(part, str):
                yield part
            else:
                yield reply_from_answer(part)
    except ProblemError:
        raise
    except Exception as exc:
        raise unavailable("assistant_unavailable", "assistant", exc) from exc


def _offer_text(offer: dict[str, Any] | None, intent: BookingIntent, language: str) -> str:
    found, none = BOOKING_TEXT[language]
    item = offer["item"] if offer else {"name_ko": intent.item_code, "name_en": intent.item_code}
    part = PART_NAMES[language].get(intent.part_of_day or "", "")
    times = ", ".join(s["local_time"] for s in (offer or {}).get("slots", []))
    name = item["name_ko"] if language == "ko" else item["name_en"]
    day = (offer or {}).get("date") or (intent.day.isoformat() if intent.day else "")
    template = found if times else none
    if language == "ko":
        return template.format(date=day, part=part, item=name + " ", times=times).replace("  ", " ")
    return template.format(date=day, part=part, item=name, times=times)


def _verdict_event(reply: Reply) -> dict[str, Any] | None:
    verdict = reply.verdict
    if verdict is None:
        return None
    escalate = bool(getattr(verdict, "escalate", False))
    if reply.blocked:
        action = "escalated" if escalate else "blocked"
    elif escalate:
        action = "escalated"
    else:
        action = "masked"
    return {
        "direction": reply.verdict_direction if action != "masked" else "output",
        "category": str(getattr(verdict, "category", None) or "pii"),
        "action": action,
        "reason": str(getattr(verdict, "reason", "") or action)[:300],
        "escalate": escalate,
    }


def persist(
    db: Session,
    settings: Settings,
    components: Components,
    principal: Principal,
    prepared: Prepared,
    reply: Reply,
) -> dict[str, Any]:
    """Write both messages (masked), the guardrail events and the flag in one transaction."""
    consultation = consultations.get_active(db, principal, prepared.consultation_id)
    clinic = db.get(Clinic, consultation.clinic_id)
    keep = tuple(p for p in ((clinic.urgent_phone if clinic else ""),) if p)
    offer = None
    if reply.intent is not None:
        offer = booking.offer(
            db,
            settings,
            consultation.clinic_id,
            reply.intent.item_code,
            reply.intent.day,
            reply.intent.part_of_day,
        )
        reply.text = _offer_text(offer, reply.intent, prepared.language)
    now = utcnow()
    masked_user = components.mask_pii(prepared.text)
    user = Message(
        consultation_id=consultation.id,
        role="user",
        content=masked_user,
        language=prepared.language,
        created_at=now,
    )
    db.add(user)
    db.flush()
    assistant = Message(
        consultation_id=consultation.id,
        role="assistant",
        content=components.mask_pii(reply.text, keep=keep, landlines=False),
        language=prepared.language,
        citations=reply.citations,
        abstained=reply.abstained,
        blocked=reply.blocked,
        latency_ms=reply.latency_ms,
        created_at=now + timedelta(microseconds=1),
    )
    db.add(assistant)
    db.flush()
    events: list[dict[str, Any]] = []
    if masked_user != prepared.text:
        events.append(
            {
                "direction": "input",
                "category": "pii",
                "action": "masked",
                "reason": "personal data masked before storage",
                "escalate": False,
            }
        )
    if (verdict_event := _verdict_event(reply)) is not None and not (
        verdict_event["category"] == "pii" and verdict_event["action"] == "masked" and events
    ):
        events.append(verdict_event)
    for event in events:
        db.add(
            GuardrailEvent(
                consultation_id=consultation.id,
                message_id=user.id if event["direction"] == "input" else assistant.id,
                direction=event["direction"],
                category=event["category"][:20],
                action=event["action"],
                reason=event["reason"],
            )
        )
        if event["action"] in ("blocked", "escalated"):
            consultation.flagged = True
            consultation.flag_reason = event["category"][:200]
            GUARDRAIL_BLOCKS.labels(category=event["category"]).inc()
    consultations.touch(consultation, settings, now)
    consultations.advance_outcome(consultation, "chat")
    out = {
        "consultation_id": consultation.id,
        "user_message_id": user.id,
        "message": consultations.message_out(assistant),
        "citations": reply.citations,
        "abstained": reply.abstained,
        "guardrail": next(
            (
                {k: e[k] for k in ("category", "action", "reason", "escalate")}
                for e in events
                if e["action"] != "masked"
            ),
            next(({k: e[k] for k in ("category", "action", "reason", "escalate")} for e in events), None),
        ),
        "booking_offer": offer,
    }
    db.commit()
    outcome = (
        "booking_offer"
        if offer is not None
        else "blocked"
        if reply.blocked
        else "abstained"
        if reply.abstained
        else "answered"
    )
    MESSAGES.labels(outcome=outcome).inc()
    return out
