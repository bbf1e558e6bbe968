"""What a scenario run says: its posts, and its comments and DMs with the times they arrive.

The comments and conversations are written as a tick's are (the conversation model: replies
answer their parents, DMs remember what was said), with the scenario's mix of what people say,
over the run's span; then each item in turn takes the next of the curve's arrival times. The
times move monotonically, so a reply still comes after what it answers, and a conversation
keeps its order; where the curve is steep, people answer sooner."""

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from app.domain.demo import Content, DemoProfile
from app.domain.fields import with_fields
from app.domain.generation.acts import Act
from app.domain.generation.conversations import conversations
from app.domain.generation.ids import platform_id
from app.domain.generation.initial_batch import Fans, someone, title
from app.domain.generation.threads import comments_on
from app.domain.generation.writer import Said, Writer, weighted
from app.domain.inbox import InteractionKind, WebhookInteraction
from app.domain.platforms import facts_of
from app.domain.scenarios import Scenario
from app.domain.time import require_aware

SLICE_COMMENTS = 25  # comments written as one batch
SLICE_DMS = 20  # DMs, in conversations opened in one slice of the run
# a post two days old draws half the comments of a new one: a run's flood spreads over the
# account's recent posts (a tick's half-life of 12 hours put nine in ten under the newest)
HALF_LIFE_H = 48.0


@dataclass(frozen=True, slots=True)
class ScenarioItems:
    content: tuple[Content, ...]  # the posts it begins with
    items: tuple[WebhookInteraction, ...]  # comments and DMs, in the order they arrive


def generate_scenario(
    profile: DemoProfile,
    scenario: Scenario,
    start: datetime,
    run: str,
    content: Sequence[Content],
) -> ScenarioItems:
    """The run named `run` of the scenario from `start`: the same arguments, the same items."""
    start = require_aware(start, "start")
    end = start + scenario.duration
    stream = f"scenario:{scenario.name}:{run}"
    w = _writer(profile, scenario, stream)
    arrivals = scenario.arrivals(w.rng)
    new = _new_posts(w, scenario, start, stream)
    posts = [c for c in content if c.published_at < start] + list(new)
    n_dms = round(len(arrivals) * scenario.dms_share) if posts else len(arrivals)
    n_comments = len(arrivals) - n_dms
    items: list[WebhookInteraction] = []
    # written a slice of the run at a time, each as a batch of its own: a flood says the
    # things its kind of talk says again and again, which one batch's memory (a long sentence
    # once, a template once a post) would turn into reactions after the first few
    slices = -(-n_comments // SLICE_COMMENTS)
    said = Said()  # the run's, shared by its slices
    fans = Fans(profile)
    firsts: set[str] = set()
    span = (end - start) / max(slices, 1)
    for k in range(slices):
        n = n_comments * (k + 1) // slices - n_comments * k // slices
        writer = _writer(profile, scenario, f"{stream}:{k}", said, new)
        since = start + span * k
        times = _comment_times(writer, scenario, posts, new, since, since + span, n)
        items += comments_on(
            writer,
            [(post, times[post.platform_id]) for post in posts if post.platform_id in times],
            f"{stream}:comment:{k}",
            0,
            lambda writer=writer: someone(writer, fans),  # type: ignore[misc]
            firsts,
        )
    # the DMs too, a slice of conversations at a time, each going on to the run's end
    slices = -(-n_dms // SLICE_DMS)
    span = (end - start) / max(slices, 1)
    brands: set[str] = set()  # a brand writes once in a run too
    openers: set[str] = set()  # and a person opens one conversation
    for k in range(slices):
        n = n_dms * (k + 1) // slices - n_dms * k // slices
        since = start + span * k
        items += conversations(
            _writer(profile, scenario, f"{stream}:dms:{k}", said),
            n,
            since,
            end,
            posts,
            lambda i, k=k: platform_id(profile, "dm", f"{stream}:dm:{k}", i),  # type: ignore[misc]
            lambda i, k=k: platform_id(profile, "conv", f"{stream}:conversation:{k}", i),  # type: ignore[misc]
            opens_before=since + span,
            brands=brands,
            openers=openers,
        )
    items.sort(key=lambda i: (i.occurred_at, i.platform_id))
    timed = [
        replace(item, occurred_at=start + at) for item, at in zip(items, arrivals, strict=True)
    ]
    if scenario.fields:
        timed = [_with_fields(item, scenario) for item in timed]
    return ScenarioItems(content=new, items=tuple(timed))


def _writer(
    profile: DemoProfile,
    scenario: Scenario,
    stream: str,
    run: Said | None = None,
    new: Sequence[Content] = (),
) -> Writer:
    """A batch's writer, saying what the scenario's people say (on its `new` posts, what
    they are for); a slice's shares with the rest of the `run` what was said word for word."""
    w = Writer(profile, stream, Said(run))
    w.post_tags = {post.platform_id: scenario.post_tags for post in new}
    w.top_acts = _top_acts(scenario, profile)
    if scenario.openings:
        w.openings = (
            tuple(k for k, _ in scenario.openings),
            tuple(n for _, n in scenario.openings),
        )
    return w


def _top_acts(
    scenario: Scenario, profile: DemoProfile
) -> tuple[tuple[Act, ...], tuple[float, ...]] | None:
    """The scenario's acts, as the platform has them (a friend tagged where tags reach them;
    "First!" where people say it); None for the usual mix."""
    if not scenario.acts:
        return None
    platform = facts_of(profile.platform)
    acts = tuple(Act(a) for a, _ in scenario.acts)
    weights = tuple(
        0.0 if (act is Act.TAG and not platform.friend_tags)
        or (act is Act.FIRST and not platform.firsts) else n
        for act, (_, n) in zip(acts, scenario.acts, strict=True)
    )  # fmt: skip
    return (acts, weights) if any(weights) else None


def _new_posts(w: Writer, scenario: Scenario, start: datetime, stream: str) -> tuple[Content, ...]:
    used: Counter[str] = Counter()
    prefix = dict(scenario.title_prefix).get(w.language, "")
    posts = []
    for i in range(scenario.new_posts):
        post_id = platform_id(w.profile, "v", stream, i)
        posts.append(
            Content(
                account_id=w.profile.account_id,
                platform_id=post_id,
                title=prefix + title(w, post_id, used),
                published_at=start + timedelta(seconds=i),
                target_comments=0,
            )
        )
    return tuple(posts)


def _comment_times(
    w: Writer,
    scenario: Scenario,
    posts: Sequence[Content],
    new: Sequence[Content],
    start: datetime,
    end: datetime,
    n: int,
) -> dict[str, list[datetime]]:
    """Each comment's post and a time in the run (the curve's times replace it later): the
    run's new posts draw their share, the others as a tick's, the newest most."""
    old = [c for c in posts if c not in new]
    weights = [0.5 ** ((start - c.published_at).total_seconds() / 3600 / HALF_LIFE_H) for c in old]
    times: dict[str, list[datetime]] = {}
    for _ in range(n):
        if new and (not old or w.rng.random() < scenario.new_posts_share):
            post = w.rng.choice(list(new))
        else:
            post = weighted(w.rng, old, weights)
        at = start + (end - start) * w.rng.random()
        times.setdefault(post.platform_id, []).append(max(at, post.published_at))
    return {k: sorted(v) for k, v in times.items()}


def _with_fields(item: WebhookInteraction, scenario: Scenario) -> WebhookInteraction:
    kind = "comments" if item.kind is InteractionKind.COMMENT else "dms"
    return with_fields(item, [(path, value) for k, path, value in scenario.fields if k == kind])
