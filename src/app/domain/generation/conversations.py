"""DM conversations: each opening (an order that never came, a double charge, a question about a
post, a brand's offer, …) is a small state machine, so every answer follows what was said:
the creator's apology names the order number already given, nobody asks for what they have,
and each exchange ends as people end them (thanks, see you, or silence). Now and then a fan
comes back days later. The creator answers after minutes to hours, in the daytime; a
conversation stays in the language the fan opened it in. The number of DMs stays the batch's:
every message counts, the creator's too."""

import functools
import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from app.domain.demo import Content, DemoProfile
from app.domain.generation import people
from app.domain.generation.acts import ASKED
from app.domain.generation.facts import (
    CURRENCIES,
    Fact,
    FactSheet,
    askable,
    asked_of,
    fact_sheet,
    pick_nouns,
)
from app.domain.generation.writer import (
    NAMED,
    NAMES_SUBJECT,
    TRIES,
    Scene,
    Writer,
    lower_first,
    weighted,
)
from app.domain.inbox import Author, Intent, InteractionKind, Sentiment, WebhookInteraction

CREATOR_HOURS = range(9, 23)  # when the creator answers (UTC)
FAN, CREATOR, LATER = "fan", "creator", "later"  # who says a step; LATER: the fan, days on
_POS, _NEU, _NEG = Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE
OTHER = (Intent.OTHER, _POS)


@dataclass(frozen=True, slots=True)
class Step:
    who: str
    key: str  # the text said (a key of the phrasebook)
    labels: tuple[Intent, Sentiment]
    then: tuple[tuple[str, int], ...] = ()  # the next steps and how likely; "" ends it


def _m(**steps: Step) -> dict[str, Step]:
    return steps


