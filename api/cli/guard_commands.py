"""Guardrail commands: guard, eval guardrails."""

from __future__ import annotations

from pathlib import Path

import typer

from api.cli.common import not_ready


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command()
    def guard(text: str, direction: str = typer.Option("input", "--direction")) -> None:
        """Check one text against the guardrails and print the verdict."""
        not_ready("guard", 5)

    @eval_app.command("guardrails")
    def eval_guardrails(cases: Path) -> None:
        """Score the guardrails on a JSON-lines red-team file."""
        not_ready("eval guardrails", 5)
