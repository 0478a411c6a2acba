"""Which language a visitor wrote in: the share of Hangul among letters. Cheap, offline, and good enough
for the two languages the kiosk speaks (ko, en)."""

from __future__ import annotations

import re

_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
_LATIN = re.compile(r"[A-Za-z]")


def hangul_ratio(text: str) -> float:
    hangul = len(_HANGUL.findall(text))
    latin = len(_LATIN.findall(text))
    return hangul / (hangul + latin) if hangul + latin else 0.0


def detect_language(text: str, default: str = "ko") -> str:
    """``ko`` when at least 30% of letters are Hangul (Korean questions often carry Latin brand names)."""
    hangul = len(_HANGUL.findall(text))
    latin = len(_LATIN.findall(text))
    if hangul + latin == 0:
        return default
    return "ko" if hangul / (hangul + latin) >= 0.3 else "en"
