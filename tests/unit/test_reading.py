"""Issue 21's checks, read on the words as a person reads them, in every language: a question
about the price gets a price or where it is, nobody agrees with spam, the creator quotes one
price per post and never asks for what was given, no long sentence comes round a third time,
claims fit the clock. The checks live in tests/reading.py (bench/realism.py prints them)."""

import difflib
import itertools
import random
import re
import unicodedata
import uuid
from collections import Counter, defaultdict
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

import reading
from app.domain.demo import DemoProfile, DemoSizes, DmFrequency, Persona
from app.domain.generation import GeneratedDemo, generate_demo, people
from app.domain.generation.facts import Kind, fact_sheet
from app.domain.generation.language import template
from app.domain.generation.threads import CAMPAIGN_POSTS
from app.domain.generation.writer import PHRASEBOOKS, phrasebook
from app.domain.inbox import Author, Intent, Platform, WebhookInteraction

NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)
LOCALES = ("en_US", "es_ES", "pt_BR", "de_DE")
# "a second time", "a week later", "rewatching": only after the author's own earlier comment
# on the post, or once the post is 6 days old
CLAIMS_A_RETURN = {
    "en": reading._words(r"\bsecond time\b", r"\ba week later\b", r"\bafter a week\b",
                         r"\brewatch", r"\bback here again\b", r"\bcoming back to this\b"),
    "es": reading._words(r"\bsegunda vez\b", r"\buna semana despu[eé]s\b", r"\bvuelvo a ver",
                         r"\bde nuevo por aqu[ií]\b", r"\bvolviendo a este\b"),
    "pt": reading._words(r"\bsegunda vez\b", r"\buma semana depois\b", r"\breassistindo\b",
                         r"\bvoltei aqui\b", r"\bde volta aqui\b"),
    "de": reading._words(r"\bzweiten mal\b", r"\beine woche sp[aä]ter\b", r"\bnochmal hier\b",
                         r"\bwieder hier\b", r"\bschon wieder da\b"),
}  # fmt: skip
# "been into this for 8 years": only about what people do for years (cooking, not a new phone)
CLAIMS_YEARS = {
    "en": re.compile(r"\bfor (about |over )?\d+ years\b", re.IGNORECASE),
    "es": re.compile(r"\b(hace|desde hace|durante) (unos |m[aá]s de )?\d+ a[nñ]os\b", re.I),
    "pt": re.compile(r"\b(h[aá]|faz|por) (uns |mais de )?\d+ anos\b", re.IGNORECASE),
    "de": re.compile(r"\bseit (etwa |[uü]ber |gut )?\d+ jahren\b", re.IGNORECASE),
}


def profile(persona: Persona, platform: Platform, locale: str, seed: int = 1) -> DemoProfile:
    return DemoProfile(
        uuid.UUID(int=seed * 977 + list(Persona).index(persona)),
        platform,
        persona,
        DmFrequency.MEDIUM,
        seed,
        locale,
        DemoSizes(),
        NOW - timedelta(days=40),
    )


def _of_seed(seed: int) -> dict[str, list[tuple[DemoProfile, GeneratedDemo]]]:
    """Per language: every persona on YouTube, and on Instagram and TikTok."""
    found: dict[str, list[tuple[DemoProfile, GeneratedDemo]]] = {}
    for locale in LOCALES:
        found[locale[:2]] = []
        for n, persona in enumerate(Persona):
            for platform in (Platform.YOUTUBE, (Platform.INSTAGRAM, Platform.TIKTOK)[n % 2]):
                p = profile(persona, platform, locale, seed)
                found[locale[:2]].append((p, generate_demo(p, NOW, DemoSizes())))
    return found


@pytest.fixture(scope="module")
def batches() -> dict[str, list[tuple[DemoProfile, GeneratedDemo]]]:
    return _of_seed(1)


@pytest.fixture(scope="module")
def second_seed() -> dict[str, list[tuple[DemoProfile, GeneratedDemo]]]:
    """The same batches of another seed, for what a dozen of a batch's items would not show."""
    return _of_seed(2)


Batches = dict[str, list[tuple[DemoProfile, GeneratedDemo]]]


def everything(batches: Batches) -> list[GeneratedDemo]:
    return [out for outs in batches.values() for _, out in outs]


def answers(
    batches: Batches, language: str, asks: dict[str, re.Pattern[str]]
) -> list[tuple[WebhookInteraction, WebhookInteraction]]:
    """The creator's answers to the questions in `language` that `asks` recognises."""
    return [
        (q, a)
        for _, out in batches[language]
        for q, a in reading.creator_answers(out.comments, asks)
        if reading.language(q) == language
    ]


@pytest.mark.parametrize("language", [loc[:2] for loc in LOCALES])
def test_a_price_question_gets_a_price_or_where_to_find_it(
    batches: Batches, second_seed: Batches, language: str
) -> None:
    # the language's batches of two seeds: one seed's dozen price questions or so moves with
    # any change to the random stream (10 in round 65)
    pairs = answers(batches, language, reading.ASKS_PRICE)
    pairs += answers(second_seed, language, reading.ASKS_PRICE)
    # (20 before round 34: the creator leaves a question a fan answered; 15 before round 45:
    # a post's audience asks much of one thing and none of another, price among them; of one
    # seed's batches before round 65)
    assert len(pairs) >= 20, len(pairs)
    missed = [
        (q.text, a.text)
        for q, a in pairs
        if not (reading.amounts(a.text) or reading.LINK_PLACE[language].search(a.text))
    ]
    assert len(missed) <= 0.05 * len(pairs), missed[:10]


@pytest.mark.parametrize("language", [loc[:2] for loc in LOCALES])
def test_a_link_question_gets_where_the_link_is(batches: Batches, language: str) -> None:
    pairs = answers(batches, language, reading.ASKS_LINK)
    assert len(pairs) >= 10
    missed = [(q.text, a.text) for q, a in pairs if not reading.LINK_PLACE[language].search(a.text)]
    assert len(missed) <= 0.05 * len(pairs), missed[:10]


def test_nobody_agrees_with_spam(batches: Batches) -> None:
    replies_to_spam = 0
    for out in everything(batches):
        replies = reading.replies_by_parent(out.comments)
        for c in out.comments:
            if c.in_reply_to or not reading.SPAM[reading.language(c)].search(c.text):
                continue
            for reply in replies.get(c.platform_id, []):
                replies_to_spam += 1
                assert not reading.AGREES[reading.language(reply)].search(reply.text), (
                    c.text,
                    reply.text,
                )
    assert replies_to_spam >= 20


def test_the_creator_quotes_one_price_per_post(batches: Batches) -> None:
    quoted = 0
    for out in everything(batches):
        for amounts in reading.prices_quoted_by_creator(out.comments).values():
            assert len(amounts) <= 1, amounts
            quoted += len(amounts)
    assert quoted >= 20


@pytest.mark.parametrize("language", [loc[:2] for loc in LOCALES])
def test_no_long_sentence_comes_round_a_third_time(batches: Batches, language: str) -> None:
    for _, out in batches[language]:
        assert reading.most_repeated_sentence([*out.comments, *out.dms]) <= 2


@pytest.mark.parametrize("language", [loc[:2] for loc in LOCALES])
def test_a_short_comment_is_said_four_times_in_a_batch_a_longer_one_twice(
    batches: Batches, language: str
) -> None:
    """Round 11's readers counted "top" ten times, "ole" seven and "GOAT" six in three posts
    (23-30 times in a batch before), round 14's "trying this today" seven: a short comment,
    whichever template or slot says it and with whatever emoji, comes four times at most, one
    of up to 40 characters twice; a short question ("price?") is asked more."""
    for _, out in batches[language]:
        said = Counter(
            " ".join(reading.sentences(c.text))
            for c in out.comments
            if not c.author.is_creator
            and not c.in_reply_to
            and not c.text.endswith("?")
            and c.intent is not Intent.SPAM  # (a bot's pitch comes round: test_spam_comes_…)
        )
        short = [n for text, n in said.items() if text and len(text) < 14]
        assert max(short) <= 4
        assert max(n for text, n in said.items() if 14 <= len(text) < 40) <= 2


