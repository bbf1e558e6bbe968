"""Platform ids: derived from the account, its seed and what is generated, so that the same
inputs give the same ids and a retried batch upserts the rows it stored before."""

import hashlib

from app.domain.demo import DemoProfile
from app.domain.platforms import facts_of


def platform_id(profile: DemoProfile, kind: str, stream: str, n: int) -> str:
    """'yt-c-3f9a…': the platform's prefix, the kind of thing (v, c, dm), a stable digest."""
    digest = name_digest(profile.account_id.bytes, f"{profile.seed}:{stream}:{n}")
    return f"{facts_of(profile.platform).id_prefix}-{kind}-{digest}"


def name_digest(namespace: bytes, name: str) -> str:
    """The first 20 hex digits of uuid.uuid5(namespace, name), without building the UUID
    (this runs for every generated item): SHA-1 of the two, version 5 and the RFC 4122
    variant set in bytes 6 and 8."""
    b = bytearray(hashlib.sha1(namespace + name.encode(), usedforsecurity=False).digest()[:10])
    b[6] = (b[6] & 0x0F) | 0x50
    b[8] = (b[8] & 0x3F) | 0x80
    return b.hex()
