"""YouTube's push notifications of new videos, over WebSub, as "Subscribe to Push
Notifications" (developers.google.com/youtube/v3/guides/push_notifications) and the W3C WebSub
recommendation (w3.org/TR/websub) describe them:
- a subscriber POSTs to the hub (`/websub/hub`) form fields `hub.mode` (subscribe |
  unsubscribe), `hub.topic` (`https://www.youtube.com/xml/feeds/videos.xml?channel_id=<id>`),
  `hub.callback`, optionally `hub.lease_seconds` and `hub.secret` ("less than 200 bytes");
  the hub answers 202 Accepted (WebSub 5.1) and then verifies the intent (5.3): a GET to the
  callback with `hub.mode`, `hub.topic`, `hub.challenge` and, subscribing, `hub.lease_seconds`,
  which the subscriber answers 2xx with the challenge as its body; only then is the
  subscription kept (or, unsubscribing, ended);
- each new video of the channel is POSTed to every subscriber whose lease runs, as YouTube's
  Atom feed (`<feed>` with `<link rel="hub">`, `<link rel="self">`, and an `<entry>` with
  `yt:videoId`, `yt:channelId`, `title`, `link rel="alternate"`, `author`, `published`,
  `updated`), `Content-Type: application/atom+xml`, signed `X-Hub-Signature: sha1=<hex
  HMAC-SHA1 of the body, keyed with hub.secret>` where a secret was given (WebSub 7.1);
- a lease ends (WebSub 5.1: the hub's default where none is asked; YouTube's hub grants at
  most about ten days): nothing is sent after it; a subscriber renews by subscribing again."""

import hashlib
import hmac
import logging
import secrets
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from xml.etree import ElementTree as ET

import urllib3
from sqlalchemy import Engine, delete, select
from sqlalchemy.dialects.postgresql import insert

from app.adapters.db.tables import websub_subscriptions as w
from app.domain.demo import Content, DemoProfile, native_user_id

log = logging.getLogger(__name__)

TOPIC = "https://www.youtube.com/xml/feeds/videos.xml?channel_id="
HUB = "https://pubsubhubbub.appspot.com"
DEFAULT_LEASE = 432_000  # seconds (5 days): the lease where none is asked
MOST_LEASE = 864_000  # seconds (10 days)
SECRET_BYTES = 200  # "less than 200 bytes"
ATOM, YT = "http://www.w3.org/2005/Atom", "http://www.youtube.com/xml/schemas/2015"


class WebSubError(ValueError):
    """A subscription request the hub refuses: names the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class SubscriptionRequest:
    mode: str
    topic: str
    callback: str
    lease_seconds: int
    secret: str | None


def subscription_request(form: Mapping[str, str]) -> SubscriptionRequest:
    """The request's fields, checked; WebSubError names the first one that is wrong."""
    mode = form.get("hub.mode", "")
    if mode not in ("subscribe", "unsubscribe"):
        raise WebSubError("hub.mode", "hub.mode must be 'subscribe' or 'unsubscribe'")
    topic = form.get("hub.topic", "")
    channel = topic.removeprefix(TOPIC)
    if not topic.startswith(TOPIC) or not (channel.startswith("UC") and len(channel) == 24):
        raise WebSubError(
            "hub.topic", f"hub.topic must be a channel's feed: {TOPIC}<channel id (UC…)>"
        )
    callback = form.get("hub.callback", "")
    parts = urlsplit(callback)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(callback) > 2048:
        raise WebSubError("hub.callback", "hub.callback must be an absolute http(s) URL")
    lease = form.get("hub.lease_seconds") or str(DEFAULT_LEASE)
    if not lease.isdigit() or not 1 <= int(lease) <= MOST_LEASE:
        raise WebSubError(
            "hub.lease_seconds", f"hub.lease_seconds must be a whole number, 1 to {MOST_LEASE}"
        )
    secret = form.get("hub.secret") or None
    if secret is not None and len(secret.encode()) >= SECRET_BYTES:
        raise WebSubError("hub.secret", f"hub.secret must be less than {SECRET_BYTES} bytes")
    return SubscriptionRequest(mode, topic, callback, int(lease), secret)