def test_a_post_names_its_subject_in_full_a_few_times(batches: Batches) -> None:
    """People say "it" and "this": round 11's readers counted "the Galaxy Watch" seven times
    under one video (up to 10 comments a post before)."""
    most = 0
    for p, out in (pair for outs in batches.values() for pair in outs):
        named: Counter[str] = Counter()
        for c in out.comments:
            if c.author.is_creator or c.in_reply_to or c.content is None:
                continue
            subject = fact_sheet(p, c.content.platform_id).subject.key
            if PHRASEBOOKS[reading.language(c)].noun(subject).bare.lower() in c.text.lower():
                named[c.content.platform_id] += 1
        most = max(most, *named.values())
    assert 2 <= most <= 6


def test_city_sign_offs_are_rare_and_handles_mostly_without_digits(batches: Batches) -> None:
    comments = [c for out in everything(batches) for c in out.comments]
    signed = [c for c in comments if reading.CITY_SIGNOFF[reading.language(c)].search(c.text)]
    assert len(signed) <= 0.03 * len(comments)
    people = [i for out in everything(batches) for i in (*out.comments, *out.dms)]
    assert reading.handles_ending_in_digits(people) <= 0.4


def test_instagram_and_tiktok_never_point_at_a_description(batches: Batches) -> None:
    seen = 0
    for p, out in (pair for outs in batches.values() for pair in outs):
        if p.platform is Platform.YOUTUBE:
            continue
        for item in (*out.comments, *out.dms):
            seen += 1
            assert not reading.DESCRIPTION[reading.language(item)].search(item.text), item.text
    assert seen > 1000


def test_youtube_comments_never_point_at_a_bio(batches: Batches) -> None:
    """Under a video links and emails are in the description or on the channel page; only
    spam (which copies itself everywhere) says "bio"."""
    seen = 0
    for p, out in (pair for outs in batches.values() for pair in outs):
        if p.platform is not Platform.YOUTUBE:
            continue
        for item in out.comments:
            if reading.SPAM[reading.language(item)].search(item.text) or item.intent is Intent.SPAM:
                continue
            seen += 1
            assert not reading.BIO[reading.language(item)].search(item.text), item.text
    assert seen > 1000


# Instagram's and TikTok's words: a YouTube channel has subscribers, no stories or posts to
# share (round 11's reader: "Follower", "Follow zurück" and "reels_promo42" under videos)
_NOT_YOUTUBE = re.compile(
    r"follower|follow for follow|follow zurück|seguidores|\bstory\b|historias|\breels?\b",
    re.IGNORECASE,
)


def test_spam_under_youtube_videos_speaks_youtube(batches: Batches) -> None:
    spam = 0
    for p, out in (pair for outs in batches.values() for pair in outs):
        if p.platform is not Platform.YOUTUBE:
            continue
        for item in out.comments:
            if item.intent is Intent.SPAM:
                spam += 1
                said = f"{item.author.handle} {item.text}"
                assert not _NOT_YOUTUBE.search(said), said
    assert spam > 50


def test_the_creator_never_asks_for_what_was_given_and_names_the_order_now_and_then(
    batches: Batches,
) -> None:
    """The number given is used, never asked for again; it is said back in some answers, not
    in each (round 51's readers, four of ten: "repeats the order number word for word, nobody
    who answers support messages does that")."""
    named = unnamed = 0
    for out in everything(batches):
        assert reading.creator_asks_for_what_was_given(out.dms) == []
        by_conversation: dict[str | None, list[WebhookInteraction]] = {}
        for m in out.dms:
            by_conversation.setdefault(m.conversation_id, []).append(m)
        for messages in by_conversation.values():
            given = reading.ORDER.search(messages[0].text)
            answer = next((m for m in messages if m.author.is_creator), None)
            if given and answer is not None:
                assert not reading.ORDER.search(answer.text.replace(given.group(), "")), (
                    messages[0].text,
                    answer.text,
                )  # no other number than the one given
                named += given.group() in answer.text
                unnamed += given.group() not in answer.text
    assert named >= 5, (named, unnamed)
    assert unnamed >= 5, (named, unnamed)


# a creator's "sorry for the wait", in any of the languages
SORRY = re.compile(
    r"\b(sorry|desculp\w*|perd\w*|uy|lo siento|tut mir leid|entschuldig\w*)\b", re.IGNORECASE
)


def test_a_fan_left_waiting_writes_again_and_hears_sorry_and_some_wait_still(
    batches: Batches,
) -> None:
    """Round 55's skimmers: "every DM answered, each in one tidy reply". A fan who heard
    nothing for hours writes again ("??", "bump 😅"), and the answer that comes says sorry for
    the wait; some first messages days old are not answered at all."""
    nudged = waiting = 0
    for out in everything(batches):
        for messages in _conversations(out):
            fans = list(itertools.takewhile(lambda m: not m.author.is_creator, messages))
            gaps = [b.occurred_at - a.occurred_at for a, b in itertools.pairwise(fans)]
            if any(gap >= timedelta(hours=5) for gap in gaps):
                nudged += 1
                if len(fans) < len(messages):  # answered since: sorry for the wait
                    assert SORRY.search(messages[len(fans)].text), [m.text for m in messages]
            elif fans == messages and NOW - messages[0].occurred_at > timedelta(days=2):
                waiting += 1
    assert nudged >= 10, nudged
    assert waiting >= 10, waiting


def _conversations(out: GeneratedDemo) -> list[list[WebhookInteraction]]:
    by_conversation: dict[str | None, list[WebhookInteraction]] = {}
    for m in out.dms:
        by_conversation.setdefault(m.conversation_id, []).append(m)
    return list(by_conversation.values())


@pytest.mark.parametrize("language", [loc[:2] for loc in LOCALES])
def test_the_creator_answers_two_dms_in_other_words(batches: Batches, language: str) -> None:
    """Round 60: "¡El tofu funciona genial!" in one DM and the next, to two fans asking the
    same. Words for an answer the threads wore out are not said again in the DMs while there
    are others (68 of 1,557 answers in a batch's DMs said twice before, 4.4%)."""
    answers = again = 0
    for _, out in batches[language]:
        said = Counter(m.text.lower() for m in out.dms if m.author.is_creator and len(m.text) >= 20)
        answers += sum(said.values())
        again += sum(n - 1 for n in said.values())
    assert answers >= 100, answers
    assert again <= 0.025 * answers, (again, answers)


def test_some_dms_are_a_few_words_on_a_post_that_ask_nothing(
    batches: Batches, second_seed: Batches
) -> None:
    """Round 60's skimmers: "one DM of each standard type, each wrapped up". Most of an inbox
    is a few words sent on a post or a story ("this is literally me", "jajaja este me ha
    matado 😭"); the creator answers some, in fewer."""
    for language, outs in batches.items():
        reactions = answered = 0
        request = PHRASEBOOKS[language].phrases["topic.request"]  # ("can you do a Q&A?")
        for _, out in outs + second_seed[language]:
            for messages in _conversations(out):
                first = messages[0]
                if (
                    first.intent is Intent.OTHER
                    and first.sentiment.value == "positive"
                    and first.topic != request
                ):
                    reactions += 1
                    assert "?" not in first.text, first.text
                    assert len(first.text) <= 90, first.text  # a line, not a paragraph
                    creator = [m for m in messages if m.author.is_creator]
                    answered += bool(creator)
                    assert all(len(m.text.split()) <= 4 for m in creator), [
                        m.text for m in messages
                    ]
        assert reactions >= 30, (language, reactions)  # (20 of one seed's before round 70)
        assert 0 < answered <= reactions * 0.75, (language, answered, reactions)


