"""Realism of generated demos, as numbers; and determinism."""

import itertools
import re
import uuid
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import reading
from app.domain.demo import DemoProfile, DemoSizes, DmFrequency, InvalidSizesError, Persona
from app.domain.generation import GeneratedDemo, generate_demo
from app.domain.generation.ids import name_digest
from app.domain.inbox import Intent, InteractionKind, Platform, Sentiment, WebhookInteraction

NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)
ACCOUNT = uuid.UUID("7b1d2c3e-0000-4000-8000-000000000001")


def profile(
    persona: Persona = Persona.TECH_REVIEWS, seed: int = 7, account: uuid.UUID = ACCOUNT
) -> DemoProfile:
    return DemoProfile(
        account, Platform.YOUTUBE, persona, DmFrequency.MEDIUM, seed, "en_US", DemoSizes(), NOW
    )


def demo(
    persona: Persona = Persona.TECH_REVIEWS, seed: int = 7, comments: int = 1000
) -> GeneratedDemo:
    return generate_demo(
        profile(persona, seed), NOW, DemoSizes(content=35, comments=comments, dms=100)
    )


@pytest.mark.parametrize("persona", list(Persona))
def test_sizes_are_exact_and_comments_sit_on_their_content(persona: Persona) -> None:
    out = demo(persona)
    assert (len(out.content), len(out.comments), len(out.dms)) == (35, 1000, 100)
    assert sum(c.target_comments for c in out.content) == 1000
    per_content = Counter(c.content.platform_id for c in out.comments if c.content)
    assert all(per_content[c.platform_id] == c.target_comments for c in out.content)
    assert {c.kind for c in out.comments} == {InteractionKind.COMMENT}
    assert {d.kind for d in out.dms} == {InteractionKind.DM}
    assert all(d.content is None for d in out.dms)


