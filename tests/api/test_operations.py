"""Operations: Prometheus metrics, readiness through the components, database down, shared rate limits."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app
from api.components import get_components
from tests.api.conftest import FakeComponents, make_settings, seed


def _sample(text: str, name: str, **labels: str) -> float:
    for line in text.splitlines():
        if line.startswith(name + "{") and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_metrics_count_requests_by_route_template_and_domain_events(api) -> None:
    before = api.client.get("/metrics").text
    cid = api.consultation()["id"]
    api.client.post(
        f"/v1/consultations/{cid}/messages", json={"content": "로아큐탄 주세요"}, headers=api.kiosk
    )
    api.client.get("/v1/consultations/" + "0" * 32, headers=api.kiosk)
    response = api.client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    text = response.text
    route = "/v1/consultations/{consultation_id}"
    assert (
        _sample(text, "skinchat_http_requests_total", route=route, status="404")
        == _sample(before, "skinchat_http_requests_total", route=route, status="404") + 1
    )
    assert _sample(text, "skinchat_http_request_duration_seconds_count", route="/v1/consultations") >= 1
    assert (
        _sample(text, "skinchat_guardrail_blocks_total", category="prescription")
        == _sample(before, "skinchat_guardrail_blocks_total", category="prescription") + 1
    )
    assert _sample(text, "skinchat_messages_total", outcome="blocked") >= 1
    assert "0" * 32 not in text  # ids never become labels


def test_database_down_is_503_database_unavailable(settings_factory) -> None:
    settings = settings_factory(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none")
    client = TestClient(create_app(settings), raise_server_exceptions=False)
    for method, path, kwargs in (
        ("POST", "/v1/consultations", {"json": {}}),
        ("POST", "/v1/auth/login", {"json": {"email": "a@b.kr", "password": "x"}}),
        ("GET", "/v1/booking/items", {}),
    ):
        response = client.request(method, path, headers={"Authorization": "Bearer kiosk_x"}, **kwargs)
        assert response.status_code == 503, (path, response.text)
        assert response.json()["code"] == "database_unavailable"


def test_rate_limit_is_shared_through_the_database(db_url, settings_factory) -> None:
    settings = make_settings(settings_factory, db_url, rate_limit_per_minute=3)
    tokens = seed(db_url)
    replicas = [create_app(settings), create_app(settings)]  # two "replicas" on one database
    for app in replicas:
        app.dependency_overrides[get_components] = lambda: FakeComponents(settings)
    clients = [TestClient(app, raise_server_exceptions=False) for app in replicas]
    headers = {"Authorization": f"Bearer {tokens.kiosk}"}
    statuses = [
        clients[i % 2].post("/v1/consultations", json={}, headers=headers).status_code for i in range(5)
    ]
    assert statuses[:3] == [201, 201, 201] and statuses[3:] == [429, 429]
    limited = clients[0].post("/v1/consultations", json={}, headers=headers)
    assert limited.json()["code"] == "rate_limited" and 0 < limited.json()["retry_after"] <= 60


def test_readyz_builds_components_through_the_registry(api) -> None:
    app = api.client.app
    app.state.readiness_checks["vector_store"] = lambda s: None
    app.state.components = api.components  # readiness uses the process registry, not the override
    api.settings.detector_weights.parent.mkdir(parents=True, exist_ok=True)
    response = api.client.get("/readyz")
    body = response.json()
    assert body["checks"]["database"]["ok"] is True and body["checks"]["guardrails"]["ok"] is True
    assert "detector" in body["checks"]
    api.components.broken.add("detector")
    api.settings.detector_weights = api.settings.data_dir / "missing.pt"
    failing = api.client.get("/readyz")
    assert failing.status_code == 503 and failing.json()["checks"]["detector"]["ok"] is False
