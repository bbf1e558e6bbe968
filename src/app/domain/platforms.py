"""What each platform is, in one place: where its creators put links, what its posts and
comments are like, how its ids look. Generation asks these rather than naming a platform.

The platform dialects (SPEC.md "Platform emulation") land beside this: each family's webhook
envelope, signature, handshake and API shapes in `adapters/platforms/<family>/`, its HTTP
blueprint in `entrypoints/http/platforms/<family>.py`; the facts they share with generation
(ids, limits, which lifecycle events it sends) are added here, quoted from the platform's
documentation.
"""

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
    """A numeric string id for what `name` is, as Meta's ids look ("17841405793187218"): 17
    digits, stable, and within a 64-bit integer for hosts that keep them as one."""
    digest = hashlib.blake2b(f"{kind}\x1f{name}".encode(), digest_size=8).digest()
    return f"178{int.from_bytes(digest) % 10**14:014d}"