def test_a_reply_says_something_besides_whom_it_answers(batches: Batches) -> None:
    """Round 61: "@alberto.escriva." alone under a comment: a reply worn down to its first
    clause, cut at the dot that ends a handle (six in 72 batches before)."""
    replies = 0
    for out in everything(batches):
        for c in out.comments:
            if c.text.startswith("@"):
                replies += 1
                assert re.sub(r"@[\w.]+", "", c.text).strip(), c.text
    assert replies >= 1000, replies


def test_a_name_does_not_come_round_among_a_posts_first_commenters(batches: Batches) -> None:
    """Round 65: "ross.scott00", "scotttucker98", "cunningham.scott", "ross.hayes." among a
    post's first 20 comments, and "the.real.rhys" beside "the.real.jordan": a name, or a way
    of dressing a handle, comes three times at most among a post's first 30 people."""
    posts = 0
    for out in everything(batches):
        for post in out.content:
            people_of: list[Author] = []
            for c in sorted(out.comments, key=lambda c: c.occurred_at):
                on_post = c.content is not None and c.content.platform_id == post.platform_id
                if on_post and not c.author.is_creator and c.author not in people_of:
                    people_of.append(c.author)
            if len(people_of) < 30:
                continue
            posts += 1
            seen: Counter[str] = Counter()
            for author in people_of[:30]:
                seen.update(set(re.findall(r"[^\W\d_]{3,}", author.display_name.lower())))
            assert max(seen.values()) <= 3, (post.title, seen.most_common(3))
    assert posts >= 50, posts


def _first_comments(demo: GeneratedDemo) -> list[list[WebhookInteraction]]:
    """Each post's first 35 comments as a reader takes them in together: its first comments,
    each with the replies under it, whenever they came."""
    posts: dict[str, list[WebhookInteraction]] = defaultdict(list)
    under: dict[str, list[WebhookInteraction]] = defaultdict(list)
    for c in sorted(demo.comments, key=lambda c: c.occurred_at):
        assert c.content is not None
        if c.in_reply_to is None:
            posts[c.content.platform_id].append(c)
        else:
            under[c.in_reply_to].append(c)

    def thread(c: WebhookInteraction) -> list[WebhookInteraction]:
        return [c, *(r for reply in under[c.platform_id] for r in thread(reply))]

    return [[c for top in tops for c in thread(top)][:35] for tops in posts.values()]


def test_a_posts_first_commenters_go_by_different_given_names(batches: Batches) -> None:
    """Round 72: "Two Kevins, two Austins and two Amandas in 35 comments is a lot. It reads
    like a fake-name generator." A name by its first four letters ("Chris", "Christopher")."""
    posts = named_twice = 0
    for outs in batches.values():
        for _, out in outs:
            for comments in _first_comments(out):
                people_of = {c.author.handle: c.author for c in comments if not c.author.is_creator}
                given = Counter(
                    words[0][:4]
                    for a in people_of.values()
                    if (words := people.ascii_words(a.display_name)) and len(words[0]) > 2
                )
                posts += 1
                named_twice += any(n > 1 for n in given.values())
    assert posts >= 1000, posts
    assert named_twice <= posts // 10, (named_twice, posts)  # (4.6%; 77% before)


def test_what_people_add_up_is_said_as_a_round_figure(batches: Batches) -> None:
    """Round 72: "dá 9 minutos, mais ou menos" and "Uns R$ 119 tudo" read as a generator's
    figures. A shop's price ends in 9; a look's products summed, a trip's day and minutes of
    making or doing are said round."""
    sheets = {
        (p.account_id, c.content.platform_id): fact_sheet(p, c.content.platform_id)
        for outs in batches.values()
        for p, out in outs
        for c in out.comments
        if c.content is not None
    }
    summed = timed = 0
    for sheet in sheets.values():
        if sheet.price is not None and sheet.kind in (Kind.LOOK, Kind.PLACE):
            summed += 1
            assert re.search(r"[05](?: €)?$", sheet.price), sheet.price
        if sheet.duration is not None and sheet.subject.unit == "min" and sheet.duration > 5:
            timed += 1
            assert sheet.duration % 5 == 0, (sheet.subject.key, sheet.duration)
    assert summed >= 20, summed
    assert timed >= 100, timed


def test_spam_is_called_out_by_two_people_at_most(batches: Batches) -> None:
    """Round 72: "Überall Bots lol", "🚩🚩", "Gemeldet", "🚩🚩", "Nicht draufklicken" under one
    pitch read as a checklist."""
    called_out = Counter()
    for outs in batches.values():
        for _, out in outs:
            for comments in _first_comments(out):
                for c in comments:
                    if c.intent is Intent.SPAM and c.in_reply_to is None:
                        called_out[sum(r.in_reply_to == c.platform_id for r in out.comments)] += 1
    assert called_out[1] + called_out[2] >= 100, called_out
    assert max(called_out) <= 2, called_out


def test_a_posts_first_commenters_go_by_their_surname_a_little_over_half_the_time(
    batches: Batches,
) -> None:
    """Every round since round 60: "handles are first name plus surname" (three in four of a
    post's first commenters spelled out their surname): the rest go by a first name with an
    initial, a hobby, a word, a year, or dressed up."""
    seen = surnamed = 0
    for outs in batches.values():
        for _, out in outs:
            for comments in _first_comments(out):
                for who in {c.author for c in comments if not c.author.is_creator}:
                    shown = who.display_name.split()
                    last = "".join(people.ascii_words(shown[-1])) if len(shown) > 1 else ""
                    seen += 1
                    spelled = len(last) > 1 and not shown[-1].endswith(".")
                    surnamed += spelled and last in re.sub(r"[^a-z]", "", who.handle)
    assert seen > 10_000
    assert surnamed <= 0.62 * seen, surnamed / seen


def test_bots_find_some_posts_and_not_others(batches: Batches, second_seed: Batches) -> None:
    """Every round since round 60: "one tag, one spam, one question answered" under each post,
    a checklist. Spam comes in waves on the posts bots find: two in five posts at most show
    any in their first 35 comments (half of them did)."""
    for language in batches:
        posts = spammed = 0
        for _, out in (*batches[language], *second_seed[language]):
            for comments in _first_comments(out):
                if len(comments) == 35:
                    posts += 1
                    spammed += any(c.intent is Intent.SPAM for c in comments)
        assert posts > 100
        assert spammed <= 0.4 * posts, (language, spammed / posts)


def test_a_handle_cut_from_a_name_spells_no_rude_word(monkeypatch: pytest.MonkeyPatch) -> None:
    """Round 66: "anal", Ana L.'s handle, under a Brazilian reel. A name with a surname's
    initial is a common handle; one that spells a rude word is given in full."""

    def handles() -> list[str]:
        people.person.cache_clear()
        return [
            re.sub(r"[\W\d_]", "", people.person("Ana", last, persona, language="pt").handle)
            for last in ("Lima", "Lopes", "Leite", "Lins", "Lacerda", "Lobo", "Luz", "Lemos")
            for persona in Persona
        ]

    assert "anal" not in handles()
    with monkeypatch.context() as m:  # (the names drawn would spell it otherwise)
        m.setattr(people, "RUDE", frozenset())
        assert "anal" in handles()
    people.person.cache_clear()


