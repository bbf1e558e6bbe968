"""What issue 23 asked of the dashboard, in a real headless Chromium against `demosim serve`:
sessions that end, headers that hold, a limit on guessing, outside text that cannot spoof or
stretch the page, links that stay put, second steps for destructive actions, a list without
housekeeping noise, and every page usable at 390 px (screenshots of each page at 1366 and 390 px
go to $DEMOSIM_SCREENSHOTS when it is set)."""

import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.common.by import By

from helpers import API_TOKEN, batch_body, serving, signed_headers, wire_item
from ui.conftest import Served, console_problems, responses
from ui.test_dashboard_ui import go, link, sign_in, wait

pytestmark = pytest.mark.integration
BEARER = {"Authorization": f"Bearer {API_TOKEN}"}
SPOOF = "\u202elive admin exe.png"  # a right-to-left override: reads "gnp.exe nimda evil"


def send(served: Served, items: list[dict[str, Any]]) -> None:
    """Items into the inbox as a host's sender delivers them: a signed webhook."""
    body = batch_body(items)
    answer = requests.post(
        f"{served.base}/webhooks/interactions", data=body, headers=signed_headers(body), timeout=10
    )
    assert answer.status_code == 200, answer.text


def enabled(served: Served, sizes: dict[str, int], *, wait_done: bool = True) -> tuple[str, str]:
    """A new demo account through the API: its id and its initial batch job's id."""
    account = str(uuid.uuid4())
    answer = requests.put(
        f"{served.base}/api/v1/accounts/{account}/demo",
        json={"persona": "fitness", "sizes": sizes},
        headers=BEARER,
        timeout=10,
    )
    assert answer.status_code == 202, answer.text
    job = answer.json()["job"]["id"]
    deadline = time.monotonic() + 300
    status = ""
    while wait_done and time.monotonic() < deadline:
        state = requests.get(f"{served.base}/api/v1/jobs/{job}", headers=BEARER, timeout=10)
        status = state.json()["status"]
        if status == "succeeded":
            break
        time.sleep(0.3)
    # (a page read before the batch landed shows an empty inbox: say so, not "no Thread link")
    assert not wait_done or status == "succeeded", f"the initial batch is {status!r} after 300 s"
    return account, job


def no_sideways_scroll(browser: webdriver.Chrome) -> bool:
    return bool(
        browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
    )


def test_a_cookie_kept_from_before_sign_out_is_refused(
    browser: webdriver.Chrome, served: Served
) -> None:
    sign_in(browser, served.base)
    kept = browser.get_cookie("demosim_session")
    assert kept is not None
    go(browser, browser.find_element(By.XPATH, "//button[.='Sign out']"))
    browser.delete_all_cookies()
    browser.add_cookie({"name": kept["name"], "value": kept["value"], "path": "/"})
    browser.get(f"{served.base}/dashboard/schedules")
    assert browser.find_elements(By.NAME, "token")  # the sign-in page, not the schedules
    assert not browser.find_elements(By.XPATH, "//button[.='Pause']")


def test_every_response_carries_the_headers_and_no_other_page_can_frame_one(
    browser: webdriver.Chrome, served: Served
) -> None:
    sign_in(browser, served.base)
    responses(browser)
    for path in ("/dashboard/", "/dashboard/jobs", "/dashboard/schedules", "/docs"):
        browser.get(f"{served.base}{path}")
    seen_pages = [r for r in responses(browser) if r[0].startswith(served.base)]
    assert len(seen_pages) >= 4
    for url, _, headers in seen_pages:
        assert "frame-ancestors 'none'" in headers["content-security-policy"], url
        assert headers["x-content-type-options"] == "nosniff", url
        assert headers["referrer-policy"] == "same-origin", url
        if "/static/" not in url:
            assert headers["x-frame-options"] == "DENY", url
            assert headers["cache-control"] == "no-store", url
    # a page of another origin (another port of this host) frames the schedules page
    framing = f"<iframe id='framed' src='{served.base}/dashboard/schedules'></iframe>".encode()
    with another_origin(framing) as elsewhere:
        browser.get(elsewhere)
        wait(browser).until(lambda d: d.find_elements(By.ID, "framed"))
        time.sleep(1)  # the frame's own load, which no event of the parent page reports
        browser.switch_to.frame("framed")
        inside = browser.execute_script("return location.href")
        buttons = browser.find_elements(By.TAG_NAME, "button")
        browser.switch_to.default_content()
    assert not inside.startswith(served.base), inside  # the browser refused to show it
    assert buttons == []


