"""How a language's phrasebook is written and filled: nouns that carry their gender and number,
templates that agree with them, and conditions that say when a template may be said.

A template is a string in a small notation, the same in every language:

- `<slot>`: one of the phrasebook's phrases for that slot, drawn when filled (slots may hold
  slots and placeholders in turn).
- `{name}`: a value of the scene (`{price}`, `{creator}`, `{at}`, …).
- `{x}`, `{the_x}`: a noun of the scene in one of its forms. The letter is the noun's role
  (x the post's subject, a an aspect of it, k a piece of gear or an ingredient, w what it may
  work with, s what works instead, st a store); the form before it is one of the language's
  (`the` in English; `el`, `del`, `al` in Spanish; `o`, `do`, `no`, `ao` in Portuguese; `der`,
  `den`, `dem` in German). A bare letter is the noun without its article.
- `{x:it|them}`: the word that agrees with the role's noun: one option per gender and number
  of the language (English: singular | plural; Spanish and Portuguese: masculine singular |
  feminine singular | masculine plural | feminine plural; German: masculine | feminine |
  neuter | plural).
- `[tag,a|b,!tag] text`: said only where the scene has every tag (or one of a|b) and none of
  the negated ones (the platform, the kind of post, how old the post is, whether the author
  came back, …). A slot's phrases may carry conditions too.

Text is drawn with the caller's Random only, so the same stream writes the same words.
"""

import functools
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import cast

# the genders and numbers a language tells apart, in the order a template lists its options
GENDERS: dict[str, tuple[str, ...]] = {
    "en": ("sg", "pl"),
    "es": ("m", "f", "mpl", "fpl"),
    "pt": ("m", "f", "mpl", "fpl"),
    "de": ("m", "f", "n", "pl"),
}
# the article a noun is written with, and its gender and number, where the article tells
_ARTICLES: dict[str, dict[str, str]] = {
    "en": {"the": "sg"},
    "es": {"el": "m", "la": "f", "los": "mpl", "las": "fpl"},
    "pt": {"o": "m", "a": "f", "os": "mpl", "as": "fpl"},
    "de": {"der": "m", "die": "f", "das": "n"},  # "die …|pl" says plural
}
# each form of a noun with its definite article, by gender and number
_FORMS: dict[str, dict[str, dict[str, str]]] = {
    "en": {"the": {"sg": "the", "pl": "the"}},
    "es": {
        "el": {"m": "el", "f": "la", "mpl": "los", "fpl": "las"},
        "del": {"m": "del", "f": "de la", "mpl": "de los", "fpl": "de las"},
        "al": {"m": "al", "f": "a la", "mpl": "a los", "fpl": "a las"},
    },
    "pt": {
        "o": {"m": "o", "f": "a", "mpl": "os", "fpl": "as"},
        "do": {"m": "do", "f": "da", "mpl": "dos", "fpl": "das"},
        "no": {"m": "no", "f": "na", "mpl": "nos", "fpl": "nas"},
        "ao": {"m": "ao", "f": "à", "mpl": "aos", "fpl": "às"},
        "pelo": {"m": "pelo", "f": "pela", "mpl": "pelos", "fpl": "pelas"},
    },
    "de": {
        "der": {"m": "der", "f": "die", "n": "das", "pl": "die"},
        "den": {"m": "den", "f": "die", "n": "das", "pl": "die"},
        "dem": {"m": "dem", "f": "der", "n": "dem", "pl": "den"},
        # a preposition and the dative, as people contract them ("zu der Minecraft-Burg" in a
        # DM's opening, this session's own reading)
        "zum": {"m": "zum", "f": "zur", "n": "zum", "pl": "zu den"},
        "beim": {"m": "beim", "f": "bei der", "n": "beim", "pl": "bei den"},
    },
}
# those contracted forms, by their preposition: a noun's own dative ("dem=den Schuhen") after it
_CONTRACTED: dict[str, dict[str, str]] = {"de": {"zum": "zu", "beim": "bei"}}
# where a form's article has no noun (a name: "Kyoto"), the preposition it had contracted
_BARE: dict[str, dict[str, str]] = {
    "es": {"del": "de", "al": "a"},
    "pt": {"do": "de", "no": "em", "ao": "a", "pelo": "por"},
    "de": {"zum": "zu", "beim": "bei"},
}
ROLES = ("x", "a", "k", "w", "s", "st")
# an hour, as a language says it where a figure would read as a form's (not in Portuguese,
# whose "umas {dur}" says "umas 2 horas")
ONE_HOUR = {"en": "an hour", "es": "una hora"}


