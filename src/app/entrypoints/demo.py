"""`demosim demo`: start the API, send it a signed sample batch, show what the inbox holds.

Until demo generation exists this sends a small fixed sample; it already runs the real path:
migrations, the API in its own process, Standard Webhooks signing, the receiver, the inbox API.
"""

import base64
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from rich.console import Console
from rich.table import Table

from app.adapters.db.migrations import upgrade
from app.adapters.webhooks import sign
from app.bootstrap import bootstrap, servers
from app.config import Settings

SAMPLE_ACCOUNT = uuid.uuid5(uuid.NAMESPACE_URL, "demosim:sample-account")

_COMMENTS = [
    ("Finally someone explains this properly 🙌", "praise", "positive"),
    ("Where can I buy the one you used at 3:12?", "purchase_intent", "positive"),
    ("audio is way too quiet in the second half", "complaint", "negative"),
    ("Does this work on the older model too?", "question", "neutral"),
    ("Check my channel for free giveaways!!!", "spam", "neutral"),
    ("been waiting for this one, thx", "praise", "positive"),
]
_DMS = [
    (
        "Hi! We'd love to collaborate on a sponsored video, who do I talk to?",
        "collab_request",
        "positive",
    ),
    ("My order never arrived, can you help?", "support", "negative"),
    ("Quick question about your camera settings", "question", "neutral"),
]


def sample_batch(now: datetime, run: str) -> list[dict[str, Any]]:
    """Three videos with comments, and a few DMs, for the sample account; new ids each run."""
    items: list[dict[str, Any]] = []
    for v in range(3):
        video = {"platform_id": f"sample-{run}-video-{v}", "title": f"Sample video #{v + 1}"}
        for n in range(8):
            text, intent, sentiment = _COMMENTS[(v + n) % len(_COMMENTS)]
            items.append(
                _item(
                    f"sample-{run}-comment-{v}-{n}",
                    "comment",
                    text,
                    intent,
                    sentiment,
                    now - timedelta(days=v, hours=n),
                    content=video,
                )
            )
    for n in range(6):
        text, intent, sentiment = _DMS[n % len(_DMS)]
        items.append(
            _item(
                f"sample-{run}-dm-{n}", "dm", text, intent, sentiment, now - timedelta(hours=5 * n)
            )
        )
    return items


def _item(
    platform_id: str,
    kind: str,
    text: str,
    intent: str,
    sentiment: str,
    at: datetime,
    content: dict[str, str] | None = None,
) -> dict[str, Any]:
    fan = f"fan_{int(uuid.uuid5(SAMPLE_ACCOUNT, platform_id)) % 97:02d}"
    return {
        "account_id": str(SAMPLE_ACCOUNT),
        "platform": "youtube",
        "platform_id": platform_id,
        "kind": kind,
        "author": {"handle": fan, "display_name": fan.replace("_", " ").title()},
        "text": text,
        "occurred_at": at.isoformat(),
        "content": content,
        "intent": intent,
        "sentiment": sentiment,
        "is_demo": True,
    }


def run_demo(settings: Settings) -> int:
    console = Console()
    started = time.monotonic()
    settings = replace(
        settings,
        api_token=settings.api_token or secrets.token_urlsafe(24),
        webhook_secret=settings.webhook_secret
        or "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode(),
    )
    with servers(settings) as resolved:
        container = bootstrap(resolved)
        try:
            upgrade(container.engine)
        finally:
            container.close()
        console.print("[green]✓[/] database migrated")
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        api = _start_api(resolved, port)
        try:
            _wait_ready(base, api)
            console.print(f"[green]✓[/] API ready at {base}")
            return _exercise(console, resolved, base, started)
        except DemoFailed as exc:
            console.print(f"[red]demo failed:[/] {exc}")
            return 1
        finally:
            api.terminate()
            api.wait(timeout=15)


class DemoFailed(Exception):
    pass


def _exercise(console: Console, settings: Settings, base: str, started: float) -> int:
    assert settings.webhook_secret is not None
    batch = sample_batch(datetime.now(UTC), uuid.uuid4().hex[:8])
    body = json.dumps({"type": "interactions.created", "data": batch}).encode()
    webhook_id = f"msg_{uuid.uuid4().hex}"
    outcomes = []
    for attempt in ("first delivery", "re-send of the same message"):
        headers = sign(settings.webhook_secret, webhook_id, body, datetime.now(UTC))
        response = requests.post(
            f"{base}/webhooks/interactions",
            data=body,
            timeout=30,
            headers={**headers, "Content-Type": "application/json"},
        )
        if response.status_code != 200:
            raise DemoFailed(
                f"{attempt}: receiver answered {response.status_code}: {response.text}"
            )
        outcomes.append(response.json())
        console.print(f"[green]✓[/] {attempt}: {len(batch)} interactions signed and sent")
    auth = {"Authorization": f"Bearer {settings.api_token}"}
    inbox = requests.get(
        f"{base}/api/v1/accounts/{SAMPLE_ACCOUNT}/interactions",
        params={"limit": 8},
        headers=auth,
        timeout=30,
    )
    insights = requests.get(
        f"{base}/api/v1/accounts/{SAMPLE_ACCOUNT}/insights",
        params={"days": 7},
        headers=auth,
        timeout=30,
    )
    for what, response in (("inbox", inbox), ("insights", insights)):
        if response.status_code != 200:
            raise DemoFailed(f"{what}: API answered {response.status_code}: {response.text}")

    latest = Table(title="Newest in the inbox")
    for column in ("when", "kind", "from", "text", "intent"):
        latest.add_column(column)
    for item in inbox.json()["items"]:
        latest.add_row(
            item["occurred_at"][:16],
            item["kind"],
            item["author"]["handle"],
            item["text"],
            item["intent"],
        )
    console.print(latest)

    stats = insights.json()
    summary = Table(title="Summary", show_header=False)
    created = sum(i["status"] == "created" for o in outcomes for i in o["items"])
    duplicates = sum(i["status"] == "duplicate" for o in outcomes for i in o["items"])
    for label, value in (
        ("sent", str(2 * len(batch))),
        ("created at the inbox", str(created)),
        ("duplicates recognised", str(duplicates)),
        ("inbox total (7 days)", str(stats["total"])),
        ("comments / dms", f"{stats['totals']['comment']} / {stats['totals']['dm']}"),
        ("demo share", f"{stats['demo_share']:.0%}"),
        ("wall time", f"{time.monotonic() - started:.1f} s"),
        ("next", "`demosim api`, then open http://127.0.0.1:8000/docs"),
    ):
        summary.add_row(label, value)
    console.print(summary)
    if duplicates < len(batch):
        raise DemoFailed("the re-sent message was not recognised as duplicates")
    return 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _start_api(settings: Settings, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url or "",
        "REDIS_URL": settings.redis_url or "",
        "DEMOSIM_API_TOKEN": settings.api_token or "",
        "WEBHOOK_SECRET": settings.webhook_secret or "",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "app.entrypoints.cli", "api", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _wait_ready(base: str, api: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if api.poll() is not None:
            err = api.stderr.read().decode() if api.stderr else ""
            raise DemoFailed(f"the API exited with {api.returncode}: {err.strip()[-500:]}")
        try:
            if requests.get(f"{base}/readyz", timeout=2).status_code == 200:
                return
        except requests.RequestException:  # not up yet, or busy starting
            pass
        time.sleep(0.2)
    raise DemoFailed(f"the API was not ready within {seconds:.0f} s")
