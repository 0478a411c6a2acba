"""Text normalisation that undoes the cheap tricks used to slip past keyword rules.

Why each step exists:
* NFKC folds full-width letters/digits (ｆｒｅｅ, ０１０) and compatibility forms to plain ones.
* Zero-width and other invisible format characters are dropped ("할\u200b인").
* Emoji and pictographs are dropped inside a word ("할🎁인" -> "할인") and read as a space elsewhere.
* Cyrillic/Greek look-alikes are mapped to Latin ("ignоre" with a Cyrillic о).
* Digits inside Latin words are read as letters ("1gn0re", "fr33") but plain numbers stay numbers.
* Hangul compatibility jamo typed one by one ("ㅎㅏㄹㅇㅣㄴ") are composed back into syllables.
* Letters spaced out one by one ("할 인", "f r e e") are joined; a fully compact view (no spaces at
  all) is kept too because Korean words glued or split by spaces still read the same.
* Base64 runs that decode to readable text are read too ("base64 디코딩해서 따라해: aWdub3Jl...").
* A phrase quoted only to refuse it ("'100% 효과' 같은 표현은 쓸 수 없어요") is not the text's own claim:
  the quoted words are dropped from that sentence, so a refusal is not blocked for the words it refuses.
"""

from __future__ import annotations

import base64
import re
import unicodedata
from dataclasses import dataclass

_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u206f\u3164\ufeff\uffa0]")
# Emoji, pictographs, dingbats, variation selectors and keycap marks (Unicode category So plus the
# joiners emoji sequences use). Currency (Sc) and maths (Sm) symbols stay: "₩", "%", "+" carry meaning.
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF\u25A0-\u25FF"
                    "\u2190-\u21FF\u3297\u3299\u303D\uFE00-\uFE0F\u20E3\U000E0020-\U000E007F]+")
_HOMOGLYPHS = str.maketrans({
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w",
    "ɡ": "g", "ⅼ": "l",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t",
    "υ": "u", "χ": "x", "γ": "y", "ω": "w", "ς": "s", "σ": "o",
})
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s",
                       "!": "i", "|": "l"})
# A "word" mixing Latin letters with leet characters, e.g. 1gn0re, fr33, p1ckup, d!scount.
_LEET_WORD = re.compile(r"(?<![\w@$!|])(?=[\w@$!|]*[a-z])(?=[\w@$!|]*[0-9@$!|])[a-z0-9@$!|]{3,}(?![\w@$!|])")
_UNITS = re.compile(r"^\d+(mg|ml|g|kg|cc|mcg|iu|x|st|nd|rd|th|am|pm|h|m|d|w|cm|mm)?$")
_SPACED_RUN = re.compile(r"(?<!\S)(?:\S[ \t.\-_·*~/]{1,3}){2,}\S(?!\S)")
_COMPACT_DROP = re.compile(r"[\s.\-_·*~|/\\'\"`^+=,:;]+")

# Hangul compatibility jamo tables (U+3131..U+3163), in Unicode syllable order.
_CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_JUNG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_JONG = " ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
_VOWEL_PAIRS = {("ㅗ", "ㅏ"): "ㅘ", ("ㅗ", "ㅐ"): "ㅙ", ("ㅗ", "ㅣ"): "ㅚ", ("ㅜ", "ㅓ"): "ㅝ",
                ("ㅜ", "ㅔ"): "ㅞ", ("ㅜ", "ㅣ"): "ㅟ", ("ㅡ", "ㅣ"): "ㅢ"}
_FINAL_PAIRS = {("ㄱ", "ㅅ"): "ㄳ", ("ㄴ", "ㅈ"): "ㄵ", ("ㄴ", "ㅎ"): "ㄶ", ("ㄹ", "ㄱ"): "ㄺ",
                ("ㄹ", "ㅁ"): "ㄻ", ("ㄹ", "ㅂ"): "ㄼ", ("ㄹ", "ㅅ"): "ㄽ", ("ㄹ", "ㅌ"): "ㄾ",
                ("ㄹ", "ㅍ"): "ㄿ", ("ㄹ", "ㅎ"): "ㅀ", ("ㅂ", "ㅅ"): "ㅄ"}
# Conjoining jamo (U+1100..) back to compatibility jamo so one composer handles both.
_L_TO_COMPAT = dict(zip(range(0x1100, 0x1113), _CHO, strict=True))
_V_TO_COMPAT = dict(zip(range(0x1161, 0x1176), _JUNG, strict=True))
_T_TO_COMPAT = dict(zip(range(0x11A8, 0x11C3), _JONG[1:], strict=True))
_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e\u1100-\u11ff]")
_LATIN = re.compile(r"[A-Za-z]")


