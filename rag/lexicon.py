"""Terms for lexical search and evidence scoring, plus a small bilingual clinic glossary.

Why a glossary: the demo documents are mostly Korean and visitors may ask in English. Expanding an
English question with the Korean names of the same procedures lets BM25 and the composer's term overlap
see "pico toning" in "피코토닝". Entries are general dermatology vocabulary, not tied to one clinic.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from rag.korean import content_terms

EN_STOPWORDS = frozenset(
    """
a an the is are was were be been being am do does did doing have has had having i me my we our you your he
she it its they them their this that these those what which who whom whose when where why how can could
would should will shall may might must to of in on at by for with about from into over under again further
then once here there all any both each few more most other some such no nor not only own same so than too
very s t just don now and or but if because as until while up down out off please tell know want need get
her him his hers its own old year yes
much many there's what's it's i'm also any
""".split()  # noqa: SIM905
)

# Korean words that say what kind of fact is wanted but not what it is about.
KO_GENERIC = frozenset(
    """
가격 얼마 비용 금액 원 회 시간 언제 어디 어떻게 무엇 뭐 가능 있 없 하 되 알 주 보 받 싶 궁금
문의 정도 요 것 수 때 좀 혹시 그럼 그러면 그리고 안내 경우 알려주 말 나 저 제 우리 병원
며칠 몇 동안 이후 다음 날 중 때문 뭘
시술 이 그 저희 곳 번 분 걸리 거 건가 되나 집 맘 마음 계 괜찮
""".split()  # noqa: SIM905
)
EN_GENERIC = frozenset(
    """
price cost much how long time hour open opening close closing session clinic treatment procedure fee won
krw minute take available offer get go come leave make want happen happens lose last one two three ten
day days after before while being treated ok okay like would could need still right without kind type
your my our does doe do is are total what which
basic outside single double expensive cheap cheaper cheapest best good bad big small large little full whole entire free
first new quick fast short exact usual possible different really actually maybe guy lol thank thanks hi
hello hey wondering curious someone anyone anything something kind sort lot bit
use used using reach write send ask visitor patient customer people person international foreign address
break
""".split()  # noqa: SIM905
)

# Everyday English verbs, adjectives, adverbs and chat fillers. Latin words have no part-of-speech tags here,
# so without this list "near", "speak" or "nah" counted as nouns the clinic never uses and a plain question
# ("Is there a pharmacy near the clinic?") abstained. Words the glossary translates keep their meaning
# (``is_generic`` skips them): "swim" after Botox is what the question is about.
_EN_COMMON = frozenset(
    """
