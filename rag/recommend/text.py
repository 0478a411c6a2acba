"""The words of every reason and exclusion, in Korean (존댓말) and English.

Kept apart from the ranking so wording can be reviewed on its own: observations, never diagnoses
("구진으로 보이는 부위 12곳", a dermatologist confirms); "도움이 될 수 있습니다" / "may help", never a
promised result; prices in 원. Nothing here reads the catalog's free-text descriptions, so a clinic's
marketing copy can never leak a promise into a reason.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

LABEL_NAMES: dict[str, tuple[str, str]] = {
    "papule": ("구진", "papules"),
    "pustule": ("농포", "pustules"),
    "nodule_cyst": ("결절·낭종", "nodules or cysts"),
    "comedone": ("면포(화이트헤드·블랙헤드)", "comedones (whiteheads or blackheads)"),
}
SINGULAR_EN = {"papule": "a papule", "pustule": "a pustule", "nodule_cyst": "a nodule or cyst",
               "comedone": "a comedone (whitehead or blackhead)"}
CONCERN_NAMES: dict[str, tuple[str, str]] = {
    "acne": ("여드름", "acne"),
    "pores": ("모공", "pores"),
    "sebum": ("피지", "oiliness"),
    "oiliness": ("유분", "oiliness"),
    "oily": ("유분", "oiliness"),
    "redness": ("홍조·붉은기", "redness"),
    "pigmentation": ("색소침착", "pigmentation"),
    "dark_spots": ("잡티·색소", "dark spots"),
    "melasma": ("기미", "melasma"),
    "post_acne_marks": ("여드름 자국", "post-acne marks"),
    "acne_marks": ("여드름 자국", "post-acne marks"),
    "scars": ("흉터", "scars"),
    "acne_scars": ("여드름 흉터", "acne scars"),
    "dryness": ("건조함", "dryness"),
    "dehydration": ("속건조", "dehydration"),
    "sensitivity": ("민감함", "sensitivity"),
    "barrier": ("피부 장벽", "skin barrier"),
    "wrinkles": ("주름", "wrinkles"),
    "fine_lines": ("잔주름", "fine lines"),
    "elasticity": ("탄력", "firmness"),
    "dullness": ("칙칙함", "dullness"),
    "texture": ("피부결", "texture"),
    "sun_protection": ("자외선 차단", "sun protection"),
    "blackheads": ("블랙헤드", "blackheads"),
    "whiteheads": ("화이트헤드", "whiteheads"),
    "inflammation": ("붉게 부어오른 트러블", "inflamed spots"),
    "comedones": ("면포(화이트헤드·블랙헤드)", "comedones (whiteheads or blackheads)"),
    "aging": ("노화·탄력", "signs of ageing"),
}
CONDITION_NAMES: dict[str, tuple[str, str]] = {
    "isotretinoin_recent": ("최근 6개월 안에 먹는 여드름약을 드신 경우",
                            "having taken oral acne medicine in the last 6 months"),
    "recent_sunburn": ("최근 햇볕에 화상을 입으신 경우", "a recent sunburn"),
    "keloid": ("켈로이드(흉터가 크게 솟는 체질)", "a tendency to keloid scars"),
    "active_infection": ("시술 부위에 염증이나 감염이 있는 경우",
                         "an active infection where it would be done"),
    "anticoagulants": ("혈액을 묽게 하는 약을 드시는 경우", "taking blood thinners"),
    "metal_implant": ("얼굴에 금속 보형물이 있는 경우", "a metal implant in the face"),
    "pacemaker": ("심장 박동기를 쓰시는 경우", "a pacemaker"),
    "neuromuscular_disease": ("신경근육 질환이 있는 경우", "a neuromuscular condition"),
}
GRADE_NAMES: dict[int, tuple[str, str]] = {
    0: ("가벼운 편", "mild"),
    1: ("중간 정도", "moderate"),
    2: ("심한 편", "severe"),
    3: ("매우 심한 편", "very severe"),
}


def _final(word: str) -> int | None:
    """The 받침 index (0 = none) of the last pronounced syllable; a trailing "(...)" is skipped because
    Korean attaches the particle to the word before the parenthesis: 살리실산(BHA)은."""
    stripped = re.sub(r"\s*\([^()]*\)\s*$", "", word.strip()) or word.strip()
    for ch in reversed(stripped):
        if "가" <= ch <= "힣":
            return (ord(ch) - 0xAC00) % 28
        if ch.isdigit():
            return {"0": 21, "1": 8, "3": 16, "6": 1, "7": 8, "8": 8}.get(ch, 0)
        if ch.isalpha():
            return {"l": 8, "m": 16, "n": 4, "r": 8}.get(ch.lower(), 0)
    return 0


def has_final_consonant(word: str) -> bool:
    """Whether the last pronounced syllable has a 받침 (for 은/는, 이/가, 을/를, 과/와)."""
    return bool(_final(word))


def josa(word: str, pair: str) -> str:
    """``josa("살리실산", "은/는")`` -> "살리실산은"."""
    with_final, without_final = pair.split("/")
    final = _final(word)
    if pair == "으로/로" and final == 8:  # ㄹ takes 로: 서울로
        return word + without_final
    return word + (with_final if final else without_final)


def label_name(label: str, lang: str) -> str:
    ko, en = LABEL_NAMES.get(label, (label, label.replace("_", " ")))
    return ko if lang == "ko" else en


def concern_name(concern: str, lang: str) -> str:
    ko, en = CONCERN_NAMES.get(concern, (concern.replace("_", " "), concern.replace("_", " ")))
    return ko if lang == "ko" else en


def condition_name(condition: str, lang: str) -> str:
    ko, en = CONDITION_NAMES.get(condition, (condition.replace("_", " "), condition.replace("_", " ")))
    return ko if lang == "ko" else en


def target_name(target: str, lang: str) -> str:
    return label_name(target, lang) if target in LABEL_NAMES else concern_name(target, lang)


def shown_targets(targets: Sequence[str]) -> list[str]:
    """Targets worth naming: "acne" implied by papules adds nothing next to "papules"."""
    if any(t in LABEL_NAMES for t in targets):
        return [t for t in targets if t in LABEL_NAMES or t not in ("acne", "comedones")]
    return list(targets)


def join(words: Sequence[str], lang: str) -> str:
    words = list(dict.fromkeys(words))
    if lang == "ko":
        return "·".join(words)
    if len(words) <= 2:
        return " and ".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def won(amount: int | None, lang: str) -> str:
    if amount is None:
        return "가격 문의" if lang == "ko" else "price on request"
    return f"{amount:,}원" if lang == "ko" else f"KRW {amount:,}"


def observation(findings: dict[str, int], lang: str) -> str:
    """What the photo showed, as an observation a dermatologist still has to confirm."""
    if lang == "ko":
        parts = [f"{josa(label_name(label, 'ko'), '으로/로')} 보이는 부위 {n}곳"
                 for label, n in findings.items()]
        return f"사진에서 {', '.join(parts)}이 관찰되었습니다(정확한 판단은 피부과 전문의가 합니다)."
    parts = [f"{n} spots that look like {label_name(label, 'en')}" if n != 1 else
             f"1 spot that looks like {SINGULAR_EN.get(label, label_name(label, 'en'))}"
             for label, n in findings.items()]
    return f"The photo shows {join(parts, 'en')} (a dermatologist needs to confirm this)."


def stated_concerns(concerns: Sequence[str], lang: str) -> str:
    names = [concern_name(c, lang) for c in concerns]
    if lang == "ko":
        return f"{join(names, 'ko')} 고민이 있다고 말씀해 주셨습니다."
    return f"You mentioned {join(names, 'en')} as a concern."


def source(doc_ids: Sequence[str], titles: dict[str, str], lang: str) -> str:
    cited = ", ".join(f"{titles.get(d, d)} [{d}]" for d in doc_ids)
    if lang == "ko":
        return f"근거: 클리닉 문서 {cited}."
    return f"Source: clinic document{'s' if len(doc_ids) > 1 else ''} {cited}."


def ingredient_helps(ingredient: str, targets: Sequence[str], product: str, lang: str) -> str:
    names = join([target_name(t, lang) for t in shown_targets(targets)], lang)
    if lang == "ko":
        return (f"{josa(ingredient, '은/는')} {names} 관리에 도움이 될 수 있는 성분이며, "
                f"{product}에 들어 있습니다.")
    return f"{ingredient} may help with {names}, and {product} contains it."


def product_helps(product: str, targets: Sequence[str], lang: str) -> str:
    names = join([target_name(t, lang) for t in shown_targets(targets)], lang)
    if lang == "ko":
        return (f"{josa(product, '은/는')} 클리닉 문서에서 {names} 관리에 도움이 될 수 있는 제품으로 "
                "소개합니다.")
    return f"The clinic's documents describe {product} as a product that may help with {names}."


def procedure_helps(procedure: str, targets: Sequence[str], price: int | None, lang: str) -> str:
    names = join([target_name(t, lang) for t in shown_targets(targets)], lang)
    if lang == "ko":
        return (f"{josa(procedure, '은/는')} {names} 관리에 도움이 될 수 있는 클리닉 시술입니다"
                f"({won(price, 'ko')}). 받으실 수 있는지, 부작용과 회복 기간은 시술 전 전문의 상담에서 "
                f"안내해 드립니다.")
    return (f"{procedure} is a clinic procedure that may help with {names} ({won(price, 'en')}). "
            f"Whether it suits you, its side effects and recovery time are explained in a consultation "
            f"with a dermatologist first.")


def consult_first_note(lang: str) -> str:
    return ("이 시술은 전문의 상담 후에 예약하실 수 있습니다." if lang == "ko"
            else "This procedure is booked after a consultation with a dermatologist.")


def photosensitivity_note(lang: str) -> str:
    return ("햇빛에 예민해질 수 있어 낮에는 자외선 차단제를 함께 쓰시길 권합니다." if lang == "ko"
            else "It can make skin more sensitive to sun, so please use sunscreen during the day.")


def consultation(findings: dict[str, int], grade: int, name: str, lang: str) -> str:
    lines: list[str] = []
    if grade >= 2:
        g_ko, g_en = GRADE_NAMES.get(grade, GRADE_NAMES[3])
        lines.append(f"사진 분석에서 트러블 정도가 {josa(g_ko, '으로/로')} 보였습니다." if lang == "ko"
                     else f"The photo analysis rated the breakouts as {g_en}.")
    cysts = {k: v for k, v in findings.items() if k == "nodule_cyst"}
    if cysts:
        lines.append(observation(cysts, lang))
    if lang == "ko":
        lines.append(f"이런 경우에는 제품보다 {josa(name, '을/를')} 먼저 받아 보시길 권해 드립니다. "
                     "어떤 관리가 맞는지는 피부과 전문의가 직접 보고 정합니다.")
    else:
        lines.append(f"In this case we suggest seeing a dermatologist first ({name}), before any product: "
                     "a dermatologist looks at your skin and decides what care suits you.")
    return " ".join(lines)


def video(title: str, targets: Sequence[str], lang: str) -> str:
    names = join([target_name(t, lang) for t in shown_targets(targets)], lang)
    if lang == "ko":
        return f"{names} 관리에 참고가 될 수 있는 클리닉 영상입니다: {title}."
    return f"A clinic video that may be useful for looking after {names}: {title}."


EXCLUSION_TEXT: dict[str, tuple[str, str]] = {
    "pregnancy": ("임신 중이거나 수유 중이라고 답해 주셔서 제외했습니다"
                  "({what}{jo} 이 시기에 주의가 필요합니다). 필요하시면 전문의와 상의해 주세요.",
                  "Left out because you are pregnant or breastfeeding ({what} needs caution then). "
                  "Please ask a dermatologist."),
    "sensitive_skin": ("피부가 민감하다고 답해 주셔서 자극이 있을 수 있는 항목이라 제외했습니다({what}).",
                       "Left out because you said your skin is sensitive and this can irritate ({what})."),
    "allergy": ("알레르기가 있다고 말씀하신 {what}{jo} 들어 있어 제외했습니다.",
                "Left out because it contains {what}, which you said you are allergic to."),
    "condition": ("답해 주신 건강 상태({what}) 때문에 주의가 필요해 제외했습니다. 전문의와 상의해 주세요.",
                  "Left out because of what you told us ({what}); please ask a dermatologist."),
    "video_topic": ("주의가 필요한 성분({what})을 다루는 영상이라 제외했습니다.",
                    "Left out because it is about an ingredient you should avoid ({what})."),
    "in_use": ("이미 사용 중이라고 하셔서 다시 추천하지 않았습니다.",
               "Not suggested again because you already use it."),
    "prescription": ("처방이 필요한 의약품은 추천하지 않습니다. 전문의와 상담해 주세요.",
                     "Prescription medicines are never suggested here; please see a dermatologist."),
    "budget": ("예산 {what}을 넘어 제외했습니다.", "Left out to stay within your budget of {what}."),
    "brand_limit": ("한 브랜드에 치우치지 않도록 제외했습니다.",
                    "Left out so that suggestions do not all come from one brand."),
    "no_document": ("이 항목을 설명하는 클리닉 문서를 찾지 못해 추천하지 않았습니다.",
                    "Not suggested because no clinic document describes it."),
    "guardrail": ("안내 문구가 안전 기준을 통과하지 못해 제외했습니다.",
                  "Left out because its explanation did not pass the safety check."),
}


def exclusion(code: str, name: str, what: str, lang: str) -> str:
    ko, en = EXCLUSION_TEXT[code]
    template = ko if lang == "ko" else en
    jo = ("은" if code == "pregnancy" else "이") if has_final_consonant(what) else (
        "는" if code == "pregnancy" else "가")
    return f"{name}: " + template.format(what=what, jo=jo)
