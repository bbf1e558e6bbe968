"""YouTube's quota as the Data API counts it ("Quota usage", developers.google.com/youtube/v3/
getting-started#quota, and the "Quota costs" table, determine_quota_cost): 10,000 units a day
for a project, 1 for a list, 50 for an insert, an update, a delete or a moderation; "daily quota
resets at midnight Pacific Time". Counted here per channel (each native account stands for its
host's project), in Redis, one key per Pacific day."""

from datetime import datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import redis

DAILY = 10_000
COSTS = {"list": 1, "write": 50}
PACIFIC = ZoneInfo("America/Los_Angeles")


class RedisQuota:
    def __init__(self, connection: redis.Redis, daily: int = DAILY) -> None:
        self._redis = connection
        self._daily = daily

    def spend(self, account_id: UUID, units: int, now: datetime) -> bool:
        """Whether the channel had `units` left today (Pacific); if so they are spent. A
        request refused for quota spends nothing."""
        today = now.astimezone(PACIFIC).date()
        key = f"demosim:youtube:quota:{account_id}:{today.isoformat()}"
        midnight = datetime.combine(today + timedelta(days=1), datetime.min.time(), PACIFIC)
        with self._redis.pipeline() as pipe:
            pipe.incrby(key, units)
            pipe.expire(key, int((midnight - now).total_seconds()) + 3600)  # the day's, then gone
            total, _ = pipe.execute()
        if int(total) <= self._daily:
            return True
        self._redis.decrby(key, units)
        return False
