"""The visitor's questionnaire reaches the real recommender, so its safety filters apply at the kiosk;
a bad questionnaire is refused before any photo work, and photo paths are stored relative to the photos folder."""

from __future__ import annotations

import json

import pytest

from api.db.models import Analysis
from api.db.session import session_scope
from api.settings import DEFAULT_KNOWLEDGE
from tests.api.conftest import photo_bytes

RETINOIDS = {"lumiere-retinol-03-serum"}


@pytest.fixture
def real_recommender(api):
    from rag.recommend import Recommender

    recommender = Recommender(DEFAULT_KNOWLEDGE, guardrails=None)
    api.components.recommender = lambda clinic_id: recommender  # type: ignore[method-assign]
    return recommender


def _upload(api, cid: str, answers: object | None, consent: bool = False):
    data = {"consultation_id": cid, "consent": str(consent).lower()}
    if answers is not None:
        data["answers"] = answers if isinstance(answers, str) else json.dumps(answers)
    return api.client.post("/v1/analyses", headers=api.kiosk, data=data,
                           files={"photo": ("face.jpg", photo_bytes(), "image/jpeg")})


def _ids(recs: dict) -> set[str]:
    return {item["id"] for item in recs["items"]}


def test_pregnant_visitor_never_gets_a_retinoid(api, real_recommender) -> None:
    cid = api.consultation()["id"]
    plain = _upload(api, cid, {"skin_type": "oily", "concerns": ["aging", "acne"]})
    assert plain.status_code == 201, plain.text
    pregnant = _upload(api, cid, {"skin_type": "oily", "concerns": ["aging", "acne"],
                                  "pregnant_or_breastfeeding": True})
    assert pregnant.status_code == 201, pregnant.text
    recs = pregnant.json()["recommendations"]
    assert not (_ids(recs) & RETINOIDS)
    excluded = dict(recs["excluded"])
    assert RETINOIDS & set(excluded), "the retinoid must be excluded with a stated reason"
    assert all(excluded[i] for i in RETINOIDS & set(excluded))


def test_recommendations_are_recomputed_after_the_questionnaire(api, real_recommender) -> None:
    cid = api.consultation()["id"]
    first = _upload(api, cid, None).json()
    again = api.client.post(f"/v1/analyses/{first['id']}/recommendations", headers=api.kiosk,
                            json={"answers": {"pregnant_or_breastfeeding": True, "concerns": ["aging"]}})
    assert again.status_code == 200, again.text
    assert not (_ids(again.json()) & RETINOIDS)
    stored = api.client.get(f"/v1/analyses/{first['id']}", headers=api.kiosk).json()["recommendations"]
    assert stored == again.json()
    other_kiosk = api.client.post(f"/v1/analyses/{first['id']}/recommendations",
                                  headers=api.h(api.tokens.kiosk_b), json={"answers": {}})
    assert other_kiosk.status_code == 404


@pytest.mark.parametrize("answers", ["not json", "[1, 2]", {"pregnant_or_breastfeeding": "maybe"}])
def test_bad_answers_are_refused_before_the_photo_is_analysed(api, real_recommender, answers) -> None:
    cid = api.consultation()["id"]
    calls = api.components.fake_detector.calls
    response = _upload(api, cid, answers, consent=True)
    assert response.status_code == 422, response.text
    assert response.json()["code"].startswith("answers_")
    assert api.components.fake_detector.calls == calls
    with session_scope(api.url) as db:
        assert db.query(Analysis).count() == 0
    assert not list(api.settings.photos_dir.rglob("*.jpg")) if api.settings.photos_dir.exists() else True


def test_photo_paths_are_relative_to_the_photos_folder(api) -> None:
    cid = api.consultation(consents={"photo_storage": True})["id"]
    body = _upload(api, cid, None, consent=True).json()
    with session_scope(api.url) as db:
        row = db.get(Analysis, body["id"])
        assert row.photo_path and not row.photo_path.startswith("/")
        assert (api.settings.photos_dir / row.photo_path).is_file()
    assert api.client.get(body["overlay"]["url"], headers=api.kiosk).status_code == 200
