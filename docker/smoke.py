"""Build-time check of the API image, run with no network (``RUN --network=none``).

Why: an image that builds but whose first visitor triggers a model download (and fails, because clinics
run offline) is worse than a build that fails. This loads what a replica loads at its first request: the
settings, the app, the sentence encoder, Kiwi and the detector weights, and runs each once.
"""

from __future__ import annotations

import importlib.util
import sys
import time


def _step(name: str, started: float) -> None:
    sys.stdout.write(f"smoke: {name} ok ({time.perf_counter() - started:.1f}s)\n")


def main() -> int:
    from api.app import create_app
    from api.settings import get_settings

    settings = get_settings()
    t = time.perf_counter()
    create_app(settings)
    _step("api app", t)

    if not settings.detector_weights.is_file():
        sys.stderr.write(f"smoke: detector weights missing at {settings.detector_weights}\n")
        return 1

    t = time.perf_counter()
    from rag.embeddings import embed

    assert embed(["여드름 압출 가격이 얼마예요?"]).shape == (1, 512)
    _step("sentence encoder", t)

    t = time.perf_counter()
    from rag.korean import morphemes

    assert morphemes("피코토닝 가격")
    _step("kiwi", t)

    if importlib.util.find_spec("vision.detector") is not None:
        t = time.perf_counter()
        from vision.detector import Detector
        from vision.synthetic import make_photo

        image, _ = make_photo(800, 600, 3, 1, "medium")
        Detector(settings.detector_weights).analyze(image)
        _step("detector", t)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
