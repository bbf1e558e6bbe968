"""The one backoff: how long to wait before trying again, for jobs, webhooks and the database."""

import random
from datetime import timedelta


def backoff(
    attempt: int, base: timedelta, cap: timedelta, rng: random.Random | None = None
) -> timedelta:
    """The wait after attempt n failed: base·2^(n-1), at most cap; with rng, half to all of it
    (jitter, so retries of many failures spread out)."""
    ceiling = min(cap, base * (1 << min(20, max(0, attempt - 1))))
    return ceiling * rng.uniform(0.5, 1.0) if rng is not None else ceiling
