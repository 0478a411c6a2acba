"""Fixed phrases of the assistant in both languages. They contain no numbers or facts, so the composer's
"never state a fact that is not cited" rule holds for everything around the quoted evidence."""

from __future__ import annotations

ABSTAIN = {
    "ko": ("죄송합니다. 병원 안내 자료에서 문의하신 내용을 확인할 수 없어 정확한 답변을 드리기 어렵습니다. "
           "병원에 전화로 문의하시도록 연결해 드리거나, 전문의 상담 예약을 도와드릴까요?"),
    "en": ("I'm sorry, I couldn't find this in the clinic's information, so I can't answer it reliably. "
           "Would you like me to connect you with the clinic by phone, or help you book a consultation?"),
}
INTRO = {
    "ko": "문의하신 내용에 대해 병원 안내 자료에 따르면 다음과 같습니다.",
    "en": "Here is what the clinic's information says:",
}
INTRO_QUOTED_KO = "Here is what the clinic's information says (quoted in Korean from the clinic's documents):"
SOURCE = {"ko": "출처", "en": "Source"}
CLOSING = {
    "ko": ("더 궁금하신 점이 있으시면 편하게 말씀해 주세요. "
           "자세한 상담은 전문의 상담 예약으로 도와드리겠습니다."),
    "en": ("If you have any other questions, please ask. "
           "A dermatologist consultation can be booked for details."),
}
EMPTY_QUESTION = {
    "ko": "질문을 입력해 주세요.",
    "en": "Please type your question.",
}


def phrase(table: dict[str, str], language: str) -> str:
    return table.get(language, table["en"])
