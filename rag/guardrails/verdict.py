"""The result of one guardrail check (the shape callers store and show)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

CATEGORIES = ("brokerage", "inducement", "ad_violation", "diagnosis", "prescription", "emergency",
              "injection", "pii")


@dataclass(frozen=True)
class Verdict:
    """``allowed`` False means: never show/execute the text, show ``safe_reply`` instead.

    For category ``pii`` the text is allowed but callers must store, log and echo ``masked_text`` only.
    ``reason`` names what matched (``rule:<id>`` or ``exemplar:<category>#<n> sim=<cos>``) so a staff
    reviewer can see why.
    """

    allowed: bool
    category: str | None
    reason: str | None
    masked_text: str
    safe_reply: str | None
    escalate: bool
    latency_ms: float
    direction: str = "input"
    lang: str = "ko"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
