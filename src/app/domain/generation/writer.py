"""The writer: one stream of generation with its own Random, seeded from what it generates,
that says acts in a language from a post's fact sheet, as people type them."""

import bisect
import functools
import itertools
import random
import re
import unicodedata
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from faker.config import AVAILABLE_LOCALES

from app.domain.demo import DemoProfile
from app.domain.generation import people
from app.domain.generation.facts import ASPECT_TAGS, FactSheet
from app.domain.generation.language import (
    Noun,
    Phrasebook,
    PhrasebookError,
    fill,
    own_words,
    sayable,
    template,
)
from app.domain.generation.regional import mexican, regional
from app.domain.generation.vocabulary import CITIES, EN, PERSONA_EMOJI, TONE_EMOJI, WARM_EMOJI
from app.domain.generation.vocabulary_de import DE
from app.domain.generation.vocabulary_es import ES
from app.domain.generation.vocabulary_pt import PT
from app.domain.inbox import Author
from app.domain.platforms import facts_of

if TYPE_CHECKING:
    from app.domain.generation.acts import Act

# the locales a profile may name (Faker's)
SUPPORTED_LOCALES: tuple[str, ...] = tuple(AVAILABLE_LOCALES)
# the languages text is written in; a locale of another language writes English
PHRASEBOOKS: dict[str, Phrasebook] = {b.language: b for b in (EN, ES, PT, DE) if b.texts}
# a language as a country speaks it, where the phrasebook's is another's: Mexico's Spanish, of
# a Mexican account and of the Spanish speakers under an American one
ES_MX = regional(ES, mexican)
REGIONAL: dict[tuple[str, str], Phrasebook] = {("es", "MX"): ES_MX, ("es", "US"): ES_MX}
# a global audience: this share of people write in another language than the account's, by
# the account's (an English account hears the world; round 22-23's readers of German and
# Brazilian accounts found the English-speaking tenth too many: 0.10 for all before)
# (and an American one the most: a British tech account heard a tenth of its comments in Spanish)
# (round 32's readers of British, Spanish and Brazilian accounts still read theirs as dropped
# in: 0.05-0.06 before; an American one 0.11 before round 38, whose reader counted a fifth of a
# US reel's comments in Spain's Spanish)
OTHER_LANGUAGE_SHARE = {"en_US": 0.1, "en": 0.03, "es": 0.03, "pt": 0.03, "de": 0.03}
# of warm emoji: the niche's own (💪, 🎮), else hearts and fire (0.35 before: round 15's
# readers read "so schön 💀🎮🎮" as a theme marker sprinkled on)
NICHE_EMOJI = 0.15
# the other languages an audience writes in: its neighbours' and the internet's, not every one
# we speak (a US account hears Spanish, a German one English, hardly ever Portuguese)
# a Brazilian audience's Spanish came out as Spain's (the phrasebook's): readers took it for
# a leak, so pt's neighbour is English only
SECOND_LANGUAGES = {"en": ("es",), "es": ("en",), "pt": ("en",), "de": ("en",)}
LONG_SENTENCE = 40  # characters: a sentence this long is said once in a batch
FRAME = 28  # characters of a template: one this long is a frame a reader recognises
# times a short frame (a template with slots to fill) that cites a moment is said in a batch
# (its time says it anew: "Loved the part at 4:12 about…"), or that asks (people ask it that
# way again) or answers what was asked (the creator's: else the question is left unanswered);
# any other is said once, as a sentence
# (round 26's readers were sure at "The bit about the stretches answered something I've been
# googling…" after "The bit about the form cues…", at "Came for the Galaxy A35, stayed for the
# way you explain things"; 2 for a short one before round 51, whose readers still counted "Mein
# Highlight war der Teil mit dem Design" and "…mit den Phasen")
SAID_AT_MOST = 2
# times a long sentence, or a template that says one whatever fills it, is: round 12's readers
# were sure on seeing one sentence said a second time by somebody else ("Meu cartão de crédito
# pediu pra eu parar de ver seus reviews", under two posts one after the other)
SENTENCE_AT_MOST = 1
CATCHPHRASE = 14  # characters: a template this long ("@x never misses") is a catchphrase
# a remark this long is said once, as a sentence ("igual, tuve que adelantar", "Said it better
# than I could", each twice under two posts: round 35's readers; "otra vez dándolo todo": 36)
REMARK = 20
CATCHPHRASE_AT_MOST = 2  # times a catchphrase is said in a batch ("noted for tomorrow" three
# times: round 13's readers)
# times a short one ("banger", "the sound 😭", "@x look") is: round 11's readers counted "top"
# ten times, "ole" seven and "GOAT" six in three posts; 4 before round 39, whose readers in
# four languages counted "das ist Kunst", "que feed", "icónico" three times under six posts)
SHORT_AT_MOST = 2
# and a short question ("price?"): people ask it that way again (6 before round 39: "beginner
# ok?" under three posts)
SHORT_QUESTION_AT_MOST = 3
TRIES = 8
CLAUSE = 4  # characters: a clause said alone is more than a sigh ("ay", "Ahh"), as "Same" is
NAMED = "x_named"  # a scene's tag: the post's subject was named in full often enough on it
PARAGRAPH = 80  # characters: a text this long gets its emoji at the end
# a slip of the thumb per text, of the hurried (0.16 before: round 18's readers found one tidy
# neighbouring-key slip in comment after comment, "costrra", "haxer", "Aenas"); the others'
# autocorrect catches theirs (round 25's readers: "Link in yor bio doesn't work for me", a slip
# in a sentence capitalised and punctuated with care, looked planted)
SLOPPY_SLIPS = 0.08
# words a text has before it slips: a typo in a one- or two-word reaction ("iconc", "amazig")
# looked planted to round 13's readers, every one of them
SLIP_WORDS = 4


