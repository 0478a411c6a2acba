"""Photo deletion on the visitor's request: by analysis id, or every analysis of a consultation."""

from __future__ import annotations

import streamlit as st

from kiosk.console.common import ConsoleCtx, call


def render(ctx: ConsoleCtx) -> None:
    target = st.text_input(ctx.t("photo_delete_id"), key="photo_delete_target").strip()
    confirmed = st.checkbox(ctx.t("confirm_delete"), key="photo_delete_confirm")
    if not st.button(ctx.t("photo_delete_submit"), type="primary", disabled=not (target and confirmed),
                     key="photo_delete_submit"):
        return
    analysis_ids = [target]
    # A consultation id deletes the photos of all its analyses; an unknown consultation is an analysis id.
    detail = _quiet(ctx, target)
    if detail:
        analysis_ids = [a["id"] for a in detail.get("analyses") or []]
    deleted = 0
    for analysis_id in analysis_ids:
        answer = call(ctx, ctx.client.delete_photo, analysis_id)
        if answer is not None:
            deleted += 1
    if deleted:
        for key in ("transcript_cache", "overlay_cache"):  # the open transcript no longer has the photo
            st.session_state.pop(key, None)
        st.success(f"{ctx.t('photo_deleted')} ({deleted})")


def _quiet(ctx: ConsoleCtx, consultation_id: str) -> dict | None:
    from kiosk.client import ApiError

    try:
        return ctx.client.conversation(consultation_id)
    except ApiError:
        return None
