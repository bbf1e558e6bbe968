"""Metrics across processes, JSON logs with their ids, and `demosim serve` as a person runs it."""

import contextlib
import json
import os
import re
import signal
import subprocess
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import psutil
import pytest
import requests

from app.config import Settings
from app.entrypoints.processes import CLI, free_port
from helpers import API_TOKEN, WEBHOOK_SECRET, batch_body, signed_headers, wire_item
from integration.support import wait_for

pytestmark = pytest.mark.integration
AUTH = {"Authorization": f"Bearer {API_TOKEN}"}


def env_for(settings: Settings, **more: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))},
        "DATABASE_URL": settings.database_url or "",
        "REDIS_URL": settings.redis_url or "",
        "DEMOSIM_API_TOKEN": API_TOKEN,
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
        **more,
    }


def wait_ready(base: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    def ready() -> bool:
        assert proc.poll() is None, log.read_text()
        try:
            return requests.get(f"{base}/readyz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    wait_for(ready, 60, "the API")


@pytest.fixture
def stack(settings: Settings, tmp_path: Path) -> Iterator[tuple[str, Path, dict[str, str]]]:
    """gunicorn with two workers and one `demosim worker`, counting into one metrics dir."""
    metrics = tmp_path / "metrics"
    metrics.mkdir()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = env_for(
        settings,
        PROMETHEUS_MULTIPROC_DIR=str(metrics),
        WEBHOOK_TARGET_URL=f"{base}/webhooks/interactions",
        LOG_FORMAT="json",
    )
    log = tmp_path / "stack.log"
    out = open(log, "wb")  # noqa: SIM115 - closed below
    api = subprocess.Popen(
        ["gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "app.entrypoints.http.wsgi:create()"],
        env={**env, "PATH": f"{Path(CLI[0]).parent}:{env.get('PATH', '')}"},
        stdout=out,
        stderr=out,
    )
    worker = subprocess.Popen([*CLI, "worker"], env=env, stdout=out, stderr=out)
    try:
        wait_ready(base, api, log)
        yield base, log, env
    finally:
        out.close()
        # the worker first: its jobs deliver to the API; then the API
        stopped = [_stop(worker, log), _stop(api, log)]
        problems = [p for p in stopped if p]
        assert not problems, "\n".join(problems)


def _stop(proc: subprocess.Popen[bytes], log: Path) -> str | None:
    """SIGTERM, then 30 s to exit: what hung (killed, so nothing is left) with the log's end."""
    proc.terminate()
    try:
        proc.wait(timeout=30)
        return None
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
        tail = log.read_text(errors="replace").splitlines()[-40:]
        return f"{proc.args} did not stop within 30 s of SIGTERM; the log ends:\n" + "\n".join(tail)


def scrape(base: str) -> dict[str, float]:
    text = requests.get(f"{base}/metrics", headers=AUTH, timeout=10).text
    found = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            found[name] = float(value)
    return found


def test_metrics_count_across_gunicorn_workers_and_work_horses(
    stack: tuple[str, Path, dict[str, str]], tmp_path: Path
) -> None:
    base, _, _ = stack
    assert requests.get(f"{base}/metrics", timeout=10).status_code == 401
    account = uuid.uuid4()
    now = datetime.now(UTC)
    bodies = [
        batch_body([wire_item(n, account, now) for n in range(k * 4, k * 4 + 4)]) for k in range(10)
    ]
    # every batch twice (a re-send: 4 duplicates), from threads, so both workers take some
    sends = [(body, f"msg_{i}_{r}") for i, body in enumerate(bodies) for r in range(2)]

    def send(what: tuple[bytes, str]) -> int:
        body, webhook_id = what
        headers = signed_headers(body, webhook_id)
        return requests.post(
            f"{base}/webhooks/interactions", data=body, headers=headers, timeout=30
        ).status_code

    def counting() -> set[str]:  # the processes that counted received items
        return {re.sub(r"\D", "", p.name) for p in (tmp_path / "metrics").glob("counter_*.db")}

    with ThreadPoolExecutor(4) as pool:
        assert set(pool.map(send, sends)) == {200}
        # gunicorn lets whichever worker is free take a connection: re-send (duplicates
        # only) until both have taken some, and count those too
        extra = 0
        while len(counting()) < 2 and extra < 400:
            more = [(bodies[0], f"msg_more_{extra + i}") for i in range(8)]
            assert set(pool.map(send, more)) == {200}
            extra += len(more)
    assert len(counting()) >= 2, "one gunicorn worker took every request"
    found = scrape(base)
    assert found['demosim_receiver_items_total{status="created"}'] == 40
    assert found['demosim_receiver_items_total{status="duplicate"}'] == 40 + 4 * extra
    route = 'method="POST",route="/webhooks/interactions",status="200"'
    assert found[f"demosim_http_request_duration_seconds_count{{{route}}}"] == 20 + extra

    # a job the worker runs (in a work horse), and the outbox read at scrape time
    answer = requests.put(
        f"{base}/api/v1/accounts/{uuid.uuid4()}/demo",
        json={"sizes": {"content": 2, "comments": 12, "dms": 3}},
        headers=AUTH,
        timeout=30,
    )
    assert answer.status_code == 202
    job_url = f"{base}{answer.headers['Location']}"
    wait_for(
        lambda: requests.get(job_url, headers=AUTH, timeout=10).json()["status"] == "succeeded",
        60,
        "the initial batch",
    )
    found = wait_for(
        lambda: (
            (f := scrape(base)).get(
                'demosim_jobs_total{kind="demo.initial_batch",status="succeeded"}'
            )
            == 1
            and f
        ),
        30,
        "the job counted",
    )
    assert found['demosim_job_duration_seconds_count{kind="demo.initial_batch"}'] == 1
    assert found['demosim_delivery_attempts_total{outcome="sent"}'] == 15
    assert found['demosim_outbox_rows{status="sent"}'] == 15
    assert found['demosim_outbox_rows{status="queued"}'] == 0
    assert found['demosim_receiver_items_total{status="created"}'] == 40 + 15
    assert found['demosim_receiver_items_total{status="duplicate"}'] == 40 + 4 * extra


def test_json_logs_carry_the_request_id_and_the_job_id(
    stack: tuple[str, Path, dict[str, str]],
) -> None:
    base, log, _ = stack
    mine = "req-" + uuid.uuid4().hex[:12]
    answer = requests.get(
        f"{base}/api/v1/jobs/{uuid.uuid4()}", headers={**AUTH, "X-Request-ID": mine}, timeout=10
    )
    assert answer.status_code == 404
    assert answer.headers["X-Request-ID"] == mine
    generated = requests.get(f"{base}/readyz", timeout=10).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    hostile = requests.get(f"{base}/readyz", headers={"X-Request-ID": "x" * 500}, timeout=10)
    assert hostile.headers["X-Request-ID"] != "x" * 500  # not echoed: one of ours instead
    answer = requests.put(
        f"{base}/api/v1/accounts/{uuid.uuid4()}/demo",
        json={"sizes": {"content": 1, "comments": 4, "dms": 1}},
        headers={**AUTH, "X-Request-ID": mine},
        timeout=30,
    )
    job_id = answer.json()["job"]["id"]
    job_url = f"{base}/api/v1/jobs/{job_id}"
    wait_for(
        lambda: requests.get(job_url, headers=AUTH, timeout=10).json()["status"] == "succeeded",
        60,
        "the job",
    )

    def records() -> list[dict[str, object]]:
        lines = [ln for ln in log.read_text().splitlines() if ln.startswith("{")]
        return [json.loads(ln) for ln in lines]

    def job_lines() -> list[dict[str, object]]:
        return [r for r in records() if r.get("job_id") == job_id]

    assert wait_for(job_lines, 20, "a log line of the job")
    for record in records():
        assert {"time", "level", "logger", "message"} <= set(record)
    assert any(r.get("request_id") == mine for r in records())  # the API logged the job


def test_make_serve_answers_on_the_printed_url_and_ctrl_c_leaves_nothing(
    settings: Settings, tmp_path: Path
) -> None:
    port = free_port()
    env = {**env_for(settings, DEMOSIM_HOME=str(tmp_path)), "COLUMNS": "200"}
    env.pop("DEMOSIM_API_TOKEN")
    env.pop("WEBHOOK_SECRET")
    out = tmp_path / "serve.out"
    with open(out, "wb") as sink:
        proc = subprocess.Popen(
            [*CLI, "serve", "--port", str(port)], env=env, stdout=sink, stderr=sink
        )
        try:
            printed = wait_for(  # the last line of the greeting: all of it is printed
                lambda: (
                    "stop: Ctrl-C" in out.read_text()
                    and re.search(r"dashboard: (\S+)", out.read_text())
                ),
                60,
                "the printed URL",
            )
            url = printed.group(1)
            credentials = tmp_path / "credentials"
            assert credentials.stat().st_mode & 0o777 == 0o600
            token = re.search(r"DEMOSIM_API_TOKEN=(\S+)", credentials.read_text()).group(1)  # type: ignore[union-attr]
            assert f"sign in with the API token: {token}" in out.read_text()
            page = requests.get(url, timeout=10)
            assert page.status_code == 200
            assert 'type="password"' in page.text
            api = requests.get(
                f"{url.rsplit('/', 1)[0]}/api/v1/jobs",
                headers={"Authorization": f"Bearer {token}"},
                timeout=10,
            )
            assert api.status_code == 200
            family = [proc.pid, *(c.pid for c in psutil.Process(proc.pid).children(recursive=True))]
            assert len(family) >= 5  # itself, gunicorn and its two workers, worker, scheduler
        finally:
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=60) == 0
    alive = []
    for pid in family:
        with contextlib.suppress(psutil.NoSuchProcess):
            alive.append(psutil.Process(pid))
    _, still = psutil.wait_procs(alive, timeout=30)  # the children's ends, not a guess
    left = [p.pid for p in still if p.status() != psutil.STATUS_ZOMBIE]
    assert left == [], out.read_text()
    assert "stopped" in out.read_text()
    # a second start reuses the token
    assert token in (tmp_path / "credentials").read_text()
