"""Comments on a post as conversations: each comment is an act on the post's fact sheet, and a
reply's act follows from what it answers (a question gets the fact or a "+1", praise gets
thanks, a complaint an apology or a fan's counter, spam is called out and never agreed with,
a disagreement goes a few rounds between the same two people). The creator answers some
questions, complaints and support requests within a day. The number of comments on a post
stays its target: replies are some of them."""

import functools
import random
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from app.domain.demo import Content
from app.domain.generation.acts import (
    ASKED,
    COMPLAINTS,
    CREATOR_ACT,
    CREATOR_ANSWERS,
    HEAT,
    LABELS,
    REPLIES,
    SUPPORT_ISSUES,
    TITLED,
    Act,
    Reply,
    Who,
    top_level_act,
    top_level_weights,
)
from app.domain.generation.facts import (
    Fact,
    FactSheet,
    Kind,
    asked_of,
    fact_sheet,
    pick_nouns,
)
from app.domain.generation.ids import platform_id
from app.domain.generation.language import DETAIL, OWN, Phrasebook, own_questions, sayable
from app.domain.generation.people import first_name, mention, spammer
from app.domain.generation.vocabulary import EMOJI_REACTIONS
from app.domain.generation.writer import (
    NAMED,
    Scene,
    Writer,
    lower_first,
    name_words,
    said_at_most,
    weighted,
)
from app.domain.inbox import (
    Author,
    ContentRef,
    Intent,
    InteractionKind,
    Platform,
    Sentiment,
    WebhookInteraction,
)
from app.domain.platforms import PlatformFacts, facts_of

FAN_REPLY_SHARE = 0.17  # of the comments that are not the creator's answers
FAN_ANSWER_THANKED = 45  # in a hundred: the fans' answers their asker comes back to thank
CREATOR_ANSWER_THANKED = 60  # and the creator's
MAX_THREAD = 6  # a comment and its replies
ANSWER_WITHIN = timedelta(hours=24)
MENTION_SHARE = 0.4
FIRST_WITHIN = timedelta(hours=1)
# of praise, questions, complaints, reports: a story told before the point (round 15's readers
# were sure on the fifth long comment built of the same blocks: backstory, where I watched it,
# the point, a thought after; 0.65 before, 0.5 until round 18's readers, all five of whom
# named "a scene from my day, then the point" their first tell)
# (0.3 until round 23, whose readers still named a story glued to a point first)
# (0.15 before round 33, which took stories off how it went; 0.18 before round 35, whose
# stories are praise whole or a question's own reason, shorter than a story and a point)
STORY_SHARE = 0.27  # (0.3 before round 47, whose readers in five languages still named it;
# 0.25 before round 56 took a visitor's stories away: the account's language tells them)
HALF_STORIED = (Act.COMPLAINT, Act.ASK)  # told a story before half as often
# a question that says its asker is new to it, in each language
_NOVICE = re.compile(
    r"beginner here|complete beginner|never done this|newbie|anfänger|neuling|noch nie gemacht"
    r"|principiante total|cero experiencia|mi primera vez|nunca he hecho|iniciante|nunca fiz"
    r"|tô começando",
    re.IGNORECASE,
)
LONG_TEXT = 150  # characters: a comment this long may apologise for its length (120 before
# round 58's reader: "sorry, this got longer than planned" after 128 characters)
BACKSTORY = 0.95  # of stories of one part: why I care rather than where I am watching (0.7,
# 0.85 before round 32's readers, who still named "watching this on my lunch break" first)
PARAGRAPH_SHARE = 0.55  # of stories: a thought or two after the point (0.6 before; 0.4 took
# comments over 150 characters under issue 12's 5%; 0.45 before round 35)
# of those: one thought, not two (0.85 until round 56, which took a visitor's stories away:
# stories in the account's language only, and the longest comment 292 characters)
ONE_THOUGHT = 0.75
# of reactions (a worn-out batch says more in emoji; with a post's own words fewer comments
# come out as reactions, so more of them are emoji alone, for issue 12's 5%: 0.15 before)
EMOJI_ONLY_SHARE = 0.32
EMOJI_BY_QUARTER = (1.2, 1.2, 1.0, 0.4)  # of that, in each quarter of a post's comments
SECOND_SHARE = 0.08  # of praise in a word of its own (0.15 before round 18, 0.3 before round
# 33, whose readers in four languages named "two generic halves stitched together"; 0.2
# before round 36's, three of five of whom still did: "the pace of this is so calming. This
# is such a helpful breakdown")
# what a visitor in another language says on a post; the rest, in the account's language only
VISITORS_SAY = (
    Act.REACT,
    Act.PRAISE,
    Act.ASK,
    Act.TAG,
    Act.FIRST,
    Act.WANT,
    Act.PLAN,
    Act.COMPLAINT,
    Act.SPAM,
)
OTHER_SPEAKER = 0.5  # of replies to a comment in another language: by a speaker of it
POST_INTEREST = (0.0, 0.4, 0.7, 1.0, 1.5, 2.4)  # a fact's share of a post's questions, times
ASKED_AGAIN = 0.95  # a question or complaint made on the post already: mostly not again
FOREIGN_ANSWERED = 0.3  # of the creator's answers, on a comment in another language
MOMENT_SHARE = 0.22  # of praise under a YouTube video: a moment of it, by its timestamp
TONE = {
    Act.PRAISE: "positive",
    Act.REACT: "positive",
    Act.TRIED: "positive",
    Act.WANT: "positive",
    Act.PLAN: "positive",
    Act.FIRST: "positive",
    Act.COLLAB: "positive",
    Act.TAG: "positive",
    Act.AGREE: "positive",
    Act.THANKS: "thanks",
    Act.CREATOR_THANKS: "thanks",
    Act.ENJOY: "positive",
    Act.TAGGED: "positive",
    Act.WANT_TOO: "positive",
    Act.JOKE: "laugh",
    Act.LAUGH: "laugh",
    Act.ASK: "question",
    Act.PLUS_ONE: "question",
    Act.COMPLAINT: "negative",
    Act.SUPPORT: "negative",
    Act.AGREE_COMPLAINT: "negative",
    Act.SAME_ISSUE: "negative",
}
EMOJI_CHANCE = {"positive": 0.4, "thanks": 0.4, "laugh": 0.45, "question": 0.1, "negative": 0.15}
# (not how it went, which is a story already: "já tinha tentado umas três vezes com outros
# tutoriais e nada. Finalizo assim há uns anos", round 33)
STORIES = (Act.PRAISE, Act.ASK, Act.COMPLAINT)
_TOP = {p.value: top_level_weights(facts_of(p)) for p in Platform}
# drawn again where the words of the kind drawn are worn out: not a grievance more often for
# that (a quiet week's worn praise came out as complaints and support: round 39)
_GRIEVANCES = (Act.COMPLAINT, Act.SUPPORT)
# what a post's comments do, of a post's own: a how-to people try is asked about, a clip people
# love is cheered, a relatable one has friends tagged, another divides people (every round's
# readers since round 60: "the comment section as a checklist: one tag, one spam, one question
# answered"), and bots find some posts and not others; how often each, and what it does to the
# kinds of comment drawn
MIXES: tuple[tuple[float, Mapping[Act, float]], ...] = (
    (0.35, {}),
    (0.2, {Act.ASK: 2.2, Act.TRIED: 1.5, Act.PRAISE: 0.7, Act.REACT: 0.6, Act.TAG: 0.5}),
    (
        0.2,
        {
            Act.PRAISE: 1.7,
            Act.TRIED: 1.3,
            Act.REACT: 0.8,
            Act.ASK: 0.45,
            Act.COMPLAINT: 0.4,
            Act.JOKE: 0.7,
        },
    ),
    (0.15, {Act.TAG: 3.5, Act.JOKE: 1.5, Act.WANT: 1.5, Act.ASK: 0.7, Act.REACT: 0.8}),
    (0.1, {Act.COMPLAINT: 2.5, Act.TRIED: 1.3, Act.PRAISE: 0.8, Act.REACT: 0.6}),
)
BOTS_FIND = 0.15  # of posts: their spam five times as often, the others' a third as often
BOTS = (5.0, (1 - 5.0 * BOTS_FIND) / (1 - BOTS_FIND))


def _post_mix(
    rng: random.Random, platform: str
) -> tuple[tuple[tuple[Act, ...], tuple[float, ...]], tuple[tuple[Act, ...], tuple[float, ...]]]:
    """A post's kinds of top-level comment, as drawn first and as drawn again (no grievance
    more often for a worn-out kind: a quiet week's worn praise came out as complaints and
    support, round 39)."""
    times = weighted(rng, [m for _, m in MIXES], [share for share, _ in MIXES])
    spam = BOTS[0] if rng.random() < BOTS_FIND else BOTS[1]
    acts, ns = _TOP[platform]
    weights = tuple(
        n * times.get(a, 1.0) * (spam if a is Act.SPAM else 1.0)
        for a, n in zip(acts, ns, strict=True)
    )
    again = tuple(0.0 if a in _GRIEVANCES else n for a, n in zip(acts, weights, strict=True))
    return (acts, weights), (acts, again)


