"""Comments that answer each other: fans reply to fans, the creator answers questions and
complaints. The number of comments on a post stays its target: replies are some of them."""

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from app.domain.demo import Content
from app.domain.generation.writer import Writer
from app.domain.inbox import Author, Intent, Sentiment, WebhookInteraction

FAN_REPLY_SHARE = 0.14  # of the comments that are not the creator's answers
MAX_THREAD = 6  # a comment and its replies
CREATOR_ANSWERS = {Intent.QUESTION: 0.55, Intent.COMPLAINT: 0.45, Intent.SUPPORT: 0.6}
ANSWER_WITHIN = timedelta(hours=24)
MENTION_SHARE = 0.4


@dataclass
class _Slot:
    at: datetime
    answers: int | None = None  # the index of the comment the creator answers here


def thread_comments(
    w: Writer,
    post: Content,
    times: Sequence[datetime],
    top_level: Callable[[datetime, int], WebhookInteraction],
    reply_id: Callable[[int], str],
    pick_fan: Callable[[], tuple[Author, str]],
) -> list[WebhookInteraction]:
    """One comment per time (sorted); some become replies to earlier ones. The creator's
    answer to a question takes the first slot at least a realistic delay after it, within
    a day; fans reply to recent comments, questions and complaints most."""
    rng = w.rng
    slots = [_Slot(at) for at in sorted(times)]
    made: list[WebhookInteraction] = []
    root_of: list[int] = []  # each comment's thread root
    size: dict[int, int] = {}  # comments per thread, by root
    for k, slot in enumerate(slots):
        parent = _parent(rng, made, root_of, size, slot) if slot.answers is None else None
        if slot.answers is not None:
            item = _creator_reply(w, made[slot.answers], slot.at, reply_id(k))
            root = root_of[slot.answers]
        elif parent is not None:
            author, language = pick_fan()
            item = _fan_reply(w.speaking(language), made[parent], slot.at, reply_id(k), author)
            root = root_of[parent]
        else:
            item = top_level(slot.at, k)
            root = k
            chance = CREATOR_ANSWERS.get(item.intent) if item.intent else None
            if chance is not None and rng.random() < chance:
                _reserve(rng, slots, k)
        made.append(item)
        root_of.append(root)
        size[root] = size.get(root, 0) + 1
    return made


def _reserve(rng: random.Random, slots: list[_Slot], k: int) -> None:
    """The first free later slot past a delay of minutes to hours, if within a day."""
    delay = timedelta(minutes=min(rng.lognormvariate(4.2, 1.0), 23 * 60))  # median ~1 h
    asked = slots[k].at
    for slot in slots[k + 1 :]:
        if slot.answers is None and slot.at > asked + delay and slot.at - asked <= ANSWER_WITHIN:
            slot.answers = k
            return


def _parent(
    rng: random.Random,
    made: list[WebhookInteraction],
    root_of: list[int],
    size: dict[int, int],
    slot: _Slot,
) -> int | None:
    if not made or rng.random() >= FAN_REPLY_SHARE:
        return None
    weights = []
    for i, item in enumerate(made):
        if size[root_of[i]] >= MAX_THREAD or item.occurred_at >= slot.at or item.author.is_creator:
            weights.append(0.0)
            continue
        hours = (slot.at - item.occurred_at).total_seconds() / 3600
        heat = 3.0 if item.sentiment is Sentiment.NEGATIVE or item.intent is Intent.QUESTION else 1
        weights.append(heat / (1 + hours / 6))
    if not any(weights):
        return None
    return rng.choices(range(len(made)), weights=weights)[0]


def _fan_reply(
    w: Writer, parent: WebhookInteraction, at: datetime, platform_id: str, author: Author
) -> WebhookInteraction:
    """A fan's answer, in the language `w` speaks."""
    replies = w.book.replies
    intent = parent.intent if parent.intent in replies else Intent.OTHER
    text = w.vary(w.fill(w.rng.choice(replies[intent]), w.topic_named(parent.topic)))
    if w.rng.random() < MENTION_SHARE:
        text = f"@{parent.author.handle} {text[:1].lower() + text[1:]}"
    agrees = intent in (Intent.PRAISE, Intent.PURCHASE_INTENT)
    return replace(
        parent,
        platform_id=platform_id,
        author=author,
        text=text,
        occurred_at=at,
        intent=Intent.PRAISE if agrees else Intent.OTHER,
        sentiment=Sentiment.POSITIVE if agrees else Sentiment.NEUTRAL,
        in_reply_to=parent.platform_id,
        language=w.language,
    )


def _creator_reply(
    w: Writer, parent: WebhookInteraction, at: datetime, platform_id: str
) -> WebhookInteraction:
    """The creator's answer, in the account's language."""
    assert parent.intent is not None
    book = w.book
    text = w.fill(w.rng.choice(book.creator_replies[parent.intent]), w.topic_named(parent.topic))
    if w.rng.random() < 0.4:  # the creator's own way of starting, with the fan's first name
        first = parent.author.display_name.split()[0]
        opening = w.rng.choice(book.creator_openings).format(name=first)
        if opening.endswith(","):  # "Hey Scott, yes! ..." goes on in the same sentence
            text = text[:1].lower() + text[1:]
        text = f"{opening} {text}"
    if w.rng.random() < 0.5:
        text = f"{text} {w.rng.choice(w.persona_emoji)}"
    if w.rng.random() < MENTION_SHARE:
        text = f"@{parent.author.handle} {text}"
    return replace(
        parent,
        platform_id=platform_id,
        author=w.creator_author,
        text=text,
        occurred_at=at,
        intent=Intent.OTHER,
        sentiment=Sentiment.POSITIVE,
        in_reply_to=parent.platform_id,
        language=w.language,
    )
