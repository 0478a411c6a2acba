"""Behaviour found missing on the tenth clinic (bitgoeulon, blind until measured once at the end of the fifth
stop, now a dev fixture in tests/fixtures/bitgoeulon-clinic): a doctor's years of practice are background the
clinic does not publish, so the line that merely names the doctor is no answer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.rag.support import assert_answers, assert_grounded, fixture_assistant

BITGOEULON = Path(__file__).parents[1] / "fixtures" / "bitgoeulon-clinic"


@pytest.fixture(scope="module")
def bitgoeulon(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return fixture_assistant(tmp_path_factory, BITGOEULON, "bitgoeulon", 21)


def test_years_of_practice_are_not_answered_with_the_doctors_name(bitgoeulon: Any) -> None:
    assert bitgoeulon.answer("How many years has Dr. Park been practicing dermatology?").abstained
    assert bitgoeulon.answer("박선우 원장님 경력이 몇 년이에요?").abstained
    assert_grounded(assert_answers(bitgoeulon, "Who is the director of the clinic?", "Sunwoo Park"))
