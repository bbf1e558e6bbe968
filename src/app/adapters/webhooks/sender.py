"""Sending batches of the outbox as signed webhook messages over HTTP."""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

import orjson
import urllib3

from app.adapters.webhooks.signing import sign
from app.adapters.webhooks.wire import dump_batch
from app.domain.delivery import OutboxInteraction, SendOutcome
from app.domain.inbox import WebhookInteraction


class HttpWebhookSender:
    """POSTs one signed message per batch; signs at send time, so every attempt is fresh.
    Straight through urllib3's connection pool (requests' own work per request, preparing it,
    its hooks and cookies, was half a worker's time spent sending); no retries and no
    redirects followed: the outbox decides what happens next."""

    def __init__(
        self,
        target_url: str,
        secret: str,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        timeout: tuple[float, float] = (5.0, 30.0),
    ) -> None:
        self._url = target_url
        self._secret = secret
        self._now = now
        self._timeout = urllib3.Timeout(connect=timeout[0], read=timeout[1])
        self._http = urllib3.PoolManager()

    def send(self, webhook_id: str, items: Sequence[OutboxInteraction]) -> SendOutcome:
        [body] = self.payloads([i.data for i in items])
        headers = self.headers(webhook_id, body, self._now())
        return post(self._http, self._url, body, headers, self._timeout, self._now)

    def payloads(self, items: Sequence[WebhookInteraction]) -> list[bytes]:
        """The one body a batch is sent as."""
        return [orjson.dumps(dump_batch(list(items)))]  # compact, written in C

    def headers(self, webhook_id: str, body: bytes, at: datetime) -> dict[str, str]:
        return {**sign(self._secret, webhook_id, body, at), "Content-Type": "application/json"}


def post(
    http: urllib3.PoolManager,
    url: str,
    body: bytes,
    headers: dict[str, str],
    timeout: urllib3.Timeout,
    now: Callable[[], datetime],
) -> SendOutcome:
    """One POST and what its answer means for the outbox: no retries, no redirects followed."""
    try:
        response = http.request(
            "POST", url, body=body, headers=headers, timeout=timeout, retries=False, redirect=False
        )
    except urllib3.exceptions.HTTPError as exc:  # refused, reset, timed out, …
        return SendOutcome(ok=False, error=f"{type(exc).__name__}: {exc}"[:500])
    code = response.status
    if 200 <= code < 300:
        return SendOutcome(ok=True, status_code=code)
    text = response.data.decode("utf-8", "replace")
    return SendOutcome(
        ok=False,
        status_code=code,
        error=f"HTTP {code}: {text[:300]}",
        retry_after=_retry_after(response.headers.get("Retry-After"), now()),
        permanent=code == 410,
    )


def _retry_after(value: str | None, now: datetime) -> timedelta | None:
    """Retry-After as seconds or an HTTP date."""
    if not value:
        return None
    if value.strip().isdigit():
        return timedelta(seconds=int(value))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(timedelta(0), when - now) if when.tzinfo else None
