"""`demosim trigger`: sample events of the catalogue, signed as demosim or a platform signs
them, sent to any URL, with nothing but the generator (no database, no Redis): what a host
needs to test its own webhook endpoint, offline.

Each event is one POST of one item, generated as a demo account's would be (the conversation
model's text, the platform's ids) and stamped with the time asked for. The negative cases send
what a correct endpoint refuses or takes in its stride, each with the answer it should give;
a run fails when any send got another answer."""

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from app.domain.demo import Delivery, DemoProfile, DemoSizes, DmFrequency, Persona
from app.domain.errors import DomainError
from app.domain.fields import FIELDS, field_error, with_fields
from app.domain.generation import generate_demo
from app.domain.generation.happenings import event as happened
from app.domain.generation.scenario import generate_scenario
from app.domain.generation.writer import account_author
from app.domain.inbox import (
    Author,
    InteractionKind,
    Platform,
    WebhookInteraction,
)
from app.domain.lifecycle import EventType
from app.domain.scenarios import Scenario
from app.domain.time import require_aware

FORMATS = ("demosim", "meta", "x", "tiktok")
MOST = 10_000  # events a run sends
STALE = timedelta(minutes=10)  # a stale signature's age: twice the usual 5-minute tolerance
OVERSIZED = 1024 * 1024 + 1  # bytes: one more than the MiB demosim's own endpoints take


class TriggerError(ValueError):
    """A request that cannot be sent as asked; the message names the option and what it takes."""


@dataclass(frozen=True, slots=True)
class Answer:
    status: int | None  # None: no answer (refused, reset, timed out)
    ms: float
    detail: str = ""  # what went wrong, or the start of a non-2xx answer's body


class SignedFormat(Protocol):
    """A format's bodies and signatures, and the endpoint they go to."""

    name: str
    signs_time: bool  # whether the signature covers the time of sending

    def payloads(self, items: Sequence[WebhookInteraction], creator: Author) -> list[bytes]:
        """The bodies the platform POSTs for these items, in order."""
        ...

    def headers(self, webhook_id: str, body: bytes, at: datetime) -> dict[str, str]:
        """The headers of one POST of `body` sent at `at`, its signature among them."""
        ...

    def forged(self) -> "SignedFormat":
        """The same format signed with another secret than the endpoint's."""
        ...

    def unknown_event(self, item: WebhookInteraction) -> bytes:
        """A well-formed body of an event type the endpoint has not been told about."""
        ...

    def post(self, body: bytes, headers: dict[str, str]) -> Answer: ...


@dataclass(frozen=True, slots=True)
class Event:
    """An event of the catalogue: what it is, and the platform each format sends it for."""

    name: str
    what: str
    kind: InteractionKind
    reply: bool = False  # a comment's reply (comments); the account's message (events on DMs)
    happened: EventType | None = None  # what happened to an item: an edit, a removal, …
    by_account: bool = False  # the account said it, or did it (hid a comment)
    formats: tuple[tuple[str, Platform], ...] = ()

    @property
    def answers(self) -> bool:
        """A reply to a comment: what can arrive before the comment it answers."""
        return self.reply and self.happened is None

    def platform(self, format_name: str) -> Platform | None:
        return dict(self.formats).get(format_name)