SUPPORT = (Intent.SUPPORT, _NEG)
# a brand's offer, once its budget and timeline are known: taken, declined, or talked up to the
# creator's rate (round 21's readers: "a brand deal with no talk of rates"), which the brand
# meets, can't meet, or leaves unanswered
_NEGOTIATION = _m(
    yes=Step(CREATOR, "dm.collab.yes", OTHER, (("sent", 1),)),
    no=Step(CREATOR, "dm.collab.no", OTHER, (("ok", 1),)),
    sent=Step(FAN, "dm.collab.sent", (Intent.COLLAB_REQUEST, _POS)),
    ok=Step(FAN, "dm.collab.ok", OTHER),
    counter=Step(CREATOR, "dm.collab.counter", OTHER, (("meet", 5), ("cant", 3), ("", 2))),
    meet=Step(FAN, "dm.collab.meet", (Intent.COLLAB_REQUEST, _POS), (("deal", 1),)),
    deal=Step(CREATOR, "dm.collab.deal", OTHER, (("sent", 1),)),
    cant=Step(FAN, "dm.collab.cant", OTHER, (("next_time", 6), ("", 4))),
    next_time=Step(CREATOR, "dm.collab.next_time", OTHER),
)
MACHINES: dict[str, dict[str, Step]] = {
    "order": _m(
        open=Step(FAN, "dm.order.open", SUPPORT, (("sorry", 6), ("check", 4))),
        sorry=Step(CREATOR, "dm.order.resend", OTHER, (("thanks", 7), ("", 3))),
        # looked into first, fixed hours later (round 51-52's readers: every problem solved in
        # one tidy reply)
        check=Step(CREATOR, "dm.order.check", OTHER, (("found", 1),)),
        found=Step(CREATOR, "dm.order.found", OTHER, (("thanks", 7), ("", 3))),
        thanks=Step(FAN, "dm.thanks_fixed", OTHER, (("close", 5), ("", 5))),
        close=Step(CREATOR, "dm.close", OTHER, (("later", 4), ("", 6))),
        later=Step(LATER, "dm.order.later", OTHER),
    ),
    "charged": _m(
        open=Step(FAN, "dm.charged.open", SUPPORT, (("ask", 1),)),
        ask=Step(CREATOR, "dm.charged.ask_email", OTHER, (("email", 1),)),
        email=Step(FAN, "dm.charged.email", (Intent.SUPPORT, _NEU), (("refunded", 1),)),
        refunded=Step(CREATOR, "dm.charged.refunded", OTHER, (("thanks", 7), ("", 3))),
        thanks=Step(FAN, "dm.thanks_fixed", OTHER),
    ),
    "charged_email": _m(
        open=Step(FAN, "dm.charged.open_email", SUPPORT, (("refunded", 6), ("check", 4))),
        check=Step(CREATOR, "dm.charged.check", OTHER, (("refunded", 1),)),
        refunded=Step(CREATOR, "dm.charged.refunded", OTHER, (("thanks", 7), ("", 3))),
        thanks=Step(FAN, "dm.thanks_fixed", OTHER),
    ),
    "download": _m(
        open=Step(FAN, "dm.download.open", SUPPORT, (("resent", 1),)),
        resent=Step(CREATOR, "dm.download.resent", OTHER, (("works", 7), ("", 3))),
        works=Step(FAN, "dm.download.works", OTHER),
    ),
    "coaching": _m(
        open=Step(FAN, "dm.coaching.open", (Intent.QUESTION, _NEU), (("offer", 1),)),
        offer=Step(CREATOR, "dm.coaching.offer", OTHER, (("booked", 3), ("", 7))),
        no=Step(CREATOR, "dm.coaching.decline", OTHER, (("ok", 6), ("", 4))),
        booked=Step(FAN, "dm.coaching.booked", OTHER, (("see_you", 1),)),
        ok=Step(FAN, "dm.coaching.ok", OTHER),
        see_you=Step(CREATOR, "dm.see_you", OTHER),
    ),
    "ask": _m(
        open=Step(FAN, "ask", (Intent.QUESTION, _NEU), (("answer", 1),)),
        answer=Step(CREATOR, "creator", OTHER, (("thanks", 6), ("more", 3), ("", 1))),
        # (a fan back days on, now and then: two in an inbox's last five conversations read as
        # a script to round 75's reader; 2 in 10 before)
        thanks=Step(FAN, "dm.thanks", OTHER, (("later", 1), ("", 9))),
        more=Step(FAN, "more", (Intent.QUESTION, _NEU), (("answer2", 1),)),
        answer2=Step(CREATOR, "creator", OTHER, (("thanks2", 7), ("", 3))),
        thanks2=Step(FAN, "dm.thanks", OTHER),
        later=Step(LATER, "dm.ask.later", (Intent.PRAISE, _POS)),
    ),
    "buy": _m(
        open=Step(FAN, "dm.buy.open", (Intent.PURCHASE_INTENT, _POS), (("answer", 1),)),
        answer=Step(CREATOR, "dm.buy.answer", OTHER, (("bought", 6), ("", 4))),
        bought=Step(FAN, "dm.buy.bought", (Intent.PURCHASE_INTENT, _POS), (("enjoy", 1),)),
        enjoy=Step(CREATOR, "dm.enjoy", OTHER),
    ),
    "restock": _m(
        open=Step(FAN, "dm.restock.open", (Intent.PURCHASE_INTENT, _POS), (("answer", 1),)),
        answer=Step(CREATOR, "dm.restock.answer", OTHER, (("ok", 6), ("", 4))),
        ok=Step(FAN, "dm.restock.ok", OTHER),
    ),
    "praise": _m(
        open=Step(FAN, "dm.praise.open", (Intent.PRAISE, _POS), (("thanks", 13), ("", 7))),
        thanks=Step(CREATOR, "dm.praise.thanks", OTHER, (("back", 3), ("", 7))),
        back=Step(FAN, "dm.praise.back", (Intent.PRAISE, _POS)),
    ),
    "collab": _m(
        open=Step(FAN, "dm.collab.open", (Intent.COLLAB_REQUEST, _POS), (("ask", 8), ("", 2))),
        ask=Step(CREATOR, "dm.collab.ask", OTHER, (("details", 1),)),
        details=Step(FAN, "dm.collab.details", (Intent.COLLAB_REQUEST, _POS), (("yes", 4),
                     ("counter", 3), ("no", 2), ("", 1))),
        **_NEGOTIATION,
    ),
    "collab_budget": _m(
        open=Step(FAN, "dm.collab.open_budget", (Intent.COLLAB_REQUEST, _POS), (("ask", 1),)),
        ask=Step(CREATOR, "dm.collab.ask_timeline", OTHER, (("timeline", 1),)),
        timeline=Step(FAN, "dm.collab.timeline", (Intent.COLLAB_REQUEST, _POS), (("yes", 4),
                      ("counter", 3), ("no", 2))),
        **_NEGOTIATION,
    ),
    # what the creator films and edits with, and a video someone would like to see: questions
    # of no post (round 55's skimmers: "every DM about a post, one of each kind")
    "gear": _m(
        open=Step(FAN, "dm.gear.open", (Intent.QUESTION, _NEU), (("answer", 1),)),
        answer=Step(CREATOR, "dm.gear.answer", OTHER, (("thanks", 5), ("", 5))),
        thanks=Step(FAN, "dm.thanks", OTHER),
    ),
    "request": _m(
        open=Step(FAN, "dm.request.open", (Intent.OTHER, _POS), (("answer", 5), ("", 5))),
        answer=Step(CREATOR, "dm.request.answer", OTHER, (("glad", 4), ("", 6))),
        glad=Step(FAN, "dm.request.glad", OTHER),
    ),
    # a few words on a post or a story, answered now and then with fewer
    "react": _m(
        open=Step(FAN, "dm.react.open", (Intent.OTHER, _POS), (("answer", 4), ("", 6))),
        answer=Step(CREATOR, "dm.react.answer", OTHER, (("back", 2), ("", 8))),
        back=Step(FAN, "dm.react.back", (Intent.OTHER, _POS)),
    ),
    "spam": _m(open=Step(FAN, "dm.spam", (Intent.SPAM, _NEU))),
    # an entry in a giveaway: a scenario's (giveaway-flood), never the usual mix
    "giveaway": _m(
        open=Step(FAN, "dm.giveaway.open", (Intent.QUESTION, _NEU), (("answer", 1),)),
        answer=Step(CREATOR, "dm.giveaway.answer", OTHER, (("thanks", 6), ("", 4))),
        thanks=Step(FAN, "dm.giveaway.thanks", OTHER),
    ),
}  # fmt: skip
# a first message nobody answers for hours: the fan writes again ("??"), and the answer says
# sorry for the wait; or nobody has answered it yet (round 55's skimmers: "every DM answered,
# each in one tidy reply"), in ten conversations of a kind
NUDGED = 1
WAITING = {"ask": 1, "buy": 1, "restock": 1, "coaching": 1, "gear": 2, "order": 0, "charged": 0,
           "charged_email": 0, "download": 0}  # fmt: skip


def _waits(machine: dict[str, Step], unanswered: int) -> dict[str, Step]:
    """The machine with its first message nudged now and then, or left unanswered."""
    opening = machine["open"]
    total = sum(n for _, n in opening.then)
    then = tuple((s, n * (10 - NUDGED - unanswered)) for s, n in opening.then)
    nudge = Step(FAN, "dm.nudge", (Intent.OTHER, _NEU), then)
    waits = (("nudge", NUDGED * total), ("", unanswered * total))
    return {**machine, "open": replace(opening, then=then + waits), "nudge": nudge}