def test_people_go_by_their_short_names_as_their_handles_show() -> None:
    """Round 55's skimmers: handles "like a name generator, firstname+surname"
    ("christophertaylor"). People go by "Chris", "Javi", "Bia", and their handle says so; a
    short name both a man and a woman go by ("Rafa") tells neither."""
    chris = [
        people.person("Christopher", last, Persona.FITNESS, language="en")
        for last in ("Taylor", "Smith", "Brown", "Jones", "Miller", "Davis", "Wilson", "Moore")
    ]
    short = [a for a in chris if a.display_name.startswith("Chris ") or a.display_name == "Chris"]
    assert 1 <= len(short) < len(chris), chris
    for a in short:
        assert "christopher" not in a.handle, a
    assert people.woman(Author("bia.lima", "Bia Lima"), "pt") is True
    assert people.woman(Author("gui_souza", "Gui Souza"), "pt") is False
    assert people.woman(Author("rafa.lima", "Rafa Lima"), "pt") is None


def test_a_spam_account_looks_like_the_accounts_that_post_its_pitch() -> None:
    """Round 56's readers: "beatrizgonzalez.official: daily stock signals", "hugo_mindset: my
    spiciest photos 💋". Money from a "mentor", followers and prizes from a page, a "reported"
    account from a support team, "lonely?" from a first name and a kiss."""
    rng = random.Random(5)
    for _ in range(20):
        money = people.spammer(rng, "es", "Señales diarias de forex, 90% de aciertos")
        assert re.search(r"fx|trades|invests|signals", money.handle), money
        crypto = people.spammer(rng, "de", "BITCOIN x10 in einer Woche 🚀")
        assert re.search(r"crypto|invests|wealth|btc", crypto.handle), crypto
        prize = people.spammer(rng, "pt", "Sorteio de 3 iPhones hoje, me chama")
        assert re.search(r"giveaway|promo", prize.handle), prize
        reported = people.spammer(rng, "en", "Your account has been reported for copyright")
        assert re.search(r"support|help|copyright|safety", reported.handle), reported
        lonely = people.spammer(rng, "en", "Feeling lonely? 😘 Come chat with me")
        assert lonely.display_name.endswith("💋"), lonely
        assert not re.search(r"fx|trades|invests|crypto|mentor|coach|official", lonely.handle)


def test_a_tiktok_audience_has_handles_the_app_gave_them() -> None:
    """Some people on TikTok never chose a handle ("user7402913856"); nowhere else."""
    names = [(f, ln) for f in people.GIVEN["en"][0] for ln in ("Smith", "Lee", "Cole")]
    on = {
        platform: [people.person(f, ln, Persona.BEAUTY, False, "en", platform) for f, ln in names]
        for platform in ("tiktok", "instagram")
    }
    given = [a for a in on["tiktok"] if re.fullmatch(r"user\d{10}", a.handle)]
    assert given, on["tiktok"]
    assert len(given) < len(names) // 4, given
    assert not [a for a in on["instagram"] if a.handle.startswith("user")]


def _value(amount: str) -> int:
    return int(re.sub(r"\D", "", amount))


def test_a_creator_who_names_a_rate_names_more_than_the_brands_budget(batches: Batches) -> None:
    """Round 21's readers: "a brand deal with no talk of rates". Where the creator answers a
    brand's budget with an amount of their own, it is more than the budget, and a brand that
    comes back with an amount agrees to that rate."""
    countered = met = 0
    # (a brand writes once a batch or so, its second pitch a third as likely: DM-heavy batches
    # besides, for enough brands that come back)
    talky = DemoSizes(content=5, comments=20, dms=300)
    # (two seeds since round 56: an offer within a tenth of the rate is taken as it is)
    more = [
        generate_demo(profile(persona, Platform.INSTAGRAM, locale, seed=seed), NOW, talky)
        for seed in (7, 8)
        for locale in LOCALES
        for persona in Persona
    ]
    for out in [*everything(batches), *more]:
        by_conversation: dict[str | None, list[WebhookInteraction]] = {}
        for m in out.dms:
            by_conversation.setdefault(m.conversation_id, []).append(m)
        for messages in by_conversation.values():
            offered = [
                a for m in messages if not m.author.is_creator for a in reading.amounts(m.text)
            ]
            if not offered:
                continue
            rate = next(
                (a for m in messages if m.author.is_creator for a in reading.amounts(m.text)
                 if _value(a) != _value(offered[0])),
                None,
            )  # fmt: skip
            if rate is None:
                continue
            countered += 1
            assert _value(rate) > _value(offered[0]), [m.text for m in messages]
            after = offered[1:]
            if after:
                met += 1
                assert after == [rate], [m.text for m in messages]
    assert countered >= 10
    assert met >= 3


def test_a_fan_asks_a_question_once_in_a_conversation() -> None:
    """Asking "What mat was that?", then "One more thing: what mat was that?" is no person."""
    asked = 0
    for platform, persona, locale in reading.READING:
        for seed in range(1, 6):
            out = generate_demo(profile(persona, platform, locale, seed), NOW, DemoSizes())
            by_conversation: dict[str | None, list[str]] = {}
            for m in out.dms:
                if not m.author.is_creator:
                    # the question itself: what follows the opening ("About your reel on …:")
                    for question in re.findall(r"[^:.!]*\?", m.text):
                        key = re.sub(r"\W+", " ", question).strip().lower()
                        by_conversation.setdefault(m.conversation_id, []).append(key)
            for questions in by_conversation.values():
                assert len(set(questions)) == len(questions), questions
                asked += len(questions) > 1
    assert asked >= 5


@pytest.mark.parametrize("language", [loc[:2] for loc in LOCALES])
def test_youtube_comments_cite_a_moment_now_and_then(batches: Batches, language: str) -> None:
    comments = [
        c
        for p, out in batches[language]
        if p.platform is Platform.YOUTUBE
        for c in out.comments
        if not c.author.is_creator
    ]
    cited = sum(bool(reading.TIMESTAMP.search(c.text)) for c in comments) / len(comments)
    assert 0.02 <= cited <= 0.06


def test_claims_fit_the_clock_and_the_world(batches: Batches) -> None:
    """'A week later' only when the post is six days old or the author commented on it before;
    'for 8 years' only about something people do for years."""
    for p, out in (pair for outs in batches.values() for pair in outs):
        published = {c.platform_id: c.published_at for c in out.content}
        before: set[tuple[str, str]] = set()
        for c in sorted(out.comments, key=lambda c: c.occurred_at):
            assert c.content is not None
            post = c.content.platform_id
            lang = reading.language(c)
            if CLAIMS_A_RETURN[lang].search(c.text):
                came_back = (c.author.handle, post) in before
                assert came_back or c.occurred_at - published[post] >= timedelta(days=6), c.text
            if CLAIMS_YEARS[lang].search(c.text):
                assert fact_sheet(p, post).subject.evergreen, c.text
            before.add((c.author.handle, post))


def test_people_answer_in_the_language_addressed(batches: Batches) -> None:
    """The creator answers in the language of the comment; a fan in it, in the account's, or
    in the one they wrote in before on the post; other languages are mostly heard in
    top-level comments."""
    for p, out in (pair for outs in batches.values() for pair in outs):
        home = p.locale[:2]
        by_id = {c.platform_id: c for c in out.comments}
        wrote = Counter((c.content, c.author.handle, c.language) for c in out.comments)
        for reply_id, parent in reading.addressed(out.comments).items():
            reply = by_id[reply_id]
            if reply.author.is_creator:
                assert reply.language == parent.language
            else:
                own = wrote[(reply.content, reply.author.handle, reply.language)] > 1
                assert reply.language in (parent.language, home) or own, reply
        top = [c for c in out.comments if not c.in_reply_to]
        foreign = Counter(c.in_reply_to is None for c in out.comments if c.language != home)
        assert foreign[False] <= foreign[True] + 5
        assert top


