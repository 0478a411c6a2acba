"""The ``skinchat`` command. Each domain registers its own commands from its own module."""

from __future__ import annotations

import typer

from api.cli import (
    guard_commands,
    rag_commands,
    recommend_commands,
    server_commands,
    vision_commands,
)

app = typer.Typer(
    name="skinchat",
    help="SkinChat: skin-consultation kiosk, clinic assistant and backend.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Measure the detector, the assistant or the guardrails on a data set.",
                       no_args_is_help=True)
app.add_typer(eval_app, name="eval")

for module in (server_commands, rag_commands, vision_commands, guard_commands, recommend_commands):
    module.register(app, eval_app)

if __name__ == "__main__":
    app()
