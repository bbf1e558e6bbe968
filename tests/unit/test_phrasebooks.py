"""Every language's phrasebook, checked on its words: it says everything English says, every
template fills with every noun of the persona's worlds, and where a template's words meet a
noun they agree with its gender and number ("la Pixel 9", "Las sustituciones ha", "die
Kopfhörer ist" would each fail here)."""

import random
import re

import pytest

from app.domain.generation.facts import SUBJECTS
from app.domain.generation.language import (
    DETAIL,
    GENDERS,
    OWN,
    Phrasebook,
    PhrasebookError,
    fill,
    own_questions,
    own_words,
    sayable,
    template,
)
from app.domain.generation.vocabulary import EN
from app.domain.generation.vocabulary_de import DE
from app.domain.generation.vocabulary_es import ES
from app.domain.generation.vocabulary_pt import PT
from app.domain.generation.writer import ES_MX

BOOKS = {"en": EN, "es": ES, "pt": PT, "de": DE}
# and the languages as a country speaks them (Mexico's Spanish: Spain's, reworded)
REGIONAL_BOOKS = {"es_MX": ES_MX}
ROLES = ("a", "k", "w", "s")  # key prefixes; a key without one is a post's subject (x)
# what the scene fills besides nouns (writer.py and the conversations draw these)
KNOWN = {
    "price", "store", "at_store", "dur", "link", "link_yours", "at", "season", "stay", "kv",
    "creator", "city", "n", "years", "video", "merch", "digital", "coach", "name", "friend",
    "order", "email", "creator_name", "brand", "rep", "coach_price", "shop_price", "budget", "rate",
    "day", "timeline", "phone", "editor",
}  # fmt: skip
_NOUN = re.compile(r"\{(?:(\w+)_)?(x|a|k|w|s)(?::[^}]*)?\}", re.IGNORECASE)

# words that carry gender or number, by the genders and numbers they fit: where one stands
# right before a noun (an article, a demonstrative) or right after it (a verb, an adjective)
BEFORE: dict[str, dict[str, set[str]]] = {
    "en": {"this": {"sg"}, "these": {"pl"}, "that": {"sg"}, "those": {"pl"}, "a": {"sg"},
           "an": {"sg"}},
    "es": {**{w: {"m"} for w in ("el", "un", "este", "ese", "del", "al", "aquel")},
           **{w: {"f"} for w in ("la", "una", "esta", "esa", "aquella")},
           **{w: {"mpl"} for w in ("los", "unos", "estos", "esos")},
           **{w: {"fpl"} for w in ("las", "unas", "estas", "esas")},
           **{w: {"m", "f"} for w in ("mi", "tu", "su")},
           **{w: {"mpl", "fpl"} for w in ("mis", "tus", "sus")}},
    "pt": {**{w: {"m"} for w in ("o", "um", "este", "esse", "do", "no", "ao", "meu", "seu",
                                  "teu", "pelo")},
           **{w: {"f"} for w in ("a", "uma", "esta", "essa", "da", "na", "à", "minha", "sua",
                                  "tua", "pela")},
           **{w: {"mpl"} for w in ("os", "uns", "estes", "esses", "dos", "nos", "aos", "meus",
                                   "seus", "pelos")},
           **{w: {"fpl"} for w in ("as", "umas", "estas", "essas", "das", "nas", "às",
                                   "minhas", "suas", "pelas")}},
    "de": {"der": {"m", "f", "pl"}, "die": {"f", "pl"}, "das": {"n"}, "den": {"m", "pl"},
           "dem": {"m", "n"}, "des": {"m", "n"}, "ein": {"m", "n"}, "eine": {"f"},
           "einen": {"m"}, "einem": {"m", "n"}, "einer": {"f"}, "dieser": {"m", "f", "pl"},
           "diese": {"f", "pl"}, "dieses": {"n"}, "diesen": {"m", "pl"}, "diesem": {"m", "n"},
           "im": {"m", "n"}, "am": {"m", "n"}, "zum": {"m", "n"}, "zur": {"f"}, "vom": {"m", "n"},
           "beim": {"m", "n"}},
}  # fmt: skip
AFTER: dict[str, dict[str, set[str]]] = {
    "en": {**{w: {"sg"} for w in ("is", "was", "has", "works", "lasts", "costs", "looks",
                                  "doesn't", "isn't", "wasn't", "comes", "feels", "holds")},
           **{w: {"pl"} for w in ("are", "were", "don't", "aren't", "weren't")}},
    "es": {**{w: {"m", "f"} for w in ("es", "está", "ha", "funciona", "queda", "vale", "era",
                                      "fue", "tiene", "dura", "cuesta", "sale", "merece")},
           **{w: {"mpl", "fpl"} for w in ("son", "están", "han", "funcionan", "quedan",
                                          "valen", "eran", "fueron", "tienen", "duran",
                                          "cuestan", "salen", "merecen")},
           **{w: {"m"} for w in ("bueno", "nuevo", "caro", "barato", "perfecto", "buenísimo")},
           **{w: {"f"} for w in ("buena", "nueva", "cara", "barata", "perfecta", "buenísima")},
           **{w: {"mpl"} for w in ("buenos", "nuevos", "caros", "baratos", "perfectos")},
           **{w: {"fpl"} for w in ("buenas", "nuevas", "caras", "baratas", "perfectas")}},
    "pt": {**{w: {"m", "f"} for w in ("é", "está", "funciona", "fica", "vale", "foi", "tem",
                                      "dura", "custa", "ficou", "era")},
           **{w: {"mpl", "fpl"} for w in ("são", "estão", "funcionam", "ficam", "valem",
                                          "foram", "têm", "duram", "custam", "ficaram",
                                          "eram")},
           **{w: {"m"} for w in ("bom", "novo", "caro", "barato", "perfeito", "lindo")},
           **{w: {"f"} for w in ("boa", "nova", "cara", "barata", "perfeita", "linda")},
           **{w: {"mpl"} for w in ("bons", "novos", "caros", "baratos", "perfeitos")},
           **{w: {"fpl"} for w in ("boas", "novas", "caras", "baratas", "perfeitas")}},
    "de": {**{w: {"m", "f", "n"} for w in ("ist", "war", "hat", "funktioniert", "hält",
                                           "kostet", "läuft", "sieht", "wirkt", "bleibt")},
           **{w: {"pl"} for w in ("sind", "waren", "haben", "funktionieren", "halten",
                                  "kosten", "laufen", "sehen", "wirken", "bleiben")}},
}  # fmt: skip


