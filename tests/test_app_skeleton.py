"""The app factory, health, readiness and the problem-response contract."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.app import create_app


def _client(settings) -> TestClient:
    return TestClient(create_app(settings), raise_server_exceptions=False)


def test_healthz_and_request_id(settings_factory, db_url) -> None:
    client = _client(settings_factory(database_url=db_url))
    response = client.get("/healthz", headers={"X-Request-ID": "abc123"})
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response.headers["X-Request-ID"] == "abc123"


def test_unknown_route_is_a_problem_response(settings_factory, db_url) -> None:
    client = _client(settings_factory(database_url=db_url))
    response = client.get("/v1/nope", headers={"X-Request-ID": "rid-1"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "not_found" and body["status"] == 404 and body["request_id"] == "rid-1"


def test_readyz_reports_each_dependency(settings_factory, db_url, tmp_path) -> None:
    settings = settings_factory(database_url=db_url, detector_weights=tmp_path / "missing.pt")
    app = create_app(settings)
    app.state.readiness_checks["vector_store"] = lambda s: None
    response = TestClient(app).get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"]["ok"] is True
    assert checks["detector"]["ok"] is False and "missing.pt" in checks["detector"]["error"]


def test_readyz_fails_when_database_is_gone(settings_factory, tmp_path) -> None:
    settings = settings_factory(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none")
    app = create_app(settings)
    app.state.readiness_checks = {"database": app.state.readiness_checks["database"]}
    response = TestClient(app).get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["ok"] is False


def test_openapi_lists_versioned_routes(settings_factory, db_url) -> None:
    spec = _client(settings_factory(database_url=db_url)).get("/openapi.json").json()
    assert spec["info"]["title"] == "SkinChat API"
    assert "/healthz" in spec["paths"] and "/readyz" in spec["paths"]
