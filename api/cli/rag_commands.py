"""Knowledge commands: ingest, ask, eval rag. Settings are read here and passed to rag as plain values."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from typing import Any

import typer

from api.cli.common import print_json


def _store() -> Any:
    from api.settings import get_settings
    from rag.vectorstore import VectorStoreError, open_store

    settings = get_settings()
    try:
        return open_store(settings.chroma_mode, settings.resolved_chroma_path, settings.chroma_url)
    except VectorStoreError as exc:
        typer.echo(f"skinchat: vector store error ({exc.code}): {exc}", err=True)
        raise typer.Exit(code=2) from exc


def _assistant(clinic: str, store: Any, guardrails: bool = True) -> Any:
    from api.settings import get_settings
    from rag.assistant import ClinicAssistant, PassThroughGuardrails
    from rag.llm import make_chat_model

    settings = get_settings()
    llm = None
    if settings.llm_backend == "openai":
        llm = make_chat_model(settings.llm_base_url, settings.llm_api_key.get_secret_value(),
                              settings.llm_model)
    return ClinicAssistant(clinic, store, backend=settings.llm_backend, llm=llm,
                           guardrails=None if guardrails else PassThroughGuardrails())


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command()
    def ingest(directory: Path, clinic: str = typer.Option("demo-clinic", "--clinic"),
               json_out: bool = typer.Option(False, "--json")) -> None:
        """Index a clinic's documents (Markdown, text, PDF) into its vector collection."""
        from rag.ingest import IngestError, ingest_directory
        from rag.vectorstore import VectorStoreError

        try:
            report = ingest_directory(directory, clinic, _store())
        except (IngestError, VectorStoreError) as exc:
            typer.echo(f"skinchat: ingest failed ({exc.code}): {exc}", err=True)
            raise typer.Exit(code=2) from exc
        if json_out:
            print_json({"clinic": clinic, **report.to_dict()})
        else:
            typer.echo(f"{clinic}: {report.added} added, {report.updated} updated, {report.removed} removed, "
                       f"{report.skipped} unchanged; {report.chunks} chunks written, "
                       f"{report.total_chunks} in the collection ({report.seconds:.1f} s)")
            for error in report.errors:
                typer.echo(f"  skipped {error['source']}: {error['code']}", err=True)
        if report.errors:
            raise typer.Exit(code=1)

    @app.command()
    def ask(question: str, clinic: str = typer.Option("demo-clinic", "--clinic"),
            language: str = typer.Option(None, "--language", help="ko or en (default: detected)"),
            json_out: bool = typer.Option(False, "--json")) -> None:
        """Ask the clinic assistant a question; prints the answer with citations."""
        assistant = _assistant(clinic, _store())
        answer = assistant.answer(question, [], language)
        if json_out:
            payload = answer.to_dict()
            payload["citations"] = [{"doc_id": c.doc_id, "source": c.source, "text": c.text}
                                    for c in answer.citations]
            print_json(payload)
            return
        typer.echo(answer.answer)
        for citation in answer.citations:
            typer.echo(f"  [{citation.doc_id}] {citation.title} ({citation.source})")

    @eval_app.command("rag")
    def eval_rag(kb: Path = typer.Option(..., "--kb"), cases: Path = typer.Option(..., "--cases"),
                 json_out: bool = typer.Option(False, "--json"),
                 guardrails: bool = typer.Option(True, "--guardrails/--no-guardrails")) -> None:
        """Ingest a knowledge folder into a throwaway clinic and score answers on a case file."""
        from rag.evaluation import evaluate, load_cases
        from rag.ingest import ingest_directory
        from rag.vectorstore import open_store

        loaded = load_cases(cases)
        with tempfile.TemporaryDirectory(prefix="skinchat-eval-") as tmp:
            store = open_store("embedded", Path(tmp) / "chroma")
            clinic = f"eval-{uuid.uuid4().hex[:8]}"
            report = ingest_directory(kb, clinic, store)
            result = evaluate(_assistant(clinic, store, guardrails), loaded)
            result["ingest"] = report.to_dict()
            del store
        if json_out:
            print_json(result)
            return
        metrics = result["metrics"]
        for row in result["results"]:
            mark = "ok " if row["passed"] else "FAIL"
            typer.echo(f"{mark} {row['id']} [{row['kind']}] {row['latency_ms']:.0f} ms  {row['question']}")
        typer.echo(str({k: v for k, v in metrics.items() if k != "by_kind"}))
