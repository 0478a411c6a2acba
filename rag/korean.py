"""Korean morphemes with Kiwi. Loading costs ~3 s and ~500 MB, so there is one instance per process,
with the clinic's vocabulary added so procedure names stay whole tokens."""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from itertools import pairwise
from typing import Any

CLINIC_WORDS: tuple[str, ...] = (
    "세럼", "앰플", "토너", "클렌저", "선크림", "자외선차단제", "레티놀", "레티노이드", "나이아신아마이드",
    "살리실산", "글리콜산", "아젤라산", "벤조일퍼옥사이드", "히알루론산", "세라마이드", "판테놀", "시카",
    "피코토닝", "레이저토닝", "피코레이저", "프락셀", "울쎄라", "써마지", "슈링크", "인모드", "리쥬란",
    "보톡스", "필러", "스킨보톡스", "물광주사", "아쿠아필", "여드름압출", "압출", "스케일링", "필링",
    "PDT", "IPL", "MTS", "LDM", "주름보톡스", "사각턱보톡스", "색소", "기미", "주근깨", "잡티", "홍조",
    "모공", "흉터", "여드름흉터", "면포", "구진", "농포", "결절", "낭종", "화이트헤드", "블랙헤드",
    "피지", "각질", "진정", "재생", "다운타임", "로아큐탄", "이소트레티노인", "본인부담금", "실비",
    "물광", "피코", "제모", "아쿠아필링", "광역동", "광감작제", "서브시전", "스킨부스터", "실손보험",
    "진정관리", "노쇼", "예약금", "진단서", "소견서", "세부내역서", "초음파", "페이팔", "홈케어",
    "중학생", "고등학생", "초등학생", "대학생", "선번", "일광화상", "습윤드레싱", "브라이덜", "혼주", "비립종",
    "쥐젖", "연성섬유종", "하퇴", "액와", "세부내역", "인중", "턱선", "미간", "목주름", "팔자주름", "다크서클",
)
_WORD = re.compile(r"[A-Za-z]+|\d+(?:[.,]\d+)*")
_COMPOUND = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)+")  # "make-up", "after-care": also indexed joined
_lock = threading.Lock()
CONTENT_TAGS = ("NNG", "NNP", "NNB", "VV", "VA", "XR", "SL", "SN", "MAG")


@lru_cache(maxsize=1)
def get_kiwi() -> Any:
    from kiwipiepy import Kiwi

    kiwi = Kiwi(num_workers=1)
    for word in CLINIC_WORDS:
        kiwi.add_user_word(word, "NNP", 0.0)
    return kiwi


def morphemes(text: str) -> list[tuple[str, str]]:
    """(form, tag) pairs; verbs and adjectives come back as their lemma (먹었어요 -> 먹)."""
    with _lock:
        tokens = get_kiwi().tokenize(text)
    return [(t.form, t.tag.split("-")[0]) for t in tokens]


def content_terms(text: str) -> list[str]:
    """Terms for lexical search: Korean content morphemes plus lower-cased Latin words and numbers.

    Kiwi splits Korean well but not English, so Latin words are taken by a regex instead. Hyphenated
    words count both as their parts and joined ("make-up" -> make, up, makeup), since visitors and
    documents spell them either way.
    """
    terms = [form.lower() for form, tag in morphemes(text) if tag in CONTENT_TAGS and tag not in ("SL", "SN")]
    terms.extend(m.group(0).lower().replace(",", "") for m in _WORD.finditer(text))
    terms.extend(m.group(0).lower().replace("-", "") for m in _COMPOUND.finditer(text))
    return terms


def noun_pairs(text: str) -> list[tuple[str, str]]:
    """Adjacent nouns written as one phrase ("문신 제거", "전기차"): the first modifies the second. A particle,
    a verb or more than one space between them breaks the pair."""
    with _lock:
        tokens = get_kiwi().tokenize(text)
    return [(a.form, b.form) for a, b in pairwise(tokens)
            if a.tag in ("NNG", "NNP") and b.tag in ("NNG", "NNP") and b.start - (a.start + a.len) <= 1]