# acts that may open with "Honestly," or close with "thank you!" (a tag or a joke does not)
FRAMED = (Act.PRAISE, Act.TRIED, Act.ASK, Act.COMPLAINT, Act.WANT, Act.PLAN)
CLOSED = (Act.PRAISE, Act.TRIED, Act.ASK, Act.COMPLAINT)  # "thank you!", "thx", "just saying"
# acts whose (act, what about) a post hears in one language only: no translated twins
# (a joke too: "Saved it, which counts as a workout right?" and "Guardado, que eso cuenta como
# medio entreno, ¿no?" under one post, round 37)
# (and a post's own reaction: "regra dos dois dedos 🙌", then "two-finger rule 🙌", round 53)
NO_TWINS = (
    Act.ASK, Act.TRIED, Act.COMPLAINT, Act.SUPPORT, Act.PRAISE, Act.WANT, Act.PLAN, Act.JOKE,
    Act.REACT,
)  # fmt: skip


@dataclass(slots=True)
class _Node:
    """A comment as the thread knows it: what it did, about what, and by whom."""

    item: WebhookInteraction
    act: Act
    detail: str
    picks: dict[str, str]
    tags: frozenset[str]
    root: int
    parent: int | None
    friend: Author | None = None
    answered_by_person: bool = False  # the one reply by a named person (thanks, rebuttal)
    answered: bool = False  # a question someone has answered
    countered: bool = False  # someone disagreed with it already
    agreed: int = 0  # replies that agreed with it (or called it out)
    agreed_in: str = ""  # the language they agreed in
    creator_replied: bool = False  # the creator answered it


@dataclass
class _Slot:
    at: datetime
    answers: int | None = None  # the index of the comment the creator answers here


@dataclass
class PostThreads:
    """What one post's comments know of each other while they are written."""

    w: Writer
    post: Content
    sheet: FactSheet
    pick_fan: Callable[[], tuple[Author, str]]
    firsts: set[str]
    nodes: list[_Node] = field(default_factory=list)
    spoken: dict[tuple[Act, str], str] = field(default_factory=dict)  # (act, about) → language
    authors: set[str] = field(default_factory=set)
    tags: frozenset[str] = frozenset()  # the post's own: platform, niche, kind, …
    templates: set[str] = field(default_factory=set)  # what was said on it, by template
    answered: set[tuple[object, ...]] = field(default_factory=set)  # what the creator took up
    asked: set[tuple[object, ...]] = field(default_factory=set)  # questions, complaints made
    named: Counter[str] = field(default_factory=Counter)  # its aspects, by times drawn
    aspects_said: Counter[str] = field(default_factory=Counter)  # by comments that said them
    subject_named: int = 0  # comments that named what it is about in full ("the Galaxy Watch")
    size: int = 1  # comments it gets
    moments: Counter[str] = field(default_factory=Counter)  # cited in comments ("4:12")
    reactions: list[str] = field(default_factory=list)  # emoji-only, as they came
    # the people of its first threads (`NAMES_NOTICED`), and the words of their names and
    # handles, by people
    seen: set[str] = field(default_factory=set)
    names: Counter[str] = field(default_factory=Counter)
    asks: dict[Fact, float] = field(default_factory=dict)  # how much its audience asks what
    # the kinds of its top-level comments, as drawn first and again (`_post_mix`)
    top: tuple[tuple[Act, ...], tuple[float, ...]] = ((), ())
    top_again: tuple[tuple[Act, ...], tuple[float, ...]] = ((), ())


def _thread(
    w: Writer,
    post: Content,
    times: Sequence[datetime],
    name: Callable[[int], str],
    pick_fan: Callable[[], tuple[Author, str]],
    firsts: set[str],
) -> Iterator[WebhookInteraction]:
    """One comment per time (sorted), one at each step; some are replies to earlier ones. The
    creator's answer takes the first slot at least a realistic delay after what it answers,
    within a day; fans reply to recent comments, questions and complaints most."""
    rng = w.rng
    sheet = fact_sheet(w.profile, post.platform_id)
    threads = PostThreads(w, post, sheet, pick_fan, firsts)
    threads.tags = sheet.tags | {f"c_{w.country}"} | w.post_tags.get(post.platform_id, set())
    slots = [_Slot(at) for at in sorted(times)]
    threads.size = len(slots)
    # what this post's audience wonders about: much of one thing, none of another (round 45's
    # readers found "how long?", "ok for beginners?" and "what mat?" under every post)
    threads.asks = {f: ASKED[f] * rng.choice(POST_INTEREST) for f in (*sheet.asks, Fact.DETAIL)}
    threads.top, threads.top_again = _post_mix(rng, w.platform)
    size: dict[int, int] = {}  # comments per thread, by root
    for k, slot in enumerate(slots):
        planned = slot.answers
        if planned is not None and (
            not _creator_has_words(threads, threads.nodes[planned])
            # a fan answered the question meanwhile: not the same answer again from the
            # creator, thanked only the fan ("medium resistance band" / "A medium resistance
            # band!": rounds 32 and 34)
            or (threads.nodes[planned].act is Act.ASK and threads.nodes[planned].answered)
        ):
            # its words were said since it was planned: a fan's comment takes the slot
            size[threads.nodes[planned].root] -= 1
            planned = None
        ahead = planned is not None  # the creator's answer: counted when it was planned
        if planned is not None:
            node = _creator_reply(threads, planned, slot.at, name(k))
        else:
            parent = _parent(rng, threads, size, slot.at)
            if parent is not None:
                node = _fan_reply(threads, parent, slot.at, name(k))
            else:
                node = _top_level(threads, slot.at, name(k), len(threads.nodes))
                chance = CREATOR_ANSWERS.get(node.act)
                # the creator answers a question once on a post, not each time it is asked
                asked = _what(node.act, node.detail, node.picks)
                if asked in threads.answered:
                    chance = None
                elif node.act in (Act.PRAISE, Act.TRIED) and _mixed(node.item):
                    chance = None  # not "So glad you liked it!" to "…but my knees would hate it"
                elif node.act is Act.TRIED and node.detail.startswith(OWN):
                    chance = None  # nor "Tausend Dank!" to "…und natürlich sofort gestorben"
                elif chance is not None and node.item.language != w.home.language:
                    chance *= FOREIGN_ANSWERED  # fewer answers in the audience's other languages
                if chance is not None and not _creator_has_words(threads, node):
                    chance = None  # not "So sorry! DM me your order number…" a third time
                if chance is not None and rng.random() < chance:
                    threads.answered.add(asked)
                    if _reserve(rng, slots, k):  # fans leave room for it in the thread
                        size[node.root] = size.get(node.root, 0) + 1
        threads.nodes.append(node)
        if node.root < NAMES_NOTICED and node.item.author.handle not in threads.seen:
            threads.seen.add(node.item.author.handle)
            threads.names.update(set(name_words(node.item.author)))
        threads.authors.add(node.item.author.handle)
        if not ahead:
            size[node.root] = size.get(node.root, 0) + 1
        yield node.item


# praise with a "but" in it: mixed, and the creator's thank-you would not fit (round 15)
_BUT = {
    language: re.compile(rf"\b(?:{word})\b", re.IGNORECASE)
    # ("aunque yo lo prefiero con la miga más cerrada" → "Totalmente, para mí es lo mejor":
    # round 34; "though" is not one: "that Wintergreen color though 😍")
    for language, word in (
        ("en", "but"),
        ("es", "pero|aunque"),
        ("pt", "mas|embora"),
        ("de", "aber|allerdings|obwohl"),
    )
}


# acts said in good spirits, unless what they say has a "but" in it
HEDGED = (Act.PRAISE, Act.TRIED, Act.REACT)


def _hedged(act: Act, text: str, language: str) -> bool:
    """Whether good spirits said with a "but": no cheer around it, no life story before it."""
    return act in HEDGED and _BUT[language].search(text) is not None


def _mixed(item: WebhookInteraction) -> bool:
    but = _BUT.get(item.language or "en")
    return but is not None and but.search(item.text) is not None


def _what(act: Act, detail: str, picks: dict[str, str]) -> tuple[object, ...]:
    """What a comment says, whichever of the post's aspects it happened to draw: the same
    question about the same thing ("will it work with Android?") is the same question."""
    named = not detail or detail in ("skipped", "find")  # the aspect is what it is about
    return act, detail, tuple(sorted((k, v) for k, v in picks.items() if k != "a" or named))


def _reserve(rng: random.Random, slots: list[_Slot], k: int) -> bool:
    """The first free later slot past a delay of minutes to hours, if within a day (whether
    there was one)."""
    delay = timedelta(minutes=min(rng.lognormvariate(4.2, 1.0), 23 * 60))  # median ~1 h
    asked = slots[k].at
    for slot in slots[k + 1 :]:
        if slot.answers is None and slot.at > asked + delay and slot.at - asked <= ANSWER_WITHIN:
            slot.answers = k
            return True
    return False


