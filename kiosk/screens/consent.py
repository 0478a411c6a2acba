"""Consent in plain words: what is kept, for how long, that it is not a diagnosis, and that no is fine.

The answer is recorded by creating the visit's consultation with ``consents.photo_storage``.
"""

from __future__ import annotations

import streamlit as st

from kiosk.screens.common import Ctx, ensure_consultation, retention_days, show_error
from kiosk.state import go
from kiosk.steps import after_consent


def render(ctx: Ctx) -> None:
    st.markdown(f"## {ctx.t('consent_title')}")
    st.markdown(f"- {ctx.t('consent_what')}\n"
                f"- {ctx.t('consent_kept', days=retention_days(ctx))}\n"
                f"- **{ctx.t('consent_not_diagnosis')}**\n"
                f"- {ctx.t('consent_decline_ok')}")
    show_error()
    agree = st.button(ctx.t("consent_agree"), key="consent_yes", type="primary", width="stretch")
    decline = st.button(ctx.t("consent_decline"), key="consent_no", width="stretch")
    if agree or decline:
        granted = bool(agree)
        ensure_consultation(ctx, photo_storage=granted)
        st.session_state["consent"] = granted
        go(st.session_state, after_consent(granted))
        st.rerun()
