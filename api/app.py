"""The one backend. ``create_app`` builds it from settings, so tests and replicas configure it alike."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api.components import Components
from api.errors import install_error_handlers
from api.health.router import DEFAULT_CHECKS, component_checks
from api.health.router import router as health_router
from api.limits import BodySizeLimitMiddleware
from api.logging_setup import RequestIdMiddleware, configure_logging
from api.metrics.middleware import MetricsMiddleware
from api.metrics.router import router as metrics_router
from api.settings import Settings, get_settings

API_PREFIX = "/v1"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if settings.warm_up_on_start:
            # in the background, so /healthz answers at once and /readyz turns green when the models are in
            threading.Thread(target=app.state.components.warm_up, name="warm-up", daemon=True).start()
        yield

    app = FastAPI(
        title="SkinChat API",
        version="0.1.0",
        description="Skin-consultation kiosk backend: analyses, consultations, booking and staff review.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.components = Components(settings)
    app.state.readiness_checks = {**DEFAULT_CHECKS, **component_checks(app)}
    # Last added runs first: request id outermost, then metrics, then the body limit next to the routes.
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_upload_bytes)
    app.add_middleware(MetricsMiddleware)
    app.add_middleware(RequestIdMiddleware)
    install_error_handlers(app)
    app.include_router(health_router)
    app.include_router(metrics_router)
    for router in _domain_routers():
        app.include_router(router, prefix=API_PREFIX)
    return app


def _domain_routers() -> list:
    """The /v1 routers, one per domain folder (consultations, analyses, booking, staff, ...)."""
    from api.routers import ROUTERS

    return ROUTERS
