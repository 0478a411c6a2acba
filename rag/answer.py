"""The assistant's public data: conversation turns, citations and the final answer (docs/CONTRACTS.md)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Turn:
    role: str  # "user" | "assistant"
    content: str


@dataclass(frozen=True)
class Citation:
    doc_id: str
    title: str
    source: str  # file path inside the clinic's knowledge folder
    text: str  # the cited passage, verbatim

    def to_dict(self) -> dict[str, str]:
        return {"doc_id": self.doc_id, "title": self.title, "source": self.source, "text": self.text}


@dataclass
class Answer:
    answer: str
    citations: list[Citation] = field(default_factory=list)
    abstained: bool = False
    language: str = "ko"
    timing_ms: dict[str, float] = field(default_factory=dict)
    guardrail: Any = None  # rag.guardrails Verdict when a rail blocked or masked
    blocked: bool = False

    def to_dict(self) -> dict[str, Any]:
        verdict = self.guardrail
        if verdict is not None and hasattr(verdict, "__dataclass_fields__"):
            from dataclasses import asdict

            verdict = asdict(verdict)
        elif verdict is not None and hasattr(verdict, "model_dump"):
            verdict = verdict.model_dump()
        return {
            "answer": self.answer,
            "citations": [c.to_dict() for c in self.citations],
            "abstained": self.abstained,
            "language": self.language,
            "timing_ms": self.timing_ms,
            "blocked": self.blocked,
            "guardrail": verdict,
        }


@dataclass
class Draft:
    """What a backend (offline composer or LLM) produced before the output guardrail."""

    text: str
    citations: list[Citation]
    abstained: bool
    score: float = 0.0
    debug: dict[str, Any] = field(default_factory=dict)
