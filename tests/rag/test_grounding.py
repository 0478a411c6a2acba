"""Property-style check of the offline composer: over many questions, in both languages, answerable or
not, every number in a reply appears in the passages (or titles) it cites, and abstentions state none."""

from __future__ import annotations

import itertools
from typing import Any

from tests.rag.support import numbers

TOPICS = ["피코토닝", "레이저토닝", "여드름압출", "PDT", "주차", "진료 시간", "점심시간", "진단서",
          "예약금", "카드 할부", "보톡스", "필러", "제모", "토요일", "pico toning", "parking", "deposit",
          "laser toning", "botox", "lunch", "sunscreen", "sauna"]
TEMPLATES = ["{} 가격이 얼마예요?", "{} 몇 시간 걸려요?", "{} 후에 주의할 점은?", "{} 10회는 얼마인가요?",
             "How much is {}?", "How long does {} take?", "What should I know about {}?", "{} 5회 가격"]


def test_every_number_in_a_reply_is_in_its_citations(assistant: Any) -> None:
    answered = 0
    for topic, template in itertools.product(TOPICS, TEMPLATES):
        question = template.format(topic)
        answer = assistant.answer(question)
        cited = " ".join(c.text + " " + c.title for c in answer.citations)
        unsupported = numbers(answer.answer) - numbers(cited)
        assert not unsupported, (question, answer.answer, unsupported)
        if answer.abstained:
            assert not answer.citations and not numbers(answer.answer), question
        else:
            answered += 1
            assert answer.citations, question
    assert answered >= 40  # the property must be exercised on real answers, not only on abstentions
