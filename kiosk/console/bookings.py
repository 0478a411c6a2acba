"""Bookings for one clinic day, in time order (cancelled ones shown with their status)."""

from __future__ import annotations

import streamlit as st

from kiosk.booking_rules import clinic_today
from kiosk.console.common import ConsoleCtx, call

COLUMNS = ("local_time", "code", "status", "name", "phone", "item_name", "consultation_id")


def render(ctx: ConsoleCtx) -> None:
    day = st.date_input(ctx.t("bookings_day"), value=clinic_today(), key="bookings_day")
    rows = call(ctx, ctx.client.bookings, day.isoformat()) or []
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
