"""Confirmation codes people read aloud at the front desk, and Korean mobile numbers."""

from __future__ import annotations

import re
import secrets

from api.errors import ProblemError

# No 0/O, 1/I/L: a code read over the phone must not be ambiguous.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6
_PHONE = re.compile(r"^010-?(\d{4})-?(\d{4})$")


def new_code(prefix: str) -> str:
    return f"{prefix}-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalize_code(code: str) -> str:
    return code.strip().upper()


def normalize_phone(phone: str) -> str:
    """``010-1234-5678`` (hyphens optional, spaces ignored), or 422 ``invalid_phone``."""
    match = _PHONE.match(re.sub(r"\s+", "", phone or ""))
    if not match:
        raise ProblemError(
            422, "invalid_phone", "The phone number is not valid", "Use a mobile number like 010-1234-5678."
        )
    return f"010-{match.group(1)}-{match.group(2)}"


def mask_phone(phone: str) -> str:
    return f"010-****-{phone[-4:]}" if len(phone) >= 4 else "***"