MACHINES.update({kind: _waits(MACHINES[kind], n) for kind, n in WAITING.items()})
NUDGED_AFTER = (5, 30)  # hours
LOOKED_INTO = (2, 8)  # hours: an order or a charge looked into, before what was found
OPENINGS = (
    ("ask", 25),
    ("collab", 12),
    ("collab_budget", 7),
    ("coaching", 7),
    ("order", 8),
    ("charged", 3),
    ("charged_email", 3),
    ("download", 4),
    ("buy", 6),
    ("restock", 4),
    ("praise", 12),
    ("gear", 4),
    ("request", 5),
    ("react", 14),
    ("spam", 9),
    ("giveaway", 0),
)
ANY_LANGUAGE = ("ask", "react", "praise")  # kinds a fan of another language writes too
DM_ANY_LANGUAGE = 0.5  # of those DMs, by anyone of the audience; the others by its language's
MAIL = ("gmail.com", "icloud.com", "outlook.com")
DRAWS = 4  # ways the creator's DM answer is drawn before it is said again
_KINDS, _KIND_WEIGHTS = zip(*OPENINGS, strict=True)
# what an inbox hears again and again, in other words each time: questions, a few words on a
# post, spam (a DM inbox of one of each kind read as a checklist to round 53's readers; praise
# three DMs running, all unanswered, to rounds 61-62's)
OFTEN = ("ask", "react", "spam")
APART_DRAWS = 3  # times drawn again for a kind said already: the one farthest from the others
AGAIN = 6  # another opening said already in a batch is this much less likely for each time (3
# before round 48, whose reader read two double charges refunded alike, close together)
# what the creator charges for time and for the digital product, in dollars
COACHING = (120, 250)
SHOP = (19, 49)
# a creator prices a guide and an hour for the audience's pocket, not at the exchange rate:
# about R$ 40-100 for a guide in Brazil, not R$ 95-245
MEANS = {"BR": 0.4, "MX": 0.5}
BUDGET = (800, 3000)
# a brand meets the creator's rate when it is at most this much over its budget; further off,
# it can't stretch that far
MEETS_UP_TO = 1.3
CLOSE_ENOUGH = 0.9  # of the creator's rate: an offer the creator takes as it is
# what the account films on and edits in, the same in every answer
FILMED_ON = ("iPhone 15 Pro", "iPhone 14", "iPhone 13 Pro", "Galaxy S24", "Pixel 8")
EDITED_IN = ("CapCut", "Premiere Pro", "DaVinci Resolve", "Final Cut", "VN")
ACCOUNT_RATE = (1200, 3200)  # what the creator charges a brand for a video, in dollars


@dataclass(slots=True)
class _Talk:
    """One conversation as it goes: who talks, in which language, about what, and what was
    said that the other side now knows."""

    kind: str
    fan: Author
    language: str
    sheet: FactSheet | None
    scene: Scene
    asked: str = ""  # the fact of the question being answered
    budget: float = 0.0  # a brand's, in dollars
    # the facts the batch's DMs asked about, by times, and of which post's subject
    dm_asked: Counter[str] = field(default_factory=Counter)
    dm_said: set[str] = field(default_factory=set)  # what the batch's DMs said (`conversations`)


