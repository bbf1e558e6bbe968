"""Each account's items to where its host takes them: demosim's webhook format to the
configured target, a native account's in its platform's own webhooks to its family's app."""

from collections.abc import Callable, Sequence
from uuid import UUID

from app.adapters.platforms.meta.sender import MetaWebhookSender
from app.adapters.platforms.tiktok.sender import TikTokWebhookSender
from app.adapters.platforms.x.sender import Creators, XWebhookSender
from app.domain.apps import FAMILY_OF, PUSHED, Family, PlatformApp
from app.domain.delivery import OutboxInteraction, SendOutcome
from app.services.ports import WebhookSender

NativeRoutes = Callable[[Sequence[UUID]], dict[UUID, PlatformApp | None]]


class RoutingSender:
    """The deliverer's one sender: a batch's items split by where they go (and a native app's
    by the webhook object they come under: an Instagram account's and a Page's are two POSTs,
    as Meta sends them), each part sent as its own message, in the batch's order; the batch
    went well if every part did (a part that failed is sent again with the rest: hosts
    deduplicate, as Meta asks of them)."""

    def __init__(
        self, standard: Callable[[], WebhookSender], routes: NativeRoutes, creators: Creators
    ) -> None:
        self._make_standard = standard
        self._standard: WebhookSender | None = None  # made when first needed: WEBHOOK_SECRET
        self._routes = routes
        self._creators = creators
        self._native: dict[tuple[str, str, str], WebhookSender] = {}

    def send(self, webhook_id: str, items: Sequence[OutboxInteraction]) -> SendOutcome:
        routes = self._routes(list({i.data.account_id for i in items}))
        if not routes:
            return self._own_format(webhook_id, items)
        parts: dict[tuple[PlatformApp | str | None, str], list[OutboxInteraction]] = {}
        for item in items:
            route = routes.get(item.data.account_id, "standard")
            split = item.data.platform.value if isinstance(route, PlatformApp) else ""
            parts.setdefault((route, split), []).append(item)
        outcomes = []
        for n, ((route, _), part) in enumerate(parts.items()):
            part_id = webhook_id if n == 0 else f"{webhook_id}.{n}"
            if route == "standard":
                outcomes.append(self._own_format(part_id, part))
            elif route is None and FAMILY_OF[part[0].data.platform] not in PUSHED:
                outcomes.append(_NOTHING_TO_SEND)  # the host sees it at its next poll
            elif route is None:
                outcomes.append(_no_app(FAMILY_OF[part[0].data.platform]))
            elif isinstance(route, PlatformApp) and route.invalid_since is not None:
                outcomes.append(_invalid(route))  # kept, and sent once a check passes again
            else:
                assert isinstance(route, PlatformApp)
                outcomes.append(self._native_sender(route).send(part_id, part))
        failed = [o for o in outcomes if not o.ok]
        return failed[0] if failed else outcomes[-1]

    def _own_format(self, webhook_id: str, items: Sequence[OutboxInteraction]) -> SendOutcome:
        """demosim's own format: its items. It has no lifecycle events (those of an account
        that was native when they were made are let go: done, not sent)."""
        part = [i for i in items if i.data.event is None]
        return self._standard_sender().send(webhook_id, part) if part else _NOTHING_TO_SEND

    def _standard_sender(self) -> WebhookSender:
        if self._standard is None:
            self._standard = self._make_standard()
        return self._standard

    def _native_sender(self, app: PlatformApp) -> WebhookSender:
        key = (app.family.value, app.callback_url, app.secret)
        if key not in self._native:
            self._native[key] = SENDERS[app.family](app, self._creators)
        return self._native[key]


# each pushed family's sender, made from its app (and where X names the account, its creator)
SENDERS: dict[Family, Callable[[PlatformApp, Creators], WebhookSender]] = {
    Family.META: lambda app, _: MetaWebhookSender(app.callback_url, app.secret),
    Family.TIKTOK: lambda app, _: TikTokWebhookSender(
        app.callback_url, app.secret, app.client_key or ""
    ),
    Family.X: lambda app, creators: XWebhookSender(app.callback_url, app.secret, creators),
}
_NOTHING_TO_SEND = SendOutcome(ok=True)


def _invalid(app: PlatformApp) -> SendOutcome:
    assert app.invalid_since is not None
    return SendOutcome(
        ok=False,
        error=f"the {app.family.value} app's callback failed the platform's check at "
        f"{app.invalid_since.isoformat(timespec='seconds')} ({app.invalid_reason}); it is sent "
        f"nothing until a check passes (the next within 30 minutes, or at once with PUT "
        f"/api/v1/apps/{app.family.value}); what ran out of attempts by then is sent again with "
        "POST /api/v1/deliveries/redeliver",
    )


def _no_app(family: Family) -> SendOutcome:
    return SendOutcome(
        ok=False,
        error=f"native delivery has no app: the {family.value} app was removed; register it "
        f"again (PUT /api/v1/apps/{family.value}) and redeliver (POST /api/v1/deliveries/"
        "redeliver)",
        permanent=True,
    )