class PhrasebookError(ValueError):
    """A phrasebook that cannot be filled: a template names what it cannot have."""


@dataclass(frozen=True, slots=True)
class Noun:
    """A noun as a language writes it: its words without an article, whether it takes one,
    its gender and number, and forms the rules do not give (German plural datives)."""

    bare: str
    gender: int  # the index into GENDERS[language]
    article: bool
    irregular: tuple[tuple[str, str], ...] = ()

    def form(self, language: str, form: str) -> str:
        for name, written in self.irregular:
            if name == form:
                return written
        preposition = _CONTRACTED.get(language, {}).get(form)
        if preposition is not None:
            for name, written in self.irregular:
                if name == "dem":
                    return f"{preposition} {written}"
        if not self.article:
            return f"{_BARE.get(language, {}).get(form, '')} {self.bare}".strip()
        word = _FORMS[language][form][GENDERS[language][self.gender]]
        return f"{word} {self.bare}"


def noun(language: str, written: str) -> Noun:
    """'el Pixel 9' (its article tells it is masculine singular), 'die Kopfhörer|pl',
    'Kioto|f' (a name, no article), 'die Kopfhörer|pl|dem=den Kopfhörern' (a form the rules
    do not give)."""
    words, *marks = written.split("|")
    irregular = tuple(tuple(m.split("=", 1)) for m in marks if "=" in m)
    gender_mark = next((m for m in marks if "=" not in m), None)
    genders = GENDERS[language]
    first, _, rest = words.partition(" ")
    if first.lower() in _ARTICLES[language] and rest:
        gender = gender_mark or _ARTICLES[language][first.lower()]
        return Noun(rest, genders.index(gender), True, irregular)  # type: ignore[arg-type]
    if gender_mark is None:
        raise PhrasebookError(f"{language}: {written!r} needs an article or a |gender")
    return Noun(words, genders.index(gender_mark), False, irregular)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Template:
    text: str
    needs: tuple[frozenset[str], ...]  # each: one of these tags at least
    refuses: frozenset[str]

    def allowed(self, tags: frozenset[str]) -> bool:
        return all(any_of & tags for any_of in self.needs) and not (self.refuses & tags)


# the tags, then one space: "[recipe|look]  if I don't have any" goes after a word
_CONDITION = re.compile(r"^\[([^\]]*)\] ?")


@functools.lru_cache(maxsize=65536)
def template(written: str) -> Template:
    found = _CONDITION.match(written)
    if not found:
        return Template(written, (), frozenset())
    tags = [t.strip() for t in found.group(1).split(",") if t.strip()]
    return Template(
        written[found.end() :],
        tuple(frozenset(t.split("|")) for t in tags if not t.startswith("!")),
        frozenset(t[1:] for t in tags if t.startswith("!")),
    )


@functools.lru_cache(maxsize=65536)
def _parsed(options: tuple[str, ...]) -> tuple[Template, ...]:
    return tuple(template(o) for o in options)


def sayable(options: tuple[str, ...], tags: frozenset[str]) -> list[str]:
    """The templates whose conditions the scene meets."""
    return [t.text for t in _parsed(options) if t.allowed(tags)]


_PIECE = re.compile(r"<(\w+)>|\{(\w+)(?::([^}]*))?\}")
# a template's pieces: ("", text) as written, ("<", slot), ("{", placeholder, agreement options)
Piece = tuple[str, str, str | None]


@functools.lru_cache(maxsize=65536)
def _pieces(text: str) -> tuple[Piece, ...]:
    """A template cut into what it says as written, its slots and its placeholders, once."""
    found: list[Piece] = []
    at = 0
    for m in _PIECE.finditer(text):
        if m.start() > at:
            found.append(("", text[at : m.start()], None))
        if m.group(1) is not None:
            found.append(("<", m.group(1), None))
        else:
            found.append(("{", m.group(2), m.group(3)))
        at = m.end()
    if at < len(text):
        found.append(("", text[at:], None))
    return tuple(found)


