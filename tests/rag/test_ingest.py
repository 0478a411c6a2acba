"""Ingestion is idempotent by content hash: unchanged files are skipped, changed ones replaced, deleted
ones removed, and every change is visible to another process's retriever (its BM25 index is rebuilt)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.ingest import IngestError, ingest_directory
from rag.retrieval import HybridRetriever
from rag.vectorstore import VectorStoreError, open_store


def _sources(store, clinic: str) -> dict[str, int]:
    got = store.collection(clinic).get(include=["metadatas"])
    counts: dict[str, int] = {}
    for meta in got["metadatas"]:
        counts[meta["source"]] = counts.get(meta["source"], 0) + 1
    return counts


def test_reingest_skips_replaces_and_removes(tmp_path: Path, clinic_copy: Path) -> None:
    store = open_store("embedded", tmp_path / "chroma")
    first = ingest_directory(clinic_copy, "idem-clinic", store)
    assert (first.added, first.updated, first.removed, first.skipped) == (6, 0, 0, 0)
    assert first.chunks == first.total_chunks == sum(_sources(store, "idem-clinic").values())
    version_1 = store.content_version("idem-clinic")

    again = ingest_directory(clinic_copy, "idem-clinic", store)
    assert (again.added, again.updated, again.removed, again.skipped, again.chunks) == (0, 0, 0, 6, 0)
    assert store.content_version("idem-clinic") == version_1

    prices = clinic_copy / "prices.md"
    prices.write_text(prices.read_text(encoding="utf-8").replace("150,000원", "130,000원"), encoding="utf-8")
    (clinic_copy / "aftercare.md").unlink()
    changed = ingest_directory(clinic_copy, "idem-clinic", store)
    assert (changed.added, changed.updated, changed.removed, changed.skipped) == (0, 1, 1, 4)
    documents = store.collection("idem-clinic").get(include=["documents"])["documents"]
    assert any("130,000원" in d for d in documents) and not any("150,000원" in d for d in documents)
    assert "aftercare.md" not in _sources(store, "idem-clinic")
    assert store.content_version("idem-clinic") != version_1


def test_a_second_replica_sees_changes_made_by_another(tmp_path: Path, clinic_copy: Path) -> None:
    store = open_store("embedded", tmp_path / "chroma")
    ingest_directory(clinic_copy, "replica-clinic", store)
    replica = HybridRetriever(store, "replica-clinic")
    before = replica.retrieve("주차 몇 시간 무료인가요?")
    assert "2시간" in before.passages[0].text
    (clinic_copy / "hours.md").write_text(
        "---\ndoc_id: hours\ntitle: 진료 시간 안내\nlang: ko\ntype: info\nupdated: 2026-12-01\n---\n"
        "# 진료 시간 안내\n\n## 주차\n\n건물 지하 주차장을 3시간 무료로 이용하실 수 있습니다.\n",
        encoding="utf-8")
    ingest_directory(clinic_copy, "replica-clinic", open_store("embedded", tmp_path / "chroma"))
    after = replica.retrieve("주차 몇 시간 무료인가요?")
    assert after.index.version != before.index.version
    assert "3시간" in after.passages[0].text


def test_one_collection_per_clinic(tmp_path: Path, clinic_copy: Path) -> None:
    store = open_store("embedded", tmp_path / "chroma")
    ingest_directory(clinic_copy, "clinic-a", store)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "note.md").write_text("# 안내\n\n보톡스 가격은 90,000원입니다.\n", encoding="utf-8")
    ingest_directory(tmp_path / "other", "clinic-b", store)
    names = sorted(c.name for c in store.client.list_collections())
    assert names == ["clinic-clinic-a", "clinic-clinic-b"]
    assert set(_sources(store, "clinic-b")) == {"note.md"}


def test_errors_have_codes(tmp_path: Path) -> None:
    store = open_store("embedded", tmp_path / "chroma")
    with pytest.raises(IngestError) as missing:
        ingest_directory(tmp_path / "nope", "x-clinic", store)
    with pytest.raises(VectorStoreError) as bad_clinic:
        store.collection("Bad Clinic!")
    with pytest.raises(VectorStoreError) as bad_mode:
        open_store("cloud", tmp_path)
    assert (missing.value.code, bad_clinic.value.code, bad_mode.value.code) == (
        "not_a_directory", "bad_clinic", "bad_mode")


def test_a_notice_titled_the_korean_way_is_ingested_and_broken_front_matter_is_reported(tmp_path: Path) -> None:
    # "[공지] …" is how Korean clinics title notices; YAML reads it as the start of a list. The eighth clinic's
    # notice was silently missing from every answer because of it.
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "notice.md").write_text(
        "---\ndoc_id: n1\nlang: ko\ntype: notice\nupdated: 2026-11-01\ntitle: [공지] 연말 휴진 안내\n---\n"
        "# 연말 휴진\n\n12월 31일은 10:00~15:00 단축 진료합니다.\n", encoding="utf-8")
    (folder / "broken.md").write_text("---\ndoc_id: [b2\nnot a field\n---\n본문\n", encoding="utf-8")
    store = open_store("embedded", tmp_path / "chroma")
    report = ingest_directory(folder, "notice-clinic", store)
    assert report.added == 1
    assert [e["code"] for e in report.errors] == ["bad_front_matter"]
    got = store.collection("notice-clinic").get(include=["metadatas"])
    assert {m["title"] for m in got["metadatas"]} == {"[공지] 연말 휴진 안내"}