# English: the verb before "the" and the noun, asking about it ("How much does the adjustable
# dumbbells cost", round 60's readers in two inboxes)
BEFORE_THE = {"does": {"sg"}, "is": {"sg"}, "are": {"pl"}, "was": {"sg"}, "were": {"pl"}}


def role(key: str) -> str:
    prefix = key.split(".")[0]
    return prefix if prefix in ROLES else "x"


def nouns_of(book: Phrasebook, noun_role: str) -> list[str]:
    return sorted(k for k in book.nouns if role(k) == noun_role)


KINDS = {s.key: s.kind.value for subjects in SUBJECTS.values() for s in subjects}


def every_template(book: Phrasebook) -> list[tuple[str, str, set[str]]]:
    """(key, text, the kinds of post it may be said on) of every template and slot phrase
    (what is said of one subject alone has no slots: it is written as it is said)."""
    found = []
    for where, texts in (("", book.texts), ("<", book.slots)):
        for key, options in texts.items():
            if where == "" and own_words(key):
                continue
            for option in options:
                t = template(option)
                kinds = set(KINDS.values())
                for any_of in t.needs:
                    if any_of & kinds:
                        kinds &= any_of
                found.append((f"{where}{key}", t.text, kinds))
    return found


def known(name: str) -> object:
    if name not in KNOWN:
        raise PhrasebookError(f"unknown placeholder {{{name}}}")
    return f"«{name}»"


def first_of_each(book: Phrasebook) -> dict[str, str]:
    return {r: nouns_of(book, r)[0] for r in ("x", *ROLES)}


def nouns_of_kind(book: Phrasebook, kinds: set[str]) -> list[str]:
    return [k for k in nouns_of(book, "x") if KINDS.get(k) in kinds]


@pytest.mark.parametrize("language", ["es", "pt", "de"])
def test_every_language_says_everything_english_says(language: str) -> None:
    book = BOOKS[language]
    assert book.language == language
    # a subject's own questions are each language's own (`test_every_subject_has_its_own_words`)
    said = {key for key in EN.texts if f".{DETAIL}." not in key}
    assert said - set(book.texts) == set()
    assert set(EN.nouns) - set(book.nouns) == set()
    assert set(EN.phrases) - set(book.phrases) == set()
    assert all(book.texts[k] for k in said), [k for k in said if not book.texts[k]]


