"""The deliverer's one sender: each account's items to where its host takes them."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from app.adapters.webhooks.routing import RoutingSender
from app.domain.apps import Family, PlatformApp
from app.domain.delivery import DeliveryStatus, OutboxInteraction
from app.domain.inbox import Platform
from app.services.ports import WebhookSender
from fakes import AcceptingReceiver
from helpers import incoming, no_creators

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
OWN, ORPHANED = uuid.uuid4(), uuid.uuid4()


def row(n: int, account: uuid.UUID, platform: Platform = Platform.INSTAGRAM) -> OutboxInteraction:
    data = replace(incoming(f"c-{n}", account, NOW), platform=platform)
    return OutboxInteraction(
        uuid.uuid4(), data, DeliveryStatus.SENDING, 0, NOW, None, None, None, None
    )


def routes(ids: object) -> dict[uuid.UUID, PlatformApp | None]:
    return {ORPHANED: None}  # native, its app removed since


def test_a_batch_of_demosims_own_accounts_goes_whole_to_the_target() -> None:
    standard = AcceptingReceiver()
    batch = [row(n, OWN) for n in range(3)]
    assert RoutingSender(lambda: standard, routes, no_creators).send("msg_1", batch).ok
    assert standard.batches == [batch]


def test_a_native_account_without_its_app_fails_for_good_naming_how_to_bring_it_back() -> None:
    standard = AcceptingReceiver()
    batch = [row(1, OWN), row(2, ORPHANED), row(3, OWN)]
    outcome = RoutingSender(lambda: standard, routes, no_creators).send("msg_1", batch)
    assert not outcome.ok
    assert outcome.permanent
    assert outcome.error is not None
    assert "PUT /api/v1/apps/meta" in outcome.error
    assert "redeliver" in outcome.error
    assert standard.batches == [[batch[0], batch[2]]]  # the own-format part went, in order


def test_a_native_youtube_channels_items_are_sent_nowhere_its_host_polls_for_them() -> None:
    """YouTube pushes no comments: a native channel has no app, and its part of a batch is
    done without a send (the host reads it from the Data API), while the rest is sent."""
    standard = AcceptingReceiver()
    channel = uuid.uuid4()
    batch = [row(1, OWN), row(2, channel, Platform.YOUTUBE), row(3, OWN)]
    sender = RoutingSender(lambda: standard, lambda ids: {channel: None}, no_creators)
    outcome = sender.send("msg_1", batch)
    assert outcome.ok
    assert standard.batches == [[batch[0], batch[2]]]


class Routed(RoutingSender):
    """The router with each app's sender a receiver that keeps what it got."""

    def __init__(self, routes: Any) -> None:
        super().__init__(AcceptingReceiver, routes, no_creators)
        self.got: dict[str, AcceptingReceiver] = {}

    def _native_sender(self, app: PlatformApp) -> WebhookSender:
        return self.got.setdefault(app.callback_url, AcceptingReceiver())


def test_an_instagram_accounts_and_a_pages_items_go_to_their_app_as_two_posts() -> None:
    """Meta sends one object per POST: "instagram" and "page" are never mixed."""
    app = PlatformApp(Family.META, "http://host.test/meta", "s" * 12, "token-1", NOW, NOW, NOW)
    insta, page = uuid.uuid4(), uuid.uuid4()
    router = Routed(lambda ids: {insta: app, page: app})
    batch = [row(1, insta), row(2, page, Platform.FACEBOOK), row(3, insta)]
    assert router.send("msg_1", batch).ok
    assert router.got["http://host.test/meta"].batches == [[batch[0], batch[2]], [batch[1]]]
