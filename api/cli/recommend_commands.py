"""Recommendation command: ``skinchat recommend --analysis FILE.json [--answers FILE.json] --json``.

Thin on purpose: read two JSON files, call ``rag.recommend.Recommender``, print. Every failure a user can
cause (missing file, bad JSON, bad values, a knowledge folder without a catalog) exits with code 2 and
one line naming a stable error code, never a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from api.cli.common import print_json
from api.settings import get_settings

EXIT_BAD_INPUT = 2


def _fail(code: str, message: str) -> typer.Exit:
    typer.echo(f"skinchat recommend: {code}: {message}", err=True)
    return typer.Exit(code=EXIT_BAD_INPUT)


def _read_json(path: Path, what: str) -> Any:
    if not path.is_file():
        raise _fail(f"{what}_not_found", f"{path} does not exist or is not a file")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _fail(f"{what}_invalid_json", f"{path}: {exc}") from exc


def _price(amount: int | None, lang: str) -> str:
    if amount is None:
        return ""
    return f"  {amount:,}원" if lang == "ko" else f"  KRW {amount:,}"


def _print_text(payload: dict[str, Any]) -> None:
    for n, item in enumerate(payload["items"], 1):
        price = _price(item.get("price_krw"), payload["language"])
        typer.echo(f"{n}. [{item['kind']}] {item['name']} ({item['id']}){price}")
        typer.echo(f"   {item['reason']}")
    if payload["excluded_detail"]:
        typer.echo("excluded:")
        for ex in payload["excluded_detail"]:
            typer.echo(f"  - {ex['id']} ({ex['code']}): {ex['reason']}")
    for note in payload["notes"]:
        typer.echo(f"note: {note}")


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command()
    def recommend(
        analysis: Path = typer.Option(..., "--analysis", help="Analysis JSON ({counts, grade})."),
        answers: Path | None = typer.Option(None, "--answers", help="Questionnaire JSON."),
        lang: str = typer.Option("ko", "--lang", help="ko or en."),
        knowledge: Path | None = typer.Option(None, "--knowledge", help="Clinic knowledge folder."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
    ) -> None:
        """Products, procedures and a video for an analysis, each with its reason (and what was left out)."""
        from rag.recommend import CatalogError, ProfileError, Recommender
        from rag.recommend.profile import build_profile

        if lang not in ("ko", "en"):
            raise _fail("language_invalid", f"--lang must be ko or en, got {lang!r}")
        analysis_data = _read_json(analysis, "analysis")
        if isinstance(analysis_data, dict) and "counts" not in analysis_data and "analysis" in analysis_data:
            analysis_data = analysis_data["analysis"]  # a saved API response or case file
        answers_data = _read_json(answers, "answers") if answers is not None else None
        folder = knowledge or get_settings().knowledge_dir
        try:
            build_profile(analysis_data, answers_data)  # bad input fails before the guardrail models load
            result = Recommender(folder).recommend(analysis_data, answers_data, language=lang)
        except (CatalogError, ProfileError) as exc:
            raise _fail(exc.code, exc.message) from exc
        payload = result.to_dict()
        if as_json:
            print_json(payload)
        else:
            _print_text(payload)

    @eval_app.command("recommend")
    def eval_recommend(
        cases: Path = typer.Argument(..., help="JSON-lines profiles (see tests/rag/cases/)."),
        knowledge: Path | None = typer.Option(None, "--knowledge", help="Clinic knowledge folder."),
        no_rail: bool = typer.Option(False, "--no-rail", help="Skip the output guardrail (logic only)."),
    ) -> None:
        """Score the recommender on a profile set; exits 1 unless every profile passes."""
        from rag.recommend import CatalogError, ProfileError, Recommender
        from rag.recommend.evaluate import evaluate, load_cases

        if not cases.is_file():
            raise _fail("cases_not_found", f"{cases} does not exist")
        try:
            loaded = load_cases(cases)
            kwargs: dict[str, Any] = {"guardrails": None} if no_rail else {}
            report = evaluate(Recommender(knowledge or get_settings().knowledge_dir, **kwargs), loaded)
        except ValueError as exc:  # CatalogError and ProfileError are ValueErrors with a code
            code = exc.code if isinstance(exc, (CatalogError, ProfileError)) else "cases_invalid"
            raise _fail(code, str(exc)) from exc
        print_json(report.to_dict())
        if report.pass_rate < 1.0:
            raise typer.Exit(code=1)
