"""The funnel (consultations → photos → chats → bookings) for a date range, as bar charts."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from kiosk.booking_rules import clinic_today
from kiosk.console.common import ConsoleCtx, call

STAGES = ("consultations", "photos", "chats", "bookings")


def totals_frame(funnel: dict, labels: dict[str, str]) -> pd.DataFrame:
    totals = funnel.get("totals") or {}
    return pd.DataFrame({"count": [int(totals.get(s, 0)) for s in STAGES]},
                        index=pd.Index([labels[s] for s in STAGES], name="stage"))


def days_frame(funnel: dict, labels: dict[str, str]) -> pd.DataFrame:
    days = funnel.get("days") or []
    # Numbered so the chart's legend keeps the funnel order (Vega-Lite sorts series by name).
    ordered = {s: f"{i}. {labels[s]}" for i, s in enumerate(STAGES, start=1)}
    frame = pd.DataFrame([{ordered[s]: int(d.get(s, 0)) for s in STAGES} for d in days],
                         index=pd.Index([d["date"] for d in days], name="date"))
    return frame


def render(ctx: ConsoleCtx) -> None:
    c1, c2 = st.columns(2)
    date_from = c1.date_input(ctx.t("filter_from"), value=clinic_today() - timedelta(days=6), key="fun_from")
    date_to = c2.date_input(ctx.t("filter_to"), value=clinic_today(), key="fun_to")
    funnel = call(ctx, ctx.client.funnel, date_from.isoformat(), date_to.isoformat())
    if not funnel:
        return
    labels = {s: ctx.t(f"funnel_{s}") for s in STAGES}
    st.subheader(ctx.t("funnel_title"))
    totals = totals_frame(funnel, labels)
    cols = st.columns(len(STAGES))
    for col, stage in zip(cols, STAGES, strict=True):
        col.metric(labels[stage], int(totals.loc[labels[stage], "count"]))
    st.bar_chart(totals, horizontal=True, sort=False)
    per_day = days_frame(funnel, labels)
    if not per_day.empty:
        st.bar_chart(per_day, stack=False)
