"""Platform ids: derived from the account, its seed and what is generated, so that the same
inputs give the same ids and a retried batch upserts the rows it stored before."""

import uuid

from app.domain.demo import DemoProfile


def platform_id(profile: DemoProfile, kind: str, stream: str, n: int) -> str:
    """'yt-c-3f9a…': the platform's prefix, the kind of thing (v, c, dm), a stable digest."""
    digest = uuid.uuid5(profile.account_id, f"{profile.seed}:{stream}:{n}").hex[:20]
    return f"{profile.platform.value[:2]}-{kind}-{digest}"
