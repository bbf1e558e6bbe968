"""The writer: one stream of generation with its own Random and Faker, seeded from what it
generates; and an account's recurring fans."""

import copy
import functools
import hashlib
import importlib
import itertools
import random
import re
import string
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

from faker import Faker
from faker.config import AVAILABLE_LOCALES

from app.domain.demo import DemoProfile, Persona
from app.domain.generation.vocabulary import (
    BRANDS,
    CITIES,
    COMMON_EMOJI,
    EN,
    PERSONA_EMOJI,
    SENTIMENT,
    Phrasebook,
)
from app.domain.generation.vocabulary_de import DE
from app.domain.generation.vocabulary_es import ES
from app.domain.generation.vocabulary_pt import PT
from app.domain.inbox import Author, Intent, Sentiment

# the locales a profile may name (Faker's)
SUPPORTED_LOCALES: tuple[str, ...] = tuple(AVAILABLE_LOCALES)
FAN_POOL = 40
# the languages text is written in; a locale of another language writes English
PHRASEBOOKS: dict[str, Phrasebook] = {book.language: book for book in (EN, ES, PT, DE)}
# a global audience: this share of people write in another language than the account's
OTHER_LANGUAGE_SHARE = 0.11
HOME_FANS = 3  # the superfans speak the account's language
SLOT = re.compile(r"<(\w+)>")


def phrasebook(locale: str) -> Phrasebook:
    """The language a profile's locale speaks: es_MX is Spanish, fr_FR (no phrasebook) English."""
    return PHRASEBOOKS.get(locale.split("_")[0].lower(), EN)


