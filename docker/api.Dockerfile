# syntax=docker/dockerfile:1.7
# SkinChat API image: FastAPI backend + vision detector + retrieval, CPU only, fully offline at run time.
#
# Build from the repository root (the compose file does this):
#   docker build -f docker/api.Dockerfile -t skinchat-api .
# The detector weights (vision/weights/skinchat-acne-yolo.pt) and the demo clinic's knowledge are baked in;
# a clinic's own knowledge folder can be mounted over /app/knowledge/<clinic> and re-ingested.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# ---- builder: every dependency into /opt/venv, pinned by pyproject.toml ---------------------------------
FROM ${PYTHON_IMAGE} AS builder
# CPU wheels of torch/torchvision (the default index would bring the multi-GB CUDA build).
ARG TORCH_INDEX_URL=https://download.pytorch.org/whl/cpu
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /build
COPY pyproject.toml docker/pins.py ./
RUN python pins.py pyproject.toml --only torch torchvision > torch.txt \
 && python pins.py pyproject.toml --exclude torch torchvision > requirements.txt \
 && pip install --upgrade pip \
 && pip install --index-url "${TORCH_INDEX_URL}" -r torch.txt \
 && pip install -r requirements.txt -c torch.txt \
 && pip check

# ---- runtime: slim image, non-root, no compilers, no pip cache ---------------------------------------
FROM ${PYTHON_IMAGE} AS runtime
# opencv-python (which ultralytics and SAHI require, not -headless) needs libGL and glib at import;
# tzdata: the clinic calendar is Asia/Seoul (zoneinfo).
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgl1 libglib2.0-0 libgomp1 tzdata \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 skinchat \
 && useradd --system --uid 10001 --gid skinchat --home-dir /var/lib/skinchat --shell /usr/sbin/nologin skinchat \
 && mkdir -p /var/lib/skinchat/photos \
 && chown -R skinchat:skinchat /var/lib/skinchat

COPY --from=builder /opt/venv /opt/venv
WORKDIR /app
# Source is owned by root and read-only for the service user: the process can only write its data dir and /tmp.
COPY pyproject.toml ./
COPY api ./api
COPY rag ./rag
COPY vision ./vision
COPY knowledge ./knowledge
COPY docker/smoke.py ./docker/smoke.py
# `skinchat` runs the CLI from the source tree (REPO_ROOT=/app), the same module `skinchat up` uses.
RUN printf '#!/bin/sh\nexec python -m api.cli.main "$@"\n' > /opt/venv/bin/skinchat \
 && chmod 0755 /opt/venv/bin/skinchat \
 && python -m compileall -q /app/api /app/rag /app/vision

# Nothing is downloaded at run time: ultralytics, Hugging Face and Chroma are told so here, and the
# smoke check below runs with no network at all.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    YOLO_OFFLINE=1 \
    YOLO_AUTOINSTALL=False \
    YOLO_VERBOSE=False \
    ANONYMIZED_TELEMETRY=False \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    HF_HUB_DISABLE_TELEMETRY=1 \
    MPLCONFIGDIR=/tmp/skinchat-mplconfig \
    MPLBACKEND=Agg \
    SKINCHAT_ENV=production \
    SKINCHAT_DATA_DIR=/var/lib/skinchat \
    SKINCHAT_DETECTOR_WEIGHTS=/app/vision/weights/skinchat-acne-yolo.pt \
    SKINCHAT_KNOWLEDGE_DIR=/app/knowledge/demo-clinic \
    SKINCHAT_API_HOST=0.0.0.0 \
    SKINCHAT_API_PORT=8000

USER skinchat:skinchat
# Fails the build when the weights were not committed or a library would fetch something at run time.
RUN --network=none SKINCHAT_SECRET_KEY=build-time-smoke-check-only-0123456789abcdef python /app/docker/smoke.py

EXPOSE 8000
VOLUME ["/var/lib/skinchat"]
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD ["python", "-c", "import os,sys,urllib.request; port=os.environ.get('SKINCHAT_API_PORT','8000'); sys.exit(0 if urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=4).status == 200 else 1)"]
CMD ["skinchat", "serve"]