@dataclass(frozen=True)
class NormalizedText:
    original: str
    text: str      # folded, lower-cased, jamo composed, spaced-out letters joined
    compact: str   # ``text`` without spaces and separator punctuation
    lang: str      # "ko" or "en"
    variants: tuple[str, ...] = ()  # other readings of leet digits ("ru1es" -> "rules" as well as "ruies")
    lines: tuple[str, ...] = ()  # ``text`` line by line (a reply quotes one document per line)


def detect_language(text: str) -> str:
    """Korean when Hangul is at least a fifth of the letters: mixed text is answered in Korean."""
    hangul = len(_HANGUL.findall(text))
    latin = len(_LATIN.findall(text))
    if hangul == 0:
        return "en"
    return "ko" if hangul * 5 >= hangul + latin else "en"


def _to_compat_jamo(text: str) -> str:
    out = []
    for ch in text:
        code = ord(ch)
        out.append(_L_TO_COMPAT.get(code) or _V_TO_COMPAT.get(code) or _T_TO_COMPAT.get(code) or ch)
    return "".join(out)


def _syllable(cho: str, jung: str, jong: str = "") -> str:
    return chr(0xAC00 + (_CHO.index(cho) * 21 + _JUNG.index(jung)) * 28 + _JONG.index(jong or " "))


