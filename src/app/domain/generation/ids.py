"""Platform ids: derived from the account, its seed and what is generated, so that the same
inputs give the same ids and a retried batch upserts the rows it stored before."""

import hashlib

from app.domain.demo import Delivery, DemoProfile, native_user_id
from app.domain.platforms import facts_of, native_platform_id


def platform_id(
    profile: DemoProfile, kind: str, stream: str, n: int, under: str | None = None
) -> str:
    """'yt-c-3f9a…': the platform's prefix, the kind of thing (v, c, dm, conv), a stable
    digest; for a native account, the platform's own form of id (native_platform_id; a
    comment's `under` the id of its post)."""
    name = f"{profile.seed}:{stream}:{n}"
    if profile.delivery is Delivery.NATIVE:
        user_id = native_user_id(profile.account_id, profile.platform)
        return native_platform_id(
            kind, f"{profile.account_id}:{name}", user_id, profile.platform, under
        )
    digest = name_digest(profile.account_id.bytes, name)
    return f"{facts_of(profile.platform).id_prefix}-{kind}-{digest}"


def name_digest(namespace: bytes, name: str) -> str:
    """The first 20 hex digits of uuid.uuid5(namespace, name), without building the UUID
    (this runs for every generated item): SHA-1 of the two, version 5 and the RFC 4122
    variant set in bytes 6 and 8."""
    b = bytearray(hashlib.sha1(namespace + name.encode(), usedforsecurity=False).digest()[:10])
    b[6] = (b[6] & 0x0F) | 0x50
    b[8] = (b[8] & 0x3F) | 0x80
    return b.hex()
