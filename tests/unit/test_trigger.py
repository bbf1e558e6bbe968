"""`demosim trigger`'s choices before anything is sent: which events it generates for which
format, the overrides it takes and refuses, and what each negative case sends and expects (a
format that records what it is asked to sign stands in for the endpoint)."""

import json
import random
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest

from app.domain.inbox import Author, Platform, Sentiment, WebhookInteraction
from app.domain.lifecycle import EventType
from app.services.trigger import (
    CATALOGUE,
    EVENTS,
    NEGATIVES,
    OVERSIZED,
    PATHS,
    Answer,
    Event,
    SignedFormat,
    TriggerError,
    overrides,
    plan,
    rate_of,
    run,
    samples,
)

AT = datetime(2026, 11, 30, 18, 30, tzinfo=UTC)


class Recording:
    """A format whose bodies are the items' ids and whose endpoint answers `status`."""

    def __init__(self, name: str = "demosim", status: int = 200, forged: bool = False) -> None:
        self.name = name
        self.signs_time = name in ("demosim", "tiktok")
        self.status = status
        self.is_forged = forged
        self.signed: list[tuple[str, bytes, datetime, bool]] = []

    def payloads(self, items: Sequence[WebhookInteraction], creator: Author) -> list[bytes]:
        return [json.dumps({"id": i.platform_id, "to": i.in_reply_to}).encode() for i in items]

    def headers(self, webhook_id: str, body: bytes, at: datetime) -> dict[str, str]:
        self.signed.append((webhook_id, body, at, self.is_forged))
        return {}

    def forged(self) -> SignedFormat:
        other = Recording(self.name, self.status, forged=True)
        other.signed = self.signed  # one log of what was signed, by whichever secret
        return other

    def unknown_event(self, item: WebhookInteraction) -> bytes:
        return b'{"type": "not.known"}'

    def post(self, body: bytes, headers: dict[str, str]) -> Answer:
        return Answer(self.status, 1.0)


@pytest.mark.parametrize("event", CATALOGUE, ids=lambda e: e.name)
def test_every_event_of_the_catalogue_is_generated_for_every_format_that_sends_it(
    event: Event,
) -> None:
    for format_name, platform in event.formats:
        got = samples(event, format_name, 3, AT, rng=random.Random(7)).items
        assert len(got) == 3
        assert len({i.platform_id for i in got}) == 3
        for item in got:
            assert item.kind is event.kind
            assert item.platform is platform
            assert item.occurred_at == AT
            assert item.text or event.happened not in (None, EventType.EDITED)
            if event.happened is None:
                assert item.event is None
                assert item.author.is_creator is event.by_account
                assert (item.in_reply_to is not None) is event.answers
            else:
                assert item.event is not None
                assert item.event.type is event.happened
                assert item.author.is_creator is event.by_account


def test_overrides_set_the_field_on_every_event() -> None:
    given = overrides(["sentiment=negative", "author.handle=angry.dan", "text=Where is my order?"])
    got = samples(EVENTS["comment.created"], "demosim", 4, AT, given, random.Random(1)).items
    assert {(i.sentiment, i.author.handle, i.text) for i in got} == {
        (Sentiment.NEGATIVE, "angry.dan", "Where is my order?")
    }


def test_a_platform_override_generates_for_that_platform_where_the_format_sends_it() -> None:
    page = samples(
        EVENTS["comment.created"], "meta", 2, AT, overrides(["platform=facebook"]), random.Random(2)
    )
    assert {i.platform for i in page.items} == {Platform.FACEBOOK}
    with pytest.raises(TriggerError, match=r"the x format sends comment\.created for x only"):
        samples(EVENTS["comment.created"], "x", 1, AT, overrides(["platform=instagram"]))
    with pytest.raises(TriggerError, match=r"message\.read is sent in meta"):
        samples(EVENTS["message.read"], "tiktok", 1, AT)


@pytest.mark.parametrize(
    ("pair", "says"),
    [
        ("comments[*].sentiment=negative", "no field 'comments\\[\\*\\].sentiment'; the fields: "
         + ", ".join(PATHS)),
        ("sentiment=furious", "sentiment is one of positive, neutral, negative"),
        ("text", "write it as path=value"),
        ("text=", "text cannot be empty"),
    ],
)  # fmt: skip
def test_a_bad_override_is_refused_naming_what_it_takes(pair: str, says: str) -> None:
    with pytest.raises(TriggerError, match=says):
        overrides([pair])


def test_a_naive_timestamp_and_a_count_out_of_range_are_refused() -> None:
    with pytest.raises(TriggerError, match="--timestamp"):
        samples(EVENTS["comment.created"], "demosim", 1, datetime(2026, 1, 1))  # noqa: DTZ001 (naive, as a user might type)
    with pytest.raises(TriggerError, match="--count must be between 1 and 10000, got 0"):
        samples(EVENTS["comment.created"], "demosim", 0, AT)


@pytest.mark.parametrize(
    ("text", "per_second"), [("20/s", 20.0), ("5", 5.0), ("300/m", 5.0), ("3600/h", 1.0)]
)
def test_a_rate_is_read_per_second_minute_or_hour(text: str, per_second: float) -> None:
    assert rate_of(text) == per_second


