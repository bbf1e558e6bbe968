"""The dashboard in a real headless Chromium, as a person uses it."""

import uuid

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as seen
from selenium.webdriver.support.ui import Select, WebDriverWait

from helpers import API_TOKEN, WEBHOOK_SECRET
from ui.conftest import Served, console_problems, requested_urls

pytestmark = pytest.mark.integration


def wait(driver: webdriver.Chrome, seconds: float = 20) -> WebDriverWait:  # type: ignore[type-arg]
    return WebDriverWait(driver, seconds, poll_frequency=0.2)


def go(driver: webdriver.Chrome, element: WebElement) -> None:
    """Click what loads a page, and wait until the new one has replaced the old."""
    driver.execute_script("window.__old_page = true")
    element.click()

    def replaced(d: webdriver.Chrome) -> bool:
        ready = d.execute_script("return document.readyState === 'complete' && !window.__old_page")
        return bool(ready)

    WebDriverWait(driver, 20, 0.1, ignored_exceptions=(WebDriverException,)).until(replaced)


def sign_in(driver: webdriver.Chrome, base: str, token: str = API_TOKEN) -> None:
    driver.get(f"{base}/dashboard/")
    field = driver.find_element(By.NAME, "token")
    assert field.get_attribute("type") == "password"
    field.send_keys(token)
    go(driver, driver.find_element(By.CSS_SELECTOR, "form.card button[type=submit]"))


def link(driver: webdriver.Chrome, text: str) -> WebElement:
    return driver.find_element(By.LINK_TEXT, text)


def test_a_wrong_token_is_refused_with_a_message(browser: webdriver.Chrome, served: Served) -> None:
    sign_in(browser, served.base, "certainly-not-the-token")
    alert = browser.find_element(By.CSS_SELECTOR, "[role=alert]")
    assert "That is not the API token" in alert.text
    assert browser.find_elements(By.NAME, "token")  # still the sign-in page
    # the one error is the refused sign-in itself (401)
    assert [m for m in console_problems(browser) if "401" not in m] == []


