"""Splitting keeps every price row whole and next to its header; front matter and PDFs load."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.loaders import LoaderError, load_document
from rag.splitter import split_document

FIXTURES = Path(__file__).parent / "fixtures"


def _doc(tmp_path: Path, text: str, name: str = "doc.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_document(path, tmp_path)


def test_each_table_row_is_a_chunk_with_header_and_section(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "---\ndoc_id: p\ntitle: 가격표\nlang: ko\ntype: prices\nupdated: 2026-11-01\n---\n"
                         "# 가격표\n\n## 레이저\n\n| 시술 | 1회 | 5회 |\n|---|---|---|\n"
                         "| 피코토닝 | 150,000원 | 650,000원 |\n| IPL | 100,000원 | 450,000원 |\n\n"
                         "## 주사\n\n| 시술 | 1회 |\n|:--|--:|\n| 필러 | 250,000원 |\n")
    rows = [c for c in split_document(doc) if c.kind == "table_row"]
    assert [c.text for c in rows] == [
        "레이저\n| 시술 | 1회 | 5회 |\n| 피코토닝 | 150,000원 | 650,000원 |",
        "레이저\n| 시술 | 1회 | 5회 |\n| IPL | 100,000원 | 450,000원 |",
        "주사\n| 시술 | 1회 |\n| 필러 | 250,000원 |",
    ]
    assert rows[0].section == "가격표 > 레이저"
    assert rows[0].embed_text == "피코토닝 — 1회, 5회 (레이저, 가격표)"


def test_front_matter_is_metadata_not_text(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "---\ndoc_id: hours-ko\ntitle: 진료 시간\nlang: ko\ntype: profile\n"
                         "updated: 2026-10-01\n---\n# 진료 시간\n평일 10시부터 19시까지 진료합니다.\n")
    assert (doc.doc_id, doc.title, doc.lang, doc.doc_type, doc.updated) == (
        "hours-ko", "진료 시간", "ko", "profile", "2026-10-01")
    chunks = split_document(doc)
    assert len(chunks) == 1 and "doc_id" not in chunks[0].text and "평일 10시부터" in chunks[0].text


def test_prose_is_grouped_per_heading_and_long_sections_are_cut(tmp_path: Path) -> None:
    long = " ".join(f"문장 {i} 입니다." for i in range(200))
    doc = _doc(tmp_path, f"# 안내\n\n## 주차\n\n지하 주차장 2시간 무료.\n\n## 긴 글\n\n{long}\n")
    chunks = split_document(doc, max_chars=300)
    assert chunks[0].text == "주차\n지하 주차장 2시간 무료."
    long_chunks = [c for c in chunks if c.section.endswith("긴 글")]
    assert len(long_chunks) > 3 and all(len(c.text) <= 300 + len("긴 글\n") for c in long_chunks)
    assert "".join(c.text for c in long_chunks).count("입니다.") == 200  # nothing dropped


def test_plain_text_without_front_matter_gets_defaults(tmp_path: Path) -> None:
    doc = _doc(tmp_path, "Parking is free for 2 hours.\n", name="Parking Info.txt")
    assert doc.doc_id == "parking-info" and doc.lang == "en" and doc.source == "Parking Info.txt"


def _minimal_pdf(text: str) -> bytes:
    """A one-page PDF with one line of Helvetica text (enough for pypdf's extractor)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def test_pdf_text_is_loaded(tmp_path: Path) -> None:
    (tmp_path / "notice.pdf").write_bytes(_minimal_pdf("Laser hair removal is not offered."))
    doc = load_document(tmp_path / "notice.pdf", tmp_path)
    assert "Laser hair removal is not offered." in doc.text and doc.doc_type == "pdf"


def test_broken_pdf_and_unknown_types_raise_stable_codes(tmp_path: Path) -> None:
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 not really")
    (tmp_path / "x.docx").write_bytes(b"PK")
    with pytest.raises(LoaderError) as bad:
        load_document(tmp_path / "bad.pdf", tmp_path)
    with pytest.raises(LoaderError) as unknown:
        load_document(tmp_path / "x.docx", tmp_path)
    assert (bad.value.code, unknown.value.code) == ("unreadable_pdf", "unsupported_type")
