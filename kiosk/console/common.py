"""Shared by the console panels: the logged-in client, the language, and one way to show API problems.

Why the JWT lives in ``st.session_state``: it belongs to one browser session (one staff member) and
disappears with it; nothing is written to disk on the console machine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import streamlit as st

from kiosk.client import ApiAuthError, ApiError, ApiUnavailable, SkinChatClient
from kiosk.config import KioskConfig
from kiosk.i18n import Lang, t

log = logging.getLogger("skinchat.console")
T = TypeVar("T")


class LoggedOut(Exception):
    """The JWT was refused (expired or revoked); the console shows the login form again."""


@dataclass
class ConsoleCtx:
    config: KioskConfig
    client: SkinChatClient

    @property
    def lang(self) -> Lang:
        return st.session_state.get("console_lang", "ko")

    def t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)


def staff_client(config: KioskConfig) -> SkinChatClient:
    """One client per browser session, carrying that session's JWT."""
    client: SkinChatClient | None = st.session_state.get("staff_client")
    if client is None or client.base_url != config.api_base_url.rstrip("/"):
        client = SkinChatClient(config.api_base_url, st.session_state.get("staff_token", ""))
        st.session_state["staff_client"] = client
    client.token = st.session_state.get("staff_token", "")
    return client


def logout() -> None:
    for key in ("staff_token", "staff_user", "open_consultation", "transcript_cache", "overlay_cache",
                "bookings_cache", "revoke_pending_kiosk", "revoke_pending_api_key"):
        st.session_state.pop(key, None)


def call(ctx: ConsoleCtx, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Call the API; show problems as one line (with the API's code for staff to report), never a trace."""
    try:
        return fn(*args, **kwargs)
    except ApiAuthError as exc:
        if exc.status == 403:
            st.warning(f"{ctx.t('forbidden_polite')} (`{exc.code}`)")  # a role problem, not a logout
            return None
        logout()
        st.session_state["console_notice"] = "session_expired"
        raise LoggedOut from exc
    except ApiUnavailable as exc:
        st.error(f"{ctx.t('api_down_title')} (`{exc.code}`)")
        return None
    except ApiError as exc:
        st.error(f"{exc.title or exc.detail} (`{exc.code}`)")
        return None
