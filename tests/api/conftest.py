"""Fixtures for the HTTP tests: a seeded app per database, two clinics, and small fakes for the heavy parts.

The fakes stand in only where a test is about the API logic (they answer instantly and predictably); the
photo decoding (``vision.photo.load_photo``) and PII masking (``rag.guardrails.mask_pii``) are always real.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.components import Components, get_components
from api.db.models import ApiKey, Clinic, KioskDevice, StaffUser
from api.db.session import session_scope
from api.security import token_hash
from api.settings import DEFAULT_KNOWLEDGE

CLINIC_A, CLINIC_B = "demo-clinic", "other-clinic"
PASSWORD = "correct horse battery staple"


@cache
def password_hash() -> str:
    """bcrypt is slow on purpose; the seeded users get a cheap cost factor (the check is the same code
    path: ``verify_password`` reads the cost from the hash) and the hash is made once per session."""
    import bcrypt

    return bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(rounds=4)).decode()


@dataclass
class Tokens:
    kiosk: str
    kiosk2: str
    api_key: str
    admin_email: str
    staff_email: str
    kiosk_b: str
    admin_b_email: str


def seed(url: str) -> Tokens:
    tokens = Tokens(
        "kiosk_a_lobby_1_token",
        "kiosk_a_lobby_2_token",
        "key_a_crm_integration",
        "admin@demo-clinic.kr",
        "nurse@demo-clinic.kr",
        "kiosk_b_lobby_token",
        "admin@other.kr",
    )
    with session_scope(url) as db:
        db.add(Clinic(id=CLINIC_A, name="서울하늘피부과의원", urgent_phone="02-555-0119"))
        db.add(Clinic(id=CLINIC_B, name="Other clinic", urgent_phone="051-555-0119"))
        db.flush()
        db.add_all(
            [
                StaffUser(
                    clinic_id=CLINIC_A, email=tokens.admin_email, password_hash=password_hash(), role="admin"
                ),
                StaffUser(
                    clinic_id=CLINIC_A, email=tokens.staff_email, password_hash=password_hash(), role="staff"
                ),
                StaffUser(
                    clinic_id=CLINIC_B,
                    email=tokens.admin_b_email,
                    password_hash=password_hash(),
                    role="admin",
                ),
                KioskDevice(clinic_id=CLINIC_A, name="lobby-1", token_hash=token_hash(tokens.kiosk)),
                KioskDevice(clinic_id=CLINIC_A, name="lobby-2", token_hash=token_hash(tokens.kiosk2)),
                KioskDevice(clinic_id=CLINIC_B, name="busan-lobby", token_hash=token_hash(tokens.kiosk_b)),
                ApiKey(clinic_id=CLINIC_A, name="crm", key_hash=token_hash(tokens.api_key)),
            ]
        )
    return tokens


# --- fakes ---------------------------------------------------------------------------------------------


class FakeDetector:
    """Returns three fixed lesions (a real ``vision.detector.Analysis``, so overlay() is the real one)."""

    def __init__(self) -> None:
        self.calls = 0

    def analyze(self, image: Any) -> Any:
        from vision.detector import Analysis, Lesion
        from vision.grading import Grade

        self.calls += 1
        w, h = image.size
        lesions = [
            Lesion("papule", 0.91, (w * 0.2, h * 0.3, w * 0.2 + 12, h * 0.3 + 12)),
            Lesion("papule", 0.82, (w * 0.5, h * 0.5, w * 0.5 + 10, h * 0.5 + 10)),
            Lesion("comedone", 0.64, (w * 0.7, h * 0.4, w * 0.7 + 6, h * 0.4 + 6)),
        ]
        return Analysis(
            lesions=lesions,
            counts={"papule": 2, "pustule": 0, "nodule_cyst": 0, "comedone": 1},
            grade=Grade(0, "mild", "경증"),
            width=w,
            height=h,
            timing_ms={"detect": 1.0},
            image=image,
        )


@dataclass
class FakeVerdict:
    allowed: bool
    category: str | None
    reason: str | None
    masked_text: str
    safe_reply: str | None
    escalate: bool = False
    latency_ms: float = 0.1


class FakeGuardrails:
    """Blocks prescription-drug questions and escalates emergencies; everything else passes."""

    def check_input(self, text: str, lang: str | None = None) -> FakeVerdict:
        if "로아큐탄" in text or "isotretinoin" in text.lower():
            return FakeVerdict(
                False,
                "prescription",
                "rule:prescription_drug",
                text,
                "처방약은 의사 진료 후에만 안내해 드릴 수 있습니다.",
            )
        if "숨쉬기" in text or "can't breathe" in text.lower():
            return FakeVerdict(False, "emergency", "rule:anaphylaxis", text, "즉시 119에 전화하세요.", True)
        return FakeVerdict(True, None, None, text, None)

    def check_output(self, text: str, lang: str | None = None) -> FakeVerdict:
        return FakeVerdict(True, None, None, text, None)


class FakeAssistant:
    """Echoes the question it was given (so tests can see whether PII reached it) with one citation."""

    def __init__(self, guardrails: FakeGuardrails) -> None:
        self.guardrails = guardrails
        self.questions: list[str] = []

    def answer(self, question: str, history: list | None = None, language: str | None = None) -> Any:
        from rag.answer import Answer, Citation

        self.questions.append(question)
        verdict = self.guardrails.check_input(question, language)
        if not verdict.allowed:
            return Answer(
                verdict.safe_reply or "", [], False, language or "ko", {"total": 1.0}, verdict, True
            )
        text = f"여드름 압출은 1회 50,000원입니다. (질문: {question}) 문의 02-555-0119"
        return Answer(
            text,
            [Citation("prices-ko", "가격표", "prices-ko.md", "여드름 압출 50,000원")],
            False,
            language or "ko",
            {"total": 1.0, "output_guardrail": 0.1},
            None,
            False,
        )

    def stream(
        self, question: str, history: list | None = None, language: str | None = None
    ) -> Iterator[Any]:
        answer = self.answer(question, history, language)
        for word in answer.answer.split(" "):
            yield word + " "
        yield answer


class FakeRecommender:
    def recommend(self, analysis: dict, answers: dict | None = None, language: str = "ko") -> Any:
        @dataclass
        class Recs:
            data: dict = field(default_factory=dict)

            def to_dict(self) -> dict:
                return self.data

        level = analysis["grade"]["level"]
        return Recs(
            {
                "items": [
                    {
                        "kind": "consultation",
                        "id": "consult-dermatologist",
                        "name": "피부과 전문의 상담",
                        "reason": f"grade {level}",
                        "citations": [],
                        "price_krw": 20000,
                    }
                ],
                "excluded": [],
            }
        )


class FakeComponents(Components):
    """The real registry with the heavy builders replaced; mask_pii stays real."""

    def __init__(self, settings: Any) -> None:
        super().__init__(settings)
        self.fake_detector = FakeDetector()
        self.fake_guardrails = FakeGuardrails()
        self.fake_assistant = FakeAssistant(self.fake_guardrails)
        self.broken: set[str] = set()

    def detector(self) -> Any:
        if "detector" in self.broken:
            raise RuntimeError("weights corrupt")
        return self.fake_detector

    def guardrails(
        self, clinic_id: str | None = None, venue_kind: str = "clinic", urgent_phone: str | None = None
    ) -> Any:
        return self.fake_guardrails

    def assistant(self, clinic_id: str, venue_kind: str = "clinic", urgent_phone: str | None = None) -> Any:
        if "assistant" in self.broken:
            raise RuntimeError("vector store down")
        return self.fake_assistant

    def recommender(self, clinic_id: str) -> Any:
        return FakeRecommender()


# --- the app --------------------------------------------------------------------------------------------


@dataclass
class Api:
    client: TestClient
    tokens: Tokens
    components: FakeComponents
    settings: Any
    url: str

    def h(self, token: str, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}", **extra}

    @property
    def kiosk(self) -> dict[str, str]:
        return self.h(self.tokens.kiosk)

    def staff_token(self, email: str | None = None) -> str:
        email = email or self.tokens.admin_email
        clinic = CLINIC_B if email == self.tokens.admin_b_email else CLINIC_A
        response = self.client.post(
            "/v1/auth/login", json={"email": email, "password": PASSWORD, "clinic_id": clinic}
        )
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    def staff(self, email: str | None = None) -> dict[str, str]:
        return self.h(self.staff_token(email))

    def consultation(self, token: str | None = None, **body: Any) -> dict[str, Any]:
        response = self.client.post(
            "/v1/consultations", json={"language": "ko", **body}, headers=self.h(token or self.tokens.kiosk)
        )
        assert response.status_code == 201, response.text
        return response.json()


def make_settings(settings_factory: Any, db_url: str, **overrides: Any) -> Any:
    base = {"database_url": db_url, "knowledge_dir": DEFAULT_KNOWLEDGE, "rate_limit_per_minute": 10_000}
    base.update(overrides)
    return settings_factory(**base)


@pytest.fixture
def api(db_url: str, settings_factory: Any) -> Iterator[Api]:
    settings = make_settings(settings_factory, db_url)
    tokens = seed(db_url)
    app = create_app(settings)
    components = FakeComponents(settings)
    app.dependency_overrides[get_components] = lambda: components
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client, tokens, components, settings, db_url)


@cache
def photo_bytes(width: int = 800, height: int = 600, fmt: str = "JPEG") -> bytes:
    """A synthetic skin photo that passes the real quality checks (size, light, focus)."""
    from vision.synthetic import make_photo

    image, _ = make_photo(width=width, height=height, n_lesions=8, seed=7)
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, quality=92)
    return buffer.getvalue()


def next_open_day(days_ahead: int = 2) -> str:
    """A clinic weekday (Mon-Fri, not a holiday) at least ``days_ahead`` days from now, Seoul time."""
    from api.booking.catalog import load_catalog

    catalog = load_catalog(DEFAULT_KNOWLEDGE)
    day = (datetime.now(UTC) + timedelta(hours=9)).date() + timedelta(days=days_ahead)
    while day.weekday() >= 5 or day in catalog.holidays:
        day += timedelta(days=1)
    return day.isoformat()