_ALL = (
    ("demosim", Platform.INSTAGRAM),
    ("meta", Platform.INSTAGRAM),
    ("x", Platform.X),
    ("tiktok", Platform.TIKTOK),
)
_DMS = (("demosim", Platform.INSTAGRAM), ("meta", Platform.INSTAGRAM), ("x", Platform.X))
_PAGE = ("meta", Platform.FACEBOOK)
_IG = (("meta", Platform.INSTAGRAM),)
CATALOGUE: tuple[Event, ...] = (
    Event("comment.created", "a person's comment on a post", InteractionKind.COMMENT,
          formats=_ALL),
    Event("comment.reply", "a person's reply to a comment", InteractionKind.COMMENT,
          reply=True, formats=_ALL),
    Event("message.received", "a person's direct message", InteractionKind.DM, formats=_DMS),
    Event("comment.account_reply", "the account's own reply (platforms send those too)",
          InteractionKind.COMMENT, reply=True, by_account=True, formats=_ALL),
    Event("message.echo", "the account's own message (Meta's is_echo)", InteractionKind.DM,
          by_account=True, formats=_DMS),
    Event("comment.edited", "a person edited their comment (a Facebook Page's)",
          InteractionKind.COMMENT, happened=EventType.EDITED, formats=(_PAGE,)),
    Event("comment.removed", "a person deleted their comment", InteractionKind.COMMENT,
          happened=EventType.REMOVE,
          formats=(_PAGE, ("x", Platform.X), ("tiktok", Platform.TIKTOK))),
    Event("comment.hidden", "the account hid a comment", InteractionKind.COMMENT,
          happened=EventType.HIDE, by_account=True,
          formats=(_PAGE, ("tiktok", Platform.TIKTOK))),
    Event("comment.unhidden", "the account showed a hidden comment again",
          InteractionKind.COMMENT, happened=EventType.UNHIDE, by_account=True,
          formats=(_PAGE, ("tiktok", Platform.TIKTOK))),
    Event("message.edited", "a person edited their message", InteractionKind.DM,
          happened=EventType.MESSAGE_EDIT, formats=_IG),
    Event("message.unsent", "a person took their message back", InteractionKind.DM,
          happened=EventType.UNSEND, formats=_IG),
    Event("message.reacted", "a person reacted to the account's message", InteractionKind.DM,
          reply=True, happened=EventType.REACT, formats=_IG),
    Event("message.unreacted", "a person took their reaction back", InteractionKind.DM,
          reply=True, happened=EventType.UNREACT, formats=_IG),
    Event("message.read", "a person saw the account's message", InteractionKind.DM,
          reply=True, happened=EventType.READ, formats=_IG),
)  # fmt: skip
EVENTS = {e.name: e for e in CATALOGUE}


def event_named(name: str) -> Event:
    if name not in EVENTS:
        raise TriggerError(
            f"EVENT: no event {name!r}; the catalogue (demosim trigger --list): "
            + ", ".join(EVENTS)
        )
    return EVENTS[name]


# --- overrides ----------------------------------------------------------------------------

PATHS = (*FIELDS[:5], "platform", *FIELDS[5:])


@dataclass(frozen=True, slots=True)
class Override:
    path: str
    value: str


def overrides(pairs: Sequence[str]) -> tuple[Override, ...]:
    """`path=value` pairs, each path one of PATHS and each value one its field takes."""
    read = []
    for pair in pairs:
        path, sep, value = pair.partition("=")
        path = path.strip()
        if not sep:
            raise TriggerError(f"--override {pair!r}: write it as path=value")
        if path not in PATHS:
            raise TriggerError(
                f"--override {pair!r}: no field {path!r}; the fields: {', '.join(PATHS)}"
            )
        if path == "platform" and value not in {m.value for m in Platform}:
            why: str | None = f"platform is one of {', '.join(m.value for m in Platform)}"
        else:
            why = field_error(path, value)
        if why is not None:
            raise TriggerError(f"--override {pair!r}: {why}")
        read.append(Override(path, value))
    return tuple(read)


def _overridden(item: WebhookInteraction, given: Sequence[Override]) -> WebhookInteraction:
    # (the platform is the one generated for: sample_platform)
    return with_fields(item, [(o.path, o.value) for o in given if o.path != "platform"])


def sample_platform(event: Event, format_name: str, given: Sequence[Override]) -> Platform:
    """The platform the event is generated for: the format's, or the one asked for where the
    format sends the event for it too (demosim's format: any; Meta's: Instagram or a Page)."""
    platform = event.platform(format_name)
    if platform is None:
        where = ", ".join(f for f, _ in event.formats)
        raise TriggerError(f"--format {format_name}: {event.name} is sent in {where}")
    asked = next((Platform(o.value) for o in given if o.path == "platform"), None)
    if asked is None or asked is platform:
        return platform
    allowed = {
        "demosim": set(Platform),
        "meta": {Platform.INSTAGRAM, Platform.FACEBOOK} if event.happened is None else set(),
    }.get(format_name, set())
    if asked not in allowed:
        raise TriggerError(
            f"--override platform={asked.value}: the {format_name} format sends {event.name} "
            f"for {platform.value} only"
        )
    return asked


