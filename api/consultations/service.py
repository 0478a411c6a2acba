"""Visitor sessions: create (with consent records), look up for the calling kiosk, expire after inactivity."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api import idempotency
from api.auth.principal import Principal
from api.consultations.schemas import ConsultationCreate, ConsultationOut, MessageOut, TranscriptOut
from api.db.models import ConsentRecord, Consultation, Message
from api.errors import ProblemError
from api.settings import Settings
from api.timeutil import aware, utcnow

OUTCOMES = ("none", "analysis", "chat", "booking")
PHOTO_CONSENT = "photo_storage"


def not_found() -> ProblemError:
    return ProblemError(
        404, "consultation_not_found", "Consultation not found", "No such consultation for this clinic."
    )


def visible_to(principal: Principal, consultation: Consultation | None) -> bool:
    """Same clinic; a kiosk sees only the sessions it started."""
    if consultation is None or consultation.clinic_id != principal.clinic_id:
        return False
    return not (principal.kind == "kiosk" and consultation.kiosk_device_id != principal.id)


def get_visible(db: Session, principal: Principal, consultation_id: str) -> Consultation:
    consultation = db.get(Consultation, consultation_id)
    if not visible_to(principal, consultation):
        raise not_found()
    return consultation  # type: ignore[return-value]


def get_active(
    db: Session, principal: Principal, consultation_id: str, now: datetime | None = None
) -> Consultation:
    """The consultation, or 404 / 410 ``consultation_expired`` when its inactivity window has passed."""
    consultation = get_visible(db, principal, consultation_id)
    now = now or utcnow()
    if consultation.status != "active" or aware(consultation.expires_at) <= now:  # type: ignore[operator]
        raise ProblemError(
            410, "consultation_expired", "This consultation has ended", "Start a new consultation."
        )
    return consultation


def touch(consultation: Consultation, settings: Settings, now: datetime | None = None) -> None:
    now = now or utcnow()
    consultation.last_activity_at = now
    consultation.expires_at = now + timedelta(minutes=settings.consultation_ttl_minutes)


def advance_outcome(consultation: Consultation, outcome: str) -> None:
    """The outcome is the furthest funnel step reached; it never goes back."""
    if OUTCOMES.index(outcome) > OUTCOMES.index(consultation.outcome or "none"):
        consultation.outcome = outcome


def has_photo_consent(db: Session, consultation_id: str) -> bool:
    row = db.scalar(
        select(ConsentRecord).where(
            ConsentRecord.consultation_id == consultation_id,
            ConsentRecord.purpose == PHOTO_CONSENT,
            ConsentRecord.granted.is_(True),
            ConsentRecord.withdrawn_at.is_(None),
        )
    )
    return row is not None


def to_out(db: Session, consultation: Consultation) -> dict[str, Any]:
    consents = db.scalars(
        select(ConsentRecord)
        .where(ConsentRecord.consultation_id == consultation.id)
        .order_by(ConsentRecord.created_at)
    ).all()
    return ConsultationOut(
        id=consultation.id,
        clinic_id=consultation.clinic_id,
        language=consultation.language,  # type: ignore[arg-type]
        channel=consultation.channel,
        status=_status(consultation),
        flagged=consultation.flagged,
        outcome=consultation.outcome,
        created_at=aware(consultation.created_at),  # type: ignore[arg-type]
        last_activity_at=aware(consultation.last_activity_at),  # type: ignore[arg-type]
        expires_at=aware(consultation.expires_at),  # type: ignore[arg-type]
        consents=[
            {
                "purpose": c.purpose,
                "granted": c.granted,
                "text_version": c.text_version,
                "retention_days": c.retention_days,
                "created_at": aware(c.created_at),
            }
            for c in consents
        ],
    ).model_dump(mode="json")


def _status(consultation: Consultation) -> str:
    if consultation.status == "active" and aware(consultation.expires_at) <= utcnow():  # type: ignore[operator]
        return "expired"
    return consultation.status


def create(
    db: Session, settings: Settings, principal: Principal, body: ConsultationCreate, idem_key: str | None
) -> tuple[int, dict[str, Any]]:
    request_hash = idempotency.fingerprint(body.model_dump())
    if idem_key and (
        replay := idempotency.find(db, principal.clinic_id, "consultation", idem_key, request_hash)
    ):
        return replay.status_code, replay.body
    now = utcnow()
    consultation = Consultation(
        clinic_id=principal.clinic_id,
        channel=body.channel,
        language=body.language,
        kiosk_device_id=principal.id if principal.kind == "kiosk" else None,
        status="active",
        created_at=now,
    )
    touch(consultation, settings, now)
    db.add(consultation)
    db.flush()
    db.add(
        ConsentRecord(
            consultation_id=consultation.id,
            purpose=PHOTO_CONSENT,
            granted=body.consents.photo_storage,
            text_version=body.consents.text_version,
            retention_days=settings.retention_days,
            created_at=now,
        )
    )
    db.flush()
    out = to_out(db, consultation)
    replay = idempotency.commit_or_replay(db, principal.clinic_id, "consultation", idem_key, request_hash, 201, out)
    return (replay.status_code, replay.body) if replay is not None else (201, out)


def message_out(message: Message) -> dict[str, Any]:
    return MessageOut(
        id=message.id,
        role=message.role,
        content=message.content,
        language=message.language,
        citations=message.citations or [],
        abstained=message.abstained,
        blocked=message.blocked,
        created_at=aware(message.created_at),
    ).model_dump(mode="json")  # type: ignore[arg-type]


def transcript(db: Session, consultation: Consultation) -> dict[str, Any]:
    messages = db.scalars(
        select(Message)
        .where(Message.consultation_id == consultation.id)
        .order_by(Message.created_at, Message.id)
    ).all()
    return TranscriptOut(
        consultation_id=consultation.id, messages=[message_out(m) for m in messages]
    ).model_dump(mode="json")
