"""The offline grounded composer: answers by quoting the evidence, never by writing facts of its own.

It cuts the retrieved passages into units (a table row with its header, or one sentence), scores each unit
by term overlap with the question (idf-weighted, glossary-aware), embedding similarity and question-type
cues (a price question wants a unit with 원), and writes a short polite frame around the best units in
the visitor's language. Everything factual in the reply is copied verbatim from a cited passage, so it
cannot state a number or name that is not in its citations. When the best unit scores below the
threshold, or the question names something the evidence never mentions, it abstains.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from rag.answer import Citation, Draft
from rag.embeddings import embed
from rag.korean import noun_pairs
from rag.lexicon import BACKGROUND_TERMS, PRIVATE_QUALIFIERS, day_terms, expand, is_generic, terms
from rag.messages import ABSTAIN, CLOSING, INTRO, INTRO_QUOTED_KO, SOURCE, phrase
from rag.question import AMOUNT, QUESTION_TYPES, SOFT_TYPES, QuestionProfile, count_pattern, dates_named, months_named
from rag.retrieval import ClinicIndex, Passage, Retrieval
from rag.splitter import chunk_body, table_cells

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN = re.compile(r"[A-Za-z]")
_SENTENCE = re.compile(r"(?<!\bDr\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bSt\.)(?<!\bNo\.)(?<!\be\.g\.)"
                       r"(?<!\bi\.e\.)(?<=[.!?])\s+(?=\S)")
_LIST_MARK = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_MARKUP = re.compile(r"\*\*|__|`")
_NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


# "11~20개", "21-30 lesions", "31개 이상": a row priced for a band of counts.
_COUNT_RANGE = re.compile(r"(?<![\d,.])(\d+)\s*[~∼\-–]\s*(\d+)(?![\d,.])|"
                          r"(?<![\d,.])(\d+)\s*개\s*이상|(?<![\d,.])(\d+)\+")


def _in_count_band(text: str, number: str) -> bool:
    """Whether a band of lesion counts in the text holds ``number`` (15 lesions fall in the "11~20개" row).
    Only a line that counts lesions or spots has such bands: "10:00~19:00" and "3~5일" are no counts."""
    if not number.isdigit() or not _counts_lesions(text):
        return False
    n = int(number)
    for m in _COUNT_RANGE.finditer(text):
        if m.group(1) is not None:
            low, high = int(m.group(1)), int(m.group(2))
            if low < high <= 1000 and low <= n <= high:
                return True
        elif int(m.group(3) or m.group(4)) <= n:
            return True
    return False


def _counts_lesions(text: str) -> bool:
    return "개" in text or bool(re.search(r"\b(?:lesions?|pimples?|spots?|moles?)\b", text, re.I))


def _has_number(text: str, number: str) -> bool:
    """Whether ``number`` stands alone in the text ("600샷" has 600; "1,600원" and "6000" do not), or falls
    in a count band it names ("11~20개")."""
    return (re.search(rf"(?<![\d,.]){re.escape(number)}(?![\d,]|\.\d)", text) is not None
            or _in_count_band(text, number))


def _has_count(text: str, number: str, question: QuestionProfile) -> bool:
    """The asked-for count with its unit ("20회" is not in "20분"); a bare number when the unit is unknown."""
    unit = question.units.get(number)
    if unit == "개" and _in_count_band(text, number):
        return True
    return bool(count_pattern(number, unit).search(text)) if unit else _has_number(text, number)


def _mentions(text: str, option: str) -> bool:
    """Korean terms as substrings (particles attach to them); Latin ones as whole words ("age" is not in
    "language")."""
    if script(option) == "ko":
        return option in text
    return re.search(rf"(?<![a-z]){re.escape(option)}(?![a-z])", text) is not None


def unlisted_variant(question: QuestionProfile, index: ClinicIndex) -> str | None:
    """"문신 제거" when the clinic lists "점 제거" but never writes 문신: a kind of a listed item that the clinic
    does not offer. The nearest row would answer a different question, so the composer abstains. Only a
    Korean phrase of two nouns (Kiwi tells nouns apart there), a modifier of two or more letters that the
    clinic never uses in any spelling, and a head the clinic lists by name in a table row. (Measured on the
    seven dev clinics: fires on 6 unanswerable questions and on 2 answerable ones that failed anyway.) Or,
    in a price question, two names the price tables use that no passage names together."""
    if question.language != "ko" or not index.ids:
        return None
    for modifier, head in noun_pairs(question.text):
        if len(modifier) < 2 or len(head) < 2 or is_generic(modifier) or is_generic(head):
            continue
        if head in index.row_names and not any(index.df.get(o) for o in index.alternatives(modifier)):
            return f"{modifier} {head}"
        if "price" in question.types and _never_listed_together(modifier, head, index):
            return f"{modifier} {head}"
    return None


def _never_listed_together(modifier: str, head: str, index: ClinicIndex) -> bool:
    """"종아리 보톡스" when the price lists name 종아리 (for hair removal) and 보톡스 (for the jaw and brow)
    but no passage names both: each is a name the price tables are organised by, so the pair is an offer
    the clinic does not list. (Measured on the nine dev clinics: fires on 2 unanswerable questions the
    composer answered, on no answerable one.)"""
    mods = {o for o in index.alternatives(modifier) if index.df.get(o)}
    heads = {o for o in index.alternatives(head) if index.df.get(o)}
    if not mods or not heads or not (mods & index.table_names and heads & index.table_names):
        return False
    return not any(mods & words and heads & words for words in index.doc_terms)


_PROMOTION = re.compile(r"이벤트|프로모션|행사|할인|\b(?:events?|promotions?|specials?|deals?|discounts?)\b", re.I)


# Seasons a promotion is named after ("겨울방학 이벤트", "summer special"), as the months they span.
_SEASONS: tuple[tuple[re.Pattern[str], frozenset[int]], ...] = (
    (re.compile(r"봄|스프링|\bspring\b", re.I), frozenset({3, 4, 5})),
    (re.compile(r"여름|서머|썸머|\bsummer\b", re.I), frozenset({6, 7, 8})),
    (re.compile(r"가을|\b(?:autumn|fall)\b", re.I), frozenset({9, 10, 11})),
    (re.compile(r"겨울|윈터|\bwinter\b", re.I), frozenset({12, 1, 2})),
)


def _seasons_named(text: str) -> set[int]:
    return {month for pattern, months in _SEASONS if pattern.search(text) for month in months}


def unlisted_month(question: QuestionProfile, passages: list[Passage]) -> int | None:
    """"12월 이벤트" when the clinic's notices only describe November's: promotions are dated, and the
    nearest month's offer would answer a different question. A season counts as its months ("여름방학
    이벤트" when only the winter one is posted). Only promotion questions: hours and prices hold in any
    month ("12월에 울쎄라 얼마예요?" is answered by the price list)."""
    asked_months, asked_seasons = months_named(question.text), _seasons_named(question.text)
    if not (asked_months or asked_seasons) or not _PROMOTION.search(question.text):
        return None
    mentioned: set[int] = set()
    for p in passages:
        # only passages about a promotion: "2014년 3월 개원" in the profile says nothing about a March event
        text = " ".join([p.text, str(p.metadata.get("section", "")), str(p.metadata.get("title", ""))])
        if _PROMOTION.search(text):
            mentioned |= months_named(text) | _seasons_named(text)
    missing = sorted(asked_months - mentioned)
    if asked_seasons and not asked_seasons & mentioned:
        missing.append(min(asked_seasons))
    return missing[0] if missing else None


def _alternatives(question: QuestionProfile, index: ClinicIndex,
                  context_terms: Sequence[str] = ()) -> dict[str, frozenset[str]]:
    """Every spelling that counts as a question term in the evidence: the index's alternatives, plus the
    translation of a glossary phrase the term is part of ("hair" in "hair removal" -> 제모)."""
    return {t: index.alternatives(t) | frozenset(question.phrases.get(t, ()))
            for t in dict.fromkeys([*question.terms, *context_terms]) if t}


# Common Korean surnames: a three-syllable word starting with one, right before a title, is a person's name.
_SURNAMES = ("김이박최정강조윤장임한오서신권황안송류전홍고문양손배백허유남심노하곽성차주우"
             "구민진나지엄채원천방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제탁"
             "국어은편용예경봉부가복태목형피두감음빈동온호범좌팽승간상갈단견당화창옹")
_KO_PERSON = re.compile(rf"(?<![가-힣])([{_SURNAMES}][가-힣]{{2}})\s?(?:대표\s?)?"
                        r"(?:원장|선생|의사|교수|실장|전문의|박사)")
_EN_PERSON = re.compile(r"\b(?:Dr|Doctor)\.?\s+([A-Z][a-z]+(?:[\s-][A-Za-z][a-z]+)?)")
# "김 원장님", "박원장님": a surname alone before a title (the way visitors name a doctor they half remember).
# Only surnames that are not also everyday one-syllable words ("이번 주 원장님", "전 원장님", "이 원장님").
_UNAMBIGUOUS_SURNAMES = ("김박최정강조윤장임신권황안송류홍고문양손배백허남심노곽성차민진엄채천방공현함변염추석"
                         "설길표왕맹탁")
_KO_SURNAME_TITLE = re.compile(rf"(?<![가-힣])([{_UNAMBIGUOUS_SURNAMES}])\s?(?:대표\s?)?"
                               r"(?:원장|선생님|교수|전문의|박사)")
_KO_TITLED_NAME = re.compile(rf"(?<![가-힣])([{_SURNAMES}])[가-힣]{{1,2}}\s?(?:대표\s?)?"
                             r"(?:원장|선생|의사|교수|전문의|박사)")


def unlisted_person(question: QuestionProfile, index: ClinicIndex) -> str | None:
    """"김민준 원장님 진료 요일" when no document names 김민준: a doctor the clinic does not list. The nearest
    passage is another doctor's timetable, which would answer a different question. Korean names are found
    as a surname plus two syllables before a title; English ones after "Dr.", and only for a clinic that
    writes its doctors' names in English at all (a Korean-only clinic writes 박 where the visitor writes Park).
    Any word of the name appearing anywhere in the documents keeps the question answerable."""
    texts = [t for t in index.texts if t]
    for match in _KO_PERSON.finditer(question.text):
        name = match.group(1)
        if not any(name in t for t in texts):
            return name
    # A surname alone: unlisted when the clinic names its doctors and none of them has that surname. The
    # documents are scanned only when the question names a doctor that way.
    asked_surnames = [m.group(1) for m in _KO_SURNAME_TITLE.finditer(question.text)]
    if asked_surnames:
        surnames = {m.group(1) for t in texts for m in _KO_TITLED_NAME.finditer(t)}
        missing = next((name for name in asked_surnames if name not in surnames), None)
        if surnames and missing:
            return missing
    asked = list(_EN_PERSON.finditer(question.text))
    if asked and any(re.search(r"\bDr\.?\s+[A-Z]", t) for t in texts):
        lowered = [t.lower() for t in texts]
        for match in asked:
            words = [w.lower() for w in re.split(r"[\s-]+", match.group(1)) if len(w) > 1]
            if not any(re.search(rf"\b{re.escape(w)}\b", t) for w in words for t in lowered):
                return match.group(1)
    return None


_FREE = re.compile(r"무료|공짜|\bfree\b", re.I)
_FOREIGN_TOPIC = re.compile(r"외국|해외|영문|영어|관광객|통역|페이팔|여권|택스\s?리펀|부가세\s?환급|택스\s?프리")


_ASKS_CLOCK = re.compile(r"몇\s*시|what time|until when|till when|how late|언제까지", re.I)
_CLOCK = re.compile(r"\d{1,2}:\d{2}|\d{1,2}\s*시(?!간)|\d{1,2}\s*(?:am|pm)\b|휴진|휴무|closed|정오|자정|noon|midnight",
                    re.I)


def answer_pattern(kind: str, question: QuestionProfile) -> re.Pattern[str]:
    """What a line must contain to answer this kind of question. A price question that itself says "free"
    ("parking fee after the free 2 hours") wants an amount: the line that only repeats "free" is the
    premise, not the answer (three clinics' English parking lines beat the Korean fee line that way)."""
    if kind == "price" and _FREE.search(question.text):
        return AMOUNT
    if kind == "hours" and _ASKS_CLOCK.search(question.text):
        return _CLOCK  # "토요일은 몇 시에 끝나요?": a line that merely names Saturday is no answer
    return QUESTION_TYPES[kind][1]


# Sides of a price list that exclude each other: a row under "남성 제모" does not answer "여자 겨드랑이".
OPPOSED_SIDES: tuple[tuple[frozenset[str], frozenset[str]], ...] = (
    (frozenset({"여성", "여자", "women", "woman", "female", "ladies"}),
     frozenset({"남성", "남자", "men", "man", "male"})),
)


def opposed_side(question_terms: set[str], unit_words: set[str]) -> float:
    """1.0 when the question names one side of a pair and the unit (with its section heading) only the other.

    The document title is left out on purpose: "제모 가격표 (여성·남성)" names both sides."""
    for side_a, side_b in OPPOSED_SIDES:
        for asked, other in ((side_a, side_b), (side_b, side_a)):
            if (asked & question_terms and not other & question_terms
                    and other & unit_words and not asked & unit_words):
                return 1.0
    return 0.0


def script(term: str) -> str:
    """``ko`` for Hangul terms, ``en`` for Latin ones, ``num`` for numbers and the rest."""
    if _HANGUL.search(term):
        return "ko"
    return "en" if _LATIN.search(term) else "num"


@dataclass
class Unit:
    passage: Passage
    text: str  # what is shown to the visitor (verbatim from the passage, markup stripped)
    kind: str  # "row" | "sentence"
    lang: str
    scores: dict[str, float] = field(default_factory=dict)
    score: float = 0.0
    matched: tuple[str, ...] = ()  # question terms this unit contains
    framed: tuple[str, ...] = ()  # words of a glossary phrase ("hair removal") only its heading or title names
    vector: np.ndarray | None = None
    context: str = ""  # the FAQ question this sentence answers, if any

    def with_heading(self) -> str:
        """The line with its section heading and the FAQ question it answers: what the line says in context."""
        return " ".join([self.text, str(self.passage.metadata.get("section", "")), self.context])


class _VectorCache:
    """Unit embeddings, kept across questions: units repeat, the encoder costs ~10 ms a call."""

    def __init__(self, size: int = 20000) -> None:
        self._data: OrderedDict[str, np.ndarray] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get_many(self, texts: list[str]) -> list[np.ndarray]:
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._data]
        if missing:
            vectors = embed(missing)
            with self._lock:
                for text, vector in zip(missing, vectors, strict=True):
                    self._data[text] = vector
                while len(self._data) > self._size:
                    self._data.popitem(last=False)
        with self._lock:
            return [self._data[t] for t in texts]


