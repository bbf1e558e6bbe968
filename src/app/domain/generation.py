"""Realistic, deterministic demo engagement: content, comments spread over it, and DMs.

Everything random comes from per-run random.Random and Faker instances seeded from the account,
the profile's seed and what is being generated, never from global state: the same account, seed,
sizes and reference time give byte-identical output, platform ids included. That is what lets a
retried or resumed batch upsert the very same rows instead of creating new ones.
"""

import functools
import random
import re
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from faker import Faker

from app.domain.demo import Content, DemoProfile, DemoSizes, Persona, derived_id
from app.domain.inbox import (
    Author,
    ContentRef,
    Intent,
    InteractionKind,
    Sentiment,
    WebhookInteraction,
)
from app.domain.time import require_aware


@dataclass(frozen=True, slots=True)
class Vocabulary:
    topics: tuple[str, ...]
    aspects: tuple[str, ...]
    titles: tuple[str, ...]
    emoji: tuple[str, ...]


VOCABULARY: dict[Persona, Vocabulary] = {
    Persona.TECH_REVIEWS: Vocabulary(
        topics=(
            "the Pixel 9",
            "these earbuds",
            "the new MacBook Air",
            "this mechanical keyboard",
            "the Galaxy Watch",
            "that 4K monitor",
            "the Steam Deck OLED",
            "this budget phone",
            "the noise-cancelling headphones",
            "that mini PC",
        ),
        aspects=(
            "battery life",
            "the camera",
            "build quality",
            "the display",
            "thermals",
            "the price",
            "the speakers",
            "software updates",
            "the charging speed",
            "the mic",
        ),
        titles=(
            "{Topic} review: {verdict}",
            "I used {topic} for 30 days",
            "Don't buy {topic} before watching this",
            "{Topic} vs the competition",
            "Is {topic} worth it in 2026?",
            "{n} things I hate about {topic}",
            "The truth about {topic}",
            "{Topic}: long-term review",
        ),
        emoji=("🔥", "📱", "💻", "🎧", "⚡", "🤯"),
    ),
    Persona.FITNESS: Vocabulary(
        topics=(
            "this leg day routine",
            "the 12-week program",
            "this HIIT workout",
            "the protein shake recipe",
            "this mobility flow",
            "the push-pull-legs split",
            "this 5k plan",
            "the kettlebell circuit",
            "this core workout",
            "the home gym setup",
        ),
        aspects=(
            "form",
            "the warm-up",
            "rest times",
            "the progression",
            "knee pain",
            "the macros",
            "recovery",
            "the sets and reps",
            "the cooldown",
            "grip strength",
        ),
        titles=(
            "{Topic} that changed everything",
            "I tried {topic} for a month",
            "{n} mistakes in {topic}",
            "Beginner's guide to {topic}",
            "{Topic} (no equipment!)",
            "Why {topic} isn't working for you",
            "Full {topic} - follow along",
            "{Topic}: {verdict}",
        ),
        emoji=("💪", "🏋️", "🔥", "🥵", "🏃", "✅"),
    ),
    Persona.COOKING: Vocabulary(
        topics=(
            "this sourdough",
            "the 15-minute ramen",
            "the lasagna",
            "this chili recipe",
            "the cast iron steak",
            "these cookies",
            "the vegan curry",
            "this pasta sauce",
            "the banana bread",
            "the meal prep bowls",
        ),
        aspects=(
            "the seasoning",
            "the timing",
            "the oven temp",
            "the texture",
            "the sauce",
            "the garlic",
            "portion sizes",
            "the knife work",
            "plating",
            "the substitutions",
        ),
        titles=(
            "{Topic} you'll make every week",
            "The secret to {topic}",
            "{Topic} in {n} minutes",
            "I fixed {topic}",
            "{Topic}: {verdict}",
            "Restaurant-style {topic} at home",
            "{n} ways to upgrade {topic}",
            "Grandma's {topic}",
        ),
        emoji=("😋", "🍝", "🔥", "🤤", "👨‍🍳", "🧄"),
    ),
    Persona.TRAVEL: Vocabulary(
        topics=(
            "Lisbon",
            "the Amalfi coast",
            "Kyoto",
            "Iceland's ring road",
            "Mexico City",
            "the Dolomites",
            "Bali on a budget",
            "Marrakech",
            "the Scottish Highlands",
            "Seoul",
        ),
        aspects=(
            "the itinerary",
            "the hotel",
            "flights",
            "the food spots",
            "the budget",
            "getting around",
            "the drone shots",
            "packing",
            "the hidden beach",
            "visa stuff",
        ),
        titles=(
            "{n} days in {topic}",
            "{Topic} on a budget",
            "Don't visit {topic} without this",
            "{Topic}: {verdict}",
            "My favourite places in {topic}",
            "{Topic} travel guide",
            "I got lost in {topic}",
            "The {topic} nobody shows you",
        ),
        emoji=("✈️", "🌍", "🏝️", "📸", "🗺️", "😍"),
    ),
    Persona.BEAUTY: Vocabulary(
        topics=(
            "this skincare routine",
            "the new foundation",
            "this lip combo",
            "the drugstore dupes",
            "this glass-skin routine",
            "the curly hair routine",
            "this palette",
            "the SPF lineup",
            "this no-makeup look",
            "the retinol guide",
        ),
        aspects=(
            "the shade range",
            "the finish",
            "longevity",
            "the texture",
            "breakouts",
            "the price point",
            "the undertones",
            "the blending",
            "fragrance",
            "the packaging",
        ),
        titles=(
            "{Topic}: {verdict}",
            "Testing {topic} for a week",
            "{n} products in {topic}",
            "{Topic} for beginners",
            "I tried {topic} so you don't have to",
            "{Topic} - get ready with me",
            "Honest review of {topic}",
            "{Topic} under $20",
        ),
        emoji=("💄", "✨", "💅", "😍", "🧴", "💖"),
    ),
    Persona.GAMING: Vocabulary(
        topics=(
            "the new Zelda",
            "this speedrun route",
            "ranked in Valorant",
            "the Elden Ring DLC",
            "this Minecraft build",
            "the Fortnite season",
            "the indie roguelike",
            "the boss fight",
            "this controller",
            "the battle pass",
        ),
        aspects=(
            "the frame rate",
            "the loadout",
            "the strat",
            "the settings",
            "the lore",
            "the meta",
            "the aim",
            "the build",
            "the ending",
            "the patch notes",
        ),
        titles=(
            "{Topic} is {verdict}",
            "I beat {topic} without dying",
            "{n} tips for {topic}",
            "{Topic} - everything you missed",
            "Ranking every part of {topic}",
            "{Topic} in {n} minutes",
            "Why everyone is wrong about {topic}",
            "{Topic} first impressions",
        ),
        emoji=("🎮", "🔥", "😤", "🏆", "👾", "💀"),
    ),
}

