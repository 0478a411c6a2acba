"""Hybrid retrieval finds the price row for Korean and English questions and honours metadata filters."""

from __future__ import annotations

from typing import Any

from rag.retrieval import Filters, HybridRetriever


def test_korean_question_finds_the_price_row(mini_store: Any) -> None:
    result = HybridRetriever(mini_store, "mini-clinic").retrieve("피코토닝 가격이 얼마예요?")
    rows = [p for p in result.passages[:2] if "| 피코토닝 | 150,000원" in p.text]
    assert rows, [p.text for p in result.passages[:3]]
    assert rows[0].metadata["kind"] == "table_row" and "| 시술 | 1회 | 5회 | 10회 |" in rows[0].text
    assert rows[0].bm25 > 0 and rows[0].dense > 0


def test_english_question_finds_the_korean_price_row(mini_store: Any) -> None:
    result = HybridRetriever(mini_store, "mini-clinic").retrieve("How much does pico toning cost?")
    assert result.language == "en"
    assert any("| 피코토닝 |" in p.text for p in result.passages[:3])


def test_zero_score_bm25_hits_are_not_fused(mini_store: Any) -> None:
    retriever = HybridRetriever(mini_store, "mini-clinic")
    index = retriever.index()
    hits = retriever._lexical(["주차"], [], Filters(), index)
    assert hits and all(score > 0 for _, score in hits)
    assert all("주차" in index.texts[pos] for pos, _ in hits)


def test_cross_language_questions_weigh_bm25_less(mini_store: Any) -> None:
    retriever = HybridRetriever(mini_store, "mini-clinic", bm25_weight=1.0, cross_language_bm25_weight=0.0)
    english = retriever.retrieve("parking PDT 주차", language="en")  # no English doc has these words
    assert all(p.score == 0 or p.dense > 0 for p in english.passages)
    korean = retriever.retrieve("주차", language="ko")
    assert korean.passages[0].bm25 > 0


def test_metadata_filters(mini_store: Any) -> None:
    retriever = HybridRetriever(mini_store, "mini-clinic")
    only_en = retriever.retrieve("피코토닝 가격", Filters(languages=("en",)))
    assert only_en.passages and all(p.metadata["lang"] == "en" for p in only_en.passages)
    only_prices = retriever.retrieve("주차", Filters(doc_types=("price",)))
    assert only_prices.passages and all(p.metadata["doc_type"] == "price" for p in only_prices.passages)
    both = Filters(doc_types=("price", "info"), languages=("ko",)).where()
    assert both == {"$and": [{"doc_type": {"$in": ["price", "info"]}}, {"lang": {"$in": ["ko"]}}]}
