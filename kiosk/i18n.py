"""Every word the kiosk and the staff console show, Korean first and English second.

Why one table: the visitor can switch language on any screen, so every string must exist in both
languages; ``tests/kiosk/test_i18n.py`` fails when a key is missing in one of them. Korean copy uses
존댓말 and plain words (no medical jargon without its everyday name).
"""

from __future__ import annotations

from typing import Literal

Lang = Literal["ko", "en"]
# The version of the consent wording below; recorded with every consent so a changed text is traceable.
CONSENT_TEXT_VERSION = "v1"
LANGS: tuple[Lang, ...] = ("ko", "en")

STRINGS: dict[str, dict[Lang, str]] = {
    # ── shared ──────────────────────────────────────────────────────────────────────────────────
    "app_title": {"ko": "피부 상담 키오스크", "en": "Skin consultation kiosk"},
    "lang_toggle": {"ko": "English", "en": "한국어"},
    "back": {"ko": "← 이전", "en": "← Back"},
    "next": {"ko": "다음 →", "en": "Next →"},
    "start_over": {"ko": "처음으로", "en": "Start over"},
    "api_down_title": {"ko": "잠시 후 다시 시도해 주세요", "en": "Please try again in a moment"},
    "api_down_body": {
        "ko": "상담 서버와 연결이 잠시 끊겼습니다. 연결되면 자동으로 다시 시작합니다.",
        "en": "The consultation server is not reachable right now. The kiosk will continue on its own "
              "as soon as it is back.",
    },
    "retry": {"ko": "다시 시도", "en": "Try again"},
    "error_generic": {
        "ko": "처리하지 못했습니다. 다시 시도해 주세요.",
        "en": "That did not work. Please try again.",
    },
    "idle_notice": {
        "ko": "한동안 사용이 없어 처음 화면으로 돌아왔습니다. 사진과 대화는 이 화면에서 지웠습니다.",
        "en": "The kiosk was idle, so it returned to the start. Your photo and chat were cleared from "
              "this screen.",
    },
    # ── welcome ─────────────────────────────────────────────────────────────────────────────────
    "welcome_title": {"ko": "어서 오세요", "en": "Welcome"},
    "welcome_body": {
        "ko": "사진 한 장으로 피부 상태를 살펴보고, 궁금한 점을 물어보고, 상담을 예약할 수 있습니다. "
              "약 3분이면 됩니다.",
        "en": "Take one photo to see what the camera notices about your skin, ask questions, and book a "
              "consultation. It takes about 3 minutes.",
    },
    "start": {"ko": "시작하기", "en": "Start"},
    # ── consent ─────────────────────────────────────────────────────────────────────────────────
    "consent_title": {"ko": "사진 촬영 동의", "en": "About your photo"},
    "consent_what": {
        "ko": "얼굴 사진 한 장을 찍어, 카메라가 여드름 종류별로 몇 개를 보았는지 세어 드립니다.",
        "en": "We take one photo of your face and count what the camera sees, by type of acne spot.",
    },
    "consent_kept": {
        "ko": "사진과 분석 결과는 상담을 위해 {days}일 동안 보관한 뒤 자동으로 지웁니다. "
              "원하시면 직원에게 요청해 언제든 바로 지울 수 있습니다.",
        "en": "The photo and its result are kept for {days} days for your consultation, then deleted "
              "automatically. Ask the staff at any time and we delete it at once.",
    },
    "consent_not_diagnosis": {
        "ko": "이 결과는 진단이 아닙니다. 진단은 피부과 전문의가 합니다.",
        "en": "This is not a diagnosis. A dermatologist makes the diagnosis.",
    },
    "consent_decline_ok": {
        "ko": "동의하지 않으셔도 상담 질문과 예약은 그대로 하실 수 있습니다.",
        "en": "If you say no, you can still ask questions and book a consultation.",
    },
    "consent_agree": {"ko": "동의하고 사진 찍기", "en": "I agree, take a photo"},
    "consent_decline": {"ko": "사진 없이 계속하기", "en": "Continue without a photo"},
    # ── capture ─────────────────────────────────────────────────────────────────────────────────
    "capture_title": {"ko": "사진 찍기", "en": "Take a photo"},
    "capture_hint": {
        "ko": "밝은 곳에서 정면을 보고, 얼굴이 화면을 채우도록 해 주세요.",
        "en": "Face the camera in good light and fill the frame with your face.",
    },
    "camera_label": {"ko": "카메라", "en": "Camera"},
    "upload_label": {"ko": "또는 사진 파일 올리기", "en": "Or upload a photo file"},
    "analyse": {"ko": "이 사진으로 분석하기", "en": "Analyse this photo"},
    "analysing": {"ko": "사진을 살펴보는 중입니다… (10초 정도)", "en": "Looking at your photo… (about 10 s)"},
    "skip_photo": {"ko": "사진 없이 상담하기", "en": "Skip the photo"},
    # ── result ──────────────────────────────────────────────────────────────────────────────────
    "result_title": {"ko": "카메라가 본 것", "en": "What the camera saw"},
    "result_framing": {
        "ko": "카메라가 본 것이며, 진단은 피부과 전문의가 합니다",
        "en": "This is what the camera saw; a dermatologist confirms",
    },
    "result_caption": {"ko": "표시된 부분이 카메라가 찾은 곳입니다", "en": "Outlined: what the camera found"},
    "counts_title": {"ko": "종류별 개수", "en": "Count by type"},
    "no_lesions": {"ko": "카메라가 찾은 것이 없습니다.", "en": "The camera found nothing to count."},
    "grade_label": {"ko": "정도", "en": "Severity"},
    "recs_title": {"ko": "추천", "en": "Suggestions"},
    "why": {"ko": "이유", "en": "Why"},
    "price": {"ko": "가격", "en": "Price"},
    "to_chat": {"ko": "질문하기", "en": "Ask a question"},
    "to_booking": {"ko": "상담 예약하기", "en": "Book a consultation"},
    # ── chat ────────────────────────────────────────────────────────────────────────────────────
    "chat_title": {"ko": "병원 안내 도우미", "en": "Clinic assistant"},
    "chat_intro": {
        "ko": "시술, 가격, 진료 시간, 관리 방법을 물어보세요. 의학적 진단은 드리지 않습니다.",
        "en": "Ask about treatments, prices, opening hours or skin care. It does not give medical diagnoses.",
    },
    "chat_placeholder": {"ko": "질문을 입력해 주세요", "en": "Type your question"},
    "sources": {"ko": "출처 보기", "en": "Sources"},
    "chat_blocked_note": {"ko": "안내 기준에 따라 답변을 조정했습니다.",
                          "en": "Answer adjusted by clinic policy."},
    "suggested_q": {"ko": "예: 여드름 압출 가격이 얼마예요?", "en": "e.g. How much is acne extraction?"},
    # ── booking ─────────────────────────────────────────────────────────────────────────────────
    "booking_title": {"ko": "상담 예약", "en": "Book a consultation"},
    "booking_item": {"ko": "예약 항목", "en": "What to book"},
    "booking_pick": {"ko": "시간을 골라 주세요", "en": "Pick a time"},
    "booking_none": {"ko": "예약 가능한 시간이 없습니다. 안내 데스크에 문의해 주세요.",
                     "en": "No free times. Please ask at the front desk."},
    "name_label": {"ko": "성함", "en": "Name"},
    "phone_label": {"ko": "휴대폰 번호 (010)", "en": "Mobile number (010)"},
    "phone_help": {"ko": "예: 010-1234-5678", "en": "e.g. 010-1234-5678"},
    "phone_invalid": {"ko": "010으로 시작하는 휴대폰 번호를 입력해 주세요.",
                      "en": "Please enter a mobile number starting with 010."},
    "name_invalid": {"ko": "성함을 입력해 주세요.", "en": "Please enter your name."},
    "slot_invalid": {"ko": "시간을 골라 주세요.", "en": "Please pick a time."},
    "book": {"ko": "예약하기", "en": "Book"},
    "slot_taken": {"ko": "방금 다른 분이 예약한 시간입니다. 다른 시간을 골라 주세요.",
                   "en": "Someone just booked that time. Please pick another."},
    "privacy_booking": {"ko": "이름과 번호는 예약 안내에만 사용합니다.",
                        "en": "Your name and number are used only for this booking."},
    # ── done ────────────────────────────────────────────────────────────────────────────────────
    "done_title": {"ko": "예약되었습니다", "en": "You are booked"},
    "done_code": {"ko": "예약 번호", "en": "Confirmation code"},
    "done_when": {"ko": "일시", "en": "When"},
    "done_body": {"ko": "안내 데스크에서 예약 번호를 말씀해 주세요. 감사합니다.",
                  "en": "Show this code at the front desk. Thank you."},
    "done_nobooking_title": {"ko": "이용해 주셔서 감사합니다", "en": "Thank you"},
    "finish": {"ko": "마치기", "en": "Finish"},
    "idle_done_hint": {"ko": "화면을 누르지 않으면 {seconds}초 뒤 처음 화면으로 돌아갑니다.",
                       "en": "Without a touch, the kiosk returns to the start after {seconds} s."},
    # ── steps (progress bar) ────────────────────────────────────────────────────────────────────
    "step_welcome": {"ko": "시작", "en": "Start"},
    "step_consent": {"ko": "동의", "en": "Consent"},
    "step_capture": {"ko": "촬영", "en": "Photo"},
    "step_result": {"ko": "결과", "en": "Result"},
    "step_chat": {"ko": "질문", "en": "Questions"},
    "step_booking": {"ko": "예약", "en": "Booking"},
    "step_done": {"ko": "완료", "en": "Done"},
    # ── staff console ───────────────────────────────────────────────────────────────────────────
    "console_title": {"ko": "직원 콘솔", "en": "Staff console"},
    "login_email": {"ko": "이메일", "en": "Email"},
    "login_password": {"ko": "비밀번호", "en": "Password"},
    "login": {"ko": "로그인", "en": "Log in"},
    "logout": {"ko": "로그아웃", "en": "Log out"},
    "login_failed": {"ko": "이메일 또는 비밀번호가 맞지 않습니다.", "en": "Wrong email or password."},
    "session_expired": {"ko": "로그인이 만료되었습니다. 다시 로그인해 주세요.",
                        "en": "Your login expired. Please log in again."},
    "tab_conversations": {"ko": "상담 기록", "en": "Conversations"},
    "tab_bookings": {"ko": "예약", "en": "Bookings"},
    "tab_funnel": {"ko": "이용 현황", "en": "Funnel"},
    "tab_knowledge": {"ko": "자료 올리기", "en": "Knowledge"},
    "tab_photos": {"ko": "사진 삭제", "en": "Photo deletion"},
    "filter_flagged": {"ko": "검토 필요만", "en": "Flagged only"},
    "filter_from": {"ko": "시작일", "en": "From"},
    "filter_to": {"ko": "종료일", "en": "To"},
    "filter_language": {"ko": "언어", "en": "Language"},
    "filter_category": {"ko": "가드레일 분류", "en": "Guardrail category"},
    "filter_outcome": {"ko": "결과", "en": "Outcome"},
    "any": {"ko": "전체", "en": "Any"},
    "refresh": {"ko": "새로고침", "en": "Refresh"},
    "no_conversations": {"ko": "조건에 맞는 상담이 없습니다.", "en": "No conversations match."},
    "open": {"ko": "열기", "en": "Open"},
    "flagged": {"ko": "검토 필요", "en": "Flagged"},
    "transcript": {"ko": "대화 내용", "en": "Transcript"},
    "guardrail_events": {"ko": "가드레일 기록", "en": "Guardrail events"},
    "analysis": {"ko": "사진 분석", "en": "Photo analysis"},
    "no_consent_photo": {"ko": "사진 보관 동의가 없거나 삭제되었습니다.",
                         "en": "No photo consent, or the photo was deleted."},
    "bookings_day": {"ko": "날짜", "en": "Day"},
    "no_bookings": {"ko": "이 날 예약이 없습니다.", "en": "No bookings on this day."},
    "funnel_title": {"ko": "상담 → 사진 → 질문 → 예약", "en": "Consultations → photos → chats → bookings"},
    "funnel_consultations": {"ko": "상담", "en": "Consultations"},
    "funnel_photos": {"ko": "사진", "en": "Photos"},
    "funnel_chats": {"ko": "질문", "en": "Chats"},
    "funnel_bookings": {"ko": "예약", "en": "Bookings"},
    "upload_docs": {"ko": "문서 올리기 (Markdown, PDF)", "en": "Upload documents (Markdown, PDF)"},
    "upload_submit": {"ko": "올리고 색인하기", "en": "Upload and index"},
    "upload_done": {"ko": "색인했습니다", "en": "Indexed"},
    "photo_delete_id": {"ko": "상담 ID 또는 분석 ID", "en": "Consultation or analysis ID"},
    "photo_delete_submit": {"ko": "사진 삭제", "en": "Delete photo"},
    "photo_deleted": {"ko": "사진을 삭제했습니다.", "en": "The photo was deleted."},
    "confirm_delete": {"ko": "방문자의 요청을 확인했습니다", "en": "The visitor asked for this"},
    "forbidden_polite": {"ko": "이 기능은 관리자만 사용할 수 있습니다. 필요하시면 관리자에게 문의해 주세요.",
                         "en": "Only administrators can use this. Please ask an administrator if you need it."},
    # ── staff console: devices and API keys (admin) ─────────────────────────────────────────────
    "tab_devices": {"ko": "기기", "en": "Devices"},
    "kiosks_title": {"ko": "키오스크 기기", "en": "Kiosk devices"},
    "api_keys_title": {"ko": "API 키", "en": "API keys"},
    "cred_name": {"ko": "이름", "en": "Name"},
    "cred_status": {"ko": "상태", "en": "Status"},
    "cred_last_seen": {"ko": "마지막 접속", "en": "Last seen"},
    "cred_created": {"ko": "등록일", "en": "Created"},
    "cred_revoked": {"ko": "폐기", "en": "Revoked"},
    "online": {"ko": "● 접속 중", "en": "● Online"},
    "offline": {"ko": "○ 접속 안 됨", "en": "○ Offline"},
    "revoked_badge": {"ko": "폐기됨", "en": "Revoked"},
    "never_seen": {"ko": "접속 기록 없음", "en": "Never"},
    "last_seen_note": {"ko": "마지막 접속 시각은 최대 1분 늦게 반영될 수 있습니다 (서울 시간).",
                       "en": "Last seen may lag by up to a minute (Seoul time)."},
    "revoke_pick": {"ko": "폐기할 항목", "en": "To revoke"},
    "no_kiosks": {"ko": "등록된 키오스크가 없습니다.", "en": "No kiosks are registered."},
    "no_api_keys": {"ko": "등록된 API 키가 없습니다.", "en": "No API keys yet."},
    "kiosk_register_name": {"ko": "새 키오스크 이름 (예: lobby-2)", "en": "New kiosk name (e.g. lobby-2)"},
    "kiosk_register_submit": {"ko": "키오스크 등록", "en": "Register kiosk"},
    "api_key_name": {"ko": "새 API 키 이름 (예: crm)", "en": "New API key name (e.g. crm)"},
    "api_key_submit": {"ko": "API 키 만들기", "en": "Create API key"},
    "cred_created_ok": {"ko": "'{name}'을(를) 등록했습니다.", "en": "'{name}' was registered."},
    "token_once_warning": {
        "ko": "이 토큰은 지금 한 번만 표시됩니다. 바로 복사해 안전한 곳에 보관해 주세요. "
              "다른 버튼을 누르거나 화면을 새로 고치면 다시 볼 수 없습니다.",
        "en": "This token is shown only this once. Copy it now and keep it somewhere safe: "
              "after any other click or a reload it cannot be shown again.",
    },
    "kiosk_token_hint": {"ko": "이 키오스크의 SKINCHAT_KIOSK_DEVICE_TOKEN 값으로 설정해 주세요.",
                         "en": "Set it as this kiosk's SKINCHAT_KIOSK_DEVICE_TOKEN."},
    "revoke": {"ko": "폐기", "en": "Revoke"},
    "revoke_question": {
        "ko": "'{name}'을(를) 폐기하시겠습니까? 이 토큰은 즉시 사용할 수 없게 되며 되돌릴 수 없습니다.",
        "en": "Revoke '{name}'? Its token stops working at once, and this cannot be undone.",
    },
    "revoke_confirm": {"ko": "네, 폐기합니다", "en": "Yes, revoke"},
    "cancel": {"ko": "취소", "en": "Cancel"},
    "revoked_ok": {"ko": "'{name}'을(를) 폐기했습니다.", "en": "'{name}' was revoked."},
    "name_taken": {"ko": "같은 이름이 이미 사용 중입니다. 다른 이름을 입력해 주세요.",
                   "en": "That name is already in use. Please choose another."},
}

