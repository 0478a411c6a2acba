"""Guardrails for SkinChat: the input and output rails that keep replies within Korean medical law.

See /work/shared/GUARDRAILS.md for the law, ``policy.yaml`` for the rules as data, and ``engine.py`` for
the order of the layers.
"""

from rag.guardrails.engine import Guardrails
from rag.guardrails.pii import mask_pii
from rag.guardrails.policy import PolicyError, load_policy
from rag.guardrails.verdict import CATEGORIES, Verdict

__all__ = ["CATEGORIES", "Guardrails", "PolicyError", "Verdict", "load_policy", "mask_pii"]
