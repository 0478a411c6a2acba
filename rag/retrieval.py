"""Hybrid retrieval: dense (USE in Chroma) + BM25 over Kiwi terms, fused by weighted reciprocal rank.

The BM25 index lives in memory per clinic and is rebuilt whenever the collection's ``content_version``
stamp changes, so several API replicas sharing one Chroma server agree on what they search.
BM25 hits with a zero score are dropped before fusion (they carry no lexical evidence), and BM25 weighs
less when the question is in another language than most of the documents (measured to hurt there).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from rank_bm25 import BM25Okapi

from rag.embeddings import embed
from rag.language import detect_language
from rag.lexicon import GLOSSARY, expand, is_generic, normalize, terms
from rag.romanize import MIN_CONSONANTS, same_name, skeleton
from rag.splitter import table_cells
from rag.vectorstore import VectorStore

RRF_K = 60
TRANSLATION_WEIGHT = 0.5  # BM25 weight of glossary translations relative to the question's own words
# BM25 weight of the question's cue words ("얼마", "가격", "how long") relative to its topic words: an FAQ
# row that repeats "…비용은 얼마인가요?" must not outrank the price rows of the procedure that was named.
CUE_WEIGHT = 0.4


def _everyday_english(word: str, other: str = "") -> bool:
    """An ordinary English word, not a brand name: generic, or a glossary word whose translation is not what
    the other spelling says ("month" -> 개월 is not 문신; "taxi" -> 택시 is in 택시비)."""
    if not word.isascii():
        return False
    if is_generic(word):
        return True
    return word in GLOSSARY and not any(other.startswith(ko) for ko in GLOSSARY[word])


def _cue_word(term: str) -> bool:
    """A word that says what kind of fact is wanted, not what it is about (numbers are about something)."""
    return is_generic(term) and not term.isdigit()


@lru_cache(maxsize=1024)
def _question_vector(question: str) -> np.ndarray:
    """Kiosk visitors tap the same suggested questions; the encoder is the slowest step, so remember."""
    vector = embed([question])[0]
    vector.setflags(write=False)
    return vector


@dataclass(frozen=True)
class Filters:
    """Metadata filters; ``None`` means any. The clinic filter is the collection itself."""

    doc_types: tuple[str, ...] | None = None
    languages: tuple[str, ...] | None = None

    def where(self) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        if self.doc_types:
            clauses.append({"doc_type": {"$in": list(self.doc_types)}})
        if self.languages:
            clauses.append({"lang": {"$in": list(self.languages)}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def accepts(self, meta: dict[str, Any]) -> bool:
        if self.doc_types and meta.get("doc_type") not in self.doc_types:
            return False
        return not (self.languages and meta.get("lang") not in self.languages)


@dataclass
class Passage:
    id: str
    text: str
    metadata: dict[str, Any]
    dense: float = 0.0  # cosine similarity with the question
    bm25: float = 0.0
    score: float = 0.0  # fused RRF score

    @property
    def doc_id(self) -> str:
        return str(self.metadata.get("doc_id", ""))


@dataclass
class ClinicIndex:
    """What BM25 and the composer need of one clinic's collection, held in memory."""

    version: str
    ids: list[str]
    texts: list[str]
    metadatas: list[dict[str, Any]]
    bm25: BM25Okapi | None
    doc_terms: list[set[str]]
    df: dict[str, int]
    main_language: str
    language_share: dict[str, float] = field(default_factory=dict)
    position: dict[str, int] = field(default_factory=dict)
    _by_skeleton: dict[str, list[str]] = field(default_factory=dict)
    _alternatives: dict[str, frozenset[str]] = field(default_factory=dict)
    _row_names: frozenset[str] | None = None
    _table_names: frozenset[str] | None = None

    @property
    def row_names(self) -> frozenset[str]:
        """Terms of the first cell of every table row: what the clinic lists by name (procedures, documents,
        fees)."""
        if self._row_names is None:
            self._row_names = frozenset(t for m in self.metadatas if m.get("kind") == "table_row"
                                        for t in terms((table_cells(str(m.get("table_row", ""))) or [""])[0]))
        return self._row_names

    @property
    def table_names(self) -> frozenset[str]:
        """``row_names`` plus the headings of the clinic's tables ("보톡스 (부위별)"): the procedures and
        areas a price list is organised by."""
        if self._table_names is None:
            self._table_names = self.row_names | frozenset(
                t for m in self.metadatas if m.get("kind") == "table_row" for t in terms(str(m.get("section", ""))))
        return self._table_names

    def idf(self, term: str) -> float:
        """Smoothed idf; terms the clinic never uses get the highest weight (they decide abstention)."""
        n = max(1, len(self.ids))
        return float(np.log((n + 1) / (self.df.get(term, 0) + 0.5)))

    def _add_korean_parts(self, word: str, found: set[str]) -> None:
        """Kiwi cuts the same word differently in a question and a table cell ("겨드랑" / "겨드랑이"), and a
        compound the clinic never writes whole may be there as its parts (지하철역 -> 지하철)."""
        if len(word) >= 2:
            found.update(t for t in self.df if len(t) == len(word) + 1 and t.startswith(word))
        if len(word) >= 3:
            for cut in range(2, len(word)):
                head, tail = word[:cut], word[cut:]
                if len(head) >= 2 and self.df.get(head):
                    found.add(head)
                if len(tail) >= 2 and self.df.get(tail):
                    found.add(tail)

    def alternatives(self, term: str) -> frozenset[str]:
        """The term, its glossary translations and synonyms, the clinic's own words that spell the same
        name in the other script (Excel -> 엑셀), and for a Korean compound the clinic never writes whole,
        its known parts (지하철역 -> 지하철)."""
        cached = self._alternatives.get(term)
        if cached is not None:
            return cached
        found = set(expand([term]))
        key = skeleton(term)
        # Consonant skeletons find brand names across scripts (Excel/엑셀); an everyday English word is no brand
        # ("month" is not 문신), and the glossary already translates it.
        if len(key) >= MIN_CONSONANTS and not is_generic(term):
            latin = term.isascii()
            # the other spelling may drop or add a final consonant ("refund" / "리펀")
            for probe in {key, key[:-1], key + "t", key + "s", key + "n"}:
                for candidate in self._by_skeleton.get(probe, []):
                    if (candidate.isascii() != latin and same_name(term, candidate)
                            and not _everyday_english(candidate, term)
                            and not _everyday_english(term, candidate)):
                        found.add(candidate)
        # A translation the clinic never writes whole gets the same treatment as a Korean question word:
        # "lunch" -> 점심 -> 점심시간, "password" -> 비밀번호 -> 비밀 + 번호.
        for word in [t for t in found if not t.isascii() and not self.df.get(t)]:
            if word != term:
                found.update(expand([word]))
            self._add_korean_parts(word, found)
        result = frozenset(found)
        self._alternatives[term] = result
        return result


