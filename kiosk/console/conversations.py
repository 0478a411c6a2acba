"""Conversations: flagged first, filters, and one transcript with guardrail events, citations and the
analysis overlay (only where the visitor consented and the photo still exists)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import streamlit as st

from kiosk.booking_rules import clinic_today, local_time_text
from kiosk.console.common import ConsoleCtx, call
from kiosk.i18n import grade_text, label_text

CATEGORIES = ["brokerage", "inducement", "ad_violation", "diagnosis", "prescription", "emergency",
              "injection", "pii"]
OUTCOMES = ["none", "analysis", "chat", "booking"]
ROW = [0.9, 2.2, 0.6, 1, 2.2, 0.8]


def filters(ctx: ConsoleCtx) -> dict[str, Any]:
    c1, c2, c3, c4, c5, c6 = st.columns([1.1, 1.2, 1.2, 1, 1.4, 1.2])
    flagged = c1.checkbox(ctx.t("filter_flagged"), key="f_flagged")
    today = clinic_today()
    date_from = c2.date_input(ctx.t("filter_from"), value=today - timedelta(days=7), key="f_from")
    date_to = c3.date_input(ctx.t("filter_to"), value=today, key="f_to")
    any_ = ctx.t("any")
    language = c4.selectbox(ctx.t("filter_language"), [any_, "ko", "en"], key="f_lang")
    category = c5.selectbox(ctx.t("filter_category"), [any_, *CATEGORIES], key="f_cat")
    outcome = c6.selectbox(ctx.t("filter_outcome"), [any_, *OUTCOMES], key="f_outcome")
    return {
        "flagged": "true" if flagged else None,
        "date_from": date_from.isoformat() if date_from else None,
        "date_to": date_to.isoformat() if date_to else None,
        "language": None if language == any_ else language,
        "guardrail_category": None if category == any_ else category,
        "outcome": None if outcome == any_ else outcome,
        "limit": 100,
    }


def render(ctx: ConsoleCtx) -> None:
    params = filters(ctx)
    listing = call(ctx, ctx.client.conversations, **params) or {}
    items = listing.get("items") or []
    if not items:
        st.info(ctx.t("no_conversations"))
    else:
        st.caption(f"{listing.get('total', len(items))}")
        head = st.columns(ROW)
        for col, key in zip(head, ("flagged", "transcript", "filter_language", "filter_outcome",
                                   "filter_category"), strict=False):
            col.caption(ctx.t(key))
        for item in items:
            _row(ctx, item)
    opened = st.session_state.get("open_consultation")
    if opened:
        st.divider()
        transcript(ctx, opened)


def _row(ctx: ConsoleCtx, item: dict[str, Any]) -> None:
    cols = st.columns(ROW)
    cols[0].markdown(f'<span class="sk-flag">⚑ {ctx.t("flagged")}</span>' if item.get("flagged") else "",
                     unsafe_allow_html=True)
    cols[1].markdown(f"`{item['id'][:10]}` · {local_time_text(item.get('created_at', ''))}")
    cols[2].markdown(item.get("language", ""))
    cols[3].markdown(item.get("outcome", ""))
    cols[4].markdown(", ".join(item.get("guardrail_categories") or []) or "—")
    if cols[5].button(ctx.t("open"), key=f"open_{item['id']}"):
        st.session_state["open_consultation"] = item["id"]
        st.session_state.pop("transcript_cache", None)  # opening again reads (and logs) it again
        st.rerun()


def _cached_detail(ctx: ConsoleCtx, consultation_id: str) -> dict[str, Any] | None:
    """Fetch a transcript once per opening: every read is audit-logged by the API, so a rerun caused by
    another widget must not log a second read."""
    cached = st.session_state.get("transcript_cache")
    if cached and cached[0] == consultation_id:
        return cached[1]
    detail = call(ctx, ctx.client.conversation, consultation_id)
    if detail:
        st.session_state["transcript_cache"] = (consultation_id, detail)
        st.session_state.pop("overlay_cache", None)
    return detail


def transcript(ctx: ConsoleCtx, consultation_id: str) -> None:
    detail = _cached_detail(ctx, consultation_id)
    if not detail:
        return
    consultation = detail.get("consultation") or {}
    st.subheader(f"{ctx.t('transcript')} · `{consultation_id}`")
    if consultation.get("flagged"):
        reason = consultation.get("flag_reason", "")
        st.markdown(f'<span class="sk-flag">⚑ {ctx.t("flagged")}: {reason}</span>', unsafe_allow_html=True)
    events_by_message: dict[str, list[dict[str, Any]]] = {}
    for event in detail.get("guardrail_events") or []:
        events_by_message.setdefault(event.get("message_id") or "", []).append(event)
    for message in detail.get("messages") or []:
        with st.chat_message(message.get("role", "user")):
            st.markdown(message.get("content", ""))
            for event in events_by_message.get(message.get("id", ""), []):
                st.warning(f"{event['category']} · {event['action']} · {event.get('reason', '')}")
            citations = message.get("citations") or []
            if citations:
                with st.expander(f"{ctx.t('sources')} ({len(citations)})"):
                    for cite in citations:
                        st.markdown(f"**{cite.get('title', '')}** · `{cite.get('source', '')}`")
                        st.caption(str(cite.get("text", ""))[:500])
    unattached = events_by_message.get("", [])
    if detail.get("guardrail_events"):
        with st.expander(f"{ctx.t('guardrail_events')} ({len(detail['guardrail_events'])})",
                         expanded=bool(unattached)):
            st.dataframe([{**{k: e.get(k) for k in ("direction", "category", "action", "reason")},
                           "time": local_time_text(e.get("created_at", ""))}
                          for e in detail["guardrail_events"]], hide_index=True, width="stretch")
    for analysis in detail.get("analyses") or []:
        _analysis(ctx, analysis)
    if detail.get("bookings"):
        st.markdown(f"**{ctx.t('tab_bookings')}**")
        st.dataframe([{k: b.get(k) for k in ("code", "status", "local_date", "local_time", "name")}
                      for b in detail["bookings"]], hide_index=True, width="stretch")


def _analysis(ctx: ConsoleCtx, analysis: dict[str, Any]) -> None:
    st.markdown(f"**{ctx.t('analysis')}** · `{analysis['id'][:10]}`")
    grade = analysis.get("grade") or {}
    counts = analysis.get("counts") or {}
    st.markdown(f"{grade_text(grade.get('name'), ctx.lang, grade.get('name_ko'))} · "
                + ", ".join(f"{label_text(k, ctx.lang)} {v}" for k, v in counts.items()))
    if analysis.get("photo_stored") and not analysis.get("photo_deleted_at"):
        overlays: dict[str, bytes] = st.session_state.setdefault("overlay_cache", {})
        if analysis["id"] not in overlays:
            image = call(ctx, ctx.client.staff_overlay, analysis["id"])
            if image:
                overlays[analysis["id"]] = image
        image = overlays.get(analysis["id"])
        if image:
            st.image(image, width=480)
    else:
        st.caption(ctx.t("no_consent_photo"))
