"""`demosim trigger`'s formats: the bodies and signatures of the senders demosim delivers with
(demosim's Standard Webhooks, Meta's, X's Account Activity, TikTok's comment.update), an event
of a type no endpoint was told about in each, and a timed POST to any URL."""

import base64
import os
import time
from collections.abc import Sequence
from datetime import UTC, datetime

import orjson
import urllib3
from standardwebhooks.webhooks import Webhook

from app.adapters.platforms.meta.sender import MetaWebhookSender
from app.adapters.platforms.tiktok.sender import TikTokWebhookSender
from app.adapters.platforms.x.sender import XWebhookSender
from app.adapters.webhooks.sender import HttpWebhookSender
from app.domain.demo import native_user_id
from app.domain.inbox import Author, WebhookInteraction
from app.services.trigger import FORMATS, Answer, SignedFormat, TriggerError


class TriggerFormat:
    """One format's sender, for one URL and secret."""

    def __init__(
        self, name: str, url: str, secret: str, client_key: str, timeout: float = 30.0
    ) -> None:
        if name not in FORMATS:
            raise TriggerError(f"--format {name!r}: one of {', '.join(FORMATS)}")
        if not secret:
            raise TriggerError("--secret is required: the secret the endpoint verifies with")
        if name == "demosim":
            try:
                Webhook(secret)
            except Exception:  # the library's own base64 errors, whatever their type
                raise TriggerError(
                    "--secret: demosim's format signs with a Standard Webhooks secret, "
                    "whsec_ and base64 (WEBHOOK_SECRET's form)"
                ) from None
        self.name = name
        self.signs_time = name in ("demosim", "tiktok")
        self._url = url
        self._secret = secret
        self._client_key = client_key
        self._creator = Author("demosim", "demosim", True)
        self._timeout = urllib3.Timeout(connect=5.0, read=timeout)
        self._http = urllib3.PoolManager()
        self._sender: HttpWebhookSender | MetaWebhookSender | XWebhookSender | TikTokWebhookSender
        if name == "demosim":
            self._sender = HttpWebhookSender(url, secret)
        elif name == "meta":
            self._sender = MetaWebhookSender(url, secret)
        elif name == "x":
            self._sender = XWebhookSender(url, secret, lambda _: self._creator)
        else:
            self._sender = TikTokWebhookSender(url, secret, client_key)

    def payloads(self, items: Sequence[WebhookInteraction], creator: Author) -> list[bytes]:
        self._creator = creator
        return self._sender.payloads(items)

    def headers(self, webhook_id: str, body: bytes, at: datetime) -> dict[str, str]:
        return self._sender.headers(webhook_id, body, at)

    def forged(self) -> SignedFormat:
        other = (
            "whsec_" + base64.b64encode(os.urandom(24)).decode()
            if self.name == "demosim"
            else f"{self._secret}-not"
        )
        return TriggerFormat(self.name, self._url, other, self._client_key)

    def unknown_event(self, item: WebhookInteraction) -> bytes:
        """A real event of the platform that demosim does not send (an endpoint not subscribed
        to it meets it anyway), or, in demosim's format, a type the contract may add later."""
        now = datetime.now(UTC)
        user = native_user_id(item.account_id, item.platform)
        payload: dict[str, object]
        if self.name == "demosim":
            payload = {"type": "accounts.renamed", "data": {"handle": item.author.handle}}
        elif self.name == "meta":  # Instagram's story_insights field
            payload = {"object": "instagram", "entry": [{
                "id": user, "time": int(now.timestamp()),
                "changes": [{"field": "story_insights", "value": {
                    "media_id": str(int(now.timestamp() * 1000)), "exits": 1, "replies": 0,
                    "reach": 12, "taps_forward": 3, "taps_back": 0, "impressions": 14}}],
            }]}  # fmt: skip
        elif self.name == "x":  # Account Activity's follow_events
            who = {"id": "1", "screen_name": item.author.handle, "name": item.author.display_name}
            payload = {"for_user_id": user, "follow_events": [{
                "type": "follow", "created_timestamp": str(int(now.timestamp() * 1000)),
                "target": {"id": user}, "source": who}]}  # fmt: skip
        else:  # TikTok's video.publish.completed
            payload = {
                "client_key": self._client_key,
                "event": "video.publish.completed",
                "create_time": int(now.timestamp()),
                "user_openid": user,
                "content": orjson.dumps(
                    {"publish_id": "v_pub_url~v2.1", "publish_type": "DIRECT_PUBLISH"}
                ).decode(),
            }
        return orjson.dumps(payload)

    def post(self, body: bytes, headers: dict[str, str]) -> Answer:
        started = time.perf_counter()
        try:
            response = self._http.request(
                "POST", self._url, body=body, headers=headers, timeout=self._timeout,
                retries=False, redirect=False,
            )  # fmt: skip
        except urllib3.exceptions.HTTPError as exc:  # refused, reset, timed out, a bad URL
            ms = (time.perf_counter() - started) * 1000
            return Answer(None, ms, f"{type(exc).__name__}: {exc}"[:300])
        ms = (time.perf_counter() - started) * 1000
        ok = 200 <= response.status < 300
        return Answer(
            response.status, ms, "" if ok else response.data.decode(errors="replace")[:300]
        )