def test_the_creator_owns_up_to_one_reason_once_a_batch_in_any_language(
    batches: Batches,
) -> None:
    """Round 20: "Uf, tienes razón, los niveles estaban mal" under one post and "Ugh, you're
    right, the levels were off" under another: the same apology in two languages. A line of
    an apology or a fix is known by its key in every phrasebook (their lines translate each
    other); no key is said twice in a batch, whichever language said it."""
    keys: dict[str, str] = {}
    for book in PHRASEBOOKS.values():
        for key, lines in book.texts.items():
            if key.split(".")[0] in ("apology", "creator_help"):
                for t in lines:
                    if "<" not in t and "{" not in t and len(template(t).text) >= 20:
                        keys[_plain(template(t).text)] = key
    owned = 0
    for outs in batches.values():
        for _, out in outs:
            said = Counter(
                keys[plain]
                for c in out.comments
                if c.author.is_creator and (plain := _plain(_unmentioned(c.text))) in keys
            )
            owned += sum(said.values())
            assert [k for k, n in said.items() if n > 1] == []
    assert owned >= 50


def test_a_posts_comments_name_each_of_its_aspects_at_most_a_few_times(batches: Batches) -> None:
    """Round 20: "the warm-up" in four comments of one post, "el reposo" in six, "das
    Ausweich-Timing" in five: what the post shows, said over and over in frames. Top-level
    comments name each aspect at most twice a post (replies and a subject's own lines aside:
    a sentence that names it on its own is what people say of that thing)."""
    named = 0
    for language, outs in batches.items():
        book = PHRASEBOOKS[language]
        for profile_, out in outs:
            for post in out.content:
                sheet = fact_sheet(profile_, post.platform_id)
                tops = [
                    c.text.lower()
                    for c in out.comments
                    if c.content is not None
                    and c.content.platform_id == post.platform_id
                    and c.in_reply_to is None
                    and c.language == language
                ]
                for aspect in sheet.aspects:
                    # (as a word: "ei", the egg, is in "keiner", "einfach" and "feier")
                    word = re.compile(rf"\b{re.escape(book.noun(aspect).bare.lower())}\b")
                    n = sum(word.search(t) is not None for t in tops)
                    named += n
                    assert n <= 3, (language, post.title, word.pattern, n)
    assert named >= 100


EMOJI_CLUSTER_FIRST = re.compile(r"^(?:[\U0001F300-\U0001FAFF\u2600-\u27BF]\uFE0F?){2,} +\w")


def test_no_cluster_of_emoji_stands_before_the_words(batches: Batches) -> None:
    """Round 20: "🔥❤️😍 Finde ich auch", "🥰😍 @tatianealmeida…": emoji before the words
    come one at a time; clusters go after them."""
    texts = [c.text for outs in batches.values() for _, out in outs for c in out.comments]
    clustered = [t for t in texts if EMOJI_CLUSTER_FIRST.match(t)]
    assert clustered == []
    assert sum(bool(re.match(r"^[\U0001F300-\U0001FAFF] +\w", t)) for t in texts) >= 50


BIO = re.compile(r"\bbio\b", re.IGNORECASE)


def test_a_youtube_creator_points_at_the_channel_in_dms_not_a_bio(batches: Batches) -> None:
    """Round 21: "Kostet 20 €, der Link ist in meiner Bio" in a YouTube channel's DMs; a
    channel has no bio (its links are on the channel page)."""
    answered = 0
    for outs in batches.values():
        for p, out in outs:
            mine = [m.text for m in out.dms if m.author.is_creator]
            if p.platform is Platform.YOUTUBE:
                assert [t for t in mine if BIO.search(t)] == []
                answered += sum("canal" in t or "channel" in t or "Kanal" in t for t in mine)
    assert answered >= 5


def _unmentioned(text: str) -> str:
    return re.sub(r"^@[\w.]+ ", "", text)


def _plain(text: str) -> str:
    """As a reader compares texts: accents aside too (a phone drops them)."""
    folded = unicodedata.normalize("NFD", " ".join(reading.sentences(text)))
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


def _own_lines(language: str) -> dict[str, set[str]]:
    """Each line said of one subject alone in a language (praise, how it went, reactions,
    its own questions), as a reader compares it, → its subject; but those that say what
    anyone says of anything ("sieht mega aus"), which a reader cannot tell apart."""
    book = PHRASEBOOKS[language]
    found: dict[str, set[str]] = {}
    for key, lines in book.texts.items():
        if ".own." in key:
            for line in lines:
                subject, _, text = line[3:].partition("]")
                found.setdefault(_plain(text), set()).add(subject.split(",")[0])
        elif key.startswith("ask.detail."):
            found.setdefault(_plain(lines[0].rpartition("]")[2]), set()).add(key.split(".")[2])
    anything = " | ".join(
        _plain(line)
        for key, lines in [*book.texts.items(), *book.slots.items()]
        if ".own." not in key and ".detail." not in key
        for line in lines
    )
    return {t: subject for t, subject in found.items() if len(t) >= 12 and t not in anything}


@pytest.mark.parametrize("language", [loc[:2] for loc in LOCALES])
def test_people_say_things_about_the_post_itself_and_only_under_it(
    batches: Batches, language: str
) -> None:
    """Every round of readers: "nothing specific about the thing itself" (no doneness question
    under a steak). A good share of what people say on a post is said of its subject alone:
    a line that only makes sense under a steak is only said under a steak."""
    own = _own_lines(language)
    top = said_of_it = 0
    for p, out in batches[language]:
        for c in out.comments:
            if c.author.is_creator or c.in_reply_to or c.content is None:
                continue
            if reading.language(c) != language:
                continue
            top += 1
            plain = _plain(c.text)
            said = [line for line in own if line in plain]
            said_of_it += bool(said)
            # (a short line may hide in another's words, "usas el ecualizador" in "¿usas el
            # ecualizador o los dejas de fábrica?"; a line may fit two subjects alike)
            about = {subject for line in said if len(line) >= 24 for subject in own[line]}
            if about:
                assert fact_sheet(p, c.content.platform_id).subject.key in about, c.text
    assert said_of_it >= 0.12 * top, (said_of_it, top)


@pytest.mark.parametrize("language", [loc[:2] for loc in LOCALES])
def test_a_question_about_the_thing_itself_gets_its_answer(batches: Batches, language: str) -> None:
    """Under a steak, "what temp do you pull it at?" is answered with a temperature: the
    creator's reply to one of a subject's own questions is one of that question's answers.
    (The post's subject's questions only: "same orddr morning and night?", slipped, holds
    another subject's "morning and night?")"""
    book = PHRASEBOOKS[language]
    answers_of: dict[tuple[str, str], set[str]] = {}
    for key, lines in book.texts.items():
        question = _plain(lines[0].rpartition("]")[2])
        if key.startswith("ask.detail.") and len(question) >= 15:
            creator = book.texts[key.replace("ask.", "creator.", 1)]
            subject = key.split(".")[2]
            answers_of.setdefault((subject, question), set()).update(_plain(a) for a in creator)
    pairs = 0
    for p, out in batches[language]:
        replies = reading.replies_by_parent(out.comments)
        for c in out.comments:
            if c.in_reply_to or reading.language(c) != language or "?" not in c.text:
                continue
            plain = _plain(c.text)
            assert c.content is not None
            subject = fact_sheet(p, c.content.platform_id).subject.key
            asked = [(s, q) for s, q in answers_of if s == subject and q in plain]
            for r in replies.get(c.platform_id, []):
                if asked and r.author.is_creator:
                    pairs += 1
                    answered = {a for q in asked for a in answers_of[q]}
                    assert any(a in _plain(r.text) for a in answered), (c.text, r.text)
    assert pairs >= 15


def test_a_sentence_after_a_full_stop_starts_with_a_capital(batches: Batches) -> None:
    """Round 15's readers saw the joins: "…my brain could handle. love that you actually warm
    up first", "Hi! what did you pay". Whoever starts a comment with a capital starts each of
    its sentences with one (a question's "thx" after it aside)."""
    flipped = [
        c.text
        for out in everything(batches)
        for c in out.comments
        if c.text[:1].isupper()
        and re.search(
            r"[.!] +(?!(i|im|ive|ill|id)\b)[a-zà-ÿ]", c.text
        )  # (who types "i" types it everywhere)
        and not reading.SPAM[reading.language(c)].search(c.text)  # ("Hey! earn $5000 a week")
    ]
    assert flipped == []


