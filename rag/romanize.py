"""Spelling-insensitive matching of brand and procedure names across scripts (엑셀V / Excel V, 쥬베룩 /
Juvelook, 울쎄라 / Ulthera).

Why: a glossary can never list every device and product a clinic offers, but Korean loanwords keep the
consonants of the English name. Both spellings are reduced to a consonant skeleton (vowels dropped,
similar sounds merged: b/p/v/f, g/k/c/q, d/t, s/th/sh, j/ch/z, l/r), so "Juvelook" and "쥬베룩" meet at
"jplk". Short skeletons collide by chance, so only skeletons of three or more consonants are compared.
"""

from __future__ import annotations

import re
from functools import lru_cache

_HANGUL_BASE, _HANGUL_LAST = 0xAC00, 0xD7A3
# Initial consonants (19) and final consonants (28, first is none), as skeleton letters; ㅇ initial is silent.
_INITIAL = ["k", "k", "n", "t", "t", "l", "m", "p", "p", "s", "s", "", "j", "j", "j", "k", "t", "p", "h"]
_FINAL = ["", "k", "k", "ks", "n", "nj", "nh", "t", "l", "lk", "lm", "lp", "ls", "lt", "lp", "lh", "m", "p",
          "ps", "s", "s", "n", "j", "j", "k", "t", "p", "h"]
_LATIN_RULES = [  # order matters: digraphs first
    (re.compile(r"ph"), "p"), (re.compile(r"(th|sh|ss)"), "s"), (re.compile(r"ch"), "j"),
    (re.compile(r"ng"), "n"), (re.compile(r"ck"), "k"), (re.compile(r"x"), "ks"),
    (re.compile(r"c(?=[eiy])"), "s"), (re.compile(r"g(?=[ei])"), "j"), (re.compile(r"[cqg]"), "k"),
    (re.compile(r"[bvf]"), "p"), (re.compile(r"d"), "t"), (re.compile(r"z"), "j"),
    (re.compile(r"r(?![aeiouy])"), ""), (re.compile(r"r"), "l"), (re.compile(r"[wy]"), ""),
    (re.compile(r"h(?![aeiou])"), ""),
]
MIN_CONSONANTS = 3


def _collapse(text: str) -> str:
    return re.sub(r"(.)\1+", r"\1", text)


@lru_cache(maxsize=8192)
def skeleton(term: str) -> str:
    """The consonant skeleton of a Hangul or Latin word; "" for anything else (numbers, mixed)."""
    term = term.lower()
    if re.fullmatch(r"[a-z]+", term):
        for pattern, repl in _LATIN_RULES:
            term = pattern.sub(repl, term)
        return _collapse(re.sub(r"[aeiou]", "", term))
    if not all(_HANGUL_BASE <= ord(ch) <= _HANGUL_LAST for ch in term):
        return ""
    out = []
    for ch in term:
        code = ord(ch) - _HANGUL_BASE
        out.append(_INITIAL[code // 588] + _FINAL[code % 28])
    return _collapse("".join(out))


def same_name(first: str, second: str) -> bool:
    """Whether two words in different scripts are plausibly the same name (skeletons equal, or one a
    prefix of the other missing only a final consonant: "refund" / "리펀")."""
    a, b = skeleton(first), skeleton(second)
    if len(a) < MIN_CONSONANTS or len(b) < MIN_CONSONANTS:
        return False
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return len(long) - len(short) == 1 and long.startswith(short) and len(short) >= MIN_CONSONANTS
