"""Photo analyses for visitors (kiosk device tokens and clinic API keys)."""

from __future__ import annotations

import json
from typing import Any, Literal

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse, Response

from api.analyses import service
from api.analyses.schemas import AnalysisOut, RecommendAgainIn
from api.auth.principal import VisitorDep
from api.components import ComponentsDep
from api.deps import DbDep, SettingsDep
from api.errors import ProblemError
from api.ratelimit import hit

router = APIRouter(prefix="/analyses", tags=["analyses"])


@router.post("", status_code=201, response_model=AnalysisOut)
def create_analysis(
    principal: VisitorDep,
    db: DbDep,
    settings: SettingsDep,
    components: ComponentsDep,
    photo: UploadFile = File(...),
    consultation_id: str = Form(..., max_length=64),
    consent: bool = Form(False),
    overlay: Literal["inline", "url"] = Form("inline"),
    consent_text_version: str = Form("v1", max_length=20),
    answers: str = Form("", max_length=4000, description="questionnaire as a JSON object (optional)"),
) -> JSONResponse:
    """Sync on purpose: FastAPI runs it in its threadpool, so decoding and detection never block the loop."""
    hit(settings.resolved_database_url, f"analysis:{principal.id}", settings.rate_limit_per_minute)
    data = photo.file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise ProblemError(
            413, "payload_too_large", "The photo is too large", f"At most {settings.max_upload_bytes} bytes."
        )
    out = service.analyze(
        db, settings, components, principal, consultation_id, data, consent, overlay, consent_text_version,
        answers=_parse_answers(answers),
    )
    return JSONResponse(out, status_code=201)


def _parse_answers(raw: str) -> dict[str, Any] | None:
    if not raw.strip():
        return None
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        value = None
    if not isinstance(value, dict):
        raise ProblemError(422, "answers_invalid", "The questionnaire answers are not valid",
                           "answers must be a JSON object")
    return value


@router.post("/{analysis_id}/recommendations")
def recommend_again(
    analysis_id: str, body: RecommendAgainIn, principal: VisitorDep, db: DbDep, components: ComponentsDep
) -> dict[str, Any]:
    """Re-rank the suggestions with the visitor's questionnaire (skin type, pregnancy, allergies, budget)."""
    return service.recommend_again(db, components, principal, analysis_id, body.answers, body.language)


@router.get("/{analysis_id}", response_model=AnalysisOut)
def get_analysis(analysis_id: str, principal: VisitorDep, db: DbDep) -> dict:
    analysis = service.get_for_visitor(db, principal, analysis_id)
    return service.to_out(analysis, service.language_of(db, analysis))


@router.get(
    "/{analysis_id}/overlay.png", response_class=Response, responses={200: {"content": {"image/png": {}}}}
)
def get_overlay(analysis_id: str, principal: VisitorDep, db: DbDep, settings: SettingsDep) -> Response:
    analysis = service.get_for_visitor(db, principal, analysis_id)
    return Response(
        service.stored_file(settings, analysis, "overlay"),
        media_type="image/png",
        headers={"Cache-Control": "no-store"},
    )
