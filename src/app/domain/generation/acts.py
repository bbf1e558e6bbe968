"""Acts: what each generated item does (asks a price, praises, complains, answers, calls out
spam, …), the labels it carries on the wire, and which acts may answer it.

Acts stay inside generation: the wire keeps intent, sentiment, topic and language, and they
follow from the act, so the labels keep agreeing with the words.
"""

import enum
from dataclasses import dataclass

from app.domain.generation.facts import Fact, FactSheet, Kind
from app.domain.inbox import Intent, Sentiment
from app.domain.platforms import PlatformFacts


class Act(enum.StrEnum):
    # said on a post
    ASK = "ask"  # a fact of the sheet
    WANT = "want"  # buying it (where something is sold)
    PLAN = "plan"  # going to make, do, visit it
    PRAISE = "praise"
    REACT = "react"  # a few words or emoji
    TRIED = "tried"  # made it, did it, went there: how it went
    FIRST = "first"
    COMPLAINT = "complaint"
    SUPPORT = "support"
    SPAM = "spam"
    COLLAB = "collab"
    JOKE = "joke"
    OFF_TOPIC = "off_topic"
    TAG = "tag"  # a friend tagged: "@sam we need to try this"
    # said in reply
    ANSWER = "answer"  # the fact asked for
    PLUS_ONE = "plus_one"  # wondering too
    POINT = "point"  # it's in the description / bio
    THANKS = "thanks"  # the asker, for an answer or a fix
    CREATOR_THANKS = "creator_thanks"  # the creator, for praise
    AGREE = "agree"
    AGREE_COMPLAINT = "agree_complaint"
    COUNTER = "counter"  # a fan disagreeing with a complaint
    REBUT = "rebut"  # the next round of a disagreement
    SETTLE = "settle"  # its end
    APOLOGY = "apology"  # the creator, for a complaint, with what happens next
    SAME_ISSUE = "same_issue"
    HELP = "help"  # a fan helping with a support issue
    CREATOR_HELP = "creator_help"
    CALL_OUT = "call_out"  # spam called out
    LAUGH = "laugh"
    TAGGED = "tagged"  # the tagged friend answers
    WANT_TOO = "want_too"
    ENJOY = "enjoy"  # the creator, to someone buying or making it
    COLLAB_REPLY = "collab_reply"


# the wire's labels of each act: its intent and how its sentiments are spread
_POS, _NEU, _NEG = Sentiment.POSITIVE, Sentiment.NEUTRAL, Sentiment.NEGATIVE
LABELS: dict[Act, tuple[Intent, tuple[tuple[Sentiment, int], ...]]] = {
    Act.ASK: (Intent.QUESTION, ((_NEU, 8), (_POS, 2))),
    Act.WANT: (Intent.PURCHASE_INTENT, ((_POS, 9), (_NEU, 1))),
    Act.PLAN: (Intent.OTHER, ((_POS, 1),)),
    Act.PRAISE: (Intent.PRAISE, ((_POS, 1),)),
    Act.REACT: (Intent.PRAISE, ((_POS, 1),)),
    Act.TRIED: (Intent.PRAISE, ((_POS, 1),)),
    Act.FIRST: (Intent.OTHER, ((_POS, 1),)),
    Act.COMPLAINT: (Intent.COMPLAINT, ((_NEG, 1),)),
    Act.SUPPORT: (Intent.SUPPORT, ((_NEG, 6), (_NEU, 4))),
    Act.SPAM: (Intent.SPAM, ((_NEU, 1),)),
    Act.COLLAB: (Intent.COLLAB_REQUEST, ((_POS, 1),)),
    Act.JOKE: (Intent.OTHER, ((_POS, 1),)),
    Act.OFF_TOPIC: (Intent.OTHER, ((_NEU, 6), (_POS, 4))),
    Act.TAG: (Intent.OTHER, ((_POS, 1),)),
    Act.ANSWER: (Intent.OTHER, ((_NEU, 1),)),
    Act.PLUS_ONE: (Intent.QUESTION, ((_NEU, 1),)),
    Act.POINT: (Intent.OTHER, ((_NEU, 1),)),
    Act.THANKS: (Intent.OTHER, ((_POS, 1),)),
    Act.CREATOR_THANKS: (Intent.OTHER, ((_POS, 1),)),
    Act.AGREE: (Intent.PRAISE, ((_POS, 1),)),
    Act.AGREE_COMPLAINT: (Intent.COMPLAINT, ((_NEG, 1),)),
    Act.COUNTER: (Intent.OTHER, ((_NEU, 1),)),
    Act.REBUT: (Intent.OTHER, ((_NEG, 1),)),
    Act.SETTLE: (Intent.OTHER, ((_NEU, 1),)),
    Act.APOLOGY: (Intent.OTHER, ((_POS, 1),)),
    Act.SAME_ISSUE: (Intent.SUPPORT, ((_NEG, 1),)),
    Act.HELP: (Intent.OTHER, ((_NEU, 1),)),
    Act.CREATOR_HELP: (Intent.OTHER, ((_POS, 1),)),
    Act.CALL_OUT: (Intent.OTHER, ((_NEG, 1),)),
    Act.LAUGH: (Intent.OTHER, ((_POS, 1),)),
    Act.TAGGED: (Intent.OTHER, ((_POS, 1),)),
    Act.WANT_TOO: (Intent.PURCHASE_INTENT, ((_POS, 1),)),
    Act.ENJOY: (Intent.OTHER, ((_POS, 1),)),
    Act.COLLAB_REPLY: (Intent.OTHER, ((_POS, 1),)),
}

