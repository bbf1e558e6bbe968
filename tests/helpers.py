"""Builders shared by unit and integration tests."""

import base64
import json
import os
import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from http.server import HTTPServer
from typing import Any

from app.adapters.webhooks.signing import sign
from app.domain.inbox import (
    Author,
    ContentRef,
    Intent,
    InteractionKind,
    Platform,
    Sentiment,
    WebhookInteraction,
)

API_TOKEN = base64.urlsafe_b64encode(os.urandom(24)).decode()
WEBHOOK_SECRET = "whsec_" + base64.b64encode(os.urandom(32)).decode()


def no_creators(account_id: uuid.UUID) -> Author:
    """A routing sender's creators where no X account is routed: never asked."""
    raise AssertionError(f"no X account is routed here ({account_id})")


@contextmanager
def serving(server: HTTPServer) -> Iterator[str]:
    """A server on 127.0.0.1 answering from a thread of its own: its base URL, while in use."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@dataclass
class FixedClock:
    at: datetime

    def now(self) -> datetime:
        return self.at


def wire_item(n: int, account_id: uuid.UUID, at: datetime, **overrides: Any) -> dict[str, Any]:
    """One webhook item as a sender puts it on the wire."""
    item: dict[str, Any] = {
        "account_id": str(account_id),
        "platform": "youtube",
        "platform_id": f"yt-comment-{n}",
        "kind": "comment",
        "author": {"handle": f"fan{n % 7}", "display_name": f"Fan {n % 7}"},
        "text": f"comment number {n}",
        "occurred_at": at.isoformat(),
        "content": {"platform_id": f"video-{n % 3}", "title": f"Video {n % 3}"},
        "intent": "praise",
        "sentiment": "positive",
        "is_demo": True,
    }
    item.update(overrides)
    return item


def batch_body(items: list[dict[str, Any]]) -> bytes:
    return json.dumps({"type": "interactions.created", "data": items}).encode()


def signed_headers(
    body: bytes, webhook_id: str | None = None, at: datetime | None = None, secret: str = ""
) -> dict[str, str]:
    headers = sign(
        secret or WEBHOOK_SECRET,
        webhook_id or f"msg_{uuid.uuid4().hex}",
        body,
        at or datetime.now(UTC),
    )
    return {**headers, "Content-Type": "application/json"}


def incoming(
    platform_id: str,
    account_id: uuid.UUID,
    at: datetime,
    kind: InteractionKind = InteractionKind.COMMENT,
    content: ContentRef | None = None,
    intent: Intent | None = None,
    sentiment: Sentiment | None = None,
    is_demo: bool = True,
) -> WebhookInteraction:
    if kind is InteractionKind.COMMENT and content is None:
        content = ContentRef("video-1", "Video one")
    return WebhookInteraction(
        account_id=account_id,
        platform=Platform.YOUTUBE,
        platform_id=platform_id,
        kind=kind,
        author=Author("fan", "A Fan"),
        text=f"text of {platform_id}",
        occurred_at=at,
        content=content,
        intent=intent,
        sentiment=sentiment,
        is_demo=is_demo,
    )


# Insights over a hand-computed fixture: the clock reads 2026-03-10 12:00 UTC, days=3,
# so the window is 2026-03-08 00:00 UTC .. now.
INSIGHTS_NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
INSIGHTS_ACCOUNT = uuid.UUID("00000000-0000-4000-8000-00000000a11c")
OTHER_ACCOUNT = uuid.UUID("00000000-0000-4000-8000-0000000000b0")
V1 = ContentRef("v1", "Video one")
V2 = ContentRef("v2", "Video two")
C, DM = InteractionKind.COMMENT, InteractionKind.DM


def insights_fixture() -> list[WebhookInteraction]:
    plus2 = timezone(timedelta(hours=2))
    a = INSIGHTS_ACCOUNT
    return [
        incoming(
            "A", a, datetime(2026, 3, 10, 9, tzinfo=UTC), C, V1, Intent.PRAISE, Sentiment.POSITIVE
        ),
        incoming(
            "B",
            a,
            datetime(2026, 3, 9, 23, 30, tzinfo=UTC),
            C,
            V1,
            Intent.QUESTION,
            Sentiment.NEUTRAL,
        ),
        # on the window's first instant: counted
        incoming(
            "C",
            a,
            datetime(2026, 3, 8, tzinfo=UTC),
            C,
            V2,
            Intent.COMPLAINT,
            Sentiment.NEGATIVE,
            is_demo=False,
        ),
        # 01:00 at +02:00 is 23:00 UTC the day before: counted on 2026-03-08
        incoming(
            "D",
            a,
            datetime(2026, 3, 9, 1, tzinfo=plus2),
            DM,
            None,
            Intent.SUPPORT,
            Sentiment.NEGATIVE,
        ),
        # one second before the window
        incoming(
            "E",
            a,
            datetime(2026, 3, 7, 23, 59, 59, tzinfo=UTC),
            C,
            V2,
            Intent.PRAISE,
            Sentiment.POSITIVE,
        ),
        # another account
        incoming(
            "F",
            OTHER_ACCOUNT,
            datetime(2026, 3, 9, tzinfo=UTC),
            DM,
            None,
            Intent.SPAM,
            Sentiment.NEUTRAL,
        ),
        # no labels, not demo
        incoming(
            "G", a, datetime(2026, 3, 10, 11, tzinfo=UTC), DM, None, None, None, is_demo=False
        ),
        # after "now"
        incoming(
            "H", a, datetime(2026, 3, 10, 13, tzinfo=UTC), C, V1, Intent.PRAISE, Sentiment.POSITIVE
        ),
    ]


INSIGHTS_EXPECTED: dict[str, Any] = {
    "total": 5,
    "totals": {"comment": 3, "dm": 2},
    "per_day": [
        {"date": "2026-03-08", "comments": 1, "dms": 1, "total": 2},
        {"date": "2026-03-09", "comments": 1, "dms": 0, "total": 1},
        {"date": "2026-03-10", "comments": 1, "dms": 1, "total": 2},
    ],
    "top_content": [
        {"platform_id": "v1", "title": "Video one", "comments": 2},
        {"platform_id": "v2", "title": "Video two", "comments": 1},
    ],
    "intents": {"praise": 1, "question": 1, "complaint": 1, "support": 1, "unlabelled": 1},
    "sentiments": {"positive": 1, "neutral": 1, "negative": 2, "unlabelled": 1},
    "demo": 3,
    "demo_share": 0.6,
}


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(client: Any, path: str) -> str:
    """The dashboard form's CSRF token on the page at `path`."""
    page = client.get(path)
    found = CSRF.search(page.get_data(as_text=True))
    assert found, f"no CSRF token on {path}"
    return found.group(1)
