"""Browser tests: `demosim serve` on a scratch database, driven by a real headless Chromium
(Debian's chromium and chromium-driver) through Selenium. Run them with `make test-ui`."""

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from app.config import Settings
from app.entrypoints.processes import CLI, free_port
from helpers import API_TOKEN, WEBHOOK_SECRET

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")


@dataclass
class Served:
    base: str
    process: subprocess.Popen[bytes]
    home: Path


@pytest.fixture(scope="session")
def served(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The whole service as a person runs it: API, worker and scheduler."""
    home = tmp_path_factory.mktemp("serve-home")
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url or "",
        "REDIS_URL": settings.redis_url or "",
        "DEMOSIM_API_TOKEN": API_TOKEN,
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
        "DEMOSIM_HOME": str(home),
        # as behind one proxy: a test speaks for another client with X-Forwarded-For
        "TRUSTED_PROXIES": "1",
    }
    out = open(home / "serve.out", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [*CLI, "serve", "--port", str(port)], env=env, stdout=out, stderr=out
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, (home / "serve.out").read_text()
        try:
            if requests.get(f"{base}/readyz", timeout=2).status_code == 200:
                break
        except requests.RequestException:
            pass
        time.sleep(0.3)
    else:
        pytest.fail(f"demosim serve did not answer: {(home / 'serve.out').read_text()}")
    try:
        yield Served(base, process, home)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
        out.close()


@pytest.fixture
def browser(served: Served) -> Iterator[webdriver.Chrome]:
    if not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)):
        pytest.fail(
            f"no {CHROMIUM} / {CHROMEDRIVER}: apt-get install chromium chromium-driver "
            "(make test-ui needs a real browser)"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,1400",
        "--no-first-run",
        "--disable-extensions",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()


def requested_urls(driver: webdriver.Chrome) -> list[str]:
    """Every URL the page asked for since the last call (Chrome's performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def responses(driver: webdriver.Chrome) -> list[tuple[str, int, dict[str, str]]]:
    """Every response the page received since the last call: URL, status and headers (header
    names in lower case), from Chrome's performance log."""
    found = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.responseReceived":
            response = message["params"]["response"]
            headers = {k.lower(): v for k, v in response["headers"].items()}
            found.append((response["url"], response["status"], headers))
    return found


def console_problems(driver: webdriver.Chrome) -> list[str]:
    """Errors and warnings in the browser's console since the last call."""
    return [e["message"] for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