_BUT = {"en": r"\bbut\b", "es": r"\bpero\b", "pt": r"\bmas\b", "de": r"\baber\b"}


def test_the_creator_does_not_thank_a_comment_that_says_but(batches: Batches) -> None:
    """Round 15: "looks great but my knees would hate that many split squats" → "So glad you
    liked it! 💪". The creator's thank-you goes to praise that is praise."""
    thanked = 0
    for language, outs in batches.items():
        thanks = {
            _plain(re.sub(r"\{name\}", "", t.rpartition("]")[2]))
            for t in PHRASEBOOKS[language].texts["creator_thanks"]
        }
        for _, out in outs:
            replies = reading.replies_by_parent(out.comments)
            for c in out.comments:
                if c.in_reply_to or c.author.is_creator or reading.language(c) != language:
                    continue
                for r in replies.get(c.platform_id, []):
                    if r.author.is_creator and _plain(r.text) in thanks:  # (@handles aside)
                        thanked += 1
                        assert not re.search(_BUT[language], c.text, re.IGNORECASE), (
                            c.text,
                            r.text,
                        )
    assert thanked >= 20


def test_a_spam_account_only_posts_spam(batches: Batches) -> None:
    """Round 16: "official_ashleythompson: infravaloradísimo", "collab_promo50: puh, stark": a
    spam account whose spam was worn out in the batch said a reaction instead."""
    roles = "|".join(people.SPAM_ROLES)  # "ana_mentor", "mentorwithana"; not "carmentorres"
    shapes = re.compile(
        "|".join(re.escape(w) for w in (*people.SPAM_PAGES, "official"))
        + rf"|[._]({roles})(_|$)|^({roles})with"
    )
    spam = 0
    for out in everything(batches):
        for c in out.comments:
            if c.in_reply_to or c.author.is_creator or not shapes.search(c.author.handle):
                continue
            spam += 1
            book = PHRASEBOOKS[reading.language(c)]
            reactions = {
                _plain(template(t).text)
                for key, lines in book.texts.items()
                if key.split(".")[0] in ("react", "praise")
                for t in lines
                if "<" not in t and "{" not in t
            }
            plain = _plain(c.text)  # a pitch, never a reaction (nor an emoji)
            assert plain, (c.author.handle, c.text)
            assert plain not in reactions, (c.author.handle, c.text)
    assert spam >= 20


def test_the_creator_does_not_thank_how_it_went_in_a_subjects_own_words(
    batches: Batches,
) -> None:
    """Round 17: "grad zum ersten Mal Phase 2 gesehen und natürlich sofort gestorben" → "Tausend
    Dank!": how it went, said of the subject alone, may not have gone well."""
    told = 0
    for language, outs in batches.items():
        book = PHRASEBOOKS[language]
        tried = [
            _plain(template(t).text)
            for key, lines in book.texts.items()
            if key.startswith("tried.own.")
            for t in lines
        ]
        for _, out in outs:
            replies = reading.replies_by_parent(out.comments)
            for c in out.comments:
                if c.in_reply_to or c.author.is_creator or reading.language(c) != language:
                    continue
                if not any(t in _plain(c.text) for t in tried if len(t) >= 20):
                    continue
                told += 1
                creator = [r.text for r in replies.get(c.platform_id, []) if r.author.is_creator]
                assert creator == [], (c.text, creator)
    assert told >= 20


# small talk that asks the creator something: the shirt, the lamp, the plant, the haircut
ASKS_THE_CREATOR = {
    "en": re.compile(r"\byour?\b", re.IGNORECASE),
    "es": re.compile(r"\b(llevas|has comprado|te lo has)\b", re.IGNORECASE),
    "pt": re.compile(r"\b(voce|prometeu)\b", re.IGNORECASE),
    "de": re.compile(r"\b(dein|du|pflanze)\b", re.IGNORECASE),
}


def test_nobody_but_the_creator_answers_small_talk_asking_the_creator(batches: Batches) -> None:
    """Round 18: "Me encanta tu pelo así, ¿te lo has cortado?" → "🥵✅💪 Me lol": a fan agreed
    with a question that only the creator can answer, as with "who's here at 3am?"."""
    asked = 0
    for language, outs in batches.items():
        book = PHRASEBOOKS[language]
        lines = [
            _plain(template(t).text)
            for t in book.texts["off_topic"]
            if "?" in t and "<" not in t and ASKS_THE_CREATOR[language].search(_plain(t))
        ]
        for _, out in outs:
            replies = reading.replies_by_parent(out.comments)
            for c in out.comments:
                if c.in_reply_to or not any(line in _plain(c.text) for line in lines):
                    continue
                asked += 1
                fans = [r.text for r in replies.get(c.platform_id, []) if not r.author.is_creator]
                assert fans == [], (c.text, fans)
    assert asked >= 5


def test_the_creator_does_not_say_a_fixed_reply_twice_in_a_batch(batches: Batches) -> None:
    """Round 19: "So sorry! DM me your order number and I'll chase it today" under two posts;
    a creator whose words for an answer are worn out lets the comment be."""
    said = 0
    for language, outs in batches.items():
        book = PHRASEBOOKS[language]
        fixed = {
            _plain(template(t).text)
            for key, lines in book.texts.items()
            if key.split(".")[0] in ("apology", "creator_help", "creator_thanks", "creator")
            for t in lines
            if "<" not in t and "{" not in t and len(template(t).text) >= 30
        }
        for _, out in outs:
            replies = Counter(_plain(c.text) for c in out.comments if c.author.is_creator)
            again = {t: n for t, n in replies.items() if t in fixed and n > 1}
            said += sum(n for t, n in replies.items() if t in fixed)
            assert again == {}, again
    assert said >= 200


# "is it too hard?", which a creator's "Yes! Beginner-friendly" would answer backwards
TOO_MUCH = re.compile(
    r"\b(zu (viel|hart|fortgeschritten)|demasiado|(pesado|avançado) demais|muito puxado|"
    r"too (much|hard|advanced))\b.{0,25}\?",
    re.IGNORECASE,
)


def test_a_beginner_asks_whether_they_can_not_whether_it_is_too_hard(batches: Batches) -> None:
    """Round 22: "ist das zu hart für den Anfang?" answered "Klar! Hab's extra so gemacht, dass
    jeder mitkommt": the creator's answers on level say yes to "can I?"."""
    asked = [
        m.text for out in everything(batches) for m in (*out.comments, *out.dms)
        if not m.author.is_creator and TOO_MUCH.search(m.text)
    ]  # fmt: skip
    assert asked == []


def test_a_second_sentence_does_not_say_the_firsts_thing_again(batches: Batches) -> None:
    """Round 22: "A partir del 7:28 es oro puro. El 7:28 me ha hecho reír muchísimo", "o jeito
    que o lápis some no gloss é muito bonito. O jeito que você esfuma é muito satisfatório"."""
    moment = re.compile(r"\b\d{1,2}:\d{2}\b")
    twice: list[str] = []
    for out in everything(batches):
        for c in out.comments:
            stamps = moment.findall(c.text)
            sentences = [s for s in re.split(r"(?<=[.!?])\s+", c.text) if len(s.split()) > 2]
            opens = [" ".join(s.lower().split()[:2]) for s in sentences]
            if len(stamps) != len(set(stamps)) or len(opens) != len(set(opens)):
                twice.append(c.text)
    assert twice == []  # of some 20,000 comments


