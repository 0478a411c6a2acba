"""The list of /v1 domain routers. Each domain folder adds its router here."""

from __future__ import annotations

from fastapi import APIRouter

from api.analyses.router import router as analyses_router
from api.auth.router import router as auth_router
from api.booking.router import router as booking_router
from api.chat.router import router as chat_router
from api.consultations.router import router as consultations_router
from api.devices.router import router as devices_router
from api.knowledge.router import router as knowledge_router
from api.staff.router import router as staff_router

ROUTERS: list[APIRouter] = [
    auth_router,
    consultations_router,
    chat_router,
    analyses_router,
    booking_router,
    staff_router,
    devices_router,
    knowledge_router,
]