class Writer:
    """One stream of generation: its own Random and Faker, seeded from what it generates. It
    writes in the account's language; `speaking` gives the same stream in another one."""

    def __init__(self, profile: DemoProfile, stream: str) -> None:
        self.rng = random.Random(f"{profile.account_id}:{profile.seed}:{stream}")
        self.profile = profile
        self.home = phrasebook(profile.locale)
        self.book = self.home
        self.words = self.home.nouns[profile.persona]
        self.persona_emoji = PERSONA_EMOJI[profile.persona]
        self.creator_author = _creator(profile)
        self.creator = f"@{self.creator_author.handle}"
        self._locale = profile.locale
        self._labels = _labels(self.home.language, profile.persona)
        self._speakers: dict[str, Writer] = {self.home.language: self}

    @property
    def language(self) -> str:
        return self.book.language

    def speaking(self, language: str) -> "Writer":
        """This stream (the same Random) writing in `language`, people named as its speakers are."""
        if language not in self._speakers:
            other = copy.copy(self)
            other.book = PHRASEBOOKS[language]
            other.words = other.book.nouns[self.profile.persona]
            other._locale = other.book.locale
            self._speakers[language] = other
        return self._speakers[language]

    def someone_language(self) -> str:
        """The language a new person writes in: mostly the account's, now and then another."""
        if self.rng.random() >= OTHER_LANGUAGE_SHARE:
            return self.home.language
        return self.rng.choice([lang for lang in PHRASEBOOKS if lang != self.home.language])

    def label(self, topic: int) -> str:
        """The n-th topic as a label in the account's language: 'Pixel 9'."""
        return self._labels[topic]

    def topic_named(self, label: str | None) -> str | None:
        """The topic of that label in this writer's language (None: not one of the topics)."""
        if label not in self._labels:
            return None
        return self.words.topics[self._labels.index(label)]

    @property
    def fake(self) -> Faker:
        """Faker reseeded from this stream before each use: one instance per locale serves
        every stream (making one costs a millisecond), and what it draws stays this stream's."""
        faker = _faker(self._locale)
        faker.seed_instance(self.rng.getrandbits(63))
        return faker

    def pick(self, weights: dict[Intent, int]) -> Intent:
        intents, cumulated = _cumulated(tuple(weights.items()))
        intent: Intent = self.rng.choices(intents, cum_weights=cumulated)[0]
        return intent

    def sentiment(self, intent: Intent) -> Sentiment:
        sentiments, cumulated = _cumulated(SENTIMENT[intent])
        sentiment: Sentiment = self.rng.choices(sentiments, cum_weights=cumulated)[0]
        return sentiment

    def fill(self, template: str, topic: str | None = None, *, title: bool = False) -> str:
        """The template with its slots chosen and its placeholders filled, left to right;
        only what it names is drawn."""
        rng, book = self.rng, self.book
        while "<" in template:
            template = SLOT.sub(lambda m: rng.choice(book.slots[m.group(1)]), template)
        topic = topic or rng.choice(self.words.topics)
        if title:  # "Restaurant-style sourdough", not "Restaurant-style this sourdough"
            topic = book.determiner.sub("", topic)
        youtube = self.profile.platform.value == "youtube"
        text = template.format_map(
            {key: self._draw(key, topic, youtube) for key in _fields(template)}
        )
        if "  " in text:  # an empty slot
            text = re.sub(" {2,}", " ", text).strip()
        for youtube_word, here in book.platform_words.get(self.profile.platform.value, ()):
            text = text.replace(youtube_word, here)
        for apart, together in book.contractions:
            text = text.replace(apart, together)
        return text

    def _draw(self, key: str, topic: str, youtube: bool) -> object:
        """What a template's placeholder says, drawn when it comes."""
        rng, book = self.rng, self.book
        match key:
            case "topic":
                return topic
            case "Topic":
                return topic[:1].upper() + topic[1:]
            case "aspect":
                return rng.choice(self.words.aspects)
            case "Aspect":
                return _capital(rng.choice(self.words.aspects))
            case "creator":
                return self.creator
            case "city":
                return rng.choice(CITIES)
            case "company":
                return rng.choice(BRANDS)
            case "order":
                return rng.randint(10_000, 99_999)
            case "n":
                return rng.choice((3, 5, 7, 10, 12))
            case "verdict":
                return rng.choice(book.verdicts)
            case "at":  # a moment of the video: a timestamp on YouTube, where people write them
                if youtube:
                    return f"{rng.randint(0, 14)}:{rng.randint(0, 59):02d}"
                return rng.choice(book.moments)
        raise KeyError(key)

    def vary(self, text: str, *, second: Sequence[str] = (), comment: bool = True) -> str:
        """Openers, closers, emoji, a second sentence (one of `second`: said with the same
        intent, so the text keeps agreeing with its label), typos, lower case: as people
        write. Not a comment (a DM): no closer that only fits under a YouTube video."""
        rng, book = self.rng, self.book
        if second and rng.random() < 0.15:
            more = self.fill(rng.choice(second))
            text = f"{text}{' ' if text[-1] in '.!?' else '. '}{more}"
        if rng.random() < 0.08:
            text = f"{self.fill(rng.choice(book.openers))} {text[:1].lower() + text[1:]}"
        if rng.random() < 0.35:
            youtube = comment and self.profile.platform.value == "youtube"
            closers = [c for c in book.closers if youtube or c not in book.youtube_only]
            closer = self.fill(rng.choice(closers))
            if closer == "!!":  # said at once, where nothing else ends the sentence
                text = text if text[-1] in ".!?" else f"{text}!!"
            else:
                text = f"{text} {closer}"
        if rng.random() < 0.45:
            text = self.with_emoji(text)
        if rng.random() < 0.06:
            text = _typo(text, rng)
        if rng.random() < 0.15:
            text = text.lower()
        return text

    def emoji(self, k: int) -> str:
        """k emoji: the persona's own and the ones everyone uses (hearts, laughing, crying)."""
        pool = self.persona_emoji if self.rng.random() < 0.55 else COMMON_EMOJI
        return "".join(self.rng.choices(pool, k=k))

    def with_emoji(self, text: str) -> str:
        """Emoji where people put them: mostly last, some first, some after the first words."""
        emoji = self.emoji(self.rng.randint(1, 3))
        where = self.rng.random()
        if where < 0.4:
            return f"{text} {emoji}"
        if where < 0.72:
            return f"{emoji} {text}"
        words = text.split(" ")
        pauses = [i + 1 for i, word in enumerate(words[:-1]) if word[-1:] in ",.!?:"]
        if not pauses:  # between the words of one phrase reads wrong: at the end then
            return f"{text} {emoji}"
        cut = self.rng.choice(pauses)
        return " ".join([*words[:cut], emoji, *words[cut:]])

    def author(self) -> Author:
        rng = self.rng
        name = _name(rng, self._locale) or self.fake.name()
        parts = _handle_parts(name)
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
    name = _name(rng, profile.locale)
    if name is None:
        faker = _faker(profile.locale)
        faker.seed_instance(rng.getrandbits(63))
        name = faker.name()
    parts = _handle_parts(name) or ("creator",)
    handle = "".join(parts[-2:]) + str(rng.randint(10, 99))
    return Author(handle=handle, display_name=name, is_creator=True)