VERDICTS = (
    "worth it",
    "overrated",
    "a game changer",
    "not what I expected",
    "surprisingly good",
    "the best yet",
    "a mixed bag",
    "finally fixed",
)

COMMENTS: dict[Intent, tuple[str, ...]] = {
    Intent.PRAISE: (
        "This is the best breakdown of {aspect} I've seen",
        "{creator} never misses",
        "Love how you explained {aspect}",
        "Subscribed after this one",
        "Your videos keep getting better",
        "Been waiting for this one",
        "Finally someone talks about {aspect}",
        "The part at {at} about {aspect} is gold",
        "Best channel for {topic} content",
        "You explained {aspect} better than anyone",
        "Shared this with my whole group chat",
        "Watched this twice already",
        "Such a clear explanation of {topic}",
        "The editing on this is insane",
    ),
    Intent.QUESTION: (
        "How does {topic} hold up on {aspect}?",
        "What did you use for {aspect}?",
        "Does this work for beginners?",
        "Any update on {aspect} after a few weeks?",
        "Would you pick {topic} again?",
        "Where did you get {topic}?",
        "Can you do a follow-up on {aspect}?",
        "Is {aspect} really that different?",
        "What was that at {at}?",
        "How long did {aspect} take you?",
        "Would this work for {topic} too?",
    ),
    Intent.PURCHASE_INTENT: (
        "Just ordered {topic} because of this",
        "Is there a discount code?",
        "Where's the best place to get {topic}?",
        "Adding {topic} to my cart right now",
        "Link to {topic} please!",
        "You sold me on {topic}",
    ),
    Intent.COMPLAINT: (
        "The audio is way too quiet in the second half",
        "You skipped {aspect} completely",
        "Too many ads in this one",
        "{Topic} was a letdown for me",
        "Clickbait title tbh",
        "Disagree about {aspect}, it's worse than you say",
        "Video could have been half as long",
        "The part at {at} is just wrong about {aspect}",
    ),
    Intent.SUPPORT: (
        "The link in the description is broken",
        "Followed every step but {aspect} still doesn't work for me",
        "Which timestamp covers {aspect}? can't find it",
        "My order from your shop never arrived",
    ),
    Intent.SPAM: (
        "Check out my channel for free giveaways!!",
        "I make $5000 a week from home, DM me",
        "Free gift cards on my page 🎁",
        "Follow me for daily crypto signals",
    ),
    Intent.COLLAB_REQUEST: (
        "{creator} we should collab, I cover {topic} too",
        "Would love to do a video with you on {aspect}!",
    ),
    Intent.OTHER: (
        "First!",
        "Who's here after the update?",
        "The background music is a vibe",
        "Algorithm brought me here",
        "Watching this at 3am",
        "Greetings from {city}",
    ),
}

