"""The initial batch: content backdated over a month, comments spread over it, DMs."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.domain.demo import Content, DemoProfile, DemoSizes
from app.domain.generation.conversations import conversations
from app.domain.generation.ids import platform_id
from app.domain.generation.threads import thread_comments
from app.domain.generation.vocabulary import COMMENT_MIX, DM_MIX, EMOJI_REACTIONS
from app.domain.generation.writer import Fans, Writer
from app.domain.inbox import Author, ContentRef, Intent, InteractionKind, WebhookInteraction
from app.domain.time import require_aware

DM_DAYS = 14
CONTENT_DAYS = 30


@dataclass(frozen=True, slots=True)
class GeneratedDemo:
    content: tuple[Content, ...]
    comments: tuple[WebhookInteraction, ...]
    dms: tuple[WebhookInteraction, ...]


def generate_demo(
    profile: DemoProfile, reference_time: datetime, sizes: DemoSizes
) -> GeneratedDemo:
    now = require_aware(reference_time, "reference_time")
    content = _content(profile, now, sizes)
    return GeneratedDemo(
        content=content,
        comments=_comments(profile, now, content),
        dms=_dms(profile, now, sizes.dms),
    )


def _content(profile: DemoProfile, now: datetime, sizes: DemoSizes) -> tuple[Content, ...]:
    w = Writer(profile, "content")
    n = sizes.content
    if n == 0:
        return ()
    # a skewed (Zipf-like) share per content, with the odd viral spike
    weights = [1 / (rank + 1) ** 1.1 for rank in range(n)]
    w.rng.shuffle(weights)
    for i in range(n):
        if w.rng.random() < 0.06:
            weights[i] *= w.rng.uniform(3, 6)
    targets = _allocate(sizes.comments, weights)
    items = []
    used: set[str] = set()
    for i in range(n):
        age = timedelta(days=CONTENT_DAYS) * (n - i - w.rng.random()) / n  # oldest first, to ~now
        topic = w.words.topics[i % len(w.words.topics)]
        title = w.fill(w.rng.choice(w.words.titles), topic, title=True)
        for _ in range(20):  # a channel does not post the same title twice
            if title not in used:
                break
            title = w.fill(w.rng.choice(w.words.titles), w.rng.choice(w.words.topics), title=True)
        used.add(title)
        items.append(
            Content(
                account_id=profile.account_id,
                platform_id=platform_id(profile, "v", "content", i),
                title=title,
                published_at=now - max(age, timedelta(minutes=30)),
                target_comments=targets[i],
            )
        )
    return tuple(items)


def _allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split total in proportion to weights, exactly (largest remainder)."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: shares[i] - counts[i], reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _comments(
    profile: DemoProfile, now: datetime, content: Sequence[Content]
) -> tuple[WebhookInteraction, ...]:
    w = Writer(profile, "comments")
    fans = Fans(profile)
    firsts: set[str] = set()  # posts that have their "First!"
    items: list[WebhookInteraction] = []
    for post in content:
        window = (now - post.published_at).total_seconds()
        times = []
        for _ in range(post.target_comments):
            # engagement decays after publication: mostly within two days, a long tail after
            if w.rng.random() < 0.9:
                delay = w.rng.expovariate(1 / (10 * 3600))
            else:
                delay = w.rng.uniform(0, 20 * 86400)
            times.append(_in_rhythm(w, post, delay, window))
        items += comments_on(w, fans, post, times, "comment", len(items), firsts)
    return tuple(items)


def comments_on(
    w: Writer,
    fans: Fans,
    post: Content,
    times: Sequence[datetime],
    stream: str,
    base: int,
    firsts: set[str],
) -> list[WebhookInteraction]:
    """One comment on the post per time, some of them replies; named (stream, base + k)."""

    def top(at: datetime, k: int) -> WebhookInteraction:
        return comment(w, fans, post, at, (stream, base + k), firsts)

    def reply_id(k: int) -> str:
        return platform_id(w.profile, "c", stream, base + k)

    return thread_comments(w, post, times, top, reply_id, lambda: _someone(w, fans))


def _someone(w: Writer, fans: Fans) -> tuple[Author, str]:
    """A recurring fan, a third of the time; someone new otherwise; and their language."""
    if w.rng.random() < 0.35:
        return fans.pick(w.rng)
    language = w.someone_language()
    return w.speaking(language).author(), language


def comment(
    w: Writer,
    fans: Fans,
    post: Content,
    at: datetime,
    name: tuple[str, int],
    firsts: set[str],
) -> WebhookInteraction:
    """A top-level comment on the post."""
    profile = w.profile
    intent = w.pick(COMMENT_MIX)
    author, language = _someone(w, fans)
    topic = _about(post, w)
    speaker = w.speaking(language)
    return WebhookInteraction(
        account_id=profile.account_id,
        platform=profile.platform,
        platform_id=platform_id(profile, "c", *name),
        kind=InteractionKind.COMMENT,
        author=author,
        text=_said(speaker, intent, post, at, speaker.words.topics[topic], firsts),
        occurred_at=at,
        content=ContentRef(post.platform_id, post.title),
        intent=intent,
        sentiment=w.sentiment(intent),
        is_demo=True,
        topic="spam" if intent is Intent.SPAM else w.label(topic),
        language=language,
    )


FIRST_WITHIN = timedelta(hours=1)


def _in_rhythm(w: Writer, post: Content, delay: float, window: float) -> datetime:
    """The comment's time after publication, moved off the audience's quiet hours: a time in
    a quiet hour is drawn again (a few times at most) near the same delay."""
    offset = timedelta(hours=AUDIENCE_UTC_OFFSET.get(w.profile.locale, 0))
    at = post.published_at + timedelta(seconds=delay % max(window, 1.0))
    for _ in range(6):
        if w.rng.random() < HOURLY[(at + offset).hour]:
            return at
        nudged = delay * w.rng.uniform(0.5, 1.5) + w.rng.uniform(0, 12 * 3600)
        at = post.published_at + timedelta(seconds=nudged % max(window, 1.0))
    return at


SHORT_SHARE = 0.4  # of top-level comments: a few words or emoji, as they are typed
EMOJI_ONLY_SHARE = 0.2
STORY_SHARE = 0.14  # long ones: a story told before the point
# how busy each hour of the audience's day is (local time), and where the audience lives
HOURLY = (0.25, 0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.35, 0.5, 0.6, 0.65, 0.7,
          0.8, 0.8, 0.75, 0.75, 0.8, 0.9, 1.0, 1.0, 0.95, 0.85, 0.6, 0.4)  # fmt: skip
AUDIENCE_UTC_OFFSET = {"en_US": -5, "es_MX": -6, "pt_BR": -3, "de_DE": 1, "es_ES": 1}


def _said(
    w: Writer, intent: Intent, post: Content, at: datetime, topic: str, firsts: set[str]
) -> str:
    """A comment's words: often a short reaction or a few emoji, now and then a story;
    "First!" only in the first hour after publication, once a post."""
    rng, book = w.rng, w.book
    if intent in book.reactions and rng.random() < SHORT_SHARE:
        emoji_only = intent in (Intent.PRAISE, Intent.OTHER)
        if emoji_only and rng.random() < EMOJI_ONLY_SHARE / SHORT_SHARE:
            return rng.choice(EMOJI_REACTIONS)
        reaction = w.fill(rng.choice(book.reactions[intent]), topic)
        return w.with_emoji(reaction) if rng.random() < 0.3 else reaction
    template = rng.choice(book.comments[intent])
    late = at - post.published_at > FIRST_WITHIN or post.platform_id in firsts
    while template == book.first and late:
        template = w.rng.choice(book.comments[intent])
    if template == book.first:
        firsts.add(post.platform_id)
    said = w.fill(template, topic)
    if intent is not Intent.SPAM and rng.random() < STORY_SHARE:
        story = [w.fill(rng.choice(book.stories), topic) for _ in range(rng.randint(1, 3))]
        said = " ".join([*dict.fromkeys(story), said])
    return w.vary(
        said, second=[t for t in book.comments[intent] if t not in (template, book.first)]
    )


def _about(post: Content, w: Writer) -> int:
    """The topic a comment talks about (its position among the persona's): the post's own,
    mostly."""
    n = len(w.words.topics)
    title = post.title.lower()
    mentioned = [i for i in range(n) if w.label(i).lower() in title]
    return mentioned[0] if mentioned and w.rng.random() < 0.8 else w.rng.randrange(n)


def _dms(profile: DemoProfile, now: datetime, count: int) -> tuple[WebhookInteraction, ...]:
    w = Writer(profile, "dms")
    return tuple(
        conversations(
            w,
            count,
            now - timedelta(days=DM_DAYS),
            now,
            lambda at, n: dm(w, at, ("dm", n)),
            lambda n: platform_id(profile, "dm", "dm", n),
            lambda n: platform_id(profile, "conv", "conversation", n),
        )
    )


def dm(w: Writer, at: datetime, name: tuple[str, int]) -> WebhookInteraction:
    """A fan's first message to the account."""
    profile = w.profile
    intent = w.pick(DM_MIX)
    topic = w.rng.randrange(len(w.words.topics))
    language = w.someone_language()
    speaker = w.speaking(language)
    text = speaker.fill(w.rng.choice(speaker.book.dms[intent]), speaker.words.topics[topic])
    return WebhookInteraction(
        account_id=profile.account_id,
        platform=profile.platform,
        platform_id=platform_id(profile, "dm", *name),
        kind=InteractionKind.DM,
        author=speaker.author(),
        text=speaker.vary(text, comment=False),
        occurred_at=at,
        intent=intent,
        sentiment=w.sentiment(intent),
        is_demo=True,
        topic="spam" if intent is Intent.SPAM else w.label(topic),
        language=language,
    )