def _name(rng: random.Random, locale: str) -> str | None:
    """A first and a last name from the locale's lists (Faker's data, drawn with this stream's
    Random: a Faker call per person was half the cost of generation); None where the locale
    has no such lists."""
    pool = _name_pool(locale)
    if pool is None:
        return None
    firsts, first_weights, lasts, last_weights, family_first = pool
    first = rng.choices(firsts, cum_weights=first_weights)[0]
    last = rng.choices(lasts, cum_weights=last_weights)[0]
    return f"{last}{first}" if family_first else f"{first} {last}"


@functools.cache
def _name_pool(
    locale: str,
) -> tuple[list[str], list[float], list[str], list[float], bool] | None:
    try:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    except ImportError:
        return None
    firsts, lasts = getattr(provider, "first_names", None), getattr(provider, "last_names", None)
    if not firsts or not lasts:
        return None

    def weighted(found: Any) -> tuple[list[str], list[float]]:
        weights = found if isinstance(found, Mapping) else dict.fromkeys(found, 1.0)
        return list(weights), list(itertools.accumulate(weights.values()))

    (first, first_weights), (last, last_weights) = weighted(firsts), weighted(lasts)
    return first, first_weights, last, last_weights, locale.startswith(("ja", "zh", "ko"))


def warm_up() -> None:
    """Load the name lists every phrasebook's people are named from, once, before a worker
    takes its first job (which would otherwise load them itself)."""
    for book in PHRASEBOOKS.values():
        _name_pool(book.locale)


@functools.cache
def _faker(locale: str) -> Faker:
    return Faker(locale)


class Fans:
    """An account's recurring fans: the same people, each with their language, in every batch
    and tick, each drawn from their own seed, only when first needed."""

    def __init__(self, profile: DemoProfile) -> None:
        self._profile = profile
        self._known: dict[int, tuple[Author, str]] = {}

    def pick(self, rng: random.Random) -> tuple[Author, str]:
        n = rng.choices(range(FAN_POOL), cum_weights=_FAN_CUM_WEIGHTS)[0]
        if n not in self._known:
            w = Writer(self._profile, f"fan:{n}")
            language = w.someone_language() if n >= HOME_FANS else w.home.language
            self._known[n] = (w.speaking(language).author(), language)
        return self._known[n]


# a few superfans, many occasional ones (cumulated once: choices() would add them up per call)
_FAN_CUM_WEIGHTS = list(itertools.accumulate(1 / (i + 1) for i in range(FAN_POOL)))


@functools.cache
def _labels(language: str, persona: Persona) -> tuple[str, ...]:
    """The topics of a persona as labels: without their article."""
    book = PHRASEBOOKS[language]
    return tuple(book.determiner.sub("", t) for t in book.nouns[persona].topics)


@functools.lru_cache(maxsize=8192)
def _handle_parts(name: str) -> tuple[str, ...]:
    """A name's words as a handle spells them: 'José Núñez' is 'jose', 'nunez'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return tuple(p for p in re.split(r"[^a-z0-9]+", ascii_name.lower()) if p)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


@functools.lru_cache(maxsize=1024)
def _cumulated(options: tuple[tuple[Any, int], ...]) -> tuple[list[Any], list[int]]:
    """What to choose from and its weights added up, as random.choices(cum_weights=…) takes
    them: the same draw as weights=…, without adding the weights up on every call."""
    return [o for o, _ in options], list(itertools.accumulate(w for _, w in options))


@functools.lru_cache(maxsize=8192)
def _fields(template: str) -> tuple[str, ...]:
    """The template's placeholders in the order they appear (a set's order would depend on
    PYTHONHASHSEED, and so would what each one draws)."""
    return tuple(
        dict.fromkeys(name for _, name, _, _ in string.Formatter().parse(template) if name)
    )


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
