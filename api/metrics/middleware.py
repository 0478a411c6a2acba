"""Request count and latency per route template (``/v1/consultations/{consultation_id}``, not raw ids,
so the label set stays small)."""

from __future__ import annotations

import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.metrics.registry import HTTP_LATENCY, HTTP_REQUESTS


def route_template(scope: Scope) -> str:
    """The matched route's full template; FastAPI keeps the prefixed one in its effective route context."""
    context = (scope.get("fastapi") or {}).get("effective_route_context")
    path = getattr(context, "path", None)
    if path:
        return str(path)
    route = scope.get("route")
    return str(getattr(route, "path", None) or "unmatched")


class MetricsMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = {"code": 500}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            template = route_template(scope)
            if template != "/metrics":
                method = scope.get("method", "")
                HTTP_REQUESTS.labels(method, template, str(status["code"])).inc()
                HTTP_LATENCY.labels(method, template).observe(time.perf_counter() - start)