@pytest.mark.parametrize("persona", list(Persona))
def test_texts_vary(persona: Persona) -> None:
    texts = [c.text for c in demo(persona).comments]
    # sentences vary; short reactions ("W", "🔥🔥", "need this") repeat, as they do live, and
    # take the place of a sentence whose every wording this batch has said as often as a reader
    # lets pass (issue 21's reading over issue 12's share of 5+ words, 50%)
    sentences = [t for t in texts if len(t.split()) >= 5]
    assert len(set(sentences)) / len(sentences) >= 0.9
    # (0.4 until round 83: gaming's batch of seed 7 draws 395 to 416 of 1,000 as the stream
    # moves, seeds 1-3 draw 412-463, before and after that round's changes alike)
    assert len(sentences) >= 0.38 * len(texts)
    assert sum("?" in t for t in texts) >= 100  # questions
    assert sum(any(ord(ch) > 0x2100 for ch in t) for t in texts) >= 200  # emoji
    assert sum("@" in t for t in texts) >= 10  # mentions of the creator
    lengths = sorted(len(t) for t in texts)
    assert lengths[0] < 15  # short ones
    assert lengths[len(lengths) // 10] <= 35
    # and long ones (a tenth over 60 characters until round 38, when a batch's words were
    # spread over all of its comments: the reactions that were its last half's are all through
    # it now)
    assert lengths[-len(lengths) // 10] > 50
    assert lengths[-1] > 100


def test_every_intent_and_sentiment_appears() -> None:
    out = demo()
    everything = out.comments + out.dms
    assert {i.intent for i in everything} == set(Intent)
    assert {i.sentiment for i in everything} == set(Sentiment)
    # labels agree with the words: complaints are never positive, praise never negative
    for item in everything:
        if item.intent is Intent.COMPLAINT:
            assert item.sentiment is Sentiment.NEGATIVE
        if item.intent is Intent.PRAISE:
            assert item.sentiment is Sentiment.POSITIVE


@pytest.mark.parametrize("seed", [7, 8, 9])
def test_comments_are_skewed_over_the_posts_but_no_post_takes_most_of_them(seed: int) -> None:
    """A busy post a few times the median, not most of everything (issue 21 replaced issue
    12's "top fifth over half, top post 5x the median": a reader saw one post hold 62%)."""
    out = demo(seed=seed)
    shares = sorted((c.target_comments for c in out.content), reverse=True)
    assert shares[0] <= 0.3 * sum(shares)
    assert 2.5 * shares[len(shares) // 2] <= shares[0]
    assert sum(shares[: len(shares) // 5]) > 0.35 * sum(shares)
    assert sum(n >= 5 for n in shares) >= 0.6 * len(shares)


def test_fans_come_back() -> None:
    authors = Counter(c.author.handle for c in demo().comments)
    assert sum(1 for n in authors.values() if n >= 5) >= 5  # recurring fans
    assert len(authors) > 500  # and many one-off commenters


def test_times_decay_after_publication_and_never_reach_the_future() -> None:
    out = demo()
    published = {c.platform_id: c.published_at for c in out.content}
    delays = [c.occurred_at - published[c.content.platform_id] for c in out.comments if c.content]
    assert all(d >= timedelta(0) for d in delays)
    assert sum(d <= timedelta(hours=48) for d in delays) / len(delays) > 0.7
    every = [c.published_at for c in out.content] + [i.occurred_at for i in out.comments + out.dms]
    assert all(t.tzinfo is not None and t <= NOW for t in every)
    ages = sorted(NOW - c.published_at for c in out.content)
    assert ages[0] < timedelta(days=2)
    assert timedelta(days=25) < ages[-1] <= timedelta(days=30)
    assert all(timedelta(0) < NOW - d.occurred_at <= timedelta(days=14) for d in out.dms)


def test_same_inputs_same_output_and_other_seeds_differ() -> None:
    assert demo(seed=7) == demo(seed=7)
    other = demo(seed=8)
    assert {c.platform_id for c in other.comments}.isdisjoint(
        {c.platform_id for c in demo(seed=7).comments}
    )
    assert [c.text for c in other.comments] != [c.text for c in demo(seed=7).comments]
    another_account = generate_demo(profile(account=uuid.uuid4()), NOW, DemoSizes())
    assert another_account.content[0].platform_id != demo().content[0].platform_id


def test_ids_are_unique_and_stable_prefixes() -> None:
    out = demo()
    ids = [c.platform_id for c in out.content] + [i.platform_id for i in out.comments + out.dms]
    assert len(set(ids)) == len(ids)


def test_sizes_are_checked() -> None:
    with pytest.raises(InvalidSizesError, match=r"sizes\.comments"):
        DemoSizes(comments=-1)
    with pytest.raises(InvalidSizesError, match=r"sizes\.content is 0"):
        DemoSizes(content=0, comments=10)


def test_dm_frequency_scales_initial_and_tick_counts() -> None:
    assert [f.initial_dms for f in DmFrequency] == [25, 100, 250]
    assert [f.dms_per_tick for f in DmFrequency] == [1, 5, 12]


_DIGEST = """
import hashlib, uuid
from dataclasses import asdict
from datetime import UTC, datetime
from app.domain.demo import DemoProfile, DemoSizes, DmFrequency, Persona
from app.domain.generation import generate_daily_content, generate_demo, generate_tick
from app.domain.inbox import Platform
digest = hashlib.sha256()
now = datetime(2026, 5, 1, tzinfo=UTC)
for persona in Persona:
    p = DemoProfile(uuid.UUID(int=7), Platform.INSTAGRAM, persona, DmFrequency.MEDIUM, 3,
                    "en_US", DemoSizes(), datetime(2026, 1, 1, tzinfo=UTC))
    d = generate_demo(p, now, p.sizes)
    for x in (*d.content, *d.comments, *d.dms, *generate_daily_content(p, now),
              *generate_tick(p, now, d.content)):
        digest.update(repr(asdict(x)).encode())
print(digest.hexdigest())
"""


def test_the_same_inputs_give_byte_identical_output_in_any_process() -> None:
    """Whatever the hash seed (set and dict order of strings) and the machine's time zone."""
    import os
    import subprocess
    import sys

    digests = set()
    runs = [("0", "UTC"), ("1", "Asia/Kolkata"), ("2", "America/Los_Angeles"), ("5", "UTC")]
    runs += [("7", "Europe/Berlin"), ("42", "Pacific/Auckland")]
    for hash_seed, tz in runs:
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "TZ": tz}
        done = subprocess.run(
            [sys.executable, "-c", _DIGEST], env=env, capture_output=True, text=True, check=True
        )
        digests.add(done.stdout.strip())
    assert len(digests) == 1, digests


SEEDS = (1, 2, 3)


def _batches() -> list[GeneratedDemo]:
    return [
        generate_demo(profile(persona, seed, uuid.UUID(int=seed * 7919)), NOW, DemoSizes())
        for persona in (Persona.TECH_REVIEWS, Persona.COOKING, Persona.GAMING)
        for seed in SEEDS
    ]


@pytest.fixture(scope="module")
def batches() -> list[GeneratedDemo]:
    return _batches()


def test_comments_form_threads_and_replies_count_among_the_comments(
    batches: list[GeneratedDemo],
) -> None:
    for out in batches:
        assert len(out.comments) == 920
        by_id = {c.platform_id: c for c in out.comments}
        replies = [c for c in out.comments if c.in_reply_to]
        assert len(replies) >= 0.15 * len(out.comments)
        roots: Counter[str] = Counter()
        for reply in replies:
            parent = by_id[reply.in_reply_to]  # type: ignore[index]
            assert parent.content == reply.content  # on the same post
            assert reply.occurred_at > parent.occurred_at
            root = parent
            while root.in_reply_to:
                root = by_id[root.in_reply_to]
            roots[root.platform_id] += 1
        assert max(roots.values()) + 1 <= 6  # threads of 2 to 6
        assert any(r.text.startswith(f"@{by_id[r.in_reply_to].author.handle}") for r in replies)  # type: ignore[index]


@pytest.mark.parametrize("platform", list(Platform))
def test_threads_are_one_level_where_the_platform_has_them_so(platform: Platform) -> None:
    """Instagram, YouTube, TikTok and a Page list every reply under the top comment: a reply
    to a reply is filed there, opening with whom it answers ("@handle", a Page's "Full Name"),
    as their apps write it. X's replies answer the reply itself."""
    p = replace(profile(Persona.COOKING, 11), platform=platform)
    # (600 comments before round 47: an answer to "same question" answers the asker, under
    # the question, and fewer replies answer a reply; 900 before round 70: one "same
    # experience" under how it went for someone, not two)
    out = generate_demo(p, NOW, DemoSizes(content=20, comments=1200, dms=0))
    by_id = {c.platform_id: c for c in out.comments}
    replies = [c for c in out.comments if c.in_reply_to]
    under_replies = [r for r in replies if by_id[r.in_reply_to].in_reply_to]  # type: ignore[index]
    answering_replies = [
        r for r, said in reading.addressed(out.comments).items() if said.in_reply_to
    ]
    if platform is Platform.X:
        assert len(under_replies) >= 10
    else:
        assert under_replies == []
        assert len(answering_replies) >= 10


def test_the_creator_answers_questions_within_a_day_and_complaints_draw_replies(
    batches: list[GeneratedDemo],
) -> None:
    for out in batches:
        by_id = {c.platform_id: c for c in out.comments}
        questions = [c for c in out.comments if c.intent is Intent.QUESTION and not c.in_reply_to]
        answers = reading.addressed(out.comments)
        answered = {
            parent.platform_id
            for reply, parent in answers.items()
            if by_id[reply].author.is_creator
            and by_id[reply].occurred_at - parent.occurred_at <= timedelta(hours=24)
        }
        assert sum(q.platform_id in answered for q in questions) >= 0.3 * len(questions)
        replies = Counter(parent.platform_id for parent in answers.values())
        fans = [c for c in out.comments if not c.author.is_creator]

        rate = {
            sentiment: sum(replies[c.platform_id] for c in mine) / len(mine)
            for sentiment in (Sentiment.NEGATIVE, Sentiment.POSITIVE)
            if (mine := [c for c in fans if c.sentiment is sentiment])
        }
        assert rate[Sentiment.NEGATIVE] > rate[Sentiment.POSITIVE]


def test_dms_are_conversations_with_the_creator_answering_later_in_the_day(
    batches: list[GeneratedDemo],
) -> None:
    for out in batches:
        assert len(out.dms) == 100
        conversations: dict[str, list[WebhookInteraction]] = {}
        for message in out.dms:
            assert message.conversation_id is not None
            conversations.setdefault(message.conversation_id, []).append(message)
        sizes = [len(m) for m in conversations.values()]
        assert sum(2 <= n <= 8 for n in sizes) >= 0.4 * len(sizes)
        for messages in conversations.values():
            times = [m.occurred_at for m in messages]
            assert times == sorted(times)
            assert len(set(times)) == len(times)
            assert not messages[0].author.is_creator  # a fan writes first
            assert len({m.author.handle for m in messages if not m.author.is_creator}) == 1
            for before, answer in itertools.pairwise(messages):
                if answer.author.is_creator:
                    assert timedelta(minutes=1) < answer.occurred_at - before.occurred_at
                    assert 9 <= answer.occurred_at.hour < 23
        assert all(m.occurred_at < NOW for m in out.dms)


def test_every_item_carries_its_labels(batches: list[GeneratedDemo]) -> None:
    for out in batches:
        for item in (*out.comments, *out.dms):
            assert (item.intent, item.sentiment, item.language) != (None, None, None)
            assert item.topic
            assert item.language in ("en", "es", "pt", "de")
        assert all(c.occurred_at < NOW for c in out.comments)


def test_everything_generated_passes_the_receivers_validation(
    batches: list[GeneratedDemo],
) -> None:
    import json

    from app.adapters.webhooks.wire import dump_batch, load_message

    for out in batches:
        items = [*out.comments, *out.dms]
        for start in range(0, len(items), 500):
            part = items[start : start + 500]
            assert load_message(json.loads(json.dumps(dump_batch(part))))[1] == part


@settings(max_examples=300, deadline=None)
@given(st.uuids(), st.text(max_size=40))
def test_platform_id_digests_are_uuid5s(namespace: uuid.UUID, name: str) -> None:
    """The ids' digest, written out for speed, is what uuid.uuid5 gave before it."""
    assert name_digest(namespace.bytes, name) == uuid.uuid5(namespace, name).hex[:20]


def test_a_worn_out_sentence_is_never_cut_off_mid_way() -> None:
    """Said a third time in a batch, a sentence gives way to its first clause, or to what its
    `worn_out` says, or is said whole: never to its first few words."""
    from app.domain.generation.writer import Said, Writer

    writer = Writer(profile(), "test", Said())
    sentence = "I wanted more on the budget breakdown of the whole trip too"
    said = [writer.fresh(lambda: sentence, keep=True) for _ in range(3)]
    assert said == [sentence] * 3  # no clause to fall back on: whole
    said = [writer.fresh(lambda: f"Same, {sentence.lower()}", keep=True) for _ in range(3)]
    assert said[2] == "Same"
    worn = writer.fresh(lambda: sentence, keep=True, worn_out=lambda: "🙌")
    assert worn == "🙌"


@pytest.mark.parametrize("language", ["en", "es", "pt", "de"])
def test_a_brand_rep_signs_with_a_given_name_whatever_handles_look_like(language: str) -> None:
    """A given name ("I'm Sarah from Tidewell Active"), never a word handle's ("comfy")."""
    import random

    from app.domain.generation.people import GIVEN, brand_rep

    given = {name for names in GIVEN[language] for name in names}
    rng = random.Random(3)
    for persona in Persona:
        for _ in range(50):
            _, brand, rep = brand_rep(rng, persona, language, set())
            assert rep in given, (brand, rep)


@pytest.mark.parametrize(
    ("persona", "locale"),
    [(Persona.COOKING, "en_US"), (Persona.FITNESS, "de_DE"), (Persona.BEAUTY, "pt_BR"),
     (Persona.GAMING, "es_ES")],
)  # fmt: skip
def test_a_facebook_pages_comments_name_people_as_facebook_does(
    persona: Persona, locale: str
) -> None:
    """Round 22's readers of a Page: no @handle (Facebook tags a name), no "First!", no bio."""
    page = replace(profile(persona), platform=Platform.FACEBOOK, locale=locale)
    out = generate_demo(page, NOW, DemoSizes())
    texts = [i.text for i in out.comments]
    assert not [t for t in texts if re.search(r"(?<![\w.])@[a-z]", t)]
    assert not [t for t in texts if t.strip(" !").lower() in ("first", "primero", "erster")]
    assert not [t for t in (*texts, *(m.text for m in out.dms)) if re.search(r"\bbio\b", t, re.I)]
    names = {i.author.display_name for i in out.comments}
    tagged = [t for t in texts if any(t.startswith(f"{n} ") for n in names)]
    assert len(tagged) > 20  # a friend, or the one answered, by name


def test_generation_tells_its_progress_every_250_items_of_comments_and_dms() -> None:
    heard: list[tuple[int, int]] = []
    sizes = DemoSizes(content=8, comments=900, dms=300)
    out = generate_demo(profile(), NOW, sizes, lambda done, total: heard.append((done, total)))
    assert {total for _, total in heard} == {1_200}
    done = [d for d, _ in heard]
    assert done[0] == 0
    assert done == sorted(done)
    assert all(250 <= b - a < 260 for a, b in itertools.pairwise(done))  # (a conversation's size)
    assert done[-1] >= 1_200 - 260
    assert generate_demo(profile(), NOW, sizes) == out  # told or not, the same batch
