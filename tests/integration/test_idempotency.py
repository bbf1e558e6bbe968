"""Every job-creating request honours Idempotency-Key: the same key and body give the first
job, another body is 422, and nothing is created twice."""

import uuid
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

pytestmark = pytest.mark.integration


def _jobs(client: FlaskClient, auth: dict[str, str]) -> list[dict[str, object]]:
    items: list[dict[str, object]] = client.get("/api/v1/jobs", headers=auth).get_json()["items"]
    return items


def test_trigger_with_a_repeated_key_is_the_same_job(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    headers = {**auth, "Idempotency-Key": "run-cleanup-now"}
    first = client.post("/api/v1/schedules/cleanup/trigger", headers=headers)
    again = client.post("/api/v1/schedules/cleanup/trigger", headers=headers)
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.get_json()["id"] == first.get_json()["id"]
    assert again.headers["Location"] == first.headers["Location"]
    other = client.post("/api/v1/schedules/daily-content/trigger", headers=headers)
    assert other.status_code == 422
    assert "Idempotency-Key" in other.get_json()["message"]
    assert len(_jobs(client, auth)) == 1
    listed = client.get("/api/v1/schedules", headers=auth).get_json()["items"]
    assert {s["name"]: s["last_job_id"] for s in listed}["cleanup"] == first.get_json()["id"]


def test_enable_with_a_repeated_key_answers_with_the_first_job(
    client: FlaskClient, auth: dict[str, str], count_rows: Callable[[str], int]
) -> None:
    url = f"/api/v1/accounts/{uuid.uuid4()}/demo"
    headers = {**auth, "Idempotency-Key": "enable-1"}
    body = {"persona": "fitness", "sizes": {"content": 2, "comments": 5, "dms": 1}}
    first = client.put(url, json=body, headers=headers)
    again = client.put(url, json=body, headers=headers)
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.headers["Location"] == first.headers["Location"]
    assert again.get_json()["job"]["id"] == first.get_json()["job"]["id"]
    other = client.put(url, json={**body, "persona": "cooking"}, headers=headers)
    assert other.status_code == 422
    assert "Idempotency-Key" in other.get_json()["message"]
    assert count_rows("jobs") == count_rows("demo_accounts") == 1
    # without a key, a second enable is the documented no-op
    assert client.put(url, json=body, headers=auth).status_code == 200


def test_purge_with_a_repeated_key_is_the_same_purge_job(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    url = f"/api/v1/accounts/{uuid.uuid4()}/demo"
    client.put(url, json={"sizes": {"content": 1, "comments": 1, "dms": 1}}, headers=auth)
    headers = {**auth, "Idempotency-Key": "purge-1"}
    first = client.delete(f"{url}?purge=true", headers=headers)
    again = client.delete(f"{url}?purge=true", headers=headers)
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.headers["Location"] == first.headers["Location"]
    other = client.delete(f"{url}?purge=false", headers=headers)
    assert other.status_code == 422
    purges = [j for j in _jobs(client, auth) if j["kind"] == "demo.purge"]
    assert len(purges) == 1


def test_retry_with_a_repeated_key_is_the_same_retry(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    job = client.post("/api/v1/schedules/cleanup/trigger", headers=auth).get_json()
    assert client.post(f"/api/v1/jobs/{job['id']}/cancel", headers=auth).status_code == 202
    headers = {**auth, "Idempotency-Key": "retry-1"}
    first = client.post(f"/api/v1/jobs/{job['id']}/retry", headers=headers)
    again = client.post(f"/api/v1/jobs/{job['id']}/retry", headers=headers)
    assert (first.status_code, again.status_code) == (202, 202)
    assert again.get_json()["id"] == first.get_json()["id"]
    assert first.get_json()["retry_of"] == job["id"]
    assert len(_jobs(client, auth)) == 2
