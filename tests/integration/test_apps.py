"""Platform apps over HTTP, against a host's callback written from Meta's documentation
(developers.facebook.com/docs/graph-api/webhooks/getting-started, "Verification Requests"):
"hub.mode — This value will always be set to subscribe. hub.challenge — An int you must pass
back to us. hub.verify_token — A string that we grab from the Verify Token field in your app's
App Dashboard." The endpoint "should verify the hub.verify_token value matches the string you
set in the Verify Token field" and "respond with the hub.challenge value"."""

import uuid
from collections.abc import Callable, Iterator

import pytest
from flask.testing import FlaskClient
from rich.console import Console
from sqlalchemy import text
from werkzeug.serving import make_server

from app.adapters.platforms.meta.handshake import MetaHandshake
from app.adapters.platforms.meta.webhooks import signature
from app.bootstrap import Container
from app.domain.apps import AppRegistration, Family, HandshakeFailedError
from app.entrypoints.serve import repoint_reference_app
from helpers import serving
from integration.meta_host import SECRET, TOKEN, MetaHost, native_account
from integration.support import Workers, final_job

pytestmark = pytest.mark.integration


@pytest.fixture
def host() -> Iterator[tuple[MetaHost, str]]:
    h = MetaHost()
    with serving(make_server("127.0.0.1", 0, h.app, threaded=True)) as base:
        yield h, f"{base}/webhooks/meta"


