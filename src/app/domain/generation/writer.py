"""The writer: one stream of generation with its own Random and Faker, seeded from what it
generates; and an account's recurring fans."""

import functools
import hashlib
import random
import re
import string
from collections.abc import Callable, Sequence

from faker import Faker
from faker.config import AVAILABLE_LOCALES

from app.domain.demo import DemoProfile
from app.domain.generation.vocabulary import (
    BRANDS,
    CITIES,
    CLOSERS,
    COMMON_EMOJI,
    OPENERS,
    PLATFORM_WORDS,
    SENTIMENT,
    VERDICTS,
    VOCABULARY,
    YOUTUBE_ONLY,
)
from app.domain.inbox import Author, Intent, Sentiment

# the locales a profile may name (Faker's)
SUPPORTED_LOCALES: tuple[str, ...] = tuple(AVAILABLE_LOCALES)
FAN_POOL = 40
# the language the vocabulary is written in; text and its label agree
LANGUAGE = "en"


class Writer:
    """One stream of generation: its own Random and Faker, seeded from what it generates."""

    def __init__(self, profile: DemoProfile, stream: str) -> None:
        self.rng = random.Random(f"{profile.account_id}:{profile.seed}:{stream}")
        self._faker = _faker(profile.locale)
        self.profile = profile
        self.words = VOCABULARY[profile.persona]
        self.creator_author = _creator(profile)
        self.creator = f"@{self.creator_author.handle}"

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
            topic = DETERMINER.sub("", topic)
        draw: dict[str, Callable[[], object]] = {
            "topic": lambda: topic,
            "Topic": lambda: topic[:1].upper() + topic[1:],
            "aspect": lambda: self.rng.choice(self.words.aspects),
            "creator": lambda: self.creator,
            "city": lambda: self.rng.choice(CITIES),
            "company": lambda: self.rng.choice(BRANDS),
            "order": lambda: self.rng.randint(10_000, 99_999),
            "n": lambda: self.rng.choice((3, 5, 7, 10, 12)),
            "verdict": lambda: self.rng.choice(VERDICTS),
            # a moment of the video: a timestamp on YouTube, where people write them
            "at": lambda: (
                f"{self.rng.randint(0, 14)}:{self.rng.randint(0, 59):02d}"
                if self.profile.platform.value == "youtube"
                else self.rng.choice(("the start", "the end", "the middle"))
            ),
        }
        text = template.format_map({key: draw[key]() for key in _fields(template)})
        for youtube, here in PLATFORM_WORDS.get(self.profile.platform.value, ()):
            text = text.replace(youtube, here)
        return text

    def vary(self, text: str, *, second: Sequence[str] = (), comment: bool = True) -> str:
        """Openers, closers, emoji, a second sentence (one of `second`: said with the same
        intent, so the text keeps agreeing with its label), typos, lower case: as people
        write. Not a comment (a DM): no closer that only fits under a YouTube video."""
        rng = self.rng
        if second and rng.random() < 0.15:
            more = self.fill(rng.choice(second))
            text = f"{text}{' ' if text[-1] in '.!?' else '. '}{more}"
        if rng.random() < 0.08:
            text = f"{self.fill(rng.choice(OPENERS))} {text[:1].lower() + text[1:]}"
        if rng.random() < 0.35:
            youtube = comment and self.profile.platform.value == "youtube"
            closers = [c for c in CLOSERS if youtube or c not in YOUTUBE_ONLY]
            text = f"{text} {self.fill(rng.choice(closers))}"
        if rng.random() < 0.45:
            text = self.with_emoji(text)
        if rng.random() < 0.06:
            text = _typo(text, rng)
        if rng.random() < 0.15:
            text = text.lower()
        return text

    def emoji(self, k: int) -> str:
        """k emoji: the persona's own and the ones everyone uses (hearts, laughing, crying)."""
        pool = self.words.emoji if self.rng.random() < 0.55 else COMMON_EMOJI
        return "".join(self.rng.choices(pool, k=k))

    def with_emoji(self, text: str) -> str:
        """Emoji where people put them: mostly last, some first, some after the first words."""
        emoji = self.emoji(self.rng.randint(1, 3))
        where = self.rng.random()
        if where < 0.45:
            return f"{text} {emoji}"
        if where < 0.75:
            return f"{emoji} {text}"
        words = text.split(" ")
        pauses = [i + 1 for i, word in enumerate(words[:-1]) if word[-1:] in ",.!?:"]
        if not pauses:  # between the words of one phrase reads wrong: at the end then
            return f"{text} {emoji}"
        cut = self.rng.choice(pauses)
        return " ".join([*words[:cut], emoji, *words[cut:]])

    def author(self) -> Author:
        name = self.fake.name()
        parts = [p for p in re.split(r"[^\w]+", name.lower()) if p]
        rng = self.rng
        handle = rng.choice(("", "_", ".")).join(parts[-2:] if rng.random() < 0.7 else parts[:1])
        if rng.random() < 0.5 or not any(ch.isdigit() for ch in handle):
            # digits from the name itself: one person keeps hers, two hardly ever share one
            # (more of them where the handle is only a first name)
            spread = 999_999 if handle in parts else 9_999
            handle += str(int(hashlib.sha256(name.encode()).hexdigest()[:8], 16) % spread + 1)
        return Author(handle=handle or "fan", display_name=name)


@functools.lru_cache(maxsize=4096)
def _creator(profile: DemoProfile) -> Author:
    """The account itself, as it signs its replies and DMs: a person with a handle."""
    rng = random.Random(f"{profile.account_id}:{profile.seed}:creator")
    faker = _faker(profile.locale)
    faker.seed_instance(rng.getrandbits(63))
    name = faker.name()
    parts = [p for p in re.split(r"[^\w]+", name.lower()) if p] or ["creator"]
    handle = "".join(parts[-2:]) + str(rng.randint(10, 99))
    return Author(handle=handle, display_name=name, is_creator=True)


@functools.cache
def _faker(locale: str) -> Faker:
    return Faker(locale)


class Fans:
    """An account's recurring fans: the same people in every batch and tick, each drawn from
    their own seed, only when first needed."""

    def __init__(self, profile: DemoProfile) -> None:
        self._profile = profile
        self._known: dict[int, Author] = {}

    def pick(self, rng: random.Random) -> Author:
        n = rng.choices(range(FAN_POOL), weights=_FAN_WEIGHTS)[0]
        if n not in self._known:
            self._known[n] = Writer(self._profile, f"fan:{n}").author()
        return self._known[n]


_FAN_WEIGHTS = [1 / (i + 1) for i in range(FAN_POOL)]  # a few superfans, many occasional ones
DETERMINER = re.compile(r"^(the|this|these|that) ", re.IGNORECASE)


def _fields(template: str) -> list[str]:
    """The template's placeholders in the order they appear (a set's order would depend on
    PYTHONHASHSEED, and so would what each one draws)."""
    return list(dict.fromkeys(name for _, name, _, _ in string.Formatter().parse(template) if name))


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
