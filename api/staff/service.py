"""What staff see: conversations (flagged first), masked transcripts, analyses, bookings, exports.

Every read of a transcript, an analysis or an export is written to the audit log in the same transaction.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api import audit
from api.analyses import service as analyses
from api.analyses import storage
from api.auth.principal import Principal
from api.booking import service as booking
from api.consultations import service as consultations
from api.db.models import Analysis, Booking, Consultation, GuardrailEvent, KioskDevice, Message
from api.metrics.service import date_range
from api.settings import Settings
from api.staff.schemas import ConversationDetail, ConversationList, ConversationSummary
from api.timeutil import MIN_DAY, aware, local_day_bounds, utcnow

EXPORT_LIMIT = 50_000


def _filtered(settings: Settings, principal: Principal, filters: dict[str, Any]) -> Any:
    query = select(Consultation).where(Consultation.clinic_id == principal.clinic_id)
    if filters.get("flagged") is not None:
        query = query.where(Consultation.flagged.is_(bool(filters["flagged"])))
    if filters.get("date_from") or filters.get("date_to"):
        date_from, date_to, tz = date_range(
            settings,
            principal.clinic_id,
            filters.get("date_from") or MIN_DAY,
            filters.get("date_to"),
            max_days=None,
        )
        start, end = local_day_bounds(date_from, date_to, tz)
        query = query.where(Consultation.created_at >= start, Consultation.created_at < end)
    for column in ("language", "outcome", "kiosk_device_id"):
        if filters.get(column):
            query = query.where(getattr(Consultation, column) == filters[column])
    if filters.get("guardrail_category"):
        query = query.where(
            Consultation.id.in_(
                select(GuardrailEvent.consultation_id).where(
                    GuardrailEvent.category == filters["guardrail_category"]
                )
            )
        )
    return query


def _aggregates(db: Session, ids: list[str]) -> dict[str, dict[str, Any]]:
    agg: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"messages": 0, "categories": set(), "analyses": 0, "bookings": 0}
    )
    if not ids:
        return agg
    for cid, n in db.execute(
        select(Message.consultation_id, func.count())
        .where(Message.consultation_id.in_(ids))
        .group_by(Message.consultation_id)
    ):
        agg[cid]["messages"] = int(n)
    for cid, category in db.execute(
        select(GuardrailEvent.consultation_id, GuardrailEvent.category)
        .where(GuardrailEvent.consultation_id.in_(ids))
        .distinct()
    ):
        agg[cid]["categories"].add(category)
    for cid, n in db.execute(
        select(Analysis.consultation_id, func.count())
        .where(Analysis.consultation_id.in_(ids))
        .group_by(Analysis.consultation_id)
    ):
        agg[cid]["analyses"] = int(n)
    for cid, n in db.execute(
        select(Booking.consultation_id, func.count())
        .where(Booking.consultation_id.in_(ids), Booking.status != "cancelled")
        .group_by(Booking.consultation_id)
    ):
        agg[cid]["bookings"] = int(n)
    return agg


def _summary(c: Consultation, agg: dict[str, Any]) -> dict[str, Any]:
    return ConversationSummary(
        id=c.id,
        created_at=aware(c.created_at),
        language=c.language,
        channel=c.channel,  # type: ignore[arg-type]
        status=consultations._status(c),
        flagged=c.flagged,
        flag_reason=c.flag_reason,
        outcome=c.outcome,
        kiosk_device_id=c.kiosk_device_id,
        message_count=agg["messages"],
        guardrail_categories=sorted(agg["categories"]),
        analyses=agg["analyses"],
        bookings=agg["bookings"],
    ).model_dump(mode="json")


def list_conversations(
    db: Session, settings: Settings, principal: Principal, filters: dict[str, Any], limit: int, offset: int
) -> dict[str, Any]:
    query = _filtered(settings, principal, filters)
    total = db.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.scalars(
        query.order_by(Consultation.flagged.desc(), Consultation.created_at.desc(), Consultation.id)
        .limit(limit)
        .offset(offset)
    ).all()
    agg = _aggregates(db, [c.id for c in rows])
    return ConversationList(total=total, items=[_summary(c, agg[c.id]) for c in rows]).model_dump(mode="json")


def conversation(
    db: Session, settings: Settings, principal: Principal, consultation_id: str
) -> dict[str, Any]:
    c = db.get(Consultation, consultation_id)
    if c is None or c.clinic_id != principal.clinic_id:
        raise consultations.not_found()
    messages = consultations.transcript(db, c)["messages"]
    events = db.scalars(
        select(GuardrailEvent)
        .where(GuardrailEvent.consultation_id == c.id)
        .order_by(GuardrailEvent.created_at)
    ).all()
    rows = db.scalars(
        select(Analysis).where(Analysis.consultation_id == c.id).order_by(Analysis.created_at)
    ).all()
    bookings = db.scalars(
        select(Booking)
        .where(Booking.consultation_id == c.id, Booking.clinic_id == principal.clinic_id)
        .order_by(Booking.created_at)
    ).all()
    out = ConversationDetail(
        consultation=consultations.to_out(db, c),  # type: ignore[arg-type]
        messages=messages,
        guardrail_events=[
            {
                "id": e.id,
                "message_id": e.message_id,
                "direction": e.direction,
                "category": e.category,
                "action": e.action,
                "reason": e.reason,
                "created_at": aware(e.created_at),
            }
            for e in events
        ],
        analyses=[
            {
                "id": a.id,
                "counts": a.counts or {},
                "grade": {"level": a.grade_level, "name": a.grade_name},
                "photo_stored": bool(a.overlay_path) and a.photo_deleted_at is None,
                "created_at": aware(a.created_at),
            }
            for a in rows
        ],
        bookings=[booking._booking_out(db, settings, b, staff=True) for b in bookings],
    ).model_dump(mode="json")
    audit.record(db, principal, "transcript.read", "consultation", c.id, messages=len(messages))
    db.commit()
    return out


def analysis(db: Session, principal: Principal, analysis_id: str) -> dict[str, Any]:
    row = analyses.get_for_staff(db, principal, analysis_id)
    out = analyses.to_out(row, analyses.language_of(db, row), staff=True)
    audit.record(db, principal, "analysis.read", "analysis", row.id)
    db.commit()
    return out


def analysis_file(
    db: Session, settings: Settings, principal: Principal, analysis_id: str, which: str
) -> bytes:
    row = analyses.get_for_staff(db, principal, analysis_id)
    data = analyses.stored_file(settings, row, which)
    audit.record(db, principal, f"{which}.read", "analysis", row.id)
    db.commit()
    return data


def delete_photo(db: Session, settings: Settings, principal: Principal, analysis_id: str) -> dict[str, Any]:
    """On the visitor's request: the files go, the counts and grade stay (they are not a photo)."""
    row = analyses.get_for_staff(db, principal, analysis_id)
    deleted = storage.delete_files(settings.photos_dir, row.photo_path, row.overlay_path)
    now = utcnow()
    row.photo_deleted_at = aware(row.photo_deleted_at) or now
    row.photo_path = row.overlay_path = None
    row.retain_until = None
    audit.record(db, principal, "photo.delete", "analysis", row.id, files_deleted=deleted)
    db.commit()
    return {
        "id": row.id,
        "photo_deleted_at": aware(row.photo_deleted_at).isoformat(),  # type: ignore[union-attr]
        "files_deleted": deleted,
    }