def test_spam_comes_in_campaigns(batches: Batches) -> None:
    """A bot posts one pitch under more than one post: a batch's spam is a few pitches, each
    by one account, not one pitch of each kind; and not under every post (round 35's readers
    named "wealthwitheric" pasted under three of six posts). (Three pitches in four at most:
    bots come in waves on the posts they find, each of a wave a pitch of its own.)"""
    for out in everything(batches):
        spam = [c for c in out.comments if c.intent is Intent.SPAM]
        pitches = {(c.author.handle, c.text) for c in spam}
        if len(spam) < 6:
            continue
        posts = defaultdict(set)
        for c in spam:
            posts[(c.author.handle, c.text)].add(c.content.platform_id)
        assert 2 <= max(len(p) for p in posts.values()) <= CAMPAIGN_POSTS
        assert len(pitches) <= len(spam) * 3 / 4, sorted(pitches)
        by_text = defaultdict(set)
        for handle, text in pitches:
            by_text[text].add(handle)
        assert all(len(handles) == 1 for handles in by_text.values())


# what people put around good news, not around "…but my knees would hate it"
CHEER_EMOJI = "😍🥰🙌👏💯🔥"
CHEER_CLOSER = re.compile(r"you're the best|keep it up|more of this please", re.IGNORECASE)


def test_praise_that_says_but_is_not_cheered_on(batches: Batches) -> None:
    """Round 32: "🔥 sounds nice but that's way too heavy for me to carry to work. You're the
    best", "la costra se ve brutal pero para mí está demasiado crudo 🙌": a comment with a
    "but" in it opens and ends with no cheerful emoji, and closes with no cheer."""
    seen = 0
    for language, outs in batches.items():
        # lines that end in their own emoji ("finally a plan that says go slower 🙌")
        own = tuple(
            line[-12:]
            for lines in PHRASEBOOKS[language].texts.values()
            for line in lines
            if line[-1:] in CHEER_EMOJI
        )
        for _, out in outs:
            replies = reading.replies_by_parent(out.comments)
            for c in out.comments:
                if c.in_reply_to or c.author.is_creator or reading.language(c) != language:
                    continue
                if c.intent is not Intent.PRAISE or not re.search(_BUT[language], c.text, re.I):
                    continue
                seen += 1
                text = c.text.strip()
                assert text[0] not in CHEER_EMOJI, text
                # (the line's own, a thumb's slip in it or not: "…aber ich libe es 🔥")
                assert text[-1] not in CHEER_EMOJI or any(
                    difflib.SequenceMatcher(None, text[-len(o) :], o).ratio() >= 0.9 for o in own
                ), text
                assert not CHEER_CLOSER.search(text), text
                # nor does agreeing with it ("…demasiado crudo" → "verdad?? 🥰")
                for r in replies.get(c.platform_id, []):
                    if not r.author.is_creator:
                        assert r.text.strip()[-1] not in CHEER_EMOJI, (text, r.text)
    assert seen >= 20


def test_an_answered_question_is_not_answered_again_under_a_plus_one(batches: Batches) -> None:
    """Round 32: "what did you end up paying for it?" → two "+1"s, then "@connorcodes £109
    right now", "@connorcodes it's £109 at Currys", "@connorcodes £109 last I checked": once a
    question has its answer, nobody answers it again, not even to someone who wondered too
    (read also in the batches bench/realism.py --read prints, where a reader saw it)."""
    read = [
        generate_demo(
            replace(
                profile(persona, platform, locale),
                account_id=uuid.UUID(int=7919 + list(Persona).index(persona)),  # realism.py's
            ),
            NOW,
            DemoSizes(),
        )
        for platform, persona, locale in reading.READING
    ]
    for out in [*everything(batches), *read]:
        threads: dict[str, Counter[str]] = defaultdict(Counter)
        roots = {c.platform_id: c for c in out.comments if not c.in_reply_to}
        for c in out.comments:
            if c.in_reply_to in roots and not c.author.is_creator:
                threads[c.in_reply_to].update(reading.amounts(c.text))
        worst = max((n for amounts in threads.values() for n in amounts.values()), default=0)
        assert worst <= 1, [
            (roots[r].text, a)
            for r, amounts in threads.items()
            for a, n in amounts.items()
            if n > 1
        ]


def test_a_brazilians_thanks_agree_with_who_says_them(batches: Batches) -> None:
    """Round 34: "igor.m: Obrigada por explicar…", "rafaelcaldeira: obrigada": "obrigada" from
    a woman, "obrigado" from a man, in comments and DMs."""
    said = 0
    for _, out in batches["pt"]:
        for c in [*out.comments, *out.dms]:
            found = re.findall(r"\bobrigad([ao])\b", c.text, re.IGNORECASE)
            is_woman = people.woman(c.author, "pt")
            if not found or is_woman is None or c.author.is_creator:
                continue
            said += 1
            assert set(found) == {"a" if is_woman else "o"}, (c.author.display_name, c.text)
    assert said >= 10


@pytest.mark.parametrize("language", [loc[:2] for loc in LOCALES])
def test_a_question_in_a_dm_gets_its_own_answer(batches: Batches, language: str) -> None:
    """A price asked in a DM, first or as "oh and also…", is answered with a price or where it
    is, whatever else was drawn on the way (round 36: "que gel é esse exatamente?" answered
    "Super tranquilo! Se travar em alguma parte, me chama aqui")."""
    pairs = []
    for _, out in batches[language]:
        talks: dict[str | None, list[WebhookInteraction]] = defaultdict(list)
        for m in sorted(out.dms, key=lambda m: m.occurred_at):
            talks[m.conversation_id].append(m)
        for talk in talks.values():
            for asked, answer in itertools.pairwise(talk):
                if (
                    not asked.author.is_creator
                    and answer.author.is_creator
                    and "?" in asked.text
                    and reading.ASKS_PRICE[language].search(asked.text)
                ):
                    pairs.append((asked.text, answer.text))
    assert len(pairs) >= 5
    missed = [
        (q, a)
        for q, a in pairs
        if not (reading.amounts(a) or reading.LINK_PLACE[language].search(a))
    ]
    assert missed == [], missed[:10]


# a fan who comes back to say it worked ("Hat endlich geklappt, danke für die Hilfe!")
WORKED = {
    "en": re.compile(r"\b(worked|got it done|been doing it)\b", re.IGNORECASE),
    "es": re.compile(r"\b(funcion[oó]|conseguido|llevo toda la semana)\b", re.IGNORECASE),
    "pt": re.compile(r"\b(deu (super )?certo|consegui|passei|fiz a semana)\b", re.IGNORECASE),
    "de": re.compile(r"\b(geklappt|geschafft|die ganze woche)\b", re.IGNORECASE),
}


def test_a_comment_says_this_of_what_the_title_describes(batches: Batches) -> None:
    """Round 73: "Starting the leg day routine tomorrow" under "Leg day routine for beginners"
    repeats the title; people say "starting this tomorrow". A routine, a look or a guide is
    named by a description of it: comments on the post say "this" (53 of 7,500 named it)."""
    read = 0
    for outs in batches.values():
        for p, out in outs:
            book = phrasebook(p.locale)
            for c in out.comments:
                if c.author.is_creator or c.in_reply_to or c.language != book.language:
                    continue
                assert c.content is not None
                sheet = fact_sheet(p, c.content.platform_id)
                if sheet.kind in (Kind.ROUTINE, Kind.LOOK, Kind.GUIDE):
                    read += 1
                    assert book.noun(sheet.subject.key).bare.lower() not in c.text.lower(), c.text
    assert read >= 5000, read


def _subjects(p: DemoProfile, out: GeneratedDemo) -> list[str]:
    """What an account's posts are about, as its language names them, the longest first."""
    book = phrasebook(p.locale)
    named = {book.noun(fact_sheet(p, c.platform_id).subject.key).bare.lower() for c in out.content}
    return sorted(named, key=len, reverse=True)


