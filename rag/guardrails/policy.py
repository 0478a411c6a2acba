"""Loading and merging the YAML policy (the default one plus a clinic's extensions).

The policy is data so a clinic's compliance officer can add rules, exemplars and replies without code.
Merge rules: categories and semantic settings are merged key by key (later files win), rules with an
existing id replace it, ``disable_rules`` removes ids, exemplars and negatives are appended.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rag.guardrails.verdict import CATEGORIES

DEFAULT_POLICY = Path(__file__).with_name("policy.yaml")
DIRECTIONS = ("input", "output")
_TERM = re.compile(r"\{([a-z_]+)\}")


class PolicyError(ValueError):
    """A policy file is malformed. ``code`` is stable for logs and the CLI."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    directions: tuple[str, ...]
    venues: str
    any: tuple[re.Pattern[str], ...]
    all: tuple[tuple[re.Pattern[str], ...], ...]
    # Each lemma set is a tuple of slots; a slot lists alternatives ("규칙|지시|지침"), so one set states an
    # intent and its object ("drop" x "rules") without spelling out every pairing.
    lemmas: tuple[tuple[frozenset[str], ...], ...]
    unless: tuple[re.Pattern[str], ...]
    unless_overridden_by: tuple[re.Pattern[str], ...]
    scope: str
    reason: str
    # ((lang, text), ...): this rule's own reply instead of its category's (thoughts of suicide need the
    # crisis line, not the procedure-emergency reply).
    reply: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Exemplar:
    category: str
    direction: str
    venues: str
    text: str


@dataclass
class Policy:
    categories: dict[str, dict[str, Any]]
    medical_venues: frozenset[str]
    margin: float
    thresholds: dict[str, float]
    non_medical_thresholds: dict[str, float]
    rules: list[Rule]
    exemplars: list[Exemplar]
    negatives: list[Exemplar] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    topics: dict[str, re.Pattern[str]] = field(default_factory=dict)
    topic_threshold: float | None = None
    semantic_vetoes: dict[str, re.Pattern[str]] = field(default_factory=dict)
    classifier_threshold: float | None = None  # None: the learned layer is off

    def is_medical(self, venue_kind: str) -> bool:
        return venue_kind in self.medical_venues


