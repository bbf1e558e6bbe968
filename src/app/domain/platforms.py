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
import re
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
    # a tag is the person's name ("Jessica Miller"), not an @handle: Facebook's
    tags_by_name: bool = False
    # "First!" under a new post: YouTube's and TikTok's habit, not a Page's audience's
    firsts: bool = True
    # the longest comment the platform takes, in characters: TikTok's 150 ("Max length of 150
    # characters", the API for Business); the others' are past anything people write here
    comment_most: int | None = None
    # a reply answers the reply it replies to, at any depth (X's posts), where the others'
    # threads are one level, every reply under the top comment
    nested_replies: bool = False


FACTS: dict[Platform, PlatformFacts] = {
    Platform.YOUTUBE: PlatformFacts(
        "yo", ("description", "description", "pinned"), True, True, True, 2
    ),
    Platform.INSTAGRAM: PlatformFacts("in", ("bio",), False, False, False, 6),
    Platform.TIKTOK: PlatformFacts("ti", ("bio",), False, False, True, 6, comment_most=150),
    # a Page's post carries its own link; people tag friends by name, and often
    Platform.FACEBOOK: PlatformFacts(
        "fb", ("post",), False, False, True, 8, tags_by_name=True, firsts=False
    ),
    # a post's replies: a link in the bio, friends tagged by @handle, no "First!"; a post is
    # at most 280 characters ("Counting characters", docs.x.com: a standard account's limit)
    Platform.X: PlatformFacts(
        "xp",
        ("bio",),
        False,
        False,
        False,
        4,
        firsts=False,
        comment_most=280,
        nested_replies=True,
    ),
}


def facts_of(platform: Platform | str) -> PlatformFacts:
    return FACTS[Platform(platform)]


def native_id(kind: str, name: str) -> str:
    """A numeric string id for what `name` is, as Meta's ids look ("17841405793187218"): 18
    digits, stable, and within a 64-bit integer for hosts that keep them as one."""
    digest = hashlib.blake2b(f"{kind}\x1f{name}".encode(), digest_size=8).digest()
    return f"17{int.from_bytes(digest) % 10**16:016d}"


# an id of demosim's own form, "in-c-3f9a…" (a Messenger mid has dashes of its own)
DEMOSIM_FORM = re.compile(r"^[a-z]{2}-[a-z]+-[0-9a-f]+$")


def message_mid(account_user_id: str, message: str, platform: Platform | str = "instagram") -> str:
    """A message's `mid` as the platform's look: Instagram's base64 without padding
    ("aWdfZAG1faXRlbTox…"), Messenger's "m_" and 86 characters of URL-safe base64."""
    if platform == Platform.FACEBOOK:
        digest = hashlib.blake2b(f"{account_user_id}\x1f{message}".encode()).digest()
        return "m_" + base64.urlsafe_b64encode(digest).decode().rstrip("=")
    raw = f"ig_message_item:1:IGMessageData:{account_user_id}:{message}"
    return base64.b64encode(raw.encode()).decode().rstrip("=")


def meta_id(
    kind: str,
    platform_id: str,
    account_user_id: str,
    platform: Platform | str = "instagram",
    under: str | None = None,
) -> str:
    """An item's id as Meta gives it: what demosim made for a native account is in Meta's
    form already (`native_platform_id`); an id of demosim's own form ("in-c-3f9a…", made
    while the account was not native) is mapped to one, the same every time (a Facebook
    comment's `under` its post's id, mapped too)."""
    if not DEMOSIM_FORM.match(platform_id):
        return platform_id
    if kind == "dm":
        return message_mid(account_user_id, native_id("message", platform_id), platform)
    if platform == Platform.FACEBOOK and kind in ("media", "comment"):
        if kind == "media":
            return f"{account_user_id}_{native_id('post', platform_id)}"
        post = meta_id("media", under, account_user_id, platform) if under else account_user_id
        return _under(post, native_id(kind, platform_id))
    return native_id(kind, platform_id)


def youtube_id(prefix: str, name: str, length: int, suffix: str = "") -> str:
    """An id as YouTube's look: URL-safe base64 characters, stable for the name: a video's 11
    ("dQw4w9WgXcQ"), a channel's "UC" and 22, a comment thread's "Ug", 17 and "4AaABAg"
    (YouTube Data API reference: resources' `id` examples)."""
    digest = hashlib.blake2b(name.encode(), digest_size=24).digest()
    return prefix + base64.urlsafe_b64encode(digest).decode()[:length] + suffix


def tiktok_id(name: str) -> str:
    """An id as TikTok's look: a 64-bit number as a string, 19 digits from 7 ("7304809083817774382":
    a video's, a comment's), stable for the name."""
    digest = hashlib.blake2b(f"tiktok\x1f{name}".encode(), digest_size=8).digest()
    return str(7 * 10**18 + int.from_bytes(digest) % 10**18)


def x_id(name: str) -> str:
    """An id as X's look: a Snowflake, a 64-bit number as a string of 19 digits from 1
    ("1582838499983564806": a post's, a DM event's, a user's in this century), stable for the
    name (X API v2 "Post object": "id … returned as a string")."""
    digest = hashlib.blake2b(f"x\x1f{name}".encode(), digest_size=8).digest()
    return str(18 * 10**17 + int.from_bytes(digest) % (2 * 10**17))


def tiktok_open_id(name: str) -> str:
    """An account's `open_id` (the API for Business's `business_id`, a webhook's
    `user_openid`): "act." and 28 characters, as TikTok's example "act.example12345…"."""
    return "act." + hashlib.blake2b(f"open-id\x1f{name}".encode(), digest_size=14).hexdigest()


def native_platform_id(
    kind: str,
    name: str,
    account_user_id: str,
    platform: Platform | str = "instagram",
    under: str | None = None,
) -> str:
    """The id demosim makes for a native account's item (kind "dm": a message's `mid`;
    "conv": the person's scoped id; otherwise a numeric id), so that the rows, Meta's
    webhooks and the emulated APIs all name it alike. A Facebook Page's post is
    "{page-id}_{post}", a comment "{post}_{comment}" (`under`: its post's id), as Graph's are;
    a YouTube video's and comment's are YouTube's forms, a TikTok video's and comment's
    TikTok's; on X, each is a Snowflake."""
    if platform == Platform.TIKTOK and kind in ("v", "c"):
        return tiktok_id(f"{kind}\x1f{name}")
    if platform == Platform.X:  # a post, a reply, a DM event, a person: all Snowflakes
        return x_id(f"{kind}\x1f{name}")
    if platform == Platform.YOUTUBE and kind in ("v", "c"):
        if kind == "v":
            return youtube_id("", f"video\x1f{name}", 11)
        return youtube_id("Ug", f"comment\x1f{name}", 17, "4AaABAg")
    if kind == "dm":
        return message_mid(account_user_id, native_id("message", name), platform)
    if platform == Platform.FACEBOOK and kind == "v":
        return f"{account_user_id}_{native_id('post', name)}"
    if platform == Platform.FACEBOOK and kind == "c":
        return _under(under or account_user_id, native_id(kind, name))
    return native_id(kind, name)


def _under(post_id: str, own: str) -> str:
    """A Facebook comment's id: the number of the post it is on, and its own."""
    return f"{post_id.rpartition('_')[2]}_{own}"
