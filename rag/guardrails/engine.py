"""``Guardrails``: the input rail (visitor text) and the output rail (every reply and booking message).

Order of the layers, cheapest first: normalisation -> PII masking -> rules (regex on normalised views,
Kiwi lemmas) -> semantic similarity to exemplar violations -> the learned classifier (classifier.py), which
only adds a block above a high threshold where nothing else fired. Emergency triage wins over everything: if any
layer sees an emergency, the verdict is the urgent-care reply with ``escalate=True``, whatever else
matched. Among other categories the policy's priority decides (injection before prescription before
diagnosis before brokerage, inducement, ad_violation).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from rag.guardrails.classifier import IntentClassifier, IntentHit
from rag.guardrails.normalize import NormalizedText, normalize
from rag.guardrails.pii import apply_masks, find_pii, mask_pii
from rag.guardrails.policy import Policy, Rule, load_policy
from rag.guardrails.rules import RuleHit, match_rules, sentences
from rag.guardrails.semantic import EmbedFn, ExemplarIndex, SemanticHit
from rag.guardrails.verdict import Verdict

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_MAX_UNITS = 6


def _default_embed(texts: list[str]):  # imported lazily: the encoder costs ~150 MB
    from rag.embeddings import embed

    return embed(texts)


def _default_lemmas(text: str) -> frozenset[str]:
    from rag.korean import morphemes

    return frozenset(form for form, _tag in morphemes(text))


class Guardrails:
    """Checks text against the clinic's policy. Thread-safe; build one per process and venue.

    ``policy_path``: one extra policy file or a list of them, merged over the bundled default policy.
    ``venue_kind``: "clinic" (a medical institution) or e.g. "hotel", "spa", "diet_centre", where the
    brokerage rules are stricter. ``urgent_phone``: the clinic's urgent number for the emergency reply.
    ``public_numbers``: the clinic's own published phone numbers, never masked in replies.
    ``classifier``: the learned layer; by default the shipped model, used only with the shipped encoder
    (its weights are tied to those vectors) and when the policy sets ``classifier_threshold``.
    """

    def __init__(
        self,
        policy_path: str | Path | Sequence[str | Path] | None = None,
        venue_kind: str = "clinic",
        *,
        extra_policies: Iterable[str | Path] = (),
        urgent_phone: str | None = None,
        public_numbers: Iterable[str] = (),
        embed_fn: EmbedFn | None = None,
        use_semantic: bool = True,
        classifier: IntentClassifier | str | None = "default",
    ) -> None:
        paths: list[str | Path] = []
        if isinstance(policy_path, (str, Path)):
            paths.append(policy_path)
        elif policy_path:
            paths.extend(policy_path)
        paths.extend(extra_policies)
        self.policy: Policy = load_policy(paths)
        self.venue_kind = venue_kind
        self.medical = self.policy.is_medical(venue_kind)
        self.urgent_phone = urgent_phone
        self.public_numbers = tuple(public_numbers) + ((urgent_phone,) if urgent_phone else ())
        self._rules: dict[str, list[Rule]] = {
            d: [r for r in self.policy.rules if d in r.directions and self._venue_ok(r.venues)]
            for d in ("input", "output")
        }
        self._priority = {name: int(cfg.get("priority", 50)) for name, cfg in self.policy.categories.items()}
        self._index = (ExemplarIndex(self.policy, embed_fn or _default_embed, self.medical)
                       if use_semantic else None)
        self._needs_lemmas = any(r.lemmas for r in self.policy.rules)
        if classifier == "default":
            wanted = use_semantic and embed_fn is None and self.policy.classifier_threshold is not None
            classifier = IntentClassifier.load() if wanted else None
        # No threshold in the policy switches the layer off, whichever model was passed.
        self._classifier = (classifier if isinstance(classifier, IntentClassifier)
                            and self.policy.classifier_threshold is not None else None)

    def _venue_ok(self, venues: str) -> bool:
        if venues == "medical":
            return self.medical
        if venues == "non_medical":
            return not self.medical
        return True

    # ------------------------------------------------------------------ public API
    def check_input(self, text: str, lang: str | None = None) -> Verdict:
        return self._check(text, "input", lang)

    def check_output(self, text: str, lang: str | None = None, *, sources: Iterable[str] = ()) -> Verdict:
        """``sources``: the clinic passages the reply quotes. Phone numbers published in them (the clinic's
        desk or urgent line) are the clinic's own, not a visitor's, so they stay readable in the reply."""
        published = tuple(text_[s.start:s.end] for text_ in sources for s in find_pii(text_ or ""))
        return self._check(text, "output", lang, keep=self.public_numbers + published)

    def mask(self, text: str) -> str:
        return mask_pii(text, keep=self.public_numbers)

    # ------------------------------------------------------------------ internals
    def _check(self, text: str, direction: str, lang: str | None, keep: tuple[str, ...] | None = None) -> Verdict:
        start = time.perf_counter()
        keep = self.public_numbers if keep is None else keep
        text = text or ""
        norm = normalize(text, lang)
        # Landlines in the assistant's replies are desk numbers quoted from the clinic's documents.
        landlines = direction == "input"
        pii = find_pii(text, keep, landlines=landlines)
        masked = apply_masks(text, pii)
        lemmas = (_default_lemmas(norm.text) if self._needs_lemmas and _HANGUL.search(norm.text)
                  else frozenset())
        result = match_rules(self._rules[direction], norm, lemmas,
                             _default_lemmas if self._needs_lemmas and lemmas else None)
        hits = result.hits
        rule_hit = min(hits, key=lambda h: self._priority.get(h.rule.category, 50)) if hits else None
        semantic: SemanticHit | None = None
        learned: IntentHit | None = None
        wants_emergency = direction == "input" and "emergency" not in result.vetoed
        # The encoder is the costly step: embed only when the exemplars (and the learned layer) will look,
        # i.e. nothing fired, or a non-emergency rule fired on an input that may still be an emergency.
        if self._index is not None and (rule_hit is None or (wants_emergency
                                                             and rule_hit.rule.category != "emergency")):
            units = self._units(norm, direction)
            vectors = self._index.embed(units)
            only = None if rule_hit is None else "emergency"
            semantic = self._index.search(units, direction, only=only, exclude=result.vetoed,
                                          text=norm.text, vectors=vectors)
            if semantic is None and self._classifier is not None:
                threshold = self.policy.classifier_threshold or 0.0  # never None: no threshold, no classifier
                # Hedges and negations veto a category here as they do for the exemplars ("저는 따로 받는
                #거 없고" is not brokerage): the encoder barely sees negation.
                skip = set(result.vetoed) | self._index.vetoed(norm.text)
                if rule_hit is not None:
                    skip |= set(self._classifier.classes) - {"emergency"}
                # The whole text only: a sentence cut from its hedge ("...red spots. A dermatologist must
                # confirm what they are") reads as a diagnosis; on the blind sets the sentence units added
                # as many false positives as catches.
                learned = self._classifier.strongest(vectors[:1], direction, threshold, exclude=skip)
        own_reply: tuple[tuple[str, str], ...] = ()
        if rule_hit and (semantic is None or semantic.category != "emergency") and learned is None:
            category, reason = rule_hit.rule.category, f"rule:{rule_hit.rule.id} ({rule_hit.rule.reason}) " \
                                                       f"matched {rule_hit.snippet!r}"
            own_reply = rule_hit.rule.reply
        elif semantic:
            category = semantic.category
            reason = (f"exemplar:{semantic.category}#{semantic.index} sim={semantic.similarity:.3f} "
                      f"(nearest allowed {semantic.negative_similarity:.3f}) like {semantic.exemplar!r}")
        elif learned:
            category = learned.category
            reason = f"classifier:{learned.category} p={learned.probability:.3f}"
        else:
            category, reason = None, None
        if category is None and masked != text:
            kinds = sorted({s.kind for s in pii})
            category, reason = "pii", "masked: " + ", ".join(kinds)
        blocked = category is not None and category != "pii"
        return Verdict(
            allowed=not blocked,
            category=category,
            reason=reason,
            masked_text=masked,
            safe_reply=self._reply(category, norm.lang, own_reply) if blocked else None,
            escalate=bool(blocked and self.policy.categories.get(category, {}).get("escalate", True)),
            latency_ms=round((time.perf_counter() - start) * 1000, 3),
            direction=direction,
            lang=norm.lang,
        )

    @staticmethod
    def _units(norm: NormalizedText, direction: str) -> list[str]:
        units = [norm.text]
        parts = sentences(norm.text)
        if len(parts) > 1:
            units.extend(parts[:_MAX_UNITS])
        return units

    def _reply(self, category: str, lang: str, own: tuple[tuple[str, str], ...] = ()) -> str:
        replies = dict(own) or self.policy.categories.get(category, {}).get("reply") or {}
        template = str(replies.get(lang) or replies.get("en") or replies.get("ko") or "")
        phone = self.urgent_phone
        return " ".join(template.replace(
            "{urgent_ko}", f" 병원 응급 연락처: {phone}." if phone else "").replace(
            "{urgent_en}", f" The clinic's urgent line: {phone}." if phone else "").split())


def describe(hit: RuleHit) -> str:
    return f"{hit.rule.category}:{hit.rule.id}"
