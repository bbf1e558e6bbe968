"""What a person signed in to the dashboard can rely on, over the test client: sessions that
end, the headers on every response, a limit on guessing tokens, a Secure cookie over HTTPS,
links that stay on their page whatever a sender put in an id, and a `next` that cannot reach a
header (the browser tests in tests/ui show the same in Chromium)."""

import re
import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from app.bootstrap import Container
from app.domain.inbox import InteractionKind
from app.domain.jobs import JobStatus
from app.entrypoints.http import create_app
from app.services.demo import EnableDemo
from helpers import API_TOKEN, CSRF, csrf_of, incoming

pytestmark = pytest.mark.integration
COOKIE = "demosim_session"
LIMIT = 10  # wrong tokens a client may send in a minute


def sign_in(client: FlaskClient, token: str = API_TOKEN) -> int:
    csrf = csrf_of(client, "/dashboard/login")
    return client.post("/dashboard/login", data={"token": token, "csrf_token": csrf}).status_code


def test_a_cookie_kept_from_before_sign_out_opens_nothing_and_changes_nothing(
    client: FlaskClient, container: Container
) -> None:
    assert sign_in(client) == 302
    kept = client.get_cookie(COOKIE)
    assert kept is not None
    name = container.services.schedules.all()[0].name
    client.post("/dashboard/logout", data={"csrf_token": csrf_of(client, "/dashboard/")})
    client.set_cookie(COOKIE, kept.value)  # what a copy of the cookie still says
    assert client.get("/dashboard/").status_code == 302
    csrf = csrf_of(client, "/dashboard/login")  # a fresh CSRF token does not help
    client.set_cookie(COOKIE, kept.value)
    paused = client.post(f"/dashboard/schedules/{name}", data={"csrf_token": csrf, "enabled": "0"})
    assert paused.status_code in (302, 400)
    assert paused.headers.get("Location", "").startswith("/dashboard/login") or (
        paused.status_code == 400
    )
    assert all(s.enabled for s in container.services.schedules.all())


def test_each_sign_in_is_a_session_of_its_own_and_signing_out_removes_it(
    app: object, container: Container
) -> None:
    first, second = create_app(container).test_client(), create_app(container).test_client()
    assert sign_in(first) == sign_in(second) == 302
    assert first.get_cookie(COOKIE).value != second.get_cookie(COOKIE).value  # type: ignore[union-attr]
    with container.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM dashboard_sessions")).scalar() == 2
    first.post("/dashboard/logout", data={"csrf_token": csrf_of(first, "/dashboard/")})
    with container.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM dashboard_sessions")).scalar() == 1
    assert second.get("/dashboard/").status_code == 200


def test_signed_in_the_sign_in_page_leads_on_to_the_dashboard(client: FlaskClient) -> None:
    sign_in(client)
    answer = client.get("/dashboard/login?next=/dashboard/jobs")
    assert (answer.status_code, answer.headers["Location"]) == (302, "/dashboard/jobs")


def test_every_page_and_the_docs_send_the_protective_headers(client: FlaskClient) -> None:
    sign_in(client)
    for path in ("/dashboard/", "/dashboard/jobs", "/dashboard/login", "/docs", "/openapi.json"):
        answer = client.get(path)
        assert answer.status_code in (200, 302), path
        headers = answer.headers
        policy = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy, path
        assert "default-src 'self'" in policy, path
        assert "unsafe-inline" not in policy, path
        assert headers["X-Frame-Options"] == "DENY", path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "same-origin", path
        assert headers["Cache-Control"] == "no-store", path
    assert "Content-Security-Policy" in client.get("/healthz").headers


def test_guessing_the_token_is_slowed_per_client_and_the_right_one_still_works_elsewhere(
    client: FlaskClient, app: object, container: Container
) -> None:
    csrf = csrf_of(client, "/dashboard/login")
    for _ in range(LIMIT):
        assert sign_in(client, "not-the-token-at-all") == 401
    page = client.get("/dashboard/login")  # the sign-in page itself says why
    assert page.status_code == 429
    assert "wait a minute" in page.get_data(as_text=True)
    refused = client.post("/dashboard/login", data={"token": API_TOKEN, "csrf_token": csrf})
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 60
    assert "Too many tries" in refused.get_data(as_text=True)
    elsewhere = create_app(container).test_client()
    elsewhere.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert sign_in(elsewhere) == 302


