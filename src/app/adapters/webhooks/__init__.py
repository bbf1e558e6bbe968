"""The webhook contract (wire), its signatures (signing) and the HTTP sender (sender); and
what the receiver asks of them, built by bootstrap with the secret."""

from collections.abc import Mapping
from typing import Any

from app.adapters.webhooks.signing import verify
from app.adapters.webhooks.wire import EventType, PayloadSchema, load_message
from app.domain.inbox import WebhookInteraction

__all__ = ["WebhookReceiving"]


class WebhookReceiving:
    """The receiver's side of the contract: verify a message, read its items."""

    payload_schema = PayloadSchema

    def __init__(self, secret: str) -> None:
        self._secret = secret

    def verify(self, body: bytes, headers: Mapping[str, str]) -> str:
        """The message's webhook-id; InvalidSignatureError when it is not signed with the
        secret or outside the time tolerance."""
        return verify(self._secret, body, headers)

    def read(self, payload: Any) -> tuple[EventType, list[WebhookInteraction]]:
        """The message's event type and items; marshmallow's ValidationError naming each
        invalid field by its item's index."""
        return load_message(payload)
