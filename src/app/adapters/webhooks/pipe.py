"""A job's messages sent from a thread of their own while the job generates the next batch."""

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from app.domain.delivery import OutboxInteraction, Reply
from app.services.ports import Clock, WebhookSender


class ThreadPipe:
    """The services' SendPipe: one thread sending through `sender` in the order posted; after a
    message fails, the ones behind it are not sent."""

    def __init__(self, sender: WebhookSender, clock: Clock) -> None:
        self._sender = sender
        self._clock = clock
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="send-pipe")
        self._stopped = False

    def post(self, webhook_id: str, items: Sequence[OutboxInteraction]) -> Future[Reply | None]:
        return self._thread.submit(self._send, webhook_id, items)

    def close(self) -> None:
        self._stopped = True
        self._thread.shutdown(wait=True, cancel_futures=True)

    def _send(self, webhook_id: str, items: Sequence[OutboxInteraction]) -> Reply | None:
        if self._stopped:
            return None
        outcome = self._sender.send(webhook_id, items)
        self._stopped = not outcome.ok
        return Reply(outcome, self._clock.now())