@contextmanager
def another_origin(page: bytes) -> Iterator[str]:
    """A page served from another port of this host, as an attacker's page would be."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *_: Any) -> None:
            pass

    with serving(ThreadingHTTPServer(("127.0.0.1", 0), Page)) as base:
        yield f"{base}/"


def test_ten_wrong_tokens_from_one_client_are_a_429_and_others_still_sign_in(
    browser: webdriver.Chrome, served: Served
) -> None:
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd(
        "Network.setExtraHTTPHeaders", {"headers": {"X-Forwarded-For": "203.0.113.9"}}
    )
    for _ in range(10):
        sign_in(browser, served.base, "certainly-not-the-token")
        assert "That is not the API token" in browser.page_source
    browser.get(f"{served.base}/dashboard/login")  # the 11th try finds the door shut
    assert browser.find_element(By.TAG_NAME, "h1").text == "Too many tries"
    assert "wait a minute" in browser.page_source
    assert not browser.find_elements(By.NAME, "token")
    browser.execute_cdp_cmd("Network.setExtraHTTPHeaders", {"headers": {}})
    sign_in(browser, served.base)  # another client, the right token
    assert browser.find_element(By.XPATH, "//button[.='Sign out']")


def test_outside_text_neither_spoofs_nor_stretches_the_page(
    browser: webdriver.Chrome, served: Served
) -> None:
    account = uuid.uuid4()
    now = datetime.now(UTC)
    send(
        served,
        [
            wire_item(1, account, now, author={"handle": "mallory", "display_name": SPOOF}),
            wire_item(2, account, now, author={"handle": "h" * 255, "display_name": "W" * 255},
                      content={"platform_id": "v-long", "title": "T" * 1000}),
            wire_item(3, account, now, text="line\n" * 400),
            wire_item(4, account, now, text="Z" + "\u0301\u0302\u0303\u0304" * 60),
        ],
    )  # fmt: skip
    sign_in(browser, served.base)
    for width in (1366, 390):
        browser.set_window_size(width, 900)
        browser.get(f"{served.base}/dashboard/accounts/{account}/inbox")
        assert no_sideways_scroll(browser), width
        for item in browser.find_elements(By.CSS_SELECTOR, ".feed .item"):
            assert item.rect["height"] < 700, (width, item.text[:80])
    browser.set_window_size(1366, 900)
    spoof = next(e for e in browser.find_elements(By.CSS_SELECTOR, ".item") if "mallory" in e.text)
    name = spoof.find_element(By.CSS_SELECTOR, ".meta strong")
    handle = spoof.find_element(By.CSS_SELECTOR, ".meta .handle")
    assert name.value_of_css_property("unicode-bidi") == "isolate" or name.find_elements(
        By.TAG_NAME, "bdi"
    )
    # the reversed name stays in its own box: the handle still follows it on the line
    assert name.rect["x"] + name.rect["width"] <= handle.rect["x"] + 1
    assert handle.text == "@mallory"
    long_text = next(
        e for e in browser.find_elements(By.CSS_SELECTOR, ".item") if "show more" in e.text
    )
    go_open = long_text.find_element(By.CSS_SELECTOR, "details.more summary")
    go_open.click()
    assert long_text.rect["height"] > 700  # all of it, once asked for
    assert console_problems(browser) == []


def test_a_hostile_conversation_id_link_stays_on_its_conversation(
    browser: webdriver.Chrome, served: Served
) -> None:
    account = uuid.uuid4()
    hostile = "conv/../../../../jobs"
    dm = wire_item(
        9, account, datetime.now(UTC), kind="dm", content=None, conversation_id=hostile,
        intent=None, text="a message in a hostile conversation",
    )  # fmt: skip
    send(served, [dm])
    sign_in(browser, served.base)
    browser.get(f"{served.base}/dashboard/accounts/{account}/inbox")
    go(browser, link(browser, "Conversation"))
    assert "/dashboard/jobs" not in browser.current_url.split("?")[0]
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Conversation")
    assert "a message in a hostile conversation" in browser.page_source


def test_a_line_break_in_next_is_a_400_page(browser: webdriver.Chrome, served: Served) -> None:
    browser.get(f"{served.base}/dashboard/login?next=/dashboard/%0D%0ASet-Cookie:%20x=1")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Bad address"
    assert browser.get_cookie("x") is None


def test_cancel_after_the_card_refreshed_lands_on_the_job_page(
    browser: webdriver.Chrome, served: Served
) -> None:
    _, job = enabled(served, {"content": 50, "comments": 50_000, "dms": 5_000}, wait_done=False)
    sign_in(browser, served.base)
    browser.get(f"{served.base}/dashboard/jobs/{job}")
    browser.execute_script(
        "window.__swapped = false;"
        "document.body.addEventListener('htmx:afterSwap', () => { window.__swapped = true; });"
    )
    wait(browser).until(lambda d: d.execute_script("return window.__swapped"))
    go(browser, browser.find_element(By.CSS_SELECTOR, "#job-card button.secondary"))
    assert browser.current_url == f"{served.base}/dashboard/jobs/{job}"
    assert browser.find_element(By.CSS_SELECTOR, "header.top .brand")  # the page, styled
    assert "is cancelled" in browser.find_element(By.CSS_SELECTOR, ".flash").text


def test_a_thread_opened_from_a_reply_shows_its_parent_with_the_reply_marked(
    browser: webdriver.Chrome, served: Served
) -> None:
    account = uuid.uuid4()
    now = datetime.now(UTC)
    top = wire_item(20, account, now, text="the top comment")
    reply = wire_item(21, account, now, text="a reply to it", in_reply_to=top["platform_id"])
    send(served, [top, reply])
    sign_in(browser, served.base)
    browser.get(f"{served.base}/dashboard/accounts/{account}/inbox")
    item = next(
        e for e in browser.find_elements(By.CSS_SELECTOR, ".item") if "a reply to it" in e.text
    )
    go(browser, item.find_element(By.LINK_TEXT, "Thread"))
    texts = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".feed.thread .item")]
    assert "the top comment" in texts[0]
    marked = browser.find_element(By.CSS_SELECTOR, ".item.highlighted")
    assert "a reply to it" in marked.text


def test_purge_needs_a_second_step(browser: webdriver.Chrome, served: Served) -> None:
    account, _ = enabled(served, {"content": 2, "comments": 10, "dms": 2})
    sign_in(browser, served.base)
    browser.get(f"{served.base}/dashboard/")
    row = next(
        r for r in browser.find_elements(By.CSS_SELECTOR, "table tbody tr") if account in r.text
    )
    go(browser, row.find_element(By.XPATH, ".//button[.='Purge']"))
    assert "Purge demo mode" in browser.find_element(By.TAG_NAME, "h1").text
    state = requests.get(
        f"{served.base}/api/v1/accounts/{account}/demo", headers=BEARER, timeout=10
    )
    assert state.json()["enabled"] is True  # one click changed nothing
    go(browser, browser.find_element(By.XPATH, "//button[.='Purge its demo data']"))
    state = requests.get(
        f"{served.base}/api/v1/accounts/{account}/demo", headers=BEARER, timeout=10
    )
    assert state.json()["enabled"] is False


def test_the_sweeps_do_not_fill_the_jobs_list(browser: webdriver.Chrome, served: Served) -> None:
    sign_in(browser, served.base)
    for _ in range(2):
        browser.get(f"{served.base}/dashboard/schedules")
        row = browser.find_element(By.ID, "schedule-delivery-sweep")
        go(browser, row.find_element(By.XPATH, ".//button[.='Run now']"))
        go(browser, browser.find_element(By.XPATH, "//button[.='Run it now']"))
    go(browser, link(browser, "Jobs"))
    kinds = [
        e.text for e in browser.find_elements(By.CSS_SELECTOR, "table.jobs tbody td:nth-child(2)")
    ]
    assert "delivery.sweep" not in kinds
    assert "/?" not in browser.find_element(By.TAG_NAME, "main").text  # no "0/?" progress
    go(browser, link(browser, "List the sweeps"))
    kinds = [
        e.text for e in browser.find_elements(By.CSS_SELECTOR, "table.jobs tbody td:nth-child(2)")
    ]
    assert kinds.count("delivery.sweep") >= 2


def test_a_bad_filter_keeps_the_form_and_says_why(
    browser: webdriver.Chrome, served: Served
) -> None:
    sign_in(browser, served.base)
    browser.get(f"{served.base}/dashboard/jobs?account_id=not-an-id")
    assert "account_id" in browser.find_element(By.CSS_SELECTOR, "[role=alert]").text
    assert browser.find_element(By.NAME, "account_id").get_attribute("value") == "not-an-id"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Jobs"
    account, _ = enabled(served, {"content": 2, "comments": 10, "dms": 2})
    browser.get(f"{served.base}/dashboard/accounts/{account}/insights?days=lots")
    assert "days" in browser.find_element(By.CSS_SELECTOR, "[role=alert]").text
    assert browser.find_element(By.NAME, "days").get_attribute("value") == "lots"


def test_every_page_works_at_390_px_without_sideways_scroll(
    browser: webdriver.Chrome, served: Served
) -> None:
    account, job = enabled(served, {"content": 4, "comments": 60, "dms": 12})
    sign_in(browser, served.base)
    browser.get(f"{served.base}/dashboard/accounts/{account}/inbox?kind=comment")
    thread = browser.find_element(By.LINK_TEXT, "Thread").get_attribute("href")
    browser.get(f"{served.base}/dashboard/accounts/{account}/conversations")
    conversation = browser.find_element(By.LINK_TEXT, "Open").get_attribute("href")
    pages = {
        "accounts": "/dashboard/",
        "inbox": f"/dashboard/accounts/{account}/inbox",
        "thread": thread,
        "conversations": f"/dashboard/accounts/{account}/conversations",
        "conversation": conversation,
        "insights": f"/dashboard/accounts/{account}/insights",
        "jobs": "/dashboard/jobs",
        "job": f"/dashboard/jobs/{job}",
        "schedules": "/dashboard/schedules",
        "deliveries": "/dashboard/deliveries",
        "docs": "/docs",
    }
    shots = os.environ.get("DEMOSIM_SCREENSHOTS")
    for width in (1366, 390):
        browser.set_window_size(width, 900)
        for name, page in pages.items():
            browser.get(page if page.startswith("http") else f"{served.base}{page}")
            if name == "docs":
                wait(browser).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".swagger-ui .info"))
            assert no_sideways_scroll(browser), (name, width)
            if shots:
                height = browser.execute_script("return document.documentElement.scrollHeight")
                browser.set_window_size(width, min(max(height, 600), 4000))
                browser.save_screenshot(str(Path(shots) / f"{name}-{width}.png"))
                browser.set_window_size(width, 900)
    assert console_problems(browser) == []