def _replies(node: _Node, nodes: Sequence[_Node]) -> tuple[Reply, ...]:
    replies = REPLIES.get(node.act, ())
    if node.countered:  # one "sounded fine to me?" under a comment, not two
        replies = tuple(r for r in replies if r.act is not Act.COUNTER)
    if DEED in node.tags or STORIED in node.tags:  # "sent this to my dad" is no opinion to
        # agree with, nor someone's life ("my brother-in-law plays you at breakfast" / "same",
        # "so sweet" under a sprained ankle: rounds 38-40)
        replies = tuple(r for r in replies if r.act is not Act.AGREE)
    # (one "same, I wanted more on the conservation too" under a wish, not three naming it:
    # round 48)
    # (nor "Pretty much my experience too", "Same experience with mine" under how it went for
    # someone: round 70)
    once = (node.act is Act.COMPLAINT and node.detail == "skipped") or node.act is Act.TRIED
    most = 1 if once else AGREED_AT_MOST
    if node.agreed >= most:  # not a pile of echoes under one comment (round 13)
        replies = tuple(r for r in replies if r.act not in AGREEING)
    if node.act is Act.SPAM and node.agreed >= CALLED_OUT_AT_MOST:  # not "Überall Bots lol",
        # "🚩🚩", "Gemeldet", "🚩🚩", "Nicht draufklicken" under one pitch (round 72)
        return ()
    if node.act is Act.ASK and node.agreed:  # one "same question" under a question, not
        # "interessiert mich auch / Frag ich mich auch / gleiche Frage 🤔" (round 47)
        replies = tuple(r for r in replies if r.act is not Act.PLUS_ONE)
    if node.answered_by_person:
        replies = tuple(r for r in replies if r.who is Who.FAN)
    if node.act is Act.ASK and node.detail not in (Fact.LINK, Fact.PRICE, Fact.WHERE):
        replies = tuple(r for r in replies if r.act is not Act.POINT)
    if node.act is Act.ASK and node.answered:  # answered: nobody answers it again, or wonders
        return ()
    thanked = CREATOR_ANSWER_THANKED if node.item.author.is_creator else FAN_ANSWER_THANKED
    if (
        node.act in (Act.ANSWER, Act.POINT)
        and zlib.crc32(node.item.platform_id.encode()) % 100 >= thanked
    ):
        return ()  # asked, answered, and gone (round 53's reader: question, answer, "@name
        # thanks" four times under one reel; round 55's skimmers: "every answer thanked")
    if node.act is Act.SUPPORT and node.answered:
        replies = tuple(r for r in replies if r.act is not Act.HELP)
    if node.act is Act.SUPPORT and node.creator_replied:  # fixed: no "same, link's dead for
        # me too" after "Fixed it." and "works for me now" (round 44)
        replies = tuple(r for r in replies if r.act is not Act.SAME_ISSUE)
    if node.act is Act.ASK and AGAIN in node.tags:  # "what instead of jump squats?" answered
        # "reverse lunges" by two strangers under one post (round 39)
        replies = tuple(r for r in replies if r.act is not Act.ANSWER)
    if node.act is Act.PLUS_ONE and node.parent is not None and nodes[node.parent].answered:
        return ()  # nor a "+1" of it: three people told "@connorcodes £109" (round 32)
    if node.act is Act.COMPLAINT and node.detail == "skipped":  # it was not covered
        replies = tuple(r for r in replies if r.act is not Act.COUNTER)
    if node.act is Act.APOLOGY and node.detail == "result":  # "what happened?" wants a story
        return ()
    if (
        node.act is Act.OFF_TOPIC
        and "?" in node.item.text
        and not _ROLL_CALL.search(node.item.text)
    ):
        return ()  # "did you cut your hair?" is the creator's to answer, not a fan's "me lol"
    return replies


# small talk that asks who else is there ("who's here at 3am?", "¿soy yo o…?"): a fan can
# answer "me lol" or "🙋"; to a question for the creator that answered nonsense (round 18)
_ROLL_CALL = re.compile(
    r"\b(who|anyone else|soy yo o|soy la única|quién|alguien más|quem|mais alguém|alguém mais"
    r"|né\?|wer|noch wer|sonst noch wer)",
    re.IGNORECASE,
)


def _parent(
    rng: random.Random, threads: PostThreads, size: dict[int, int], at: datetime
) -> int | None:
    nodes = threads.nodes
    if not nodes or rng.random() >= FAN_REPLY_SHARE:
        return None
    weights = []
    for node in nodes:
        if (
            size[node.root] >= MAX_THREAD
            or node.item.occurred_at >= at
            or not _replies(node, nodes)
        ):
            weights.append(0.0)
            continue
        hours = (at - node.item.occurred_at).total_seconds() / 3600
        weights.append(HEAT.get(node.act, 1.0) / (1 + hours / 6))
    if not any(weights):
        return None
    return weighted(rng, range(len(nodes)), weights)


# --- saying it ----------------------------------------------------------------------------


def _base_tags(threads: PostThreads, at: datetime, author: Author) -> set[str]:
    tags = set(threads.tags)
    age = at - threads.post.published_at
    subject = threads.sheet.subject
    if subject.measure == "make" and subject.unit == "h":  # made once the making is done: no
        # 24-hour sourdough "made last night for dinner" the day it was posted (round 41)
        age -= timedelta(hours=threads.sheet.duration or 0)
    tags.update(tag for tag, since in _AGES if age >= since)
    if author.handle in threads.authors:
        tags.add("returning")
    return tags


_AGES = tuple(
    (tag, timedelta(hours=hours))
    for tag, hours in (("age2h", 2), ("age1d", 24), ("age3d", 72), ("age7d", 168), ("age30d", 720))
)


def _labels(rng: random.Random, act: Act) -> tuple[Intent, Sentiment]:
    intent, spread = LABELS[act]
    if len(spread) == 1:
        return intent, spread[0][0]
    return intent, weighted(rng, [s for s, _ in spread], [n for _, n in spread])


def _item(
    threads: PostThreads,
    node_act: Act,
    at: datetime,
    item_id: str,
    author: Author,
    text: str,
    language: str,
    parent: _Node | None,
) -> WebhookInteraction:
    w = threads.w
    intent, sentiment = _labels(w.rng, node_act)
    topic = (
        "spam"
        if node_act is Act.SPAM
        else ("off-topic" if node_act is Act.OFF_TOPIC else w.label(threads.sheet))
    )
    return WebhookInteraction(
        account_id=w.profile.account_id,
        platform=w.profile.platform,
        platform_id=item_id,
        kind=InteractionKind.COMMENT,
        author=author,
        text=text,
        occurred_at=at,
        content=ContentRef(threads.post.platform_id, threads.post.title),
        intent=intent,
        sentiment=sentiment,
        is_demo=True,
        in_reply_to=parent.item.platform_id if parent else None,
        topic=topic,
        language=language,
    )


def _key(act: Act, detail: str) -> str:
    return f"{act}.{detail}" if detail else str(act)  # (an Act is its own value: a str)


# comments on a post that name one of its aspects, each, before praise says the thing itself
# (round 20's readers: "the warm-up" in four comments of one post, "el reposo" in six)
ASPECT_AT_MOST = 2
# comments on a post that name its subject in full, before the others say "it" or "this"
# (round 11's readers counted "the Galaxy Watch" seven times under one video; round 25's read
# "Drop the link to the Galaxy Watch plz" after "Where's the best place to buy the Galaxy Watch")
# and a question none: under the post about it, it asks about "it" wherever it has a way to
# (round 43's readers in three languages: "Roughly what does the Dell U2723QE cost right now?",
# "quanto saem os dupes de farmácia atualmente?", "Kostet Tears of the Kingdom den vollen Preis?")
NAMED_AT_MOST = 1
# and what is named by a description, the post's title, is "this" from the first comment
# ("Starting the leg day routine tomorrow" under "Leg day routine for beginners": round 73)
SAID_AS_THIS = (Kind.ROUTINE, Kind.LOOK, Kind.GUIDE)
# templates longer than this ("Same", not "W") are said once on a post: round 13's readers saw
# "Pois é, tá muita propaganda" from two people one after the other
ONCE_A_POST_FROM = 4
GIVEAWAY = "giveaway"  # a post's tag: its friends tagged are entries
AGAIN = "asked_again"  # a question's tag: the post heard it before
# (and "me too" to a plan: "ich auch!", "Mach ich auch!", "ich auch lol 🔥" under "Teste ich am
# Wochenende", round 51)
AGREEING = (Act.AGREE, Act.AGREE_COMPLAINT, Act.SAME_ISSUE, Act.WANT_TOO)
AGREED_AT_MOST = 2  # agreeing replies under one comment
CALLED_OUT_AT_MOST = 2  # replies calling out spam under it
FIRST_AMONG = 3  # "First!" is said by one of a post's first comments, or not at all
# a batch bears about this many comments before the ways to say them wear out, a post about
# this many; a bigger one says a reaction instead of a comment of another kind as often as it
# must to spread them over all of it (its first half took them, the last was walls of one-word
# praise: every reader of round 38)
CAPACITY = 600
POST_CAPACITY = 40
UNTHINNED = (Act.REACT, Act.SPAM, Act.OFF_TOPIC, Act.FIRST)
TOP_TRIES = 3  # kinds of comment drawn before a worn-out batch says a reaction instead


# titles that say who they are for (round 44)
_FOR_BEGINNERS = re.compile(r"beginner|principiante|iniciante|anfänger|einsteiger", re.IGNORECASE)
# titles that promise more than a video may hold, in the four languages: what "clickbait" is
# said of
_BAITED = re.compile(
    r"best|game changer|worth|truth|nobody|stop buying|mistakes|isn't working|actually works|"
    r"instead|deja de|secreto|errores|verdade|melhor|vale a pena|beste|gamechanger|keiner|"
    r"lohnt|bevor|\?",
    re.IGNORECASE,
)