near nearby around close far inside outside somewhere anywhere everywhere nowhere upstairs downstairs
across along behind beside between beyond toward towards within via per versus
speak speaks spoke talk say says said told ask asked answer reply call called mean means meant
go goes going went gone come comes coming came bring brings brought put keep kept let lets
give gives gave given find found look looks looking see seen saw show shown try tried trying
work works worked start starts started stop stops stopped end ends ended wait waiting stay staying
sit stand walk run turn turned move moved leave left arrive arriving arrived return returning
think thought feel feeling felt seem seems look like likes liked love loved hate hope wish
buy bought sell sold pay paid spend spent cost costs charge charged save
allow allowed let okay fine sure able unable allowed required require requires need needs needed
stash store keep leave bring carry hold check checked change changed fix fixed help helps helped
remember forget forgot understand explain include includes included cover covers covered
happen happened become became begin began done doing did make made getting got gotten
big bigger small smaller early earlier later soon sooner already yet ever never always usually often
sometimes rarely again still even just really quite pretty rather almost enough exactly approximately
roughly about around maybe perhaps probably definitely certainly sure likely unlikely instead
nah yeah yep yup nope gonna wanna gotta kinda sorta stuff thing things way ways guys folks bro
hmm um uh oh wow ok okay hey hi hello thanks thank pls please cool great nice awesome
fun funny weird bad worse worst good better best fine nice main basic real whole certain particular
same different another other else each every either neither both such own
tell told know knew known learn let mean
""".split()  # noqa: SIM905
)

# English term -> Korean terms (the reverse direction is derived). Lower-case single words, as ``terms``
# produces them. General clinic and dermatology vocabulary, not tied to one clinic's documents.
GLOSSARY: dict[str, tuple[str, ...]] = {
    # money and booking
    "price": ("가격", "비용"), "cost": ("가격", "비용"), "fee": ("비용", "요금"), "charge": ("요금", "비용"),
    "package": ("패키지",), "session": ("회",), "regular": ("정가",), "discount": ("할인",),
    "event": ("이벤트",), "promotion": ("이벤트",), "december": ("12월",), "total": ("합계",),
    "deposit": ("예약금",), "booking": ("예약",), "book": ("예약",), "reservation": ("예약",),
    "appointment": ("예약", "약속"), "cancel": ("취소",), "cancellation": ("취소",), "refund": ("환불",),
    "late": ("늦",), "show": ("노쇼",), "insurance": ("보험", "실비", "실손"), "claim": ("청구",),
    "document": ("서류",), "receipt": ("영수증",), "certificate": ("진단서", "증명서"),
    "card": ("카드",), "cash": ("현금",), "payment": ("결제",), "pay": ("결제",), "vat": ("부가세", "vat"),
    "tax": ("부가세",), "consultation": ("상담",), "dermatologist": ("전문의",),
    "doctor": ("원장", "의사", "전문의", "주치의"), "director": ("원장",), "minor": ("미성년자",),
    "guardian": ("보호자",), "parent": ("보호자",), "consent": ("동의서",), "child": ("아이", "미성년자"),
    "humidity": ("습도",), "overseas": ("해외",), "abroad": ("해외",), "foreign": ("해외", "외국"),
    "outside": ("해외",), "basic": ("베이직",),
    "premium": ("프리미엄",), "room": ("방", "실내"), "bedroom": ("방", "침실"), "bride": ("신부", "브라이덜"),
    "groom": ("신랑", "그룸"), "bridal": ("브라이덜", "웨딩"),
    "foreigner": ("외국인",), "english": ("영어", "영문"), "coordinator": ("코디네이터",),
    "interpreter": ("통역",), "summary": ("요약서",), "passport": ("여권",),
    "introductory": ("도입", "기념가", "체험가"), "paypal": ("페이팔",),
    "maintenance": ("점검",), "equipment": ("장비",), "device": ("장비",),
    # time and place
    "hours": ("진료", "시간"), "open": ("진료",), "lunch": ("점심",), "holiday": ("휴진", "공휴일", "휴가"),
    "closed": ("휴진",), "monday": ("월요일",), "tuesday": ("화요일",), "wednesday": ("수요일",),
    "thursday": ("목요일",), "friday": ("금요일",), "saturday": ("토요일",), "sunday": ("일요일",),
    "weekday": ("평일",), "weekend": ("주말",), "evening": ("저녁",), "night": ("야간", "밤"),
    "parking": ("주차",), "park": ("주차",), "car": ("차", "주차"), "address": ("주소",),
    "location": ("위치",), "subway": ("지하철",), "station": ("역",), "exit": ("출구",),
    "phone": ("전화",), "number": ("번호",), "emergency": ("응급",), "urgent": ("응급",),
    "day": ("일",), "week": ("주",), "month": ("개월",), "interval": ("간격",), "apart": ("간격",),
    "often": ("간격", "주기"), "minute": ("분",), "duration": ("소요",), "flight": ("비행기",),
    "beach": ("해변",), "travel": ("여행",), "trip": ("여행",),
    # procedures and products
    "acne": ("여드름",), "pimple": ("여드름",), "spot": ("여드름", "잡티"), "scar": ("흉터", "자국"),
    "pore": ("모공",), "pigmentation": ("색소", "기미"), "melasma": ("기미",), "freckle": ("주근깨",),
    "wrinkle": ("주름",), "pico": ("피코토닝", "피코"), "toning": ("토닝",), "pico toning": ("피코토닝",),
    "laser toning": ("레이저토닝",), "laser hair": ("제모",), "hair removal": ("제모",),
    "aqua peel": ("아쿠아필",), "skin booster": ("스킨부스터", "물광주사"), "no show": ("노쇼",),
    "laser": ("레이저",), "ipl": ("ipl",), "pdt": ("pdt",), "photodynamic": ("광역동",),
    "photosensitiser": ("광감작제",), "photosensitizer": ("광감작제",), "extraction": ("압출",),
    "squeeze": ("압출", "짜"), "squeezing": ("압출", "짜"), "scaling": ("스케일링",),
    "aqua": ("아쿠아필",), "peel": ("필링", "아쿠아필"), "peeling": ("필링",), "botox": ("보톡스",),
    "filler": ("필러",), "rejuran": ("리쥬란",), "ulthera": ("울쎄라",), "shrink": ("슈링크",),
    "shurink": ("슈링크",), "agne": ("아그네스",), "subcision": ("서브시전",),
    "pinhole": ("핀홀",), "opinion letter": ("소견서",),
    "medical opinion": ("소견서",), "thermage": ("써마지",), "inmode": ("인모드",), "fraxel": ("프락셀",),
    "injection": ("주사",), "booster": ("물광주사", "스킨부스터"), "lifting": ("리프팅",),
    "soothing": ("진정",), "serum": ("세럼",), "toner": ("토너",), "cleanser": ("클렌저",),
    "cream": ("크림",), "moisturizer": ("보습제", "크림"), "sunscreen": ("선크림", "자외선차단제"),
    "retinol": ("레티놀",), "niacinamide": ("나이아신아마이드",), "salicylic": ("살리실산",),
    "vitamin": ("비타민",), "video": ("영상",), "link": ("주소", "링크"), "mask": ("마스크",),
    # aftercare and side effects
    "downtime": ("다운타임",), "side": ("부작용",), "effect": ("부작용",), "risk": ("부작용", "위험"),
    "redness": ("붉", "홍조"), "red": ("붉",), "swelling": ("붓기", "부기", "붓"), "bruise": ("멍",),
    "bruising": ("멍",), "pain": ("통증",), "anesthesia": ("마취",), "numbing": ("마취",),
    "flaking": ("각질",), "scab": ("딱지",), "itch": ("가려움",), "aftercare": ("관리", "주의"),
    "makeup": ("화장",), "wash": ("세안",), "sauna": ("사우나",), "alcohol": ("음주", "술"),
    "drinking": ("음주", "술"), "exercise": ("운동",), "workout": ("운동",), "sun": ("햇빛", "자외선"),
    "sunlight": ("햇빛",), "light": ("빛", "광"), "lie": ("눕",), "pregnancy": ("임신",),
    "pregnant": ("임신",), "breastfeeding": ("수유",), "isotretinoin": ("이소트레티노인", "로아큐탄"),
    # people, visits and everyday words visitors use
    "patient": ("환자",), "age": ("나이", "세"), "free": ("무료",),
    "course": ("코스", "패키지"), "visit": ("방문", "내원"), "mobile": ("모바일", "휴대폰"),
    "app": ("앱",), "wallet": ("간편", "결제"), "teen": ("미성년자",), "teenager": ("미성년자",),
    "student": ("학생",), "alone": ("혼자",), "christmas": ("성탄절", "크리스마스"),
    "reopen": ("정상", "재개"), "resume": ("정상", "재개"), "normal": ("정상",), "face": ("얼굴",),
    "vascular": ("혈관",), "vessel": ("혈관",), "fractional": ("프락셔널",), "glycolic": ("글리콜산",),
    "azelaic": ("아젤라산",), "hyaluronic": ("히알루론산",), "acid": ("산",), "blue": ("블루",),
    "led": ("led",), "gold": ("골드",), "calming": ("진정",), "care": ("관리",), "shot": ("샷",),
    "validity": ("유효기간",), "valid": ("유효기간",), "expire": ("유효기간",), "expiry": ("유효기간",),
    "next": ("다음",), "same": ("당일",), "today": ("당일", "오늘"), "tomorrow": ("다음", "내일"),
    "drink": ("음주", "술"), "bath": ("목욕", "사우나"), "swim": ("수영",), "swimming": ("수영",),
    "blister": ("물집",), "crust": ("딱지",), "infection": ("감염",), "itemised": ("세부",),
    "itemized": ("세부",), "statement": ("내역서",), "copy": ("사본",), "record": ("기록",),
    "reception": ("접수",), "japanese": ("일본어",), "chinese": ("중국어",), "walk": ("도보",),
    "floor": ("층",), "building": ("건물",), "stamp": ("도장",),
    "airport": ("공항",), "taxi": ("택시",), "bus": ("버스",), "beard": ("수염",), "men": ("남성", "남자"),
    "man": ("남성", "남자"), "male": ("남성",), "women": ("여성",), "woman": ("여성",), "leg": ("다리", "종아리"),
    "underarm": ("겨드랑이", "액와"), "armpit": ("겨드랑이", "액와"), "bikini": ("비키니",), "lip": ("입술", "인중"),
    "forehead": ("이마",), "jaw": ("사각턱", "턱"), "sedation": ("수면마취",), "sleep": ("수면",),
    "dissolve": ("녹이", "분해"), "dissolving": ("녹이", "분해"), "another": ("다른",), "other": ("다른",),
    "mole": ("점",), "wart": ("쥐젖", "사마귀"), "tape": ("테이프",), "check-in": ("접수",),
    "checkin": ("접수",), "last": ("마감",), "registration": ("접수",), "traveler": ("여행자",),
    "welcome": ("웰컴",), "vat refund": ("환급",), "minimum": ("최소",), "email": ("이메일",),
    "shave": ("면도", "제모"), "shaving": ("면도",), "wax": ("왁싱",), "waxing": ("왁싱",),
    "pluck": ("뽑",), "plucking": ("뽑",), "extra": ("추가",), "additional": ("추가",), "unit": ("유닛",),
    "result": ("효과",), "lie down": ("눕",),
    "lunch break": ("점심시간",), "korean-made": ("국산",), "koreanmade": ("국산",), "domestic": ("국산",),
    "imported": ("수입",), "import": ("수입",), "pharmacy": ("약국",), "drugstore": ("약국",),
    "wifi": ("와이파이",), "wi-fi": ("와이파이",), "password": ("비밀번호",), "doc": ("원장", "의사"),
    "work": ("출근", "일상생활"), "remove": ("제거", "빼"), "removal": ("제거",),
    "height": ("높이",), "limit": ("제한",), "garage": ("주차장",), "office": ("출근", "회사"),
    "trapezius": ("승모근",), "shoulder": ("어깨", "승모근"), "calf": ("종아리",), "body": ("전신", "바디"),
    "full body": ("전신",), "brazilian": ("브라질리언",), "winter": ("겨울", "윈터"), "summer": ("여름", "썸머"),
    "spring": ("봄",), "autumn": ("가을",), "duo": ("듀오",), "set": ("세트",), "kit": ("키트", "세트"),
    "home care": ("홈케어",), "homecare": ("홈케어",), "luggage": ("짐", "캐리어", "수하물"),
    "suitcase": ("캐리어", "짐"), "baggage": ("짐", "수하물"), "storage": ("보관",),
    "travel insurance": ("여행자보험",), "form": ("양식", "서류"), "cruise": ("크루즈",), "hotel": ("호텔",),
    "partner": ("협력", "제휴"), "pickup": ("픽업",), "guest": ("투숙객", "고객"), "tourist": ("관광객",),
    "sunburn": ("일광화상", "선번"), "sunburnt": ("일광화상", "선번"), "burn": ("화상",),
}

# Words that mean the same thing inside one language (or across both): each one expands to the others.
# Everyday paraphrases a visitor uses for the clinic's own words ("phone wallet app" for "mobile
# payment", "고등학생" for "미성년자"). General vocabulary, not tied to one clinic.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("phone", "mobile", "cell"), ("wallet", "payment", "pay"), ("app", "apps"),
    ("kid", "child", "minor", "teen", "teenager", "son", "daughter", "guardian", "toddler", "baby", "infant"),
    ("lotion", "moisturizer", "moisturiser", "emollient"),
    # body areas: the everyday word and the one price lists write (액와 = underarm, 하퇴 = lower leg)
    ("겨드랑이", "겨드랑", "액와"), ("종아리", "하퇴"), ("팔뚝", "상완", "상박"), ("허벅지", "대퇴"),
    ("팔", "전완", "하박"),
    ("신랑", "그룸"), ("신부", "브라이덜", "브라이드"), ("병원비", "진료비"), ("상세", "세부"),
    ("drink", "alcohol", "drinking"), ("makeup", "cosmetic"), ("reopen", "resume", "normal"),
    ("christmas", "xmas"), ("course", "package"), ("visit", "session", "appointment"),
    ("doctor", "dermatologist", "doc"), ("car", "parking", "park"),
    ("출근", "회사", "직장"),
    ("크리스마스", "성탄절"), ("실비", "실손", "실손보험"), ("약속", "예약"),
    ("고등학생", "중학생", "학생", "아이", "자녀", "미성년자", "청소년"),
    ("휴대폰", "핸드폰", "모바일"), ("간편", "페이", "앱"), ("자국", "흉터"), ("술", "음주", "한잔"),
    ("코스", "패키지"), ("쉬", "휴진", "휴무"), ("떼", "발급"), ("점심", "점심시간"),
    ("기미", "색소"), ("여드름자국", "여드름흉터"), ("차", "주차"),
    ("무료", "공짜", "free"), ("노쇼", "펑크"), ("사우나", "찜질방", "목욕탕", "sauna"),
    ("마감", "종료", "last"), ("초과", "넘", "이상", "over", "after"), ("이하", "미만", "under"),
    ("눕", "누우"), ("녹이", "분해", "제거", "빼"), ("지하철", "지하철역", "전철"), ("출구", "exit"),
    ("수면마취", "sedation"), ("email", "mail", "이메일"), ("text", "message", "메시지"),
    ("whatsapp", "왓츠앱"), ("saturday", "sat"), ("monday", "mon"), ("tuesday", "tue"),
    ("wednesday", "wed"), ("thursday", "thu"), ("friday", "fri"),
    ("남자", "남성", "men", "male"), ("여자", "여성", "women", "female"),
    ("세수", "세안", "클렌징"), ("초음파", "hifu", "하이푸"),
    ("폼", "클렌징폼", "세안제", "클렌저"), ("현찰", "현금"), ("달러", "외화", "usd"),
    ("선생", "원장"), ("양도", "넘기"), ("캐리어", "짐", "수하물"),
    ("엄마", "아빠", "어머니", "아버지", "부모", "가족"), ("숙소", "호텔"),
    ("외국산", "수입", "수입산"), ("바늘", "미세침", "니들", "needle"),
)

# Colloquial and chat spellings a visitor types, rewritten to the words clinics write before the
# question is analysed ("토욜" -> "토요일", "겨털" -> "겨드랑이 제모", "b4" -> "before"). Everyday Korean and
# English chat vocabulary, not tied to one clinic's documents. Keys are matched as substrings (Korean)
# or whole words (Latin).
COLLOQUIAL: dict[str, str] = {
    # days and times
    "월욜": "월요일", "화욜": "화요일", "수욜": "수요일", "목욜": "목요일", "금욜": "금요일",
    "토욜": "토요일", "일욜": "일요일", "밥 먹는 시간": "점심시간", "밥시간": "점심시간",
    "쉬는 시간": "점심시간", "점심때": "점심시간", "문 닫": "진료 종료 닫", "문닫": "진료 종료 닫",
    "문 열": "진료 시작 열", "문열": "진료 시작 열", "몇시": "몇 시",
    "담날": "다음날", "담 날": "다음날", "낼 ": "내일 ", "담번": "다음 번",
    "밤 늦게": "야간 진료 늦게", "밤늦게": "야간 진료 늦게",
    "퇴근하고": "퇴근 후 야간 진료", "퇴근 후": "퇴근 후 야간 진료",
    "얼마나 자주": "얼마 간격으로 자주", "얼마마다": "얼마 간격으로",
    # money and booking
    "공짜": "무료", "돈 얼마": "비용 얼마",
    "한번 받": "1회 받", "한 번 받": "1회 받", "한번 하": "1회 하", "한 번 하": "1회 하", "한번 맞": "1회 맞",
    "한 번 맞": "1회 맞", "한번 쏘": "1회 쏘", "한 번 쏘": "1회 쏘",
    "두 번": "2회", "두번": "2회", "세 번": "3회", "세번": "3회", "네 번": "4회", "다섯 번": "5회", "열 번": "10회",
    "한번만": "1회만", "한 번만": "1회만", "한번에 얼마": "1회 얼마", "한 번에 얼마": "1회 얼마",
    "펑크": "노쇼", "바람맞": "노쇼", "예약 잡": "예약",
    "세워둘": "주차할", "세워 둘": "주차할", "차 끌고": "차량 주차", "차끌고": "차량 주차",
    # procedures (common nicknames)
    "털 레이저": "제모 레이저", "털레이저": "제모 레이저", "털 제거": "제모", "몇 프로": "몇 %", "몇프로": "몇 %",
    "고3": "고3 수험생", "고딩": "고등학생 미성년자", "중딩": "중학생 미성년자", "초딩": "초등학생 미성년자",
    "겨털": "겨드랑이 제모", "겨드랑이털": "겨드랑이 제모", "다리털": "다리 제모", "수염 제모": "수염 제모",
    "주름주사": "보톡스", "주름 주사": "보톡스", "보톡": "보톡스", "턱보톡": "사각턱 보톡스",
    "연어주사": "리쥬란", "연어 주사": "리쥬란", "물광": "물광주사", "점빼기": "점 제거", "점 빼": "점 제거",
    "점빼": "점 제거", "당겨주는": "리프팅 당겨주는", "당겨 주는": "리프팅 당겨 주는",
    "주름 펴는 주사": "보톡스", "주름 펴주는 주사": "보톡스", "채우는 주사": "필러",
    "벌겋게 익": "일광화상 선번 붉게 익", "빨갛게 익": "일광화상 선번 붉게 익", "햇볕에 타": "일광화상 선번",
    "햇빛에 타": "일광화상 선번", "뜯어서 써": "개봉해서 써", "끊어놨": "결제해 놨", "끊어 놨": "결제해 놨",
    "드러누워": "누워", "땀이 많": "다한증 땀이 많", "땀 많이": "다한증 땀 많이", "땀 너무": "다한증 땀 너무",
    "젖 먹이": "수유 중 젖 먹이", "모유 먹이": "모유 수유 중", "턱 각진": "사각턱", "각진 턱": "사각턱",
    "갸름하게": "갸름하게 사각턱 윤곽", "회사 끝나고": "퇴근 후 야간 진료", "일 끝나고": "퇴근 후 야간 진료",
    "못 가게 됐": "예약 취소 변경 못 가게 됐", "돈 안 날": "예약금 환불 돈 안 날", "돈 날리": "예약금 환불 못 받",
    "미리 넣어": "선불 충전 미리 넣어", "얹어 주": "추가 적립 얹어 주", "엄마 없이": "보호자 없이",
    "아빠 없이": "보호자 없이", "부모님 없이": "보호자 없이", "고1": "고1 고등학생 미성년자",
    "고2": "고2 고등학생 미성년자", "중1": "중1 중학생 미성년자", "중2": "중2 중학생 미성년자",
    "중3": "중3 중학생 미성년자", "샴푸해도": "머리 감아도 샴푸해도", "까만 거": "점 까만 거",
    "드러눕": "눕", "찜질방": "사우나 찜질방",
    "살점": "쥐젖", "하얀 좁쌀": "비립종", "흰 좁쌀": "비립종", "젖은 붕대": "습윤드레싱", "상세 내역": "세부내역서",
    "아들 결혼식": "혼주", "딸 결혼식": "혼주", "자녀 결혼식": "혼주", "아들 결혼": "혼주", "딸 결혼": "혼주",
    "의대": "의과대학", "예비 신랑": "신랑", "예비신랑": "신랑", "예비 신부": "신부", "예비신부": "신부",
    # English chat spellings
    "b4": "before", "u": "you", "ur": "your", "txt": "text", "pls": "please", "plz": "please",
    "appt": "appointment", "thx": "thanks", "w/o": "without", "hrs": "hours", "mins": "minutes",
    "wknd": "weekend", "tmrw": "tomorrow", "lol": "", "pits": "underarm", "pit": "underarm",
    "money off": "discount", "you work with": "partner", "sunburned": "sunburn",
}
# "300방" is 300 shots of a lifting device: a count, in the unit price lists write (샷).
_SHOTS = re.compile(r"(\d+)\s?방(?=짜리|정도|[은는이에요도만]|[^가-힣]|$)")
_LATIN_COLLOQUIAL = re.compile(r"(?<![A-Za-z0-9/])(" + "|".join(
    re.escape(k) for k in sorted((k for k in COLLOQUIAL if k.isascii()), key=len, reverse=True))
    + r")(?![A-Za-z0-9/])", re.I)
_KOREAN_COLLOQUIAL = re.compile("|".join(
    re.escape(k) for k in sorted((k for k in COLLOQUIAL if not k.isascii()), key=len, reverse=True)))


@lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """The question in the words a clinic writes: chat spellings and nicknames replaced (see COLLOQUIAL).

    Only the analysis uses this; what the visitor wrote is what the transcript keeps.
    """
    def korean(m: re.Match[str]) -> str:
        # "보톡" -> "보톡스" must leave "보톡스로" alone (it became "보톡스스로", a word no clinic writes)
        full = COLLOQUIAL[m.group(0)]
        return m.group(0) if text.startswith(full, m.start()) else full

    text = _SHOTS.sub(r"\1샷", _KOREAN_COLLOQUIAL.sub(korean, text))
    return _LATIN_COLLOQUIAL.sub(lambda m: COLLOQUIAL[m.group(0).lower()], text)
# Qualifiers that turn a question about the clinic into one about someone's private life ("personal
# mobile number", "집 주소"). When the clinic's documents never use the word, no passage can answer it.
PRIVATE_QUALIFIERS = frozenset({"personal", "private", "home", "개인", "집", "자택", "사생활", "사적"})
# Background a visitor may ask about a doctor or the clinic (alma mater, founding year). Clinics rarely write
# it, and the nearest line (the doctor's name and title, the address) looks like an answer but is not one:
# the chosen evidence must contain the word itself.
BACKGROUND_TERMS = frozenset({"대학", "대학교", "출신", "학교", "모교", "졸업", "학력", "설립", "창립", "개원",
                              "경력", "연차", "년차", "university", "college", "school", "graduate", "graduated",
                              "alma", "founded", "established", "founding", "experience", "practicing",
                              "practising", "career"})
_SYNONYM_OF: dict[str, tuple[str, ...]] = {}
for _group in SYNONYMS:
    for _word in _group:
        _SYNONYM_OF[_word] = (*_SYNONYM_OF.get(_word, ()), *(w for w in _group if w != _word))
_REVERSE: dict[str, tuple[str, ...]] = {}
for _en, _kos in GLOSSARY.items():
    if " " in _en:
        continue  # "laser hair" -> 제모 must not turn 제모 into "laser" (a word every laser page has)
    for _ko in _kos:
        _REVERSE[_ko] = (*_REVERSE.get(_ko, ()), _en)

_LATIN_WORD = re.compile(r"^[a-z]+$")


def stem(term: str) -> str:
    """Plural ``-s`` off English words (``sessions`` -> ``session``); Korean terms are Kiwi lemmas already."""
    if _LATIN_WORD.match(term) and len(term) > 3 and term.endswith("s") and not term.endswith(("ss", "us")):
        return term[:-1]
    return term


@lru_cache(maxsize=4096)
def _terms_cached(text: str) -> tuple[str, ...]:
    return tuple(stem(t) for t in content_terms(text) if t not in EN_STOPWORDS)


def terms(text: str) -> list[str]:
    """Index terms: Kiwi content morphemes and Latin words/numbers, English stop words removed."""
    return list(_terms_cached(text))


def expand(query_terms: list[str]) -> list[str]:
    """Add synonyms and glossary translations in both directions (English question, Korean documents and
    back)."""
    added: list[str] = []
    for term in query_terms:
        added.extend(_SYNONYM_OF.get(term, ()))
        added.extend(GLOSSARY.get(term, ()))
        if term.endswith("ing") and len(term) > 5:
            added.extend(GLOSSARY.get(term[:-3], ()))
        added.extend(_REVERSE.get(term, ()))
    for first, second in itertools.pairwise(query_terms):
        added.extend(GLOSSARY.get(f"{first} {second}", ()))
    seen = set(query_terms)
    return list(query_terms) + [t for t in dict.fromkeys(added) if t not in seen]


_DAY_CELL = re.compile(r"^\s*([월화수목금토일](?:\s*[·,/~∙・-]\s*[월화수목금토일])*)\s*(?:\([^)]*\))?\s*(?:—|$)")
_DAY_NAMES = {"월": "월요일", "화": "화요일", "수": "수요일", "목": "목요일", "금": "금요일", "토": "토요일",
              "일": "일요일"}


def day_terms(row_text: str) -> list[str]:
    """Full day names for a table row that starts with abbreviated days ("토 — 09:30 ~ 15:00",
    "월·화·목·금 — ..."), plus 평일/weekday when they are all weekdays: Korean hour tables abbreviate, while
    visitors ask for 토요일 or weekdays. Only a first cell made of day letters counts, never 수 or 일 in text."""
    m = _DAY_CELL.match(row_text)
    if not m:
        return []
    letters = [c for c in m.group(1) if c in _DAY_NAMES]
    out = [_DAY_NAMES[c] for c in letters]
    if letters and all(c in "월화수목금" for c in letters):
        out.append("평일")
    if any(c in "토일" for c in letters):
        out.append("주말")
    return out + [english for day in out for english in _REVERSE.get(day, ())]  # 평일 -> weekday, 토요일 -> saturday


def phrase_translations(query_terms: list[str]) -> dict[str, tuple[str, ...]]:
    """Each word of a two-word glossary phrase in the question, with the phrase's translations: in "hair
    removal" both words mean 제모, so a row that says 제모 covers both (word by word, "hair" has no Korean and
    "removal" means 제거, which a mole-removal row has; an English question then picked that row)."""
    found: dict[str, tuple[str, ...]] = {}
    for first, second in itertools.pairwise(query_terms):
        for word in (first, second):
            found[word] = (*found.get(word, ()), *GLOSSARY.get(f"{first} {second}", ()))
    return {word: tuple(dict.fromkeys(kos)) for word, kos in found.items() if kos}


def is_generic(term: str) -> bool:
    return (term in KO_GENERIC or term in EN_GENERIC or term in EN_STOPWORDS or term.isdigit()
            or (term in _EN_COMMON and term not in GLOSSARY))
