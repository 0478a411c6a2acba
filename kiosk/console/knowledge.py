"""Knowledge upload (admin): Markdown/PDF/YAML files are saved and the clinic is re-indexed by the API."""

from __future__ import annotations

import streamlit as st

from kiosk.console.common import ConsoleCtx, call


def render(ctx: ConsoleCtx) -> None:
    files = st.file_uploader(ctx.t("upload_docs"), type=["md", "txt", "pdf", "yaml", "yml"],
                             accept_multiple_files=True, key="knowledge_files")
    if st.button(ctx.t("upload_submit"), type="primary", disabled=not files, key="knowledge_submit"):
        with st.spinner("…"):
            answer = call(ctx, ctx.client.upload_knowledge, [(f.name, f.getvalue()) for f in files or []])
        if answer:
            st.success(f"{ctx.t('upload_done')}: {', '.join(answer.get('saved') or [])}")
            st.json(answer.get("report") or {})
