"""The Prometheus metrics, defined once per process (the default registry)."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

HTTP_REQUESTS = Counter(
    "skinchat_http_requests", "HTTP requests by route template and status", ["method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "skinchat_http_request_duration_seconds",
    "HTTP request latency by route template",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
ANALYSES = Counter("skinchat_analyses", "Photo analyses", ["photo_stored"])
MESSAGES = Counter("skinchat_messages", "Chat messages answered", ["outcome"])
BOOKINGS = Counter("skinchat_bookings", "Booking actions", ["action"])
GUARDRAIL_BLOCKS = Counter("skinchat_guardrail_blocks", "Guardrail blocks and escalations", ["category"])
