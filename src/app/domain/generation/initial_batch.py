"""The initial batch: content backdated over a month, comments spread over it, DMs."""

import functools
import itertools
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.domain.demo import Content, DemoProfile, DemoSizes
from app.domain.generation.conversations import conversations
from app.domain.generation.facts import SUBJECTS, fact_sheet
from app.domain.generation.happenings import happenings
from app.domain.generation.ids import platform_id
from app.domain.generation.threads import comments_on
from app.domain.generation.writer import Said, Scene, Writer
from app.domain.inbox import Author, InteractionKind, WebhookInteraction
from app.domain.time import require_aware

DM_DAYS = 14
CONTENT_DAYS = 30
SKEW = 0.45  # how fast comments fall off from the busiest post to the quietest
VIRAL_SHARE = 0.06  # posts that take off: a few times the median
RECURRING_SHARE = 0.2  # of comments: by one of the account's recurring fans
# told how far generation is (done, total), every PROGRESS_EVERY items: a job's heartbeat,
# where a cancel or a shutdown is heard (50,000 comments take minutes to write)
Progress = Callable[[int, int], None]
PROGRESS_EVERY = 250


def unheard(done: int, total: int) -> None:
    return None


def every(progress: Progress, total: int) -> Callable[[int], None]:
    """`progress` told (done, total) each time done passes another PROGRESS_EVERY."""
    told = -PROGRESS_EVERY

    def tell(done: int) -> None:
        nonlocal told
        if done - told >= PROGRESS_EVERY:
            told = done
            progress(done, total)

    return tell


@dataclass(frozen=True, slots=True)
class GeneratedDemo:
    content: tuple[Content, ...]
    comments: tuple[WebhookInteraction, ...]
    dms: tuple[WebhookInteraction, ...]


def generate_demo(
    profile: DemoProfile,
    reference_time: datetime,
    sizes: DemoSizes,
    progress: Progress = unheard,
) -> GeneratedDemo:
    now = require_aware(reference_time, "reference_time")
    content = _content(profile, now, sizes)
    said = Said()  # one batch: no long sentence a third time, in comments or DMs
    tell = every(progress, sizes.comments + sizes.dms)
    comments = _comments(profile, now, content, said, tell)
    dms = _dms(profile, now, sizes.dms, content, said, lambda n: tell(len(comments) + n))
    # a native Meta account's edits, removals, unsends and reactions, after what they are on
    events = happenings(profile, (*comments, *dms), now, "initial")
    return GeneratedDemo(
        content=content,
        comments=(*comments, *(e for e in events if e.kind is InteractionKind.COMMENT)),
        dms=(*dms, *(e for e in events if e.kind is InteractionKind.DM)),
    )


def title(w: Writer, post_id: str, used: Counter[str]) -> str:
    """A post's title, from what it is about; a channel does not post the same title twice,
    and of its shapes of title posts the one it used least ("El pan de plátano, paso a paso"
    after "El curry de coco, paso a paso": round 32's readers in three languages). `used`
    counts the channel's titles and their templates."""
    sheet = fact_sheet(w.profile, post_id)
    scene = Scene(sheet, sheet.tags | {f"c_{w.country}"})
    found = w.options("title", scene)
    least = min(used[o] for o in found)
    shapes = [o for o in found if used[o] == least]
    shape = w.rng.choice(shapes)
    said = w.write(shape, scene)
    for _ in range(20):
        # (nor the same verdict after a colon: "Dell U2723QE review: a keeper", "Galaxy A35
        # review: a keeper", round 57)
        if not used[said] and not used[_verdict(said) or said]:
            break
        shape = w.rng.choice(found)
        said = w.write(shape, scene)
    part = 2
    while used[said]:  # as channels number a series: "Sourdough, start to finish #2"
        said = f"{said.rsplit(' #', 1)[0]} #{part}"
        part += 1
    verdict = _verdict(said)
    used.update((said, shape, verdict) if verdict else (said, shape))
    return said


def _verdict(title: str) -> str:
    """What a title says after its colon ("a keeper"), as a key of its own; or ""."""
    head, colon, tail = title.rpartition(":")
    return f"verdict:{tail.strip().lower()}" if colon and head else ""


