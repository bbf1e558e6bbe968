"""The reference host's side of TikTok's webhooks (/webhooks/tiktok): each POST checked with
its own client secret over the raw bytes, an event for another app's client key refused, a new
comment read into an inbox item."""

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID

import orjson

from app.adapters.platforms.tiktok.webhooks import (
    SIGNATURE_HEADER,
    TikTokPayloadError,
    read,
    verify,
)
from app.domain.inbox import WebhookInteraction


class TikTokReceiving:
    signature_header = SIGNATURE_HEADER
    payload_error = TikTokPayloadError

    def __init__(
        self,
        client_key: str,
        secret: str,
        account_of: Callable[[str], UUID | None],
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._client_key = client_key
        self._secret = secret
        self._account_of = account_of
        self._now = now

    def verify(self, body: bytes, header: str | None) -> None:
        """InvalidSignatureError unless the body is signed with this host's client secret,
        lately."""
        verify(self._secret, body, header, self._now())

    def read(self, body: bytes) -> tuple[str, list[WebhookInteraction]]:
        """A receipt id for the POST (TikTok gives none: its body's digest, the same on a
        re-send) and its items; ValueError naming what is not JSON (orjson's) or not as
        documented (TikTokPayloadError)."""
        payload = orjson.loads(body)
        if isinstance(payload, dict) and payload.get("client_key") != self._client_key:
            raise TikTokPayloadError("client_key is not this app's")
        return "tiktok:" + hashlib.sha256(body).hexdigest()[:40], read(payload, self._account_of)
