"""The reference host's side of X's Account Activity webhooks (/webhooks/x): the CRC answered
with its own consumer secret, each POST checked over its raw bytes, the replies and messages
of known accounts read into inbox items."""

import hashlib
from collections.abc import Callable
from uuid import UUID

import orjson

from app.adapters.platforms.x.webhooks import (
    SIGNATURE_HEADER,
    PostsOf,
    XPayloadError,
    crc_response,
    read,
    verify,
)
from app.domain.inbox import WebhookInteraction


class XReceiving:
    signature_header = SIGNATURE_HEADER
    payload_error = XPayloadError

    def __init__(
        self,
        secret: str,
        account_of: Callable[[str], UUID | None],
        posts_of: PostsOf,
    ) -> None:
        self._secret = secret
        self._account_of = account_of
        self._posts_of = posts_of

    def crc(self, crc_token: str) -> dict[str, str]:
        return crc_response(self._secret, crc_token)

    def verify(self, body: bytes, header: str | None) -> None:
        """InvalidSignatureError unless the body is signed with this host's consumer secret."""
        verify(self._secret, body, header)

    def read(self, body: bytes) -> tuple[str, list[WebhookInteraction]]:
        """A receipt id for the POST (X gives none: its body's digest, the same on a re-send)
        and its items; ValueError naming what is not JSON (orjson's) or not as documented
        (XPayloadError)."""
        payload = orjson.loads(body)
        return "x:" + hashlib.sha256(body).hexdigest()[:40], read(
            payload, self._account_of, self._posts_of
        )
