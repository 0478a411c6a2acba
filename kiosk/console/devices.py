"""Kiosk devices and API keys (admin only): list, register with the token shown once, revoke after a
confirmation step.

Why the new token never goes into ``st.session_state``: the API returns it once and stores only its hash.
Kept in the session it would reappear on every rerun for as long as the tab is open, on a shared front-desk
screen. It is drawn in the run that created it and is gone at the next click.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from kiosk.booking_rules import local_time_text
from kiosk.client import ApiError, SkinChatClient
from kiosk.console.common import ConsoleCtx, call


@dataclass(frozen=True)
class Kind:
    """One kind of credential; kiosks and API keys differ only in these words, calls and columns."""

    key: str
    title: str
    empty: str
    name_label: str
    submit: str
    token_hint: str | None
    name_taken_code: str
    with_presence: bool  # kiosks report last_seen_at/online; API keys do not
    list_: Callable[[SkinChatClient], list[dict[str, Any]]]
    create: Callable[[SkinChatClient, str], dict[str, Any]]
    revoke: Callable[[SkinChatClient, str], dict[str, Any]]


KIOSKS = Kind("kiosk", "kiosks_title", "no_kiosks", "kiosk_register_name", "kiosk_register_submit",
              "kiosk_token_hint", "kiosk_name_taken", True, SkinChatClient.kiosk_devices,
              SkinChatClient.register_kiosk_device, SkinChatClient.revoke_kiosk_device)
API_KEYS = Kind("api_key", "api_keys_title", "no_api_keys", "api_key_name", "api_key_submit", None,
                "api_key_name_taken", False, SkinChatClient.api_keys, SkinChatClient.create_api_key,
                SkinChatClient.revoke_api_key)
KINDS = (KIOSKS, API_KEYS)


def render(ctx: ConsoleCtx) -> None:
    for i, kind in enumerate(KINDS):
        if i:
            st.divider()
        _section(ctx, kind)


def _section(ctx: ConsoleCtx, kind: Kind) -> None:
    st.subheader(ctx.t(kind.title))
    # Drawn top to bottom (list, confirmation, register form) but run in the other order, so the list
    # read at the end already shows what this run registered or revoked.
    listing, confirm_box, register_box = st.container(), st.container(), st.container()
    with register_box:
        _register(ctx, kind)
    with confirm_box:
        _confirm_revoke(ctx, kind)
    with listing:
        rows = call(ctx, kind.list_, ctx.client)
        if rows is not None:
            _table(ctx, kind, rows)


def table_rows(ctx: ConsoleCtx, kind: Kind, rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    """What the table shows: times in the clinic's zone (Asia/Seoul), online as ●/○ as the API computed it."""
    table = []
    for row in rows:
        shown = {ctx.t("cred_name"): str(row.get("name", ""))}
        if kind.with_presence:
            shown[ctx.t("cred_status")] = ctx.t("online" if row.get("online") else "offline")
            seen = row.get("last_seen_at")
            shown[ctx.t("cred_last_seen")] = local_time_text(seen) if seen else ctx.t("never_seen")
        shown[ctx.t("cred_created")] = local_time_text(row.get("created_at", ""))
        revoked = row.get("revoked_at")
        shown[ctx.t("cred_revoked")] = f"{ctx.t('revoked_badge')} · {local_time_text(revoked)}" if revoked else ""
        table.append(shown)
    return table


def _table(ctx: ConsoleCtx, kind: Kind, rows: list[dict[str, Any]]) -> None:
    if not rows:
        st.info(ctx.t(kind.empty))
        return
    st.dataframe(table_rows(ctx, kind, rows), hide_index=True, width="stretch")
    if kind.with_presence:
        st.caption(ctx.t("last_seen_note"))
    active = {str(r["id"]): str(r.get("name", "")) for r in rows if not r.get("revoked_at")}
    if not active:
        return
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    left.selectbox(ctx.t("revoke_pick"), list(active), format_func=lambda i: active.get(i, i),
                   key=f"{kind.key}_revoke_pick")
    right.button(ctx.t("revoke"), key=f"{kind.key}_revoke", on_click=_ask_revoke, args=(kind, active))


def _ask_revoke(kind: Kind, active: dict[str, str]) -> None:
    """First step: remember what to revoke; nothing is sent until the admin confirms."""
    picked = st.session_state.get(f"{kind.key}_revoke_pick")
    if picked in active:
        st.session_state[f"revoke_pending_{kind.key}"] = {"id": picked, "name": active[picked]}


def _cancel_revoke(kind: Kind) -> None:
    st.session_state.pop(f"revoke_pending_{kind.key}", None)


def _confirm_revoke(ctx: ConsoleCtx, kind: Kind) -> None:
    pending = st.session_state.get(f"revoke_pending_{kind.key}")
    if not pending:
        return
    box = st.empty()
    with box.container():
        st.warning(ctx.t("revoke_question", name=pending["name"]))
        yes_col, no_col = st.columns(2)
        yes = yes_col.button(ctx.t("revoke_confirm"), type="primary", key=f"{kind.key}_revoke_yes")
        no_col.button(ctx.t("cancel"), key=f"{kind.key}_revoke_no", on_click=_cancel_revoke, args=(kind,))
    if not yes:
        return
    box.empty()
    _cancel_revoke(kind)
    answer = call(ctx, kind.revoke, ctx.client, pending["id"])
    if answer is not None:
        st.success(ctx.t("revoked_ok", name=answer.get("name", pending["name"])))


def _register(ctx: ConsoleCtx, kind: Kind) -> None:
    with st.form(f"{kind.key}_register", clear_on_submit=True):
        name = st.text_input(ctx.t(kind.name_label), max_chars=100, key=f"{kind.key}_new_name")
        submitted = st.form_submit_button(ctx.t(kind.submit), key=f"{kind.key}_register_submit")
    if not submitted or not name.strip():
        return
    created = call(ctx, _create, ctx, kind, name.strip())
    if not created:
        return
    st.success(ctx.t("cred_created_ok", name=created.get("name", "")))
    st.warning(ctx.t("token_once_warning"))
    st.code(str(created.get("token", "")), language=None)  # copy button; this run only, never stored
    if kind.token_hint:
        st.caption(ctx.t(kind.token_hint))


def _create(ctx: ConsoleCtx, kind: Kind, name: str) -> dict[str, Any] | None:
    try:
        return kind.create(ctx.client, name)
    except ApiError as exc:
        if exc.code != kind.name_taken_code:
            raise  # call() shows it (and logs out on an expired login)
        st.error(ctx.t("name_taken"))
        return None