DMS: dict[Intent, tuple[str, ...]] = {
    Intent.COLLAB_REQUEST: (
        "Hi {creator}! I'm with {company}. We'd love to sponsor a video about {topic}. Who should I talk to?",
        "Hey! {company} here - interested in a paid partnership around {aspect}? Happy to send details.",
        "Love your content. Would you be open to a collab with {company} next month?",
    ),
    Intent.QUESTION: (
        "Quick question about {aspect} from your last video",
        "Hi! Do you do one-on-one coaching?",
        "What would you recommend instead of {topic} on a budget?",
    ),
    Intent.SUPPORT: (
        "My order #{order} never arrived, can you help?",
        "I was charged twice for the course, who can I contact?",
        "The download link in the email doesn't work",
    ),
    Intent.PURCHASE_INTENT: (
        "Do you still sell the {topic} guide?",
        "Is the merch restocking soon?",
    ),
    Intent.PRAISE: (
        "Just wanted to say your videos got me through a rough month. Thank you!",
        "Your {topic} video helped me so much",
    ),
    Intent.SPAM: (
        "Congratulations! You've been selected for our brand ambassador program, click here",
        "Want 10k followers fast? Cheap packages!",
    ),
}

COMMENT_MIX = {
    Intent.PRAISE: 34,
    Intent.QUESTION: 22,
    Intent.PURCHASE_INTENT: 10,
    Intent.COMPLAINT: 10,
    Intent.SUPPORT: 5,
    Intent.SPAM: 7,
    Intent.COLLAB_REQUEST: 3,
    Intent.OTHER: 9,
}
DM_MIX = {
    Intent.COLLAB_REQUEST: 25,
    Intent.QUESTION: 25,
    Intent.SUPPORT: 18,
    Intent.PURCHASE_INTENT: 10,
    Intent.PRAISE: 12,
    Intent.SPAM: 10,
}
SENTIMENT: dict[Intent, tuple[tuple[Sentiment, int], ...]] = {
    Intent.PRAISE: ((Sentiment.POSITIVE, 1),),
    Intent.QUESTION: ((Sentiment.NEUTRAL, 8), (Sentiment.POSITIVE, 2)),
    Intent.PURCHASE_INTENT: ((Sentiment.POSITIVE, 9), (Sentiment.NEUTRAL, 1)),
    Intent.COMPLAINT: ((Sentiment.NEGATIVE, 1),),
    Intent.SUPPORT: ((Sentiment.NEGATIVE, 6), (Sentiment.NEUTRAL, 4)),
    Intent.SPAM: ((Sentiment.NEUTRAL, 1),),
    Intent.COLLAB_REQUEST: ((Sentiment.POSITIVE, 1),),
    Intent.OTHER: ((Sentiment.NEUTRAL, 6), (Sentiment.POSITIVE, 4)),
}
OPENERS = (
    "Honestly",
    "Ok so",
    "Wow.",
    "Not gonna lie,",
    "Quick one:",
    "lol",
    "Hey {creator},",
    "Omg",
    "Real talk:",
    "Hmm",
    "{creator}",
    "Fun fact:",
    "Day {n} of asking:",
)
CLOSERS = (
    "Thanks!",
    "keep it up",
    "🙏",
    "!!",
    "thx",
    "cheers",
    "subscribed",
    "more of this please",
    "greetings from {city}",
    "love from {city}",
    "(watched at 2x)",
    "💯",
)
FAN_POOL = 40
DM_DAYS = 14
CONTENT_DAYS = 30


