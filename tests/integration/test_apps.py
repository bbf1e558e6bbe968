"""Platform apps over HTTP, against a host's callback written from Meta's documentation
(developers.facebook.com/docs/graph-api/webhooks/getting-started, "Verification Requests"):
"hub.mode — This value will always be set to subscribe. hub.challenge — An int you must pass
back to us. hub.verify_token — A string that we grab from the Verify Token field in your app's
App Dashboard." The endpoint "should verify the hub.verify_token value matches the string you
set in the Verify Token field" and "respond with the hub.challenge value"."""

import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask, request
from flask.testing import FlaskClient
from werkzeug.serving import make_server

from app.adapters.platforms.meta.handshake import MetaHandshake
from app.domain.apps import AppRegistration, Family, HandshakeFailedError
from helpers import serving

pytestmark = pytest.mark.integration

TOKEN = "a-verify-token-the-host-chose"
SECRET = "3f1c0ffee0ddba11ca5eca5ecafef00d"


class Host:
    """A host's webhook endpoint as Meta's page describes it; what it was asked, kept."""

    def __init__(self) -> None:
        self.asked: list[dict[str, str]] = []
        self.answer = "challenge"  # or "json", "slow"
        self.app = Flask("host")
        self.app.add_url_rule("/webhooks/meta", view_func=self.verify)

    def verify(self) -> Any:
        self.asked.append(dict(request.args))
        if self.answer == "slow":
            time.sleep(2)
        mode, token = request.args.get("hub.mode"), request.args.get("hub.verify_token")
        if mode != "subscribe" or token != TOKEN:
            return "Forbidden", 403
        if self.answer == "json":
            return {"verified": True}
        return request.args["hub.challenge"], 200


@pytest.fixture
def host() -> Iterator[tuple[Host, str]]:
    h = Host()
    with serving(make_server("127.0.0.1", 0, h.app, threaded=True)) as base:
        yield h, f"{base}/webhooks/meta"


def test_an_app_is_registered_once_the_callback_echoes_metas_challenge(
    client: FlaskClient, auth: dict[str, str], host: tuple[Host, str]
) -> None:
    h, url = host
    body = {"callback_url": url, "secret": SECRET, "verify_token": TOKEN}
    put = client.put("/api/v1/apps/meta", json=body, headers=auth)
    assert put.status_code == 200, put.get_json()
    app = put.get_json()
    assert (app["family"], app["callback_url"]) == ("meta", url)
    assert (app["secret"], app["verify_token"]) == ("…f00d", "…hose")  # never whole
    assert SECRET not in put.get_data(as_text=True)
    [asked] = h.asked
    assert asked["hub.mode"] == "subscribe"
    assert asked["hub.verify_token"] == TOKEN
    assert asked["hub.challenge"].isdigit()  # "an int you must pass back"
    assert client.get("/api/v1/apps", headers=auth).get_json() == {"items": [app]}
    assert client.get("/api/v1/apps/meta", headers=auth).get_json() == app
    assert client.delete("/api/v1/apps/meta", headers=auth).status_code == 204
    gone = client.get("/api/v1/apps/meta", headers=auth)
    assert gone.status_code == 404
    assert "no meta app" in gone.get_json()["message"]


def test_a_callback_that_refuses_the_token_fails_with_the_status_it_answered_and_keeps_nothing(
    client: FlaskClient, auth: dict[str, str], host: tuple[Host, str]
) -> None:
    _, url = host
    body = {"callback_url": url, "secret": SECRET, "verify_token": "not-the-hosts"}
    put = client.put("/api/v1/apps/meta", json=body, headers=auth)
    assert put.status_code == 422
    answer = put.get_json()
    assert "HTTP 403" in answer["message"]
    assert "'Forbidden'" in answer["message"]
    assert list(answer["errors"]["json"]) == ["callback_url"]
    assert client.get("/api/v1/apps/meta", headers=auth).status_code == 404


def test_a_callback_answering_another_body_fails_and_the_app_before_stays(
    client: FlaskClient, auth: dict[str, str], host: tuple[Host, str]
) -> None:
    h, url = host
    body = {"callback_url": url, "secret": SECRET, "verify_token": TOKEN}
    before = client.put("/api/v1/apps/meta", json=body, headers=auth).get_json()
    h.answer = "json"
    put = client.put("/api/v1/apps/meta", json={**body, "callback_url": f"{url}?v=2"}, headers=auth)
    assert put.status_code == 422
    assert "is not the hub.challenge" in put.get_json()["message"]
    assert client.get("/api/v1/apps/meta", headers=auth).get_json() == before


def test_a_callback_silent_past_the_time_out_or_unreachable_fails_saying_so(
    host: tuple[Host, str],
) -> None:
    h, url = host
    h.answer = "slow"
    with pytest.raises(HandshakeFailedError, match=r"within 0\.5 s"):
        MetaHandshake(timeout=0.5).verify(AppRegistration(Family.META, url, SECRET, TOKEN))
    unreachable = AppRegistration(Family.META, "http://127.0.0.1:1/hook", SECRET, TOKEN)
    with pytest.raises(HandshakeFailedError, match="could not be reached"):
        MetaHandshake(timeout=0.5).verify(unreachable)


@pytest.mark.parametrize(
    ("family", "body", "status", "where"),
    [
        ("myspace", {"secret": SECRET, "verify_token": TOKEN}, 404, None),
        ("x", {"secret": SECRET}, 422, ("path", "family")),
        ("meta", {"secret": SECRET}, 422, ("json", "verify_token")),
        ("meta", {"secret": SECRET, "verify_token": TOKEN, "callback_url": "ftp://h/x"}, 422,
         ("json", "callback_url")),
        ("meta", {"secret": "short", "verify_token": TOKEN}, 422, ("json", "secret")),
    ],
)  # fmt: skip
def test_what_cannot_be_registered_gets_a_4xx_naming_it_and_no_callback_is_called(
    client: FlaskClient,
    auth: dict[str, str],
    host: tuple[Host, str],
    family: str,
    body: dict[str, str],
    status: int,
    where: tuple[str, str] | None,
) -> None:
    h, url = host
    put = client.put(f"/api/v1/apps/{family}", json={"callback_url": url, **body}, headers=auth)
    assert put.status_code == status
    answer = put.get_json()
    if where is None:
        assert family in answer["message"]
    else:
        location, field = where
        assert field in answer["errors"][location]
    assert h.asked == []
