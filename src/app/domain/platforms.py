"""What each platform is, in one place: where its creators put links, what its posts and
comments are like, how its ids look. Generation asks these rather than naming a platform.

The platform dialects (SPEC.md "Platform emulation") land beside this: each family's webhook
envelope, signature, handshake and API shapes in `adapters/platforms/<family>/`, its HTTP
blueprint in `entrypoints/http/platforms/<family>.py`; the facts they share with generation
(ids, limits, which lifecycle events it sends) are added here, quoted from the platform's
documentation.
"""

import base64
import hashlib
from dataclasses import dataclass

from app.domain.inbox import Platform


@dataclass(frozen=True, slots=True)
class PlatformFacts:
    id_prefix: str  # of the ids demosim makes for it: "yo-c-…"
    # where a creator's links are, drawn per post: a video's description or pinned comment;
    # the profile's bio where a post has no room for them
    link_places: tuple[str, ...]
    chapters: bool  # long videos with chapters: comments cite moments ("4:12")
    # titles and chapters people complain about: clickbait, "where's the part about …"
    titled: bool
    long_posts: bool  # posts long enough for "way too long" (a reel is not)
    friend_tags: int  # how often a top-level comment tags a friend (weight): where it reaches them


FACTS: dict[Platform, PlatformFacts] = {
    Platform.YOUTUBE: PlatformFacts(
        "yo", ("description", "description", "pinned"), True, True, True, 2
    ),
    Platform.INSTAGRAM: PlatformFacts("in", ("bio",), False, False, False, 6),
    Platform.TIKTOK: PlatformFacts("ti", ("bio",), False, False, True, 6),
}


def facts_of(platform: Platform | str) -> PlatformFacts:
    return FACTS[Platform(platform)]


def native_id(kind: str, name: str) -> str:
    """A numeric string id for what `name` is, as Meta's ids look ("17841405793187218"): 18
    digits, stable, and within a 64-bit integer for hosts that keep them as one."""
    digest = hashlib.blake2b(f"{kind}\x1f{name}".encode(), digest_size=8).digest()
    return f"17{int.from_bytes(digest) % 10**16:016d}"


def message_mid(account_user_id: str, message: str) -> str:
    """A message's `mid` as Instagram's look ("aWdfZAG1faXRlbTox…"): base64, no padding."""
    raw = f"ig_message_item:1:IGMessageData:{account_user_id}:{message}"
    return base64.b64encode(raw.encode()).decode().rstrip("=")


def meta_id(kind: str, platform_id: str, account_user_id: str) -> str:
    """An item's id as Meta gives it: what demosim made for a native account is in Meta's
    form already (`native_platform_id`); an id of demosim's own form ("in-c-3f9a…", made
    while the account was not native) is mapped to one, the same every time."""
    if "-" not in platform_id:
        return platform_id
    if kind == "dm":
        return message_mid(account_user_id, native_id("message", platform_id))
    return native_id(kind, platform_id)


def native_platform_id(kind: str, name: str, account_user_id: str) -> str:
    """The id demosim makes for a native Meta account's item (kind "dm": a message's `mid`;
    "conv": the person's IGSID; otherwise a numeric id), so that the rows, Meta's webhooks
    and the emulated Graph API all name it alike."""
    if kind == "dm":
        return message_mid(account_user_id, native_id("message", name))
    return native_id(kind, name)