def test_an_app_is_registered_once_the_callback_echoes_metas_challenge(
    client: FlaskClient, auth: dict[str, str], host: tuple[MetaHost, str]
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
    client: FlaskClient, auth: dict[str, str], host: tuple[MetaHost, str]
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
    client: FlaskClient, auth: dict[str, str], host: tuple[MetaHost, str]
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
    host: tuple[MetaHost, str],
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
        ("youtube", {"secret": SECRET}, 422, ("path", "family")),
        ("meta", {"secret": SECRET}, 422, ("json", "verify_token")),
        ("meta", {"secret": SECRET, "verify_token": TOKEN, "callback_url": "ftp://h/x"}, 422,
         ("json", "callback_url")),
        ("meta", {"secret": "short", "verify_token": TOKEN}, 422, ("json", "secret")),
    ],
)  # fmt: skip
def test_what_cannot_be_registered_gets_a_4xx_naming_it_and_no_callback_is_called(
    client: FlaskClient,
    auth: dict[str, str],
    host: tuple[MetaHost, str],
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


def test_a_native_instagram_account_is_delivered_in_metas_webhooks_to_the_apps_callback(
    client: FlaskClient,
    auth: dict[str, str],
    host: tuple[MetaHost, str],
    workers: Workers,
    count_rows: Callable[[str], int],
) -> None:
    h, url = host
    put = native_account(client, auth, url, SECRET, TOKEN, {"content": 3, "comments": 30, "dms": 6})
    native = put.get_json()["native"]
    assert native["user_id"].isdigit()
    assert native["access_token"]
    assert put.get_json()["profile"]["delivery"] == "native"
    workers.start()
    done = final_job(client, auth, put.headers["Location"], timeout=120)
    assert done["status"] == "succeeded", done

    got = h.got
    assert got.bad_signatures == 0
    assert got.posts >= 1
    assert (got.objects, got.entry_ids) == ({"instagram"}, {native["user_id"]})
    assert len(got.comments) == 30
    seen: set[str] = set()
    for value in got.comments:  # a reply never before its parent, all of them on the posts
        assert value.get("parent_id") is None or value["parent_id"] in seen, value
        seen.add(value["id"])
        assert value["from"]["username"]
        assert value["media"]["media_product_type"] == "REELS"
    assert len({v["media"]["id"] for v in got.comments}) <= 3
    mine = [m for m in got.messages if m["message"].get("is_echo")]
    theirs = [m for m in got.messages if not m["message"].get("is_echo")]
    assert len(got.messages) == 6
    assert theirs
    assert all(m["recipient"]["id"] == native["user_id"] for m in theirs)
    assert all(m["sender"]["id"] == native["user_id"] for m in mine)
    assert len({m["message"]["mid"] for m in got.messages}) == 6
    # none of it went to demosim's own receiver: the host's inbox saw it in Meta's shapes only
    assert count_rows("inbox_interactions") == 0
    account = put.get_json()["account_id"]
    state = client.get(f"/api/v1/accounts/{account}/demo", headers=auth).get_json()
    # the items, and what happened to them (a reaction, an edit: a few in a hundred)
    assert state["counts"]["delivery"] == {"sent": 36 + got.events}
    assert state["counts"]["events"] == got.events


def test_enabling_native_delivery_without_an_app_is_a_409_naming_it(
    client: FlaskClient, auth: dict[str, str]
) -> None:
    enable = {"platform": "instagram", "delivery": "native"}
    put = client.put(f"/api/v1/accounts/{uuid.uuid4()}/demo", json=enable, headers=auth)
    assert put.status_code == 409
    assert "PUT /api/v1/apps/meta" in put.get_json()["message"]
    tiktok = {"platform": "tiktok", "delivery": "native"}
    put = client.put(f"/api/v1/accounts/{uuid.uuid4()}/demo", json=tiktok, headers=auth)
    assert put.status_code == 409
    assert "PUT /api/v1/apps/tiktok" in put.get_json()["message"]
    x = {"platform": "x", "delivery": "native"}
    put = client.put(f"/api/v1/accounts/{uuid.uuid4()}/demo", json=x, headers=auth)
    assert put.status_code == 409
    assert "PUT /api/v1/apps/x" in put.get_json()["message"]
    # YouTube pushes no comments to an app: its hosts poll, and a channel needs none
    youtube = {"platform": "youtube", "delivery": "native"}
    put = client.put(f"/api/v1/accounts/{uuid.uuid4()}/demo", json=youtube, headers=auth)
    assert put.status_code == 202, put.get_json()
    assert put.get_json()["native"]["user_id"].startswith("UC")
    app = {"callback_url": "http://127.0.0.1:9/x", "secret": "s" * 16}
    refused = client.put("/api/v1/apps/youtube", json=app, headers=auth)
    assert refused.status_code == 422
    assert "poll" in refused.get_json()["message"]
    assert "apps: meta, tiktok, x" in refused.get_json()["message"]


# --- the reference host: demosim's own /webhooks/meta ---------------------------------------


def test_the_reference_host_answers_metas_verification_with_its_own_token_only(
    client: FlaskClient, container: Container
) -> None:
    _, token = container.settings.reference_meta_app()
    query = {"hub.mode": "subscribe", "hub.challenge": "1158201444", "hub.verify_token": token}
    ok = client.get("/webhooks/meta", query_string=query)
    assert (ok.status_code, ok.get_data(as_text=True)) == (200, "1158201444")
    for wrong in ({"hub.verify_token": "guess"}, {"hub.mode": "unsubscribe"}):
        assert client.get("/webhooks/meta", query_string={**query, **wrong}).status_code == 403


def test_the_reference_host_refuses_what_its_app_did_not_sign_or_meta_does_not_send(
    client: FlaskClient, container: Container
) -> None:
    secret, _ = container.settings.reference_meta_app()
    payload = b'{"object": "instagram", "entry": []}'
    unsigned = client.post("/webhooks/meta", data=payload)
    assert unsigned.status_code == 401
    other = {"X-Hub-Signature-256": signature("not-this-apps-secret", payload)}
    assert client.post("/webhooks/meta", data=payload, headers=other).status_code == 401
    for body, status in ((b"{not json", 400), (b'{"object": "user", "entry": []}', 422)):
        signed = {"X-Hub-Signature-256": signature(secret, body)}
        answer = client.post("/webhooks/meta", data=body, headers=signed)
        assert answer.status_code == status, answer.get_json()
    signed = {"X-Hub-Signature-256": signature(secret, payload)}
    assert client.post("/webhooks/meta", data=payload, headers=signed).status_code == 200


@pytest.mark.parametrize("platform", ["instagram", "facebook"])
def test_the_native_loop_ends_in_demosims_own_inbox_through_the_reference_host(
    client: FlaskClient,
    auth: dict[str, str],
    container: Container,
    live_server: str,
    workers: Workers,
    platform: str,
) -> None:
    secret, token = container.settings.reference_meta_app()
    callback = f"{live_server}/webhooks/meta"
    sizes = {"content": 2, "comments": 25, "dms": 5}
    put = native_account(client, auth, callback, secret, token, sizes, platform)
    account = uuid.UUID(put.get_json()["account_id"])
    workers.start()
    assert final_job(client, auth, put.headers["Location"], timeout=120)["status"] == "succeeded"
    with container.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT kind, platform, platform_id, in_reply_to, author_is_creator, is_demo,"
                " text FROM inbox_interactions WHERE account_id = :a"
            ),
            {"a": account},
        ).all()
        generated = (
            conn.execute(
                text("SELECT text FROM interactions WHERE account_id = :a AND event IS NULL"),
                {"a": account},
            )
            .scalars()
            .all()
        )
    assert sum(r.kind == "comment" for r in rows) == 25
    assert sum(r.kind == "dm" for r in rows) == 5
    assert all(r.is_demo for r in rows)
    assert sorted(r.text for r in rows) == sorted(generated)  # the words as generated
    ids = {r.platform_id for r in rows}
    assert all(r.in_reply_to in ids for r in rows if r.in_reply_to)  # parents filed too
    assert {r.platform for r in rows} == {platform}
    comments = [r.platform_id for r in rows if r.kind == "comment"]
    # Meta's ids: Instagram's numeric, a Page's comments "{post}_{comment}"
    assert all(c.replace("_", "").isdigit() and ("_" in c) == (platform == "facebook")
               for c in comments)  # fmt: skip
    assert any(r.author_is_creator for r in rows)  # its own replies and echoes, as its own