@pytest.mark.parametrize("text", ["fast", "0/s", "-3", "20/d"])
def test_a_rate_that_is_not_one_is_refused(text: str) -> None:
    with pytest.raises(TriggerError, match="--rate"):
        rate_of(text)


def test_out_of_order_sends_neither_the_duplicates_event_nor_the_comment_it_answers() -> None:
    from dataclasses import replace as remade

    from app.services.trigger import Sample

    event = EVENTS["comment.reply"]
    found = samples(event, "demosim", 3, AT, rng=random.Random(5))
    first, second, third = found.items
    # the last answers the first (a reply to a reply), as generated batches have them
    chained = Sample(
        (first, third, remade(second, in_reply_to=first.platform_id)),
        found.creator,
        {**found.parents, first.platform_id: first},
    )
    fmt = Recording()
    sends = plan(fmt, event, chained, ["duplicate-id", "out-of-order"])
    ids = [json.loads(s.body)["id"] for s in sends]
    duplicate, reply, comment = ids[0], ids[2], ids[3]
    assert ids[1] == duplicate
    assert duplicate not in (reply, comment)  # three rows for a correct endpoint, not two
    assert reply == third.platform_id


def test_each_negative_case_sends_what_it_says_and_expects_what_a_correct_endpoint_answers() -> (
    None
):
    fmt = Recording("tiktok", status=401)
    event = EVENTS["comment.reply"]
    sample = samples(event, "tiktok", 2, AT, rng=random.Random(3))
    sends = plan(fmt, event, sample, list(NEGATIVES))
    sent = list(run(fmt, sends, lambda: AT))
    labels = [s.send.label.split(":")[0] for s in sent]
    assert labels == [
        "bad-signature", "stale-timestamp", "duplicate-id", "duplicate-id", "out-of-order",
        "out-of-order", "oversized", "unknown-event",
    ]  # fmt: skip
    signed = {label: fmt.signed[n] for n, label in enumerate(labels)}
    assert signed["bad-signature"][3] is True  # another secret's
    assert signed["stale-timestamp"][2] == AT - timedelta(minutes=10)
    first, second = (s for s in sends if s.label.startswith("duplicate-id"))
    assert (first.webhook_id, first.body) == (second.webhook_id, second.body)
    reply, parent = (json.loads(s.body) for s in sends if s.label.startswith("out-of-order"))
    assert reply["to"] == parent["id"]  # the reply first, then the comment it answers
    oversized = next(s for s in sends if s.label.startswith("oversized"))
    assert len(oversized.body) == OVERSIZED
    assert json.loads(oversized.body)
    # an endpoint that answers 401 to everything: right to refuse, wrong to refuse the rest
    verdicts = {s.send.label.split(":")[0]: s.ok for s in sent}
    assert verdicts == {
        "bad-signature": True, "stale-timestamp": True, "duplicate-id": False,
        "out-of-order": False, "oversized": True, "unknown-event": True,
    }  # fmt: skip


def test_a_stale_signature_needs_a_format_that_signs_the_time() -> None:
    event = EVENTS["comment.created"]
    sample = samples(event, "meta", 1, AT, rng=random.Random(4))
    with pytest.raises(TriggerError, match="the meta format's signature carries no time"):
        plan(Recording("meta"), event, sample, ["stale-timestamp"])


def test_events_go_at_the_rate_asked() -> None:
    fmt = Recording()
    event = EVENTS["message.received"]
    sends = plan(fmt, event, samples(event, "demosim", 4, AT, rng=random.Random(5)))
    slept: list[float] = []
    assert all(s.ok for s in run(fmt, sends, lambda: AT, rate=8.0, sleep=slept.append))
    assert slept == [0.125, 0.125, 0.125]


def test_a_scenario_is_sent_in_order_each_event_when_its_curve_has_it_arrive() -> None:
    from app.adapters.scenarios import ScenarioFiles
    from app.domain.scenarios import scenario_of
    from app.services.trigger import plan_scenario, scenario_sample

    files = ScenarioFiles()
    crisis = scenario_of("pr-crisis", files.document("pr-crisis"))
    sample, due = scenario_sample(crisis, "tiktok", 40, AT, rng=random.Random(3))
    assert len(sample.items) == 40
    assert {i.platform for i in sample.items} == {Platform.TIKTOK}
    assert all(i.kind.value == "comment" for i in sample.items)  # TikTok sends no DMs
    assert due[0] == timedelta(0)
    assert due == sorted(due)
    first = sample.items[0].occurred_at
    assert AT <= first < AT + timedelta(minutes=10)  # the curve's first minutes from AT
    assert [i.occurred_at for i in sample.items] == [first + d for d in due]
    fmt = Recording()
    sends = plan_scenario(fmt, "pr-crisis", sample, due)
    clock = [AT]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += timedelta(seconds=seconds)

    sent = list(run(fmt, sends, lambda: clock[0], None, sleep))
    assert len(sent) == 40
    assert clock[0] - AT == due[-1]  # the last one went when the curve has it arrive
    assert len(slept) == len({d for d in due[1:]})
    everything, _ = scenario_sample(crisis, "demosim", None, AT, rng=random.Random(3))
    assert len(everything.items) == round(crisis.total)
