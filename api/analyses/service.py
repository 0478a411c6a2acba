"""Photo analysis: decode and check the photo, run the detector, recommend, and keep files only with consent.

Without consent nothing of the photo is written anywhere: only the counts, grade and lesion boxes are
stored. With consent the (metadata-free) photo and the overlay are kept until ``retain_until``.
"""

from __future__ import annotations

import base64
import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.analyses import storage
from api.analyses.schemas import AnalysisOut
from api.auth.principal import Principal
from api.components import Components, unavailable
from api.consultations import service as consultations
from api.db.base import new_id
from api.db.models import Analysis, ConsentRecord, Lesion
from api.errors import ProblemError
from api.metrics.registry import ANALYSES
from api.settings import Settings
from api.timeutil import aware, utcnow

log = logging.getLogger("skinchat.analyses")

DISCLAIMER = {
    "ko": "사진 분석 결과는 참고용이며 진단이 아닙니다. 정확한 판단은 피부과 전문의 상담이 필요합니다.",
    "en": "The photo analysis is for reference only, not a diagnosis. A dermatologist must confirm it.",
}


def not_found() -> ProblemError:
    return ProblemError(404, "analysis_not_found", "Analysis not found", "No such analysis for this clinic.")


def decode(settings: Settings, data: bytes) -> Any:
    from vision.photo import PhotoRejected, load_photo

    try:
        return load_photo(data, max_bytes=settings.max_upload_bytes, max_pixels=settings.max_image_pixels)
    except PhotoRejected as exc:
        raise ProblemError(
            422,
            exc.code,
            "The photo cannot be analysed",
            exc.message_en,
            message_ko=exc.message_ko,
            message_en=exc.message_en,
        ) from None


def check_answers(answers: dict[str, Any] | None) -> None:
    """Refuse a bad questionnaire before the photo is analysed, with the recommender's own stable code."""
    if not answers:
        return
    from rag.recommend.profile import ProfileError, build_profile

    try:
        build_profile({"counts": {}, "grade": {"level": 0}}, answers)
    except ProfileError as exc:
        raise ProblemError(422, exc.code, "The questionnaire answers are not valid", exc.message) from None