def test_wrong_bearer_tokens_are_slowed_per_client(
    client: FlaskClient, container: Container
) -> None:
    wrong = {"Authorization": "Bearer not-the-token-at-all"}
    assert {client.get("/api/v1/jobs", headers=wrong).status_code for _ in range(LIMIT)} == {401}
    right = {"Authorization": f"Bearer {API_TOKEN}"}
    limited = client.get("/api/v1/jobs", headers=right)
    assert limited.status_code == 429
    assert limited.get_json()["message"].startswith("too many wrong tokens")
    assert "Retry-After" in limited.headers
    other = client.get("/api/v1/jobs", headers=right, environ_base={"REMOTE_ADDR": "192.0.2.8"})
    assert other.status_code == 200
    # the webhook receiver is not counted: its callers are machines with a secret, not guesses
    assert client.get("/healthz").status_code == 200


def test_the_cookie_is_secure_over_https_and_a_proxy_is_believed_only_when_configured(
    container: Container,
) -> None:
    def cookie_after_sign_in(client: FlaskClient, **kw: Any) -> str:
        csrf = CSRF.search(client.get("/dashboard/login", **kw).get_data(as_text=True))
        assert csrf is not None
        answer = client.post(
            "/dashboard/login", data={"token": API_TOKEN, "csrf_token": csrf.group(1)}, **kw
        )
        assert answer.status_code == 302, answer.get_data(as_text=True)[:300]
        return answer.headers["Set-Cookie"]

    tls = {"base_url": "https://localhost", "headers": {"Referer": "https://localhost/"}}
    assert "Secure" not in cookie_after_sign_in(create_app(container).test_client())
    assert "; Secure" in cookie_after_sign_in(create_app(container).test_client(), **tls)
    forwarded = {"X-Forwarded-Proto": "https", "Referer": "https://localhost/"}
    untrusting = create_app(container).test_client()  # TRUSTED_PROXIES=0: the header is ignored
    assert "Secure" not in cookie_after_sign_in(untrusting, headers=forwarded)
    behind_proxy = replace(container, settings=replace(container.settings, trusted_proxies=1))
    trusting = create_app(behind_proxy).test_client()
    assert "; Secure" in cookie_after_sign_in(trusting, headers=forwarded)


def test_a_conversation_id_from_outside_cannot_lead_its_link_elsewhere(
    client: FlaskClient, container: Container
) -> None:
    account = uuid.uuid4()
    hostile = "conv/../../../../jobs"
    dm = replace(
        incoming("dm-1", account, datetime.now(UTC), InteractionKind.DM), conversation_id=hostile
    )
    container.services.inbox.ingest("hostile-1", [dm])
    sign_in(client)
    inbox = client.get(f"/dashboard/accounts/{account}/inbox").get_data(as_text=True)
    (href,) = re.findall(r'href="([^"]*)">Conversation<', inbox)
    # the sender's id is in the query string, where no browser resolves a `..`
    assert urlsplit(href).path == f"/dashboard/accounts/{account}/conversation"
    page = client.get(href.replace("&amp;", "&"))
    assert page.status_code == 200
    assert dm.text in page.get_data(as_text=True)
    bad = client.get(f"/dashboard/accounts/{account}/conversation?id=%00")
    assert bad.status_code == 400


@pytest.mark.parametrize("next_", ["/dashboard/%0D%0ASet-Cookie:%20x=1", "/dashboard/\\\\evil"])
def test_a_line_break_in_next_is_a_400_page_never_a_header(client: FlaskClient, next_: str) -> None:
    answer = client.get(f"/dashboard/login?next={next_}")
    assert answer.status_code == 400
    assert "Set-Cookie: x" not in str(answer.headers)
    assert "Bad address" in answer.get_data(as_text=True)


def test_cancel_from_a_refreshed_job_card_lands_on_the_job_page(
    client: FlaskClient, container: Container
) -> None:
    job, _ = container.services.demo.enable(uuid.uuid4(), EnableDemo(comments=10, dms=2, content=2))
    assert job is not None
    sign_in(client)
    page = f"/dashboard/jobs/{job.id}"
    card = client.get(
        f"{page}/card", headers={"HX-Request": "true", "HX-Current-URL": f"http://localhost{page}"}
    ).get_data(as_text=True)
    (back,) = re.findall(r'name="next" value="([^"]*)"', card)
    assert back == page
    (csrf,) = re.findall(r'name="csrf_token" value="([^"]+)"', card)
    answer = client.post(f"{page}/cancel", data={"csrf_token": csrf, "next": back})
    assert answer.headers["Location"] == page
    assert container.services.jobs.get(job.id).status is JobStatus.CANCELLED


def test_an_http_error_under_the_dashboard_is_a_page_not_json(client: FlaskClient) -> None:
    sign_in(client)
    wrong_method = client.get("/dashboard/logout")
    assert wrong_method.status_code == 405
    assert wrong_method.mimetype == "text/html"
    assert "does not take a GET" in wrong_method.get_data(as_text=True)
    api = client.post("/api/v1/jobs", headers={"Authorization": f"Bearer {API_TOKEN}"})
    assert api.status_code == 405
    assert api.mimetype == "application/json"  # the API keeps its JSON errors
