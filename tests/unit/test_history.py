"""A backfilled past (issue 26): the windows it covers, every item inside them, the same items
for the same account, days and end, and the live ticks after it beginning where it ends."""

import itertools
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.demo import DemoProfile, DemoSizes, DmFrequency, Persona
from app.domain.generation import generate_tick
from app.domain.generation.history import generate_history, history_end, history_windows
from app.domain.generation.ticks import TICK_WINDOW
from app.domain.inbox import Platform

NOW = datetime(2026, 11, 20, 14, 47, tzinfo=UTC)
PROFILE = DemoProfile(
    account_id=uuid.UUID("7b1d2c3e-0000-4000-8000-0000000000b1"),
    platform=Platform.INSTAGRAM,
    persona=Persona.FITNESS,
    dm_frequency=DmFrequency.MEDIUM,
    seed=3,
    locale="en_US",
    sizes=DemoSizes(),
    enabled_at=NOW - timedelta(days=2),
)


@pytest.mark.parametrize(
    ("now", "end"),
    [
        (NOW, datetime(2026, 11, 20, 12, tzinfo=UTC)),
        (datetime(2026, 11, 20, 18, tzinfo=UTC), datetime(2026, 11, 20, 18, tzinfo=UTC)),
        (datetime(2026, 11, 21, 5, 59, 59, tzinfo=UTC), datetime(2026, 11, 21, tzinfo=UTC)),
    ],
)
def test_a_history_ends_on_the_ticks_last_slot(now: datetime, end: datetime) -> None:
    assert history_end(now) == end  # the ongoing-interactions schedule's "0 */6 * * *"


def test_the_windows_cover_the_days_before_the_end_without_gap() -> None:
    end = history_end(NOW)
    windows = history_windows(3, end)
    assert len(windows) == 12
    assert windows[-1] == end
    assert windows[0] - TICK_WINDOW == end - timedelta(days=3)
    assert all(b - a == TICK_WINDOW for a, b in itertools.pairwise(windows))


def test_a_history_is_inside_its_days_and_the_same_every_time() -> None:
    end = history_end(NOW)
    history = generate_history(PROFILE, 7, end)
    said = [*history.comments, *history.dms]
    assert len(history.content) == 7 * 2  # the day's two posts
    assert len(said) > 7 * 4 * 10  # ten comments a window, and DMs
    assert all(end - timedelta(days=7) <= i.occurred_at < end for i in said)
    assert all(end - timedelta(days=7) <= c.published_at < end for c in history.content)
    posted = {c.platform_id: c.published_at for c in history.content}
    comments = [c for c in history.comments if c.content is not None]
    assert all(posted[c.content.platform_id] <= c.occurred_at for c in comments)
    assert len({i.platform_id for i in said}) == len(said)
    assert generate_history(PROFILE, 7, end) == history  # a re-run: the same rows


def test_the_live_ticks_after_a_history_begin_where_it_ends() -> None:
    end = history_end(NOW)
    history = generate_history(PROFILE, 2, end)
    filled = replace(PROFILE, history_until=end)
    # the slot after the end: its whole window is after the history
    after = generate_tick(filled, end + TICK_WINDOW, history.content)
    assert after == generate_tick(PROFILE, end + TICK_WINDOW, history.content)
    # a tick whose window began before the end begins at the end
    inside = generate_tick(filled, end + timedelta(hours=2), history.content)
    assert inside
    assert all(end <= i.occurred_at < end + timedelta(hours=2) for i in inside)
    unfilled = generate_tick(PROFILE, end + timedelta(hours=2), history.content)
    assert any(i.occurred_at < end for i in unfilled)  # (what the limit keeps out)
    # and a tick at or before the end has nothing left to say
    assert generate_tick(filled, end, history.content) == ()
