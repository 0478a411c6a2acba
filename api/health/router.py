"""Liveness and readiness. Readiness checks the three things a visitor's session needs: database,
vector store and detector, so a load balancer stops sending visitors to a replica that cannot serve them."""

from __future__ import annotations

import time
from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.db.session import ping
from api.settings import Settings

router = APIRouter(tags=["health"])

ReadinessCheck = Callable[[Settings], None]


def check_database(settings: Settings) -> None:
    ping(settings.resolved_database_url)


def check_detector(settings: Settings) -> None:
    if not settings.detector_weights.is_file():
        raise RuntimeError(f"detector weights not found at {settings.detector_weights}")


def check_vector_store(settings: Settings) -> None:
    from rag.vectorstore import ping_vector_store

    ping_vector_store(settings.chroma_mode, settings.resolved_chroma_path, settings.chroma_url)


DEFAULT_CHECKS: dict[str, ReadinessCheck] = {
    "database": check_database,
    "vector_store": check_vector_store,
    "detector": check_detector,
}


def component_checks(app: object) -> dict[str, ReadinessCheck]:
    """Readiness through the process's own component registry: the detector and the guardrails are built
    (once) here, so the first visitor does not pay for loading them and a broken one keeps traffic away."""

    def detector(settings: Settings) -> None:
        check_detector(settings)
        app.state.components.detector()  # type: ignore[attr-defined]

    def guardrails(settings: Settings) -> None:
        app.state.components.guardrails()  # type: ignore[attr-defined]

    return {"detector": detector, "guardrails": guardrails}


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    settings: Settings = request.app.state.settings
    checks: dict[str, ReadinessCheck] = request.app.state.readiness_checks
    results: dict[str, dict[str, object]] = {}
    for name, check in checks.items():
        start = time.perf_counter()
        try:
            check(settings)
            results[name] = {"ok": True}
        except Exception as exc:  # a failing dependency is reported, never raised
            results[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
        results[name]["ms"] = round((time.perf_counter() - start) * 1000, 1)
    ready = all(r["ok"] for r in results.values())
    return JSONResponse({"status": "ready" if ready else "not_ready", "checks": results},
                        status_code=200 if ready else 503)