@dataclass
class Retrieval:
    question: str
    language: str
    query_vector: np.ndarray
    query_terms: list[str]
    passages: list[Passage]
    index: ClinicIndex


class HybridRetriever:
    """Retrieve passages of one clinic. Thread-safe; one instance per (store, clinic)."""

    def __init__(self, store: VectorStore, clinic_id: str, k: int = 6, candidates: int = 30,
                 bm25_weight: float = 1.0, cross_language_bm25_weight: float = 0.35) -> None:
        self.store = store
        self.clinic_id = clinic_id
        self.k = k
        self.candidates = candidates
        self.bm25_weight = bm25_weight
        self.cross_language_bm25_weight = cross_language_bm25_weight
        self._index: ClinicIndex | None = None
        self._collection: Any = None
        self._lock = threading.Lock()

    def index(self) -> ClinicIndex:
        """The in-memory index, rebuilt when ingestion changed the collection (any process)."""
        version = self.store.content_version(self.clinic_id) or ""
        with self._lock:
            if self._index is None or self._index.version != version:
                self._index = self._build(version)
            return self._index

    def _build(self, version: str) -> ClinicIndex:
        collection = self.store.collection(self.clinic_id)
        self._collection = collection  # reused until the version changes (saves a round trip a query)
        got = collection.get(include=["documents", "metadatas"])
        ids = list(got.get("ids") or [])
        texts = [t or "" for t in (got.get("documents") or [])]
        metas = [dict(m or {}) for m in (got.get("metadatas") or [])]
        tokenized = [terms(t) + terms(str(m.get("title", ""))) for t, m in zip(texts, metas, strict=True)]
        doc_terms = [set(t) for t in tokenized]
        df: dict[str, int] = {}
        for term_set in doc_terms:
            for term in term_set:
                df[term] = df.get(term, 0) + 1
        langs = [m.get("lang", "ko") for m in metas]
        main = max(set(langs), key=langs.count) if langs else "ko"
        share = {lang: langs.count(lang) / len(langs) for lang in set(langs)} if langs else {}
        by_skeleton: dict[str, list[str]] = {}
        for term in df:
            key = skeleton(term)
            if len(key) >= MIN_CONSONANTS:
                by_skeleton.setdefault(key, []).append(term)
        return ClinicIndex(version=version, ids=ids, texts=texts, metadatas=metas, _by_skeleton=by_skeleton,
                           bm25=BM25Okapi(tokenized) if ids else None, doc_terms=doc_terms, df=df,
                           main_language=main, language_share=share,
                           position={i: n for n, i in enumerate(ids)})

    def retrieve(self, question: str, filters: Filters | None = None, language: str | None = None,
                 k: int | None = None) -> Retrieval:
        filters = filters or Filters()
        index = self.index()
        language = language or detect_language(question)
        question = normalize(question)
        vector = _question_vector(question)
        own_terms = terms(question)
        query_terms = list(dict.fromkeys(expand(own_terms) + [
            alt for t in own_terms for alt in sorted(index.alternatives(t)) if index.df.get(alt)]))
        if not index.ids:
            return Retrieval(question, language, vector, query_terms, [], index)
        dense = self._dense(vector, filters, index)
        lexical = self._lexical(own_terms, query_terms[len(own_terms):], filters, index)
        # Cross-language questions: BM25 only sees glossary translations there, so it weighs less, in
        # proportion to how little of the clinic's text is in the question's language.
        share = index.language_share.get(language, 0.0)
        w_bm25 = self.bm25_weight * (self.cross_language_bm25_weight
                                     + (1 - self.cross_language_bm25_weight) * share)
        fused: dict[str, Passage] = {}
        for rank, (pos, sim) in enumerate(dense):
            p = fused.setdefault(index.ids[pos], self._passage(index, pos))
            p.dense = sim
            p.score += 1.0 / (RRF_K + rank + 1)
        for rank, (pos, score) in enumerate(lexical):
            p = fused.setdefault(index.ids[pos], self._passage(index, pos))
            p.bm25 = score
            p.score += w_bm25 / (RRF_K + rank + 1)
        missing = [p for p in fused.values() if p.dense == 0.0]
        if missing:  # BM25-only hits: give them their cosine too, the composer needs it
            vectors = self._vectors([p.id for p in missing])
            for p in missing:
                if p.id in vectors:
                    p.dense = float(vectors[p.id] @ vector)
        top_bm25 = max((p.bm25 for p in fused.values()), default=0.0) or 1.0
        for p in fused.values():  # equal ranks happen in small clinics: break ties by the raw evidence
            p.score += 1e-4 * (max(p.dense, 0.0) + p.bm25 / top_bm25)
        ranked = sorted(fused.values(), key=lambda p: p.score, reverse=True)[: (k or self.k)]
        return Retrieval(question, language, vector, query_terms, ranked, index)

    @staticmethod
    def _passage(index: ClinicIndex, pos: int) -> Passage:
        return Passage(id=index.ids[pos], text=index.texts[pos], metadata=index.metadatas[pos])

    def _dense(self, vector: np.ndarray, filters: Filters, index: ClinicIndex) -> list[tuple[int, float]]:
        collection = self._collection or self.store.collection(self.clinic_id)
        n = min(self.candidates, len(index.ids))
        result = collection.query(query_embeddings=[vector.tolist()], n_results=n, where=filters.where(),
                                  include=["distances"])
        out = []
        for doc_id, distance in zip(result["ids"][0], result["distances"][0], strict=True):
            if doc_id in index.position:
                out.append((index.position[doc_id], 1.0 - float(distance)))
        return out

    def _lexical(self, own_terms: list[str], translations: list[str], filters: Filters,
                 index: ClinicIndex) -> list[tuple[int, float]]:
        """BM25 over the question's own terms plus its glossary translations at a lower weight (a Korean
        question should not rank an English page first just because the glossary added "pico")."""
        if index.bm25 is None or not (own_terms or translations):
            return []
        topic = [t for t in own_terms if not _cue_word(t)]
        cues = [t for t in own_terms if _cue_word(t)]
        if not topic:
            topic, cues = cues, []
        scores = index.bm25.get_scores(topic) if topic else np.zeros(len(index.ids))
        if cues:
            scores = scores + CUE_WEIGHT * index.bm25.get_scores(cues)
        if translations:
            scores = scores + TRANSLATION_WEIGHT * index.bm25.get_scores(translations)
        order = np.argsort(-scores)
        out = []
        for pos in order:
            if scores[pos] <= 0.0:
                break  # zero-score hits carry no lexical evidence
            if filters.accepts(index.metadatas[pos]):
                out.append((int(pos), float(scores[pos])))
            if len(out) >= self.candidates:
                break
        return out

    def _vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        got = (self._collection or self.store.collection(self.clinic_id)).get(ids=ids, include=["embeddings"])
        embeddings = got.get("embeddings")
        if embeddings is None:
            return {}
        return {i: np.asarray(e, dtype=np.float32) for i, e in zip(got["ids"], embeddings, strict=True)}
