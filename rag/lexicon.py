"""Terms for lexical search and evidence scoring, plus a small bilingual clinic glossary.

Why a glossary: the demo documents are mostly Korean and visitors may ask in English. Expanding an
English question with the Korean names of the same procedures lets BM25 and the composer's term overlap
see "pico toning" in "피코토닝". Entries are general dermatology vocabulary, not tied to one clinic.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rag.korean import content_terms

EN_STOPWORDS = frozenset(
    """
a an the is are was were be been being am do does did doing have has had having i me my we our you your he
she it its they them their this that these those what which who whom whose when where why how can could
would should will shall may might must to of in on at by for with about from into over under again further
then once here there all any both each few more most other some such no nor not only own same so than too
very s t just don now and or but if because as until while up down out off please tell know want need get
much many there's what's it's i'm also any
""".split()  # noqa: SIM905
)

# Korean words that say what kind of fact is wanted but not what it is about.
KO_GENERIC = frozenset(
    """
가격 얼마 비용 금액 원 회 시간 언제 어디 어떻게 무엇 뭐 가능 있 없 하 되 알 주 보 받 싶 궁금
문의 정도 요 것 수 때 좀 혹시 그럼 그러면 그리고 안내 경우 알려주 말 나 저 제 우리 병원
시술 이 그 저희 곳 번 분 걸리 거 건가 되나
""".split()  # noqa: SIM905
)
EN_GENERIC = frozenset(
    """
price prices cost costs much how long time hours hour open opening close closing session sessions clinic
treatment treatments procedure procedures fee fees won krw minutes minute take takes available offer
""".split()  # noqa: SIM905
)

# English term -> Korean terms (and the reverse is derived). Lower-case, single or multi word keys.
GLOSSARY: dict[str, tuple[str, ...]] = {
    "price": ("가격", "비용"), "cost": ("가격", "비용"), "fee": ("비용",), "package": ("패키지",),
    "session": ("회",), "sessions": ("회",), "consultation": ("상담",), "dermatologist": ("전문의",),
    "hours": ("진료", "시간"), "open": ("진료",), "lunch": ("점심",), "holiday": ("휴진", "공휴일"),
    "holidays": ("휴진", "공휴일"), "closed": ("휴진",), "saturday": ("토요일",), "sunday": ("일요일",),
    "weekday": ("평일",), "weekdays": ("평일",), "parking": ("주차",), "park": ("주차",),
    "address": ("주소",), "location": ("위치",), "subway": ("지하철", "역"), "station": ("역",),
    "phone": ("전화",), "booking": ("예약",), "book": ("예약",), "reservation": ("예약",),
    "cancel": ("취소",), "cancellation": ("취소",), "refund": ("환불",), "insurance": ("보험", "실비"),
    "downtime": ("다운타임",), "side": ("부작용",), "effects": ("부작용",), "redness": ("홍조", "붉"),
    "swelling": ("붓기",), "pain": ("통증",), "anesthesia": ("마취",), "aftercare": ("관리", "주의"),
    "sunscreen": ("선크림", "자외선차단제"), "pregnancy": ("임신",), "pregnant": ("임신",),
    "acne": ("여드름",), "pimple": ("여드름",), "pimples": ("여드름",), "scar": ("흉터",),
    "scars": ("흉터",), "pore": ("모공",), "pores": ("모공",), "pigmentation": ("색소", "기미"),
    "melasma": ("기미",), "freckles": ("주근깨",), "wrinkle": ("주름",), "wrinkles": ("주름",),
    "pico": ("피코토닝", "피코"), "toning": ("토닝", "피코토닝", "레이저토닝"), "laser": ("레이저",),
    "ipl": ("ipl",), "pdt": ("pdt",), "extraction": ("압출",), "scaling": ("스케일링",),
    "aquapeel": ("아쿠아필",), "peel": ("필링",), "peeling": ("필링",), "botox": ("보톡스",),
    "filler": ("필러",), "fillers": ("필러",), "rejuran": ("리쥬란",), "ulthera": ("울쎄라",),
    "shurink": ("슈링크",), "thermage": ("써마지",), "inmode": ("인모드",), "fraxel": ("프락셀",),
    "serum": ("세럼",), "toner": ("토너",), "cleanser": ("클렌저",), "cream": ("크림",),
    "moisturizer": ("보습제", "크림"), "retinol": ("레티놀",), "niacinamide": ("나이아신아마이드",),
    "salicylic": ("살리실산",), "vitamin": ("비타민",), "event": ("이벤트",), "events": ("이벤트",),
    "discount": ("할인",), "video": ("영상",), "videos": ("영상",), "card": ("카드",), "cash": ("현금",),
    "payment": ("결제",), "pay": ("결제",), "vat": ("부가세", "vat"), "tax": ("부가세",),
    "doctor": ("원장", "의사", "전문의"), "minutes": ("분",), "duration": ("소요",), "long": ("소요",),
}
_REVERSE: dict[str, tuple[str, ...]] = {}
for _en, _kos in GLOSSARY.items():
    for _ko in _kos:
        _REVERSE[_ko] = (*_REVERSE.get(_ko, ()), _en)

_LATIN_WORD = re.compile(r"^[a-z]+$")


def stem(term: str) -> str:
    if _LATIN_WORD.match(term) and len(term) > 4 and term.endswith("s") and not term.endswith("ss"):
        return term[:-1]
    return term


@lru_cache(maxsize=4096)
def _terms_cached(text: str) -> tuple[str, ...]:
    return tuple(stem(t) for t in content_terms(text) if t not in EN_STOPWORDS)


def terms(text: str) -> list[str]:
    """Index terms: Kiwi content morphemes and Latin words/numbers, English stop words removed."""
    return list(_terms_cached(text))


def expand(query_terms: list[str]) -> list[str]:
    """Add glossary translations in both directions (English question, Korean documents and back)."""
    out = list(query_terms)
    for term in query_terms:
        out.extend(GLOSSARY.get(term, ()))
        out.extend(GLOSSARY.get(term + "s", ()))
        out.extend(_REVERSE.get(term, ()))
    return out


def is_generic(term: str) -> bool:
    return term in KO_GENERIC or term in EN_GENERIC or term in EN_STOPWORDS or term.isdigit()