# --- samples ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Sample:
    """Items to send and the account they are of (its name signs what it says)."""

    items: tuple[WebhookInteraction, ...]
    creator: Author
    parents: dict[str, WebhookInteraction]  # a reply's comment, by its platform id


def samples(
    event: Event,
    format_name: str,
    count: int,
    at: datetime,
    given: Sequence[Override] = (),
    rng: random.Random | None = None,
) -> Sample:
    """`count` items of `event`, as demo accounts' generation writes them, each stamped `at`."""
    if not 1 <= count <= MOST:
        raise TriggerError(f"--count must be between 1 and {MOST}, got {count}")
    at = check_time(at)
    rng = rng or random.Random()
    platform = sample_platform(event, format_name, given)
    found: list[WebhookInteraction] = []
    parents: dict[str, WebhookInteraction] = {}
    creator: Author | None = None
    for _ in range(MOST):
        sizes = DemoSizes(content=3, comments=min(200, 3 * count + 20), dms=min(60, count + 5))
        profile = _throwaway(rng, platform, format_name, sizes, at)
        creator = creator or account_author(profile)
        said = generate_demo(profile, at, profile.sizes)
        every = (*said.comments, *said.dms)
        parents.update({i.platform_id: i for i in said.comments})
        for item in every:
            if len(found) == count:
                break
            if _fits(event, item):
                found.append(_as_event(event, item, every, creator, len(found), at))
        if len(found) == count:
            break
    assert creator is not None
    items = tuple(_overridden(replace(i, occurred_at=at), given) for i in found)
    return Sample(items, creator, parents)


def _throwaway(
    rng: random.Random, platform: Platform, format_name: str, sizes: DemoSizes, at: datetime
) -> DemoProfile:
    """A demo account made up for the run, of any persona."""
    return DemoProfile(
        account_id=UUID(int=rng.getrandbits(128), version=4),
        platform=platform,
        persona=rng.choice(list(Persona)),
        dm_frequency=DmFrequency.MEDIUM,
        seed=rng.getrandbits(31),
        locale="en_US",
        sizes=sizes,
        enabled_at=at,
        # a platform's format carries the platform's ids ("7312…", Snowflakes)
        delivery=Delivery.DEMOSIM if format_name == "demosim" else Delivery.NATIVE,
        access_token=None if format_name == "demosim" else "trigger",
    )


# the platform each format sends a scenario for, and the kinds it sends (TikTok: comments)
SCENARIO_FORMATS: dict[str, tuple[Platform, tuple[InteractionKind, ...]]] = {
    "demosim": (Platform.INSTAGRAM, (InteractionKind.COMMENT, InteractionKind.DM)),
    "meta": (Platform.INSTAGRAM, (InteractionKind.COMMENT, InteractionKind.DM)),
    "x": (Platform.X, (InteractionKind.COMMENT, InteractionKind.DM)),
    "tiktok": (Platform.TIKTOK, (InteractionKind.COMMENT,)),
}


def scenario_sample(
    scenario: Scenario,
    format_name: str,
    count: int | None,
    at: datetime,
    given: Sequence[Override] = (),
    rng: random.Random | None = None,
) -> tuple[Sample, list[timedelta]]:
    """A scenario's run from `at` for a throwaway account, its first `count` items (all of
    them where None), and when each arrives after the first."""
    at = check_time(at)
    rng = rng or random.Random()
    platform, kinds = SCENARIO_FORMATS[format_name]
    if count is not None and not 1 <= count <= MOST:
        raise TriggerError(f"--count must be between 1 and {MOST}, got {count}")
    profile = _throwaway(rng, platform, format_name, DemoSizes(content=6, comments=20, dms=2), at)
    posts = generate_demo(profile, at - timedelta(hours=1), profile.sizes).content
    made = generate_scenario(profile, scenario, at, f"trigger:{rng.getrandbits(64):x}", posts)
    items = [i for i in made.items if i.kind in kinds][:count]
    if len(items) > MOST:
        raise TriggerError(
            f"{scenario.name}: {len(items):,} events; send at most {MOST:,} (--count)"
        )
    items = [_overridden(i, given) for i in items]
    parents = {i.platform_id: i for i in made.items if i.kind is InteractionKind.COMMENT}
    sample = Sample(tuple(items), account_author(profile), parents)
    return sample, [i.occurred_at - items[0].occurred_at for i in items]


