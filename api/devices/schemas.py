"""Shapes for kiosk devices and API keys. Only the ``...Created`` shapes carry a plaintext token, once."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator


class CredentialIn(BaseModel):
    """A name staff recognise in the console ("lobby-2", "crm"); the token itself is generated."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=100)

    @field_validator("name")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("name must not be blank")
        if not value.isprintable():  # a label: no control characters (PostgreSQL refuses NUL in text)
            raise ValueError("name must not contain control characters")
        return value


class KioskDeviceOut(BaseModel):
    id: str
    name: str
    created_at: datetime
    last_seen_at: datetime | None
    online: bool
    revoked_at: datetime | None


class KioskDeviceCreated(KioskDeviceOut):
    token: str  # shown once; only its SHA-256 is stored


class KioskDeviceList(BaseModel):
    items: list[KioskDeviceOut]


class ApiKeyOut(BaseModel):
    id: str
    name: str
    created_at: datetime
    revoked_at: datetime | None


class ApiKeyCreated(ApiKeyOut):
    token: str  # shown once; only its SHA-256 is stored


class ApiKeyList(BaseModel):
    items: list[ApiKeyOut]