# how often each act opens a comment on a post (REACT and PRAISE are most of what people say)
TOP_LEVEL: tuple[tuple[Act, int], ...] = (
    (Act.PRAISE, 20),
    (Act.REACT, 15),  # (18 before round 81: one-word praise in runs, every round since 60)
    (Act.TRIED, 7),
    (Act.ASK, 24),  # (21 before round 48: a question asked again, or of a thing asked under two
    # posts, is another kind of comment more often now)
    (Act.WANT, 4),  # PLAN where nothing is sold
    (Act.COMPLAINT, 9),
    (Act.SUPPORT, 3),
    (Act.SPAM, 2),  # (3 before round 33: "the same three bots on nearly every post")
    (Act.COLLAB, 1),
    (Act.JOKE, 5),
    # "watching this instead of sleeping": 5 before, a steady drip (round 16); 3 before round
    # 33; 2 before round 35 ("one 'where I'm watching from' comment per post, like a quota")
    (Act.OFF_TOPIC, 1),
    (Act.TAG, 6),
    (Act.FIRST, 1),
)


def top_level_weights(platform: PlatformFacts) -> tuple[tuple[Act, ...], tuple[int, ...]]:
    """The acts of top-level comments on the platform, and how often each is drawn: a friend
    is tagged where the tag reaches them; "First!" only where people say it."""
    acts = tuple(act for act, _ in TOP_LEVEL)
    weights = tuple(
        platform.friend_tags if act is Act.TAG else 0 if act is Act.FIRST and not platform.firsts
        else n
        for act, n in TOP_LEVEL
    )  # fmt: skip
    return acts, weights


# how often each fact is asked about, where the sheet has it
ASKED: dict[Fact, int] = {
    Fact.PRICE: 4,
    Fact.WHERE: 2,
    Fact.LINK: 3,
    Fact.DURATION: 3,
    Fact.LEVEL: 3,
    Fact.WORKS: 2,
    Fact.GEAR: 3,
    Fact.SWAP: 3,
    Fact.SEASON: 3,
    Fact.STAY: 2,
    # what only this subject is asked (the steak's temperature, the boss's second phase): every
    # round of readers found no question about the thing itself
    Fact.DETAIL: 8,
}
# what a complaint is about, and where it can be
COMPLAINTS: tuple[tuple[str, int, frozenset[Kind] | None], ...] = (
    ("audio", 2, None),
    ("long", 2, None),
    # "wish you'd said more about X": not "you skipped X completely", which other comments
    # praising X contradicted (round 18)
    ("skipped", 2, None),
    # "it's worse than you say": of what was reviewed, not of the creator's own recipe
    ("verdict", 3, frozenset({Kind.PRODUCT, Kind.GAME, Kind.PLACE})),
    ("price", 2, frozenset({Kind.PRODUCT, Kind.GAME, Kind.PROGRAM})),
    ("result", 3, frozenset({Kind.RECIPE, Kind.ROUTINE, Kind.LOOK, Kind.PROGRAM})),
    ("clickbait", 1, None),  # titles and thumbnails: YouTube's
    ("sponsor", 1, None),
)
# about a video's title or its chapters: where the platform's posts have them
TITLED = ("clickbait", "find")
SUPPORT_ISSUES: tuple[tuple[str, int], ...] = (("link", 1), ("order", 2), ("find", 2))
# the creator answers these top-level acts this often (questions, complaints, support most)
CREATOR_ANSWERS: dict[Act, float] = {
    Act.ASK: 0.65,
    Act.COMPLAINT: 0.45,
    Act.SUPPORT: 0.8,
    Act.PRAISE: 0.06,
    Act.TRIED: 0.25,
    Act.PLAN: 0.1,
    Act.COLLAB: 0.3,
}
CREATOR_ACT: dict[Act, Act] = {
    Act.ASK: Act.ANSWER,
    Act.COMPLAINT: Act.APOLOGY,
    Act.SUPPORT: Act.CREATOR_HELP,
    Act.PRAISE: Act.CREATOR_THANKS,
    Act.TRIED: Act.CREATOR_THANKS,
    Act.PLAN: Act.ENJOY,
    Act.COLLAB: Act.COLLAB_REPLY,
}