def conversations(
    w: Writer,
    count: int,
    since: datetime,
    now: datetime,
    content: Sequence[Content],
    message_id: Callable[[int], str],
    conversation_id: Callable[[int], str],
    opens_before: datetime | None = None,
    brands: set[str] | None = None,
    openers: set[str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[WebhookInteraction]:
    """`count` messages in conversations started between since and now (or `opens_before`,
    the rest of them going on until now); message n is named `message_id(n)`. Questions and
    thanks are about the account's posts (`content`); `brands` and `openers`: the brands and
    people who wrote already (a scenario's earlier slices: one conversation a person);
    `progress` told how many messages are written as they are."""
    rng = w.rng
    made: list[WebhookInteraction] = []
    started = 0
    posts = [c for c in content if c.published_at < now]
    brands = brands if brands is not None else set()  # a brand writes once, from one handle
    opened: Counter[str] = Counter()
    when: dict[str, list[datetime]] = defaultdict(list)  # when conversations alike opened
    # the facts the DMs asked about, by times (and what was answered under the posts, as if
    # asked in a DM once)
    dm_asked: Counter[str] = Counter(dict.fromkeys(w.said.answered, 1))
    # what they said that is not said again while there are other ways: the creator's answers
    # and the fans' questions, by text and template
    dm_said: set[str] = set()
    about: Counter[str] = Counter()  # the posts they are about, by conversations
    while len(made) < count:
        if progress is not None:
            progress(len(made))
        if w.openings:  # a scenario's own mix
            kind = weighted(rng, *w.openings)
        else:  # the same opening twice in ten is a template's (two "is the guide still for
            # sale?" DMs answered alike, two brands' pitches alike: round 35); questions about
            # the posts are as many as the posts
            weights = [
                n if k in OFTEN and _unsaid(w, k) else n / (1 + AGAIN * opened[k.split("_")[0]])
                for k, n in zip(_KINDS, _KIND_WEIGHTS, strict=True)
            ]
            kind = weighted(rng, _KINDS, weights)
        opened[kind.split("_")[0]] += 1
        if kind == "ask" and not posts:
            kind = "buy"
        spent = _spent(w, posts, dm_asked) if kind == "ask" else None
        post = _post(rng, posts, about, spent)
        talk = _open(w, kind, post, brands, dm_asked, dm_said)
        for _ in range(5):  # someone who wrote already in the run writes in that conversation
            if openers is None or talk.fan.handle not in openers:
                break
            post = _post(rng, posts, about, spent)
            talk = _open(w, kind, post, brands, dm_asked, dm_said)
        if post is not None and talk.sheet is not None:
            about[post.platform_id] += 1
        if openers is not None:
            openers.add(talk.fan.handle)
        conversation = conversation_id(started)
        started += 1
        span = (opens_before or now - timedelta(seconds=60)) - since
        at = since + span * rng.random()
        # a kind said again, or a post's fact asked again, far in time from the others: two fans
        # buying the guide, answered alike, one above the other in the inbox (round 67)
        key = _alike(talk)
        alike = when[key] if key else []
        for _ in range(APART_DRAWS if alike else 0):
            other = since + span * rng.random()
            if min(abs(other - t) for t in alike) > min(abs(at - t) for t in alike):
                at = other
        alike.append(at)
        machine = MACHINES[kind]
        state = "open"
        nudged = checked = False
        while state and len(made) < count:
            step = _said_of(machine[state], talk)
            if step.who == CREATOR and state != "open":
                # (what was looked into, hours on: "Let me check with the warehouse", then
                # "Update: it's lost somewhere in transit" within the hour, round 71)
                looked = timedelta(hours=rng.uniform(*LOOKED_INTO)) if checked else timedelta()
                at = _answered_at(rng, at + looked)
            elif step.who == LATER:
                at = at + timedelta(days=rng.uniform(2, 6), minutes=rng.uniform(0, 600))
            elif state == "nudge":
                at = at + timedelta(hours=rng.uniform(*NUDGED_AFTER))
            elif state != "open":
                at = at + timedelta(minutes=rng.expovariate(1 / 40) + 1)
            if at >= now:
                break  # still waiting
            if step.who == LATER and not _comes_back(w, talk, step):
                break
            message = _message(w, talk, step, state, at, message_id(len(made)), conversation)
            hello = _GREETING[talk.language].match(message.text)
            if (
                state == "open"
                and talk.kind in GREETED_APART
                and hello
                and len(made) + 1 < count
                and len(hello[2].split()) >= DM_QUESTION_WORDS
                and rng.random() < GREETING_APART
            ):
                # "Hi!" sent on its own, then what it is about (round 45's readers: every DM
                # one tidy message)
                made.append(replace(message, text=hello[1].rstrip(","), intent=Intent.OTHER,
                                    sentiment=_NEU))  # fmt: skip
                at = at + timedelta(seconds=rng.uniform(4, 90))
                rest = hello[2] if hello[1][:1].islower() else _capital(hello[2])
                message = replace(message, platform_id=message_id(len(made)), text=rest,
                                  occurred_at=at)  # fmt: skip
            elif step.key in THANKED and rng.random() < THANKS_IN_EMOJI:
                message = replace(message, text=rng.choice(THANKS_EMOJI))
            elif step.who == CREATOR and nudged and not SORRY.match(message.text):
                # (once, on the answer to the nudge, unless it says sorry already: "Sorry, this
                # got buried! Oh no, sorry!")
                # (the one the batch said least: "Desculpa a demora!" twice in ten, round 58)
                late = w.speaking(talk.language)
                sorry = w.said.least(rng, late.options("dm.late", talk.scene))
                sorry = late.write(sorry, talk.scene)
                answer = DISMAYED.sub("", message.text)
                answer = answer[:1].upper() + answer[1:]
                message = replace(message, text=f"{sorry} {answer}")
            if talk.kind == "spam":  # (an account that sends such pitches)
                talk.fan = people.spammer(rng, talk.language, message.text)
                message = replace(message, author=talk.fan)
            made.append(message)
            nudged = state == "nudge"
            checked = state == "check"
            state = _next(rng, step)
            if state == "offer" and not talk.scene.values["coaches"]:
                state = "no"  # this account takes no clients, whoever asks
            if state in ("yes", "counter", "no") and talk.budget:
                state = _answer_to(rng, talk, w.profile)
            if state == "meet" and not _meets(talk, w.profile):
                state = "cant"  # not £1,300 to £2,200 at once (round 32's readers)
    return made


# an answer that opens saying sorry, in any of the languages
SORRY = re.compile(
    r"^\W*(?:\w+\W+){0,3}(?:sorry|perd[oó]n|perdona|perdão|lo siento|desculp|entschuldig"
    r"|tut mir leid)",
    re.IGNORECASE,
)
# an answer's dismay, said by the sorry for the wait before it ("So sorry for the slow reply!
# Oh no! Sent you a new link": round 85)
DISMAYED = re.compile(
    r"^(?:oh no|ugh|oops|uf+|ay|vaya|poxa|ai|eita|oje|mist|ups)\b\W*\s+", re.IGNORECASE
)


def _post(
    rng: random.Random, posts: list[Content], about: Counter[str], spent: set[str] | None = None
) -> Content | None:
    """A post a conversation is about, one not talked about yet the likelier (two DMs about
    one Dell monitor in an inbox of ten: round 73), and a question about one with something
    left to ask the likelier (`_spent`)."""
    if not posts:
        return None
    spent = spent or set()
    return weighted(
        rng,
        posts,
        [
            (POST_SPENT if p.platform_id in spent else 1) / (1 + POST_AGAIN * about[p.platform_id])
            for p in posts
        ],
    )


POST_AGAIN = 4  # how much less likely a post talked about once is, twice, …
POST_SPENT = 0.15  # how likely a question about a post whose every fact was asked or answered


def _spent(w: Writer, posts: list[Content], dm_asked: Counter[str]) -> set[str]:
    """The posts whose every fact was asked in a DM or answered under the post (the blocks of
    the Minecraft castle answered under it, then asked in a DM: round 83's reader, "the question
    pool is being reused")."""
    spent: set[str] = set()
    for post in posts:
        keys = askable(fact_sheet(w.profile, post.platform_id))
        if keys and all(dm_asked[key] for key in keys):
            spent.add(post.platform_id)
    return spent


def _alike(talk: _Talk) -> str:
    """What a reader takes two conversations to be the same of: their kind, or for questions,
    the post and what it asks."""
    if talk.kind == "ask" and talk.sheet is not None:
        return asked_of(talk.sheet, talk.asked, dict(talk.scene.picks))
    return talk.kind if talk.kind not in OFTEN else ""


def _unsaid(w: Writer, kind: str) -> bool:
    """Whether the batch has a way to open a conversation of this kind it has not said yet
    (questions are made of a post's facts: always); then it comes again freely, else as
    rarely as any other ("Ich schau schon ewig zu und hab nie Danke gesagt" three times:
    round 54)."""
    if kind == "ask" or not w.capped:
        return True
    # (of the lines any conversation of the kind may open with: those of no condition)
    lines = w.book.texts.get(MACHINES[kind]["open"].key, ())
    return w.said.unsaid(o for o in lines if not o.startswith("["))


# a question whose answer is bought with: coming back days on, the fan says they got it, not
# that it worked (round 66's reader: "Kostet Baldur's Gate 3 noch den vollen Preis?", answered,
# then "Hat endlich geklappt, danke für die Hilfe!")
BOUGHT_AFTER = (Fact.PRICE.value, Fact.WHERE.value)


def _said_of(step: Step, talk: _Talk) -> Step:
    """The step in the words of what the conversation asked."""
    if step.who == LATER and talk.asked in BOUGHT_AFTER:
        return replace(step, key=f"{step.key}.bought")
    return step


def _comes_back(w: Writer, talk: _Talk, step: Step) -> bool:
    """Whether the fan has words to come back with days on that the batch has not said: if
    not, they do not write again ("Hab's nachgekocht und alle wollten das Rezept. Danke
    nochmal!" from three people in one batch: round 51)."""
    if not w.capped:
        return True
    return w.said.unsaid(w.speaking(talk.language).options(step.key, talk.scene))


def _answer_to(rng: random.Random, talk: _Talk, profile: DemoProfile) -> str:
    """A brand's offer against the account's one rate: taken when it is met, else talked up to
    the rate or declined (round 29's reader: £2,300 "under my rate", then £2,000 taken)."""
    rate = _account_rate(str(profile.account_id), profile.seed)
    # as both are quoted: in the audience's currency, to the hundred; an offer a hundred or
    # two short is taken, not haggled over (round 56's reader: £2,700 countered with £2,800)
    if _quoted(talk.budget, profile.locale) >= _quoted(rate * CLOSE_ENOUGH, profile.locale):
        return "yes"
    return "counter" if rng.random() < 0.6 else "no"


def _meets(talk: _Talk, profile: DemoProfile) -> bool:
    """Whether a brand can stretch to the creator's rate: at most MEETS_UP_TO its budget."""
    return _account_rate(str(profile.account_id), profile.seed) <= talk.budget * MEETS_UP_TO


@functools.lru_cache(maxsize=4096)
def _account_rate(account_id: str, seed: int) -> float:
    """What the account charges for a video, in dollars: the same to every brand."""
    return round(random.Random(f"{account_id}:{seed}:rate").uniform(*ACCOUNT_RATE), -2)


def _next(rng: random.Random, step: Step) -> str:
    if not step.then:
        return ""
    states = [s for s, _ in step.then]
    return weighted(rng, states, [n for _, n in step.then])


def _open(
    w: Writer,
    kind: str,
    post: Content | None,
    talked: set[str],
    dm_asked: Counter[str],
    dm_said: set[str],
) -> _Talk:
    rng = w.rng
    persona = w.profile.persona
    if kind.startswith("collab"):
        fan, brand, rep = people.brand_rep(
            rng, persona, w.home.language, talked, people.first_name(w.creator_author)
        )
        language = w.home.language
    elif kind == "spam":
        fan, brand, rep, language = people.spammer(rng, w.home.language), "", "", w.home.language
    else:  # (an order, a charge, a sale in the account's language: "Mi pedido #69276 nunca
        # llegó" in an English inbox read as a template's, round 69)
        # (and fewer of them in DMs than in comments: a whole conversation in Spanish, the
        # creator answering "£379 en Amazon ahora mismo", read as a template's to round 74's
        # readers in two inboxes of three)
        anyone = kind in ANY_LANGUAGE and rng.random() < DM_ANY_LANGUAGE
        fan, language = w.someone(None if anyone else w.home.language)
        brand = rep = ""
    sheet = fact_sheet(w.profile, post.platform_id) if post else None
    speaker = w.speaking(language)
    tags: set[str] = {w.platform, persona.value, "dm", f"c_{w.country}"}
    picks: dict[str, str] = {}
    asked = ""
    if sheet is not None:
        tags |= sheet.tags | {"post"}
    if kind == "ask" and sheet is not None:
        asked, picks, more = _unasked(rng, sheet, dm_asked)  # (counted once it is asked)
        tags |= more
    creator = w.creator_author
    budget = round(rng.uniform(*BUDGET), -2)
    # (a brand's timeline, the one the batch's brands said least: "Dentro de unas tres semanas"
    # from two brands, round 85)
    timelines = speaker.book.slots["timeline"]
    timeline = w.said.least(rng, timelines) if brand else rng.choice(timelines)
    values: dict[str, object] = {
        "order": rng.randint(10_000, 99_999),
        "email": _email(rng, fan),
        "creator_name": people.first_name(creator),
        "brand": brand,
        "rep": rep,
        **_shop(w),
        "budget": _money(budget, w.profile.locale, step=100),
        "rate": _money(
            _account_rate(str(w.profile.account_id), w.profile.seed), w.profile.locale, step=100
        ),
        "day": rng.choice(speaker.book.slots["weekday"]),
        "timeline": timeline,
    }
    scene = Scene(sheet, frozenset(tags), picks, values)
    return _Talk(
        kind, fan, language, sheet, scene, asked, budget if brand else 0.0, dm_asked, dm_said
    )


def _unasked(
    rng: random.Random, sheet: FactSheet, dm_asked: Counter[str], other_than: str = ""
) -> tuple[str, dict[str, str], set[str]]:
    """A fact of the post to ask about in a DM, with the nouns it asks of: not the same thing
    asked of the same post twice in a batch's DMs, as a first question or a second ("Kann man
    das auch auf dem Steam Deck zocken?" twice, answered alike: round 46; "¿Puedo cambiar el
    huevo?" in one DM and the next, answered "¡El tofu funciona genial!" twice: round 60); of
    the draws, the one asked least ("zur Minecraft-Burg: was für Blöcke?", answered under the
    post, once a post's other facts were asked: this session's own reading)."""
    best: tuple[int, str, dict[str, str], set[str]] | None = None
    for _ in range(8):
        asked = _fact(rng, sheet, other_than, asked=dm_asked)
        picks, more = pick_nouns(rng, sheet, asked)
        times = dm_asked[asked_of(sheet, asked, picks)]
        if best is None or times < best[0]:
            best = (times, asked, picks, more)
        if not times:
            break
    assert best is not None
    return best[1], best[2], best[3]


def _count_asked(
    dm_asked: Counter[str], sheet: FactSheet, asked: str, picks: dict[str, str]
) -> None:
    dm_asked[asked] += 1
    dm_asked[asked_of(sheet, asked, picks)] += 1


def _email(rng: random.Random, fan: Author) -> str:
    """An address as people make them from their name, not from their handle: "laura.garcia",
    "lgarcia88", "laurag"."""
    words = people.ascii_words(fan.display_name.rstrip("."))
    first, last = words[0], (words[-1] if len(words) > 1 else "")
    if not last:  # ("t70@outlook.com" of a "Tom": round 55)
        local = f"{first}{rng.choice((rng.randint(10, 99), rng.randint(1980, 2005)))}"
        return f"{local}@{rng.choice(MAIL)}"
    local = rng.choice(
        [f"{first}.{last}", f"{first[0]}{last}{rng.randint(70, 99)}", f"{first}{last[:1]}",
         f"{first}{last}", f"{first}.{last}{rng.randint(1, 9)}"]
    ).strip(".")  # fmt: skip
    return f"{local}@{rng.choice(MAIL)}"


def _shop(w: Writer) -> dict[str, object]:
    """What the account sells and whether it coaches, the same in every conversation."""
    p = w.profile
    return dict(_account_shop(str(p.account_id), p.seed, p.locale))


@functools.lru_cache(maxsize=4096)
def _account_shop(account_id: str, seed: int, locale: str) -> tuple[tuple[str, object], ...]:
    rng = random.Random(f"{account_id}:{seed}:shop")
    # (what the audience can pay: a guide at R$ 225 read as steep to round 67's reader)
    country = locale.rpartition("_")[2].upper()
    means = MEANS.get(country, 1.0)
    return (
        ("coach_price", _money(rng.uniform(*COACHING) * means, locale)),
        ("shop_price", _money(rng.uniform(*SHOP) * means, locale)),
        ("coaches", rng.random() < 0.6),
        ("phone", rng.choice(FILMED_ON)),
        ("editor", rng.choice(EDITED_IN)),
    )


# questions answered with something besides the post's subject: the gear, what instead (what
# it works with is answered "yes": round 83's reader, "one more thing: what does the Steam Deck
# OLED cost now?" after "will the Steam Deck OLED work with a TV?")
OF_SOMETHING_ELSE = (Fact.GEAR, Fact.SWAP)
# what a question's answer tells too, not asked after it: where it is sold comes with its
# price and the other way round; the price of what one "can't afford" is known ("não tenho
# como pagar isso, o que você compraria no lugar?", then "qual o valor?": round 56)
ANSWERED_WITH: dict[str, tuple[Fact, ...]] = {
    Fact.PRICE: (Fact.WHERE,),
    Fact.WHERE: (Fact.PRICE,),
    Fact.SWAP: (Fact.PRICE, Fact.WHERE),
}


def _fact(
    rng: random.Random, sheet: FactSheet, other_than: str = "", asked: Counter[str] | None = None
) -> str:
    """A fact of the post to ask about in a DM: not the one just asked, and one the batch's
    DMs asked already less often ("¿Esto lo puede hacer alguien que no sabe cocinar?" and
    "¿Esto lo puede hacer alguien que está empezando a cocinar?": round 45)."""
    answered = ANSWERED_WITH.get(other_than, ())
    facts: list[Fact] = [
        f for f in sheet.asks if f != other_than and f is not Fact.LINK and f not in answered
    ]
    facts = facts or list(sheet.asks)
    again = asked or Counter[str]()
    return weighted(rng, facts, [ASKED[f] / (1 + AGAIN * again[f.value]) for f in facts]).value


def _message(
    w: Writer, talk: _Talk, step: Step, state: str, at: datetime, item_id: str, conversation: str
) -> WebhookInteraction:
    rng = w.rng
    speaker = w.speaking(talk.language)
    creator = step.who == CREATOR
    scene = talk.scene
    if creator:
        scene = Scene(scene.sheet, scene.tags | {"creator"}, scene.picks, scene.values)

    first = talk.asked  # what was asked before this message (compose may be drawn again)
    tries = 0
    asking: dict[str, tuple[str, Scene]] = {}  # each question drawn: what it asks, and how
    frames: dict[str, str] = {}  # each answer or question drawn: the template it says
    also: dict[str, str] = {}  # each question said as one more: how it said so
    # a first question that names the post itself, where one does, before any opening ("Sobre
    # tu vídeo del pan…", "una cosa sobre el chili con carne:", "Pregunta rápida sobre el
    # chili con carne:" in three DMs of five: round 83's reader)
    plain = step.key == "ask" and rng.random() < DM_NAMED_ITSELF

    def compose() -> str:
        nonlocal tries
        tries += 1
        if step.key == "ask":  # a question about a post: what it is about, then the question
            asked, about = talk.asked, talk.scene
            if tries > TRIES // 2 and talk.sheet is not None:
                # its ways to ask that were said as often as a batch bears (a question three
                # times, in a comment and two DMs: round 31): something else about the post
                asked, picks, more = _unasked(rng, talk.sheet, talk.dm_asked, first)
                about = Scene(scene.sheet, scene.tags | more, picks, scene.values)
            # an opening as often as a batch bears, then the question alone ("¡Hola! Acabo de
            # ver tu vídeo del programa de 12 semanas." three times: round 40)
            # (and none once the draws so far said a sentence the batch said twice: "Acabo de
            # ver tu vídeo del combate contra Malenia." in three DMs, round 56)
            # (an opening once a batch: "¡Hola! Sobre tu vídeo del ramen de 15 minutos." in two
            # DMs one after the other, round 59)
            unnamed = Scene(about.sheet, about.tags | {NAMED}, about.picks, about.values)
            within = _named_within(speaker, about)
            # (and one only before a question that says "it": not "question about the 5K plan:
            # how long is the 5K plan altogether?", round 73)
            # (nor before one that asks after something its name holds: "Re your reel on the
            # chili: which chili powder do you go with?")
            says_it = not within and not all(
                NAMES_SUBJECT.search(o) for o in speaker.options(f"ask.{asked}", unnamed)
            )
            opening = (
                speaker.say_fresh("dm.ask.open", scene, once=True)
                if tries <= TRIES // 2 and says_it and not plain
                else None
            )
            # (each once a batch: "¿El ramen de 15 minutos sirve para…?", then "¿El pan de masa
            # madre sirve para…?" three DMs on: round 64)
            naming = [] if opening is not None or within else [
                o for o in speaker.options(f"ask.{asked}", about)
                if NAMES_SUBJECT.search(o) and len(o.split()) >= DM_QUESTION_WORDS
                and not (speaker.capped and speaker.said.used.get(o, 0)) and o not in talk.dm_said
            ]  # fmt: skip
            if not naming and opening is None and not within:
                # a question that says "it" goes after an opening that names the post, even one
                # the batch said before, or it names the post itself ("how long is it?" alone
                # in an inbox: of which post? round 80's reader read it as the one above)
                opening = speaker.say_fresh("dm.ask.open", scene) if says_it else None
                naming = [] if opening is not None else [
                    o for o in speaker.options(f"ask.{asked}", about)
                    if NAMES_SUBJECT.search(o) and o not in talk.dm_said
                ]  # fmt: skip
            if naming:  # (a question that says what it is about)
                template = speaker.fresher(naming, whole=True)
                message = speaker.write(template, about)
            elif opening is None:  # the question alone, its openings said (or worn out)
                # (what it asks after named alone: "What chili powder did you use for the
                # chili?", round 74)
                alone = unnamed if within else about
                message, template = _asked_whole(speaker, f"ask.{asked}", alone, talk.dm_said)
            else:
                # the opening named the post's subject: the question says "it" ("quick one
                # about the Keychron Q1 TikTok: where can I find the Keychron Q1", round 33)
                question, template = _asked_whole(speaker, f"ask.{asked}", unnamed, talk.dm_said)
                if (
                    opening.endswith(":")
                    and talk.language != "de"
                    and not question.startswith("I ")
                ):
                    question = lower_first(question, talk.language)  # "…skin: o que eu uso"
                message = f"{opening} {question}"
            typed = speaker.typed(message, talk.fan, question=True)
            asking[typed] = (asked, about)
            frames[typed] = template
            return typed
        if step.key == "more":
            if talk.sheet is not None:
                asked, picks, more = _unasked(rng, talk.sheet, talk.dm_asked, first)
            else:
                asked, picks, more = first, {}, set()
            # (the subject named once: "Shadow of the Erdtree" in full twice in one chat,
            # round 52)
            # (but after a question about something else, named: "what bench was that?", then
            # "what did you end up paying for them?" of the dumbbells, round 57)
            # (and "it" wherever what it asks after holds the name: `_named_within`)
            about = Scene(scene.sheet, talk.scene.tags | more, picks, scene.values)
            if first not in OF_SOMETHING_ELSE or _named_within(speaker, about):
                about = Scene(about.sheet, about.tags | {NAMED}, about.picks, about.values)
            question, template = _asked_whole(speaker, f"ask.{asked}", about, talk.dm_said)
            # (each way once in the DMs while there are others: "Perdona, una más:" from two
            # people, round 76)
            more_said = _unrepeated(speaker, talk, "dm.more", about, frames)
            # (and after a colon: "sorry, one more: Roughly how long…", round 46)
            # ("Oh and Which bench do you buy?": round 55)
            small = (
                more_said.endswith(",")
                or more_said[-1:].isalpha()
                or (more_said.endswith(":") and talk.language != "de")
            )
            if small and not question.startswith(("I ", "I'")):
                question = lower_first(question, talk.language)
            typed = speaker.typed(f"{more_said} {question}", talk.fan, question=True)
            # (the question kept is answered, not the last one drawn: "que gel é esse?" was
            # answered "Super tranquilo! Se travar, me chama", round 36)
            asking[typed] = (asked, about)
            frames[typed] = template
            also[typed] = frames[more_said]
            return typed
        if step.key == "creator":
            answer_scene = Scene(scene.sheet, talk.scene.tags | {"creator"}, talk.scene.picks,
                                 scene.values)  # fmt: skip
            return _unrepeated(speaker, talk, f"creator.{talk.asked}", answer_scene, frames)
        if creator:
            return _unrepeated(speaker, talk, step.key, scene, frames)
        # what a fan writes said once a batch while there are other ways ("¡Hola! ¿Con qué
        # grabas?", then "Hola! Con que grabas?" two DMs on: round 61; "Súper útil, gracias"
        # twice in three DMs: round 64)
        # (and once worn out, in words no other DM said: "Entendi, muito obrigado" and
        # "Entendi, muito obrigada" closing two chats of five, round 76)
        text = speaker.say_fresh(step.key, scene, once=True) or _unrepeated(
            speaker, talk, step.key, scene, frames
        )
        # a brand writes as a business does: no thumb slips on its own name
        if creator or talk.scene.values["brand"]:
            return text
        typed = speaker.typed(text, talk.fan)
        frames[typed] = frames.get(text, text)
        return typed

    # said whole: a first message cut to its greeting ("Hey!") would be answered as if it had
    # said what it was about (round 29's crisis: "Hi" → "Which email is the order under?")
    text = w.fresh(compose, keep=True, whole=creator or state == "open") or ""
    if creator:
        talk.dm_said.update((text, frames.get(text, text)))
    elif text in frames:  # a fan's line, by its template
        talk.dm_said.add(frames[text])
        if text in also:  # and how it said one more
            talk.dm_said.add(also[text])
    if text in asking:  # the conversation goes on from the question kept (any draw's)
        talk.asked, talk.scene = asking[text]
        if step.key in ("ask", "more") and talk.sheet is not None:
            _count_asked(talk.dm_asked, talk.sheet, talk.asked, dict(talk.scene.picks))
    intent, sentiment = step.labels
    return WebhookInteraction(
        account_id=w.profile.account_id,
        platform=w.profile.platform,
        platform_id=item_id,
        kind=InteractionKind.DM,
        author=w.creator_author if creator else talk.fan,
        text=text,
        occurred_at=at,
        intent=intent,
        sentiment=sentiment,
        is_demo=True,
        conversation_id=conversation,
        topic=_topic(w, talk),
        language=talk.language,
    )


def _unrepeated(
    speaker: Writer, talk: _Talk, key: str, scene: Scene, frames: dict[str, str]
) -> str:
    """What the creator (or a fan whose words the batch wore out) says, in words and a frame
    not said in another DM of the batch while the phrasebook has others ("¡Sin problema! Lo
    pensé para quien empieza" in two DMs running, whatever the threads wore out: round 61;
    "Yes, works great with eSIM", then "Yes, works great with Plex": round 63)."""
    text, template = speaker.say_other(key, scene, talk.dm_said, DRAWS)
    frames[text] = template
    return text


def _topic(w: Writer, talk: _Talk) -> str:
    """What the conversation is about, as the wire's topic."""
    persona = w.profile.persona.value
    if talk.kind == "spam":
        return "spam"
    if talk.kind in ("ask", "praise", "react") and talk.sheet is not None:
        return w.label(talk.sheet)
    if talk.kind.startswith("collab"):
        return str(talk.scene.values["brand"])
    if talk.kind in ("gear", "request", "react"):
        return w.home.phrases[f"topic.{talk.kind}"]
    if talk.kind == "coaching":
        return w.home.phrases[f"coach.{persona}"]
    if talk.kind in ("order", "restock"):
        return w.home.phrases[f"merch.{persona}"]
    return w.home.phrases[f"digital.{persona}"]


def _quoted(dollars: float, locale: str) -> int:
    """An amount as a brand or the creator quotes it: in the audience's currency, to the 100."""
    return int(
        round(dollars * CURRENCIES.get(locale.rpartition("_")[2].upper(), CURRENCIES[""])[1] / 100)
        * 100
    )


def _money(dollars: float, locale: str, step: int = 1) -> str:
    """An amount in the audience's currency, rounded as people quote it: $1,500, 1.500 €."""
    symbol, rate, first = CURRENCIES.get(locale.rpartition("_")[2].upper(), CURRENCIES[""])
    amount = dollars * rate
    whole = int(round(amount / step) * step) if step > 1 else int(amount // 5 * 5 + 5)
    text = f"{whole:,}"
    if not first or symbol.strip() == "R$":
        text = text.replace(",", ".")
    return f"{symbol}{text}" if first else f"{text} {symbol}"


def _answered_at(rng: random.Random, asked: datetime) -> datetime:
    """Minutes to hours later (median ~1.5 h; two minutes at least: read, then typed), moved
    into the creator's waking hours."""
    at = asked + timedelta(minutes=min(max(2.0, rng.lognormvariate(4.5, 1.1)), 36 * 60))
    return awake(rng, at, CREATOR_HOURS, 90)


def awake(rng: random.Random, at: datetime, hours: range, within: float) -> datetime:
    """`at`, or where it falls outside the waking `hours` (UTC), the next morning's start
    and up to `within` minutes after it."""
    if at.hour in hours:
        return at
    morning = at.replace(hour=hours.start, minute=0, second=0, microsecond=0)
    if morning <= at:
        morning += timedelta(days=1)
    return morning + timedelta(minutes=rng.uniform(0, within))


def _named_within(speaker: Writer, scene: Scene) -> bool:
    """Whether what a question asks after is in the name of the post's subject, which naming
    both would say twice ("¿Qué mantequilla tostada usaste para las galletas de mantequilla
    tostada?": round 70), or the other way round ("What chili powder did you use for the
    chili?")."""
    gear = scene.picks.get("k")
    if not gear or scene.sheet is None:
        return False
    named = speaker.book.noun(scene.sheet.subject.key).bare.lower()
    asked = speaker.book.noun(gear).bare.lower()
    return asked in named or named in asked


def _asked_whole(speaker: Writer, key: str, scene: Scene, dm_said: set[str]) -> tuple[str, str]:
    """A question as a message asks it, in a few words at least (not a comment's "cost?" after
    "Hi! About your TikTok on the MacBook Air:": round 32's reader read three such), and its
    template."""
    found = speaker.options(key, scene)
    whole = [o for o in found if len(o.split()) >= DM_QUESTION_WORDS] or found
    # one no other DM asked, while there is one ("… is a bit out of my budget, what would you
    # get instead?" in two DMs of an inbox, the comments having worn out every way: round 75)
    fresh = [o for o in whole if o not in dm_said] or whole
    # (and the batch has not asked, while there is one: "i'm just starting out, can i still do
    # this?" in two DMs about two reels, round 59)
    unasked = [o for o in fresh if not speaker.said.used.get(o, 0)] if speaker.capped else []
    template = speaker.fresher(unasked or fresh, whole=True)
    return speaker.write(template, scene), template


DM_QUESTION_WORDS = 3
DM_NAMED_ITSELF = 0.45  # of first questions, those that would rather name the post themselves
# of first messages that start with a greeting: the greeting sent on its own first
GREETING_APART = 0.2  # (0.3 in round 46: "a greeting on its own, every time")
GREETED_APART = ("ask", "order", "charged", "charged_email", "download", "coaching", "buy",
                 "restock", "praise", "gear")  # fmt: skip
_GREETING = {
    language: re.compile(rf"^((?:{words})(?: [A-ZÀ-Ü]\w+)?[!,.]*) +(\S.*)$", re.I)
    for language, words in (
        ("en", "hi|hey|hello|hiya|hi there|hey there"),
        ("es", "¡?hola|buenas|¡?ey"),
        ("pt", "oi|olá|ola|oie"),
        ("de", "hi|hey|hallo|moin|servus|hallöchen"),
    )
}
# a fan's thanks at the end, now and then an emoji alone
THANKED = ("dm.thanks", "dm.thanks_fixed", "dm.download.works", "dm.restock.ok")
THANKS_IN_EMOJI = 0.2
THANKS_EMOJI = ("🙏", "❤️", "🙌", "🥹", "👍", "🙏🙏", "❤️❤️", "🫶")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
