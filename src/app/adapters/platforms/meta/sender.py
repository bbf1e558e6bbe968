"""Native delivery for Meta: an outbox batch as one POST of Instagram's webhooks to the app's
callback, signed over the exact bytes sent."""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import urllib3

from app.adapters.platforms.meta.webhooks import SIGNATURE_HEADER, dumps, envelope, signature
from app.adapters.webhooks.sender import post
from app.domain.delivery import OutboxInteraction, SendOutcome
from app.domain.demo import native_user_id
from app.domain.inbox import WebhookInteraction


class MetaWebhookSender:
    def __init__(
        self,
        callback_url: str,
        secret: str,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        timeout: tuple[float, float] = (5.0, 20.0),  # Messenger's: 20 s to answer
    ) -> None:
        self._url = callback_url
        self._secret = secret
        self._now = now
        self._timeout = urllib3.Timeout(connect=timeout[0], read=timeout[1])
        self._http = urllib3.PoolManager()

    def send(self, webhook_id: str, items: Sequence[OutboxInteraction]) -> SendOutcome:
        [body] = self.payloads([i.data for i in items])
        headers = self.headers(webhook_id, body, self._now())
        return post(self._http, self._url, body, headers, self._timeout, self._now)

    def payloads(self, items: Sequence[WebhookInteraction]) -> list[bytes]:
        """The one POST a batch is sent as (its items are of one object)."""
        users = {str(a): native_user_id(a) for a in {i.account_id for i in items}}
        return [dumps(envelope(items, users, self._now()))]

    def headers(self, webhook_id: str, body: bytes, at: datetime) -> dict[str, str]:
        """Meta signs the bytes alone: no id, no time."""
        return {"Content-Type": "application/json", SIGNATURE_HEADER: signature(self._secret, body)}