@pytest.mark.parametrize("language", [*BOOKS, *REGIONAL_BOOKS])
def test_every_noun_reads_and_every_template_fills_with_every_noun(language: str) -> None:
    """Each template (and slot phrase), for each noun it names in turn, in two draws of its
    slots: every placeholder is known, every agreement has one option per gender and number,
    and the words next to the noun agree with it."""
    book = {**BOOKS, **REGIONAL_BOOKS}[language]
    language = book.language
    genders = GENDERS[language]
    for key in book.nouns:
        book.noun(key)  # reads: an article or a gender mark
    base = first_of_each(book)
    assert set(KINDS) <= set(book.nouns), set(KINDS) - set(book.nouns)
    problems = []
    for key, text, kinds in every_template(book):
        roles = {m.group(2).lower() for m in _NOUN.finditer(text)} or {"x"}
        for noun_role in sorted(roles):
            for noun_key in nouns_of(book, noun_role):
                if noun_role == "x" and KINDS.get(noun_key) not in kinds:
                    continue  # a template for recipes is not said about a game
                nouns = {r: book.noun(k) for r, k in {**base, noun_role: noun_key}.items()}
                noun = nouns[noun_role]
                for seed in (1, 2):
                    said = fill(text, random.Random(seed), language, book.slots, {}, nouns,
                                known, None)  # fmt: skip
                    assert "{" not in said, (key, said)
                    assert "<" not in said, (key, said)
                    problem = disagreement(language, said, noun.bare, genders[noun.gender])
                    if problem:
                        problems.append(f"{key} {text!r}: {said!r} ({noun_key}, {problem})")
    firsts = {p.split(": ", 1)[0]: p for p in problems}  # one example a template
    assert not problems, "\n".join(firsts.values())


def disagreement(language: str, said: str, bare: str, gender: str) -> str | None:
    """The word right before or after the noun, where it carries a gender or number that is
    not the noun's."""
    for m in re.finditer(re.escape(bare), said):
        before = said[: m.start()].split()
        after = said[m.end() :].split()
        if before:
            word = before[-1].lower().strip("¿¡,.!?\"'")
            fits = BEFORE[language].get(word)
            if fits is not None and gender not in fits and not _inside(said, m.start()):
                return f"{word!r} before it"
            if language == "en" and word == "the" and len(before) > 1:
                verb = before[-2].lower().strip("¿¡,.!?\"'")
                fits = BEFORE_THE.get(verb)
                if fits is not None and gender not in fits:
                    return f"{verb!r} before it"
        if after and not said[m.end() : m.end() + 1].isalnum():
            word = after[0].lower().strip(",.!?:;\"'")
            fits = AFTER[language].get(word)
            if fits is not None and gender not in fits:
                return f"{word!r} after it"
    return None


def _inside(said: str, start: int) -> bool:
    """The noun is the tail of a longer word (its bare text inside another one)."""
    return start > 0 and said[start - 1].isalnum()


@pytest.mark.parametrize("language", [*BOOKS, *REGIONAL_BOOKS])
def test_agreement_options_match_the_languages_genders(language: str) -> None:
    book = {**BOOKS, **REGIONAL_BOOKS}[language]
    language = book.language
    arity = len(GENDERS[language])
    for key, text, _ in every_template(book):
        for m in re.finditer(r"\{(\w+):([^}]*)\}", text):
            assert len(m.group(2).split("|")) == arity, (key, text)


def test_the_agreement_check_catches_what_it_should() -> None:
    """The checks above can fail: they find the mistakes a reader found."""
    assert disagreement("es", "Las sustituciones ha aguantado", "sustituciones", "fpl")
    assert disagreement("es", "¿Dónde compraste la Pixel 9?", "Pixel 9", "m")
    assert disagreement("en", "the XM5s is great", "XM5s", "pl")
    assert disagreement("en", "How much does the Galaxy Buds cost?", "Galaxy Buds", "pl")
    assert disagreement("en", "Is the XM5s worth it?", "XM5s", "pl")
    assert disagreement("de", "Die Kopfhörer ist super", "Kopfhörer", "pl")
    assert disagreement("pt", "Os fones é ótimo", "fones", "mpl")
    assert disagreement("es", "El Pixel 9 es genial", "Pixel 9", "m") is None


