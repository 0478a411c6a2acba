"""What a recommendation looks like to its callers (the API, the CLI, the kiosk).

Plain dataclasses so the result can be serialised with ``to_dict()`` and compared in tests; the
``basis`` of an item keeps the reason's chain (finding or concern -> ingredient or procedure -> item ->
document) as data, so the kiosk can render it and tests can check it without parsing prose.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

ItemKind = Literal["product", "procedure", "consultation", "video"]


@dataclass(frozen=True)
class Basis:
    """One link of a reason: a finding (lesion label + count) or a stated concern, and what helps it."""

    target: str  # lesion label (papule, ...) or concern id (pores, ...)
    target_kind: Literal["finding", "concern", "grade", "topic"]
    count: int | None = None  # lesions seen in the photo, for findings
    via: str | None = None  # ingredient id (products) or None when the item itself helps (procedures)


@dataclass(frozen=True)
class Item:
    kind: ItemKind
    id: str
    name: str
    reason: str
    citations: list[str]  # doc_ids of clinic documents (front matter ``doc_id``) that say so
    price_krw: int | None = None
    brand: str | None = None
    url: str | None = None  # videos only
    basis: list[Basis] = field(default_factory=list)
    score: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class Excluded(tuple):
    """An item left out, and why: an ``(id, reason)`` pair as the contract says, plus a stable ``code``
    (pregnancy, sensitive_skin, allergy, condition, prescription, in_use, budget, brand_limit,
    no_document, video_topic, guardrail) that callers can switch on without parsing the sentence."""

    code: str

    def __new__(cls, id: str, reason: str, code: str = "other") -> Excluded:
        self = super().__new__(cls, (id, reason))
        self.code = code
        return self

    @property
    def id(self) -> str:
        return self[0]

    @property
    def reason(self) -> str:
        return self[1]

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "reason": self.reason, "code": self.code}


@dataclass
class Recommendations:
    items: list[Item]
    excluded: list[Excluded]
    language: str
    notes: list[str] = field(default_factory=list)  # general lines (e.g. "a dermatologist confirms")
    budget_krw: int | None = None

    @property
    def total_krw(self) -> int:
        """What the visitor would pay for the products and procedures suggested (the budget rule)."""
        return sum(i.price_krw or 0 for i in self.items if i.kind in ("product", "procedure"))

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "items": [i.to_dict() for i in self.items],
            "excluded": [[e.id, e.reason] for e in self.excluded],  # pairs, as docs/API.md shows
            "excluded_detail": [e.as_dict() for e in self.excluded],
            "notes": list(self.notes),
            "budget_krw": self.budget_krw,
            "total_krw": self.total_krw,
        }
