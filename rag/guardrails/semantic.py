"""The semantic layer: nearest exemplar violation vs nearest allowed example, with the shared encoder.

Rules catch the phrasings someone thought of; this layer catches paraphrases of them. A text is called a
violation of category C when its cosine similarity to some exemplar of C reaches C's threshold *and*
beats the most similar allowed example (the policy's ``negatives``) by ``margin``. The negatives are what
keeps near-misses such as "can I get a discount on the posted event?" from being blocked.
Exemplars are embedded once, at construction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rag.guardrails.policy import Exemplar, Policy

EmbedFn = Callable[[list[str]], np.ndarray]


@dataclass(frozen=True)
class SemanticHit:
    category: str
    similarity: float
    negative_similarity: float
    exemplar: str
    index: int


class ExemplarIndex:
    def __init__(self, policy: Policy, embed_fn: EmbedFn, medical: bool) -> None:
        self._embed = embed_fn
        self._medical = medical
        self.margin = policy.margin
        self.thresholds = dict(policy.thresholds)
        if not medical:
            self.thresholds.update(policy.non_medical_thresholds)
        self.topics = policy.topics
        self.topic_threshold = policy.topic_threshold
        self.vetoes = policy.semantic_vetoes
        applicable = [e for e in policy.exemplars if self._applies(e)]
        negatives = [e for e in policy.negatives if self._applies(e)]
        vectors = embed_fn([e.text for e in applicable + negatives]) if applicable or negatives else None
        self._by_direction: dict[str, tuple[list[Exemplar], np.ndarray, np.ndarray]] = {}
        for direction in ("input", "output"):
            ex_idx = [i for i, e in enumerate(applicable) if e.direction == direction]
            neg_idx = [len(applicable) + i for i, e in enumerate(negatives) if e.direction == direction]
            dim = 512 if vectors is None else vectors.shape[1]
            ex_vecs = vectors[ex_idx] if vectors is not None and ex_idx else np.zeros((0, dim), np.float32)
            neg_vecs = vectors[neg_idx] if vectors is not None and neg_idx else np.zeros((0, dim), np.float32)
            self._by_direction[direction] = ([applicable[i] for i in ex_idx], ex_vecs, neg_vecs)

    def vetoed(self, text: str) -> set[str]:
        """Categories whose hedge or negation pattern (the policy's ``vetoes``) the text contains."""
        return {cat for cat, rx in self.vetoes.items() if text and rx.search(text)}

    def embed(self, units: list[str]) -> np.ndarray:
        return self._embed(units)

    def _applies(self, example: Exemplar) -> bool:
        if example.venues == "medical":
            return self._medical
        if example.venues == "non_medical":
            return not self._medical
        return True

    def search(self, units: list[str], direction: str, only: str | None = None,
               exclude: set[str] | frozenset[str] = frozenset(), text: str = "",
               vectors: np.ndarray | None = None) -> SemanticHit | None:
        """The strongest violation among ``units`` (the whole text and, for long texts, its sentences).

        ``text`` (the normalised whole text) is searched for each category's topic; where the topic is
        present the category's threshold drops to ``topic_threshold`` (never raises it). ``vectors``: the
        units' embeddings when the caller has them already (the engine shares them with the classifier)."""
        exemplars, ex_vecs, neg_vecs = self._by_direction[direction]
        if not exemplars or not units:
            return None
        thresholds = dict(self.thresholds)
        exclude = set(exclude) | self.vetoed(text)
        if self.topic_threshold is not None and text:
            for cat, pattern in self.topics.items():
                if cat in thresholds and pattern.search(text):
                    thresholds[cat] = min(thresholds[cat], self.topic_threshold)
        queries = self._embed(units) if vectors is None else vectors
        sims = queries @ ex_vecs.T
        neg = (queries @ neg_vecs.T).max(axis=1) if len(neg_vecs) else np.zeros(len(units))
        best: SemanticHit | None = None
        best_excess = -1.0
        for u in range(len(units)):
            order = np.argsort(-sims[u])
            for j in order[:8]:
                ex = exemplars[int(j)]
                if (only and ex.category != only) or ex.category in exclude:
                    continue
                sim = float(sims[u, j])
                threshold = thresholds.get(ex.category, 1.01)
                if sim < threshold or sim - float(neg[u]) < self.margin:
                    continue
                excess = sim - threshold
                if excess > best_excess:
                    best_excess = excess
                    best = SemanticHit(ex.category, sim, float(neg[u]), ex.text, int(j))
                break
        return best

    def scores(self, text: str, direction: str) -> list[tuple[float, str, str]]:
        """Top similarities for debugging and threshold tuning: (similarity, category, exemplar)."""
        exemplars, ex_vecs, neg_vecs = self._by_direction[direction]
        q = self._embed([text])[0]
        sims = ex_vecs @ q
        top = [(float(sims[i]), exemplars[i].category, exemplars[i].text) for i in np.argsort(-sims)[:5]]
        if len(neg_vecs):
            top.append((float((neg_vecs @ q).max()), "negative", ""))
        return top
