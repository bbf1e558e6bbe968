"""The dashboard over the test client: signing in, CSRF, every page, forms that call the same
services as the API (the browser tests in tests/ui drive it in Chromium)."""

import re
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from flask.testing import FlaskClient

from app.bootstrap import Container
from app.domain.delivery import Attempt
from app.domain.generation import generate_demo
from app.domain.inbox import InboxFilter, InteractionKind
from app.domain.jobs import JobFilter, JobKind
from app.services.demo import EnableDemo
from helpers import API_TOKEN, WEBHOOK_SECRET, csrf_of, incoming

pytestmark = pytest.mark.integration


def test_pages_need_signing_in_and_a_wrong_token_is_refused_with_a_message(
    client: FlaskClient,
) -> None:
    answer = client.get("/dashboard/jobs")
    assert answer.status_code == 302
    assert answer.headers["Location"].startswith("/dashboard/login?next=/dashboard/jobs")
    page = client.get("/dashboard/login").get_data(as_text=True)
    assert 'type="password"' in page
    assert 'name="token"' in page
    token = csrf_of(client, "/dashboard/login")
    wrong = client.post(
        "/dashboard/login", data={"token": "not-it-at-all-123", "csrf_token": token}
    )
    assert wrong.status_code == 401
    assert "That is not the API token" in wrong.get_data(as_text=True)
    assert client.get("/dashboard/jobs").status_code == 302


def test_the_session_cookie_is_httponly_and_samesite_and_sign_out_ends_it(
    client: FlaskClient,
) -> None:
    token = csrf_of(client, "/dashboard/login")
    answer = client.post("/dashboard/login", data={"token": API_TOKEN, "csrf_token": token})
    cookie = answer.headers["Set-Cookie"]
    assert "demosim_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    assert client.get("/dashboard/").status_code == 200
    out = client.post("/dashboard/logout", data={"csrf_token": csrf_of(client, "/dashboard/")})
    assert out.status_code == 302
    assert client.get("/dashboard/").status_code == 302


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(
    signed_in: FlaskClient, container: Container
) -> None:
    account = uuid.uuid4()
    answer = signed_in.post("/dashboard/accounts", data={"account_id": str(account)})
    assert answer.status_code == 400
    assert "This form was refused" in answer.get_data(as_text=True)
    assert container.queries.demo_states(10) == []
    wrong = signed_in.post(
        "/dashboard/accounts", data={"account_id": str(account), "csrf_token": "forged"}
    )
    assert wrong.status_code == 400
    assert container.queries.demo_states(10) == []


def test_enabling_from_the_page_starts_the_same_job_as_the_api(
    signed_in: FlaskClient, container: Container
) -> None:
    account = uuid.uuid4()
    form = {
        "csrf_token": csrf_of(signed_in, "/dashboard/"),
        "account_id": str(account),
        "platform": "instagram",
        "persona": "cooking",
        "dm_frequency": "low",
        "seed": "42",
        "locale": "es_ES",
        "content": "3",
        "comments": "20",
        "dms": "5",
    }
    answer = signed_in.post("/dashboard/accounts", data=form)
    assert answer.status_code == 302
    state = container.views.demo(account)
    assert state.job is not None
    assert state.job.kind is JobKind.DEMO_INITIAL_BATCH
    assert answer.headers["Location"] == f"/dashboard/jobs/{state.job.id}"
    profile = state.profile
    assert (profile.platform.value, profile.persona.value, profile.seed) == (
        "instagram",
        "cooking",
        42,
    )
    assert (profile.locale, profile.sizes.content, profile.sizes.comments) == ("es_ES", 3, 20)
    page = signed_in.get(answer.headers["Location"]).get_data(as_text=True)
    assert "demo.initial_batch" in page
    assert str(account) in page


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [("seed", "-1", "seed"), ("locale", "xx_XX", "locale"), ("comments", "lots", "comments"),
     ("account_id", "not-a-uuid", "account_id"), ("persona", "juggling", "persona")],
)  # fmt: skip
def test_a_bad_form_field_is_named_on_the_page_and_nothing_starts(
    signed_in: FlaskClient, container: Container, field: str, value: str, named: str
) -> None:
    form = {"csrf_token": csrf_of(signed_in, "/dashboard/"), "account_id": str(uuid.uuid4())}
    answer = signed_in.post("/dashboard/accounts", data={**form, field: value})
    assert answer.status_code == 422
    text = answer.get_data(as_text=True)
    assert "Demo mode was not enabled" in text
    assert named in text
    assert container.queries.demo_states(10) == []


def fill_inbox(container: Container, account: uuid.UUID) -> None:
    """Demo mode on, and what its batch generates received (as delivery would)."""
    container.services.demo.enable(account, EnableDemo(content=5, comments=150, dms=40))
    profile = container.views.demo(account).profile
    made = generate_demo(profile, datetime.now(UTC), profile.sizes)
    items = [*made.comments, *made.dms]
    for start in range(0, len(items), 500):
        container.services.inbox.ingest(f"test-{account}-{start}", items[start : start + 500])