def test_a_person_enables_demo_mode_watches_it_fill_and_reads_the_inbox(
    browser: webdriver.Chrome, served: Served
) -> None:
    base = served.base
    sign_in(browser, base)
    assert browser.find_element(By.XPATH, "//button[.='Sign out']")

    # enable demo mode for a new account from the page
    account = str(uuid.uuid4())
    enable = browser.find_element(By.ID, "enable")
    if enable.get_attribute("open") is None:  # behind its button once accounts are listed
        enable.find_element(By.TAG_NAME, "summary").click()
    form = browser.find_element(By.ID, "enable-form")
    field = form.find_element(By.NAME, "account_id")
    field.clear()
    field.send_keys(account)
    Select(form.find_element(By.NAME, "persona")).select_by_visible_text("cooking")
    Select(form.find_element(By.NAME, "dm_frequency")).select_by_visible_text("high")
    for name, value in (("content", "6"), ("comments", "240"), ("dms", "60")):
        form.find_element(By.NAME, name).send_keys(value)
    go(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "Demo mode on for" in browser.find_element(By.CSS_SELECTOR, ".flash").text

    # its job's progress reaches done without reloading the page
    browser.execute_script("window.__stayed = true")
    wait(browser, 90).until(
        seen.text_to_be_present_in_element((By.CSS_SELECTOR, "#job-card .status"), "succeeded")
    )
    assert browser.execute_script("return window.__stayed") is True
    bar = browser.find_element(By.CSS_SELECTOR, "#job-card progress")
    assert bar.get_attribute("value") == "100"

    # the inbox: comments with their labels, a thread, a DM conversation
    go(browser, link(browser, account))
    assert browser.find_elements(By.CSS_SELECTOR, ".item .badge.demo")
    assert browser.find_elements(By.CSS_SELECTOR, ".item .label.intent")
    replies = browser.find_elements(By.CSS_SELECTOR, ".item.comment.reply")
    assert replies, "no reply among the newest comments"
    go(browser, replies[0].find_element(By.LINK_TEXT, "Thread"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Thread"
    thread = browser.find_elements(By.CSS_SELECTOR, ".feed.thread .item")
    assert len(thread) >= 1
    go(browser, link(browser, "Inbox"))
    Select(browser.find_element(By.NAME, "kind")).select_by_visible_text("dm")
    go(browser, browser.find_element(By.CSS_SELECTOR, "#inbox-filters button"))
    kinds = {e.text for e in browser.find_elements(By.CSS_SELECTOR, ".item .kind")}
    assert kinds == {"dm"}
    go(browser, link(browser, "Conversations"))
    rows = browser.find_elements(By.CSS_SELECTOR, "table.conversations tbody tr")
    longest = max(rows, key=lambda r: int(r.find_elements(By.TAG_NAME, "td")[1].text))
    count = int(longest.find_elements(By.TAG_NAME, "td")[1].text)
    assert count >= 2
    go(browser, longest.find_element(By.LINK_TEXT, "Open"))
    messages = browser.find_elements(By.CSS_SELECTOR, ".chat .message")
    assert len(messages) == count
    assert browser.find_elements(By.CSS_SELECTOR, ".chat .message.mine")  # the creator answered

    # insights: the charts are drawn
    browser.get(f"{base}/dashboard/accounts/{account}/insights?days=40")
    bars = browser.find_elements(By.CSS_SELECTOR, "svg.volume rect.bar")
    drawn = [b for b in bars if b.rect["height"] > 0 and b.rect["width"] > 0]
    assert len(drawn) >= 5
    for chart in ("intent mix", "sentiment mix", "language mix"):
        svg = browser.find_element(By.CSS_SELECTOR, f"svg[aria-label='{chart}']")
        assert [r for r in svg.find_elements(By.TAG_NAME, "rect") if r.rect["width"] > 1]
    assert "240" in browser.find_element(By.CSS_SELECTOR, ".figures").text

    # nothing left the origin, nothing went wrong in the console, no secret on any page
    urls = requested_urls(browser)
    assert urls
    assert [u for u in urls if not u.startswith((base, "data:"))] == []
    assert console_problems(browser) == []
    assert API_TOKEN not in browser.page_source
    assert WEBHOOK_SECRET not in browser.page_source


def test_a_schedule_is_paused_and_resumed(browser: webdriver.Chrome, served: Served) -> None:
    sign_in(browser, served.base)
    go(browser, link(browser, "Schedules"))
    row = browser.find_element(By.ID, "schedule-ongoing-interactions")
    assert row.find_element(By.CSS_SELECTOR, ".state").text == "active"
    go(browser, row.find_element(By.XPATH, ".//button[.='Pause']"))
    row = browser.find_element(By.ID, "schedule-ongoing-interactions")
    assert row.find_element(By.CSS_SELECTOR, ".state").text == "paused"
    assert "paused" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    go(browser, row.find_element(By.XPATH, ".//button[.='Resume']"))
    row = browser.find_element(By.ID, "schedule-ongoing-interactions")
    assert row.find_element(By.CSS_SELECTOR, ".state").text == "active"
    cron = row.find_element(By.NAME, "cron")
    cron.clear()
    cron.send_keys("99 * * * *")
    go(browser, row.find_element(By.XPATH, ".//button[.='Re-time']"))
    assert "not changed: cron" in browser.find_element(By.CSS_SELECTOR, "[role=alert]").text
    # the one error is the refused form itself (422)
    assert [m for m in console_problems(browser) if "422" not in m] == []


def test_signing_out_ends_the_session(browser: webdriver.Chrome, served: Served) -> None:
    sign_in(browser, served.base)
    go(browser, browser.find_element(By.XPATH, "//button[.='Sign out']"))
    assert "Signed out" in browser.find_element(By.CSS_SELECTOR, ".flash").text
    browser.get(f"{served.base}/dashboard/jobs")
    assert browser.find_elements(By.NAME, "token")  # back to signing in
    assert console_problems(browser) == []


def test_the_api_docs_are_served_from_here(browser: webdriver.Chrome, served: Served) -> None:
    browser.get(f"{served.base}/docs")
    wait(browser).until(seen.presence_of_element_located((By.CSS_SELECTOR, ".swagger-ui .info")))
    urls = requested_urls(browser)
    assert [u for u in urls if not u.startswith((served.base, "data:"))] == []
    assert console_problems(browser) == []
