"""Response shapes for photo analyses."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field


class LesionOut(BaseModel):
    label: str
    confidence: float
    box: list[float]


class GradeOut(BaseModel):
    level: int
    name: str
    name_ko: str


class OverlayOut(BaseModel):
    png_base64: str | None = None
    url: str | None = None


class AnalysisOut(BaseModel):
    id: str
    consultation_id: str
    width: int
    height: int
    lesions: list[LesionOut]
    counts: dict[str, int]
    grade: GradeOut
    overlay: OverlayOut
    photo_stored: bool
    retain_until: datetime | None
    recommendations: dict
    timing_ms: dict[str, float]
    disclaimer: str
    created_at: datetime
    photo_deleted_at: datetime | None = None


class PhotoDeletedOut(BaseModel):
    id: str
    photo_deleted_at: datetime
    files_deleted: int


class PurgeOut(BaseModel):
    purged: int
    files_deleted: int


class RecommendAgainIn(BaseModel):
    answers: dict[str, Any] = Field(default_factory=dict)
    language: Literal["ko", "en"] | None = None
