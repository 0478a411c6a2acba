"""Detector commands: ``analyze``, ``train``, ``eval vision``. Thin wrappers over the ``vision`` library;
defaults come from ``api.settings`` (the library itself takes plain arguments)."""

from __future__ import annotations

from pathlib import Path

import typer

from api.cli.common import print_json

FORMATS = ("voc", "coco", "yolo")


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"skinchat: {message}", err=True)
    raise typer.Exit(code=code)


def _detector(
    weights: Path | None,
    slice_size: int | None,
    overlap: float | None,
    full_frame: bool | None,
    confidence: float | None,
    onnx: bool,
    max_side: int | None = None,
):
    from api.settings import get_settings

    s = get_settings()
    path = Path(weights) if weights else Path(s.detector_weights)
    if not path.exists() and not (onnx and path.with_suffix(".onnx").exists()):
        _fail(f"detector weights not found: {path}")
    from vision.detector import Detector

    return Detector(
        path,
        slice_size=slice_size or s.detector_slice_size,
        overlap=s.detector_slice_overlap if overlap is None else overlap,
        full_frame_pass=s.detector_full_frame_pass if full_frame is None else full_frame,
        confidence=confidence or s.detector_confidence,
        prefer_onnx=onnx,
        max_side=_working_side(
            s.detector_max_side if max_side is None else max_side, slice_size or s.detector_slice_size
        ),
    )


def _working_side(max_side: int, slice_size: int) -> int:
    """A ``--slice-size`` larger than the configured working resolution raises it rather than failing."""
    return max(max_side, slice_size) if max_side else 0


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command()
    def analyze(
        photo: Path,
        json_out: bool = typer.Option(False, "--json", help="Print the analysis as JSON."),
        overlay: Path | None = typer.Option(
            None, "--overlay", help="Write the photo with lesion boxes here."
        ),
        weights: Path | None = typer.Option(None, "--weights", help="Default: SKINCHAT_DETECTOR_WEIGHTS."),
        slice_size: int | None = typer.Option(None, "--slice-size"),
        overlap: float | None = typer.Option(None, "--overlap"),
        full_frame: bool | None = typer.Option(
            None, "--full-frame/--no-full-frame", help="Add SAHI's full-frame pass to the slices."
        ),
        confidence: float | None = typer.Option(None, "--confidence"),
        onnx: bool = typer.Option(False, "--onnx", help="Use WEIGHTS with .onnx suffix when it exists."),
        max_side: int | None = typer.Option(
            None, "--max-side", help="Scale larger photos down to this longer side first (0: full resolution)."
        ),
    ) -> None:
        """Detect skin lesions in a photo (SAHI-sliced YOLO) and print lesions, counts and grade."""
        import vision  # noqa: F401
        from vision.photo import PhotoRejected, load_photo

        if not photo.is_file():
            _fail(f"photo not found: {photo}")
        try:
            image = load_photo(photo.read_bytes())
        except PhotoRejected as rej:
            if json_out:
                print_json(
                    {
                        "rejected": {
                            "code": rej.code,
                            "message_ko": rej.message_ko,
                            "message_en": rej.message_en,
                            "detail": rej.detail,
                        }
                    }
                )
            else:
                typer.echo(f"{rej.message_ko}\n{rej.message_en} ({rej.code})", err=True)
            raise typer.Exit(code=2) from None
        analysis = _detector(weights, slice_size, overlap, full_frame, confidence, onnx, max_side).analyze(image)
        if overlay:
            overlay.parent.mkdir(parents=True, exist_ok=True)
            analysis.overlay().save(overlay)
        if json_out:
            print_json(analysis.to_dict())
            return
        g = analysis.grade
        typer.echo(
            f"{len(analysis.lesions)} lesions, grade {g.level} {g.name} ({g.name_ko}); "
            f"{analysis.timing_ms['total_ms']:.0f} ms"
        )
        for label, n in analysis.counts.items():
            typer.echo(f"  {label}: {n}")

    @app.command()
    def train(config: Path) -> None:
        """Train the lesion detector from a YAML experiment config."""
        if not config.is_file():
            _fail(f"experiment config not found: {config}")
        from vision.training import train as run_training

        try:
            result = run_training(config)
        except (ValueError, FileNotFoundError) as exc:
            _fail(str(exc))
            return
        print_json(
            {
                "run_dir": str(result.run_dir),
                "best": str(result.best) if result.best else None,
                "epochs_run": result.epochs_run,
                "seconds": round(result.seconds, 1),
                "metrics": result.metrics,
            }
        )

    @eval_app.command("vision")
    def eval_vision(
        data: Path = typer.Option(..., "--data", help="Labelled folder (or COCO json)."),
        fmt: str = typer.Option("voc", "--format", help="voc | coco | yolo"),
        json_out: bool = typer.Option(False, "--json"),
        weights: Path | None = typer.Option(None, "--weights"),
        confidence: float | None = typer.Option(None, "--confidence", help="Operating confidence."),
        max_images: int | None = typer.Option(None, "--max-images"),
        mosaics: bool = typer.Option(
            True, "--mosaics/--no-mosaics", help="Sliced vs full-frame on 3x3 mosaics."
        ),
        onnx: bool = typer.Option(False, "--onnx"),
        max_mosaics: int | None = typer.Option(None, "--max-mosaics", help="Cap the 3x3 mosaics (time)."),
    ) -> None:
        """mAP, recall by box size, counting error and grade accuracy on a labelled folder."""
        if fmt not in FORMATS:
            _fail(f"unknown --format {fmt!r}; use one of {', '.join(FORMATS)}")
        if not data.exists():
            _fail(f"data not found: {data}")
        import vision  # noqa: F401
        from vision.datasets import read_samples
        from vision.evaluation import evaluate

        samples, report = read_samples(data, fmt)  # type: ignore[arg-type]
        if max_images and len(samples) > max_images:  # evenly spaced, so every grade is represented
            step = len(samples) / max_images
            samples = [samples[int(i * step)] for i in range(max_images)]
        if not samples:
            _fail(f"no labelled images in {data} as {fmt} (problems: {dict(report.codes())})")
        detector = _detector(weights, None, None, None, confidence, onnx)
        result = evaluate(detector, samples, mosaics=mosaics, max_mosaics=max_mosaics)
        result["import_problems"] = dict(report.codes())
        if json_out:
            print_json(result)
            return
        typer.echo(
            f"images {result['images']}  mAP50 {result['mAP50']:.3f}  mAP50-95 {result['mAP50-95']:.3f}  "
            f"count MAE {result['count_mae']:.2f}  grade acc {result['grade_accuracy']}"
        )
        typer.echo(f"recall by size: {result['recall_by_size']}")
        if "mosaic" in result:
            m = result["mosaic"]
            typer.echo(
                f"3x3 mosaics: sliced {m['recall_sliced']['all']}  full-frame {m['recall_full_frame']['all']}"
            )
