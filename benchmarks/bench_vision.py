"""Latency and peak memory of the lesion detector on a 12-megapixel photo (not a test: prints numbers).

Usage: .venv/bin/python benchmarks/bench_vision.py [--weights PATH] [--runs 7] [--photo PATH]

Modes: one full-frame pass (the photo resized to 640), SAHI slices over the photo at full resolution
(``sliced_native``), SAHI slices after scaling to the working resolution ``--max-side`` (``sliced_pt``, the
default configuration, SKINCHAT_DETECTOR_MAX_SIDE), the same with the ONNX export (exported beside the weights
when missing). Each mode runs in its own subprocess so peak
RSS (ru_maxrss) is that mode's own; the first call (model warm-up) is excluded from the percentiles.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def run_mode(
    mode: str, weights: Path, photo: Path | None, runs: int, slice_size: int, overlap: float, max_side: int
) -> dict:
    import numpy as np
    from PIL import Image

    import vision  # noqa: F401
    from vision.detector import Detector
    from vision.synthetic import make_photo

    if photo:
        image = Image.open(photo).convert("RGB")
    else:
        image, _ = make_photo(4000, 3000, 60, seed=0, skin_tone="medium")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    det = Detector(
        weights,
        slice_size=slice_size,
        overlap=overlap,
        confidence=0.25,
        prefer_onnx=(mode == "sliced_onnx"),
        max_side=0 if mode == "sliced_native" else max_side,
    )
    times, n = [], 0
    for i in range(runs + 1):
        t = time.perf_counter()
        if mode == "full_frame":
            lesions, _ = det.predict(image, sliced=False)
        else:
            lesions = det.analyze(image).lesions
        if i:  # first call warms up the model
            times.append((time.perf_counter() - t) * 1000)
        n = len(lesions)
    return {
        "mode": mode,
        "backend": det.backend,
        "weights": det.weights.name,
        "size": list(image.size),
        "runs": runs,
        "p50_ms": float(np.percentile(times, 50)),
        "p95_ms": float(np.percentile(times, 95)),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_before_model_mb": rss_before / 1024,
        "lesions": n,
        "max_side": det.max_side,
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--weights", type=Path, default=REPO / "vision" / "weights" / "skinchat-acne-yolo.pt")
    ap.add_argument("--photo", type=Path, default=None, help="default: a synthetic 4000x3000 photo")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--slice-size", type=int, default=640)
    ap.add_argument("--overlap", type=float, default=0.2)
    ap.add_argument("--max-side", type=int, default=2560, help="working resolution of sliced_pt/sliced_onnx")
    ap.add_argument("--modes", default="full_frame,sliced_native,sliced_pt,sliced_onnx")
    ap.add_argument("--one", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(
            json.dumps(
                run_mode(
                    args.one, args.weights, args.photo, args.runs, args.slice_size, args.overlap, args.max_side
                )
            )
        )
        return
    modes = args.modes.split(",")
    if "sliced_onnx" in modes and not args.weights.with_suffix(".onnx").exists():
        import vision  # noqa: F401
        from vision.export import export_onnx

        t = time.perf_counter()
        export_onnx(args.weights)
        print(f"exported {args.weights.with_suffix('.onnx')} in {time.perf_counter() - t:.1f} s")
    head = f"{'mode':<14} {'backend':<8} {'size':<10} {'max side':>8} {'p50 ms':>8} {'p95 ms':>8} {'peak MB':>8}"
    print(head + " lesions")
    for mode in modes:
        cmd = [
            sys.executable,
            __file__,
            "--one",
            mode,
            "--weights",
            str(args.weights),
            "--runs",
            str(args.runs),
            "--slice-size",
            str(args.slice_size),
            "--overlap",
            str(args.overlap),
            "--max-side",
            str(args.max_side),
        ]
        if args.photo:
            cmd += ["--photo", str(args.photo)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if out.returncode:
            print(f"{mode}: failed\n{out.stderr[-2000:]}")
            continue
        r = json.loads(out.stdout.strip().splitlines()[-1])
        size = "x".join(map(str, r["size"]))
        print(
            f"{mode:<14} {r['backend']:<8} {size:<10} {r['max_side']:>8} {r['p50_ms']:8.0f} {r['p95_ms']:8.0f} "
            f"{r['peak_rss_mb']:8.0f} {r['lesions']}"
        )


if __name__ == "__main__":
    main()
