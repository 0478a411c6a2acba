"""The kiosk's screens in order. The flow is linear with two detours (no photo; no booking)."""

from __future__ import annotations

from enum import StrEnum


class Step(StrEnum):
    WELCOME = "welcome"
    CONSENT = "consent"
    CAPTURE = "capture"
    RESULT = "result"
    CHAT = "chat"
    BOOKING = "booking"
    DONE = "done"


FIRST_STEP = Step.WELCOME
ORDER: tuple[Step, ...] = tuple(Step)


def progress(step: Step) -> float:
    """How far along the visitor is, 0..1, for the progress bar."""
    return ORDER.index(step) / (len(ORDER) - 1)


def after_consent(granted: bool) -> Step:
    """Declining the photo skips capture and result but keeps chat and booking."""
    return Step.CAPTURE if granted else Step.CHAT
