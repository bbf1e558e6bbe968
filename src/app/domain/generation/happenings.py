"""What happens to a native Meta account's items after they were said, at each niche's rates
(low: a few in a hundred), and only what the platform sends (domain.lifecycle): a Page's
commenters edit and remove their comments; on Instagram people edit and unsend their messages
and react to the account's, and see what the host sends them (`seen`).

Each event is an item of the batch, a little after what it happens to and never after `now`
(what would come later does not happen); each item's events pass its ItemState."""

import hashlib
import random
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from app.domain.demo import Delivery, DemoProfile, Persona
from app.domain.inbox import Author, InteractionKind, WebhookInteraction
from app.domain.lifecycle import REACTION, EventType, ItemState, Lifecycle, sends

# per niche, how often (of the items it can happen to): a Page comment edited or removed by its
# author; an Instagram message edited or unsent by its author; one of the account's messages
# reacted to by the person (and, of those, unreacted)
BASE = {
    EventType.EDITED: 0.03,
    EventType.REMOVE: 0.01,
    EventType.MESSAGE_EDIT: 0.02,
    EventType.UNSEND: 0.01,
    EventType.REACT: 0.15,
    EventType.UNREACT: 0.1,
}
BY_NICHE: dict[Persona, dict[EventType, float]] = {
    Persona.BEAUTY: {EventType.REACT: 0.25},
    Persona.FITNESS: {EventType.REACT: 0.2},
    Persona.TECH_REVIEWS: {EventType.EDITED: 0.05, EventType.MESSAGE_EDIT: 0.03},
    Persona.GAMING: {EventType.REMOVE: 0.02, EventType.UNSEND: 0.02},
}
SECOND_EDIT = 0.15  # of edited messages, edited again (up to lifecycle.MOST_EDITS)
# what an edit adds, in the writer's language: Facebook shows "Edited" and the new words
COMMENT_EDITS = {
    "en": ("Edit: typo 🙈", "Edit: autocorrect strikes again"),
    "de": ("Edit: Tippfehler 🙈", "Edit: Autokorrektur mal wieder"),
    "es": ("Edit: errata 🙈", "Edit: el autocorrector otra vez"),
    "pt": ("Edit: erro de digitação 🙈", "Edit: corretor de novo"),
}
ANSWERED_EDITS = {  # a comment the account answered, edited after the answer
    "en": ("Edit: thank you for answering!",),
    "de": ("Edit: danke für die Antwort!",),
    "es": ("Edit: ¡gracias por responder!",),
    "pt": ("Edit: valeu pela resposta!",),
}
MESSAGE_EDITS = {
    "en": ("(sorry, autocorrect)", "(autocorrect 🙈)"),
    "de": ("(sorry, Autokorrektur)", "(Autokorrektur 🙈)"),
    "es": ("(perdón, el autocorrector)", "(el autocorrector 🙈)"),
    "pt": ("(desculpa, o corretor)", "(corretor 🙈)"),
}


def happenings(
    profile: DemoProfile, items: Sequence[WebhookInteraction], now: datetime, stream: str
) -> list[WebhookInteraction]:
    """The events of a native Meta account's new `items` by `now`; none for other accounts."""
    if profile.delivery is not Delivery.NATIVE:
        return []
    rng = random.Random(f"{profile.account_id}:{profile.seed}:{stream}:happenings")
    rates = {**BASE, **BY_NICHE.get(profile.persona, {})}
    # when the account answered a comment
    answered = {
        i.in_reply_to: i.occurred_at for i in items if i.in_reply_to and i.author.is_creator
    }
    replied = {i.in_reply_to for i in items if i.in_reply_to}
    people: dict[str, Author] = {}  # a conversation's person
    for item in items:
        if item.kind is InteractionKind.DM and not item.author.is_creator and item.conversation_id:
            people.setdefault(item.conversation_id, item.author)
    found: list[WebhookInteraction] = []
    for item in items:
        state = ItemState()
        plan: list[tuple[EventType, Author, timedelta]] = []
        if item.author.is_creator and item.kind is InteractionKind.DM:
            person = people.get(item.conversation_id or "")
            if person is not None and rng.random() < rates[EventType.REACT]:
                plan.append((EventType.REACT, person, _minutes(rng, 1, 90)))
                if rng.random() < rates[EventType.UNREACT]:
                    plan.append((EventType.UNREACT, person, _minutes(rng, 91, 600)))
        elif not item.author.is_creator and item.kind is InteractionKind.COMMENT:
            if rng.random() < rates[EventType.EDITED]:
                plan.append((EventType.EDITED, item.author, _minutes(rng, 1, 15)))
            # removed when nobody answered it: a thread's replies would go with it
            if item.platform_id not in replied and rng.random() < rates[EventType.REMOVE]:
                plan.append((EventType.REMOVE, item.author, _minutes(rng, 20, 360)))
        elif not item.author.is_creator:
            # a message of words (an address or a number is pasted, not mistyped)
            typed = not any(c.isdigit() or c == "@" for c in item.text)
            if typed and rng.random() < rates[EventType.MESSAGE_EDIT]:
                plan.append((EventType.MESSAGE_EDIT, item.author, _minutes(rng, 0.2, 10)))
                if rng.random() < SECOND_EDIT:
                    plan.append((EventType.MESSAGE_EDIT, item.author, _minutes(rng, 10.2, 14)))
            if rng.random() < rates[EventType.UNSEND]:
                plan.append((EventType.UNSEND, item.author, _minutes(rng, 0.5, 30)))
        text = item.text
        plan.sort(key=lambda step: step[2])  # in time order: no edit after an unsend
        for n, (kind, who, after) in enumerate(plan):
            at = item.occurred_at + after
            if at > now or not sends(item.platform, item.kind, kind) or not state.allows(kind):
                continue
            state.apply(kind)
            if kind is EventType.EDITED:
                thanked = answered.get(item.platform_id)
                book = ANSWERED_EDITS if thanked and thanked < at else COMMENT_EDITS
                text = f"{text}\n\n{rng.choice(_words(book, item))}"
            elif kind is EventType.MESSAGE_EDIT:
                text = f"{text} {rng.choice(_words(MESSAGE_EDITS, item))}"
            words = text if kind in (EventType.EDITED, EventType.MESSAGE_EDIT) else ""
            found.append(event(item, kind, who, at, n, words, state.edits))
    return found


def event(
    item: WebhookInteraction,
    kind: EventType,
    who: Author,
    at: datetime,
    n: int,
    words: str = "",
    edits: int = 0,
) -> WebhookInteraction:
    """The event `kind` on `item` by `who` at `at`: an item of its own (the n-th event on it),
    after the item in delivery (a comment's `in_reply_to` it, a message's in its conversation)."""
    digest = hashlib.blake2b(f"{item.platform_id}:{kind.value}:{n}".encode(), digest_size=10)
    parent = item.in_reply_to if item.kind is InteractionKind.COMMENT else None
    text = REACTION[1] if kind is EventType.REACT else words
    return replace(
        item,
        platform_id=f"ev-{kind.value.replace('_', '')}-{digest.hexdigest()}",
        author=who,
        text=text,
        occurred_at=at,
        in_reply_to=item.platform_id if item.kind is InteractionKind.COMMENT else None,
        event=Lifecycle(kind, item.platform_id, parent, edits),
        intent=None,
        sentiment=None,
    )


def _minutes(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(minutes=rng.uniform(low, high))


def _words(book: Mapping[str, tuple[str, ...]], item: WebhookInteraction) -> tuple[str, ...]:
    return book.get((item.language or "en")[:2], book["en"])