def _recommend(
    components: Components,
    clinic_id: str,
    counts: dict[str, int],
    level: int,
    language: str,
    answers: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Recommendations are a bonus to the analysis: if they fail the visitor still gets the result.

    The questionnaire (pregnancy, sensitivity, allergies, budget) is what lets the safety filters apply.
    """
    try:
        recs = components.recommender(clinic_id).recommend(
            {"counts": counts, "grade": {"level": level}}, answers, language=language
        )
        return recs.to_dict()
    except Exception as exc:
        log.error("recommender failed: %s: %s", type(exc).__name__, exc)
        return {"items": [], "excluded": [], "error": "recommender_unavailable"}


def analyze(
    db: Session,
    settings: Settings,
    components: Components,
    principal: Principal,
    consultation_id: str,
    data: bytes,
    consent: bool,
    overlay_mode: str,
    consent_text_version: str = "v1",
    answers: dict[str, Any] | None = None,
) -> dict[str, Any]:
    check_answers(answers)
    consultation = consultations.get_active(db, principal, consultation_id)
    language = consultation.language
    db.rollback()  # no transaction open during decoding and detection
    image = decode(settings, data)
    try:
        detector = components.detector()
        result = detector.analyze(image)
        overlay_png = storage.encode(result.overlay(), "PNG")
    except ProblemError:
        raise
    except Exception as exc:
        raise unavailable("detector_unavailable", "detector", exc) from exc
    counts = {str(k): int(v) for k, v in result.counts.items()}
    recommendations = _recommend(
        components, principal.clinic_id, counts, int(result.grade.level), language, answers
    )

    now = utcnow()
    analysis_id = new_id()
    photo_path = overlay_path = None
    if consent:
        photo_file, overlay_file = storage.paths_for(
            settings.photos_dir, principal.clinic_id, analysis_id, now
        )
        storage.write_atomic(photo_file, storage.encode(image, "JPEG"))
        storage.write_atomic(overlay_file, overlay_png)
        photo_path = storage.relative(settings.photos_dir, photo_file)
        overlay_path = storage.relative(settings.photos_dir, overlay_file)
    try:
        consultation = consultations.get_active(db, principal, consultation_id, now)
        retention = settings.retention_days
        if consent:
            granted = db.scalar(
                select(ConsentRecord).where(
                    ConsentRecord.consultation_id == consultation.id,
                    ConsentRecord.purpose == "photo_storage",
                    ConsentRecord.granted.is_(True),
                    ConsentRecord.withdrawn_at.is_(None),
                )
            )
            if granted is None:
                db.add(
                    ConsentRecord(
                        consultation_id=consultation.id,
                        purpose="photo_storage",
                        granted=True,
                        text_version=consent_text_version,
                        retention_days=retention,
                    )
                )
            else:
                retention = granted.retention_days
        analysis = Analysis(
            id=analysis_id,
            clinic_id=principal.clinic_id,
            consultation_id=consultation.id,
            consent_given=consent,
            photo_path=photo_path,
            overlay_path=overlay_path,
            width=int(result.width),
            height=int(result.height),
            counts=counts,
            grade_level=int(result.grade.level),
            grade_name=str(result.grade.name),
            timing_ms={k: round(float(v), 1) for k, v in (result.timing_ms or {}).items()},
            recommendations=recommendations,
            retain_until=now + timedelta(days=retention) if consent else None,
            created_at=now,
        )
        analysis.lesions = [
            Lesion(
                label=lesion.label,
                confidence=float(lesion.confidence),
                x1=float(lesion.box[0]),
                y1=float(lesion.box[1]),
                x2=float(lesion.box[2]),
                y2=float(lesion.box[3]),
            )
            for lesion in result.lesions
        ]
        db.add(analysis)
        consultations.touch(consultation, settings, now)
        consultations.advance_outcome(consultation, "analysis")
        db.flush()
        out = to_out(
            analysis,
            language,
            overlay_png if overlay_mode == "inline" else None,
            grade_name_ko=str(getattr(result.grade, "name_ko", "")),
        )
        db.commit()
    except BaseException:
        db.rollback()
        storage.delete_files(settings.photos_dir, photo_path, overlay_path)
        raise
    ANALYSES.labels(photo_stored=str(consent).lower()).inc()
    return out


def recommend_again(
    db: Session,
    components: Components,
    principal: Principal,
    analysis_id: str,
    answers: dict[str, Any],
    language: str | None,
) -> dict[str, Any]:
    """After the kiosk's short questionnaire: the same findings, re-ranked and re-filtered for this visitor."""
    check_answers(answers)
    analysis = get_for_visitor(db, principal, analysis_id)
    lang = language or language_of(db, analysis)
    analysis.recommendations = _recommend(
        components, principal.clinic_id, dict(analysis.counts or {}), analysis.grade_level, lang, answers
    )
    db.commit()
    return analysis.recommendations


GRADE_NAMES_KO = {0: "경증", 1: "중등도", 2: "중증", 3: "매우 중증"}


def to_out(
    analysis: Analysis,
    language: str,
    overlay_png: bytes | None = None,
    staff: bool = False,
    grade_name_ko: str = "",
) -> dict[str, Any]:
    stored = bool(analysis.overlay_path) and analysis.photo_deleted_at is None
    prefix = "/v1/staff/analyses" if staff else "/v1/analyses"
    return AnalysisOut(
        id=analysis.id,
        consultation_id=analysis.consultation_id,
        width=analysis.width,
        height=analysis.height,
        lesions=[
            {"label": x.label, "confidence": round(x.confidence, 4), "box": [x.x1, x.y1, x.x2, x.y2]}
            for x in analysis.lesions
        ],
        counts=analysis.counts or {},
        grade={
            "level": analysis.grade_level,
            "name": analysis.grade_name,
            "name_ko": grade_name_ko or GRADE_NAMES_KO.get(analysis.grade_level, ""),
        },
        overlay={
            "png_base64": base64.b64encode(overlay_png).decode() if overlay_png else None,
            "url": f"{prefix}/{analysis.id}/overlay.png" if stored else None,
        },
        photo_stored=stored,
        retain_until=aware(analysis.retain_until) if stored else None,
        recommendations=analysis.recommendations or {},
        timing_ms=analysis.timing_ms or {},
        disclaimer=DISCLAIMER.get(language, DISCLAIMER["ko"]),
        created_at=aware(analysis.created_at),
        photo_deleted_at=aware(analysis.photo_deleted_at),
    ).model_dump(mode="json")


def get_for_visitor(db: Session, principal: Principal, analysis_id: str) -> Analysis:
    analysis = db.get(Analysis, analysis_id)
    if analysis is None or analysis.clinic_id != principal.clinic_id:
        raise not_found()
    from api.db.models import Consultation

    if not consultations.visible_to(principal, db.get(Consultation, analysis.consultation_id)):
        raise not_found()
    return analysis


def get_for_staff(db: Session, principal: Principal, analysis_id: str) -> Analysis:
    analysis = db.get(Analysis, analysis_id)
    if analysis is None or analysis.clinic_id != principal.clinic_id:
        raise not_found()
    return analysis


def stored_file(settings: Settings, analysis: Analysis, which: str) -> bytes:
    path = analysis.overlay_path if which == "overlay" else analysis.photo_path
    target = storage.inside(settings.photos_dir, path) if analysis.photo_deleted_at is None else None
    if target is None:
        raise ProblemError(
            404,
            f"{which}_not_stored",
            f"The {which} was not kept",
            "No consent was given, or it was deleted.",
        )
    return target.read_bytes()


def language_of(db: Session, analysis: Analysis) -> str:
    from api.db.models import Consultation

    consultation = db.get(Consultation, analysis.consultation_id)
    return consultation.language if consultation else "ko"