@pytest.mark.parametrize("locale", ["en_US", "es_ES", "es_MX", "pt_BR", "de_DE"])
def test_every_language_writes_every_persona_on_every_platform(locale: str) -> None:
    """Whatever the post, platform and moment, each language has something to say for every
    act (a missing variant would raise), and says it in that language."""
    import uuid
    from datetime import UTC, datetime, timedelta

    from app.domain.demo import DemoProfile, DemoSizes, DmFrequency, Persona
    from app.domain.generation import generate_demo, generate_tick
    from app.domain.inbox import Platform

    now = datetime(2026, 5, 1, 12, tzinfo=UTC)
    sizes = DemoSizes(content=12, comments=300, dms=60)
    for n, (persona, platform) in enumerate((p, f) for p in Persona for f in Platform):
        profile = DemoProfile(uuid.UUID(int=n + 1), platform, persona, DmFrequency.MEDIUM, n,
                              locale, sizes, now - timedelta(days=40))  # fmt: skip
        out = generate_demo(profile, now, sizes)
        tick = generate_tick(profile, now + timedelta(hours=6), out.content)
        items = [*out.comments, *out.dms, *tick]
        assert len(out.comments) == 300
        assert len(out.dms) == 60
        spoken = [i.language for i in items]
        assert max(set(spoken), key=spoken.count) == locale[:2]


def test_no_hobby_word_in_a_handle_is_also_a_surname() -> None:
    """'michael.strong' would be both Michael the lifter and Michael Strong: two names."""
    from faker.providers.person.en_US import Provider

    from app.domain.generation.people import (
        FAMILY,
        FAMILY_IN,
        FAMILY_TAIL,
        FAMILY_TAIL_IN,
        HOBBY,
        HOBBY_IN,
        ascii_words,
    )

    everyone = [
        *Provider.last_names,
        *(n for tail in (*FAMILY_TAIL_IN.values(), *FAMILY_TAIL.values()) for n in tail),
        *(n for v in (*FAMILY.values(), *FAMILY_IN.values()) for n in v),
    ]
    surnames = {"".join(ascii_words(n)) for n in everyone}
    hobbies = [*HOBBY.values(), *(w for book in HOBBY_IN.values() for w in book.values())]
    assert [h for words in hobbies for h in words if h in surnames] == []


def test_no_handle_is_two_stock_words_and_digits() -> None:
    """Round 11's readers took "softnoodle00" and "tinywave97" for a template: words go in a
    handle with a name only, and (round 58: "salty.leticia", "quiet_pedro" under a Brazilian
    account) English words in English speakers' handles only."""
    from app.domain.demo import Persona
    from app.domain.generation.people import WORDS, someone

    stock = re.compile(f"^({'|'.join(WORDS[0])})[._]?({'|'.join(WORDS[1])})[._]?\\d*$")
    rng = random.Random(7)
    handles = {
        language: [
            someone(rng, language, persona).handle for persona in Persona for _ in range(500)
        ]
        for language in ("en", "es", "pt", "de")
    }
    worded = {
        language: [h for h in found if any(h.startswith(w) for w in WORDS[0])]
        for language, found in handles.items()
    }
    assert len(worded["en"]) >= 10  # words in handles, still (1% of handles since round 27)
    assert worded["es"] == worded["pt"] == worded["de"] == []
    assert [h for found in handles.values() for h in found if stock.match(h)] == []


# what is said of a subject alone never names what the fact sheet draws per account, nor a
# platform (the same line is said on all of them), nor has a slot
_NOT_OWN = re.compile(
    r"[{}<>$€£]|R\$|\d+:\d\d|\b(description|descripci[oó]n|descri[cç][aã]o|beschreibung|"
    r"video|vídeo|reel|fyp|link)\b",
    re.IGNORECASE,
)