def _read(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except FileNotFoundError as exc:
        raise PolicyError("policy_not_found", str(path)) from exc
    except yaml.YAMLError as exc:
        raise PolicyError("policy_invalid_yaml", f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise PolicyError("policy_invalid", f"{path}: top level must be a mapping")
    return data


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key in ("categories", "terms"):
        merged = {k: dict(v) if isinstance(v, dict) else v for k, v in (base.get(key) or {}).items()}
        for name, value in (extra.get(key) or {}).items():
            if isinstance(value, dict) and isinstance(merged.get(name), dict):
                merged[name] = {**merged[name], **value}
            else:
                merged[name] = value
        out[key] = merged
    semantic = dict(base.get("semantic") or {})
    for key, value in (extra.get("semantic") or {}).items():
        semantic[key] = {**semantic.get(key, {}), **value} if isinstance(value, dict) else value
    out["semantic"] = semantic
    if extra.get("venues"):
        out["venues"] = {**(base.get("venues") or {}), **extra["venues"]}
    rules = {r["id"]: r for r in base.get("rules") or []}
    for rule in extra.get("rules") or []:
        rules[rule["id"]] = rule
    for rule_id in extra.get("disable_rules") or []:
        rules.pop(rule_id, None)
    out["rules"] = list(rules.values())
    out["exemplars"] = list(base.get("exemplars") or []) + list(extra.get("exemplars") or [])
    out["negatives"] = list(base.get("negatives") or []) + list(extra.get("negatives") or [])
    return out


def _compile(pattern: str, terms: dict[str, str], where: str) -> re.Pattern[str]:
    expanded = _TERM.sub(lambda m: terms.get(m.group(1), m.group(0)), pattern)
    try:
        return re.compile(expanded, re.IGNORECASE)
    except re.error as exc:
        raise PolicyError("policy_bad_pattern", f"{where}: {pattern!r}: {exc}") from exc


def _build_rule(raw: dict[str, Any], terms: dict[str, str]) -> Rule:
    rule_id = str(raw.get("id") or "")
    category = raw.get("category")
    if not rule_id or category not in CATEGORIES:
        raise PolicyError("policy_bad_rule", f"rule {rule_id!r} needs an id and a known category")
    directions = tuple(raw.get("directions") or DIRECTIONS)
    if any(d not in DIRECTIONS for d in directions):
        raise PolicyError("policy_bad_rule", f"rule {rule_id}: directions must be input/output")
    if not (raw.get("any") or raw.get("all") or raw.get("lemmas")):
        raise PolicyError("policy_bad_rule", f"rule {rule_id}: needs any, all or lemmas")

    def comp(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
        return tuple(_compile(str(p), terms, rule_id) for p in patterns or ())

    return Rule(
        id=rule_id, category=category, directions=directions, venues=str(raw.get("venues", "any")),
        any=comp(raw.get("any") or ()), all=tuple(comp(group) for group in raw.get("all") or ()),
        lemmas=_lemma_sets(raw.get("lemmas") or (), rule_id), unless=comp(raw.get("unless") or ()),
        unless_overridden_by=comp(raw.get("unless_overridden_by") or ()),
        scope=str(raw.get("scope", "text")), reason=str(raw.get("reason") or rule_id),
        reply=_rule_reply(raw.get("reply"), rule_id),
    )


def _rule_reply(raw: Any, rule_id: str) -> tuple[tuple[str, str], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not raw or not all(isinstance(v, str) and v.strip() for v in raw.values()):
        raise PolicyError("policy_bad_rule", f"rule {rule_id}: reply is a mapping of language to text")
    return tuple((str(lang), " ".join(text.split())) for lang, text in raw.items())


def _lemma_sets(raw: Iterable[Any], rule_id: str) -> tuple[tuple[frozenset[str], ...], ...]:
    sets = []
    for entry in raw:
        if not isinstance(entry, (list, tuple)) or not entry:
            raise PolicyError("policy_bad_rule", f"rule {rule_id}: a lemma set is a non-empty list")
        slots = tuple(frozenset(a.strip() for a in str(slot).split("|") if a.strip()) for slot in entry)
        if not all(slots):
            raise PolicyError("policy_bad_rule", f"rule {rule_id}: empty lemma slot in {entry!r}")
        sets.append(slots)
    return tuple(sets)


def _examples(groups: list[dict[str, Any]], kind: str) -> list[Exemplar]:
    out = []
    for group in groups:
        category = group.get("category", "") if kind == "exemplars" else ""
        if kind == "exemplars" and category not in CATEGORIES:
            raise PolicyError("policy_bad_exemplar", f"unknown category {category!r}")
        direction = group.get("direction", "input")
        for text in group.get("texts") or []:
            out.append(Exemplar(category, direction, str(group.get("venues", "any")), str(text)))
    return out


def load_policy(paths: Iterable[str | Path] = ()) -> Policy:
    """The default policy merged with each extra file, in order."""
    data = _read(DEFAULT_POLICY)
    sources = [str(DEFAULT_POLICY)]
    for path in paths:
        data = _merge(data, _read(Path(path)))
        sources.append(str(path))
    terms = {k: str(v) for k, v in (data.get("terms") or {}).items()}
    semantic = data.get("semantic") or {}
    return Policy(
        categories=data.get("categories") or {},
        medical_venues=frozenset((data.get("venues") or {}).get("medical") or ["clinic"]),
        margin=float(semantic.get("margin", 0.04)),
        thresholds={k: float(v) for k, v in (semantic.get("thresholds") or {}).items()},
        non_medical_thresholds={k: float(v)
                                for k, v in (semantic.get("non_medical_thresholds") or {}).items()},
        rules=[_build_rule(r, terms) for r in data.get("rules") or []],
        exemplars=_examples(data.get("exemplars") or [], "exemplars"),
        negatives=_examples(data.get("negatives") or [], "negatives"),
        sources=sources,
        topics={cat: _compile(str(rx), terms, f"topic {cat}")
                for cat, rx in (semantic.get("topics") or {}).items()},
        topic_threshold=float(semantic["topic_threshold"]) if "topic_threshold" in semantic else None,
        semantic_vetoes={cat: _compile(str(rx), terms, f"veto {cat}")
                         for cat, rx in (semantic.get("vetoes") or {}).items()},
        classifier_threshold=(float(semantic["classifier_threshold"])
                              if semantic.get("classifier_threshold") is not None else None),
    )