def _new_name(threads: PostThreads, author: Author) -> bool:
    """Whether the person's name (and their handle's dressing) is not one the post's early
    commenters had a few times already ("ross.scott00", "scotttucker98", "cunningham.scott",
    "ross.hayes." in a post's first 20 comments; "the.real.rhys" beside "the.real.jordan":
    round 65)."""
    return all(
        threads.names[n] < (DRESSING_AT_MOST if n.startswith("~") else NAME_AT_MOST)
        for n in name_words(author)
    )


def _fresh(threads: PostThreads, author: Author, root: int) -> bool:
    """Whether someone is new among the people of a post's first threads, in person and by name
    (a reply too: round 72), where a thread is one of them (`root`): a reply written late under
    one of them is read among them ("austin_wilkins" at item 8, "austinedwards" answering item
    16 as the post's 65th commenter: round 78)."""
    if root >= NAMES_NOTICED:
        return True
    return author.handle not in threads.seen and _new_name(threads, author)


def _stranger(threads: PostThreads, language: str | None) -> tuple[Author, str]:
    """Someone new to the account, by a name the post has not had, as far as a few draws go."""
    for _ in range(6):
        fan = threads.w.someone(language)
        if _new_name(threads, fan[0]):
            break
    return fan


NAMES_NOTICED = 35  # a post's first threads, those a reader takes in together
# of them with one name: two Kevins, two Austins and two Amandas in 35 comments read as a
# fake-name generator (round 72, at 2 before)
NAME_AT_MOST = 1
DRESSING_AT_MOST = 2  # or one dressing of a handle ("00", "the.real.")


def _top_level(threads: PostThreads, at: datetime, item_id: str, k: int) -> _Node:
    """A comment on the post: of a kind drawn again while every way to say the one drawn is
    worn out in this batch, a reaction in the end."""
    # one comment of one's own on a post: a second one would contradict the first
    for _ in range(6):
        fan = threads.pick_fan()
        if fan[0].handle not in threads.authors and _fresh(threads, fan[0], k):
            break
    else:  # not the last one drawn anyway: "melanie.m" called out spam, answered which blocks
        # and then asked which block the roof is (round 72)
        fan = _stranger(threads, None)
    # (a scenario's own mix keeps to it longer: a crisis says another complaint before a "🔥")
    tries = TOP_TRIES if threads.w.top_acts is None else 2 * TOP_TRIES
    for attempt in range(tries):
        last = attempt == tries - 1
        node = _top_level_of_a_kind(threads, at, item_id, k, fan, last=last, retry=attempt > 0)
        if node is not None:
            return node
    raise AssertionError("the last try always says something")  # pragma: no cover


