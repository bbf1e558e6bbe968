"""Named scenarios (issue 26): the shipped files parse, the curve's arithmetic, overrides by
path (a bad one refused with the valid ones listed), a YAML error naming its line, and what a
run generates: the curve's times, the scenario's kind of talk, replies after what they answer."""

import random
import re
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.adapters.scenarios import ScenarioFiles, read_yaml
from app.domain.demo import Content, DemoProfile, DemoSizes, DmFrequency, Persona
from app.domain.generation import generate_demo
from app.domain.generation.scenario import generate_scenario
from app.domain.inbox import Intent, InteractionKind, Platform, Sentiment
from app.domain.scenarios import (
    ScenarioError,
    UnknownScenarioError,
    overridden,
    scenario_of,
    valid_paths,
)

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
FIVE = timedelta(minutes=5)
FILES = ScenarioFiles()
SHIPPED = ("brand-dms", "giveaway-flood", "launch-spike", "pr-crisis", "quiet-week", "spam-wave")


def profile(platform: Platform = Platform.INSTAGRAM, locale: str = "en_US") -> DemoProfile:
    return DemoProfile(
        account_id=uuid.UUID("00000000-0000-4000-8000-000000000026"),
        platform=platform,
        persona=Persona.FITNESS,
        dm_frequency=DmFrequency.MEDIUM,
        seed=26,
        locale=locale,
        sizes=DemoSizes(content=6, comments=40, dms=10),
        enabled_at=START - timedelta(days=3),
    )


def existing(p: DemoProfile) -> tuple[Content, ...]:
    return generate_demo(p, START - timedelta(hours=1), p.sizes).content


def doc(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "description": "a test",
        "stages": [{"duration": "30m", "rate": "600/h"}, {"duration": "30m", "rate": "60/h"}],
    }
    return {**base, **changes}


def test_the_shipped_scenarios_all_parse_and_declare_events() -> None:
    assert tuple(FILES.names()) == SHIPPED
    for name in SHIPPED:
        scenario = scenario_of(name, FILES.document(name))
        assert scenario.total >= 100, name
        assert scenario.description


def test_stages_ramp_in_a_straight_line_from_the_rate_before() -> None:
    s = scenario_of("t", doc(start_rate="0/h"))
    assert s.duration == timedelta(hours=1)
    assert s.rate_at(timedelta(minutes=15)) == pytest.approx(300)
    assert s.rate_at(timedelta(minutes=45)) == pytest.approx(330)
    # 0 → 600/h over 30 min is 150; 600 → 60/h over 30 min is 165
    assert s.expected(timedelta(0), timedelta(minutes=30)) == pytest.approx(150)
    assert s.total == pytest.approx(315)


def test_arrivals_follow_the_curve_within_an_event_and_a_half_per_window() -> None:
    for name in SHIPPED:
        s = scenario_of(name, FILES.document(name))
        arrivals = s.arrivals(random.Random(name))
        assert len(arrivals) == round(s.total)
        assert arrivals == sorted(arrivals)
        at = timedelta(0)
        while at < s.duration:
            got = sum(1 for a in arrivals if at <= a < at + FIVE)
            assert abs(got - s.expected(at, at + FIVE)) <= 1.5 + 1e-6, (name, at)
            at += FIVE


def test_an_override_sets_a_path_and_the_other_share_follows() -> None:
    pr = FILES.document("pr-crisis")
    s = scenario_of("pr-crisis", overridden(pr, {"dms.share": 0.4, "stages[1].rate": "800/h"}))
    assert s.dms_share == pytest.approx(0.4)
    assert s.stages[1].rate == 800
    assert FILES.document("pr-crisis") == pr  # the file's document is left as it was


def test_a_path_that_does_not_exist_is_refused_with_the_valid_ones() -> None:
    pr = FILES.document("pr-crisis")
    with pytest.raises(ScenarioError) as refused:
        overridden(pr, {"comment[*].sentiment": "negative"})
    message = str(refused.value)
    assert "no path 'comment[*].sentiment'" in message
    for path in (
        "comments[*].{text,topic,language,intent,sentiment}",
        "dms.share",
        "stages[2].rate",
    ):
        assert path in message
    assert "stages[3].rate" not in message
    assert "stages[3].rate" not in valid_paths(pr)


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"stages": [{"duration": "2x", "rate": "1/h"}]}, "stages[0].duration: a duration"),
        ({"stages": [{"duration": "1h", "rate": "lots"}]}, "stages[0].rate: a rate"),
        ({"stages": [{"duration": "1h"}]}, "stages[0]: write it as"),
        ({"stage": []}, "no key 'stage'"),
        ({"dms": {"share": 1.5}}, "dms.share: a share from 0 to 1"),
        ({"comments": {"acts": {"rant": 3}}}, "comments.acts: no 'rant'"),
        ({"overrides": {"comments[*].sentiment": "furious"}}, "sentiment is one of"),
        ({"stages": [{"duration": "1h", "rate": "0/h"}]}, "declares no event"),
    ],
)
def test_a_bad_document_is_refused_naming_the_path(changes: dict[str, Any], says: str) -> None:
    with pytest.raises(ScenarioError, match=re.escape(says)):
        scenario_of("t", doc(**changes))


