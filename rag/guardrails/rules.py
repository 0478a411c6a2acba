"""The rule layer: regular expressions over normalised text views, plus Kiwi lemma sets.

Each pattern is tried on the normalised text and on its compact form ("할 인" -> "할인"), so spacing
tricks don't need their own patterns. Sentence-scoped rules run per sentence so a hedge in one sentence
("a doctor must confirm") doesn't excuse a diagnosis stated in another.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rag.guardrails.normalize import NormalizedText
from rag.guardrails.policy import Rule

_SENTENCE = re.compile(r"(?<=[.!?。])\s+|\n+|(?<=다\.)|(?<=요\.)")
_COMPACT_DROP = re.compile(r"[\s.\-_·*~|/\\'\"`^+=,:;]+")


@dataclass(frozen=True)
class RuleHit:
    rule: Rule
    snippet: str


@dataclass
class RuleResult:
    """Rules that fired, and categories a rule *vetoed*: its pattern matched but an ``unless`` hedge or
    negation cancelled it ("부작용이 전혀 없는 시술은 없어요"). The semantic layer must not overrule a veto,
    because embeddings barely see negation."""

    hits: list[RuleHit]
    vetoed: set[str]


_VETO = object()


def _views(text: str) -> tuple[str, ...]:
    return text, _COMPACT_DROP.sub("", text)


def _search(patterns: tuple[re.Pattern[str], ...], views: tuple[str, ...]) -> re.Match[str] | None:
    for pattern in patterns:
        for view in views:
            m = pattern.search(view)
            if m:
                return m
    return None


def _matches(rule: Rule, views: tuple[str, ...], lemmas: frozenset[str]) -> re.Match[str] | str | bool | None:
    """The regex match (or the matched lemmas, "규칙+무시") when the rule fires, ``_VETO`` when a hedge
    cancels it, None otherwise."""
    first: re.Match[str] | None = None
    if rule.any:
        first = _search(rule.any, views)
        if not first:
            return None
    for group in rule.all:
        m = _search(group, views)
        if not m:
            return None
        first = first or m
    if rule.lemmas:
        found = next((s for s in rule.lemmas if all(slot & lemmas for slot in s)), None)
        if found is None:
            return None
        lemma_hit = "+".join(sorted(slot & lemmas)[0] for slot in found)
    else:
        lemma_hit = None
    if (rule.unless and _search(rule.unless, views)
            and not (rule.unless_overridden_by and _search(rule.unless_overridden_by, views))):
        return _VETO  # type: ignore[return-value]
    return first or lemma_hit or True


def _snippet(m: re.Match[str] | str | bool, text: str) -> str:
    if isinstance(m, re.Match):
        return m.group(0)
    return f"lemmas {m}" if isinstance(m, str) else text[:40]


def sentences(text: str) -> list[str]:
    parts = [p.strip() for p in _SENTENCE.split(text) if p and p.strip()]
    return parts or [text]


def match_rules(rules: list[Rule], norm: NormalizedText, lemmas: frozenset[str],
                lemmas_of: Callable[[str], frozenset[str]] | None = None) -> RuleResult:
    """Every rule that fires on the text (callers pick by category priority), and vetoed categories.

    ``scope: line`` rules look at one line at a time, lemmas included (``lemmas_of``): a reply quotes several
    lines of different documents, and a lemma pair split across two of them ("항공권" in one, "내" in the
    next) states nothing."""
    hits: list[RuleHit] = []
    vetoed: set[str] = set()
    whole = (norm.text, norm.compact, *norm.variants)
    segments: dict[str, list[tuple[str, ...]]] = {}  # views of each sentence or line, made once per scope
    line_lemmas: dict[str, frozenset[str]] = {}
    for rule in rules:
        if rule.scope in ("line", "sentence"):
            if rule.scope not in segments:
                # sentences never run across a line break: a reply's bullet lines are separate statements
                parts = (norm.lines or (norm.text,)) if rule.scope == "line" else [
                    s for line in (norm.lines or (norm.text,)) for s in sentences(line)]
                segments[rule.scope] = [_views(part) for part in parts]
            lemmas_for = lemmas_of if rule.scope == "line" and rule.lemmas else None
            for views in segments[rule.scope]:
                if lemmas_for is not None and views[0] not in line_lemmas:
                    line_lemmas[views[0]] = lemmas_for(views[0])
                m = _matches(rule, views, line_lemmas[views[0]] if lemmas_for is not None else lemmas)
                if m is _VETO:
                    vetoed.add(rule.category)
                elif m:
                    hits.append(RuleHit(rule, _snippet(m, views[0])))
                    break
        else:
            m = _matches(rule, whole, lemmas)
            if m is _VETO:
                vetoed.add(rule.category)
            elif m:
                hits.append(RuleHit(rule, _snippet(m, norm.text)))
    return RuleResult(hits, vetoed - {h.rule.category for h in hits})
