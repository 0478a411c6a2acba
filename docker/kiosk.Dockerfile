# syntax=docker/dockerfile:1.7
# SkinChat kiosk image: the Streamlit kiosk (default) or the staff console (command override). It is a
# client of the API over HTTP only, so it carries Streamlit and httpx, not torch, Chroma or the database.
#
#   docker build -f docker/kiosk.Dockerfile -t skinchat-kiosk .
#   kiosk:   docker run -e SKINCHAT_API_BASE_URL=http://api:8080 -e SKINCHAT_KIOSK_DEVICE_TOKEN=kiosk_... skinchat-kiosk
#   console: same image, SKINCHAT_KIOSK_APP=console_app.py

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS builder
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /build
COPY pyproject.toml docker/pins.py ./
# The kiosk reads api.settings (pydantic-settings) and talks HTTP (httpx); pins come from pyproject.toml.
RUN python pins.py pyproject.toml --only streamlit httpx pydantic-settings pyyaml > requirements.txt \
 && pip install --upgrade pip \
 && pip install -r requirements.txt \
 && pip check

FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10002 kiosk \
 && useradd --system --uid 10002 --gid kiosk --create-home --home-dir /home/kiosk --shell /usr/sbin/nologin kiosk
COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
# tests/test_architecture.py allows the kiosk exactly one backend module: api.settings.
COPY api/__init__.py api/settings.py ./api/
COPY kiosk ./kiosk
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOME=/home/kiosk \
    STREAMLIT_BROWSER_GATHER_USAGE_STATS=false \
    STREAMLIT_SERVER_HEADLESS=true \
    STREAMLIT_SERVER_FILE_WATCHER_TYPE=none \
    STREAMLIT_GLOBAL_DEVELOPMENT_MODE=false \
    SKINCHAT_KIOSK_PORT=8501 \
    SKINCHAT_KIOSK_APP=kiosk_app.py
USER kiosk:kiosk
# Every kiosk module must import with only these packages (no torch/chroma sneaking in through api).
RUN --network=none python -c "import importlib, pkgutil, kiosk; [importlib.import_module(m.name) for m in pkgutil.walk_packages(kiosk.__path__, 'kiosk.') if not m.name.endswith('_app')]"

EXPOSE 8501
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os,sys,urllib.request; port=os.environ.get('SKINCHAT_KIOSK_PORT','8501'); sys.exit(0 if urllib.request.urlopen(f'http://127.0.0.1:{port}/_stcore/health', timeout=4).status == 200 else 1)"]
CMD ["sh", "-c", "exec python -m streamlit run \"/app/kiosk/${SKINCHAT_KIOSK_APP}\" --server.address 0.0.0.0 --server.port \"${SKINCHAT_KIOSK_PORT}\""]