def test_a_yaml_that_does_not_parse_names_its_line() -> None:
    text = "description: ok\nstages:\n  - {duration: 1h, rate: 60/h\ncomments: {}\n"
    with pytest.raises(ScenarioError, match=r"broken\.yaml line 4"):
        read_yaml("broken", text)


def test_an_unknown_scenario_lists_the_shipped_ones() -> None:
    with pytest.raises(UnknownScenarioError, match="no scenario 'pr-crises'; the scenarios: brand"):
        FILES.document("pr-crises")


def test_a_run_arrives_on_the_curve_and_the_same_run_is_the_same_items() -> None:
    p = profile()
    s = scenario_of("spam-wave", FILES.document("spam-wave"))
    made = generate_scenario(p, s, START, "run-1", existing(p))
    again = generate_scenario(p, s, START, "run-1", existing(p))
    other = generate_scenario(p, s, START, "run-2", existing(p))
    assert made == again
    assert not {i.platform_id for i in made.items} & {i.platform_id for i in other.items}
    assert len(made.items) == round(s.total)
    times = [i.occurred_at for i in made.items]
    assert times == sorted(times)
    assert times[0] >= START
    assert times[-1] < START + s.duration
    dms = sum(1 for i in made.items if i.kind is InteractionKind.DM)
    assert dms == round(len(made.items) * s.dms_share)


def test_replies_come_after_what_they_answer_and_conversations_keep_their_order() -> None:
    p = profile(Platform.YOUTUBE, "es_ES")
    s = scenario_of("pr-crisis", FILES.document("pr-crisis"))
    made = generate_scenario(p, s, START, "r", existing(p))
    at = {i.platform_id: i.occurred_at for i in made.items}
    replies = [i for i in made.items if i.in_reply_to in at]
    assert len(replies) > 20
    assert all(at[i.in_reply_to] <= i.occurred_at for i in replies)  # type: ignore[index]
    seen: dict[str, datetime] = {}
    for item in made.items:
        if item.conversation_id:
            assert seen.get(item.conversation_id, START) <= item.occurred_at
            seen[item.conversation_id] = item.occurred_at


def _top_level(made: Any) -> list[Any]:
    return [i for i in made.items if i.kind is InteractionKind.COMMENT and i.in_reply_to is None]


def test_a_pr_crisis_is_complaints_in_the_words_and_support_in_the_dms() -> None:
    p = profile()
    usual = generate_scenario(p, scenario_of("quiet-week", FILES.document("quiet-week")), START,
                              "q", existing(p))  # fmt: skip
    crisis = generate_scenario(
        p, scenario_of("pr-crisis", FILES.document("pr-crisis")), START, "c", existing(p)
    )

    def negative(items: list[Any]) -> float:
        return sum(i.sentiment is Sentiment.NEGATIVE for i in items) / len(items)

    assert negative(_top_level(crisis)) > 0.25
    assert negative(_top_level(crisis)) > 2.5 * negative(_top_level(usual))
    # the words say it: complaints name what went wrong, not praise relabelled
    complaints = [i for i in _top_level(crisis) if i.intent is Intent.COMPLAINT]
    praise = {i.text for i in _top_level(crisis) if i.intent is Intent.PRAISE}
    assert len(complaints) > 100
    assert not [i.text for i in complaints if i.text in praise]
    dm_openings = [i for i in crisis.items if i.kind is InteractionKind.DM
                   and i.intent is Intent.SUPPORT]  # fmt: skip
    assert len(dm_openings) >= 20


def test_a_giveaway_floods_its_new_post_with_tagged_friends() -> None:
    p = profile()
    s = scenario_of("giveaway-flood", FILES.document("giveaway-flood"))
    made = generate_scenario(p, s, START, "g", existing(p))
    assert len(made.content) == 1
    on_new = [
        i for i in made.items if i.content and i.content.platform_id == made.content[0].platform_id
    ]
    comments = [i for i in made.items if i.kind is InteractionKind.COMMENT]
    assert len(on_new) / len(comments) > 0.8
    tagged = [i for i in _top_level(made) if "@" in i.text]
    assert len(tagged) / len(_top_level(made)) > 0.2


def test_a_spam_wave_is_spam_and_nobody_agrees_with_it() -> None:
    p = profile(Platform.TIKTOK, "pt_BR")
    made = generate_scenario(
        p, scenario_of("spam-wave", FILES.document("spam-wave")), START, "s", existing(p)
    )
    top = _top_level(made)
    spam = {i.platform_id for i in top if i.intent is Intent.SPAM}
    assert len(spam) / len(top) > 0.3
    under_spam = [i for i in made.items if i.in_reply_to in spam]
    assert under_spam
    assert not [i.text for i in under_spam if i.sentiment is Sentiment.POSITIVE]


def test_fields_set_by_path_are_on_every_item_of_their_kind() -> None:
    p = profile()
    document = overridden(
        FILES.document("spam-wave"),
        {"comments[*].sentiment": "negative", "dms[*].author.handle": "one.sender"},
    )
    made = generate_scenario(p, scenario_of("spam-wave", document), START, "f", existing(p))
    kinds = Counter(
        (i.kind, i.sentiment if i.kind is InteractionKind.COMMENT else i.author.handle)
        for i in made.items
    )
    assert set(kinds) == {
        (InteractionKind.COMMENT, Sentiment.NEGATIVE),
        (InteractionKind.DM, "one.sender"),
    }
