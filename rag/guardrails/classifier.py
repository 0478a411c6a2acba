"""The learned layer: a softmax regression over sentence embeddings, trained on every labelled phrasing.

Why it exists: the rules and the nearest-exemplar layer each generalise from one phrasing at a time, and
blind sets kept finding new wordings of the same intent (ad claims without a keyword, hedged diagnoses,
indirect inducement). A linear model over the shared encoder's vectors learns what *all* the labelled
violations and allowed look-alikes have in common. Left-one-file-out on the three blind sets (classifier
alone, threshold 0.9): recall 0.81-0.85 at a false-positive rate of 0-0.01 (README "Guardrails").

It only ever *adds* blocks where the rules and exemplars found nothing, and only above a high threshold,
so every allowed look-alike in the training data keeps its say. The weights are data
(``intent_classifier.npz``, ~35 KB) made by ``skinchat guardrails train-classifier``; features are the
embedding of the normalised text, the same embedding again for replies (the output rail's wording differs
from a visitor's), a reply flag and a bias. Trained with numpy only (full-batch Adam, L2), deterministic.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rag.guardrails.normalize import normalize
from rag.guardrails.policy import Policy, PolicyError

DEFAULT_MODEL = Path(__file__).with_name("intent_classifier.npz")
ALLOW = "allow"
# PII is found by patterns, not meaning; cases about it are left out of the training data.
LEARNED = ("emergency", "injection", "prescription", "diagnosis", "brokerage", "inducement", "ad_violation")
CLASSES = (ALLOW, *LEARNED)


class ClassifierError(PolicyError):
    """The learned layer's weights are missing or do not fit; a policy error, so the CLI and the API's
    start-up report it the same way (stable ``code``)."""


@dataclass(frozen=True)
class Example:
    text: str
    direction: str
    label: str  # one of CLASSES


@dataclass(frozen=True)
class IntentHit:
    category: str
    probability: float
    unit: int  # the row of the vectors it came from


def _features(vectors: np.ndarray, directions: Sequence[str]) -> np.ndarray:
    out = np.array([d == "output" for d in directions], dtype=np.float32)[:, None]
    return np.hstack([vectors, vectors * out, out, np.ones_like(out)]).astype(np.float32)


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class IntentClassifier:
    """``probabilities(vectors, direction)`` -> (N, len(CLASSES)); ``strongest`` -> the top violation."""

    def __init__(self, weights: np.ndarray, classes: Sequence[str], meta: dict[str, Any] | None = None) -> None:
        if weights.ndim != 2 or weights.shape[1] != len(classes):
            raise ClassifierError("classifier_bad_shape", f"weights {weights.shape} vs {len(classes)} classes")
        self.weights = weights.astype(np.float32)
        self.classes = tuple(classes)
        self.meta = dict(meta or {})

    @classmethod
    def load(cls, path: str | Path = DEFAULT_MODEL) -> IntentClassifier:
        path = Path(path)
        if not path.is_file():
            raise ClassifierError("classifier_missing", f"{path} not found (skinchat train-guardrails)")
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            return cls(data["weights"], tuple(meta["classes"]), meta)

    def save(self, path: str | Path) -> None:
        meta = dict(self.meta, classes=list(self.classes))
        with open(path, "wb") as fh:  # np.savez adds ".npz" to a str path without it; a handle keeps the name
            np.savez_compressed(fh, weights=self.weights, meta=np.array(json.dumps(meta, ensure_ascii=False)))

    def probabilities(self, vectors: np.ndarray, direction: str) -> np.ndarray:
        expected = self.weights.shape[0] - 2
        if vectors.shape[1] * 2 != expected:
            raise ClassifierError("classifier_bad_input", f"vectors of width {vectors.shape[1]}, "
                                                          f"model expects {expected // 2}")
        return _softmax(_features(vectors, [direction] * len(vectors)) @ self.weights)

    def strongest(self, vectors: np.ndarray, direction: str, threshold: float,
                  exclude: Iterable[str] = ()) -> IntentHit | None:
        """The most probable violation over all units, when its probability reaches ``threshold``."""
        if not len(vectors):
            return None
        probs = self.probabilities(vectors, direction)
        skip = set(exclude) | {ALLOW}
        best: IntentHit | None = None
        for k, name in enumerate(self.classes):
            if name in skip:
                continue
            unit = int(np.argmax(probs[:, k]))
            p = float(probs[unit, k])
            if p >= threshold and (best is None or p > best.probability):
                best = IntentHit(name, p, unit)
        return best


def fit(vectors: np.ndarray, directions: Sequence[str], labels: Sequence[str], *, l2: float = 1e-5,
        iterations: int = 400, learning_rate: float = 0.05) -> np.ndarray:
    """Full-batch Adam on the mean cross-entropy plus ``l2``. Why so little regularisation: left-one-file-
    out on the blind sets, 1e-5 kept recall at a high threshold (0.85 at 0.9) where 1e-3 fell to 0.3."""
    x = _features(vectors, directions)
    y = np.array([CLASSES.index(label) for label in labels])
    onehot = np.eye(len(CLASSES), dtype=np.float32)[y]
    w = np.zeros((x.shape[1], len(CLASSES)), np.float32)
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for t in range(1, iterations + 1):
        grad = x.T @ (_softmax(x @ w) - onehot) / len(y) + l2 * w
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= learning_rate * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.999 ** t)) + 1e-8)
    return w


def examples_from(policy: Policy, cases: Iterable[dict[str, Any]]) -> list[Example]:
    """Policy exemplars (violations) and negatives (allowed), plus labelled cases at medical venues.

    Cases at hotels or spas are left out: there the same words can be brokerage that a clinic may say."""
    out = [Example(e.text, e.direction, e.category) for e in policy.exemplars
           if e.venues != "non_medical" and e.category in LEARNED]
    out += [Example(e.text, e.direction, ALLOW) for e in policy.negatives if e.venues != "non_medical"]
    for case in cases:
        if case.get("venue") not in (None, "clinic") or (case.get("category"), case["expect"]) == ("pii", "block"):
            continue
        label = ALLOW if case["expect"] == "allow" else case["category"]
        if label in CLASSES:
            out.append(Example(case["text"], case["direction"], label))
    return out


def data_digest(examples: Sequence[Example]) -> str:
    """What the weights were trained on, stored with them so a stale model can be detected."""
    return hashlib.sha256("\n".join(f"{e.direction}\t{e.label}\t{e.text}" for e in examples).encode()).hexdigest()


def train(examples: Sequence[Example], embed_fn: Callable[[list[str]], np.ndarray], *,
          l2: float = 1e-5, iterations: int = 400, sources: Sequence[str] = ()) -> IntentClassifier:
    if not examples:
        raise ClassifierError("classifier_no_data", "no training examples")
    texts = [normalize(e.text).text for e in examples]
    vectors = embed_fn(texts)
    weights = fit(vectors, [e.direction for e in examples], [e.label for e in examples], l2=l2,
                  iterations=iterations)
    counts = {c: sum(e.label == c for e in examples) for c in CLASSES}
    return IntentClassifier(weights, CLASSES, {
        "l2": l2, "iterations": iterations, "examples": len(examples), "per_class": counts,
        "data_sha256": data_digest(examples), "sources": list(sources),
    })
