"""What the kiosk needs to know about its surroundings, read from the same ``SKINCHAT_*`` settings as the API.

Why a small object of its own: the kiosk may run on a lobby machine with only the API's address and its
device token, so it reads just those (plus its idle timeout) and never the database or model settings.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from api.settings import Settings

DEFAULT_IDLE_SECONDS = 90.0


@dataclass(frozen=True)
class KioskConfig:
    api_base_url: str
    device_token: str
    retention_days: int
    idle_seconds: float
    clinic_id: str
    max_message_chars: int

    @classmethod
    def load(cls) -> KioskConfig:
        """Read the settings now (not cached) so a test or a restarted kiosk sees the current environment."""
        settings = Settings()
        idle = getattr(settings, "kiosk_idle_seconds", None)
        if idle is None:
            idle = float(os.environ.get("SKINCHAT_KIOSK_IDLE_SECONDS", DEFAULT_IDLE_SECONDS))
        return cls(
            api_base_url=settings.resolved_api_base_url,
            device_token=settings.kiosk_device_token.get_secret_value(),
            retention_days=settings.retention_days,
            idle_seconds=max(5.0, float(idle)),
            clinic_id=settings.clinic_id,
            max_message_chars=settings.max_message_chars,
        )