T = TypeVar("T")


def weighted(rng: random.Random, options: Sequence[T], weights: Sequence[float]) -> T:
    """One of the options, as likely as its weight: what random.choices(…)[0] does, without
    the lists it builds on every call (generation draws this for nearly every word)."""
    cumulated = list(itertools.accumulate(weights))
    return options[bisect.bisect(cumulated, rng.random() * cumulated[-1])]


# how likely a template said n times already is picked again
_FRESH = tuple(1 / (1 + n) ** 2 for n in range(10_000))


def phrasebook(locale: str) -> Phrasebook:
    """The language a profile's locale speaks: es_MX is Spanish, fr_FR (no phrasebook) English."""
    language, _, country = locale.partition("_")
    return REGIONAL.get((language.lower(), country.upper())) or PHRASEBOOKS.get(
        language.lower(), EN
    )


@dataclass(slots=True)
class Scene:
    """What an item is said about and to: the post's sheet, the nouns it names (role → key
    of the phrasebook's nouns), values for its placeholders and the tags its templates may
    need."""

    sheet: FactSheet | None
    tags: frozenset[str]
    picks: dict[str, str] = field(default_factory=dict)
    values: dict[str, object] = field(default_factory=dict)


_I = re.compile(r"\bI(?=\b|')")  # English "I", "I'm"
_ENDS_WITH_EMOJI = re.compile(r"[\u2600-\u27bf\U0001f000-\U0001faff]\ufe0f?$")
_FILLED = re.compile(r"[<{]")  # a template with a slot or a placeholder
_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+")
_HANDLE = re.compile(r"@[\w.]+")
_MENTIONS = re.compile(r"(?:@[\w.]+ +)+")  # whom a reply answers, before its words
_NOT_WORD = re.compile(r"[^\w\s]+")
_DIGITS = re.compile(r"\d+")


SHORT_NAME_AT_MOST = 2  # people of a batch who go by one short name ("Liv", "Rafa")


SAME_NAME = 4  # letters two names share that read as one name


def name_words(author: Author) -> list[str]:
    """The words of a person's name and the dressing of their handle, as a reader sees them
    come round ("the.real.rhys", "the.real.jordan"; "kyle.freeman00", "scottaustin00",
    "laura.howell00"; "jake_codes", "lottie_codes": round 65)."""
    names = [n for n in re.findall(r"[^\W\d_]+", author.display_name.lower()) if len(n) > 2]
    handle = author.handle.lower()
    kept = {*names, *(n[0] for n in names)}  # what a handle keeps of the name (an initial)
    dressing = [p for p in re.findall(r"[^\W\d_]+|\d+", handle) if p not in kept]
    # a name by its first letters: "brunav", "brunacampos01", "bruno.sampaio99" and
    # "brunoferreira01" read as one name four times (round 67), as "julia" and "juliana" do
    # (the dressing keyed apart: a handle's "fit" is not a name's "Fitz"; but a word of a
    # handle reads as a name: "joseph.mitchell", "jordan.n.mitchell" and "aaron.c.mitchell",
    # two of them shown by their given name alone, in 15 comments: round 76)
    # (and underscores around it: "_callum_", "_joshua_", "_elliot_", "_ryan_" in one post,
    # round 82)
    framed = ["~_"] if handle.startswith("_") or "__" in handle else []
    return (
        [("".join(people.ascii_words(n)) or n)[:SAME_NAME] for n in names]
        + [d[:SAME_NAME] if d.isalpha() and len(d) >= SAME_NAME else f"~{d}" for d in dressing]
        + framed
    )


def _tag_words(author: Author) -> set[str]:
    """The words of a gamer tag (one without a name is its own display), which a batch says in
    one tag each (round 52's reader: "frozen", "slayer", "rider" in two or three tags)."""
    if author.handle != author.display_name:
        return set()
    return set(people.GAMER_WORD.findall(author.handle))


def sentences(text: str) -> list[str]:
    """The sentences of a text as a reader compares them: case, handles, digits, emoji and
    punctuation aside."""
    out = []
    for part in _SENTENCE.split(text):
        plain = _NOT_WORD.sub("", _HANDLE.sub("", part.lower()))
        plain = _DIGITS.sub("#", " ".join(plain.split()))
        if plain:
            out.append(plain)
    return out