_VECTORS = _VectorCache()


def render_row(header: str, row: str) -> str:
    """"피코토닝 — 1회 가격: 120,000원; 소요 시간: 20분": cells verbatim, joined with their column names."""
    names, cells = table_cells(header), table_cells(row)
    if not cells:
        return row
    parts = []
    for index, cell in enumerate(cells[1:], start=1):
        if not cell:
            continue
        name = names[index] if index < len(names) else ""
        parts.append(f"{name}: {cell}" if name else cell)
    return f"{cells[0]} — " + "; ".join(parts) if parts else cells[0]


def split_units(passage: Passage) -> list[Unit]:
    meta = passage.metadata
    lang = str(meta.get("lang", "ko"))
    if meta.get("kind") == "table_row" and meta.get("table_header"):
        text = _MARKUP.sub("", render_row(str(meta["table_header"]), str(meta["table_row"])))
        return [Unit(passage, text, "row", lang)]
    units = []
    asked = ""  # the FAQ question the following sentences answer: scored as their context, never shown
    for line in chunk_body(passage.text).splitlines():
        line = _MARKUP.sub("", _LIST_MARK.sub("", line)).strip()
        if not line or line.startswith("|"):
            continue
        if line.endswith("?"):
            asked = line
            continue  # a FAQ's question is not its answer
        for sentence in _SENTENCE.split(line):
            sentence = sentence.strip()
            if len(sentence) >= 4 and not sentence.endswith("?"):
                units.append(Unit(passage, sentence, "sentence", lang, context=asked))
    return units