def _top_level_of_a_kind(
    threads: PostThreads,
    at: datetime,
    item_id: str,
    k: int,
    fan: tuple[Author, str],
    *,
    last: bool,
    retry: bool,
) -> _Node | None:
    w, sheet = threads.w, threads.sheet
    rng = w.rng
    acts = w.top_acts or (threads.top_again if retry else threads.top)
    act = top_level_act(weighted(rng, *acts), sheet)
    # (and a post's: one of a hundred comments hears each way of saying a thing once)
    thin = 0.0  # (a tick's handful, a scenario's own mix: as drawn)
    if w.capped and w.top_acts is None:
        thin = 1 - (1 - w.said.thin) * min(1.0, POST_CAPACITY / threads.size)
    thin = thin / 2 if act is Act.ASK else thin  # (questions are what an inbox is for)
    if act not in UNTHINNED and not retry and rng.random() < thin:
        act = Act.REACT  # a batch's words spread over all of it, not spent by its first half
    first_hour = at - threads.post.published_at <= FIRST_WITHIN
    # "First!" among the first few, not the 32nd of 33 within the hour (round 32)
    early = first_hour and k < FIRST_AMONG
    if act is Act.FIRST and (not early or threads.post.platform_id in threads.firsts):
        act = Act.REACT
    author, language = (spammer(rng, w.home.language), w.home.language) if act is Act.SPAM else fan
    if act not in VISITORS_SAY and language != w.home.language and w.top_acts is None:
        # a visitor says a few words about the post, not what they are doing meanwhile ("¿Alguien
        # más lo ve mientras friega los platos?" under an English leg day: round 68), nor a
        # support case ("escribí a soporte por mi pedido y nadie me contesta": round 69); in a
        # scenario's own mix (a crisis) everyone has their say
        act = Act.REACT
    grievance = act in _GRIEVANCES
    detail = _detail(rng, threads, act, facts_of(w.platform))
    if act is Act.TAG and GIVEAWAY in threads.tags:
        detail = GIVEAWAY  # an entry: "{friend} 🤞"
    if detail == Fact.LEVEL and _FOR_BEGINNERS.search(threads.post.title):
        act, detail = Act.PRAISE, ""  # "is this ok for beginners?" under "… for beginners"
    if detail == "clickbait" and not _BAITED.search(threads.post.title):
        detail = "audio"  # "clickbait title" under "El curry de coco, paso a paso" (round 40)
    speaker = w.speaking(language)
    tags = _base_tags(threads, at, author)
    if threads.subject_named >= NAMED_AT_MOST or act is Act.ASK or sheet.kind in SAID_AS_THIS:
        tags.add(NAMED)
    # after a kind of comment whose words were all said in the batch, or once each of the
    # post's aspects was said as often as a post bears: what only this post hears
    worn = min((threads.aspects_said[a] for a in sheet.aspects), default=0) >= ASPECT_AT_MOST
    own = retry or worn or rng.random() < OWN_SHARE.get(act, 0.0)
    if detail == DETAIL or (act in OWN_SHARE and not detail and own):
        detail = _own(threads, speaker, act, frozenset(tags))
    spoken = threads.spoken.get((act, detail))
    if act in NO_TWINS and spoken is not None and spoken != language:
        act, detail = Act.REACT, ""  # not the same thing said again in another language
    elif act in (Act.SUPPORT, Act.COMPLAINT) and detail in ONCE_A_POST and spoken is not None:
        act, detail = Act.PRAISE, ""  # the link was reported (and fixed) already
    elif (act, detail) in ONCE_A_BATCH and w.capped:
        reported = f"{act}.{detail}"
        if reported in w.said.reported:
            act, detail = Act.PRAISE, ""  # someone else's order went missing under another post
        else:
            w.said.reported.add(reported)
    elif (
        (act, detail) in AT_MOST_A_BATCH
        and w.capped
        and w.top_acts is None
        and not _at_most(w, f"{act}.{detail}", AT_MOST_A_BATCH[act, detail])
    ):
        act, detail = Act.PRAISE, ""  # the music too loud under a third post (round 46)
    if w.top_acts is not None and grievance and act is Act.PRAISE and not last:
        return None  # a scenario's grievance said already: another of its mix, not praise
    threads.spoken.setdefault((act, detail), language)
    if act is Act.FIRST:
        threads.firsts.add(threads.post.platform_id)
    picks, picked = pick_nouns(rng, sheet, detail)
    tags |= picked
    # what the post shows, named in turn: not one aspect by several comments in a row
    named = threads.named
    # (a moment liked: one not cited yet where there is one, not "5:08" three times: round 39)
    cited = threads.moments if detail == "moment" else Counter[str]()
    picks["a"] = min(
        sheet.aspects, key=lambda a: (cited[sheet.chapter(a) or ""], named[a], rng.random())
    )
    named[picks["a"]] += 1
    gear = picks.get("k") or picks.get("w") or picks.get("s")
    # a thing asked about under two posts, not four ("what mat?", "mat??", "What mat did you
    # go with?", answered "Just a regular yoga mat" each time: round 47)
    if (
        act is Act.ASK
        and gear
        and w.capped
        and w.top_acts is None
        and not _at_most(w, f"ask.{detail}.{gear}", 2)
    ):
        if not last:
            return None  # another question, or another kind of comment
        act, detail = Act.PRAISE, ""
    if act in (Act.ASK, Act.COMPLAINT):  # said on the post already: mostly not said again,
        # and not once the creator answered it there ("cost?" under "It's £259!": round 22)
        asked = _what(act, detail, picks)
        if asked in threads.answered or (asked in threads.asked and rng.random() < ASKED_AGAIN):
            if w.top_acts is not None and grievance and not last:
                return None  # (as above)
            act, detail = Act.PRAISE, ""
        elif asked in threads.asked:
            tags.add(AGAIN)  # asked above: answered there, not word for word again here
        threads.asked.add(asked)
    if detail:
        tags.add(f"d_{detail}")
    if detail in ("skipped", "find"):
        missing = [a for a in sheet.subject.aspects if a not in sheet.aspects]
        if detail == "skipped" and missing:
            picks["a"] = rng.choice(missing)  # what the post does not cover
        elif detail == "skipped":
            act, detail = Act.PRAISE, ""
    values: dict[str, object] = {}
    friend = None
    if act is Act.TAG:
        friend, _ = w.someone(language)
        # (a friend of another name: "amandagomes98" tagging "amanda.serra98", round 85)
        for _ in range(3):
            if first_name(friend).lower() != first_name(author).lower():
                break
            friend, _ = w.someone(language)
        values["friend"] = mention(friend, facts_of(w.platform).tags_by_name)
    scene = Scene(sheet, frozenset(tags), picks, values)
    if act not in (Act.FIRST, Act.REACT) and not speaker.options(_key(act, detail), scene):
        act, detail = Act.PRAISE, ""  # too early to say it (made it, a week in, …)

    if act is Act.SPAM and w.capped:
        campaign = _campaign(rng, threads, speaker.book)
        if campaign is not None:  # the pitch a bot posted under another post, word for word
            author, pitch = campaign
            threads.aspects_said.update(_aspects_in(speaker.book, pitch, sheet.aspects))
            item = _item(threads, act, at, item_id, author, pitch, language, None)
            return _Node(item, act, detail, picks, scene.tags, k, None, friend)

    # decided once, not on every try: a worn-out batch would otherwise try until it drew an emoji
    # (and more of them early on a post than late, where its words are spent and more
    # comments fall back to emoji: 14% of a post's first quarter emoji alone, 47% of its last,
    # before round 45, whose readers found "the same tail of emoji" ending every post)
    by_quarter = EMOJI_BY_QUARTER[min(3, 4 * k // threads.size)] if w.capped else 1.0
    emoji_only = act is Act.REACT and rng.random() < EMOJI_ONLY_SHARE * by_quarter

    # which of the texts composed tell a story of their author's: the one kept may not be the
    # last composed ("So wholesome" answered a comment that told none: round 24)
    storied: dict[str, bool] = {}
    most = facts_of(w.platform).comment_most or 10_000  # a comment's length, on this platform

    def compose() -> str:
        story = False
        if emoji_only:
            return _reaction(w, threads)
        if act is Act.FIRST:
            return speaker.book.first
        text = said_main = speaker.say(_key(act, detail), scene)
        tellers = w.said.tellers  # one life story a person in a batch: two would not agree
        if (
            act in STORIES
            and len(text) > 20
            # no life story before a "but" ("llevo 4 años viendo lo que subes y este es de los
            # mejores. Se ve muy rico, pero le falta picante": round 32)
            and not _hedged(act, text, language)
            and author.handle not in tellers
            # (in the account's language: "la forma en que desglosaste el calentamiento me hizo
            # click…" under one reel, "the way you broke down the breathing made it click…"
            # under the next, round 56; a visitor in another language says it short)
            and language == w.home.language
            # (a complaint half as often: "Been here since day one, so take this with love…",
            # "Long-time viewer, first-time complainer…": four softened complaints, round 39)
            # (and a question: "I work twelve-hour night shifts… How long for the whole thing?",
            # "My brother and I have been arguing about this all evening…": round 45)
            and rng.random() < (STORY_SHARE / 2 if act in HALF_STORIED else STORY_SHARE)
            # (no "it hurts because I recommend you everywhere" before "wish you'd said more"
            # or a price: round 47)
            and not (act is Act.COMPLAINT and detail in ("skipped", "price"))
            # (nor a reason before a question that gives its own: "Cocino lo justo para
            # sobrevivir. Principiante total en la cocina, ¿me saldrá?", round 84)
            and not _NOVICE.search(text)
        ):
            tellers.add(author.handle)
            # one part: a life story (or where I am watching) is praise whole, what it did for me
            # said in it; before a question or a complaint, its reason (a story with a point
            # glued on read as two comments, "Anyway," or not: rounds 33-35, five languages)
            part = "past" if rng.random() < BACKSTORY else "now"
            told = speaker.say_fresh(f"story.{act.value}.{part}", scene, once=True)
            # (not when nothing of that kind fits here, all of it is told, or it names what the
            # point does: "nadie me había explicado el reposo así de bien. Me flipa cómo
            # explicaste el reposo", round 22)
            if told is not None and not _repeats(speaker.book, sheet, told, text):
                if act is not Act.PRAISE:
                    # only a story that is the question's reason (tagged so): "I'm a student
                    # and broke. Why does she heal when I block?" (round 35)
                    small = told[-1] not in ".!?" and (told[-1] != ":" or language != "de")
                    # a new sentence starts with a capital, whatever the line said alone
                    # starts with ("…my brain could handle. love that you…": round 15)
                    told = f"{told} {lower_first(text, language) if small else _upper_first(text)}"
                if len(told) <= most:  # (TikTok takes 150)
                    text = told
                    story = True
            # (a question's none: "…Would really appreciate an answer, I've been going back and
            # forth on it for days", "…Pode ser resposta curta mesmo": rounds 40 and 45)
            paragraph = 0.0 if act is Act.ASK else PARAGRAPH_SHARE
            if story and rng.random() < paragraph and not _BUT[language].search(text):
                # now and then someone writes a whole paragraph: a thought or two after it (not
                # after a "but": "se ve brutal pero está demasiado crudo. Por fin me ha hecho
                # click" contradicts itself, round 23)
                for _ in range(1 if rng.random() < ONE_THOUGHT else 2):
                    # "sorry for the long comment" after a long one only (round 23's readers
                    # found it under a one-line question)
                    long = {"long"} if len(text) >= LONG_TEXT else set()
                    after = Scene(scene.sheet, scene.tags | long, scene.picks, scene.values)
                    more = speaker.say_fresh(f"story.{act.value}.after", after, once=True)
                    # not the same thought twice in other words ("Please never stop making
                    # these, they're the one thing I look forward to all week. Please never…")
                    if (
                        more is None
                        or " ".join(more.split()[:4]) in text
                        or _repeats(speaker.book, sheet, more, text)
                        or len(text) + len(more) + 2 > most
                    ):
                        break
                    text = f"{text}{'' if text[-1] in '.!?' else '.'} {more}"
        elif act is Act.PRAISE and rng.random() < SECOND_SHARE and not _BUT[language].search(text):
            # a second thought, not the first one said again ("Really love… Really love…"),
            # of the thing itself where the first was not
            second = f"praise.{OWN}.{sheet.subject.key}"
            if detail or second not in speaker.book.texts:
                second = "praise"
            # (saying "it", not the post's title again: "lateral raises on the cable just hit
            # different. Such a solid way to explain the push-pull-legs split", round 32)
            unnamed = Scene(scene.sheet, scene.tags | {NAMED}, scene.picks, scene.values)
            for _ in range(3):
                more = speaker.say_fresh(second, unnamed)
                if more is None or not _repeats(speaker.book, sheet, more, text):
                    break
            if (
                more is not None
                and not _repeats(speaker.book, sheet, more, text)
                and len(text) + len(more) + 2 <= most
            ):
                text = f"{text}{'' if text[-1] in '.!?' else '.'} {_upper_first(more)}"
        longer = act in STORIES and text != said_main  # no "Honestly," before a story
        if act is Act.SPAM:
            return text
        typed = _as_typed(speaker, text, act, scene, top=not longer, author=author)
        if len(typed) > most:  # the point alone, as the platform takes no more
            story = False
            typed = _as_typed(speaker, said_main, act, scene, top=True, author=author)
        storied[typed] = story
        return typed

    text = w.fresh(_once_a_post(threads, compose, speaker.book, act))
    if act is Act.SPAM and any(
        c[1] == text and len(c[2]) >= _campaign_posts(w) for c in w.said.campaigns
    ):
        text = None  # a pitch pasted under as many posts as a campaign hits: not a third
    if text is None and not last:
        return None  # every way to say it is worn out in this batch: another kind of comment
    if text is None:  # and of the others too: a reaction, in emoji if its words are worn
        if act is Act.SPAM:  # by a fan: "official_ashleythompson: infravaloradísimo" (round 16)
            author, language = fan
            speaker = w.speaking(language)
        act, detail = Act.REACT, ""
        text = (
            w.fresh(
                _once_a_post(threads, compose, speaker.book, act),
                keep=True,
                worn_out=lambda: _reaction(w, threads),
            )
            or ""
        )
    if act is Act.SPAM and w.capped:
        # a pitch some bot of the batch posted already is that bot's, not a second one's
        bot = next((c for c in w.said.campaigns if c[1] == text), None)
        if bot is None:  # (an account that posts such pitches)
            author = spammer(rng, language, text)
            w.said.campaigns.append((author, text, {threads.post.platform_id}))
        else:
            author = bot[0]
            bot[2].add(threads.post.platform_id)
    if speaker.book.noun(sheet.subject.key).bare in text:
        threads.subject_named += 1
    threads.aspects_said.update(_aspects_in(speaker.book, text, sheet.aspects))
    threads.moments.update(MOMENT.findall(text))
    item = _item(threads, act, at, item_id, author, text, language, None)
    tags_ = scene.tags | {STORIED} if storied.get(text, False) else scene.tags
    if act is Act.PRAISE and STORIED in tags_:
        detail = ""  # the story says what it praises: not the detail drawn for a point
    if _a_deed(speaker.book, text) or (act is Act.OFF_TOPIC and _NEWS.search(text)):
        tags_ |= {DEED}
    return _Node(item, act, detail, picks, tags_, k, None, friend)


# posts a campaign's pitch is pasted under, word for word (three, under every post, read as a
# template's: round 35)
CAMPAIGN_POSTS = 2


def _at_most(w: Writer, said: str, times: int) -> bool:
    """Whether what one account's audience says under so many posts of a batch at most may be
    said once more (and if so, it is)."""
    told = w.said.told
    if told[said] >= times:
        return False
    told[said] += 1
    return True


def _campaign_posts(w: Writer) -> int:
    """How many posts a pitch is pasted under: in a scenario's own mix (a spam wave), as many
    as the bots like."""
    return CAMPAIGN_POSTS if w.top_acts is None else 1 << 30


def _campaign(
    rng: random.Random, threads: PostThreads, book: Phrasebook
) -> tuple[Author, str] | None:
    """A spam campaign of this batch that has not hit the post yet, its author and its pitch;
    None for a new one: the more campaigns a batch has, the likelier spam is one of them. (Not
    one whose pitch names what the post heard enough of.)"""
    campaigns, post_id = threads.w.said.campaigns, threads.post.platform_id
    if not campaigns or rng.random() < 1 / (1 + NEW_CAMPAIGN * len(campaigns)):
        return None
    worn = [a for a in threads.sheet.aspects if threads.aspects_said[a] >= ASPECT_AT_MOST]
    open_ = [
        c
        for c in campaigns
        if post_id not in c[2]
        and len(c[2]) < _campaign_posts(threads.w)
        and not _aspects_in(book, c[1], worn)
    ]
    if not open_:
        return None
    author, text, hit = rng.choice(open_)
    hit.add(post_id)
    return author, text


# emoji that laugh, alone: under a game, not a calm post ("😂😂😂" under a hip opener, round
# 38; under a steak, round 39)
_LAUGHING = frozenset("😂🤣")


# and a flexed arm under a workout, not a lip combo or a curry (round 41)
_FLEXED = "💪"


@functools.cache
def _reactions_for(funny: bool, workout: bool) -> tuple[str, ...]:
    return tuple(
        r
        for r in EMOJI_REACTIONS
        if (funny or not _LAUGHING & set(r)) and (workout or _FLEXED not in r)
    )


def _reactions(tags: frozenset[str]) -> tuple[str, ...]:
    """The emoji-only reactions a post hears."""
    workout = "routine" in tags or "program" in tags
    # (nor under a workout with nothing funny in it: round 44)
    return _reactions_for("game" in tags or "guide" in tags, workout)


def _reaction(w: Writer, threads: PostThreads) -> str:
    """An emoji-only reaction the post hears, of those the batch said least and the post has not
    heard lately ("😭😭" and "💯💯" each twice in a post's first 35 comments: round 63)."""
    recent = threads.reactions[-REACTIONS_APART:]
    options = [r for r in _reactions(threads.tags) if r not in recent]
    said = w.said.least(w.rng, options if len(options) >= 3 else _reactions(threads.tags))
    threads.reactions.append(said)
    return said


REACTIONS_APART = 12  # emoji-only reactions on a post before one comes round again


def _once_a_post(
    threads: PostThreads,
    compose: Callable[[], str],
    book: Phrasebook | None = None,
    act: Act | None = None,
) -> Callable[[], str]:
    """On one post nobody says the same thing the same way twice: a text whose templates (of
    a few words or more) were used on the post already is drawn again (a few times), and
    is stale if it still repeats one (round 12's reading: "you said 'easy' and my body took
    that personally" twice under one reel)."""
    said = threads.w.said
    sheet = threads.sheet
    # a top-level comment (`book`: its language's) names no aspect the post heard enough of,
    # nor, liking it, one the post leaves out ("Wish you'd said more about the rest times",
    # then "having the rest times for each exercise is so helpful": round 45)
    worn = [a for a in sheet.aspects if threads.aspects_said[a] >= ASPECT_AT_MOST]
    if act is not None and TONE.get(act) == "positive":
        worn += [a for a in sheet.subject.aspects if a not in sheet.aspects]
    worn = worn if book is not None else []

    def composed() -> str:
        for _ in range(4):
            said.just.clear()
            said.stale = False
            text = compose()
            used = [t for t in said.just if len(t) > ONCE_A_POST_FROM]
            if not any(t in threads.templates for t in used) and not (
                book is not None and _aspects_in(book, text, worn)
            ):
                break
        else:
            said.stale = True
        threads.templates.update(t for t in said.just if len(t) > ONCE_A_POST_FROM)
        return text

    return composed


MOMENT = re.compile(r"\b\d{1,2}:\d{2}\b")
SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _repeats(book: Phrasebook, sheet: FactSheet, more: str, text: str) -> bool:
    """Whether another sentence says one of the text's things again: the opening words of one
    of its sentences ("o jeito que o lápis… O jeito que você esfuma…", "Sorry if you covered
    this… Sorry if it's a silly question"), the same aspect of the post or the same moment of
    the video ("A partir del 7:28 es oro puro. El 7:28 me ha hecho reír": round 22)."""
    if _opens_alike(more, text):
        return True
    if set(MOMENT.findall(more)) & set(MOMENT.findall(text)):
        return True
    # nor the post's subject in full twice ("been going back and forth on the Galaxy Watch for
    # ages. Where can I get the Galaxy Watch now?": round 39)
    name = book.noun(sheet.subject.key).bare.lower()
    if name in more.lower() and name in text.lower():
        return True
    return bool(
        set(_aspects_in(book, more, sheet.aspects)) & set(_aspects_in(book, text, sheet.aspects))
    )


def _opens_alike(more: str, text: str) -> bool:
    """Whether `more` opens with the first two words of one of the text's sentences."""
    opening = [w.lower() for w in more.split()[:2]]
    return any(opening == [w.lower() for w in s.split()[:2]] for s in SENTENCE.split(text))


def _aspects_in(book: Phrasebook, text: str, aspects: Sequence[str]) -> list[str]:
    """Which of the post's aspects the text names."""
    said = text.lower()
    return [a for a in aspects if book.noun(a).bare.lower() in said]


_GOES_ON = re.compile(r"(and|but|und|aber|y|pero|e|mas|also|auch|too)\b", re.IGNORECASE)


def _upper_first(text: str) -> str:
    """A new sentence: its first letter a capital ("¿Cuánto…" after "¡Hola!", "'Soy Malenia…'"
    quoted)."""
    opening = len(text) - len(text.lstrip("¿¡'\"«„\u201c\u2018"))
    return text[:opening] + text[opening : opening + 1].upper() + text[opening + 1 :]


def _detail(rng: random.Random, threads: PostThreads, act: Act, platform: PlatformFacts) -> str:
    """What an act is about: the fact asked, the complaint's reason, the support issue."""
    sheet = threads.sheet
    if act is Act.ASK:
        return _asked(rng, (*sheet.asks, Fact.DETAIL), threads.asks)
    if act is Act.COMPLAINT:
        reasons = [(r, n) for r, n, kinds in COMPLAINTS if kinds is None or sheet.kind in kinds]
        reasons = [(r, n) for r, n in reasons if r not in TITLED or platform.titled]
        if not platform.long_posts:
            reasons = [(r, n) for r, n in reasons if r != "long"]
        if sheet.price is None:
            reasons = [(r, n) for r, n in reasons if r != "price"]
        return weighted(rng, [r for r, _ in reasons], [n for _, n in reasons])
    if act is Act.SUPPORT:
        issues = [(i, n) for i, n in SUPPORT_ISSUES if i not in TITLED or platform.titled]
        return weighted(rng, [i for i, _ in issues], [n for _, n in issues])
    if act is Act.PRAISE and platform.chapters and rng.random() < MOMENT_SHARE:
        return "moment"  # "4:12 is the best part": YouTube comments cite moments
    return ""


# of praise, "how it went" and reactions: said of the post's subject alone ("that crust 🤤",
# "the second phase is where I gave up"), where its own words are not all said in the batch
# (praise 0.45 before: round 16's readers were sure on frames around an aspect, "explains the
# burn", "covered the display without the fluff")
OWN_SHARE = {Act.PRAISE: 0.7, Act.TRIED: 0.6, Act.REACT: 0.35}


def _own(threads: PostThreads, speaker: Writer, act: Act, tags: frozenset[str]) -> str:
    """The detail of a comment said of the subject alone: for a question, one of its own
    questions that this batch has not asked and the post allows ('detail.steak.3'), else
    another fact; for praise and the like, 'own.<subject>' while some of its own lines are
    fresh."""
    w, sheet = threads.w, threads.sheet
    used = w.said.used
    texts = speaker.book.texts
    if act is Act.ASK:
        fresh = [
            d
            for d in own_questions(speaker.book, sheet.subject.key)
            if (found := sayable(texts[f"ask.{d}"], tags)) and not used.get(found[0])
        ]
        return w.rng.choice(fresh) if fresh else _asked(w.rng, sheet.asks, threads.asks)
    own = f"{OWN}.{sheet.subject.key}"
    key = f"{act.value}.{own}"
    # (its lines that do not name the subject, where the post has named it often enough)
    found = speaker.options(key, Scene(sheet, tags)) if sayable(texts.get(key, ()), tags) else []
    if any(used.get(o, 0) < said_at_most(o, True) for o in found):
        return own
    return ""


def _asked(rng: random.Random, facts: Sequence[Fact], asks: Mapping[Fact, float]) -> str:
    """One of the facts, as often as a post's audience asks about it (`PostThreads.asks`;
    as often as people do in general where it asks about none of them)."""
    weights = [asks.get(f, 0.0) for f in facts]
    if not any(weights):
        weights = [ASKED[f] for f in facts]
    return weighted(rng, facts, weights).value


def _words_of(text: str) -> set[str]:
    """A text's words of four letters or more, in any case, by their first five letters
    ("Honestamente la explicación más honesta": round 33)."""
    return {w[:5] for w in re.findall(r"\w+", text.lower()) if len(w) >= 4}


def _as_typed(
    speaker: Writer,
    text: str,
    act: Act,
    scene: Scene,
    *,
    top: bool,
    author: Author,
    tone: str | None = None,
) -> str:
    """Openers, closers and emoji where the tone (the act's, unless given) has them; slips of
    a phone's keyboard."""
    rng = speaker.rng
    tone = TONE.get(act, "") if tone is None else tone
    if _hedged(act, text, speaker.book.language):
        # praise with a "but" wants no cheer around it ("sounds nice but that's way too heavy
        # for me. You're the best", "demasiado crudo 🙌": rounds 31 and 32)
        tone = ""
    top = top and act in FRAMED
    if top and tone and rng.random() < 0.07:
        opener = speaker.options(f"opener.{tone}", scene)
        said = speaker.write(rng.choice(opener), scene) if opener else ""
        # not "Ehrlich, hätte ehrlich gesagt…" (round 13's reader), nor "Usually love your
        # stuff. Love the review but £299?" (round 31's): no word of four letters said twice
        first = said.split()[0].strip(",.:!").lower() if said else ""
        if (
            said
            and first not in text.lower()
            and not _words_of(said) & _words_of(text)
            # nor before what goes on from something said ("Okay, also: und der Grafikstil
            # erst wow": round 48)
            and not _GOES_ON.match(text)
        ):
            rest = _upper_first(text) if said[-1] in ".!?" else lower_first(text, speaker.language)
            text = f"{said} {rest}"  # "Hi! What did you pay", "Honestly, what did you pay"
            top = False  # and no closer after it ("Quick question: is it normal … thx" read as
            # a question put in a wrapper: round 66)
    # (0.15, 0.1, 0.08 before: a point with generic praise glued after it, "looks genuinely
    # great. The editing on this is so good", was every round's tell up to round 26's)
    closing = {"positive": 0.06, "question": 0.06, "negative": 0.05}.get(tone, 0.0)
    # a question of two or three words wants no thanks ahead ("é difícil? valeu!", round 27)
    asks_little = tone == "question" and len(text.split()) < 4
    if top and act in CLOSED and not asks_little and rng.random() < closing:
        closers = speaker.options(f"closer.{tone}", scene)
        if closers:
            closer = speaker.write(speaker.fresher(closers), scene)
            if _opens_alike(closer, text):  # not "Por fin alguien… Por fin el algoritmo acierta"
                closer = ""
            if closer and tone == "negative" and text[-1:].isalnum():
                # "…con el soporte, en mi opinión" (round 31), not "…, Sinceramente" (33)
                text = f"{text}, {lower_first(closer, speaker.book.language)}"
            elif closer and text[-1:].isalnum() and closer[:1].isalpha():  # "…so good. Thanks!"
                text = f"{text}. {closer[:1].upper()}{closer[1:]}"
            elif closer:
                text = f"{text} {closer}"
    if rng.random() < EMOJI_CHANCE.get(tone, 0.0):
        text = speaker.with_emoji(text, tone)
    return speaker.typed(text, author, question=tone == "question")


# --- replies ------------------------------------------------------------------------------


def _fan_reply(threads: PostThreads, p: int, at: datetime, item_id: str) -> _Node:
    w = threads.w
    rng = w.rng
    parent = threads.nodes[p]
    options = _replies(parent, threads.nodes)
    reply = weighted(rng, options, [r.weight for r in options])
    author, language = _who(threads, parent, reply.who)
    if reply.who is not Who.FAN:
        parent.answered_by_person = True
    act = reply.act
    parent.countered = parent.countered or act is Act.COUNTER
    if act in AGREEING:
        # agreed with in one language: not "same, I came here for the rest days" and then
        # "igual, yo vine por los días de descanso" under it (round 38)
        if parent.agreed_in and language != parent.agreed_in:
            author, language = w.someone(parent.agreed_in)
        parent.agreed_in = language
    parent.agreed += act in AGREEING or act in (Act.PLUS_ONE, Act.CALL_OUT)
    if act is Act.AGREE and parent.act is Act.TRIED and parent.detail.startswith(OWN):
        # how it went in its own words may not have gone well ("sofort gestorben", a doctor's
        # visit): "same experience here", neither "Schön, dass es bei dir geklappt hat!" (round
        # 17) nor small talk's "literally same 👌⚡" (round 31)
        parent_detail = "experience"
    elif act is Act.AGREE and parent.act in AGREED_WITH:  # "glad it worked", "same lol"
        parent_detail = AGREED_WITH[parent.act]
    else:
        parent_detail = ""
    # an answer to a "+1" answers the question it agreed with
    source = (
        threads.nodes[parent.parent]
        if act is Act.ANSWER and parent.act is Act.PLUS_ONE and parent.parent is not None
        else parent
    )
    asked = parent.parent
    if source is not parent and asked is not None:
        # and to its asker, not to who wondered too ("@matthiass_1997 9 Stunden plus minus"
        # under "gleiche Frage", the asker thanked by nobody: round 47)
        parent, p = source, asked
    detail = parent_detail or source.detail
    heard = source.item.language or w.home.language
    if act in (Act.ANSWER, Act.PLUS_ONE) and detail.startswith(DETAIL) and language != heard:
        author, language = w.someone(heard)  # its own words are the asker's language's
    tags = _base_tags(threads, at, author) | _reply_tags(parent, threads)
    scene = Scene(
        threads.sheet, frozenset(tags), dict(source.picks), {"name": first_name(parent.item.author)}
    )
    if act is Act.REBUT:  # (the complaint's author's, to who countered it: `acts.REPLIES`)
        # "I'm just saying what happened to me" only of how it went ("why_result"), not of a
        # price (round 34)
        scene = Scene(scene.sheet, scene.tags | {f"why_{detail}"}, scene.picks, scene.values)
    return _reply_node(threads, act, detail, scene, parent, p, at, item_id, author, language)


def _creator_reply(threads: PostThreads, p: int, at: datetime, item_id: str) -> _Node:
    w = threads.w
    parent = threads.nodes[p]
    act = CREATOR_ACT[parent.act]
    author = w.creator_author
    language = parent.item.language or w.home.language  # answered in the language addressed
    tags = _base_tags(threads, at, author) | _reply_tags(parent, threads) | {"creator"}
    scene = Scene(
        threads.sheet, frozenset(tags), dict(parent.picks), {"name": first_name(parent.item.author)}
    )
    if act in OWNED_UP and w.capped:
        w.said.owned_up.add(_reply_key(act, parent.detail, creator=True))
    parent.creator_replied = True
    return _reply_node(threads, act, parent.detail, scene, parent, p, at, item_id, author, language)


OWNED_UP = (Act.APOLOGY, Act.CREATOR_HELP)  # what a creator says once a batch, per reason


def _reply_key(act: Act, detail: str, *, creator: bool) -> str:
    """The text key a reply is said from."""
    if creator and act is Act.ANSWER:
        return f"creator.{detail}"  # the creator's own words: "I paid", "in my bio"
    return _key(act, detail) if act in _DETAILED else str(act)


def _creator_has_words(threads: PostThreads, node: _Node) -> bool:
    """Whether the creator has a way to answer `node` this batch has not said as often as it
    bears: a creator whose words for it are worn out lets it be (round 19's readers were sure
    on an apology said word for word under two posts, once in two languages)."""
    w = threads.w
    if not w.capped:
        return True
    key = _reply_key(CREATOR_ACT[node.act], node.detail, creator=True)
    if key in w.said.owned_up:
        return False
    speaker = w.speaking(node.item.language or w.home.language)
    scene = Scene(threads.sheet, node.tags | {"creator"}, dict(node.picks))
    used = w.said.used
    return any(used.get(o, 0) < said_at_most(o, True) for o in speaker.options(key, scene))


def _reply_tags(parent: _Node, threads: PostThreads) -> set[str]:
    tags = {t for t in parent.tags if t in ("yes", "no", "swap_x", "swap_k") or t.startswith("w_")}
    if "?" in parent.item.text:
        tags.add("parent_q")
    if parent.item.author.is_creator:
        tags.add("to_creator")
        above = threads.nodes[parent.parent] if parent.parent is not None else None
        if above is not None and above.act in (Act.COMPLAINT, Act.SUPPORT):
            # no "Omg you replied, thank you!" from who just said "Nobody's paying £259"
            tags.add("complained")
    if parent.act is Act.ANSWER and parent.detail:
        tags.add(f"re_{parent.detail}")  # thanks for a price, a wait: not "ah que bom" (round 39)
        if parent.detail == Fact.LEVEL and "level_hard" in parent.tags:
            tags.add("no")  # "master the basics first" is a no: "anda, genial" (round 42)
    if parent.act is Act.TRIED:
        tags.add("tried_parent")
    if parent.act is Act.PLAN:
        tags.add("plan_parent")
    return tags


ANSWERS = (Act.ANSWER, Act.POINT)


def _reply_node(
    threads: PostThreads,
    act: Act,
    detail: str,
    scene: Scene,
    parent: _Node,
    p: int,
    at: datetime,
    item_id: str,
    author: Author,
    language: str,
) -> _Node:
    w = threads.w
    rng = w.rng
    speaker = w.speaking(language)
    creator = author.is_creator
    if act in ANSWERS:
        asked = parent if parent.act is Act.ASK else threads.nodes[parent.parent or 0]
        asked.answered = True
        # (what was answered under the post by the creator or a fan, asked in a DM only when
        # a post has nothing else to ask: "Tiefenschiefer und Fichtenholz" there and in a DM,
        # round 80; "machbar für Casuals?" there and "Schafft man das auch, wenn man eher
        # casual spielt?" in a DM, round 83)
        if asked.act is Act.ASK:
            w.said.answered.add(asked_of(threads.sheet, asked.detail, asked.picks))
    if act is Act.HELP:  # one tip under a report ("works for me now, try again?" twice under
        # a dead link, from two people: round 48)
        parent.answered = True
    key = _reply_key(act, detail, creator=creator)
    # Instagram's, YouTube's, TikTok's and a Page's threads are one level: a reply to a reply
    # goes under the top comment, naming whom it answers (X's answer the reply itself)
    facts = facts_of(w.platform)
    flat = parent.parent is not None and not facts.nested_replies
    under = threads.nodes[parent.root] if flat else parent
    # with someone's story, no "👌⚡"; thanked for an apology, no "Ahh danke 🔥❤️" (round 33);
    # agreeing with "…pero para mí está demasiado crudo", no "verdad?? 🥰" (read aloud)
    sober = (
        (act is Act.AGREE and detail == "experience")
        or (act is Act.THANKS and parent.act is Act.APOLOGY)
        or (act is Act.AGREE and _mixed(parent.item))
    )

    def compose() -> str:
        text = speaker.say(key, scene)
        if creator:  # a heart after a thank-you; facts and apologies without
            if act is Act.CREATOR_THANKS and rng.random() < 0.4:
                text = f"{text} {speaker.emoji('positive', 1)}"
        else:
            text = _as_typed(
                speaker, text, act, scene, top=False, author=author, tone="" if sober else None
            )
        # under the creator's answer, whom a fan answers is named: a bare "Totalmente 💯"
        # there agreed with "Significa mucho ❤️" (round 32)
        mentioned = rng.random() < MENTION_SHARE or (not creator and parent.creator_replied)
        # (nor the bot told to others: "@growth.agency_ ignora, é golpe", round 46)
        # (nor a bump of a question: "@lukasmeyer push", round 73)
        mentioned = mentioned and act not in (Act.CALL_OUT, Act.PLUS_ONE)
        if (mentioned or under is not parent) and not text.startswith("@"):
            said = text if creator else lower_first(text, language)
            text = f"{mention(parent.item.author, facts.tags_by_name)} {said}"
        return text

    text = w.fresh(
        _once_a_post(threads, compose),
        keep=True,
        whole=creator,
        worn_out=(
            (lambda: speaker.emoji(TONE[act], 1))
            if act in FELT and not sober
            else (lambda: rng.choice(THANKS_EMOJI))
            if act is Act.THANKS
            else None
        ),
    )
    item = _item(threads, act, at, item_id, author, text or "", language, under)
    return _Node(item, act, detail, scene.picks, scene.tags, parent.root, p)


# replies an emoji can say, when every way to say them in words is worn out in the batch
FELT = (Act.AGREE, Act.AGREE_COMPLAINT, Act.SAME_ISSUE, Act.LAUGH, Act.TAGGED, Act.WANT_TOO)
THANKS_EMOJI = ("🙏", "🙏🙏", "🙌")  # and a thanks
# agreeing with someone's own story, or with small talk, is said otherwise than with an opinion
AGREED_WITH = {Act.TRIED: "tried", Act.OFF_TOPIC: "chat"}
# what one person reports on a post and nobody reports again: a dead link, a lost order, a
# part left out
ONCE_A_POST = ("link", "order", "find", "skipped")
# what one account's audience reports once in a batch, under whichever post
ONCE_A_BATCH = ((Act.SUPPORT, "order"), (Act.SUPPORT, "link"), (Act.COMPLAINT, "sponsor"))
# and at most so often, in the usual mix (round 46's readers: "can barely hear you over the
# music", "sounded fine to me?", "fair, but still" under three posts; "59 €? Niemand zahlt so
# viel dafür" and "29 €? …")
# (the audio once since round 48: "o som tava ruim" / "pra mim tava ok?" / "verdade" / "pode ser,
# mas não me convenceu" twice in one Brazilian inbox)
AT_MOST_A_BATCH = {(Act.COMPLAINT, "audio"): 1, (Act.COMPLAINT, "price"): 2,
                   (Act.COMPLAINT, "long"): 2}  # fmt: skip
# spam after the first: one of the batch's campaigns again, unless a new one starts (with
# n campaigns, a new one 1 in 1 + this * n)
NEW_CAMPAIGN = 2
STORIED = "x_storied"  # a node's tag: its text tells a story ("love this for you" agrees)
# a node's tag: its text reports what its author did with the post ("sent this to my dad",
# "saved for later"), nothing a fan agrees with ("Verdade": round 26)
DEED = "x_deed"


# small talk that tells the author's own news: nobody answers "yo también jaja" to "hoy he
# aprobado el carnet de conducir" (round 32)
_NEWS = re.compile(r"birthday|cumpleaños|aprobado|aniversário|Geburtstag|bestanden", re.IGNORECASE)


# what one did with the post, said in one's own words ("Bookmarking this for the next time
# someone asks me about it" agreed with "Said it better than I could", "Añado esto al menú de
# la semana" with "Igual": round 79)
_DID = {
    "en": re.compile(r"^bookmarking\b|\b(saving|saved|sending|sent) (this|it)\b"),
    "es": re.compile(r"\bme lo (guardo|apunto)\b|\bal men[uú] de la semana\b"),
    "pt": re.compile(r"\bsalv(o|ei|ando)\b|\bguardando\b"),
    "de": re.compile(r"\bgespeichert\b|\bspeicher\b|\bhab extra\b"),
}


def _a_deed(book: Phrasebook, text: str) -> bool:
    """Saved it, or sent it to someone (the sending words and the people both there: German's
    "Direkt" alone is no deed)."""
    lowered = text.lower()
    did = _DID.get(book.language[:2])
    if did is not None and did.search(lowered):
        return True
    if any(d.lower() in lowered for d in book.slots.get("saved_for_later", ())):
        return True
    return any(d.lower() in lowered for d in book.slots.get("shared_with", ())) and any(
        p.lower() in lowered for p in book.slots.get("people", ())
    )


# acts whose words depend on what they answer (the fact, the complaint's reason, the issue)
_DETAILED = (
    Act.AGREE,
    Act.CREATOR_THANKS,  # praise of the thing itself is agreed with, not thanked for (round 32)
    Act.ANSWER,
    Act.APOLOGY,
    Act.AGREE_COMPLAINT,
    Act.COUNTER,
    Act.CREATOR_HELP,
    Act.SAME_ISSUE,
    Act.HELP,
)


def _who(threads: PostThreads, parent: _Node, who: Who) -> tuple[Author, str]:
    """Who answers, in the language of what they answer or the account's: a fan who is not
    the parent's author, or the one person the reply is for."""
    w = threads.w
    home = w.home.language
    heard = parent.item.language or home
    named = None
    if (who is Who.ASKER and parent.parent is not None) or (
        who is Who.OTHER_SIDE and parent.parent is not None
    ):
        named = threads.nodes[parent.parent].item
    if named is not None:  # they write as they wrote before
        return named.author, named.language or home
    if who is Who.TAGGED and parent.friend is not None:
        return parent.friend, heard
    if heard != home and w.rng.random() < OTHER_SPEAKER:
        return w.someone(heard)  # someone who speaks it answers a comment in another language
    for _ in range(6):
        author, language = threads.pick_fan()
        if (
            author.handle != parent.item.author.handle
            and language in (heard, home)
            and _fresh(threads, author, parent.root)
        ):
            break
    else:
        author, language = _stranger(threads, home)
    return author, language


def comments_on(
    w: Writer,
    posts: Sequence[tuple[Content, Sequence[datetime]]],
    stream: str,
    base: int,
    pick_fan: Callable[[], tuple[Author, str]],
    firsts: set[str],
    progress: Callable[[int], None] | None = None,
) -> list[WebhookInteraction]:
    """One comment per time on each post, some of them replies; named (stream, base + k) in
    the posts' order; `progress` told how many are written as they are. The posts are written
    in turn, each as far along its comments as the others, so the batch's words are shared
    among them: written one after another, the first post said most of them and the last ones
    were walls of 'love it' (round 18's reading)."""
    threads: list[Iterator[WebhookInteraction]] = []
    start = base
    for post, times in posts:
        name = _names(w, stream, start, post.platform_id)
        threads.append(_thread(w, post, times, name, pick_fan, firsts))
        start += len(times)
    turns = sorted(
        ((k + 1) / len(times), i) for i, (_, times) in enumerate(posts) for k in range(len(times))
    )
    if w.capped and w.top_acts is None:
        w.said.thin = max(0.0, 1 - CAPACITY / len(turns)) if turns else 0.0
    written: list[list[WebhookInteraction]] = [[] for _ in posts]
    for n, (_, i) in enumerate(turns):
        if progress is not None:
            progress(n)
        written[i].append(next(threads[i]))
    return [item for items in written for item in items]


def _names(w: Writer, stream: str, start: int, post_id: str) -> Callable[[int], str]:
    return lambda k: platform_id(w.profile, "c", stream, start + k, post_id)