@dataclass(frozen=True, slots=True)
class GeneratedDemo:
    content: tuple[Content, ...]
    comments: tuple[WebhookInteraction, ...]
    dms: tuple[WebhookInteraction, ...]


class _Writer:
    """One stream of generation: its own Random and Faker, seeded from what it generates."""

    def __init__(self, profile: DemoProfile, stream: str) -> None:
        self.rng = random.Random(f"{profile.account_id}:{profile.seed}:{stream}")
        self._faker = _faker(profile.locale)
        self.profile = profile
        self.words = VOCABULARY[profile.persona]
        creator = random.Random(f"{profile.account_id}:{profile.seed}:creator")
        self.creator = (
            "@" + self.words.topics[0].split()[-1].lower()[:6] + str(creator.randint(10, 99))
        )

    @property
    def fake(self) -> Faker:
        """Faker reseeded from this stream before each use: one instance per locale serves
        every stream (making one costs a millisecond), and what it draws stays this stream's."""
        self._faker.seed_instance(self.rng.getrandbits(63))
        return self._faker

    def pick(self, weights: dict[Intent, int]) -> Intent:
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def sentiment(self, intent: Intent) -> Sentiment:
        options = SENTIMENT[intent]
        return self.rng.choices([s for s, _ in options], weights=[w for _, w in options])[0]

    def fill(self, template: str, topic: str | None = None, *, title: bool = False) -> str:
        """The template with its placeholders filled; only what it names is drawn."""
        topic = topic or self.rng.choice(self.words.topics)
        if title:  # "Restaurant-style sourdough", not "Restaurant-style this sourdough"
            topic = _DETERMINER.sub("", topic)
        draw: dict[str, Callable[[], object]] = {
            "topic": lambda: topic,
            "Topic": lambda: topic[:1].upper() + topic[1:],
            "aspect": lambda: self.rng.choice(self.words.aspects),
            "creator": lambda: self.creator,
            "city": lambda: self.fake.city(),
            "company": lambda: self.fake.company(),
            "order": lambda: self.rng.randint(10_000, 99_999),
            "n": lambda: self.rng.choice((3, 5, 7, 10, 12)),
            "verdict": lambda: self.rng.choice(VERDICTS),
            "at": lambda: f"{self.rng.randint(0, 14)}:{self.rng.randint(0, 59):02d}",
        }
        return template.format_map({key: draw[key]() for key in _fields(template)})

    def vary(self, text: str) -> str:
        """Openers, closers, emoji, a second sentence, typos, lower case: as people write."""
        rng = self.rng
        if rng.random() < 0.15:
            second = self.fill(rng.choice(COMMENTS[Intent.OTHER] + COMMENTS[Intent.PRAISE]))
            text = f"{text}{' ' if text[-1] in '.!?' else '. '}{second}"
        if rng.random() < 0.35:
            text = f"{self.fill(rng.choice(OPENERS))} {text[:1].lower() + text[1:]}"
        if rng.random() < 0.35:
            text = f"{text} {self.fill(rng.choice(CLOSERS))}"
        if rng.random() < 0.45:
            text = f"{text} {''.join(rng.choices(self.words.emoji, k=rng.randint(1, 3)))}"
        if rng.random() < 0.06:
            text = _typo(text, rng)
        if rng.random() < 0.15:
            text = text.lower()
        return text

    def author(self) -> Author:
        name = self.fake.name()
        parts = [p for p in re.split(r"[^\w]+", name.lower()) if p]
        rng = self.rng
        handle = rng.choice(("", "_", ".")).join(parts[-2:] if rng.random() < 0.7 else parts[:1])
        if rng.random() < 0.5:
            handle += str(rng.randint(1, 9999))
        return Author(handle=handle or "fan", display_name=name)