def _content(profile: DemoProfile, now: datetime, sizes: DemoSizes) -> tuple[Content, ...]:
    w = Writer(profile, "content")
    n = sizes.content
    if n == 0:
        return ()
    # a skewed share per post, falling off gently, with the odd viral one
    weights = [1 / (rank + 1) ** SKEW for rank in range(n)]
    w.rng.shuffle(weights)
    median = sorted(weights)[n // 2]
    for i in range(n):
        if w.rng.random() < VIRAL_SHARE:
            weights[i] = max(weights[i], median * w.rng.uniform(3, 6))
    targets = _allocate(sizes.comments, weights)
    items = []
    used: Counter[str] = Counter()
    for i, post_id in enumerate(_post_ids(profile, n)):
        age = timedelta(days=CONTENT_DAYS) * (n - i - w.rng.random()) / n  # oldest first, to ~now
        items.append(
            Content(
                account_id=profile.account_id,
                platform_id=post_id,
                title=title(w, post_id, used),
                published_at=now - max(age, timedelta(minutes=30)),
                target_comments=targets[i],
            )
        )
    return tuple(items)


def _post_ids(profile: DemoProfile, n: int) -> list[str]:
    """The ids of n posts, each about a subject the others are not about while the persona has
    subjects left ("Der Malenia-Kampf erklärt" and "Der Malenia-Kampf Schritt für Schritt" on
    one channel: round 45): a post's subject follows from its id (`facts.fact_sheet`), so of
    the ids the stream numbers, those of a subject not posted about yet."""
    ids: list[str] = []
    about: set[str] = set()
    every = len(SUBJECTS[profile.persona])
    for k in itertools.count():
        if len(ids) == n:
            return ids
        post_id = platform_id(profile, "v", "content", k)
        subject = fact_sheet(profile, post_id).subject.key
        if len(about) == every:
            about.clear()  # all of them posted about: a second round
        if subject not in about or k >= n * TRIES_A_POST:
            about.add(subject)
            ids.append(post_id)
    raise AssertionError("unreachable")


TRIES_A_POST = 40  # ids drawn for each post, at most, for a subject not posted about


def _allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split total in proportion to weights, exactly (largest remainder)."""
    whole = sum(weights)
    shares = [total * w / whole for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(shares)), key=lambda i: shares[i] - counts[i], reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _comments(
    profile: DemoProfile,
    now: datetime,
    content: Sequence[Content],
    said: Said,
    progress: Callable[[int], None],
) -> tuple[WebhookInteraction, ...]:
    w = Writer(profile, "comments", said)
    fans = Fans(profile)
    firsts: set[str] = set()  # posts that have their "First!"
    posts = []
    for post in content:
        window = (now - post.published_at).total_seconds()
        times = []
        for _ in range(post.target_comments):
            # engagement decays after publication: mostly within two days, a long tail after
            if w.rng.random() < 0.9:
                delay = w.rng.expovariate(1 / (10 * 3600))
            else:
                delay = w.rng.uniform(0, 20 * 86400)
            times.append(_in_rhythm(w, post, delay, window))
        posts.append((post, times))
    return tuple(comments_on(w, posts, "comment", 0, lambda: someone(w, fans), firsts, progress))


def someone(w: Writer, fans: "Fans") -> tuple[Author, str]:
    """A recurring fan, a fifth of the time; someone new otherwise; and their language."""
    if w.rng.random() < RECURRING_SHARE:
        fan = fans.pick(w.rng)
        wrote = f"fan:{fan[0].handle}"
        if w.said.told[wrote] < RECURRING_AT_MOST and w.takes(fan[0]):
            w.said.told[wrote] += 1
            return fan
    return w.someone()


class Fans:
    """An account's recurring fans: the same people, each with their language, in every batch
    and tick, each drawn from their own seed, only when first needed."""

    POOL = 80
    HOME = 3  # the superfans speak the account's language

    def __init__(self, profile: DemoProfile) -> None:
        self._profile = profile
        self._known: dict[int, tuple[Author, str]] = {}

    def pick(self, rng: random.Random) -> tuple[Author, str]:
        n = rng.choices(range(self.POOL), cum_weights=_FAN_CUM_WEIGHTS)[0]
        if n not in self._known:
            self._known[n] = _fan(self._profile, n)
        return self._known[n]


@functools.lru_cache(maxsize=65536)
def _fan(profile: DemoProfile, n: int) -> tuple[Author, str]:
    """The n-th recurring fan of an account, from their own seed."""
    w = Writer(profile, f"fan:{n}")
    language = w.someone_language() if n >= Fans.HOME else w.home.language
    return w.someone(language)


# a few superfans, many occasional ones (cumulated once: choices() would add them up per call)
_FAN_CUM_WEIGHTS = list(itertools.accumulate(1 / (i + 1) ** 0.8 for i in range(Fans.POOL)))
# comments a recurring fan writes in a batch at most (round 52's reader took one with 18, on
# 16 of 35 posts, for "a cast list")
RECURRING_AT_MOST = 8


def _in_rhythm(w: Writer, post: Content, delay: float, window: float) -> datetime:
    """The comment's time after publication, moved off the audience's quiet hours: a time in
    a quiet hour is drawn again (a few times at most) near the same delay."""
    offset = timedelta(hours=AUDIENCE_UTC_OFFSET.get(w.profile.locale, 0))
    at = post.published_at + timedelta(seconds=delay % max(window, 1.0))
    for _ in range(6):
        if w.rng.random() < HOURLY[(at + offset).hour]:
            return at
        nudged = delay * w.rng.uniform(0.5, 1.5) + w.rng.uniform(0, 12 * 3600)
        at = post.published_at + timedelta(seconds=nudged % max(window, 1.0))
    return at


# how busy each hour of the audience's day is (local time), and where the audience lives
HOURLY = (0.25, 0.15, 0.1, 0.08, 0.08, 0.1, 0.2, 0.35, 0.5, 0.6, 0.65, 0.7,
          0.8, 0.8, 0.75, 0.75, 0.8, 0.9, 1.0, 1.0, 0.95, 0.85, 0.6, 0.4)  # fmt: skip
AUDIENCE_UTC_OFFSET = {"en_US": -5, "es_MX": -6, "pt_BR": -3, "de_DE": 1, "es_ES": 1}


def _dms(
    profile: DemoProfile,
    now: datetime,
    count: int,
    content: Sequence[Content],
    said: Said,
    progress: Callable[[int], None],
) -> tuple[WebhookInteraction, ...]:
    w = Writer(profile, "dms", said)
    return tuple(
        conversations(
            w,
            count,
            now - timedelta(days=DM_DAYS),
            now,
            content,
            lambda n: platform_id(profile, "dm", "dm", n),
            lambda n: platform_id(profile, "conv", "conversation", n),
            progress=progress,
        )
    )
