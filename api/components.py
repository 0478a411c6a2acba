"""The heavy parts (detector, vector store, assistant, guardrails, recommender), built once per process.

Why lazy: a replica that only serves booking never loads torch, and the first visitor pays the load once.
Why a registry object on ``app.state``: tests swap it with ``app.dependency_overrides[get_components]`` and
small fakes, the routes never construct a component themselves.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request

from api.errors import ProblemError
from api.settings import Settings

log = logging.getLogger("skinchat.components")


def clinic_knowledge_dir(settings: Settings, clinic_id: str) -> Path:
    """The configured clinic uses SKINCHAT_KNOWLEDGE_DIR; other tenants keep theirs under the data folder."""
    if clinic_id == settings.clinic_id:
        return settings.knowledge_dir.resolve()
    return (settings.data_dir / "knowledge" / clinic_id).resolve()


class Components:
    """Lazily built, thread-safe singletons for one process."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.RLock()
        self._detector: Any = None
        self._guardrails_by_clinic: dict[str, Any] = {}
        self._store: Any = None
        self._assistants: dict[str, Any] = {}
        self._recommenders: dict[str, Any] = {}

    def _once(self, attr: str, build: Callable[[], Any]) -> Any:
        value = getattr(self, attr)
        if value is None:
            with self._lock:
                value = getattr(self, attr)
                if value is None:
                    value = build()
                    setattr(self, attr, value)
        return value

    def detector(self) -> Any:
        def build() -> Any:
            from vision.detector import Detector

            s = self.settings
            if not s.detector_weights.is_file():
                raise FileNotFoundError(f"detector weights not found at {s.detector_weights}")
            return Detector(
                s.detector_weights,
                slice_size=s.detector_slice_size,
                overlap=s.detector_slice_overlap,
                full_frame_pass=s.detector_full_frame_pass,
                confidence=s.detector_confidence,
                max_side=s.detector_max_side,
            )

        return self._once("_detector", build)

    def guardrails(
        self, clinic_id: str | None = None, venue_kind: str = "clinic", urgent_phone: str | None = None
    ) -> Any:
        """One rail set per clinic: a hotel or spa venue gets the stricter brokerage rules."""
        key = clinic_id or self.settings.clinic_id
        with self._lock:
            if key not in self._guardrails_by_clinic:
                from rag.guardrails import Guardrails

                kwargs: dict[str, Any] = {"venue_kind": venue_kind}
                if urgent_phone:
                    kwargs["urgent_phone"] = urgent_phone
                self._guardrails_by_clinic[key] = Guardrails(**kwargs)
            return self._guardrails_by_clinic[key]

    def store(self) -> Any:
        def build() -> Any:
            from rag.vectorstore import open_store

            s = self.settings
            return open_store(s.chroma_mode, s.resolved_chroma_path, s.chroma_url or None)

        return self._once("_store", build)

    def _llm(self) -> Any:
        s = self.settings
        if s.llm_backend != "openai":
            return None
        from rag.llm import make_chat_model

        return make_chat_model(s.llm_base_url, s.llm_api_key.get_secret_value() or "none", s.llm_model)

    def assistant(self, clinic_id: str, venue_kind: str = "clinic", urgent_phone: str | None = None) -> Any:
        with self._lock:
            if clinic_id not in self._assistants:
                from rag.assistant import ClinicAssistant

                kwargs: dict[str, Any] = {
                    "backend": self.settings.llm_backend,
                    "guardrails": self.guardrails(clinic_id, venue_kind, urgent_phone),
                }
                llm = self._llm()
                if llm is not None:
                    kwargs["llm"] = llm
                self._assistants[clinic_id] = ClinicAssistant(clinic_id, self.store(), **kwargs)
            return self._assistants[clinic_id]

    def recommender(self, clinic_id: str) -> Any:
        with self._lock:
            if clinic_id not in self._recommenders:
                from rag.recommend import Recommender

                self._recommenders[clinic_id] = Recommender(
                    clinic_knowledge_dir(self.settings, clinic_id), guardrails=self.guardrails(clinic_id)
                )
            return self._recommenders[clinic_id]

    def warm_up(self) -> None:
        """Build the detector, the rails and the default clinic's assistant (models, BM25 index, passage
        embeddings) before the first visitor arrives; failures are logged, readiness reports them."""
        import logging

        log = logging.getLogger("skinchat.warm_up")
        for name, build in (
            ("detector", self.detector),
            ("assistant", lambda: self.assistant(self.settings.clinic_id).warm_up()),
            ("recommender", lambda: self.recommender(self.settings.clinic_id)),
        ):
            try:
                build()
                log.info("warmed up %s", name)
            except Exception as exc:  # a missing part is reported by /readyz, not fatal here
                log.warning("warm-up of %s failed: %s: %s", name, type(exc).__name__, exc)

    def mask_pii(self, text: str, keep: tuple[str, ...] = (), *, landlines: bool = True) -> str:
        """Mask personal data before anything is stored; ``keep`` spares the clinic's own numbers and
        ``landlines=False`` the desk numbers an assistant reply quotes (stored as the visitor saw them)."""
        try:
            from rag.guardrails import mask_pii
        except ImportError:  # the package __init__ may land after its pii module
            from rag.guardrails.pii import mask_pii
        return mask_pii(text, keep=keep, landlines=landlines)


def get_components(request: Request) -> Components:
    return request.app.state.components


ComponentsDep = Annotated[Components, Depends(get_components)]


def unavailable(code: str, what: str, exc: Exception) -> ProblemError:
    """A component that cannot be built or fails is a 503 with a stable code, never a 500."""
    log.error("%s unavailable: %s: %s", what, type(exc).__name__, exc)
    return ProblemError(
        503, code, f"The {what} is not available", "Nothing was saved. Please try again later."
    )
