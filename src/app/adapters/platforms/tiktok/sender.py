"""Native delivery for TikTok: each comment of an outbox batch (and what happened to one) as
its own POST of a `comment.update` to the app's callback, signed over the exact bytes sent
with the time of sending, as TikTok sends one event a POST. The POSTs go several at a time, in
waves: a reply (or an event on a comment) only after the wave that carried what it is about,
so a host still meets every comment before what answers it. A batch went well if every POST
did; after a failure the batch is sent again whole (TikTok delivers at least once: hosts
deduplicate). A DM is not TikTok's comment webhook: left out (done, not sent)."""

from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import urllib3

from app.adapters.platforms.tiktok.webhooks import SIGNATURE_HEADER, comment_event, dumps, signature
from app.adapters.webhooks.sender import post
from app.domain.delivery import OutboxInteraction, SendOutcome
from app.domain.demo import native_user_id
from app.domain.inbox import InteractionKind, Platform, WebhookInteraction

IN_FLIGHT = 8  # POSTs at once, as a platform's deliveries overlap


class TikTokWebhookSender:
    def __init__(
        self,
        callback_url: str,
        secret: str,
        client_key: str,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        timeout: tuple[float, float] = (5.0, 10.0),
    ) -> None:
        self._url = callback_url
        self._secret = secret
        self._client_key = client_key
        self._now = now
        self._timeout = urllib3.Timeout(connect=timeout[0], read=timeout[1])
        self._http = urllib3.PoolManager(maxsize=IN_FLIGHT, block=True)
        self._pool = ThreadPoolExecutor(IN_FLIGHT, thread_name_prefix="tiktok-send")

    def send(self, webhook_id: str, items: Sequence[OutboxInteraction]) -> SendOutcome:
        outcome = SendOutcome(ok=True)
        for wave in waves([i.data for i in items if i.data.kind is InteractionKind.COMMENT]):
            for outcome in self._pool.map(self._one, wave):
                if not outcome.ok:
                    return outcome
        return outcome

    def _one(self, said: WebhookInteraction) -> SendOutcome:
        body = self._body(said)
        headers = self.headers("", body, self._now())
        return post(self._http, self._url, body, headers, self._timeout, self._now)

    def payloads(self, items: Sequence[WebhookInteraction]) -> list[bytes]:
        """A POST per comment (or event on one), wave after wave; none for a message."""
        comments = [i for i in items if i.kind is InteractionKind.COMMENT]
        return [self._body(said) for wave in waves(comments) for said in wave]

    def _body(self, said: WebhookInteraction) -> bytes:
        """One comment's `comment.update`, for its account's open_id."""
        user = native_user_id(said.account_id, Platform.TIKTOK)
        return dumps(comment_event(said, self._client_key, user))

    def headers(self, webhook_id: str, body: bytes, at: datetime) -> dict[str, str]:
        """TikTok signs the time of sending with the bytes (`t=…,s=…`); no id."""
        return {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: signature(self._secret, body, int(at.timestamp())),
        }


def waves(comments: list[WebhookInteraction]) -> list[list[WebhookInteraction]]:
    """The comments in rounds, in the batch's order within each: a comment whose parent (a
    reply's comment, an event's item) is in the batch goes in a round after the parent's."""
    round_of: dict[str, int] = {}
    rounds: list[list[WebhookInteraction]] = []
    for said in comments:
        after = round_of.get(said.in_reply_to or "", -1) + 1
        round_of[said.platform_id] = after
        if after == len(rounds):
            rounds.append([])
        rounds[after].append(said)
    return rounds
