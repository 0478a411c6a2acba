"""Masking of personal data (PIPA): resident registration numbers, phone, card and account numbers, e-mail.

Look-alikes must survive untouched, because staff and visitors rely on them: booking codes
("HN-7K2Q9P", "예약번호 2026-1127-03"), dates, prices ("150,000원"), times and counts. So each detector
checks shape *and* plausibility: RRN month/day and gender digit, the Luhn check (or a 4-4-4-4 grouping or a
card word nearby) for cards, a phone
prefix, and for bank accounts a nearby account word.

Detection runs on a per-character folded copy (full-width digits become ASCII, invisible characters
become spaces) of the same length, so spans map back onto the original text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rag.guardrails.normalize import fold_chars

_RRN = re.compile(r"(?<![\d\-])(\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])"
                  r"\s?[-–]?\s?([1-8])(\d{6})(?![\d\-])")
_MOBILE = re.compile(r"(?<![\d\-+])(?:\+?82[ \-]?\(?0?\)?[ \-]?1[016789]|01[016789])"
                     r"[ \-.]?\d{3,4}[ \-.]?\d{4}(?![\d\-])")
# "공일공 칠삼이일 구팔오사": a mobile number read out in Sino-Korean number words (typed to dodge filters or
# by voice input). Ten or eleven number words starting 010/011/016-019; 공 and 영 are both zero.
# Groups may be joined by "에" as people say them ("공일공 칠칠삼이 에 구일공사").
_SPELLED_MOBILE = re.compile(r"(?:공|영)\s?일\s?(?:공|영|일|육|륙|칠|팔|구)"
                             r"(?:(?:[\s\-.]|\s?에\s)?[공영일이삼사오육륙칠팔구]){7,8}"
                             r"(?![가-힣]*(?:번째|일|월|시))")
# "zero one zero, two two four four, nine one three seven": the same read out in English number words.
_EN_DIGIT = r"(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)"
_SPELLED_MOBILE_EN = re.compile(rf"\b(?:zero|oh)[\s,\-.]+one[\s,\-.]+(?:zero|oh|one|six|seven|eight|nine)"
                                rf"(?:[\s,\-.]+{_EN_DIGIT}){{7,8}}\b", re.I)
# "eight five oh seven one two, dash, one three four…": an RRN read out in English number words.
_SPELLED_RRN_EN = re.compile(rf"\b{_EN_DIGIT}(?:[\s,.]+(?:dash[\s,.]+|-\s?)?{_EN_DIGIT}){{12}}\b", re.I)
_EN_DIGIT_VALUE = {"zero": "0", "oh": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5",
                   "six": "6", "seven": "7", "eight": "8", "nine": "9"}
_LANDLINE_SEP = re.compile(r"(?<![\d\-+])(?:\+?82[ \-]?\(?0?\)?[ \-]?(?:2|[3-6][1-5])|0(?:2|[3-6][1-5]|70))"
                           r"[ \-)]\s?\d{3,4}[ \-]\d{4}(?![\d\-])")
_LANDLINE_BARE = re.compile(r"(?<![\d\-+])0(?:2|[3-6][1-5]|70)\d{7,8}(?![\d\-])")
# A fax or the clinic's own desk number is a business number, not a visitor's.
_BUSINESS_WORDS = re.compile(r"(팩스|fax|대표\s?번호|병원\s?번호|clinic's|the clinic)", re.I)
_PHONE_WORDS = re.compile(r"(전화|연락|번호|폰|핸드폰|휴대|phone|tel|call|contact|mobile|number|☎)", re.I)
_CARD = re.compile(r"(?<![\d\-])\d(?:[ \-]?\d){12,18}(?![\d\-])")
_ACCOUNT = re.compile(r"(?<![\d\-])\d{2,6}(?:[ \-]\d{2,7}){1,4}(?![\d\-])|(?<![\d\-])\d{10,14}(?![\d\-])")
_ACCOUNT_WORDS = re.compile(
    r"(계좌|입금|송금|이체|환불|은행|뱅크|농협|국민|신한|우리|하나|기업|카카오|토스|새마을|우체국|수협|"
    r"account|bank|deposit|transfer|refund)", re.I)
# Korean passports: one or two letters and 7-8 digits ("M12345678"), masked next to a passport word only
# (the same shape is a product or booking code elsewhere).
_PASSPORT = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{1,2}\s?\d{7,8}(?![A-Za-z0-9])")
_PASSPORT_WORDS = re.compile(r"(여권|passport)", re.I)
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
# "jiwoo.lee (at) naver (dot) com", "jiwoo [at] naver.com", "jiwoo 골뱅이 naver 닷 com": an address written
# to dodge filters (or because a form rejected the @) is still the visitor's address.
_AT = r"(?:\s?[(\[{]\s?(?:at|골뱅이)\s?[)\]}]\s?|\sat\s|\s?골뱅이\s?)"
_DOT = r"(?:\s?[(\[{]\s?(?:dot|닷|점)\s?[)\]}]\s?|\s(?:dot|닷)\s|\.)"
_EMAIL_SPELLED = re.compile(rf"(?<![\w.])(?=[\w.%+\-]*[A-Za-z])[A-Za-z0-9._%+\-]+{_AT}"
                            rf"[A-Za-z0-9\-]+(?:{_DOT}[A-Za-z0-9\-]+)*{_DOT}"
                            r"(?:com|net|org|kr|co|jp|cn|io|me|edu|gov|info|biz|us|uk)\b", re.I)
# "9 5 0 3 2 1 - 1 0 4 7 3 3 8", "앞자리 950321 뒷자리 1047338": an RRN typed digit by digit or in two halves
# named by the words people use for them. Checked as an RRN (month, day, gender digit) once joined.
_RRN_SPACED = re.compile(r"(?<![\d])\d(?:(?:[\s.\-]|\s?(?:뒷자리|뒤|뒷번호|앞자리)\s?){1,3}\d|\d){12}(?![\d])")
_RRN_WORDS = re.compile(r"(주민|주민등록|주민번호|생년월일|뒷자리|resident|registration|rrn)", re.I)
_CARD_WORDS = re.compile(r"(카드|결제|신용|체크|card|visa|master|amex|credit|debit|pay)", re.I)
_CARD_GROUPED = re.compile(r"\d{4}([ \-])\d{4}\1\d{4}\1\d{4}")
# "5412, then 7500, then 3318, then 9021": a card typed in pieces so that no filter sees it whole.
_CARD_PIECES = re.compile(r"(?<![\d,])\d{4}(?:\s?[,/;]?\s?(?:then|and|그리고|다음(?:에|은)?|그다음)?\s?[,/;]?\s?"
                          r"\d{4}){3}(?![\d,])", re.I)
_BOOKING_WORDS = re.compile(r"(예약\s?번호|예약\s?코드|booking|reservation|confirmation|code|주문번호)", re.I)

MASKS = {"rrn": "[주민등록번호]", "phone": "[전화번호]", "card": "[카드번호]", "account": "[계좌번호]",
         "email": "[이메일]", "passport": "[여권번호]"}


@dataclass(frozen=True)
class PiiSpan:
    kind: str
    start: int
    end: int


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _near(pattern: re.Pattern[str], text: str, start: int, end: int, window: int = 20) -> bool:
    return bool(pattern.search(text[max(0, start - window):start])) or bool(
        pattern.search(text[end:end + 8]))


def find_pii(text: str, keep: Iterable[str] = (), *, landlines: bool = True) -> list[PiiSpan]:
    """All PII spans, non-overlapping, first detector wins. ``keep`` lists numbers never to mask
    (the clinic's own public phone numbers), compared digits-only. ``landlines=False`` leaves landline
    numbers alone: in the assistant's own replies they are the clinic's or a pharmacy's desk, quoted from
    its documents, while mobiles there can only be echoed personal data."""
    folded = fold_chars(text)
    keep_digits = {re.sub(r"\D", "", k) for k in keep if k}
    spans: list[PiiSpan] = []

    def taken(s: int, e: int) -> bool:
        return any(s < sp.end and sp.start < e for sp in spans)

    def add(kind: str, m: re.Match[str]) -> None:
        s, e = m.span()
        if not taken(s, e) and re.sub(r"\D", "", m.group(0)) not in keep_digits:
            spans.append(PiiSpan(kind, s, e))

    for m in _EMAIL.finditer(folded):
        add("email", m)
    for m in _EMAIL_SPELLED.finditer(folded):
        add("email", m)
    for m in _RRN.finditer(folded):
        add("rrn", m)
    for m in _RRN_SPACED.finditer(folded):
        if _RRN.fullmatch(re.sub(r"\D", "", m.group(0))) and _near(_RRN_WORDS, folded, *m.span(), window=25):
            add("rrn", m)
    for m in _SPELLED_RRN_EN.finditer(folded):
        digits = "".join(_EN_DIGIT_VALUE[w.lower()] for w in re.findall(_EN_DIGIT, m.group(0), re.I))
        if _RRN.fullmatch(digits) and _near(_RRN_WORDS, folded, *m.span(), window=30):
            add("rrn", m)
    for m in _MOBILE.finditer(folded):
        add("phone", m)
    for m in _SPELLED_MOBILE.finditer(folded):
        add("phone", m)
    for m in _SPELLED_MOBILE_EN.finditer(folded):
        add("phone", m)
    for m in _LANDLINE_SEP.finditer(folded) if landlines else ():
        if not _near(_BOOKING_WORDS, folded, *m.span()) and not _near(_BUSINESS_WORDS, folded, *m.span()):
            add("phone", m)
    for m in _LANDLINE_BARE.finditer(folded) if landlines else ():
        if _near(_PHONE_WORDS, folded, *m.span()):
            add("phone", m)
    for m in _PASSPORT.finditer(folded):
        if _near(_PASSPORT_WORDS, folded, *m.span(), window=25):
            add("passport", m)
    for m in _CARD.finditer(folded):
        digits = re.sub(r"\D", "", m.group(0))
        # Luhn proves a real card; a mistyped or invented one still looks like a card to a reader when it
        # is grouped 4-4-4-4 or sits next to a card word, and leaking it is worse than masking a code.
        plausible = _luhn(digits) or (len(digits) in (15, 16) and (
            _CARD_GROUPED.fullmatch(m.group(0)) or _near(_CARD_WORDS, folded, *m.span())))
        if 13 <= len(digits) <= 19 and plausible and not _near(_BOOKING_WORDS, folded, *m.span()):
            add("card", m)
    for m in _CARD_PIECES.finditer(folded):
        if _near(_CARD_WORDS, folded, *m.span(), window=60) and not _near(_BOOKING_WORDS, folded, *m.span()):
            add("card", m)
    for m in _ACCOUNT.finditer(folded):
        digits = re.sub(r"\D", "", m.group(0))
        if 10 <= len(digits) <= 16 and _near(_ACCOUNT_WORDS, folded, *m.span(), window=25):
            add("account", m)
    return sorted(spans, key=lambda sp: sp.start)


def mask_pii(text: str, keep: Iterable[str] = (), *, landlines: bool = True) -> str:
    """The text with every PII span replaced by a labelled mask such as ``[전화번호]``."""
    return apply_masks(text, find_pii(text, keep, landlines=landlines))


def apply_masks(text: str, spans: list[PiiSpan]) -> str:
    """``text`` with the given spans (from ``find_pii`` on this text) replaced by their masks."""
    if not spans:
        return text
    out, last = [], 0
    for sp in spans:
        out.append(text[last:sp.start])
        out.append(MASKS[sp.kind])
        last = sp.end
    out.append(text[last:])
    return "".join(out)