def test_every_page_renders_and_none_shows_the_token_or_the_secret(
    signed_in: FlaskClient, container: Container
) -> None:
    account = uuid.uuid4()
    fill_inbox(container, account)
    job = container.views.demo(account).job
    assert job is not None
    comments = InboxFilter(account, kind=InteractionKind.COMMENT)
    thread_root = next(
        i
        for i in container.queries.inbox_page(comments, None, 200).items
        if i.data.in_reply_to is None
    )
    pages = [
        "/dashboard/",
        f"/dashboard/accounts/{account}/inbox",
        f"/dashboard/accounts/{account}/inbox?kind=dm&is_demo=true",
        f"/dashboard/accounts/{account}/inbox/{thread_root.id}/thread",
        f"/dashboard/accounts/{account}/conversations",
        f"/dashboard/accounts/{account}/insights?days=40",
        "/dashboard/jobs",
        f"/dashboard/jobs/{job.id}",
        f"/dashboard/jobs/{job.id}/progress",
        "/dashboard/schedules",
        "/dashboard/deliveries",
    ]
    for path in pages:
        answer = signed_in.get(path)
        body = answer.get_data(as_text=True)
        assert answer.status_code == 200, (path, body[:500])
        assert API_TOKEN not in body, path
        assert WEBHOOK_SECRET.removeprefix("whsec_") not in body, path
    insights = signed_in.get(f"/dashboard/accounts/{account}/insights?days=40").get_data(
        as_text=True
    )
    assert insights.count('class="bar comment"') >= 2
    assert "<svg" in insights
    inbox = signed_in.get(f"/dashboard/accounts/{account}/inbox").get_data(as_text=True)
    assert 'class="badge demo"' in inbox
    assert 'class="label intent"' in inbox


def test_a_missing_account_a_bad_filter_and_a_bad_id_show_a_message(
    signed_in: FlaskClient,
) -> None:
    nobody = uuid.uuid4()
    page = signed_in.get(f"/dashboard/accounts/{nobody}/inbox").get_data(as_text=True)
    assert "Demo mode was never enabled for this account" in page
    bad = signed_in.get(f"/dashboard/accounts/{nobody}/inbox?since=yesterday")
    assert bad.status_code == 400
    assert "Bad filter: since" in bad.get_data(as_text=True)
    missing = signed_in.get(f"/dashboard/jobs/{uuid.uuid4()}")
    assert missing.status_code == 404
    assert "no job" in missing.get_data(as_text=True).lower()
    not_uuid = signed_in.get("/dashboard/accounts/12345/inbox")
    assert not_uuid.status_code == 404
    assert "must be a UUID" in not_uuid.get_data(as_text=True)


def test_schedules_pause_resume_retime_and_a_bad_cron_shows_its_error(
    signed_in: FlaskClient, container: Container
) -> None:
    csrf = csrf_of(signed_in, "/dashboard/schedules")
    name = container.services.schedules.all()[0].name
    paused = signed_in.post(
        f"/dashboard/schedules/{name}", data={"csrf_token": csrf, "enabled": "false"}
    )
    assert paused.status_code == 302
    assert not next(s for s in container.services.schedules.all() if s.name == name).enabled
    signed_in.post(f"/dashboard/schedules/{name}", data={"csrf_token": csrf, "enabled": "true"})
    assert next(s for s in container.services.schedules.all() if s.name == name).enabled
    bad = signed_in.post(
        f"/dashboard/schedules/{name}", data={"csrf_token": csrf, "cron": "61 * * * *"}
    )
    assert bad.status_code == 422
    assert f"Schedule {name} not changed: cron" in bad.get_data(as_text=True)
    good = signed_in.post(
        f"/dashboard/schedules/{name}", data={"csrf_token": csrf, "cron": "7 * * * *"}
    )
    assert good.status_code == 302
    assert (
        next(s for s in container.services.schedules.all() if s.name == name).cron.expression
        == "7 * * * *"
    )
    asked = signed_in.post(f"/dashboard/schedules/{name}/trigger", data={"csrf_token": csrf})
    assert asked.status_code == 200  # a second step first: nothing runs on one click
    assert 'name="confirmed" value="yes"' in asked.get_data(as_text=True)
    assert not container.queries.jobs_page(JobFilter(), None, 10).items
    run = signed_in.post(
        f"/dashboard/schedules/{name}/trigger", data={"csrf_token": csrf, "confirmed": "yes"}
    )
    assert run.status_code == 302
    assert run.headers["Location"].startswith("/dashboard/jobs/")


