"""Months of a demo's past, filled as the schedules would have made them: each day's posts and
each 6-hour tick's comments and DMs over the days before a slot of the ticks' grid. The same
account, days and end give the same items (a re-run stores nothing new); the live ticks after
it begin at its end (`DemoProfile.history_until`), so the two neither overlap nor leave a gap."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from app.domain.demo import Content, DemoProfile
from app.domain.generation.initial_batch import GeneratedDemo, Progress, unheard
from app.domain.generation.ticks import TICK_WINDOW, generate_daily_content, window
from app.domain.inbox import InteractionKind, WebhookInteraction
from app.domain.time import require_aware

DAY = timedelta(days=1)


def history_end(now: datetime) -> datetime:
    """The ticks' slot at or before `now` (every 6 hours from midnight UTC): where a history
    asked for now ends, the same all through the slot."""
    now = require_aware(now, "now")
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight + TICK_WINDOW * ((now - midnight) // TICK_WINDOW)


def history_windows(days: int, end: datetime) -> list[datetime]:
    """The ends of the ticks' windows from `days` before `end` up to `end`, oldest first."""
    end = require_aware(end, "end")
    n = int(days * DAY / TICK_WINDOW)
    return [end - TICK_WINDOW * k for k in range(n - 1, -1, -1)]


def generate_history(
    profile: DemoProfile, days: int, end: datetime, progress: Progress = unheard
) -> GeneratedDemo:
    """The `days` before `end`: a day's posts, then its four windows of comments and DMs on
    what was posted by then (the newest drawing the most), every item before `end`;
    `progress` told (windows done, windows) after each."""
    end = require_aware(end, "end").astimezone(UTC)
    unfilled = replace(profile, history_until=None)  # (the ticks' own limit is this history)
    content: list[Content] = []
    items: list[WebhookInteraction] = []
    windows = history_windows(days, end)
    for k, at in enumerate(windows):
        progress(k, len(windows))
        opens = at - TICK_WINDOW
        if (end - opens) % DAY == timedelta(0):  # a day begins: its posts, over the day
            content += generate_daily_content(profile, opens + DAY)
        posted = [c for c in content if c.published_at < at]
        stamp = at.strftime("%Y%m%dT%H%M%S")
        items += window(unfilled, opens, at, posted, f"history:{stamp}")
    return GeneratedDemo(
        content=tuple(content),
        comments=tuple(i for i in items if i.kind is InteractionKind.COMMENT),
        dms=tuple(i for i in items if i.kind is InteractionKind.DM),
    )