class Said:
    """What one batch has said so far: a long sentence once, a comment of a few words (emoji
    aside) four times and one of up to 40 characters twice, whichever template said them
    (`take`); a frame (a template with slots) twice whatever fills them, a catchphrase twice
    (`said_at_most`): a reader knows "My <friend> has been telling me to watch your stuff…"
    the third time, whoever the friend is."""

    def __init__(self, run: "Said | None" = None) -> None:
        # a run of batches (a scenario's slices) shares what was said word for word, who told
        # a story and the spam campaigns; each batch has its own templates' wear
        self._counts: Counter[str] = run._counts if run is not None else Counter()
        self.used: dict[str, int] = {}  # templates said so far, to prefer fresh ones
        self.just: list[str] = []  # the templates of the text being written now
        self.stale = False  # whether that text says a template more often than it bears
        # the share of top-level comments said as a reaction beforehand (`threads.CAPACITY`)
        self.thin = 0.0
        # who told a story of their own in this batch
        self.tellers: set[str] = run.tellers if run is not None else set()
        # the handles of the batch by their letters alone: "maya.f" and "mayaf" are one
        # handle to a reader (two people under one post: round 37)
        self.handles: dict[str, tuple[str, str]] = run.handles if run is not None else {}
        self.tag_words: set[str] = run.tag_words if run is not None else set()  # (gamer tags')
        # the creator's apologies and fixes by what they are for, in whatever language: one
        # each a batch (round 20's readers: "the levels were off" under two posts, in Spanish
        # and in English, word for word)
        self.owned_up: set[str] = set()
        # what one account's audience reports once a batch, whichever post: a lost order, a
        # dead link, "is every reel an ad now" (round 21-22's readers: stock pieces coming
        # back under post after post)
        self.reported: set[str] = set()
        self.told: Counter[str] = Counter()  # and what it says a few times a batch at most
        # what a post's replies answered, as the DMs count what they ask (a DM asking "What
        # dumbbells were those?", answered as under the post: round 79)
        self.answered: set[str] = set()
        # spam campaigns: who posts what, and the posts it hit (bots post one pitch under
        # post after post; round 21-22's readers: "one spam of each kind")
        self.campaigns: list[tuple[Author, str, set[str]]] = run.campaigns if run else []

    def least(self, rng: random.Random, options: Sequence[str]) -> str:
        """Of three options drawn, the one this batch said least (and now once more): a city
        signed off with, an emoji alone ("Grüße aus Münster" twice, "❤️" 19 times in 864
        comments: rounds 48-49)."""
        chosen = min(rng.sample(options, 3), key=lambda o: self.told[o])
        self.told[chosen] += 1
        return chosen

    def unsaid(self, options: Iterable[str]) -> bool:
        """Whether one of the templates is not said yet in this batch."""
        return any(self.used.get(o, 0) == 0 for o in options)

    def take(self, text: str) -> bool:
        """Whether the text says no long sentence again, nor a short comment ("dream trip",
        whichever template said it) a fifth time, nor a catchphrase a third; if so, it counts
        as said."""
        said = self._said(text)
        if said is None:
            return False
        self._counts.update(said)
        return True

    def fits(self, text: str) -> bool:
        """Whether `take` would take the text (without taking it)."""
        return self._said(text) is not None

    def times(self, text: str) -> int:
        """How often the batch said the text already (its most said long sentence)."""
        short = " ".join(sentences(text)).lower()
        if len(short) < LONG_SENTENCE:
            return self._counts[short]
        return max((self._counts[s.lower()] for s in sentences(text)), default=0)

    def _said(self, text: str) -> list[str] | None:
        """What the text would count as said, or None if it says it too often."""
        # (its emoji aside: "🤤🤤 Mir läuft…" is short; "Same here" is "same here" said again)
        short = " ".join(sentences(text)).lower()
        if len(short) < LONG_SENTENCE:
            if not short or text.rstrip().endswith("?"):
                return []
            # whichever template or slot said it: round 14's readers counted "trying this
            # today" seven times, said by a slot of a catchphrase
            most = (
                SHORT_AT_MOST
                if len(short) < CATCHPHRASE
                else CATCHPHRASE_AT_MOST
                if len(short) < REMARK
                else SENTENCE_AT_MOST
            )
            return None if self._counts[short] >= most else [short]
        long = [s.lower() for s in sentences(text) if len(s) >= LONG_SENTENCE]
        return None if any(self._counts[s] >= SENTENCE_AT_MOST for s in long) else long

    def worn(self, sentence: str) -> bool:
        """Whether a sentence was said as often as a batch bears."""
        return any(self._counts[s.lower()] >= SENTENCE_AT_MOST for s in sentences(sentence))

    def commit(self) -> None:
        """The text just written is said: its templates count."""
        used = self.used
        for chosen in self.just:
            used[chosen] = used.get(chosen, 0) + 1
        self.just.clear()