def test_serve_moves_the_demos_reference_app_to_its_own_port_and_leaves_a_hosts_alone(
    client: FlaskClient, auth: dict[str, str], container: Container, live_server: str
) -> None:
    """`make demo-native` registers the reference host on the demo's own port, gone when it
    ends; `make serve` points that app at its /webhooks/meta through the handshake."""
    secret, token = container.settings.reference_meta_app()
    gone = "http://127.0.0.1:9/webhooks/meta"  # the demo's API, stopped
    with container.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO platform_apps (family, callback_url, secret, verify_token,"
                " verified_at, created_at, updated_at) VALUES ('meta', :u, :s, :t, now(),"
                " now(), now())"
            ),
            {"u": gone, "s": secret, "t": token},
        )
    console = Console(record=True)
    repoint_reference_app(console, live_server, container.settings)
    app = client.get("/api/v1/apps/meta", headers=auth).get_json()
    assert app["callback_url"] == f"{live_server}/webhooks/meta"
    assert "moved" in console.export_text()
    with container.engine.begin() as conn:  # a host's own app: left as it is
        conn.execute(text("UPDATE platform_apps SET callback_url = 'https://host.example/meta'"))
    repoint_reference_app(console, live_server, container.settings)
    app = client.get("/api/v1/apps/meta", headers=auth).get_json()
    assert app["callback_url"] == "https://host.example/meta"
    # the demo's TikTok app alike, through TikTok's test event
    key, client_secret = container.settings.reference_tiktok_app()
    with container.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO platform_apps (family, callback_url, secret, client_key,"
                " verified_at, created_at, updated_at) VALUES ('tiktok', :u, :s, :k, now(),"
                " now(), now())"
            ),
            {"u": "http://127.0.0.1:9/webhooks/tiktok", "s": client_secret, "k": key},
        )
    repoint_reference_app(console, live_server, container.settings)
    app = client.get("/api/v1/apps/tiktok", headers=auth).get_json()
    assert app["callback_url"] == f"{live_server}/webhooks/tiktok"
    assert "TikTok app's callback moved" in console.export_text()