@dataclass
class ComposerConfig:
    threshold: float = 0.55  # below this best-unit score the composer abstains (tuned on demo cases)
    min_specific_coverage: float = 0.0  # hard floor on the share of the question's nouns the evidence names
    relative_keep: float = 0.9  # runners-up kept when within this share of the best score
    relative_floor: float = 0.65  # runners-up that add a missing question term, down to this share
    max_units: int = 3
    complement_floor: float = 0.5  # ...down to this share when they add a missing kind of fact (price + downtime)
    same_document_bonus: float = 0.05  # runners-up from the best unit's document are considered first
    # Share of the language bonus a unit in the other language gets back when deciding to abstain: a fact
    # the clinic wrote only in English must stay answerable to a Korean question on the same evidence a
    # Korean line would need. (It used to be given only when the clinic had no page of that kind in the
    # visitor's language; on the fifth clinic that lost English questions about Korean-only hours.)
    cross_language_credit: float = 1.0
    # A same-language unit whose coverage of the question's specific nouns is at most ``language_edge_ceiling``
    # and ``language_edge_gap`` below the best translated unit's loses its language bonus. The ceiling keeps
    # the edge of a line missing one noun of four (on two dev clinics a 0.2 gap alone lost the Korean
    # Saturday and lunch-break rows to their English copies).
    language_edge_gap: float = 0.2
    language_edge_ceiling: float = 0.5
    # Abstain when more than this share of the question's specific nouns are words the clinic never uses
    # (not even through the glossary): the question is about something the documents do not cover.
    max_unknown_share: float = 0.5
    # Weights found by a grid search on the demo clinic's cases (never on the held-out clinic).
    w_lexical: float = 0.20
    w_unit_dense: float = 0.10
    w_passage_dense: float = 0.10
    w_cue: float = 0.20
    w_language: float = 0.10
    w_coverage: float = 0.30
    # Taken off a unit that lacks the count or size the question names ("10회", "300 shots"): the row for
    # the asked-for package must beat its neighbours. Not tuned: large enough to flip a near-tie.
    w_qualifier: float = 0.15
    # Added to a unit that names the date the question asks about ("11월 14일 진료하나요?" and the notice line
    # "11월 14일(토): … 단독 진료"): a dated exception beats the weekly timetable. Not tuned, like w_qualifier.
    w_date: float = 0.15