def bookings_for_day(db: Session, settings: Settings, principal: Principal, day: date) -> dict[str, Any]:
    out = booking.bookings_for_day(db, settings, principal, day)
    if principal.kind == "staff":
        audit.record(db, principal, "bookings.read", "day", day.isoformat(), count=len(out["bookings"]))
        db.commit()
    return out


CSV_COLUMNS = (
    "id",
    "created_at",
    "language",
    "channel",
    "kiosk",
    "status",
    "flagged",
    "flag_reason",
    "outcome",
    "messages",
    "analyses",
    "bookings",
    "guardrail_categories",
)


def export_csv(db: Session, settings: Settings, principal: Principal, filters: dict[str, Any]) -> str:
    rows = db.scalars(
        _filtered(settings, principal, filters).order_by(Consultation.created_at).limit(EXPORT_LIMIT)
    ).all()
    agg = _aggregates(db, [c.id for c in rows])
    kiosks = dict(
        db.execute(
            select(KioskDevice.id, KioskDevice.name).where(KioskDevice.clinic_id == principal.clinic_id)
        ).all()
    )
    buffer = io.StringIO()
    buffer.write("\ufeff")  # BOM: Excel opens Korean UTF-8 correctly
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for c in rows:
        a = agg[c.id]
        writer.writerow(
            [
                c.id,
                aware(c.created_at).isoformat(),
                c.language,
                c.channel,  # type: ignore[union-attr]
                kiosks.get(c.kiosk_device_id or "", ""),
                consultations._status(c),
                int(c.flagged),
                c.flag_reason,
                c.outcome,
                a["messages"],
                a["analyses"],
                a["bookings"],
                ";".join(sorted(a["categories"])),
            ]
        )
    audit.record(
        db,
        principal,
        "export.csv",
        "consultations",
        "",
        rows=len(rows),
        filters={k: str(v) for k, v in filters.items() if v is not None},
    )
    db.commit()
    return buffer.getvalue()