def test_a_price_names_a_shop_only_where_there_is_one(
    batches: Batches, second_seed: Batches
) -> None:
    """Read in a post's thread: "price plz 🙏" answered "$49 at , link's in their bio" of a
    12-week program, which no shop sells. A price is said with the shop only for what a shop
    sells."""
    for outs in (*batches.values(), *second_seed.values()):
        for p, out in outs:
            book = phrasebook(p.locale)
            empty = re.compile(rf"\b{re.escape(book.at_store(''))}(,|$)", re.I)  # "at ,"
            for item in [*out.comments, *out.dms]:
                assert not empty.search(item.text), item.text


def test_a_fans_first_question_says_which_post_it_is_about(batches: Batches) -> None:
    """Round 80: "how long is it?" alone in an inbox, answered "About 15 minutes", read as the
    leg day routine above (55 minutes). A DM shows no post: a fan's first question names what
    it asks about, in an opening or in itself (77 of 809 short ones did not)."""
    asked = unnamed = 0
    for outs in batches.values():
        for p, out in outs:
            subjects = _subjects(p, out)
            for talk in _conversations(out):
                fan = [m for m in talk if not m.author.is_creator]
                if not fan or fan[0].intent is not Intent.QUESTION:
                    continue
                asked += 1
                said = " ".join(m.text for m in fan).lower()
                short = len(fan[0].text.split()) <= 5
                unnamed += short and not any(s in said for s in subjects)
    assert asked > 500
    assert unnamed <= 0.05 * asked, (unnamed, asked)


def test_a_fans_message_names_what_it_is_about_once(batches: Batches, second_seed: Batches) -> None:
    """Round 73: "hey, question about the 5K plan: how long is the 5K plan altogether?" An
    opening that names a post's subject goes before a question that says "it"."""
    named = 0
    for outs in (*batches.values(), *second_seed.values()):
        for p, out in outs:
            subjects = _subjects(p, out)
            for m in out.dms:
                if m.author.is_creator:
                    continue
                text = m.text.lower()
                named += any(s in text for s in subjects)
                assert all(text.count(s) <= 1 for s in subjects), m.text
    assert named >= 500, named


def test_two_fans_ask_in_other_words_in_one_inbox(batches: Batches) -> None:
    """Round 75: "The Keychron Q1 is a bit out of my budget, what would you get instead?" and
    "the Steam Deck OLED is a bit out of my budget, what would you get instead?" three DMs
    apart. A question of six words or more, its post's subject aside, is asked once in a
    batch's DMs while there are other ways (11 of 975 asked again before, the comments having
    worn out every way)."""
    asked = again = 0
    for outs in batches.values():
        for p, out in outs:
            subjects = _subjects(p, out)
            said: Counter[str] = Counter()
            for m in out.dms:
                if m.author.is_creator or m.intent is not Intent.QUESTION:
                    continue
                text = m.text.lower()
                for subject in subjects:
                    text = text.replace(subject, "…")
                words = re.sub(r"[^\w\s…]", "", text).split()
                if len(words) >= 6:
                    said[" ".join(words)] += 1
            asked += sum(said.values())
            again += sum(n - 1 for n in said.values())
    assert asked >= 500, asked
    assert again <= asked // 150, (again, asked)


def test_each_fan_says_one_more_thing_their_own_way(batches: Batches) -> None:
    """Round 76: "perdona, una más: ¿cuánto se tarda…" and "Perdona, una mas: ¿puedo
    cambiar…" from two people. How a follow-up question opens is said once in a batch's DMs
    while there are other ways (42 of 194 said again before)."""
    asked = again = 0
    for outs in batches.values():
        for p, out in outs:
            ways = sorted(phrasebook(p.locale).texts["dm.more"], key=len, reverse=True)
            said: Counter[str] = Counter()
            for m in out.dms:
                if m.author.is_creator or m.intent is not Intent.QUESTION:
                    continue
                way = next((w for w in ways if m.text.lower().startswith(w.lower())), None)
                if way is not None:
                    said[way] += 1
            asked += sum(said.values())
            again += sum(n - 1 for n in said.values())
    assert asked >= 100, asked
    assert again <= asked // 50, (again, asked)


def test_a_fan_who_asked_a_price_comes_back_having_bought_it(
    batches: Batches, second_seed: Batches
) -> None:
    """Round 66: "Kostet Baldur's Gate 3 noch den vollen Preis?", "Gerade 59 € auf Steam", then
    days on "Hat endlich geklappt, danke für die Hilfe!": nothing had needed to work. Who comes
    back after a price says they got it."""
    back = []
    for language in batches:
        for _, out in batches[language] + second_seed[language]:
            for talk in _conversations(out):
                talk.sort(key=lambda m: m.occurred_at)
                asked = [m for m in talk if not m.author.is_creator and "?" in m.text]
                if not asked or not reading.ASKS_PRICE[language].search(asked[-1].text):
                    continue
                answered = [
                    m for m in talk if m.author.is_creator and m.occurred_at > asked[-1].occurred_at
                ]
                back += [
                    (language, m.text)
                    for before, m in itertools.pairwise(talk)
                    if not m.author.is_creator
                    and m.occurred_at - before.occurred_at > timedelta(days=1)
                    and answered
                    and m.occurred_at > answered[0].occurred_at
                ]
    # (5 to 8 of two seeds' batches, 2 to 4 since a DM asks no gear a reply under the post named)
    assert len(back) >= 2, back
    assert [(lang, t) for lang, t in back if WORKED[lang].search(t)] == []


# a support case: an order, a charge, a refund, support itself
SUPPORT_CASE = {
    "en": re.compile(r"\b(support|my order|refund|charged)\b", re.IGNORECASE),
    # ("el soporte gira en vertical?" is a monitor's stand)
    "es": re.compile(r"\b((?<!el )soporte|mi pedido|reembolso|cobrad[oa]|cargo)\b", re.I),
    "pt": re.compile(r"\b(suporte|meu pedido|reembolso|cobran[cç]a|cobrad[oa])\b", re.I),
    "de": re.compile(r"\b(support|meine bestellung|erstattung|abgebucht)\b", re.IGNORECASE),
}


def test_a_visitor_in_another_language_raises_no_support_case(batches: Batches) -> None:
    """Round 69: "escribí a soporte por mi pedido y nadie me contesta" under an English leg day,
    and "Mi pedido #69276 nunca llegó" in the English inbox. Who writes in another language
    says a few words about a post or asks about it; orders, charges and support are written
    in the account's language, in comments and in DMs."""
    visitors = cases = 0
    for language, outs in batches.items():
        for _, out in outs:
            for item in [*out.comments, *out.dms]:
                said = reading.language(item)
                if item.author.is_creator or said == language:
                    continue
                visitors += 1
                cases += bool(
                    SUPPORT_CASE[said].search(item.text) or reading.ORDER.search(item.text)
                )
    assert visitors >= 200, visitors
    assert cases == 0, cases


AMERICAN = re.compile(r"\b(colors?|favorites?|flavors?|neighbors?|moms?|gray|center)\b", re.I)


def test_a_british_audience_spells_as_britons_do() -> None:
    """Round 36: "colors" under a UK tech reviewer. Every word a template or a noun says, the
    creator's included, in British spelling on an en_GB account (and American on en_US)."""
    said: dict[str, list[str]] = {"en_GB": [], "en_US": []}
    for locale, texts in said.items():
        for persona in (Persona.TECH_REVIEWS, Persona.COOKING, Persona.BEAUTY):
            out = generate_demo(profile(persona, Platform.YOUTUBE, locale), NOW, DemoSizes())
            # (words, not names: "@isla.gray")
            items = (*out.comments, *out.dms)
            texts += [re.sub(r"@\S+", "", i.text) for i in items if i.language == "en"]
    assert AMERICAN.findall(" ".join(said["en_GB"])) == []
    assert AMERICAN.findall(" ".join(said["en_US"]))  # the words are said: the check can see them
