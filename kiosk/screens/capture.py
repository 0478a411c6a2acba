"""Capture: the kiosk camera (st.camera_input) or a photo file, then the analysis behind a spinner."""

from __future__ import annotations

import base64
from typing import Any

import streamlit as st

from kiosk.i18n import CONSENT_TEXT_VERSION
from kiosk.screens.common import Ctx, api_call, ensure_consultation, show_error, wk
from kiosk.state import go, touch
from kiosk.steps import Step

ACCEPTED = ["jpg", "jpeg", "png", "webp"]


def render(ctx: Ctx) -> None:
    consultation = ensure_consultation(ctx, photo_storage=bool(st.session_state.get("consent")))
    st.markdown(f"## {ctx.t('capture_title')}")
    st.markdown(ctx.t("capture_hint"))
    shot = st.camera_input(ctx.t("camera_label"), key=wk("camera"), label_visibility="collapsed")
    upload = st.file_uploader(ctx.t("upload_label"), type=ACCEPTED, key=wk("upload"))
    chosen = shot or upload
    if chosen is not None:
        touch(st.session_state)
        st.session_state["photo"] = chosen.getvalue()
        st.session_state["photo_name"] = chosen.name or "photo.jpg"
        st.session_state["photo_type"] = chosen.type or "image/jpeg"
        if shot is None:  # the camera widget previews its own shot
            st.image(st.session_state["photo"], width=360)
    show_error()
    photo = st.session_state.get("photo")
    if photo and st.button(ctx.t("analyse"), key="analyse", type="primary", width="stretch"):
        st.session_state.pop("error", None)
        with st.spinner(ctx.t("analysing")):
            analysis = api_call(ctx.client.analyze_photo, consultation["id"], photo,
                                filename=st.session_state.get("photo_name", "photo.jpg"),
                                content_type=st.session_state.get("photo_type", "image/jpeg"),
                                consent=bool(st.session_state.get("consent")),
                                text_version=CONSENT_TEXT_VERSION)
        if analysis is not None:
            st.session_state["overlay"] = overlay_bytes(ctx, analysis)
            st.session_state["analysis"] = analysis
            go(st.session_state, Step.RESULT)
        st.rerun()
    if st.button(ctx.t("skip_photo"), key="skip_photo", width="stretch"):
        st.session_state.pop("photo", None)
        go(st.session_state, Step.CHAT)
        st.rerun()


def overlay_bytes(ctx: Ctx, analysis: dict[str, Any]) -> bytes | None:
    """The outlined photo: inline base64 (the default), else fetched by ``overlay.url`` when it was kept."""
    overlay = analysis.get("overlay") or {}
    if overlay.get("png_base64"):
        return base64.b64decode(overlay["png_base64"])
    if overlay.get("url"):
        return api_call(ctx.client.get_overlay, overlay["url"])
    return None
