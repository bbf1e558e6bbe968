"""Standard Webhooks signatures: `webhook-id`, `webhook-timestamp`, `webhook-signature`."""

from collections.abc import Mapping
from datetime import datetime

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from app.services.ports import InvalidSignatureError


def sign(secret: str, webhook_id: str, body: bytes, at: datetime) -> dict[str, str]:
    """The three Standard Webhooks headers for one attempt to send `body`."""
    signature = Webhook(secret).sign(webhook_id, at, body.decode())
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
    }


def verify(secret: str, body: bytes, headers: Mapping[str, str]) -> str:
    """Check the raw body's signature and timestamp (±5 minutes); return its webhook-id."""
    names = ("webhook-id", "webhook-timestamp", "webhook-signature")
    wanted = {k.lower(): v for k, v in headers.items() if k.lower() in names}
    try:
        Webhook(secret).verify(body, wanted, json_parse=False)
    except WebhookVerificationError as exc:
        raise InvalidSignatureError(str(exc)) from exc
    except (ValueError, TypeError) as exc:  # malformed signature header or a body that is not UTF-8
        raise InvalidSignatureError("malformed webhook-signature header or body") from exc
    return wanted["webhook-id"]  # present: verify() rejects a message without it
