import base64
import dataclasses
import json
import re
import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from app.domain.demo import native_user_id
from app.domain.errors import InvalidCursorError, NaiveDatetimeError
from app.domain.inbox import DayCount, InboxFilter, Platform, fill_days
from app.domain.pagination import Cursor
from app.domain.platforms import native_platform_id
from app.domain.time import require_aware
from helpers import incoming

ACCOUNT = uuid.uuid4()


def test_naive_datetimes_are_rejected_naming_the_field() -> None:
    with pytest.raises(NaiveDatetimeError, match="occurred_at must be timezone-aware"):
        incoming("x", ACCOUNT, datetime(2026, 1, 1))  # noqa: DTZ001
    with pytest.raises(NaiveDatetimeError, match="since"):
        InboxFilter(ACCOUNT, since=datetime(2026, 1, 1))  # noqa: DTZ001


def test_aware_datetimes_are_normalised_to_utc() -> None:
    at = datetime(2026, 1, 1, 1, tzinfo=timezone(timedelta(hours=2)))
    assert require_aware(at, "at") == datetime(2025, 12, 31, 23, tzinfo=UTC)
    assert incoming("x", ACCOUNT, at).occurred_at.tzinfo is UTC


def test_entities_are_frozen_plain_dataclasses() -> None:
    item = incoming("x", ACCOUNT, datetime.now(UTC))
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.text = "changed"  # type: ignore[misc]
    assert not hasattr(item, "_sa_instance_state")
    assert not hasattr(item, "__dict__")  # slots: nothing can be attached to it


def test_cursor_round_trips_and_rejects_foreign_tokens() -> None:
    cursor = Cursor(datetime(2026, 5, 1, 12, 30, 0, 123456, tzinfo=UTC), uuid.uuid4())
    assert Cursor.decode(cursor.encode()) == cursor
    naive = _token(["2026-05-01T12:30:00", str(uuid.uuid4())])
    bad_id = _token(["2026-05-01T12:30:00+00:00", "x"])
    for token in ("", "not-a-cursor", _token([]), naive, bad_id):
        with pytest.raises(InvalidCursorError):
            Cursor.decode(token)


def _token(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


def test_fill_days_covers_every_day_with_zeros_between() -> None:
    days = fill_days(
        date(2026, 1, 1), date(2026, 1, 3), {date(2026, 1, 2): DayCount(date(2026, 1, 2), 4, 1)}
    )
    assert [(d.day.day, d.comments, d.dms, d.total) for d in days] == [
        (1, 0, 0, 0),
        (2, 4, 1, 5),
        (3, 0, 0, 0),
    ]


def test_one_backoff_doubles_to_its_cap_and_jitters_within_half_to_all() -> None:
    import random
    from datetime import timedelta

    from app.domain.backoff import backoff

    base, cap = timedelta(seconds=0.25), timedelta(seconds=5)
    waits = [backoff(n, base, cap).total_seconds() for n in range(1, 8)]
    assert waits == [0.25, 0.5, 1.0, 2.0, 4.0, 5.0, 5.0]
    rng = random.Random(1)
    jittered = [backoff(3, base, cap, rng) for _ in range(50)]
    assert all(timedelta(seconds=0.5) <= w <= timedelta(seconds=1) for w in jittered)
    assert len(set(jittered)) > 1


def test_a_native_youtube_channels_ids_are_in_youtubes_forms() -> None:
    """Video ids of 11 URL-safe characters, comment ids "Ug" … "4AaABAg", the channel "UC" and
    22: stable for what they name, different for different things."""
    channel = native_user_id(uuid.UUID(int=7), Platform.YOUTUBE)
    assert re.fullmatch(r"UC[A-Za-z0-9_-]{22}", channel)
    videos = {native_platform_id("v", f"v{n}", channel, Platform.YOUTUBE) for n in range(50)}
    comments = {native_platform_id("c", f"c{n}", channel, Platform.YOUTUBE) for n in range(50)}
    assert len(videos) == 50
    assert len(comments) == 50
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{11}", v) for v in videos)
    assert all(re.fullmatch(r"Ug[A-Za-z0-9_-]{17}4AaABAg", c) for c in comments)
    assert native_platform_id("v", "v1", channel, Platform.YOUTUBE) in videos