def fill(
    text: str,
    rng: random.Random,
    language: str,
    slots: Mapping[str, tuple[str, ...]],
    values: Mapping[str, object],
    nouns: Mapping[str, Noun],
    draw: Callable[[str], object] | None = None,
    tags: frozenset[str] | None = frozenset(),
    choose: Callable[[list[str]], str] | None = None,
) -> str:
    """The template with its slots drawn and its placeholders written, left to right; slot
    phrases as the tags allow (None: any of them), picked by `choose` (or evenly)."""
    said = _render(text, _Filling(language, slots, values, nouns, draw, tags, choose or rng.choice))
    if "  " in said:  # an empty slot
        said = re.sub(" {2,}", " ", said).strip()
    return said


@dataclass(frozen=True, slots=True)
class _Filling:
    language: str
    slots: Mapping[str, tuple[str, ...]]
    values: Mapping[str, object]
    nouns: Mapping[str, Noun]
    draw: Callable[[str], object] | None
    tags: frozenset[str] | None
    pick: Callable[[list[str]], str]


def _render(template: str, how: _Filling) -> str:
    out = []
    for kind, name, options in _pieces(template):
        if not kind:
            out.append(name)
        elif kind == "<":
            out.append(_render(how.pick(_slot(how.slots, name, how.tags)), how))
        elif options is not None:
            out.append(_agreeing(how.language, name, options, how.nouns))
        elif name[:1].isupper():  # {Price} is {price} starting a sentence
            said = _written(name[:1].lower() + name[1:], how, template)
            out.append(said[:1].upper() + said[1:])
        else:
            out.append(_written(name, how, template))
    return "".join(out)


def _written(name: str, how: _Filling, template: str) -> str:
    if name in how.values:
        return str(how.values[name])
    form, _, role = name.rpartition("_")
    noun = how.nouns.get(role)
    if noun is not None:
        return noun.form(how.language, form) if form else noun.bare
    if how.draw is not None:
        return str(how.draw(name))
    raise PhrasebookError(f"{how.language}: nothing fills {{{name}}} in {template!r}")


_SLOTS: dict[tuple[int, str, frozenset[str] | None], list[str]] = {}


def _slot(
    slots: Mapping[str, tuple[str, ...]], name: str, tags: frozenset[str] | None
) -> list[str]:
    """The phrases of a slot the tags allow (a phrasebook's slots live as long as the
    process: the choice is kept by their identity)."""
    key = (id(slots), name, tags)
    found = _SLOTS.get(key)
    if found is not None:
        return found
    if name not in slots:
        raise PhrasebookError(f"no slot <{name}>")
    found = [t.text for t in _parsed(slots[name])] if tags is None else sayable(slots[name], tags)
    if not found:
        raise PhrasebookError(f"slot <{name}> has nothing to say for {sorted(tags or ())}")
    if len(_SLOTS) < 200_000:
        _SLOTS[key] = found
    return found


def _agreeing(language: str, role: str, options: str, nouns: Mapping[str, Noun]) -> str:
    choices = options.split("|")
    if len(choices) != len(GENDERS[language]):
        raise PhrasebookError(
            f"{language}: {{{role}:{options}}} needs {len(GENDERS[language])} options"
        )
    if role not in nouns:
        raise PhrasebookError(f"{language}: {{{role}:…}} but the scene has no noun {role}")
    return choices[nouns[role].gender]