class Writer:
    """One stream of generation: its own Random, seeded from what it generates. It writes in
    the account's language; `speaking` gives the same stream in another one."""

    def __init__(self, profile: DemoProfile, stream: str, said: Said | None = None) -> None:
        self.rng = random.Random(f"{profile.account_id}:{profile.seed}:{stream}")
        self.profile = profile
        self.home = phrasebook(profile.locale)
        self.book = self.home
        # a batch's writers share what was said (no long sentence a third time in it); a tick
        # is a handful of items, where nothing comes round that often
        self.capped = said is not None
        self.said = said if said is not None else Said()
        self.persona_emoji = PERSONA_EMOJI[profile.persona]
        self.creator_author = _creator(profile, self.home.language)
        self.platform = profile.platform.value
        self.country = profile.locale.rpartition("_")[2].upper()
        # a scenario's mix of what people say: the acts of top-level comments and the DMs'
        # openings, with their weights (None: the usual mix)
        self.top_acts: tuple[tuple[Act, ...], tuple[float, ...]] | None = None
        self.openings: tuple[tuple[str, ...], tuple[float, ...]] | None = None
        self.post_tags: dict[str, frozenset[str]] = {}  # a scenario's posts' (a giveaway)
        self._speakers: dict[str, Writer] = {self.home.language: self}

    @property
    def language(self) -> str:
        return self.book.language

    def speaking(self, language: str) -> "Writer":
        """This stream (the same Random) writing in `language`."""
        if language not in self._speakers:
            other = object.__new__(Writer)
            for name in (
                "rng",
                "profile",
                "home",
                "said",
                "capped",
                "persona_emoji",
                "platform",
                "country",
                "top_acts",
                "openings",
                "post_tags",
            ):
                setattr(other, name, getattr(self, name))
            other.creator_author = self.creator_author
            other.book = REGIONAL.get((language, self.country)) or PHRASEBOOKS[language]
            other._speakers = self._speakers
            self._speakers[language] = other
        return self._speakers[language]

    def someone_language(self) -> str:
        """The language a new person writes in: mostly the account's, now and then another."""
        share = OTHER_LANGUAGE_SHARE.get(self.profile.locale)
        if self.rng.random() >= (share or OTHER_LANGUAGE_SHARE[self.home.language]):
            return self.home.language
        return self.rng.choice(SECOND_LANGUAGES[self.home.language])

    def someone(self, language: str | None = None) -> tuple[Author, str]:
        """A new person of the audience, and the language they write in."""
        language = language or self.someone_language()
        country = self.country if language == self.home.language else ""
        if language == "es" and self.country == "US":
            country = "MX"  # (its Spanish speakers' names: `people.GIVEN_IN`)
        mine = self.creator_author.handle
        for _ in range(TRIES):
            fan = people.someone(self.rng, language, self.profile.persona, country, self.platform)
            # not one the creator's handle spells ("ivancooks" answering under "theivancooks"
            # as if it were the channel: round 36)
            letters = re.sub(r"[._]", "", fan.handle)
            who = (fan.handle, fan.display_name)
            words = _tag_words(fan)
            short = people.short_name(fan)
            if (
                fan.handle.strip("._") not in mine
                # nor the hobby word of the creator's ("harveysetup", "alfiesetup" under
                # "theislasetup": round 54)
                and not any(
                    h in fan.handle and h in mine for h in people.HOBBY[self.profile.persona]
                )
                # (one handle, one person: "josephl" was Joseph L. and L. Joseph, round 43)
                and self.said.handles.get(letters, who) == who
                and not words & self.said.tag_words
                # (nor a short name a third time: "livbberry", "livbowman", "liv.cunningham"
                # in one inbox, round 56)
                and self.said.told[f"short:{short}"] < SHORT_NAME_AT_MOST
            ):
                break
        self.said.handles[letters] = (fan.handle, fan.display_name)
        self.said.tag_words |= words
        if short:
            self.said.told[f"short:{short}"] += 1
        return fan, language

    def takes(self, author: Author) -> bool:
        """Whether someone drawn elsewhere (a recurring fan, from their own seed) may write in
        this batch: not where their handle is another person's here ("martineza" was A.
        Martinez and A. Martínez: round 46); and if so, it is theirs from now on."""
        letters = re.sub(r"[._]", "", author.handle)
        who = (author.handle, author.display_name)
        words = _tag_words(author)
        if self.said.handles.get(letters, who) != who or (
            words & self.said.tag_words and letters not in self.said.handles
        ):
            return False
        self.said.handles[letters] = who
        self.said.tag_words |= words
        return True

    def label(self, sheet: FactSheet) -> str:
        """What a post is about, as the wire's topic: its subject in the account's language."""
        return self.home.noun(sheet.subject.key).bare

    # --- saying ------------------------------------------------------------------------

    def options(self, key: str, scene: Scene) -> list[str]:
        """The templates of a text key that this scene allows; the key's general form
        (before its last dot) where the specific one has none; where the post's subject was
        named in full often enough (`NAMED`), those that say "it" rather than its name, if
        any."""
        found = _options(self.book, key, _tags(scene))
        if NAMED in scene.tags and scene.sheet is not None:
            name = self.book.noun(scene.sheet.subject.key).bare.lower()
            return _unnamed(tuple(found), name) or found
        return found

    def say(self, key: str, scene: Scene) -> str:
        found = self.options(key, scene)
        if not found:
            raise PhrasebookError(f"{self.language}: nothing to say for {key!r} ({scene.tags})")
        return self.write(self.fresher(found, whole=True), scene)

    def say_other(self, key: str, scene: Scene, avoid: set[str], draws: int) -> tuple[str, str]:
        """What `say` says, and its template, drawn again (up to `draws` times) while the text or
        the template is one to avoid; only the last draw counts as said."""
        just = self.said.just
        start = len(just)
        text = template = ""
        for _ in range(draws):
            del just[start:]
            text = self.say(key, scene)
            template = just[start] if len(just) > start else text
            if text not in avoid and template not in avoid:
                break
        return text, template

    def say_fresh(self, key: str, scene: Scene, *, once: bool = False) -> str | None:
        """What `say` says, from the frames this batch has not worn out (`once`: not said at
        all yet: a story's part, that a reader knows the second time); None if it has worn
        out all of them (a part better left out than told again)."""
        found = self.options(key, scene)
        if self.capped:
            used = self.said.used
            found = [o for o in found if used.get(o, 0) < (1 if once else said_at_most(o, True))]
        return self.write(self.fresher(found, whole=True), scene) if found else None

    def fresher(self, options: list[str], *, whole: bool = False) -> str:
        """One of the options, those said often in this batch less likely (people don't all
        say the same thing the same way), one said as often as a batch bears (`said_at_most`;
        `whole`: the options are whole comments) not at all while another will do (if none
        will, the text is `stale`)."""
        if not self.capped:  # a tick: a handful of items, any of the options
            chosen = self.rng.choice(options)
            self.said.just.append(chosen)
            return chosen
        used = self.said.used
        if len(options) == 1:
            chosen = options[0]
        else:
            weights = [
                _FRESH[n] if (n := used.get(o, 0)) < said_at_most(o, whole) else 0.0
                for o in options
            ]
            if not any(weights):
                weights = [_FRESH[used.get(o, 0)] for o in options]
            chosen = weighted(self.rng, options, weights)
        if used.get(chosen, 0) >= said_at_most(chosen, whole):
            self.said.stale = True
        self.said.just.append(chosen)
        return chosen

    def write(self, template: str, scene: Scene) -> str:
        """A template filled for the scene, in this writer's language."""
        book = self.book
        nouns: dict[str, Noun] = {}
        if scene.sheet is not None:
            nouns["x"] = book.noun(scene.sheet.subject.key)
        for role, key in scene.picks.items():
            nouns[role] = book.noun(key)
        text = fill(
            template,
            self.rng,
            book.language,
            book.slots,
            scene.values,
            nouns,
            functools.partial(self._draw, scene),
            _tags(scene),
            self.fresher,
        )
        if book.language == "en" and self.country == "GB":
            text = _BRITISH.sub(lambda m: _british(m.group(0)), text)
        return text

    def _draw(self, scene: Scene, name: str) -> object:
        """A placeholder's words, drawn when a template names it."""
        rng, book, sheet = self.rng, self.book, scene.sheet
        creator = "creator" in scene.tags
        match name:
            case "creator":  # named as the platform tags: "@handle", or a Page by its name
                return people.mention(self.creator_author, facts_of(self.platform).tags_by_name)
            case "city":
                home = self.book is self.home  # (an English fan of a German account: abroad)
                # one the batch named least ("Grüße aus Münster" twice: round 49)
                return self.said.least(rng, CITIES.get(self.country if home else "", CITIES[""]))
            case "n":
                return rng.choice((3, 5, 7, 10))
            case "years":  # into the niche, or following the account: not "te sigo desde
                # hace 12 años" on Instagram (round 38's readers)
                return rng.choice((2, 2, 3, 3, 3, 4, 4, 5, 6, 7))
            case "video":
                return book.phrases[f"video.{self.platform}"]
            case "merch" | "digital" | "coach":  # what the account sells
                return book.phrases[f"{name}.{self.profile.persona.value}"]
        if sheet is None:
            raise PhrasebookError(f"{book.language}: {{{name}}} needs a post")
        match name:
            case "price":
                return sheet.price
            case "store":
                return sheet.store
            case "at_store":
                return book.at_store(sheet.store or "")
            case "dur":
                return book.duration(sheet.duration or 0, sheet.subject.unit)
            case "link":
                # (a DM sits under no video: "in the video's description", not "in the
                # description", round 63)
                if "dm" in scene.tags and f"{sheet.link_place}_dm" in book.links:
                    return book.links[f"{sheet.link_place}_dm"]
                return book.links[sheet.link_place + ("_mine" if creator else "")]
            case "link_yours":  # said to the creator: "the link in your bio"
                return book.links[sheet.link_place + "_yours"]
            case "at":  # where the part about the aspect is: the same in every answer
                # (round 35: "the redstone part?" answered 9:00, 2:14 and 3:11) and in every
                # moment liked (round 38: "4:21" the doneness in one comment, the resting in
                # the next); the aspects named in turn, the moments cited are too
                chapter = sheet.chapter(scene.picks.get("a", ""))
                if chapter is None:
                    return rng.choice(sheet.chapters) if sheet.chapters else ""
                if creator:
                    return chapter
                # a fan's moment, as near as they stopped it ("10:17" twice under a video,
                # "1:26" and "1:26": round 47)
                minutes, seconds = chapter.split(":")
                at = max(0, int(minutes) * 60 + int(seconds) + rng.randint(-6, 18))
                return f"{at // 60}:{at % 60:02d}"
            case "season":
                return book.phrases[sheet.season or ""]
            case "stay":
                return sheet.stay
            case "kv":
                return book.phrases[scene.picks["k"] + ".v"]
        raise PhrasebookError(f"{book.language}: nothing fills {{{name}}}")

    # --- as people type ---------------------------------------------------------------

    def fresh(
        self,
        compose: Callable[[], str],
        *,
        keep: bool = False,
        whole: bool = False,
        worn_out: Callable[[], str] | None = None,
    ) -> str | None:
        """What `compose` writes, drawn again while it would say what this batch has said as
        often as it bears (a long sentence again, a frame a third time). After a few tries:
        None (the caller says something else), or where something must be said (`keep`) the
        first text drawn that says nothing too often (or, where that says something the post
        heard already, what `worn_out` says); else the last as it is if it must be
        said `whole` (the creator's own answers), else its first clause where that is fresh,
        as someone in a hurry types it ("Sounds like a form thing"), or what `worn_out` says
        (an emoji that answers), or the whole text once more rather than a sentence cut off."""
        said = self.said
        said.just.clear()
        if not self.capped:
            return compose()
        text = ""
        fitting: tuple[str, list[str]] | None = None  # the first that says nothing a third time
        least: tuple[int, str, list[str]] | None = None  # the one the batch said least
        for _ in range(TRIES):
            said.just.clear()
            said.stale = False
            text = compose()
            if not said.stale and said.take(text):
                said.commit()
                return text
            if fitting is None and said.fits(text):
                fitting = (text, list(said.just))
            times = said.times(text)
            if least is None or times < least[0]:
                least = (times, text, list(said.just))
        if not keep:
            said.just.clear()
            return None
        if fitting is not None and worn_out is not None:
            # said on this post already, every way the batch still bears: an emoji that
            # answers, not the same words twice under one post ("@leahgains ahh thanks", then
            # "@james.young.fit ahh thanks": round 51)
            said.just.clear()
            return worn_out()
        if fitting is not None:
            text, said.just[:] = fitting
        elif whole and least is not None:
            # the creator's answer said every way the batch bears: the way said least, not the
            # last drawn ("¡Sin problema! Lo pensé para quien empieza" in two DMs running: round 61)
            _, text, said.just[:] = least
        if not (said.take(text) or whole):
            # its first clause if that is fresh, else what is left without its worn sentences,
            # else all of it: never a sentence cut off mid-way
            # (after whom it answers: "@alberto.escriva." is no clause, round 61; and more than
            # a sigh: "ay" of "Ay, eso me ayuda, ¡gracias!" answered a DM alone, round 61)
            to = _MENTIONS.match(text)
            head, body = (to.group(0), text[to.end() :]) if to else ("", text)
            clause = re.split(r"(?<=[.!?])\s|[,:;]\s", body, maxsplit=1)[0]
            rest = " ".join(s for s in _SENTENCE.split(body) if not said.worn(s))
            fresh = next(
                (head + t for t in (clause, rest) if len(t) >= CLAUSE and said.take(head + t)),
                None,
            )
            text = fresh or (worn_out() if worn_out is not None else text)
        said.commit()
        return text

    def emoji(self, tone: str, k: int) -> str:
        """k emoji of the tone: the niche's own and hearts where it is warm, laughing where it is
        funny, eyes and hands where it asks, none of them cheerful where it complains."""
        pool = TONE_EMOJI[tone]
        if tone == "positive":
            pool = WARM_EMOJI.get(self.profile.persona, pool)
        if tone == "positive" and self.rng.random() < NICHE_EMOJI:
            pool = self.persona_emoji
        # (the one the batch said least: "🔥" alone 19 times in 871, round 58; "💯💯",
        # "💯", "💯💯💯" in five of a post's first 32 comments, round 67)
        # one said again ("😭😭😭") or each once: not "💯❤️💯", "👑🎮👑" (round 38's readers);
        # three, one said again ("🙌💯😍", "👏💯😍" read as stuck on: round 63)
        if k == 1 or k >= 3 or self.rng.random() < 0.5 or len(set(pool)) < k:
            return (
                self.said.least(self.rng, pool) if len(pool) >= 3 else self.rng.choice(pool)
            ) * k
        return "".join(self.rng.sample(sorted(set(pool)), k=k))

    def with_emoji(self, text: str, tone: str) -> str:
        """Emoji where people put them: after a question or a paragraph, last; on a line or
        two, mostly last, some first, some after a pause."""
        if tone not in TONE_EMOJI or _ENDS_WITH_EMOJI.search(text):
            return text  # (not "…big screen 🥰 👌👌🔥": a line with its own keeps it alone)
        # (two or three after most lines read as stamped on, "…literally same 🔥🙌🥰": round 32;
        # 6, 3, 1 before)
        many = (
            1
            if tone in ("question", "negative", "thanks")
            else weighted(self.rng, (1, 2, 3), (8, 2, 1))
        )
        emoji = self.emoji(tone, many)
        where = self.rng.random()
        words = text.split(" ")
        # a few words get theirs last most of the time, a sentence or two more often first or
        # after a pause ("🤯 yesss" read as stuck on: round 15; round 23's readers in three
        # languages named emoji before the words, "🥰 Meu Deus…", "👏 Se nota…", where people
        # put them last: 0.5 and 0.35 before, for issue 12's 70% last, where issue 21 wins)
        # ("💯 tempting", "😍 so cool", "💅 o jeito…": round 27, 0.7 and 0.55 before)
        # ("❤️ Was about to say this", "🔥 the way I gasped": round 32, 0.85 and 0.65 before)
        # ("🏆 Danke…", "❤️ En el 5:08…", "😍 Te sigo desde…": round 38, first before a
        # sentence at all; a few words only now)
        pauses = [i + 1 for i, word in enumerate(words[:-1]) if word[-1:] in ".!?"]
        last = 0.9 if len(words) < 4 else 0.6 if pauses else 1.0
        if where < last or tone in ("question", "thanks") or len(text) > PARAGRAPH:
            return f"{text} {emoji}"
        if len(words) < 4:
            # one, first: a cluster before the words read as stuck on ("🔥❤️😍 Finde ich auch",
            # "🥰😍 @tatiane…": round 20's readers)
            return f"{emoji if many == 1 else self.emoji(tone, 1)} {text}"
        cut = self.rng.choice(pauses)
        # one after a pause: a cluster between two sentences ("…in sunlight. 😍💯👏 Short,
        # clear…") read as glued (round 26)
        return " ".join([*words[:cut], emoji if many == 1 else self.emoji(tone, 1), *words[cut:]])

    def typed(self, text: str, author: Author, *, question: bool = False) -> str:
        """As this person's phone types it: the few who type in a hurry (about one in five)
        in their own way every time: a slip of the thumb now and then (and no capital then), no
        capital, no final full stop, no '¿' or '¡', apostrophes and accents often left out;
        everyone else's autocorrect catches slips, and a dropped apostrophe or accent or a
        missing capital is rarer; short Spanish questions go without their '¿'."""
        rng, book = self.rng, self.book
        if book.language == "pt":
            text = people.thanked_as(text, author)
        if sloppy(author):
            slipped = rng.random() < SLOPPY_SLIPS and text.count(" ") >= SLIP_WORDS - 1
            if slipped:
                text = slip(text, rng, book.keyboard)
            if book.language == "en":  # "i" every time, not "i'm … so I'm" (round 13)
                text = _I.sub("i", text)
            if "'" in text and rng.random() < 0.5:
                text = text.replace("'", "")
            if book.language in ("es", "pt") and rng.random() < 0.4:
                text = _unaccented(text, rng)
            text = text.replace("¿", "").replace("¡", "")
            if text.endswith(".") and not text.endswith(".."):
                text = text[:-1]
            return _small_first(text) if slipped or rng.random() < 0.8 else text
        if question and book.language == "es" and len(text) < 45 and rng.random() < 0.7:
            text = text.replace("¿", "")
        roll = rng.random()
        if roll < 0.08 and "'" in text:
            text = text.replace("'", "", 1)
        elif roll < 0.12 and book.language in ("es", "pt"):
            text = _unaccented(text, rng)
        if rng.random() < 0.17 and not _I.match(text):
            text = _small_first(text)
        return text