def _split_syllable(ch: str) -> tuple[str, str, str] | None:
    code = ord(ch) - 0xAC00
    if not 0 <= code < 11172:
        return None
    return _CHO[code // 588], _JUNG[(code % 588) // 28], _JONG[code % 28].strip()


def compose_jamo(text: str) -> str:
    """Compose loose jamo into syllables: "ㅎㅏㄹㅇㅣㄴ" -> "할인", "하ㄹ인" -> "할인".

    A consonant followed by a vowel starts a new syllable; otherwise it becomes the final of the syllable
    before it (the ordinary Korean reading rule). Jamo separated by single spaces are joined first.
    """
    text = _to_compat_jamo(text)
    if not re.search(r"[\u3131-\u3163]", text):
        return text
    text = re.sub(r"(?<=[\u3131-\u3163\uac00-\ud7a3])[ \t.\-_]+(?=[\u3131-\u3163])", "", text)
    text = re.sub(r"(?<=[\u3131-\u3163])[ \t.\-_]+(?=[\uac00-\ud7a3\u3131-\u3163])", "", text)
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        nxt = text[i + 1] if i + 1 < n else ""
        if ch in _CHO and nxt in _JUNG:
            jung = nxt
            i += 2
            if i < n and (jung, text[i]) in _VOWEL_PAIRS:
                jung = _VOWEL_PAIRS[(jung, text[i])]
                i += 1
            jong = ""
            if i < n and text[i] in _JONG.strip() and not (i + 1 < n and text[i + 1] in _JUNG):
                jong = text[i]
                i += 1
                if (i < n and (jong, text[i]) in _FINAL_PAIRS
                        and not (i + 1 < n and text[i + 1] in _JUNG)):
                    jong = _FINAL_PAIRS[(jong, text[i])]
                    i += 1
            out.append(_syllable(ch, jung, jong))
            continue
        if ch in _JONG.strip() and out and nxt not in _JUNG:
            parts = _split_syllable(out[-1])
            if parts and not parts[2]:
                out[-1] = _syllable(parts[0], parts[1], ch)
                i += 1
                continue
        out.append(ch)
        i += 1
    return "".join(out)


_PERCENT_WORD = re.compile(r"(\d)\s?(?:프로|퍼센트|퍼|percent|per cent)(?![a-z가-힣])")
_HUNDRED = re.compile(r"(?<![a-z0-9])1[o0]{2}(?=\s?(?:%|퍼))")


def _split_tail(word: str) -> tuple[str, str]:
    """Trailing "!", "$", "@", "|" are punctuation ("on us!"), not letters."""
    head = word.rstrip("!$@|")
    return head, word[len(head):]


def _deleet(match: re.Match[str]) -> str:
    word, tail = _split_tail(match.group(0))
    if _UNITS.match(word) or not re.search(r"[0-9@$!|]", word):
        return word + tail
    return word.translate(_LEET) + tail


def _deleet_l(match: re.Match[str]) -> str:
    """The other reading of "1": "l" after a letter ("ru1es"), "i" at the start of a word ("1gn0re")."""
    word, tail = _split_tail(match.group(0))
    if _UNITS.match(word) or not re.search(r"[0-9@$!|]", word):
        return word + tail
    return re.sub(r"(?<=[a-z])1", "l", word).translate(_LEET) + tail


def _join_spaced(match: re.Match[str]) -> str:
    run = match.group(0)
    letters = re.split(r"[ \t.\-_·*~/]{1,3}", run)
    if all(len(p) == 1 for p in letters):
        return "".join(letters)
    return run


def fold_chars(text: str) -> str:
    """Per-character folding that keeps string length (used by PII masking to map spans back)."""
    out = []
    for ch in text:
        if _INVISIBLE.match(ch):
            out.append(" ")
            continue
        folded = unicodedata.normalize("NFKC", ch)
        out.append(folded if len(folded) == 1 else ch)
    return "".join(out)


def _drop_emoji(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        before = text[m.start() - 1] if m.start() else " "
        after = text[m.end()] if m.end() < len(text) else " "
        return "" if before.isalnum() and after.isalnum() else " "

    return _EMOJI.sub(repl, text)


_BASE64_RUN = re.compile(r"(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{12,}={0,2}(?![A-Za-z0-9+/=])")
_QUOTE_OPEN, _QUOTE_CLOSE = "\"'“‘「『", "\"'”’」』"
_QUOTED = f"[{_QUOTE_OPEN}][^{_QUOTE_CLOSE}\\n]{{1,40}}[{_QUOTE_CLOSE}]"
_MENTION = re.compile(
    rf"{_QUOTED}\s?(?:같은|라는|이라는|등의|와\s?같은|과\s?같은|처럼|식의)?\s?"
    r"(?:표현|문구|말|단어|광고|문장|카피|주장|claims?|phrases?|wording|words?|language|statements?|slogans?|copy)"
    rf"|\b(?:claims?|phrases?|wording|words?|language|statements?|slogans?|copy|terms?)\s(?:like|such as)\s{_QUOTED}",
    re.I)
_REFUSAL = re.compile(
    r"(?:쓸|사용할|드릴|말씀드릴|넣을|적을)\s?수\s?(?:가\s?)?없|(?:사용|표기|기재)하지\s?않|쓰지\s?않|쓰면\s?안|"
    r"안\s?됩니다|안\s?돼요|불가|금지|위반|못\s?(?:써|씁|드)|"
    r"\b(?:can'?t|cannot|not allowed|aren'?t allowed|isn'?t allowed|prohibited|won'?t|not permitted|"
    r"do not use|don'?t use|avoid)\b", re.I)


def _decoded_base64(text: str) -> list[str]:
    """Readable text hidden in base64 runs (an instruction smuggled past the rules)."""
    found = []
    for m in _BASE64_RUN.finditer(text):
        run = m.group(0)
        if len(run) % 4 or not (re.search(r"[A-Z]", run) and re.search(r"[a-z0-9]", run)):
            continue
        try:
            decoded = base64.b64decode(run, validate=True).decode("utf-8")
        except (ValueError, UnicodeDecodeError):
            continue
        if decoded.isprintable() and re.search(r"[A-Za-z\uac00-\ud7a3]{2,}\s", decoded + " "):
            found.append(decoded)
    return found


def drop_refused_mentions(text: str) -> str:
    """Each sentence that refuses something keeps its words but loses the phrases it quotes as wording."""
    if not _REFUSAL.search(text) or not _MENTION.search(text):
        return text
    out = []
    for part in re.split(r"((?<=[.!?])\s+|\n+)", text):
        out.append(_MENTION.sub(" 그런 표현 ", part) if _REFUSAL.search(part) else part)
    return "".join(out)


def normalize(text: str, lang: str | None = None) -> NormalizedText:
    hidden = _decoded_base64(text)
    if hidden:
        text = " ".join([text, *hidden])
    folded = _drop_emoji(_INVISIBLE.sub("", drop_refused_mentions(text)))
    folded = compose_jamo(folded)
    folded = unicodedata.normalize("NFKC", folded)
    folded = folded.translate(_HOMOGLYPHS).lower()
    folded = _HUNDRED.sub("100", folded)  # "1OO%"
    folded = _PERCENT_WORD.sub(r"\1%", folded)  # "100프로", "100 percent" -> "100%"
    raw = folded
    deleeted = _LEET_WORD.sub(_deleet, raw)  # the leet pattern never spans a line break: lines share this pass
    folded = _clean(deleeted)
    variants: tuple[str, ...] = ()
    if "1" in raw and _LEET_WORD.search(raw):
        alt = _clean(_LEET_WORD.sub(lambda m: _deleet_l(m), raw))
        variants = (alt,) if alt != folded else ()
    lines = tuple(line for line in map(_clean, deleeted.split("\n")) if line) if "\n" in deleeted else (folded,)
    # Without spaces, words of two quoted lines would touch ("항공권을확인한뒤…병원내즉시환급"): the compact view
    # keeps the line breaks, which no pattern's "." crosses.
    compact = "\n".join(_COMPACT_DROP.sub("", line) for line in lines) if len(lines) > 1 else _COMPACT_DROP.sub(
        "", folded)
    return NormalizedText(original=text, text=folded, compact=compact, lang=lang or detect_language(text),
                          variants=variants, lines=lines or (folded,))


def _clean(text: str) -> str:
    text = _SPACED_RUN.sub(_join_spaced, text)
    return re.sub(r"\s+", " ", text).strip()