class GroundedComposer:
    """Offline backend. ``compose`` returns a ``Draft`` with the reply, its citations, or an abstention."""

    def __init__(self, config: ComposerConfig | None = None) -> None:
        self.config = config or ComposerConfig()

    @staticmethod
    def warm_units(index: ClinicIndex, batch: int = 64) -> int:
        """Embed every unit of the clinic's passages now, so no visitor pays for it on a first question."""
        texts = [u.text for pos, pid in enumerate(index.ids)
                 for u in split_units(Passage(pid, index.texts[pos], index.metadatas[pos]))]
        for start in range(0, len(texts), batch):
            _VECTORS.get_many(texts[start:start + batch])
        return len(texts)

    def compose(self, question: QuestionProfile, retrieval: Retrieval, language: str,
                context_terms: list[str] | None = None) -> Draft:
        units = [u for p in retrieval.passages for u in split_units(p)]
        if not units:
            return self._abstain(language, 0.0, "no evidence")
        self._score(units, question, retrieval, context_terms or [])
        units.sort(key=lambda u: u.score, reverse=True)
        best = units[0]
        coverage = best.scores["coverage"]
        debug = {"best": best.text, "score": round(best.score, 3), "coverage": round(coverage, 3),
                 "scores": {k: round(v, 3) for k, v in best.scores.items()}}
        # The language bonus only ranks a same-language copy of a fact above its translation; it must not
        # decide abstention, or a fact the clinic wrote only in the other language could never be given
        # (the clinic's English pages rarely repeat its Korean hours or prices, and vice versa).
        evidence = max(u.score + self.config.cross_language_credit * self.config.w_language
                       * (u.lang != question.language) for u in units)
        unknown = self._unknown_share(question, retrieval.index)
        # "900샷" when the clinic only lists 600샷: a row answers only if the asked-for number is in it, and
        # names the thing the number counts ("울쎄라 600샷" is not answered by the 슈링크 600샷 row).
        # Only a price question picks a package or shot-count row; in "a 10-session package, refund after
        # 3 sessions?" the counts are context.
        unmatched = [q for q in (question.qualifiers if "price" in question.types else [])
                     if not any(_has_count(u.text, q, question) and self._names(u, question.counted.get(q),
                                                                                  retrieval.index)
                                for u in units)]
        debug["unmatched_qualifiers"] = unmatched
        # "원장님 집 주소" asks about a private life; "집 가서 누워도 돼요?" only mentions going home.
        private = [t for t in question.terms if t in PRIVATE_QUALIFIERS and not retrieval.index.df.get(t)
                   and {"contact", "location"} & set(question.types)]
        # "원장님 출신 대학": the best line must say it, not merely name the doctor.
        best_words = set(terms(best.with_heading()))
        background = [t for t in question.terms if t in BACKGROUND_TERMS and not set(expand([t])) & best_words]
        private += background
        debug["evidence"], debug["unknown"] = round(evidence, 3), round(unknown, 3)
        variant = unlisted_variant(question, retrieval.index)
        debug["unlisted_variant"] = variant
        month = unlisted_month(question, retrieval.passages)
        debug["unlisted_month"] = month
        person = unlisted_person(question, retrieval.index)
        debug["unlisted_person"] = person
        if (evidence < self.config.threshold or coverage < self.config.min_specific_coverage
                or unknown >= self.config.max_unknown_share or private or unmatched or variant or month
                or person):
            return self._abstain(language, best.score, debug)
        return self._write(self._select(units, question), language, best.score, debug)

    def _select(self, units: list[Unit], question: QuestionProfile) -> list[Unit]:
        """The best unit, plus close runners-up that add something the chosen ones lack: a question term
        (so "A and B" gets both A and B), or a kind of fact the question asks for (a price and a
        downtime), possibly from the other language's document. Near-copies of a chosen unit (the same
        fact in the clinic's parallel English/Korean page) add nothing and are skipped."""
        cfg = self.config

        def score(unit: Unit) -> float:
            return unit.score + cfg.w_language * unit.scores.get("edge_lost", 0.0)

        best = units[0]
        chosen = [best]
        # A term the best row's table heading names is answered too: the 브라질리언 row under "다이오드 제모" covers
        # "hair removal", so the mole-removal row (제거) adds nothing.
        covered = set(best.matched) | set(best.framed)
        answered = self._types_in(best, question)
        # Runners-up from the best unit's own document first: the second half of "압출 후 화장, 사우나는?"
        # is usually a few lines further down the same guide, not in a look-alike line of another page.
        floor = min(cfg.relative_floor, cfg.complement_floor)
        candidates = sorted((u for u in units[1:] if score(u) >= score(best) * floor),
                            key=lambda u: score(u) + (cfg.same_document_bonus
                                                     if u.passage.doc_id == best.passage.doc_id else 0.0),
                            reverse=True)
        for unit in candidates:
            if len(chosen) >= cfg.max_units:
                break
            if any(self._same_fact(unit, c) for c in chosen):
                continue
            adds = {t for t in unit.matched if t not in covered and not is_generic(t)}
            new_types = self._types_in(unit, question) - answered
            if score(unit) < score(best) * cfg.relative_floor and not (
                    new_types and set(unit.matched) & set(question.specific)):
                continue  # weaker units only when they carry the asked-for subject and a missing kind of fact
            if unit.lang != best.lang and unit.passage.doc_id != best.passage.doc_id and not (
                    new_types or (adds and self._specific_hits(unit, question, adds))):
                continue  # another language's page only helps with a part the chosen units miss
            if adds or new_types or score(unit) >= score(best) * cfg.relative_keep:
                chosen.append(unit)
                covered |= set(unit.matched)
                answered |= new_types
        return chosen

    @staticmethod
    def _names(unit: Unit, nouns: tuple[str, ...] | None, index: ClinicIndex) -> bool:
        """Whether the unit (or its heading) names one of ``nouns``; True when there is none to check or the
        clinic never uses them (then coverage and the unknown share decide)."""
        known = [index.alternatives(n) for n in nouns or ()]
        known = [options for options in known if any(index.df.get(o) for o in options)]
        if not known:
            return True
        meta = unit.passage.metadata
        # A list item ("300샷: 1,190,000원") is about the heading above it, inside the same passage.
        passage = unit.passage.text if unit.kind == "sentence" else ""
        here = " ".join([unit.text, str(meta.get("section", "")), unit.context, passage]).lower()
        words = set(terms(here))
        return any(options & words or any(_mentions(here, o) for o in options if len(o) > 1) for options in known)

    @staticmethod
    def _types_in(unit: Unit, question: QuestionProfile) -> set[str]:
        return {t for t in question.types if answer_pattern(t, question).search(unit.text)}

    @staticmethod
    def _specific_hits(unit: Unit, question: QuestionProfile, added: set[str]) -> bool:
        """Whether the terms a unit adds include one of the question's specific nouns (not "가격")."""
        specific = set(question.specific)
        return bool(specific & added) or any(set(expand([t])) & specific for t in added)

    @staticmethod
    def _same_fact(unit: Unit, other: Unit) -> bool:
        if unit.text == other.text:
            return True
        numbers, others = set(_NUMBER.findall(unit.text)), set(_NUMBER.findall(other.text))
        if unit.lang != other.lang and numbers and numbers == others:
            return True  # "80,000원" row and its "80,000 won" translation
        return float(unit.vector @ other.vector) >= 0.85 if unit.vector is not None and (
            other.vector is not None) else False

    # -- scoring ---------------------------------------------------------------------------------
    def _score(self, units: list[Unit], question: QuestionProfile, retrieval: Retrieval,
               context_terms: list[str]) -> None:
        cfg = self.config
        index = retrieval.index
        alternatives = _alternatives(question, index, context_terms)
        patterns = {t: answer_pattern(t, question) for t in question.types}
        # A Korean question about foreign visitors' matters (영문 진단서, 해외 예약금, 통역) is answered by the
        # clinic's pages for foreigners, which are often English only: no language preference then.
        foreign_topic = question.language == "ko" and bool(_FOREIGN_TOPIC.search(question.text))
        specific = set(question.specific)
        # A word the clinic never writes, in any spelling, is evidence only when it names what the question
        # is about (a procedure the clinic may not offer). Verbs and fillers ("가깝", "알리", "use") that
        # merely phrase the question would otherwise weigh most (idf of an unseen term) and sink every
        # unit's lexical score, so they are left out of the share.
        query = [t for t in alternatives if t in specific or any(index.df.get(a) for a in alternatives[t])]
        weights = {t: index.idf(t) for t in query}
        total = sum(weights.values()) or 1.0
        vectors = _VECTORS.get_many([u.text for u in units])
        types = question.types
        asked_terms = set(question.terms)
        for unit, vector in zip(units, vectors, strict=True):
            unit_terms = set(terms(unit.text))
            if unit.kind == "row":
                unit_terms.update(day_terms(unit.text))
            context = set(terms(str(unit.passage.metadata.get("section", "")))) | set(
                terms(str(unit.passage.metadata.get("title", "")))) | set(terms(unit.context))
            matched = 0.0
            hits, framed = [], []
            for term in query:
                if alternatives[term] & unit_terms:
                    matched += weights[term]
                    hits.append(term)
                elif alternatives[term] & context:
                    matched += 0.6 * weights[term]
                    if term in question.phrases:
                        framed.append(term)
            unit.matched, unit.framed = tuple(hits), tuple(framed)
            unit.vector = vector
            lexical = matched / total
            unit_dense = float(vector @ retrieval.query_vector)
            # share of the asked-for kinds of fact this unit has ("예약금 얼마": 예약 and 원); 0.5 if none asked
            cue = (sum(1.0 if patterns[t].search(unit.text) else 0.5 * (t in SOFT_TYPES)
                       for t in types)
                   / len(types) if types else 0.5)
            same_language = 1.0 if unit.lang == question.language or foreign_topic else 0.0
            coverage = self._specific_coverage(question, unit, retrieval)
            missing = (sum(not _has_number(unit.text, q) for q in question.qualifiers) / len(question.qualifiers)
                       if question.qualifiers else 0.0)
            # the section's own heading, not its breadcrumb: that starts with the title ("(여성·남성)")
            heading = str(unit.passage.metadata.get("section", "")).rsplit(" > ", 1)[-1]
            missing = max(missing, opposed_side(asked_terms, unit_terms | set(terms(heading))))
            dated = float(bool(question.dates and question.dates & dates_named(unit.with_heading())))
            if dated and {"hours", "date"} & set(types):
                cue = 1.0  # the line about that day answers "is it open then?", with or without a clock time
            unit.scores = {"missing_qualifier": missing, "date": dated,
                           "lexical": lexical, "unit_dense": unit_dense, "passage_dense": unit.passage.dense,
                           "cue": cue, "language": same_language, "coverage": coverage}
            unit.score = (cfg.w_lexical * lexical + cfg.w_unit_dense * unit_dense
                          + cfg.w_passage_dense * unit.passage.dense + cfg.w_cue * cue
                          + cfg.w_language * same_language + cfg.w_coverage * coverage
                          - cfg.w_qualifier * missing + cfg.w_date * dated)
        # A line in the visitor's language that misses a specific noun a translated line has ("아이 방 습도"
        # answered only by the English "humidity around 40-60%") keeps no edge for its language.
        other_coverage = max((u.scores["coverage"] for u in units if not u.scores["language"]), default=0.0)
        for unit in units:
            if (unit.scores["language"] and unit.scores["coverage"] <= cfg.language_edge_ceiling
                    and other_coverage - unit.scores["coverage"] >= cfg.language_edge_gap):
                unit.scores["language"] = 0.0
                unit.scores["edge_lost"] = 1.0  # for ranking the best only; runners-up are judged without it
                unit.score -= cfg.w_language

    @staticmethod
    def _unknown_share(question: QuestionProfile, index: ClinicIndex) -> float:
        if not question.specific:
            return 0.0
        unknown = 0
        for noun in question.specific:
            options = index.alternatives(noun)
            if any(index.df.get(o, 0) for o in options):
                continue
            if script(noun) == "ko" and len(noun) >= 3 and any(
                    noun[:i] in index.df and noun[i:] in index.df for i in range(1, len(noun))):
                continue  # a compound of two words the clinic uses ("지하철역" = 지하철 + 역)
            unknown += 1
        return unknown / len(question.specific)

    @staticmethod
    def _specific_coverage(question: QuestionProfile, unit: Unit, retrieval: Retrieval) -> float:
        """Share of the question's specific nouns that the best unit, its section or its document mentions.

        Nouns the clinic's documents never use at all count as missing; nouns the clinic uses elsewhere
        but not here count half (the unit may still answer, e.g. a synonym in the heading).
        """
        if not question.specific:
            return 1.0
        meta = unit.passage.metadata
        here = set(terms(unit.text)) | set(terms(str(meta.get("section", "")))) | set(
            terms(str(meta.get("title", "")))) | set(terms(unit.context))
        if unit.kind == "row":
            here.update(day_terms(unit.text))  # "토 — 09:30 ~ 15:00" names 토요일
        here_text = " ".join([unit.text, str(meta.get("section", "")), str(meta.get("title", "")),
                              unit.context]).lower()
        score = 0.0
        lang = unit.lang if unit.lang in ("ko", "en") else "ko"
        for noun in question.specific:
            options = set(retrieval.index.alternatives(noun)) | set(question.phrases.get(noun, ()))
            if options & here or any(_mentions(here_text, o) for o in options if len(o) > 1):
                score += 1.0
            elif any(retrieval.index.df.get(o, 0) for o in options):
                score += 0.5
            elif not any(script(o) == lang for o in options):
                score += 0.5  # untranslatable into this passage's language: unknown, not missing
        return score / len(question.specific)

    # -- writing -----------------------------------------------------------------------------------
    @staticmethod
    def _abstain(language: str, score: float, debug: object) -> Draft:
        return Draft(text=phrase(ABSTAIN, language), citations=[], abstained=True, score=score,
                     debug={"reason": debug})

    @staticmethod
    def _write(units: list[Unit], language: str, score: float, debug: dict) -> Draft:
        quoted_foreign = language == "en" and any(u.lang != "en" for u in units)
        intro = INTRO_QUOTED_KO if quoted_foreign else phrase(INTRO, language)
        lines = [intro]
        citations: list[Citation] = []
        for unit in units:
            lines.append(f"- {unit.text}")
            meta = unit.passage.metadata
            citation = Citation(doc_id=unit.passage.doc_id, title=str(meta.get("title", "")),
                                source=str(meta.get("source", "")), text=unit.passage.text)
            if citation not in citations:
                citations.append(citation)
        titles = list(dict.fromkeys(c.title for c in citations))
        lines.append(f"({phrase(SOURCE, language)}: {', '.join(titles)})")
        lines.append(phrase(CLOSING, language))
        return Draft(text="\n".join(lines), citations=citations, abstained=False, score=score, debug=debug)