@functools.cache
def _faker(locale: str) -> Faker:
    return Faker(locale)


class _Fans:
    """An account's recurring fans: the same people in every batch and tick, each drawn from
    their own seed, only when first needed."""

    def __init__(self, profile: DemoProfile) -> None:
        self._profile = profile
        self._known: dict[int, Author] = {}

    def pick(self, rng: random.Random) -> Author:
        n = rng.choices(range(FAN_POOL), weights=_FAN_WEIGHTS)[0]
        if n not in self._known:
            self._known[n] = _Writer(self._profile, f"fan:{n}").author()
        return self._known[n]


_FAN_WEIGHTS = [1 / (i + 1) for i in range(FAN_POOL)]  # a few superfans, many occasional ones
_DETERMINER = re.compile(r"^(the|this|these|that) ", re.IGNORECASE)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _typo(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    candidates = [i for i, w in enumerate(words) if len(w) > 3 and w.isalpha()]
    if not candidates:
        return text
    i = rng.choice(candidates)
    word = words[i]
    j = rng.randrange(len(word) - 1)
    words[i] = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    return " ".join(words)


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
    w = _Writer(profile, "content")
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
    for i in range(n):
        age = timedelta(days=CONTENT_DAYS) * (n - i - w.rng.random()) / n  # oldest first, to ~now
        topic = w.words.topics[i % len(w.words.topics)]
        items.append(
            Content(
                account_id=profile.account_id,
                platform_id=f"{profile.platform.value[:2]}-v-{derived_id(profile.account_id, profile.seed, 'content', i)}",
                title=w.fill(w.rng.choice(w.words.titles), topic, title=True),
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
    w = _Writer(profile, "comments")
    fans = _Fans(profile)
    items: list[WebhookInteraction] = []
    for post in content:
        window = (now - post.published_at).total_seconds()
        for _ in range(post.target_comments):
            # engagement decays after publication: mostly within two days, a long tail after
            if w.rng.random() < 0.9:
                delay = w.rng.expovariate(1 / (10 * 3600))
            else:
                delay = w.rng.uniform(0, 20 * 86400)
            delay = delay % max(window, 1.0)
            at = post.published_at + timedelta(seconds=delay)
            items.append(_comment(w, fans, post, at, ("comment", len(items))))
    return tuple(items)


def _comment(
    w: _Writer, fans: _Fans, post: Content, at: datetime, name: tuple[str, int]
) -> WebhookInteraction:
    profile = w.profile
    intent = w.pick(COMMENT_MIX)
    author = fans.pick(w.rng) if w.rng.random() < 0.35 else w.author()
    return WebhookInteraction(
        account_id=profile.account_id,
        platform=profile.platform,
        platform_id=f"{profile.platform.value[:2]}-c-{derived_id(profile.account_id, profile.seed, *name)}",
        kind=InteractionKind.COMMENT,
        author=author,
        text=w.vary(w.fill(w.rng.choice(COMMENTS[intent]), _about(post, w))),
        occurred_at=at,
        content=ContentRef(post.platform_id, post.title),
        intent=intent,
        sentiment=w.sentiment(intent),
        is_demo=True,
    )


def _about(post: Content, w: _Writer) -> str:
    """The topic a comment talks about: the post's own, mostly."""
    mentioned = [t for t in w.words.topics if t.lower() in post.title.lower()]
    return mentioned[0] if mentioned and w.rng.random() < 0.8 else w.rng.choice(w.words.topics)


def _dms(profile: DemoProfile, now: datetime, count: int) -> tuple[WebhookInteraction, ...]:
    w = _Writer(profile, "dms")
    return tuple(
        _dm(w, now - timedelta(seconds=w.rng.uniform(60, DM_DAYS * 86400)), ("dm", n))
        for n in range(count)
    )


def _dm(w: _Writer, at: datetime, name: tuple[str, int]) -> WebhookInteraction:
    profile = w.profile
    intent = w.pick(DM_MIX)
    return WebhookInteraction(
        account_id=profile.account_id,
        platform=profile.platform,
        platform_id=f"{profile.platform.value[:2]}-dm-{derived_id(profile.account_id, profile.seed, *name)}",
        kind=InteractionKind.DM,
        author=w.author(),
        text=w.vary(w.fill(w.rng.choice(DMS[intent]))),
        occurred_at=at,
        intent=intent,
        sentiment=w.sentiment(intent),
        is_demo=True,
    )


# what the schedules add to a demo that is already running
DAILY_CONTENT = 2
TICK_COMMENTS = 10
TICK_WINDOW = timedelta(hours=6)  # a tick's interactions happened since the one before
RECENCY_HALF_LIFE_H = 48.0  # a post two days old draws half the comments of a new one


def _stamp(at: datetime) -> str:
    return require_aware(at, "reference_time").strftime("%Y%m%dT%H%M%S")


def generate_daily_content(profile: DemoProfile, reference_time: datetime) -> tuple[Content, ...]:
    """The day's new posts, published in the 24 h before the reference time."""
    now = require_aware(reference_time, "reference_time")
    stream = f"daily:{_stamp(now)}"
    w = _Writer(profile, stream)
    items = []
    for i in range(DAILY_CONTENT):
        topic = w.rng.choice(w.words.topics)
        target = w.rng.randint(8, 40) * (w.rng.randint(3, 6) if w.rng.random() < 0.06 else 1)
        items.append(
            Content(
                account_id=profile.account_id,
                platform_id=f"{profile.platform.value[:2]}-v-{derived_id(profile.account_id, profile.seed, stream, i)}",
                title=w.fill(w.rng.choice(w.words.titles), topic, title=True),
                published_at=now - timedelta(seconds=w.rng.uniform(300, 86400)),
                target_comments=target,
            )
        )
    return tuple(items)


def generate_tick(
    profile: DemoProfile, reference_time: datetime, content: Sequence[Content]
) -> tuple[WebhookInteraction, ...]:
    """One ongoing-interactions tick: comments on the account's content, weighted to the
    newest, and DMs at the profile's rate, all within the window before the reference time."""
    now = require_aware(reference_time, "reference_time")
    stream = f"tick:{_stamp(now)}"
    w = _Writer(profile, stream)
    since = now - TICK_WINDOW
    posts = [c for c in content if c.published_at < now]
    items: list[WebhookInteraction] = []
    if posts:
        fans = _Fans(profile)
        weights = [
            0.5 ** ((now - c.published_at).total_seconds() / 3600 / RECENCY_HALF_LIFE_H)
            for c in posts
        ]
        for n in range(TICK_COMMENTS):
            post = w.rng.choices(posts, weights=weights)[0]
            at = _between(w.rng, max(since, post.published_at), now)
            items.append(_comment(w, fans, post, at, (f"{stream}:comment", n)))
    for n in range(profile.dm_frequency.dms_per_tick):
        items.append(_dm(w, _between(w.rng, since, now), (f"{stream}:dm", n)))
    return tuple(items)


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    return start + (end - start) * rng.random()
