"""Knowledge commands: ingest, ask, eval rag."""

from __future__ import annotations

from pathlib import Path

import typer

from api.cli.common import not_ready


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command()
    def ingest(directory: Path, clinic: str = typer.Option("demo-clinic", "--clinic")) -> None:
        """Index a clinic's documents (Markdown, text, PDF) into its vector collection."""
        not_ready("ingest", 4)

    @app.command()
    def ask(question: str, clinic: str = typer.Option("demo-clinic", "--clinic")) -> None:
        """Ask the clinic assistant a question; prints the answer with citations."""
        not_ready("ask", 4)

    @eval_app.command("rag")
    def eval_rag(kb: Path = typer.Option(..., "--kb"), cases: Path = typer.Option(..., "--cases")) -> None:
        """Ingest a knowledge folder into a throwaway clinic and score answers on a case file."""
        not_ready("eval rag", 4)
