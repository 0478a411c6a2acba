"""Response shape for a knowledge upload."""

from __future__ import annotations

from pydantic import BaseModel


class UploadOut(BaseModel):
    saved: list[str]
    report: dict
