from dataclasses import replace

from app.bootstrap import bootstrap
from app.config import Settings
from app.entrypoints.http import create_app


def test_ready_when_postgres_and_redis_answer(settings: Settings) -> None:
    container = bootstrap(settings)
    try:
        response = create_app(container).test_client().get("/readyz")
    finally:
        container.close()
    assert response.status_code == 200
    assert response.get_json() == {"status": "ready", "checks": {"postgres": "ok", "redis": "ok"}}


def test_503_names_redis_when_it_is_down(settings: Settings) -> None:
    container = bootstrap(replace(settings, redis_url="redis://127.0.0.1:1/0"))
    try:
        response = create_app(container).test_client().get("/readyz")
    finally:
        container.close()
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable: redis down"
    assert body["checks"]["postgres"] == "ok"
    assert body["checks"]["redis"].startswith("down: ")


def test_503_names_postgres_when_it_is_down(settings: Settings) -> None:
    container = bootstrap(replace(settings, database_url="postgresql://postgres@127.0.0.1:1/none"))
    try:
        client = create_app(container).test_client()
        ready = client.get("/readyz")
        live = client.get("/healthz")
    finally:
        container.close()
    assert ready.status_code == 503
    assert ready.get_json()["status"] == "unavailable: postgres down"
    assert ready.get_json()["checks"]["redis"] == "ok"
    assert live.status_code == 200  # liveness does not depend on the database
