"""DM conversations: a fan writes, the creator answers after minutes to hours in the daytime,
the fan follows up. The number of DMs stays the batch's: every message counts, the
creator's too."""

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta

from app.domain.generation.writer import Writer
from app.domain.inbox import Intent, Sentiment, WebhookInteraction

# messages per conversation: most people write once, some go back and forth
LENGTHS = {1: 42, 2: 24, 3: 15, 4: 9, 5: 4, 6: 3, 7: 2, 8: 1}
CREATOR_HOURS = range(9, 23)  # when the creator answers (UTC)


def conversations(
    w: Writer,
    count: int,
    since: datetime,
    now: datetime,
    first: Callable[[datetime, int], WebhookInteraction],
    message_id: Callable[[int], str],
    conversation_id: Callable[[int], str],
) -> list[WebhookInteraction]:
    """`count` messages in conversations started between since and now; `first(at, n)`
    writes a fan's opening message, the n-th message overall, `message_id(n)` names the
    others. A conversation stays in the language the fan opened it in."""
    rng = w.rng
    made: list[WebhookInteraction] = []
    started = 0
    while len(made) < count:
        length = min(
            rng.choices(list(LENGTHS), weights=list(LENGTHS.values()))[0], count - len(made)
        )
        at = since + (now - timedelta(seconds=60) - since) * rng.random()
        opening = replace(first(at, len(made)), conversation_id=conversation_id(started))
        started += 1
        made.append(opening)
        speaker = w.speaking(opening.language or w.language)
        book = speaker.book
        if opening.intent is Intent.SPAM or opening.intent not in book.creator_dms:
            continue  # nobody answers spam
        topic = speaker.topic_named(opening.topic)
        said: set[str] = set()
        previous = opening
        for step in range(1, length):
            creator_turn = step % 2 == 1
            at = (
                _answered_at(rng, previous.occurred_at)
                if creator_turn
                else _followed_at(rng, previous.occurred_at)
            )
            if at >= now:
                break  # still waiting for an answer
            if creator_turn:
                templates = book.creator_dms[opening.intent] if step == 1 else book.closings
                author = w.creator_author
            else:
                templates, author = book.follow_ups, opening.author
            # not the same words twice in one conversation
            template = rng.choice([t for t in templates if t not in said] or templates)
            said.add(template)
            previous = replace(
                opening,
                platform_id=message_id(len(made)),
                author=author,
                text=speaker.fill(template, topic),
                occurred_at=at,
                intent=Intent.OTHER,
                sentiment=Sentiment.POSITIVE,
            )
            made.append(previous)
    return made


def _answered_at(rng: random.Random, asked: datetime) -> datetime:
    """Minutes to hours later (median ~1.5 h), moved into the creator's waking hours."""
    at = asked + timedelta(minutes=min(rng.lognormvariate(4.5, 1.1), 36 * 60))
    if at.hour not in CREATOR_HOURS:
        next_morning = at.replace(hour=CREATOR_HOURS.start, minute=0, second=0, microsecond=0)
        if next_morning <= at:
            next_morning += timedelta(days=1)
        at = next_morning + timedelta(minutes=rng.uniform(0, 90))
    return at


def _followed_at(rng: random.Random, answered: datetime) -> datetime:
    return answered + timedelta(minutes=rng.expovariate(1 / 40) + 1)
