"""What every kiosk screen shares: the client, the language, the header and safe API calls.

Why ``api_call``: a visitor must never see a traceback. An unreachable API flips the whole kiosk into its
"잠시 후 다시 시도해 주세요" screen (which retries by itself); any other problem becomes one plain
sentence in the visitor's language, chosen by the API's stable problem ``code``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import streamlit as st

from kiosk.client import ApiAuthError, ApiError, ApiUnavailable, SkinChatClient
from kiosk.config import KioskConfig
from kiosk.i18n import CONSENT_TEXT_VERSION, Lang, error_text, t
from kiosk.state import go, touch, widget_key
from kiosk.steps import Step, progress

log = logging.getLogger("skinchat.kiosk")
T = TypeVar("T")


class ApiDown(Exception):
    """Raised by ``api_call`` after marking the kiosk as offline; the app shows the outage screen."""


class VisitBroken(Exception):
    """The visit cannot go on (its consultation was refused or has expired); the app offers a fresh start."""


@dataclass
class Ctx:
    config: KioskConfig
    client: SkinChatClient

    @property
    def lang(self) -> Lang:
        return st.session_state.get("lang", "ko")

    def t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)


@st.cache_resource(show_spinner=False)
def _client(base_url: str, token: str) -> SkinChatClient:
    return SkinChatClient(base_url, token)


def make_ctx() -> Ctx:
    config = KioskConfig.load()
    return Ctx(config, _client(config.api_base_url, config.device_token))


OUTAGE_CODES = {"unavailable", "database_unavailable"}


def api_call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
    """Call the API; on a problem show the visitor's sentence (see ``handle_error``) and return None."""
    try:
        return fn(*args, **kwargs)
    except ApiError as exc:
        handle_error(exc)
        return None


def handle_error(exc: ApiError) -> None:
    """Sort a failed call: an outage raises ``ApiDown``; anything else becomes the visitor's sentence.

    Outages (unreachable server, database down, or a refused device token, which only staff can fix)
    switch the kiosk to its self-retrying outage screen. A part of the API being briefly unable
    (``detector_unavailable``, ``assistant_unavailable``) is shown in place, so the visitor can go on.
    """
    if isinstance(exc, ApiAuthError) or (isinstance(exc, ApiUnavailable) and exc.code in OUTAGE_CODES):
        log.warning("API unavailable: %s", exc)
        st.session_state["api_down"] = True
        raise ApiDown(str(exc)) from exc
    log.info("API problem %s", exc.code)
    set_error(exc)


def set_error(exc: ApiError) -> None:
    """Remember the visitor-facing sentence: the API's own ``message_ko``/``message_en`` when it sent one."""
    lang = st.session_state.get("lang", "ko")
    own = exc.body.get(f"message_{lang}")
    if exc.status in (503, 504, 502):
        text = t("api_down_title", lang)
    else:
        text = str(own) if own else error_text(exc.code, lang)
    st.session_state["error"] = {"code": exc.code, "text": text}


def show_error() -> None:
    err = st.session_state.get("error")
    if err:
        st.error(err["text"], icon="⚠️")


def header(ctx: Ctx, step: Step) -> None:
    """Title row with the language toggle (on every screen) and the progress through the steps."""
    left, right = st.columns([3, 1], vertical_alignment="center")
    left.markdown(f"### {ctx.t('app_title')}")
    if right.button(ctx.t("lang_toggle"), key="lang_toggle", width="stretch"):
        # The consultation keeps its first language; the API answers each question in the language it is
        # asked in, so switching here needs no API call.
        st.session_state["lang"] = "en" if ctx.lang == "ko" else "ko"
        st.session_state.pop("error", None)
        touch(st.session_state)
        st.rerun()
    if step is not Step.WELCOME:
        st.progress(progress(step), text=ctx.t(f"step_{step.value}"))


def wk(name: str) -> str:
    """This visit's key for a widget that holds the visitor's input (see ``state.widget_key``)."""
    return widget_key(st.session_state, name)


def nav_button(label: str, target: Step, *, key: str, primary: bool = False) -> None:
    if st.button(label, key=key, type="primary" if primary else "secondary", width="stretch"):
        go(st.session_state, target)
        st.rerun()


def ensure_consultation(ctx: Ctx, photo_storage: bool = False) -> dict[str, Any]:
    """The visitor's consultation, created once per visit with the consent they gave.

    The idempotency key is per visit, so a double tap or a retry after a timeout never opens two.
    """
    consultation = st.session_state.get("consultation")
    if consultation:
        return consultation
    key = st.session_state.setdefault("visit_key", uuid.uuid4().hex)
    created = api_call(ctx.client.create_consultation, ctx.lang, photo_storage=photo_storage,
                       text_version=CONSENT_TEXT_VERSION, idempotency_key=key)
    if created is None:
        raise VisitBroken("the API refused to open a consultation")
    st.session_state["consultation"] = created
    return created


def retention_days(ctx: Ctx) -> int:
    """Days a kept photo lives: what the API recorded with the consent, else the configured setting."""
    consultation = st.session_state.get("consultation") or {}
    for consent in consultation.get("consents") or []:
        if consent.get("retention_days"):
            return int(consent["retention_days"])
    return ctx.config.retention_days
