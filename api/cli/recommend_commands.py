"""Recommendation command."""

from __future__ import annotations

from pathlib import Path

import typer

from api.cli.common import not_ready


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command()
    def recommend(analysis: Path = typer.Option(..., "--analysis")) -> None:
        """Products and procedures for an analysis, each with its reason."""
        not_ready("recommend", 6)
