"""Detector commands: analyze, train, eval vision."""

from __future__ import annotations

from pathlib import Path

import typer

from api.cli.common import not_ready


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command()
    def analyze(photo: Path, json_out: bool = typer.Option(False, "--json")) -> None:
        """Detect skin lesions in a photo (SAHI-sliced YOLO) and print lesions, counts and grade."""
        not_ready("analyze", 3)

    @app.command()
    def train(config: Path) -> None:
        """Train the lesion detector from a YAML experiment config."""
        not_ready("train", 3)

    @eval_app.command("vision")
    def eval_vision(data: Path = typer.Option(..., "--data")) -> None:
        """mAP, recall by box size, counting error and grade accuracy on a labelled folder."""
        not_ready("eval vision", 3)
