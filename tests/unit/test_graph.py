"""A native account's generated ids in Meta's forms, and the person's answer to what a host
says through the emulated Graph API (SPEC.md "Replies answered")."""

import base64
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.demo import Delivery, DemoProfile, DemoSizes, DmFrequency, Persona
from app.domain.generation.answers import answer
from app.domain.generation.initial_batch import generate_demo
from app.domain.generation.writer import REGIONAL, phrasebook
from app.domain.inbox import (
    Author,
    ContentRef,
    Intent,
    InteractionKind,
    Platform,
    WebhookInteraction,
)

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)  # noon UTC: people are awake


def native(locale: str = "en_US", seed: int = 3) -> DemoProfile:
    return DemoProfile(
        uuid.UUID(int=seed),
        Platform.INSTAGRAM,
        Persona.FITNESS,
        DmFrequency.HIGH,
        seed,
        locale,
        DemoSizes(),
        NOW,
        Delivery.NATIVE,
        "EAAD-token",
    )


def test_a_native_accounts_ids_are_metas_forms_and_its_others_demosims() -> None:
    out = generate_demo(native(), NOW, DemoSizes(content=3, comments=60, dms=20))
    for post in out.content:
        assert post.platform_id.isdigit()
        assert int(post.platform_id) < 2**63
    for c in out.comments:
        assert c.platform_id.isdigit()
        assert int(c.platform_id) < 2**63
        assert c.in_reply_to is None or c.in_reply_to.isdigit()
    for m in (m for m in out.dms if m.event is None):  # a reaction's id stays demosim's
        assert base64.b64decode(m.platform_id + "==").startswith(b"ig_message_item:1:")
        assert m.conversation_id is not None
        assert m.conversation_id.isdigit()
    own = generate_demo(
        replace(native(), delivery=Delivery.DEMOSIM), NOW, DemoSizes(content=1, comments=5)
    )
    assert all(c.platform_id.startswith("in-c-") for c in own.comments)


def _fan_comment(language: str = "en") -> WebhookInteraction:
    return WebhookInteraction(
        account_id=uuid.UUID(int=3),
        platform=Platform.INSTAGRAM,
        platform_id="17000000000000001",
        kind=InteractionKind.COMMENT,
        author=Author("maria.lifts", "Maria", False),
        text="how long did this take you to learn?",
        occurred_at=NOW - timedelta(hours=2),
        content=ContentRef("17000000000000000", "Hip openers"),
        is_demo=True,
        language=language,
    )


def _host_reply(text: str, n: int) -> WebhookInteraction:
    return replace(
        _fan_comment(),
        platform_id=f"17100000000000{n:03d}",
        author=Author("coach.kim", "Kim", True),
        text=text,
        occurred_at=NOW,
        in_reply_to="17000000000000001",
    )


def test_the_person_thanks_for_an_answer_says_they_will_look_when_asked_or_lets_it_be() -> None:
    book = phrasebook("en_US")
    thanks, look = set(book.texts["thanks"]), set(book.texts["host.asked"])
    told = [answer(native(), _host_reply("About a month!", n), _fan_comment(), f"a{n}", 0, False)
            for n in range(60)]  # fmt: skip
    asked = [answer(native(), _host_reply("Did you try it?", n), _fan_comment(), f"b{n}", 0, False)
             for n in range(60)]  # fmt: skip
    said = [a for a in told if a is not None]
    assert 0.5 < len(said) / 60 < 0.9  # a third or so let it be
    assert all(_template_of(a.text, thanks) for a in said)
    assert all(_template_of(a.text, look) for a in asked if a is not None)
    for a in said:  # the fan's, under the same top comment, after the host's reply
        assert a.author == _fan_comment().author
        assert a.in_reply_to == "17000000000000001"
        assert a.occurred_at > NOW


def test_someone_who_answered_the_account_already_lets_the_exchange_end() -> None:
    assert all(
        answer(native(), _host_reply("Thanks!", n), _fan_comment(), f"c{n}", 0, True) is None
        for n in range(40)
    )


def test_a_spam_bot_answers_no_one_it_was_thanked_by() -> None:
    bot = replace(_fan_comment(), intent=Intent.SPAM, text="I help people grow savings, text me")
    fan = [answer(native(), _host_reply("Thanks!", n), _fan_comment(), f"s{n}", 0, False)
           for n in range(40)]  # fmt: skip
    assert any(a is not None for a in fan)  # the same replies answered by a person
    assert all(
        answer(native(), _host_reply("Thanks!", n), bot, f"s{n}", 0, False) is None
        for n in range(40)
    )


@pytest.mark.parametrize(
    ("locale", "language"), [("es_ES", "es"), ("de_DE", "de"), ("pt_BR", "pt")]
)
def test_the_answer_is_in_the_language_the_person_wrote_in(locale: str, language: str) -> None:
    # (the account is American: its Spanish speakers write Mexico's Spanish)
    book = REGIONAL.get((language, "US")) or phrasebook(locale)
    options = set(book.texts["dm.thanks"])
    dm = replace(
        _fan_comment(language),
        kind=InteractionKind.DM,
        content=None,
        conversation_id="17200000000000001",
    )
    found = [
        answer(native(), replace(dm, platform_id=f"h{n}", author=Author("k", "K", True),
               text="Sent it again just now"), dm, f"d{n}", 0, False)
        for n in range(30)
    ]  # fmt: skip
    assert any(found)
    assert all(_template_of(a.text, options) for a in found if a is not None)
    assert all(a.conversation_id == "17200000000000001" for a in found if a is not None)


def test_a_person_answers_minutes_to_hours_later_when_awake_and_at_once_at_scale_0() -> None:
    def night(n: int) -> WebhookInteraction:
        return replace(_host_reply("Great, thanks", n), occurred_at=NOW.replace(hour=2))

    delays = []
    for n in range(200):
        got = answer(native(), replace(_host_reply("Great", n), occurred_at=NOW), _fan_comment(),
                     f"e{n}", 1.0, False)  # fmt: skip
        if got is not None:
            delays.append(got.occurred_at - NOW)
    delays.sort()
    assert timedelta(minutes=1) < delays[len(delays) // 2] < timedelta(hours=3)
    assert delays[-1] <= timedelta(hours=22)  # the longest, moved to the morning at worst
    woke = [answer(native(), night(n), _fan_comment(), f"f{n}", 1.0, False) for n in range(50)]
    assert all(a.occurred_at.hour >= 8 for a in woke if a is not None)
    now = [(night(n), answer(native(), night(n), _fan_comment(), f"g{n}", 0, False))
           for n in range(20)]  # fmt: skip
    assert all(
        timedelta(0) < a.occurred_at - said.occurred_at < timedelta(seconds=1)
        for said, a in now
        if a is not None
    )


def _template_of(text: str, options: set[str]) -> bool:
    """The answer is one of the phrasebook's lines (as typed: case, slips and an emoji aside)."""
    plain = {o.split("] ", 1)[-1].lower() for o in options}
    return any(o[:8] in text.lower() or text.lower()[:8] in o for o in plain)