# Severity grades (the API's grade names) and lesion labels, used when the API sends only the id.
GRADES: dict[str, dict[Lang, str]] = {
    "mild": {"ko": "경증", "en": "Mild"},
    "moderate": {"ko": "중등도", "en": "Moderate"},
    "severe": {"ko": "중증", "en": "Severe"},
    "very_severe": {"ko": "매우 심함", "en": "Very severe"},
}
LABELS: dict[str, dict[Lang, str]] = {
    "papule": {"ko": "구진", "en": "Papule"},
    "pustule": {"ko": "농포", "en": "Pustule"},
    "nodule_cyst": {"ko": "결절·낭종", "en": "Nodule / cyst"},
    "comedone": {"ko": "면포 (화이트헤드·블랙헤드)", "en": "Comedone (whitehead / blackhead)"},
}

# What the visitor sees for each API problem code; anything else gets ``error_generic``.
ERRORS: dict[str, dict[Lang, str]] = {
    "not_an_image": {"ko": "사진 파일이 아닙니다. 다시 찍어 주세요.",
                     "en": "That is not a photo. Please retake it."},
    "corrupt_image": {"ko": "사진을 읽을 수 없습니다. 다시 찍어 주세요.",
                      "en": "The photo could not be read. Please retake it."},
    "image_too_large": {"ko": "사진이 너무 큽니다.", "en": "The photo is too large."},
    "payload_too_large": {"ko": "사진이 너무 큽니다.", "en": "The photo is too large."},
    "decompression_bomb": {"ko": "사진이 너무 큽니다.", "en": "The photo is too large."},
    "too_small": {"ko": "사진이 너무 작습니다. 얼굴이 화면을 채우게 찍어 주세요.",
                  "en": "The photo is too small. Fill the frame with your face."},
    "too_dark": {"ko": "사진이 너무 어둡습니다. 밝은 곳에서 다시 찍어 주세요.",
                 "en": "The photo is too dark. Please retake it in better light."},
    "too_blurry": {"ko": "사진이 흐립니다. 움직이지 말고 다시 찍어 주세요.",
                   "en": "The photo is blurry. Hold still and retake it."},
    "slot_full": STRINGS["slot_taken"],
    "slot_in_past": STRINGS["slot_taken"],
    "slot_not_found": STRINGS["slot_taken"],
    "invalid_phone": STRINGS["phone_invalid"],
    "invalid_name": STRINGS["name_invalid"],
    "message_empty": {"ko": "질문을 입력해 주세요.", "en": "Please type a question."},
    "consultation_not_found": {"ko": "상담 시간이 끝났습니다. 처음부터 다시 시작해 주세요.",
                               "en": "This session has ended. Please start again."},
    "rate_limited": {"ko": "요청이 많습니다. 잠시 후 다시 시도해 주세요.",
                     "en": "Too many requests. Please wait a moment."},
    "consultation_expired": {"ko": "상담 시간이 끝났습니다. 처음부터 다시 시작해 주세요.",
                             "en": "This session has ended. Please start again."},
    "message_too_long": {"ko": "질문이 너무 깁니다. 짧게 나눠 주세요.",
                         "en": "The question is too long. Please shorten it."},
}


def t(key: str, lang: Lang, **values: object) -> str:
    """The string for ``key`` in ``lang``; ``{name}`` fields are filled from ``values``.

    A missing key raises ``KeyError`` on purpose: a blank button on a kiosk is worse than a failing test.
    """
    text = STRINGS[key][lang]
    return text.format(**values) if values else text


def error_text(code: str | None, lang: Lang) -> str:
    """The visitor-facing sentence for an API problem ``code``."""
    entry = ERRORS.get(code or "")
    return entry[lang] if entry else STRINGS["error_generic"][lang]


def grade_text(name: str | None, lang: Lang, fallback_ko: str | None = None) -> str:
    if name in GRADES:
        return GRADES[name][lang]
    if lang == "ko" and fallback_ko:
        return fallback_ko
    return name or "-"


def label_text(label: str, lang: Lang) -> str:
    return LABELS.get(label, {}).get(lang, label)
