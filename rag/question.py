"""What a question asks for: its specific nouns (what it is about) and its type (price, hours, ...).

The type cues let the composer prefer a table row with 원 for a price question and a line with 10:00 for an
hours question; the specific nouns decide abstention (a question about a procedure the clinic never
mentions must not be answered with the price of another one).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from rag.korean import morphemes
from rag.language import detect_language
from rag.lexicon import EN_STOPWORDS, expand, is_generic, normalize, phrase_translations, stem, terms

NOUN_TAGS = ("NNG", "NNP", "XR")  # Korean nouns; Latin words are taken by a regex (Kiwi keeps "own.")
_HANGUL_END = re.compile(r"[\uac00-\ud7a3]$")
_LATIN = re.compile(r"[A-Za-z]+")

# "얼마나 저렴해요 / 돌려받아요": "얼마나" asks how much money there, not how long.
_HOW_MUCH_MONEY = "(저렴|싸|비싸|차이|절약|아낄|할인|돌려|환불|내야|나와|나오)"

# "55,000원", "55,000 won", or a cell under a "Price (KRW)" / "가격(원)" column: an amount of money.
AMOUNT = re.compile(r"\d[\d,]*\s*(원|won|krw)|(원|won|krw|₩)\)?\s*:\s*\d|₩\s*\d", re.I)

# (question cue, evidence pattern) per question type.
QUESTION_TYPES: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "price": (re.compile(r"가격|비용|금액|요금|할인|합계|총액|total|"
                         r"얼마(?!\s*(나|동안|간격|만에|후|뒤|전|정도\s*걸|있다가|지나))|"
                         rf"얼마나\s*{_HOW_MUCH_MONEY}|저렴|cheaper|save\b|"
                         # "how much moisturizer should I use" asks for an amount of a thing, not money
                         r"price|cost|how much(?!\s+(?:lotion|cream|moisturi[sz]er|emollient|sunscreen|water|"
                         r"product|ointment|serum|time|sleep|gel|oil|should|do\s+i\s+(?:need|use|apply|put)))|"
                         r"fee|charge|won\b", re.I),
              # an amount, or "free"
              re.compile(AMOUNT.pattern + r"|무료|free", re.I)),
    # "8시쯤 가려구요", "밤 늦게도 해요?" (normalised to 야간 진료): asking whether the clinic is open then.
    "hours": (re.compile(r"몇\s*시|진료\s*시간|영업|오픈|문\s*(을\s*)?열|닫|요일|점심|휴진|휴무|야간|"
                         r"\d{1,2}\s*시\s*(?:쯤|경|이후|넘어|넘|까지|반)|"
                         r"hours|open|close|what time|lunch|saturday|sunday|weekend|holiday|evening|late night",
                         re.I),
              re.compile(r"\d{1,2}:\d{2}|\d+\s*시|휴진|요일|closed|\bmon|\bsat|\bsun", re.I)),
    "duration": (re.compile(rf"소요|걸리|걸려|얼마나(?!\s*{_HOW_MUCH_MONEY})|"
                            r"얼마\s*동안|며칠|"
                            r"몇\s*(분|일|주|시간)|how long|how soon|"
                            r"how quickly|within how|얼마\s*만에|언제쯤|"
                            r"how many (days|weeks|minutes|hours)|duration|minutes", re.I),
                 re.compile(r"\d+\s*(~\s*\d+\s*)?(분|시간|일|주|개월|min|hour|day|week|month)", re.I)),
    # "언제까지 운영", "valid until when?": the answer is a date or a deadline, not a time of day.
    "date": (re.compile(r"언제까지|며칠까지|유효\s*기간|만료|until when|till when|valid until|expire|"
                        r"what date|which date|deadline|end date|when does .{0,30}\b(end|run until|expire)", re.I),
             re.compile(r"\d{4}\s*년|\d{1,2}\s*월\s*\d{1,2}\s*일|\d{4}[-./]\d{1,2}[-./]\d{1,2}|까지|부터|"
                        r"\b(until|through|from)\b|\b(january|february|march|april|may|june|july|august|september|"
                        r"october|november|december)\b", re.I)),
    "count": (re.compile(r"몇\s*(번|회|차례)|how many (times|sessions|treatments)", re.I),
              re.compile(r"\d+\s*(~\s*\d+\s*)?(회|번|sessions?|times|treatments?)", re.I)),
    "interval": (re.compile(r"간격|주기|몇\s*주마다|얼마\s*있다가|얼마\s*지나서|다음\s?(?:번)?엔?\s*언제|언제\s*또|"
                            r"(?:또|다시)\s?(?:맞아|받아|해)도|"
                            r"how often|apart|interval|how long (should|do) i wait|how soon can i .{0,20}again",
                            re.I),
                 re.compile(r"간격|주기|\d+\s*(~\s*\d+\s*)?(주|개월|week|month)", re.I)),
    "downtime": (re.compile(r"다운타임|회복|일상생활|화장|세안|붓기|downtime|recover|makeup|wash", re.I),
                 re.compile(r"다운타임|\d+\s*(일|주|시간)|당일|다음\s*날|이틀|downtime|days?|hours?|"
                            r"next day|same day", re.I)),
    "location": (re.compile(r"주차|위치|주소|어디|오시는|찾아|역|parking|park|address|where|station|subway",
                            re.I),
                 re.compile(r"주차|역|출구|층|주소|parking|station|exit|floor|address", re.I)),
    "side_effects": (re.compile(r"부작용|위험|아프|통증|side effect|risk|pain|hurt", re.I),
                     re.compile(r"부작용|붉|통증|멍|붓|색소|side effect|redness|pain|bruis|swell", re.I)),
    # "정류장 번호", "bus number", "room number" are not a way to reach the clinic
    "contact": (re.compile(r"전화|(?<!정류장\s)(?<!정류장)(?<!버스\s)(?<!버스)(?<!노선\s)(?<!출구\s)(?<!출구)"
                           r"(?<!사업자\s)(?<!사업자)(?<!등록)(?<!예약\s)(?<!예약)(?<!방\s)번호|연락처|메일|phone|"
                           r"(?<!bus\s)(?<!stop\s)(?<!exit\s)(?<!route\s)(?<!booking\s)(?<!room\s)number|call|"
                           r"contact|e-?mail|whatsapp|kakao", re.I),
                re.compile(r"\d{2,4}-\d{3,4}-\d{4}|[\w.+-]+@[\w-]+\.[\w.]+")),
    # "I might be late for my appointment": the late-arrival rule is part of the booking policy.
    "booking": (re.compile(r"예약|취소|환불|변경|노쇼|지각|늦(?:을|으면|는다면)|book|reserv|cancel|refund|resched|"
                           r"\b(?:be|am|running|arrive|arriving) late\b", re.I),
                re.compile(r"예약|취소|환불|변경|늦|book|reserv|cancel|refund|\blate\b", re.I)),
    # "시술 받은 날 술 한잔 해도 되나?", "can I fly the next day?": the answer is a rule that allows or forbids
    # (금지, 가능, 후부터), not merely a line that names the same things.
    # A soft type (SOFT_TYPES): a line without these words is not wrong, so it keeps the neutral cue.
    "permission": (re.compile(r"(?:해|가|먹어|마셔|발라|타|씻어|받아|맞아|감아|써|해\s?봐|운동해|들어가)도\s?"
                              r"(?:되|돼|괜찮)|"
                              r"괜찮을까|괜찮나요|괜찮은가요|\bis it (?:ok|okay|safe|fine)\b|"
                              r"\bcan i (?:still )?(?:drink|fly|swim|exercise|work out|wash|shower|wear|put on|sauna|"
                              r"sleep|lie|"
                              r"tan|sunbathe|travel)\b|"
                              r"\bam i allowed\b|\ballowed to\b|\bsafe to\b", re.I),
                   re.compile(r"금지|가능|불가|자제|피해|피하|삼가|부터|이후|권장|안\s?됩니다|마세요|\bavoid|"
                              r"\ballowed\b|\bokay\b|\bok\b|\bcan\b|\bafter\b|\buntil\b|\bwait\b|\bdon'?t\b|"
                              r"\bnot\b|\bno\b", re.I)),
}
SOFT_TYPES = frozenset({"permission"})
FOLLOW_UP = re.compile(
    r"^\s*(그럼|그러면|그건|그거|그것|그리고|또|그 ?다음|and\b|what about|how about|then\b|and for)", re.I)


# "300샷", "5회", "2cc", "10 sessions", "5-session": a count or size the answer must be about.
QUALIFIER = re.compile(r"(?<![\d,.])(\d+(?:\.\d+)?)\s*-?\s*(회|번|샷|유닛|개|cc|ml|mm|cm|shots?|sessions?|units?|"
                       r"times|treatments?)(?![A-Za-z])", re.I)


@dataclass
class QuestionProfile:
    text: str
    language: str
    terms: list[str]  # index terms of the question
    expanded: list[str]  # plus glossary translations
    specific: list[str]  # nouns that say what the question is about (not "가격", "price")
    types: list[str] = field(default_factory=list)
    qualifiers: list[str] = field(default_factory=list)  # numbers of "300샷", "5 sessions": the answer's row
    counted: dict[str, tuple[str, ...]] = field(default_factory=dict)  # qualifier -> nouns before it ("울쎄라")
    units: dict[str, str] = field(default_factory=dict)  # qualifier -> what it counts ("600" -> "샷")
    dates: frozenset[tuple[int, int]] = frozenset()  # (month, day) the question names: "11월 14일", "Nov 14"
    # each word of a two-word glossary phrase -> the phrase's translations ("hair" in "hair removal" -> 제모)
    phrases: dict[str, tuple[str, ...]] = field(default_factory=dict)


@lru_cache(maxsize=2048)
def _nouns(text: str) -> tuple[str, ...]:
    found = [form for form, tag in morphemes(text) if tag in NOUN_TAGS and not form.isascii()]
    found.extend(stem(m.group(0).lower()) for m in _LATIN.finditer(text))
    return tuple(dict.fromkeys(found))


# "포텐자는 언제부터 받을 수 있어요?" asks for a start date; "화장은 언제부터 돼요?" asks for a downtime, and a
# date cue there would rank the aftercare line below any line with "부터" in it.
_STARTS_WHEN = re.compile(r"언제부터|며칠부터|from when|since when|starting when|"
                          r"when (?:does|do|will|can) .{0,30}\b(?:start|begin|launch)", re.I)


def question_types(text: str) -> list[str]:
    found = [name for name, (cue, _) in QUESTION_TYPES.items() if cue.search(text)]
    if "date" not in found and "downtime" not in found and _STARTS_WHEN.search(text):
        found.append("date")
    return found


def profile(text: str, language: str | None = None) -> QuestionProfile:
    language = language or detect_language(text)
    text = normalize(text)  # "토욜 몇시에 문닫아여" is asked in the clinic's words: 토요일, 진료 종료
    base = terms(text)
    specific = [n for n in _nouns(text)
                if not is_generic(n) and n not in EN_STOPWORDS and (len(n) > 2 or not n.isascii())]
    found = [m for m in QUALIFIER.finditer(text) if not _single_session(m)]
    return QuestionProfile(text=text, language=language, terms=base,
                           expanded=expand(base), specific=specific, types=question_types(text),
                           qualifiers=list(dict.fromkeys(m.group(1) for m in found)),
                           counted={m.group(1): nouns for m in found
                                    if (nouns := _nouns_before(text[:m.start()], specific)
                                        or _nouns_after_of(text[m.end():], specific))},
                           units={m.group(1): m.group(2) for m in found}, dates=dates_named(text),
                           phrases=phrase_translations(base))


_EN_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december")
_KO_MONTH = re.compile(r"(?<!\d)(1[0-2]|[1-9])\s?월")
# "may" is left out: far more often the verb than the month.
_EN_MONTH_SHORT = "jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec"
_EN_MONTH = re.compile(r"\b(" + "|".join(m for m in _EN_MONTHS if m != "may")
                       + rf"|(?:{_EN_MONTH_SHORT})\.?)\b", re.I)
_KO_DATE = re.compile(r"(?<!\d)(1[0-2]|[1-9])\s?월\s?([1-3]?\d)\s?일|(?<![\d/.\-])(1[0-2]|0?[1-9])/([0-3]?\d)(?![\d/])")
_ISO_DATE = re.compile(r"(?<!\d)20\d\d[-./]\s?(1[0-2]|0?[1-9])[-./]\s?([0-3]?\d)(?!\d)")
_EN_MONTH_WORD = "|".join(_EN_MONTHS) + "|" + _EN_MONTH_SHORT
_EN_DATE = re.compile(rf"\b({_EN_MONTH_WORD})\.?\s+([1-3]?\d)(?:st|nd|rd|th)?\b"
                      rf"|\b([1-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?({_EN_MONTH_WORD})\b", re.I)


def _month_number(word: str) -> int:
    word = word.lower().rstrip(".")
    return next(i + 1 for i, name in enumerate(_EN_MONTHS) if name.startswith(word[:3]))


def months_named(text: str) -> set[int]:
    """Months a text names: "12월", "December", "Dec."."""
    found = {int(m.group(1)) for m in _KO_MONTH.finditer(text)}
    found |= {_month_number(m.group(1)) for m in _EN_MONTH.finditer(text)}
    return found


def dates_named(text: str) -> frozenset[tuple[int, int]]:
    """(month, day) pairs a text names: "11월 14일", "11/14", "November 14", "14 Nov"."""
    found = set()
    for m in _KO_DATE.finditer(text):
        month, day = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        found.add((int(month), int(day)))
    found |= {(int(m.group(1)), int(m.group(2))) for m in _ISO_DATE.finditer(text)}
    for m in _EN_DATE.finditer(text):
        month, day = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        found.add((_month_number(month), int(day)))
    return frozenset((mo, d) for mo, d in found if 1 <= d <= 31)


def _nouns_before(prefix: str, specific: list[str]) -> tuple[str, ...]:
    """The specific nouns of the (up to three) Korean words right before a count ("HIFU 리프팅 얼굴 전체
    300샷" -> 얼굴, 전체, 리프팅): what the number counts. Only Korean: English puts the counted noun after
    the number, often with filler words between."""
    found = []
    for word in reversed(prefix.split()[-3:]):
        if not _HANGUL_END.search(word) and not word.isascii():
            break
        noun = next((n for n in specific if word.lower().startswith(n) or n.startswith(word.lower())), None)
        if noun:
            found.append(noun)
    return tuple(found)


_OF_WORDS = re.compile(r"^\s*(?:(?:of|for)\s+)?((?:the\s+|a\s+)?[A-Za-z][\w\-]*(?:\s+[A-Za-z][\w\-]*){0,2})", re.I)


def _nouns_after_of(rest: str, specific: list[str]) -> tuple[str, ...]:
    """English puts what a count counts after it: "10 sessions of Aqua Peel" -> aqua, peel; "a 5-session scalp
    injection package" -> scalp, injection."""
    m = _OF_WORDS.match(rest)
    if not m:
        return ()
    words = [w.lower() for w in m.group(1).split()]
    return tuple(n for n in specific if any(w.startswith(n) or n.startswith(w) for w in words))


# What a count counts, in the spellings documents use: "20회권" must not be answered by "20분" or "20%".
SESSION_UNITS = ("회", "번", "session", "time", "treatment")
COUNT_FAMILIES = (
    SESSION_UNITS,
    ("샷", "shot"),
    ("유닛", "unit", "u"),
    ("cc", "ml"),
    ("mm", "cm"),
    ("개",),
)


@lru_cache(maxsize=512)
def count_pattern(number: str, unit: str) -> re.Pattern[str]:
    """The number followed by its unit or a unit of the same family ("5회", "5 sessions", "300샷")."""
    unit = unit.lower().rstrip("s") if unit.isascii() else unit
    family = next((f for f in COUNT_FAMILIES if unit in f), (unit,))
    words = "|".join(re.escape(w) for w in family)
    return re.compile(rf"(?<![\d,.]){re.escape(number)}\s*-?\s*(?:{words})|"
                      rf"\b(?:course|package|pack|set|series|bundle)s?\s+of\s+{re.escape(number)}(?![\d,.])", re.I)


def _single_session(m: re.Match[str]) -> bool:
    """"1회", "한 번에 얼마": one session is what an unlabelled price is for, so it names no package row."""
    return m.group(1) == "1" and m.group(2).lower().rstrip("s") in SESSION_UNITS


def looks_like_follow_up(text: str) -> bool:
    """Short or anaphoric questions ("그럼 10회는요?", "and for 10 sessions?") lean on the previous turn."""
    if FOLLOW_UP.search(text):
        return True
    nouns = [n for n in _nouns(text) if not is_generic(n)]
    return len(nouns) == 0 and len(text.strip()) <= 25