class Who(enum.StrEnum):
    FAN = "fan"  # someone else than who wrote the parent
    ASKER = "asker"  # who wrote what the parent answered
    OTHER_SIDE = "other_side"  # in a disagreement: whom the parent answered
    TAGGED = "tagged"  # the friend the parent tagged


@dataclass(frozen=True, slots=True)
class Reply:
    act: Act
    weight: int
    who: Who = Who.FAN


# which acts answer an act, by a fan or by the person the thread is between (the creator's
# answers are planned apart, with a delay of their own)
REPLIES: dict[Act, tuple[Reply, ...]] = {
    Act.ASK: (Reply(Act.ANSWER, 4), Reply(Act.PLUS_ONE, 3), Reply(Act.POINT, 2)),
    Act.WANT: (Reply(Act.WANT_TOO, 1),),
    Act.PLAN: (Reply(Act.WANT_TOO, 1),),
    Act.PRAISE: (Reply(Act.AGREE, 1),),
    Act.TRIED: (Reply(Act.AGREE, 1),),
    Act.COMPLAINT: (Reply(Act.AGREE_COMPLAINT, 2), Reply(Act.COUNTER, 3)),
    Act.SUPPORT: (Reply(Act.SAME_ISSUE, 3), Reply(Act.HELP, 2)),
    Act.SPAM: (Reply(Act.CALL_OUT, 1),),
    Act.JOKE: (Reply(Act.LAUGH, 1),),
    Act.OFF_TOPIC: (Reply(Act.AGREE, 1),),
    Act.TAG: (Reply(Act.TAGGED, 1, Who.TAGGED),),
    Act.ANSWER: (Reply(Act.THANKS, 1, Who.ASKER),),
    Act.POINT: (Reply(Act.THANKS, 1, Who.ASKER),),
    Act.PLUS_ONE: (Reply(Act.ANSWER, 1),),
    Act.COUNTER: (Reply(Act.REBUT, 1, Who.OTHER_SIDE),),
    # (a rebuttal settled, not rebutted again: "justo, mas mesmo assim" / "não, mantenho o que
    # eu disse" / "beleza, vou testar isso" from who had tested it, rounds 39-41)
    Act.REBUT: (Reply(Act.SETTLE, 1, Who.OTHER_SIDE),),
    Act.APOLOGY: (Reply(Act.THANKS, 1, Who.ASKER),),
    Act.CREATOR_HELP: (Reply(Act.THANKS, 1, Who.ASKER),),
    Act.HELP: (Reply(Act.THANKS, 1, Who.ASKER),),
}
# how much more likely a fan replies under these than under praise
HEAT: dict[Act, float] = {
    Act.ASK: 3.0,
    Act.COMPLAINT: 3.5,
    Act.SUPPORT: 2.5,
    Act.SPAM: 1.5,
    Act.COUNTER: 4.0,
    Act.REBUT: 2.0,  # (4.0 before round 39)
    Act.ANSWER: 2.0,
    Act.APOLOGY: 2.0,
    Act.CREATOR_HELP: 2.0,
    Act.TAG: 3.0,
    Act.JOKE: 1.5,
    Act.HELP: 1.5,
}


def top_level_act(act: Act, sheet: FactSheet) -> Act:
    """WANT is buying: where nothing is bought (a recipe, a trip, a look), people plan to make,
    do or visit it."""
    if act is Act.WANT and (sheet.price is None or sheet.kind not in BOUGHT):
        return Act.PLAN
    return act


BOUGHT = (Kind.PRODUCT, Kind.GAME, Kind.PROGRAM)
