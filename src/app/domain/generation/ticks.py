"""What the schedules add to a demo that is already running: the day's posts, and each
tick's comments and DMs."""

import random
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta

from app.domain.demo import Content, DemoProfile
from app.domain.generation.conversations import conversations
from app.domain.generation.happenings import happenings
from app.domain.generation.ids import platform_id
from app.domain.generation.initial_batch import Fans, someone, title
from app.domain.generation.threads import comments_on
from app.domain.generation.writer import Writer
from app.domain.inbox import WebhookInteraction
from app.domain.time import require_aware

DAILY_CONTENT = 2
TICK_COMMENTS = 10
TICK_WINDOW = timedelta(hours=6)  # a tick's interactions happened since the one before
RECENCY_HALF_LIFE_H = 12.0  # a post half a day old draws half the comments of a new one


def _stamp(at: datetime) -> str:
    return require_aware(at, "reference_time").strftime("%Y%m%dT%H%M%S")


def generate_daily_content(profile: DemoProfile, reference_time: datetime) -> tuple[Content, ...]:
    """The day's new posts, published in the 24 h before the reference time."""
    now = require_aware(reference_time, "reference_time")
    stream = f"daily:{_stamp(now)}"
    w = Writer(profile, stream)
    items = []
    used: Counter[str] = Counter()
    for i in range(DAILY_CONTENT):
        post_id = platform_id(profile, "v", stream, i)
        target = w.rng.randint(8, 40) * (w.rng.randint(3, 6) if w.rng.random() < 0.06 else 1)
        items.append(
            Content(
                account_id=profile.account_id,
                platform_id=post_id,
                title=title(w, post_id, used),
                published_at=now - timedelta(seconds=w.rng.uniform(300, 86400)),
                target_comments=target,
            )
        )
    return tuple(items)


def generate_tick(
    profile: DemoProfile, reference_time: datetime, content: Sequence[Content]
) -> tuple[WebhookInteraction, ...]:
    """One ongoing-interactions tick: comments on the account's content, weighted to the
    newest, and DMs at the profile's rate, all within the window before the reference time
    and after the account's backfilled history (none where that reaches the reference time)."""
    now = require_aware(reference_time, "reference_time")
    since = now - TICK_WINDOW
    if profile.history_until is not None and profile.history_until > since:
        since = profile.history_until
        if since >= now:
            return ()
    return window(profile, since, now, content, f"tick:{_stamp(now)}")


def window(
    profile: DemoProfile,
    since: datetime,
    now: datetime,
    content: Sequence[Content],
    stream: str,
) -> tuple[WebhookInteraction, ...]:
    """What happened between `since` and `now`: a tick's comments and DMs, drawn from
    `stream` (the same stream, the same items)."""
    w = Writer(profile, stream)
    posts = [c for c in content if c.published_at < now]
    items: list[WebhookInteraction] = []
    if posts:
        fans = Fans(profile)
        firsts: set[str] = set()
        weights = [
            0.5 ** ((now - c.published_at).total_seconds() / 3600 / RECENCY_HALF_LIFE_H)
            for c in posts
        ]
        times: dict[str, list[datetime]] = {}
        for _ in range(TICK_COMMENTS):
            post = w.rng.choices(posts, weights=weights)[0]
            times.setdefault(post.platform_id, []).append(
                _between(w.rng, max(since, post.published_at), now)
            )
        items += comments_on(
            w,
            [(post, times[post.platform_id]) for post in posts if post.platform_id in times],
            f"{stream}:comment",
            len(items),
            lambda: someone(w, fans),
            firsts,
        )
    items += conversations(
        w,
        profile.dm_frequency.dms_per_tick,
        since,
        now,
        content,
        lambda n: platform_id(profile, "dm", f"{stream}:dm", n),
        lambda n: platform_id(profile, "conv", f"{stream}:conversation", n),
    )
    return (*items, *happenings(profile, items, now, stream))


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + (end - start) * rng.random()