# what is said of one subject alone, in any language: a reader knows "die Blume 💀" the second
# time, under another video on the same boss (round 16), so each is said once in a batch
# and a joke, whatever fills its slots ("Saved it, which counts as half a workout right?"
# under one post, "…as a workout right?" under another: round 23), and a fan's surprise that
# the creator answered ("Omg you replied, thank you!" by two people: round 24)
_OWN_LINES = frozenset(
    template(line).text
    for book in PHRASEBOOKS.values()
    for key, lines in book.texts.items()
    for line in lines
    if own_words(key)
    or key.split(".")[0] == "joke"
    or (key == "thanks" and "to_creator" in line.split("]")[0])
)
# the creator's answers to what was asked, which a frame's once a batch would leave unanswered
# (a creator who has said "It's £109 at Currys" answers the next one so too: after round 51's
# frames said once, the Spanish price questions the creator answered fell from 18 to 9)
_ANSWER_LINES = frozenset(
    template(line).text
    for book in PHRASEBOOKS.values()
    for key, lines in book.texts.items()
    for line in lines
    # (where to get it, what it costs, the link: a batch asks these most, and with their answers
    # once the creator left Spanish price questions unanswered, round 52; not "X is a great
    # cheaper option" twice, round 58)
    if key.startswith(("creator.price", "creator.where", "creator.link", "creator.duration"))
)