def feed(channel_id: str, channel_title: str, video: Content, now: datetime) -> bytes:
    """A new video's notification, as YouTube's Atom feed."""
    ET.register_namespace("", ATOM)
    ET.register_namespace("yt", YT)
    root = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(root, f"{{{ATOM}}}link", rel="hub", href=HUB)
    ET.SubElement(root, f"{{{ATOM}}}link", rel="self", href=f"{TOPIC}{channel_id}")
    ET.SubElement(root, f"{{{ATOM}}}title").text = "YouTube video feed"
    ET.SubElement(root, f"{{{ATOM}}}updated").text = _when(now)
    entry = ET.SubElement(root, f"{{{ATOM}}}entry")
    ET.SubElement(entry, f"{{{ATOM}}}id").text = f"yt:video:{video.platform_id}"
    ET.SubElement(entry, f"{{{YT}}}videoId").text = video.platform_id
    ET.SubElement(entry, f"{{{YT}}}channelId").text = channel_id
    ET.SubElement(entry, f"{{{ATOM}}}title").text = video.title
    ET.SubElement(
        entry,
        f"{{{ATOM}}}link",
        rel="alternate",
        href=f"http://www.youtube.com/watch?v={video.platform_id}",
    )
    author = ET.SubElement(entry, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = channel_title
    ET.SubElement(author, f"{{{ATOM}}}uri").text = f"http://www.youtube.com/channel/{channel_id}"
    ET.SubElement(entry, f"{{{ATOM}}}published").text = _when(video.published_at)
    ET.SubElement(entry, f"{{{ATOM}}}updated").text = _when(now)
    written: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return written


def signature(secret: str, body: bytes) -> str:
    """`X-Hub-Signature` of the exact bytes sent."""
    return "sha1=" + hmac.new(secret.encode(), body, hashlib.sha1).hexdigest()


class WebSubHub:
    def __init__(
        self,
        engine: Engine,
        channel_title: Callable[[DemoProfile], str],
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        timeout: float = 5.0,
    ) -> None:
        self._engine = engine
        self._title = channel_title
        self._now = now
        self._http = urllib3.PoolManager()
        self._timeout = urllib3.Timeout(total=timeout)

    def request(self, asked: SubscriptionRequest) -> None:
        """Accepted: the intent is verified after the answer (WebSub 5.1, "202 Accepted"), in
        a thread of its own."""
        threading.Thread(target=self.verify, args=(asked,), daemon=True).start()

    def verify(self, asked: SubscriptionRequest) -> bool:
        """The verification of intent, and on success the subscription kept or ended."""
        challenge = secrets.token_urlsafe(24)
        query = [("hub.mode", asked.mode), ("hub.topic", asked.topic),
                 ("hub.challenge", challenge)]  # fmt: skip
        if asked.mode == "subscribe":
            query.append(("hub.lease_seconds", str(asked.lease_seconds)))
        parts = urlsplit(asked.callback)
        url = urlunsplit(parts._replace(query=urlencode(parse_qsl(parts.query) + query)))
        try:
            answer = self._http.request(
                "GET", url, timeout=self._timeout, retries=False, redirect=False
            )
        except urllib3.exceptions.HTTPError as exc:
            log.info("WebSub: %s did not answer the verification: %s", asked.callback, exc)
            return False
        if not 200 <= answer.status < 300 or answer.data.decode("utf-8", "replace") != challenge:
            log.info("WebSub: %s refused the %s (HTTP %s)", asked.callback, asked.mode,
                     answer.status)  # fmt: skip
            return False
        now = self._now()
        with self._engine.begin() as conn:
            if asked.mode == "unsubscribe":
                conn.execute(
                    delete(w).where(w.c.topic == asked.topic, w.c.callback == asked.callback)
                )
                return True
            values = {
                "topic": asked.topic,
                "callback": asked.callback,
                "secret": asked.secret,
                "lease_expires_at": now + timedelta(seconds=asked.lease_seconds),
                "verified_at": now,
            }
            stmt = insert(w).values(values)
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=[w.c.topic, w.c.callback],
                    set_={k: stmt.excluded[k] for k in values if k not in ("topic", "callback")},
                )
            )
        return True

    def announce(self, profile: DemoProfile, videos: Sequence[Content]) -> int:
        """Each new video POSTed to the channel's subscribers whose lease runs; how many
        notifications were taken (2xx). A subscriber that fails is not retried (YouTube's hub
        retries for a while; the next video comes anyway)."""
        channel = native_user_id(profile.account_id, profile.platform)
        now = self._now()
        with self._engine.connect() as conn:
            subscribers = conn.execute(
                select(w.c.callback, w.c.secret).where(
                    w.c.topic == f"{TOPIC}{channel}", w.c.lease_expires_at > now
                )
            ).all()
        if not subscribers:
            return 0
        title = self._title(profile)
        taken = 0
        for video in videos:
            body = feed(channel, title, video, now)
            for callback, secret in subscribers:
                headers = {
                    "Content-Type": "application/atom+xml",
                    "Link": f'<{HUB}>; rel="hub", <{TOPIC}{channel}>; rel="self"',
                }
                if secret:
                    headers["X-Hub-Signature"] = signature(secret, body)
                try:
                    answer = self._http.request(
                        "POST", callback, body=body, headers=headers, timeout=self._timeout,
                        retries=False, redirect=False,
                    )  # fmt: skip
                except urllib3.exceptions.HTTPError as exc:
                    log.info("WebSub: %s did not take a notification: %s", callback, exc)
                    continue
                taken += 200 <= answer.status < 300
        return taken


def _when(at: datetime) -> str:
    return at.astimezone(UTC).isoformat()
