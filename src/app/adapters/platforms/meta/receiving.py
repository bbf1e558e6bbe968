"""The reference host's side of Meta's webhooks (/webhooks/meta): the verification request
answered with its own verify token, each POST checked with its own app secret over the raw
bytes, the payload read into inbox items."""

import hashlib
import hmac
from collections.abc import Callable, Mapping
from uuid import UUID

import orjson

from app.adapters.platforms.meta.webhooks import SIGNATURE_HEADER, MetaPayloadError, read, verify
from app.domain.inbox import WebhookInteraction


class MetaReceiving:
    signature_header = SIGNATURE_HEADER
    payload_error = MetaPayloadError

    def __init__(
        self, secret: str, verify_token: str, account_of: Callable[[str], UUID | None]
    ) -> None:
        self._secret = secret
        self._token = verify_token
        self._account_of = account_of

    def challenge(self, query: Mapping[str, str]) -> str | None:
        """The challenge to answer with, when the request is Meta's subscription with this
        host's verify token; None otherwise."""
        token = query.get("hub.verify_token", "")
        if query.get("hub.mode") != "subscribe" or not hmac.compare_digest(token, self._token):
            return None
        return query.get("hub.challenge")

    def verify(self, body: bytes, header: str | None) -> None:
        """InvalidSignatureError unless the body is signed with this host's app secret."""
        verify(self._secret, body, header)

    def read(self, body: bytes) -> tuple[str, list[WebhookInteraction]]:
        """A receipt id for the POST (Meta gives none: its body's digest) and its items;
        ValueError naming what is not JSON (orjson's) or not as documented (MetaPayloadError)."""
        return "meta:" + hashlib.sha256(body).hexdigest()[:40], read(
            orjson.loads(body), self._account_of
        )