@dataclass(frozen=True, eq=False)
class Phrasebook:
    """Everything a language's speakers write: texts by what they do (`ask.price`,
    `apology.audio`, `dm.order.open`, …; a key falls back to its general form before its last
    dot), the slots those texts draw from, the nouns of every persona's world with their
    gender and number, and how the language writes units, stores and where links are."""

    language: str  # BCP 47
    texts: Mapping[str, tuple[str, ...]]
    slots: Mapping[str, tuple[str, ...]]
    nouns: Mapping[str, str]  # key → a noun as `noun()` reads it
    phrases: Mapping[str, str]  # key → plain words: gear as it is answered ("bread flour")
    units: Mapping[str, tuple[str, str]]  # min | h | d | wk → (one, many)
    links: Mapping[str, str]  # description | pinned | bio, their _mine ("in my bio") and
    # _yours ("in your bio")
    hour_and_a_half: str  # 90 minutes as people say it
    at_store_default: str  # "at {store}"
    at_stores: Mapping[str, str]  # where a store is said otherwise: "on Steam"
    keyboard: str  # its rows of letters, for slips of the thumb
    first: str  # "First!"

    def noun(self, key: str) -> Noun:
        written = self.nouns.get(key)
        if written is None:
            raise PhrasebookError(f"{self.language}: no noun {key!r}")
        return _noun(self.language, written)

    def at_store(self, store: str) -> str:
        return self.at_stores.get(store) or self.at_store_default.format(store=store)

    def duration(self, amount: int, unit: str) -> str:
        """'45 minutes', '2 hours' (not '120 minutes'), 'an hour and a half'."""
        if unit == "min" and amount >= 60:
            if amount == 90:
                return self.hour_and_a_half
            if amount % 60 == 0:
                amount, unit = amount // 60, "h"
        if amount == 1 and unit == "h" and self.language[:2] in ONE_HOUR:
            return ONE_HOUR[self.language[:2]]  # ("A mí me lleva 1 hora": round 80)
        one, many = self.units[unit]
        return f"{amount} {one if amount == 1 else many}"


@functools.lru_cache(maxsize=8192)
def _noun(language: str, written: str) -> Noun:
    return noun(language, written)


# what people say about one subject and no other, by subject key: its own questions, each with
# the creator's answers and another viewer's ("ask"), praise of it ("praise"), how it went
# for those who made, did, bought or went ("tried", an age tag where it came after the post)
# and short reactions ("react"); plain text, no slots
OwnQuestion = tuple[str, tuple[str, ...], tuple[str, ...]]  # (asked, the creator's, a fan's)
SubjectTexts = Mapping[str, Mapping[str, tuple[OwnQuestion, ...] | tuple[str, ...]]]
OWN = "own"  # a top-level comment's detail: said of the post's subject alone
DETAIL = "detail"  # a question's detail: one of the subject's own questions


def with_subjects(
    texts: Mapping[str, tuple[str, ...]], subjects: SubjectTexts
) -> dict[str, tuple[str, ...]]:
    """A phrasebook's texts with what is said of each subject alone: its questions as
    `ask.detail.<subject>.<n>`, answered by `creator.detail.<subject>.<n>` and
    `answer.detail.<subject>.<n>`, and `praise.own.<subject>`, `tried.own.<subject>`,
    `react.own.<subject>` (a key per subject: a batch draws them thousands of times), each line
    said only under its subject (`[s_<subject>]`)."""
    out = dict(texts)
    for key, parts in subjects.items():
        for n, entry in enumerate(parts["ask"]):
            question, creator, fan = cast(OwnQuestion, entry)
            out[f"ask.{DETAIL}.{key}.{n}"] = (question,)
            out[f"creator.{DETAIL}.{key}.{n}"] = tuple(creator)
            out[f"answer.{DETAIL}.{key}.{n}"] = tuple(fan)
        for part in ("praise", "tried", "react"):
            out[f"{part}.{OWN}.{key}"] = tuple(_under(key, str(line)) for line in parts[part])
    return out


def own_words(key: str) -> bool:
    """Whether a text key holds what is said of one subject alone (plain text, no slots)."""
    return f".{OWN}." in key or f".{DETAIL}." in key


def _under(subject: str, line: str) -> str:
    """A line said only under its subject: '[age1d] made it…' → '[s_steak,age1d] made it…'."""
    if line.startswith("["):
        return f"[s_{subject},{line[1:]}"
    return f"[s_{subject}] {line}"


@functools.lru_cache(maxsize=4096)
def own_questions(book: "Phrasebook", subject: str) -> tuple[str, ...]:
    """The details of a subject's own questions in a phrasebook: 'detail.steak.0', …"""
    prefix = f"ask.{DETAIL}.{subject}."
    found = [key.removeprefix("ask.") for key in book.texts if key.startswith(prefix)]
    return tuple(sorted(found, key=lambda d: int(d.rpartition(".")[2])))
