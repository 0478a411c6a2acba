"""Bookings for one clinic day, in time order (cancelled ones shown with their status)."""

from __future__ import annotations

import streamlit as st

from kiosk.booking_rules import clinic_today
from kiosk.console.common import ConsoleCtx, call

COLUMNS = ("local_time", "code", "status", "name", "phone", "item_name", "consultation_id")


def render(ctx: ConsoleCtx) -> None:
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    day = left.date_input(ctx.t("bookings_day"), value=clinic_today(), key="bookings_day")
    # Each staff read of bookings is audit-logged by the API: read a day once, again only on request.
    cache: dict[str, list] = st.session_state.setdefault("bookings_cache", {})
    if right.button(ctx.t("refresh"), key="bookings_refresh"):
        cache.clear()
    if day.isoformat() not in cache:
        fetched = call(ctx, ctx.client.bookings, day.isoformat())
        if fetched is None:
            return
        cache[day.isoformat()] = fetched
    rows = cache[day.isoformat()]
    if not rows:
        st.info(ctx.t("no_bookings"))
        return
    table = []
    for b in rows:
        item = b.get("item") or {}
        row = {**b, "item_name": item.get(f"name_{ctx.lang}") or item.get("code", "")}
        row["phone"] = b.get("phone") or b.get("phone_masked", "")
        table.append({k: row.get(k, "") for k in COLUMNS})
    st.dataframe(table, hide_index=True, width="stretch")