def _fits(event: Event, item: WebhookInteraction) -> bool:
    if item.kind is not event.kind or item.event is not None:
        return False
    if event.happened is not None and event.kind is InteractionKind.DM:
        # on a message: the person's own (an edit, an unsend), or the account's (a reaction)
        return item.author.is_creator is event.reply
    if event.happened is not None:  # on a comment: a person's comment
        return not item.author.is_creator
    if item.author.is_creator is not event.by_account:
        return False
    return (item.in_reply_to is not None) is event.reply


def _as_event(
    event: Event,
    item: WebhookInteraction,
    batch: Sequence[WebhookInteraction],
    creator: Author,
    n: int,
    at: datetime,
) -> WebhookInteraction:
    """The item itself, or what happened to it, by whom it happens to in the platform's telling."""
    if event.happened is None:
        return item
    if event.by_account:
        who = creator
    elif item.author.is_creator:  # the person the account wrote to
        who = next(
            (
                i.author
                for i in batch
                if i.conversation_id == item.conversation_id and not i.author.is_creator
            ),
            Author("someone", "someone"),
        )
    else:
        who = item.author
    words = {
        EventType.EDITED: f"{item.text}\n\nEdit: typo 🙈",
        EventType.MESSAGE_EDIT: f"{item.text} (autocorrect 🙈)",
    }.get(event.happened, "")
    edits = 1 if event.happened is EventType.MESSAGE_EDIT else 0
    return happened(item, event.happened, who, at, n, words, edits)


# --- what is sent, and what a correct endpoint answers --------------------------------------


@dataclass(frozen=True, slots=True)
class Expect:
    says: str
    low: int  # the statuses that meet it: low ≤ status < high
    high: int

    def met(self, answer: Answer) -> bool:
        return answer.status is not None and self.low <= answer.status < self.high


ACCEPTED = Expect("2xx", 200, 300)
NEGATIVES: dict[str, tuple[Expect, str]] = {
    "bad-signature": (
        Expect("4xx (401): a signature the secret did not make is refused", 400, 500),
        "signed with another secret",
    ),
    "stale-timestamp": (
        Expect("4xx (401): a signature older than 5 minutes is refused (a replay)", 400, 500),
        "signed 10 minutes ago",
    ),
    "duplicate-id": (
        Expect("2xx both times, the event stored once (platforms deliver at least once)", 200, 300),
        "the same event twice",
    ),
    "out-of-order": (
        Expect("2xx for both: a reply may arrive before the comment it answers", 200, 300),
        "a reply, then the comment it answers",
    ),
    "oversized": (
        Expect("4xx (413): a body over what the endpoint takes is refused unread", 400, 500),
        f"a body of {OVERSIZED:,} bytes",
    ),
    "unknown-event": (
        Expect("2xx (acknowledged, ignored) or 4xx, never a 5xx or no answer", 200, 500),
        "an event type the endpoint was not told about",
    ),
}


@dataclass(frozen=True, slots=True)
class Send:
    """One POST: what it is, its body, the id it is signed with, how, and what should answer."""

    label: str
    event: str
    webhook_id: str
    body: bytes
    expect: Expect = ACCEPTED
    forged: bool = False
    age: timedelta = timedelta(0)  # signed this long before it is sent
    due: timedelta | None = None  # a scenario's: sent this long after the first send


@dataclass(frozen=True, slots=True)
class Sent:
    send: Send
    answer: Answer

    @property
    def ok(self) -> bool:
        return self.send.expect.met(self.answer)


def plan_scenario(
    fmt: SignedFormat,
    name: str,
    sample: Sample,
    due: Sequence[timedelta],
    new_id: Callable[[], str] = lambda: f"msg_{random.getrandbits(96):024x}",
) -> list[Send]:
    """A scenario's items one POST each, in the order they arrive, each when it does."""
    return [
        Send(f"{name} #{n + 1} ({item.kind.value})", name, new_id(), body, due=after)
        for n, (item, after) in enumerate(zip(sample.items, due, strict=True))
        for body in fmt.payloads([item], sample.creator)
    ]