def test_cancel_and_retry_from_the_page(signed_in: FlaskClient, container: Container) -> None:
    job, _ = container.services.demo.enable(uuid.uuid4(), EnableDemo(comments=10, dms=2, content=2))
    assert job is not None
    csrf = csrf_of(signed_in, f"/dashboard/jobs/{job.id}")
    assert (
        signed_in.post(f"/dashboard/jobs/{job.id}/cancel", data={"csrf_token": csrf}).status_code
        == 302
    )
    assert container.services.jobs.get(job.id).status.value == "cancelled"
    again = signed_in.post(f"/dashboard/jobs/{job.id}/retry", data={"csrf_token": csrf})
    assert again.status_code == 302
    new_id = uuid.UUID(again.headers["Location"].rsplit("/", 1)[1])
    assert container.services.jobs.get(new_id).retry_of == job.id
    twice = signed_in.post(
        f"/dashboard/jobs/{job.id}/cancel", data={"csrf_token": csrf}, follow_redirects=True
    )
    assert "Not done:" in twice.get_data(as_text=True)


def test_the_accounts_page_reads_every_account_in_five_statements(container: Container) -> None:
    from sqlalchemy import event

    accounts = [uuid.uuid4() for _ in range(3)]
    for account in accounts:
        fill_inbox(container, account)
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(container.engine, "before_cursor_execute", count)
    try:
        states = container.queries.demo_states(10)
    finally:
        event.remove(container.engine, "before_cursor_execute", count)
    assert len(statements) == 5  # not five per account
    assert [s.profile.account_id for s in states] == list(reversed(accounts))  # newest first
    for state in states:
        assert state.counts.received == 150 + 40  # every generated item, received
        assert state.job is not None
        assert state.job.account_id == state.profile.account_id
        assert state == container.views.demo(state.profile.account_id)


def test_purge_and_disable_need_a_second_step(signed_in: FlaskClient, container: Container) -> None:
    account = uuid.uuid4()
    container.services.demo.enable(account, EnableDemo(comments=10, dms=2, content=2))
    csrf = csrf_of(signed_in, "/dashboard/")
    path = f"/dashboard/accounts/{account}/disable"
    asked = signed_in.post(path, data={"csrf_token": csrf, "purge": "true"})
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "Purge its demo data" in page
    assert 'name="purge" value="true"' in page  # the second step sends the same choice
    assert container.views.demo(account).profile.enabled
    done = signed_in.post(path, data={"csrf_token": csrf, "purge": "true", "confirmed": "yes"})
    assert done.status_code == 302
    assert not container.views.demo(account).profile.enabled


def test_one_busy_day_is_cut_off_the_scale_instead_of_flattening_the_others(
    signed_in: FlaskClient, container: Container
) -> None:
    account, now = uuid.uuid4(), datetime.now(UTC)
    quiet = [
        replace(incoming(f"q{day}-{n}", account, now - timedelta(days=day)), is_demo=False)
        for day in range(1, 6)
        for n in range(4)
    ]
    spike = [incoming(f"s{n}", account, now) for n in range(200)]
    container.services.inbox.ingest("spike", [*quiet, *spike])
    page = signed_in.get(f"/dashboard/accounts/{account}/insights?days=7").get_data(as_text=True)
    assert "The scale stops at 20" in page  # 3 times the typical day (4), rounded up to 1-2-5
    assert page.count('class="bar clipped"') == 1
    heights = [float(h) for h in re.findall(r'height="([\d.]+)" class="bar comment"', page)]
    assert max(heights) == 100.0
    assert sorted(heights)[-2] == 20.0  # a quiet day is a fifth of the box, not 2%
    # its top content leads to that post's comments in the inbox
    link = re.search(r'href="([^"]*content=video-1[^"]*)"', page)
    assert link is not None
    inbox = signed_in.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert inbox.count('class="item comment') == 50  # a page of them
    assert "The comments on <code>video-1</code>" in inbox


def test_deliveries_show_each_status_and_redeliver_only_when_there_are_dead_letters(
    signed_in: FlaskClient, container: Container
) -> None:
    account = uuid.uuid4()
    with container.uow() as uow:
        uow.outbox.add(
            [incoming(f"o{n}", account, datetime.now(UTC)) for n in range(3)], datetime.now(UTC)
        )
        uow.commit()
    failed = signed_in.get("/dashboard/deliveries").get_data(as_text=True)
    assert "dead letters</button>" not in failed
    assert "None failed." in failed
    queued = signed_in.get("/dashboard/deliveries?status=queued").get_data(as_text=True)
    assert queued.count("<tr><td") == 3
    assert re.search(r'queued <span class="count">3</span>', queued)


def test_deliveries_list_the_latest_messages_with_their_answers(
    signed_in: FlaskClient, container: Container
) -> None:
    now = datetime.now(UTC)
    with container.uow() as uow:
        uow.outbox.record_attempts(
            [
                Attempt("msg_first", now - timedelta(seconds=5), 100, True, 200, None),
                Attempt("msg_second", now, 7, False, 503, "HTTP 503: busy"),
            ]
        )
        uow.commit()
    assert [a.webhook_id for a in container.queries.recent_attempts(5)] == [
        "msg_second",
        "msg_first",
    ]
    page = signed_in.get("/dashboard/deliveries").get_data(as_text=True)
    assert page.index("msg_second") < page.index("msg_first")  # newest first
    assert "HTTP 503: busy" in page
    assert '<span class="badge on">200</span>' in page
