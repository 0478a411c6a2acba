"""Small things every CLI module shares: JSON printing and the honest "not built yet" exit."""

from __future__ import annotations

import json
from typing import Any, NoReturn

import typer


def print_json(payload: Any) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))


def not_ready(what: str, issue: int) -> NoReturn:
    """Commands whose issue is not done say so and exit non-zero instead of pretending."""
    typer.echo(f"skinchat: '{what}' is not built yet (issue #{issue}).", err=True)
    raise typer.Exit(code=3)
