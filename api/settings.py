"""One settings object for the whole backend, read from ``SKINCHAT_*`` variables and an optional ``.env``.

Why one object: every process (API replica, CLI, kiosk) must agree on the same database, vector store and
detector, and a wrong value must stop the process at start-up with the variable's name, not fail later
in the middle of a visitor's session.
"""

from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WEIGHTS = REPO_ROOT / "vision" / "weights" / "skinchat-acne-yolo.pt"
DEFAULT_KNOWLEDGE = REPO_ROOT / "knowledge" / "demo-clinic"
DEV_SECRET = "dev-only-secret-change-me-0123456789abcdef"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SKINCHAT_", env_file=".env", extra="ignore")

    env: Literal["dev", "test", "production"] = "dev"
    data_dir: Path = Path("./var")
    database_url: str = ""  # empty: SQLite file in data_dir
    chroma_mode: Literal["embedded", "server"] = "embedded"
    chroma_path: Path | None = None  # empty: data_dir/chroma
    chroma_url: str = ""  # http://host:port when chroma_mode=server

    detector_weights: Path = DEFAULT_WEIGHTS
    detector_slice_size: int = Field(640, ge=128, le=2048)
    detector_slice_overlap: float = Field(0.2, ge=0.0, lt=0.9)
    detector_full_frame_pass: bool = False
    detector_confidence: float = Field(0.05, gt=0.0, lt=1.0)  # calibrated for the shipped weights (MODEL_CARD)
    # larger photos are scaled down to this longer side before slicing (vision/detector.py says why); 0 = off
    detector_max_side: int = Field(2560, ge=0, le=20000)

    llm_backend: Literal["offline", "openai"] = "offline"
    llm_base_url: str = ""
    llm_api_key: SecretStr = SecretStr("")
    llm_model: str = ""

    clinic_id: str = Field("demo-clinic", pattern=r"^[a-z0-9][a-z0-9-]{1,62}$")
    knowledge_dir: Path = DEFAULT_KNOWLEDGE
    retention_days: int = Field(30, ge=1, le=3650)
    consultation_ttl_minutes: int = Field(60, ge=1, le=24 * 60)

    secret_key: SecretStr = SecretStr(DEV_SECRET)
    staff_token_minutes: int = Field(480, ge=5)
    admin_email: str = "admin@demo-clinic.kr"
    admin_password: SecretStr = SecretStr("")  # empty: setup prints a generated one
    kiosk_device_token: SecretStr = SecretStr("")  # the kiosk's own token for the API

    api_host: str = "127.0.0.1"
    api_port: int = Field(8000, ge=1, le=65535)
    kiosk_port: int = Field(8501, ge=1, le=65535)
    kiosk_idle_seconds: float = Field(90, ge=5)  # back to the welcome screen, visitor's data cleared
    api_base_url: str = ""  # empty: http://api_host:api_port

    max_upload_bytes: int = Field(15 * 1024 * 1024, ge=1024)
    max_image_pixels: int = Field(50_000_000, ge=1_000_000)
    max_message_chars: int = Field(2000, ge=10)
    startup_wait_seconds: float = Field(30.0, ge=0)
    warm_up_on_start: bool = True  # load models and indexes at start-up, not on the first visitor
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    # Added by the backend (issue #7): booking holds, confirmation codes, shared rate limits, chat context.
    booking_hold_minutes: int = Field(10, ge=1, le=24 * 60)
    booking_code_prefix: str = Field("HN", pattern=r"^[A-Z]{1,4}$")
    rate_limit_per_minute: int = Field(120, ge=1)  # visitor writes per token per route group
    login_rate_limit_per_minute: int = Field(10, ge=1)  # login attempts per e-mail
    chat_history_turns: int = Field(6, ge=0, le=50)

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if value and not value.startswith(("sqlite", "postgresql")):
            raise ValueError("must be a sqlite:/// or postgresql+psycopg:// URL")
        if value.startswith("postgresql://"):
            value = "postgresql+psycopg://" + value.removeprefix("postgresql://")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Settings:
        if self.chroma_mode == "server" and not self.chroma_url:
            raise ValueError("SKINCHAT_CHROMA_URL is required when SKINCHAT_CHROMA_MODE=server")
        if self.llm_backend == "openai" and not (self.llm_base_url and self.llm_model):
            raise ValueError("SKINCHAT_LLM_BASE_URL and SKINCHAT_LLM_MODEL are required for the openai backend")
        if self.detector_max_side and self.detector_max_side < self.detector_slice_size:
            raise ValueError("SKINCHAT_DETECTOR_MAX_SIDE must be 0 (off) or at least SKINCHAT_DETECTOR_SLICE_SIZE")
        if self.env == "production" and self.secret_key.get_secret_value() == DEV_SECRET:
            raise ValueError("SKINCHAT_SECRET_KEY must be set in production")
        return self

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_dir / 'skinchat.db').resolve()}"

    @property
    def resolved_chroma_path(self) -> Path:
        return (self.chroma_path or self.data_dir / "chroma").resolve()

    @property
    def photos_dir(self) -> Path:
        return (self.data_dir / "photos").resolve()

    @property
    def resolved_api_base_url(self) -> str:
        return self.api_base_url or f"http://{self.api_host}:{self.api_port}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; a bad value exits with the offending variable named."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = "SKINCHAT_" + "_".join(str(p) for p in err["loc"]).upper() if err["loc"] else "settings"
            problems.append(f"{name}: {err['msg']}")
        sys.stderr.write("SkinChat configuration error:\n  " + "\n  ".join(problems) + "\n")
        raise SystemExit(2) from exc
