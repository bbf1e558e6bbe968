"""A person's answer to what a host said to them through an emulated platform API (SPEC.md
"Replies answered"): the conversation model's end of an exchange the host began.

What the host says is free text, so the answer claims nothing about it: asked something, the
person says they will look; told something, they thank the account, or let it be. Someone
who already answered the account in this thread or conversation lets it be: the exchange has
ended, as live ones do."""

import math
import random
from dataclasses import replace
from datetime import datetime, timedelta

from app.domain.demo import DemoProfile
from app.domain.generation.conversations import awake
from app.domain.generation.happenings import event
from app.domain.generation.people import mention
from app.domain.generation.writer import Scene, Writer
from app.domain.inbox import Intent, InteractionKind, Sentiment, WebhookInteraction
from app.domain.lifecycle import EventType, sends
from app.domain.platforms import facts_of

SILENT = 0.3  # of what the host says, what the person lets be
AWAKE = range(8, 23)  # when people answer (UTC, as the rest of generation's clock)
MEDIAN_MINUTES = 25.0  # log-normal: minutes to hours
SPREAD = 1.1
LONGEST = timedelta(hours=12)


def answer(
    profile: DemoProfile,
    said: WebhookInteraction,
    to: WebhookInteraction,
    item_id: str,
    delay_scale: float,
    answered_before: bool,
) -> WebhookInteraction | None:
    """The answer of the person `to` is from to the account's `said` (a reply to their
    comment, or a message in their conversation), or None when they let it be. It comes a
    human delay later (`delay_scale` times it; 0: at once), in the language they wrote in."""
    if to.intent is Intent.SPAM:  # a bot posts its pitch and answers no one ("Thanks!! 🙏"
        return None  # from a trading-signals account, thanked by mistake: this session's demo)
    w = Writer(profile, f"answer:{said.platform_id}")
    if answered_before or w.rng.random() < SILENT:
        return None
    asked = said.text.rstrip().endswith("?")
    key = "host.asked" if asked else ("dm.thanks" if said.kind is InteractionKind.DM else "thanks")
    speaker = w.speaking(to.language or w.language)
    text = speaker.say(key, Scene(None, frozenset({"reply"})))
    facts = facts_of(profile.platform)
    nested = said.kind is InteractionKind.COMMENT and facts.nested_replies
    if said.kind is InteractionKind.COMMENT and not nested:  # under the top comment: named
        text = f"{mention(said.author, facts.tags_by_name)} {text}"
    return replace(
        to,
        platform_id=item_id,
        text=text,
        occurred_at=_later(w.rng, said.occurred_at, delay_scale),
        intent=Intent.OTHER,
        sentiment=Sentiment.NEUTRAL if asked else Sentiment.POSITIVE,
        # Instagram's threads are one level: under the top comment; X's answer the reply
        in_reply_to=said.platform_id if nested else said.in_reply_to,
    )


def seen(
    profile: DemoProfile,
    said: WebhookInteraction,
    to: WebhookInteraction,
    answered: WebhookInteraction | None,
    delay_scale: float,
) -> WebhookInteraction | None:
    """When the person saw the account's message (`read`, where the platform says so): before
    their answer, or, when they let it be, a human delay after it was sent."""
    if not sends(said.platform, said.kind, EventType.READ):
        return None
    if answered is not None:
        at = said.occurred_at + (answered.occurred_at - said.occurred_at) / 2
    else:
        at = _later(Writer(profile, f"seen:{said.platform_id}").rng, said.occurred_at, delay_scale)
    return event(said, EventType.READ, to.author, at, 0)


def _later(rng: random.Random, at: datetime, scale: float) -> datetime:
    """A human delay after `at`, scaled, moved into waking hours; at once (a millisecond
    after, to keep the order) when the scale is 0."""
    if scale <= 0:
        return at + timedelta(milliseconds=1)
    minutes = rng.lognormvariate(math.log(MEDIAN_MINUTES), SPREAD) * scale
    return awake(rng, at + min(timedelta(minutes=minutes), LONGEST * scale), AWAKE, 60)
