"""Login and identity shapes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=200)
    clinic_id: str | None = Field(None, max_length=64)


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    role: str
    clinic_id: str
    email: str


class MeOut(BaseModel):
    kind: str
    clinic_id: str
    role: str | None
    subject: str
