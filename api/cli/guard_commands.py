"""Guardrail commands: ``skinchat guard`` (one text) and ``skinchat eval guardrails`` (a red-team file)."""

from __future__ import annotations

from pathlib import Path

import typer

from api.cli.common import print_json


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command()
    def guard(
        text: str,
        direction: str = typer.Option("input", "--direction", help="input (visitor text) or output (reply)"),
        venue: str = typer.Option("clinic", "--venue", help="clinic, hotel, spa, diet_centre, ..."),
        lang: str | None = typer.Option(None, "--lang", help="ko or en; detected when left out"),
        policy: list[Path] = typer.Option([], "--policy", help="extra policy YAML (repeatable)"),
        urgent_phone: str | None = typer.Option(None, "--urgent-phone", help="the clinic's urgent number"),
        as_json: bool = typer.Option(False, "--json", help="print the verdict as JSON"),
    ) -> None:
        """Check one text against the guardrails and print the verdict."""
        from rag.guardrails import Guardrails, PolicyError

        if direction not in ("input", "output"):
            typer.echo("skinchat: --direction must be input or output (bad_direction)", err=True)
            raise typer.Exit(code=2)
        try:
            guards = Guardrails(policy or None, venue_kind=venue, urgent_phone=urgent_phone)
        except PolicyError as exc:
            typer.echo(f"skinchat: {exc}", err=True)
            raise typer.Exit(code=2) from exc
        check = guards.check_input if direction == "input" else guards.check_output
        verdict = check(text, lang=lang)
        if as_json:
            print_json(verdict.to_dict())
            return
        state = "ALLOW" if verdict.allowed else "BLOCK"
        typer.echo(f"{state} category={verdict.category} escalate={verdict.escalate} "
                   f"latency={verdict.latency_ms}ms")
        if verdict.reason:
            typer.echo(f"reason: {verdict.reason}")
        typer.echo(f"masked: {verdict.masked_text}")
        if verdict.safe_reply:
            typer.echo(f"reply:  {verdict.safe_reply}")

    @app.command("train-guardrails")
    def train_guardrails(
        cases: list[Path] = typer.Argument(..., help="labelled JSON-lines case files (as for eval guardrails)"),
        out: Path = typer.Option(None, "--out", help="where to write the model (default: the shipped one)"),
        l2: float = typer.Option(1e-5, "--l2", help="L2 penalty of the softmax regression"),
    ) -> None:
        """Train the guardrails' learned layer on the policy's exemplars and the labelled cases."""
        from rag.embeddings import embed
        from rag.guardrails import PolicyError, load_policy
        from rag.guardrails.classifier import DEFAULT_MODEL, examples_from, train
        from rag.guardrails.evaluation import CaseFileError, load_cases

        try:
            loaded = [case for path in cases for case in load_cases(path)]
            examples = examples_from(load_policy(), loaded)
        except (CaseFileError, PolicyError, FileNotFoundError) as exc:
            typer.echo(f"skinchat: {exc}", err=True)
            raise typer.Exit(code=2) from exc
        model = train(examples, embed, l2=l2, sources=[p.as_posix() for p in cases])
        target = out or DEFAULT_MODEL
        model.save(target)
        print_json({"model": str(target), **model.meta})

    @eval_app.command("guardrails")
    def eval_guardrails(
        cases: Path,
        venue: str = typer.Option("clinic", "--venue", help="venue for cases that don't name one"),
        policy: list[Path] = typer.Option([], "--policy", help="extra policy YAML (repeatable)"),
        as_json: bool = typer.Option(False, "--json", help="print per-case results and metrics as JSON"),
    ) -> None:
        """Score the guardrails on a JSON-lines red-team file: recall, false positives, p95 latency."""
        from rag.guardrails import PolicyError
        from rag.guardrails.evaluation import CaseFileError, evaluate, guard_factory, load_cases

        try:
            loaded = load_cases(cases)
            report = evaluate(loaded, guard_factory(policy_path=policy or None), default_venue=venue)
        except (CaseFileError, PolicyError, FileNotFoundError) as exc:
            typer.echo(f"skinchat: {exc}", err=True)
            raise typer.Exit(code=2) from exc
        if as_json:
            print_json({"cases": [{k: r[k] for k in ("id", "verdict", "category", "got_category", "masked",
                                                    "correct", "latency_ms", "reason")}
                                  for r in report["cases"]],
                        "metrics": report["metrics"]})
            return
        for r in report["cases"]:
            if not r["correct"]:
                typer.echo(f"MISS {r['id']}: expected {r['expect']}/{r['category']}, got {r['verdict']}/"
                           f"{r['got_category']} ({r['reason']})")
        for name, m in report["metrics"].items():
            typer.echo(f"[{name}] cases={m['cases']} recall={m['block_recall']} "
                       f"fpr={m['false_positive_rate']} p95={m['latency_ms']['p95']}ms "
                       f"per-category={m['block_recall_per_category']}")