def plan(
    fmt: SignedFormat,
    event: Event,
    sample: Sample,
    negatives: Sequence[str] = (),
    new_id: Callable[[], str] = lambda: f"msg_{random.getrandbits(96):024x}",
) -> list[Send]:
    """The sample's events one POST each, or, with negatives, each negative case instead."""
    if not negatives:
        return [
            Send(f"{event.name} #{n + 1}", event.name, new_id(), body)
            for n, item in enumerate(sample.items)
            for body in fmt.payloads([item], sample.creator)
        ]
    for name in negatives:
        if name not in NEGATIVES:
            raise TriggerError(f"--negative {name!r}: one of {', '.join(NEGATIVES)}")
        if name == "stale-timestamp" and not fmt.signs_time:
            raise TriggerError(
                f"--negative stale-timestamp: the {fmt.name} format's signature carries no "
                "time (nothing to be stale); use it with --format demosim or tiktok"
            )
    item = sample.items[0]
    body = fmt.payloads([item], sample.creator)[0]
    sends: list[Send] = []
    for name in negatives:
        expect, what = NEGATIVES[name]
        label = f"{name}: {what}"
        if name == "bad-signature":
            sends.append(Send(label, event.name, new_id(), body, expect, forged=True))
        elif name == "stale-timestamp":
            sends.append(Send(label, event.name, new_id(), body, expect, age=STALE))
        elif name == "duplicate-id":
            same = new_id()
            sends += [Send(f"{label} (1)", event.name, same, body, expect),
                      Send(f"{label} (2)", event.name, same, body, expect)]  # fmt: skip
        elif name == "out-of-order":
            # the last of the sample: another event than the one the other cases send
            # (nor the comment it answers: a reply to a reply of the sample had its comment
            # sent as the duplicate, and the endpoint rightly stored one row fewer)
            reply = next(
                (
                    i
                    for i in reversed(sample.items)
                    if i.in_reply_to in sample.parents
                    and item.platform_id not in (i.platform_id, i.in_reply_to)
                ),
                None,
            )
            if reply is None or not event.answers:
                raise TriggerError(
                    "--negative out-of-order sends a reply before its comment: use it with "
                    "comment.reply"
                )
            parent = sample.parents[reply.in_reply_to or ""]
            parent = replace(parent, occurred_at=reply.occurred_at - timedelta(minutes=1))
            for part, said in (("the reply", reply), ("its comment", parent)):
                for b in fmt.payloads([said], sample.creator):
                    sends.append(Send(f"{label} ({part})", event.name, new_id(), b, expect))
        elif name == "oversized":
            padded = body[:-1] + b" " * max(0, OVERSIZED - len(body)) + body[-1:]
            sends.append(Send(label, event.name, new_id(), padded, expect))
        else:
            sends.append(Send(label, "unknown", new_id(), fmt.unknown_event(item), expect))
    return sends


def run(
    fmt: SignedFormat,
    sends: Sequence[Send],
    now: Callable[[], datetime],
    rate: float | None = None,
    sleep: Callable[[float], None] = lambda s: None,
) -> Iterator[Sent]:
    """Each send signed at the moment it goes (minus its age), `rate` a second at most; a
    scenario's, without a rate, each when its curve has it arrive."""
    forged = fmt.forged() if any(s.forged for s in sends) else fmt
    began = now()
    for n, send in enumerate(sends):
        if rate and n:
            sleep(1 / rate)
        elif not rate and send.due is not None:
            wait = (began + send.due - now()).total_seconds()
            if wait > 0:
                sleep(wait)
        signer = forged if send.forged else fmt
        headers = signer.headers(send.webhook_id, send.body, now() - send.age)
        yield Sent(send, fmt.post(send.body, headers))


def rate_of(text: str) -> float:
    """'20/s', '20', '300/m' or '3600/h' as events a second."""
    count, _, unit = text.strip().partition("/")
    seconds = {"": 1, "s": 1, "m": 60, "min": 60, "h": 3600}.get(unit.strip())
    try:
        value = float(count)
    except ValueError:
        value = 0.0
    if seconds is None or not value > 0:
        raise TriggerError(f"--rate {text!r}: write it as events per second, minute or hour "
                           "(20/s, 300/m, 3600/h)")  # fmt: skip
    return value / seconds


def check_time(at: datetime) -> datetime:
    try:
        return require_aware(at, "--timestamp")
    except DomainError as exc:
        raise TriggerError(f"--timestamp: {exc}; add an offset (2026-12-01T09:00:00Z)") from None
