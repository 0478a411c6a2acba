"""The list of /v1 domain routers. Each domain folder adds its router here."""

from __future__ import annotations

from fastapi import APIRouter

ROUTERS: list[APIRouter] = []
