"""Native delivery for X: an outbox batch as Account Activity POSTs to the app's callback, one
per subscribed account and kind of event: its replies and mentions as `tweet_create_events` (in
the batch's order: a reply after what it replies to), its messages as `direct_message_events`,
then the deletions as `tweet_delete_events` (after the replies they delete), each signed
`x-twitter-webhooks-signature` over the exact bytes sent. A batch went well if every POST did;
after a failure it is sent again whole (hosts deduplicate by id, as X redelivers)."""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from uuid import UUID

import urllib3

from app.adapters.platforms.x.webhooks import (
    SIGNATURE_HEADER,
    direct_message_events,
    dumps,
    person_id,
    signature,
    tweet,
    tweet_create_events,
    tweet_delete_events,
)
from app.adapters.webhooks.sender import post
from app.domain.delivery import OutboxInteraction, SendOutcome
from app.domain.demo import native_user_id
from app.domain.inbox import Author, InteractionKind, Platform, WebhookInteraction

Creators = Callable[[UUID], Author]  # the account as it signs its posts
KINDS = ("tweet", "dm", "delete")  # the order a batch's POSTs go in


class XWebhookSender:
    def __init__(
        self,
        callback_url: str,
        secret: str,
        creators: Creators,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        timeout: tuple[float, float] = (5.0, 10.0),
    ) -> None:
        self._url = callback_url
        self._secret = secret
        self._creators = creators
        self._now = now
        self._timeout = urllib3.Timeout(connect=timeout[0], read=timeout[1])
        self._http = urllib3.PoolManager()

    def send(self, webhook_id: str, items: Sequence[OutboxInteraction]) -> SendOutcome:
        outcome = SendOutcome(ok=True)
        for body in self.payloads([i.data for i in items]):
            headers = self.headers(webhook_id, body, self._now())
            outcome = post(self._http, self._url, body, headers, self._timeout, self._now)
            if not outcome.ok:
                return outcome
        return outcome

    def payloads(self, items: Sequence[WebhookInteraction]) -> list[bytes]:
        """A batch's POSTs in the order they go: per account, its replies, messages, deletions."""
        authors = {i.platform_id: i.author for i in items}
        runs: dict[tuple[UUID, str], list[WebhookInteraction]] = {}
        for item in sorted(items, key=lambda i: KINDS.index(_kind(i)[1])):  # (stable)
            runs.setdefault(_kind(item), []).append(item)
        return [dumps(self._payload(a, kind, run, authors)) for (a, kind), run in runs.items()]

    def headers(self, webhook_id: str, body: bytes, at: datetime) -> dict[str, str]:
        """X signs the bytes alone: no id, no time."""
        return {"Content-Type": "application/json", SIGNATURE_HEADER: signature(self._secret, body)}

    def _payload(
        self,
        account: UUID,
        kind: str,
        run: list[WebhookInteraction],
        authors: dict[str, Author],
    ) -> dict[str, object]:
        me = native_user_id(account, Platform.X)
        creator = self._creators(account)
        if kind == "delete":
            return tweet_delete_events(me, run)
        if kind == "dm":
            return direct_message_events(me, run, creator)
        tweets = []
        for item in run:
            assert item.content is not None  # a comment names its post
            if item.in_reply_to:  # a reply to a reply: its author is in this batch, or named
                to = authors.get(item.in_reply_to) or _author_named(item.text, creator)
                replied = (item.in_reply_to, _id(to, me), to.handle, to.display_name)
            else:  # a reply to the account's post
                replied = (item.content.platform_id, me, creator.handle, creator.display_name)
            tweets.append(tweet(item, _id(item.author, me), replied))
        return tweet_create_events(me, tweets)


def _kind(item: WebhookInteraction) -> tuple[UUID, str]:
    if item.kind is InteractionKind.DM:
        return item.account_id, "dm"
    return item.account_id, "delete" if item.event is not None else "tweet"


def _id(author: Author, me: str) -> str:
    return me if author.is_creator else person_id(author.handle)


def _author_named(text: str, creator: Author) -> Author:
    """Who a reply answers when that reply was sent in an earlier batch: the @name its text
    opens with, or the account."""
    if text.startswith("@"):
        handle = text[1:].split(" ", 1)[0]
        return Author(handle, handle, handle == creator.handle)
    return creator