# words a British account's audience spells its own way (round 36's reader: "colors" under a
# UK tech reviewer): one template serves both ("[c_GB] mum" and "[!c_GB] mom" before)
BRITISH = {
    "color": "colour", "colors": "colours", "favorite": "favourite", "favorites": "favourites",
    "flavor": "flavour", "flavors": "flavours", "gray": "grey", "center": "centre",
    "organize": "organise", "organized": "organised", "realize": "realise", "realized": "realised",
    "apologize": "apologise", "mom": "mum", "moms": "mums", "neighbor": "neighbour",
    "neighbors": "neighbours", "behavior": "behaviour", "theater": "theatre", "humor": "humour",
    # and words: "on the couch", "adding to cart" under a British TikTok (round 48)
    "couch": "sofa", "cart": "basket", "vacation": "holiday",
    "cellphone": "mobile", "sneakers": "trainers",
}  # fmt: skip
_BRITISH = re.compile(r"\b(?:" + "|".join(BRITISH) + r")\b", re.IGNORECASE)


def _british(word: str) -> str:
    said = BRITISH[word.lower()]
    return said.capitalize() if word[:1].isupper() else said


@functools.cache
def said_at_most(option: str, whole: bool = False) -> int:
    """How often a batch bears one template: a frame once (a short one twice if it cites a
    moment, asks or answers), a catchphrase twice, a short one said as a whole comment
    ("banger", "the sound 😭", "@x look": `whole`) twice, or three times where it is a question
    ("price?"; people ask it that way again and again); a short phrase in a slot ("now",
    "pls") any number of times."""
    written = template(option).text
    if written in _OWN_LINES:
        return SENTENCE_AT_MOST
    if "{creator}" in written:  # ("Hey @clipsbyelias! …?" opening five questions: round 54)
        return CATCHPHRASE_AT_MOST
    n = len(written)
    if n >= FRAME:
        # a short one twice if it cites a moment, asks (people ask it that way again) or answers
        # what was asked; any other once
        short_frame = _FILLED.search(written) and n < LONG_SENTENCE
        again = "{at}" in written or written.endswith("?") or written in _ANSWER_LINES
        return SAID_AT_MOST if short_frame and again else SENTENCE_AT_MOST
    if n >= CATCHPHRASE:
        return CATCHPHRASE_AT_MOST
    if not whole:
        return 1 << 30
    return SHORT_QUESTION_AT_MOST if option.endswith("?") else SHORT_AT_MOST