@pytest.mark.parametrize("language", list(BOOKS))
def test_every_subject_has_its_own_words(language: str) -> None:
    """Readers found nothing said of the thing itself: every subject of every persona has its
    own questions (each with two ways the creator answers and two a viewer does), praise,
    how it went and reactions, in every language, and none of it names a price, a link or
    a platform."""
    book = BOOKS[language]
    for subjects in SUBJECTS.values():
        for subject in subjects:
            tags = frozenset({f"s_{subject.key}", "age2h", "age1d", "age3d", "age7d", "age30d"})
            questions = own_questions(book, subject.key)
            assert len(questions) >= 5, subject.key
            for detail in questions:
                assert len(book.texts[f"creator.{detail}"]) >= 2, detail
                assert len(book.texts[f"answer.{detail}"]) >= 2, detail
            for part, least in (("praise", 8), ("tried", 5), ("react", 5)):
                found = sayable(book.texts[f"{part}.{OWN}.{subject.key}"], tags)
                mine = [
                    t for t in book.texts[f"{part}.{OWN}.{subject.key}"] if f"s_{subject.key}" in t
                ]
                assert len(mine) >= least, (subject.key, part)
                assert len(found) >= least, (subject.key, part)
    own = [t for k, lines in book.texts.items() if own_words(k) for t in lines]
    assert [t for t in own if _NOT_OWN.search(template(t).text)] == []


# (round 35, five languages: "I'm a nurse… careful about my recovery. So yeah, the camera work
# on this is so good"; "Ich studier noch und mein Geld reicht… Warum heilt sie sich, obwohl ich
# blocke?": a life story glued to a point it is not the reason for)
OPENERS_AT_MOST = 4  # lines of a story key said before any question or complaint


@pytest.mark.parametrize("language", list(BOOKS))
def test_a_life_story_is_praise_whole_or_the_reason_for_its_question(language: str) -> None:
    """A life story said as praise is a whole comment (what the post did for me said in it,
    nothing glued on after); one said before a question or a complaint names the kinds of it
    that it is the reason for (`d_price`, …), but for a few openers that go before any."""
    book = BOOKS[language]
    for key in ("story.praise.past", "story.praise.now"):
        unfinished = [t for t in book.texts[key] if template(t).text.rstrip()[-1] not in ".!?"]
        assert unfinished == [], (key, unfinished)
    for key in ("story.ask.past", "story.ask.now", "story.complaint.past", "story.complaint.now"):
        openers = [
            template(t).text
            for t in book.texts[key]
            if not any(tag.startswith("d_") for group in template(t).needs for tag in group)
        ]
        assert len(openers) <= OPENERS_AT_MOST, (key, openers)
        assert len(book.texts[key]) > 2 * len(openers), key  # mostly reasons


SPAIN = re.compile(
    r"\b(vídeos?|móvil|esterilla|vale,|tenéis|vosotros|coche|nevera|gafas|curro|madre mía|"
    r"patatas?|cacahuetes?|guisantes?|portátil|conducir|(he|has|ha|hemos|han) \w+(ado|ido))\b",
    re.IGNORECASE,
)


def test_mexico_says_it_the_mexican_way() -> None:
    """Round 45: "esterilla", "zapatillas", "me lo he visto dos veces" from the Spanish
    speakers under an American account. Every line of Mexico's Spanish, but those only Spain
    says (`c_ES`), in Mexico's words and its simple past; the same lines as Spain's."""
    spanish = [
        line
        for key, lines in ES_MX.texts.items()
        for line in lines
        if not line.startswith("[c_ES") and "c_ES," not in line.split("]")[0]
    ]
    spanish += [line for lines in ES_MX.slots.values() for line in lines]
    spanish += [*ES_MX.nouns.values(), *ES_MX.phrases.values()]
    said = [m.group(0) for line in spanish for m in SPAIN.finditer(line)]
    assert said == [], said[:20]
    assert ES_MX.texts.keys() == ES.texts.keys()
    assert ES_MX.texts["dm.charged.refunded"] != ES.texts["dm.charged.refunded"]


@pytest.mark.parametrize("language", [*BOOKS, *REGIONAL_BOOKS])
def test_a_word_said_after_another_keeps_its_space(language: str) -> None:
    """Round 83: "What can I use instead of the eggif I don't have any?". Of the ways to fill
    a slot that goes after a word (" here", " in this"), each that starts with a word starts
    with its space, its tags or none before it (", no regrets" goes after a word unspaced)."""
    book = {**BOOKS, **REGIONAL_BOOKS}[language]
    glued = [
        (name, way)
        for name, ways in book.slots.items()
        if any(template(w).text.startswith(" ") for w in ways)
        for way in ways
        if re.match(r"[\w{<¿¡]", template(way).text)
    ]
    assert not glued, glued
