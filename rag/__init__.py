"""Retrieval, answers, guardrails and recommendations. A library: it knows nothing of HTTP or the database.

Chroma's telemetry is switched off here, before chromadb can be imported, so no code path phones home.
"""

import os

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
