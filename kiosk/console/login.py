"""Staff login through the API (``POST /v1/auth/login``); the JWT is kept in this session only."""

from __future__ import annotations

import streamlit as st

from kiosk.client import ApiAuthError, ApiError, ApiUnavailable
from kiosk.console.common import ConsoleCtx


def render(ctx: ConsoleCtx) -> None:
    st.title(ctx.t("console_title"))
    notice = st.session_state.pop("console_notice", None)
    if notice:
        st.warning(ctx.t(notice))
    with st.form("login"):
        email = st.text_input(ctx.t("login_email"), key="login_email")
        password = st.text_input(ctx.t("login_password"), type="password", key="login_password")
        submitted = st.form_submit_button(ctx.t("login"), type="primary", key="login_submit")
    if not submitted:
        return
    try:
        answer = ctx.client.staff_login(email.strip(), password)
    except ApiAuthError:
        st.error(ctx.t("login_failed"))
        return
    except ApiUnavailable:
        st.error(ctx.t("api_down_title"))
        return
    except ApiError as exc:
        st.error(ctx.t("login_failed") if exc.code in ("invalid_credentials", "validation_error")
                 else f"{exc.title} (`{exc.code}`)")
        return
    st.session_state["staff_token"] = answer["access_token"]
    st.session_state["staff_user"] = {"email": answer.get("email", email), "role": answer.get("role", "")}
    st.rerun()
