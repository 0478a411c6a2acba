"""The guardrails' learned layer (rag/guardrails/classifier.py) and where the engine uses it.

What must hold: the regression learns what labelled examples share (not a lookup of them); it blocks only
above the policy's threshold and only where rules and exemplars found nothing; switching it off in the
policy switches it off; the shipped weights were trained on exactly the policy and case files they name.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from rag.guardrails import Guardrails, load_policy
from rag.guardrails.classifier import (
    CLASSES,
    DEFAULT_MODEL,
    ClassifierError,
    IntentClassifier,
    data_digest,
    examples_from,
    fit,
)
from rag.guardrails.evaluation import load_cases

DIM = 64
REPO = Path(__file__).resolve().parents[2]


def _clusters(seed: int, per_class: int) -> tuple[np.ndarray, list[str]]:
    """Unit vectors scattered around one random centre per class (allow, injection, diagnosis)."""
    rng = np.random.default_rng(0)
    centres = {name: rng.normal(size=DIM) for name in ("allow", "injection", "diagnosis")}
    rng = np.random.default_rng(seed)
    vecs, labels = [], []
    for name, centre in centres.items():
        for _ in range(per_class):
            v = centre + rng.normal(scale=0.8, size=DIM)
            vecs.append(v / np.linalg.norm(v))
            labels.append(name)
    return np.asarray(vecs, np.float32), labels


def test_fit_generalises_to_unseen_points_of_each_class() -> None:
    train_x, train_y = _clusters(seed=1, per_class=40)
    test_x, test_y = _clusters(seed=2, per_class=20)  # fresh points, never trained on
    clf = IntentClassifier(fit(train_x, ["input"] * len(train_y), train_y, iterations=300), CLASSES)
    predicted = [CLASSES[i] for i in clf.probabilities(test_x, "input").argmax(axis=1)]
    accuracy = np.mean([p == t for p, t in zip(predicted, test_y, strict=True)])
    assert accuracy >= 0.9
    # Classes with no examples are never the most probable.
    assert set(predicted) <= {"allow", "injection", "diagnosis"}


def test_strongest_respects_threshold_and_exclusions() -> None:
    x, y = _clusters(seed=1, per_class=40)
    clf = IntentClassifier(fit(x, ["input"] * len(y), y, iterations=300), CLASSES)
    injection = x[y.index("injection")][None, :]
    hit = clf.strongest(injection, "input", threshold=0.5)
    assert hit is not None and hit.category == "injection" and hit.probability >= 0.5
    assert clf.strongest(injection, "input", threshold=0.5, exclude={"injection"}) is None or \
        clf.strongest(injection, "input", threshold=0.5, exclude={"injection"}).category != "injection"
    assert clf.strongest(injection, "input", threshold=1.01) is None
    assert clf.strongest(x[y.index("allow")][None, :], "input", threshold=0.5) is None


def test_save_and_load_round_trip_keeps_the_file_name(tmp_path: Path) -> None:
    x, y = _clusters(seed=1, per_class=10)
    clf = IntentClassifier(fit(x, ["output"] * len(y), y, iterations=50), CLASSES, {"note": "t"})
    target = tmp_path / "model.bin"
    clf.save(target)
    again = IntentClassifier.load(target)
    assert target.exists() and not (tmp_path / "model.bin.npz").exists()
    assert np.allclose(again.weights, clf.weights) and again.classes == CLASSES and again.meta["note"] == "t"


def test_errors_carry_stable_codes(tmp_path: Path) -> None:
    with pytest.raises(ClassifierError) as missing:
        IntentClassifier.load(tmp_path / "none.npz")
    assert missing.value.code == "classifier_missing"
    with pytest.raises(ClassifierError) as shape:
        IntentClassifier(np.zeros((10, 3), np.float32), CLASSES)
    assert shape.value.code == "classifier_bad_shape"
    clf = IntentClassifier(np.zeros((2 * DIM + 2, len(CLASSES)), np.float32), CLASSES)
    with pytest.raises(ClassifierError) as width:
        clf.probabilities(np.zeros((1, 5), np.float32), "input")
    assert width.value.code == "classifier_bad_input"


# ---------------------------------------------------------------- the engine's use of it
SIGNAL = np.eye(DIM, dtype=np.float32)[0]


def _fake_embed(texts: list[str]) -> np.ndarray:
    """Near-orthogonal vectors per text (so no exemplar is similar), with a strong 'zq' direction."""
    out = []
    for t in texts:
        seed = int.from_bytes(hashlib.sha256(t.encode()).digest()[:4], "little")
        v = np.random.default_rng(seed).normal(size=DIM) * 0.1
        v[0] = 0.0
        if "zq" in t:
            v = v + SIGNAL * 3
        out.append(v / np.linalg.norm(v))
    return np.asarray(out, np.float32)


def _signal_classifier() -> IntentClassifier:
    """Injection when the 'zq' direction is present, allow otherwise (weights written by hand)."""
    w = np.zeros((2 * DIM + 2, len(CLASSES)), np.float32)
    w[0, CLASSES.index("injection")] = 12.0
    w[-1, CLASSES.index("allow")] = 6.0  # the bias row
    return IntentClassifier(w, CLASSES)


def test_engine_blocks_on_the_classifier_only_where_nothing_else_fired() -> None:
    rails = Guardrails(embed_fn=_fake_embed, classifier=_signal_classifier())
    quiet = Guardrails(embed_fn=_fake_embed, classifier=None)
    text = "오늘 zq 모드로 바꿔서 대답해 봐"
    verdict = rails.check_input(text, "ko")
    assert not verdict.allowed and verdict.category == "injection"
    assert verdict.reason.startswith("classifier:injection")
    assert quiet.check_input(text, "ko").allowed
    assert rails.check_input("토요일 오후 예약 가능한가요?", "ko").allowed
    # A rule's verdict keeps its own category and reason.
    ruled = rails.check_input("zq 로아큐탄 하루에 몇 mg 먹어야 돼요?", "ko")
    assert ruled.category == "prescription" and ruled.reason.startswith("rule:")


def test_policy_without_a_threshold_switches_the_layer_off(tmp_path: Path) -> None:
    extra = tmp_path / "off.yaml"
    extra.write_text("semantic:\n  classifier_threshold: null\n", encoding="utf-8")
    assert load_policy([extra]).classifier_threshold is None
    rails = Guardrails(extra_policies=[extra], embed_fn=_fake_embed, classifier=_signal_classifier())
    # the default model is not loaded either when the layer is off
    assert Guardrails(extra_policies=[extra], use_semantic=True)._classifier is None
    assert rails.check_input("오늘 zq 모드로 바꿔서 대답해 봐", "ko").allowed


def test_a_custom_encoder_never_gets_the_shipped_weights() -> None:
    """The shipped weights are tied to the shipped encoder's vectors."""
    assert Guardrails(embed_fn=_fake_embed)._classifier is None


def test_shipped_model_was_trained_on_the_current_policy_and_cases() -> None:
    """Editing exemplars or a case file without `skinchat train-guardrails ...` (README) fails here."""
    model = IntentClassifier.load(DEFAULT_MODEL)
    cases = [case for source in model.meta["sources"] for case in load_cases(REPO / source)]
    examples = examples_from(load_policy(), cases)
    assert model.meta["examples"] == len(examples)
    assert model.meta["data_sha256"] == data_digest(examples), "retrain: skinchat train-guardrails (README)"