# German words that start a sentence but are small inside one (nouns keep their capital)
GERMAN_SMALL = frozenset(
    (
        "der", "die", "das", "den", "dem", "des", "ein", "eine", "einen", "ich", "du", "er", "sie",
        "es", "wir", "ihr", "hab", "habe", "hast", "hat", "ist", "sind", "war", "wie", "wo", "was",
        "wann", "warum", "wer", "welche", "welcher", "welches", "kann", "gibt", "geht", "mein",
        "meine", "dein", "deine", "so", "da", "dann", "und", "aber", "auch", "noch", "schon",
        "nur", "mal", "endlich", "echt", "voll", "mega", "richtig", "gerade", "hier", "bin", "bei",
        "mit", "für", "zu", "im", "am", "vom", "zum", "zur", "kein", "keine", "nicht", "wenn",
        "ob", "sieht", "läuft", "laufen", "ab", "in", "gibt's", "funktioniert", "funktionieren",
        "hält", "kannst", "klappt", "reicht", "schafft", "taugt", "womit", "woher", "würdest",
        "dauert", "kriegt", "krieg", "machbar", "kostet", "kosten", "weiß", "kurze", "schaff",
        "bester", "beste", "welchen",
    )
)  # fmt: skip


def lower_first(text: str, language: str) -> str:
    """The rest of a sentence: its first letter small ("Random question but how…"), but "I",
    and in German only where the word is not a noun."""
    if text[:2] in ("I ", "I'"):
        return text
    if language == "de" and text.split(" ", 1)[0].lower() not in GERMAN_SMALL:
        return text
    opening = len(text) - len(text.lstrip("¿¡"))  # "¿Cuánto…" is "¿cuánto…" after a comma
    return text[:opening] + text[opening : opening + 1].lower() + text[opening + 1 :]


def sloppy(author: Author) -> bool:
    """Whether this person types in a hurry (about one in five): a trait of theirs, the same
    in every comment."""
    return zlib.crc32(author.handle.encode()) % 5 == 0


@functools.cache
def _neighbours(keyboard: str) -> Mapping[str, str]:
    rows = keyboard.split(" ")
    near: dict[str, str] = {}
    for r, row in enumerate(rows):
        for c, key in enumerate(row):
            around = [row[c - 1] if c else "", row[c + 1] if c + 1 < len(row) else ""]
            for other in (rows[r - 1] if r else "", rows[r + 1] if r + 1 < len(rows) else ""):
                around += [other[c] if c < len(other) else ""]
            near[key] = "".join(around)
    return near


def slip(text: str, rng: random.Random, keyboard: str) -> str:
    """One slip of the thumb in one word: a neighbouring key, a letter missed, or one twice."""
    words = text.split(" ")
    # not in a word in capitals ("GOAT"): typed on purpose, letter by letter
    candidates = [i for i, w in enumerate(words) if len(w) > 3 and w.isalpha() and not w.isupper()]
    if not candidates:
        return text
    i = rng.choice(candidates)
    word = words[i]
    j = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    near = _neighbours(keyboard).get(word[j].lower(), "")
    if kind < 0.55 and near:
        words[i] = word[:j] + rng.choice(near) + word[j + 1 :]
    elif kind < 0.85:
        words[i] = word[:j] + word[j + 1 :]
    else:
        words[i] = word[: j + 1] + word[j] + word[j + 1 :]
    return " ".join(words)


def _unaccented(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    accented = [i for i, w in enumerate(words) if any(ch in "áéíóúâêôãõç" for ch in w)]
    if not accented:
        return text
    i = rng.choice(accented)
    words[i] = "".join(
        ch for ch in unicodedata.normalize("NFD", words[i]) if not unicodedata.combining(ch)
    )
    return " ".join(words)


_ACRONYM = re.compile(r"[A-Z0-9]{2,}\b")


def _small_first(text: str) -> str:
    """The text with no capital to start, but a first word in capitals as it is ("GPS track
    looks perfect", not "gPS…": round 41)."""
    return text if _ACRONYM.match(text) else text[:1].lower() + text[1:]


def _tags(scene: Scene) -> frozenset[str]:
    """The scene's tags, and how its aspect is talked about (`facts.ASPECT_TAGS`)."""
    aspect = ASPECT_TAGS.get(scene.picks.get("a", ""))
    return scene.tags | aspect if aspect else scene.tags


@functools.lru_cache(maxsize=65536)
def _options(book: Phrasebook, key: str, tags: frozenset[str]) -> list[str]:
    while True:
        found = sayable(book.texts.get(key, ()), tags)
        if found or "." not in key:
            return found
        key = key.rpartition(".")[0]


NAMES_SUBJECT = re.compile(r"\{(?:\w+_)?x\}")  # {x}, {the_x}, {del_x}: not {x:it|them}


@functools.lru_cache(maxsize=65536)
def _unnamed(options: tuple[str, ...], name: str) -> list[str]:
    """The options that do not name the subject, by a placeholder or in words of their own
    ("Tears of the Kingdom" in a line said of it alone)."""
    return [o for o in options if not NAMES_SUBJECT.search(o) and name not in o.lower()]


@functools.lru_cache(maxsize=4096)
def _creator(profile: DemoProfile, language: str) -> Author:
    return people.creator(profile, language)


def account_author(profile: DemoProfile) -> Author:
    """The account as it signs what it says: its username, and the name a Page shows."""
    return _creator(profile, phrasebook(profile.locale).language)


def warm_up() -> None:
    """Load what every phrasebook's people and nouns are drawn from, once, before a worker
    takes its first job (which would otherwise load them itself)."""
    for book in PHRASEBOOKS.values():
        people.someone(random.Random(0), book.language, next(iter(PERSONA_EMOJI)))
        for key in book.nouns:
            book.noun(key)
