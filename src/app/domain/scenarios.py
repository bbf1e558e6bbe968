"""Named scenarios (issue 26): a story a demo account lives through over hours (a launch's
spike, a PR crisis, a spam wave), read from a document (a YAML file's mapping) and changed by
path before anything is generated.

A scenario says how many events arrive when (arrival-rate stages as k6's
`ramping-arrival-rate` has them: each stage goes in a straight line from the rate before it to
its own over its duration), how they split between comments and DMs, what people say (the
weights of the comments' acts and of the DMs' openings: a crisis is complaints, not relabelled
praise, so the words and the labels agree), the posts it begins with, and fields set on every
item it sends (`comments[*].sentiment: negative`)."""

import math
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from app.domain.errors import DomainError
from app.domain.fields import FIELDS, field_error
from app.domain.generation.acts import TOP_LEVEL
from app.domain.generation.conversations import OPENINGS

MOST_EVENTS = 50_000  # in one run
LONGEST = timedelta(days=7)
MOST_STAGES = 50
MOST_NEW_POSTS = 3
DMS_SHARE = 0.15  # where a scenario does not say
NEW_POSTS_SHARE = 0.6  # of the comments, on the posts a scenario begins with
KINDS = ("comments", "dms")
ACTS = tuple(act.value for act, _ in TOP_LEVEL)
DM_OPENINGS = tuple(kind for kind, _ in OPENINGS)
_KEYS = ("description", "start_rate", "stages", "comments", "dms", "new_posts", "overrides")


class ScenarioError(DomainError):
    """A scenario that cannot run as written: names the path (or the file's line); `field`
    is the request's field it came from."""

    def __init__(self, message: str, field: str = "overrides") -> None:
        super().__init__(message)
        self.field = field


class UnknownScenarioError(DomainError):
    def __init__(self, name: str, known: Sequence[str]) -> None:
        super().__init__(f"no scenario {name!r}; the scenarios: {', '.join(known)}")
        self.field = "name"


@dataclass(frozen=True, slots=True)
class Stage:
    duration: timedelta
    rate: float  # events an hour at the stage's end, reached in a straight line


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    description: str
    start_rate: float  # events an hour at the start
    stages: tuple[Stage, ...]
    dms_share: float  # of the events; the rest are comments
    acts: tuple[tuple[str, float], ...]  # comments' acts and weights; () the usual mix
    openings: tuple[tuple[str, float], ...]  # DMs' openings and weights; () the usual mix
    new_posts: int  # published as it begins
    new_posts_share: float  # of the comments, on those posts
    title_prefix: tuple[tuple[str, str], ...]  # the new posts' titles begin so, by language
    post_tags: frozenset[str]  # what the new posts are (giveaway: a friend tagged enters it)
    fields: tuple[tuple[str, str, str], ...]  # (kind, path, value) set on every item

    @property
    def duration(self) -> timedelta:
        return sum((s.duration for s in self.stages), timedelta(0))

    @property
    def total(self) -> float:
        """Events the curve declares over the whole run."""
        return self.expected(timedelta(0), self.duration)

    def _pieces(self) -> list[tuple[float, float, float, float]]:
        """(start, end) in seconds and the rates (a second) at each end, stage by stage."""
        pieces, at, rate = [], 0.0, self.start_rate / 3600
        for stage in self.stages:
            end = at + stage.duration.total_seconds()
            pieces.append((at, end, rate, stage.rate / 3600))
            at, rate = end, stage.rate / 3600
        return pieces

    def rate_at(self, offset: timedelta) -> float:
        """Events an hour the curve declares `offset` after the start."""
        t = offset.total_seconds()
        for t0, t1, r0, r1 in self._pieces():
            if t0 <= t < t1:
                return 3600 * (r0 + (r1 - r0) * (t - t0) / (t1 - t0))
        return 0.0

    def _cumulative(self, t: float) -> float:
        n = 0.0
        for t0, t1, r0, r1 in self._pieces():
            dt = min(max(t - t0, 0.0), t1 - t0)
            n += r0 * dt + (r1 - r0) / (2 * (t1 - t0)) * dt * dt
        return n

    def expected(self, since: timedelta, until: timedelta) -> float:
        """Events the curve declares between two offsets from the start."""
        return self._cumulative(until.total_seconds()) - self._cumulative(since.total_seconds())

    def _offset_of(self, count: float) -> float:
        """Seconds from the start by which the curve has declared `count` events."""
        before = 0.0
        for t0, t1, r0, r1 in self._pieces():
            d = t1 - t0
            here = (r0 + r1) / 2 * d
            if count <= before + here and here > 0:
                rest, a = count - before, (r1 - r0) / (2 * d)
                if abs(a) < 1e-12:
                    return t0 + rest / r0
                return t0 + (-r0 + math.sqrt(max(r0 * r0 + 4 * a * rest, 0.0))) / (2 * a)
            before += here
        return self.duration.total_seconds()

    def arrivals(self, rng: random.Random) -> list[timedelta]:
        """When each of the run's events arrives, in order: the k-th where the curve has
        declared k and a random quarter to three quarters of one more, so every window holds
        what the curve declares for it to within an event and a half, and no two gaps are
        alike."""
        total = self.total
        n = round(total)
        if n == 0:
            return []
        step = total / n
        return [
            timedelta(seconds=self._offset_of((k + rng.uniform(0.25, 0.75)) * step))
            for k in range(n)
        ]


def valid_paths(document: Mapping[str, Any]) -> list[str]:
    """What an override may set on this scenario, by path."""
    stages = document.get("stages")
    count = len(stages) if isinstance(stages, list) else 0
    return [
        "start_rate",
        *(f"stages[{i}].{key}" for i in range(count) for key in ("duration", "rate")),
        "comments.share",
        "dms.share",
        *(f"comments.acts.{act}" for act in ACTS),
        *(f"dms.openings.{kind}" for kind in DM_OPENINGS),
        "new_posts.count",
        "new_posts.share",
        *(f"{kind}[*].{path}" for kind in KINDS for path in FIELDS),
    ]


def overridden(document: Mapping[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    """The document with each path set: a path it does not have is refused, naming the ones
    it has. Setting one kind's share lets the other follow."""
    doc: dict[str, Any] = {k: _copy(v) for k, v in document.items()}
    valid = valid_paths(doc)
    for path, value in overrides.items():
        if path not in valid:
            raise ScenarioError(
                f"overrides: no path {path!r}; the paths: {', '.join(_compact(valid))}"
            )
        if "[*]." in path:
            fields = doc.get("overrides")
            doc["overrides"] = {**(fields if isinstance(fields, dict) else {}), path: value}
            continue
        parts = re.findall(r"[^.\[\]]+", path)
        into: Any = doc
        for i, part in enumerate(parts[:-1]):
            key: Any = int(part) if part.isdigit() else part
            if isinstance(into, dict) and not isinstance(into.get(key), dict | list):
                into[key] = {}
            into = into[key]
            if i == 0 and part in KINDS and parts[-1] == "share":
                other = doc.get(KINDS[1 - KINDS.index(part)])
                if isinstance(other, dict):
                    other.pop("share", None)
        into[int(parts[-1]) if parts[-1].isdigit() else parts[-1]] = value
    return doc


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _compact(paths: Sequence[str]) -> list[str]:
    """`comments.acts.{praise,react,…}`: a family of paths in one."""
    families: dict[str, list[str]] = {}
    for path in paths:
        head, _, last = path.rpartition(".")
        key = head if head in ("comments.acts", "dms.openings", "comments[*]", "dms[*]") else path
        families.setdefault(key, []).append(last if key != path else path)
    return [
        key if members == [key] else f"{key}.{{{','.join(members)}}}"
        for key, members in families.items()
    ]


def scenario_of(name: str, document: Mapping[str, Any]) -> Scenario:
    """The scenario a document describes (its own `overrides` set first), or ScenarioError
    naming the path that is wrong."""
    if not isinstance(document, Mapping):
        raise ScenarioError(f"{name}: a scenario is a mapping of {', '.join(_KEYS)}")
    unknown = [k for k in document if k not in _KEYS]
    if unknown:
        raise ScenarioError(f"{name}: no key {unknown[0]!r}; the keys: {', '.join(_KEYS)}")
    own = document.get("overrides") or {}
    if not isinstance(own, Mapping):
        raise ScenarioError("overrides: a mapping of path: value")
    structural = {p: v for p, v in own.items() if "[*]." not in str(p)}
    doc = overridden(document, structural) if structural else dict(document)
    fields = []
    for path, value in (doc.get("overrides") or {}).items():
        if path not in valid_paths(doc):
            raise ScenarioError(
                f"overrides: no path {path!r}; the paths: {', '.join(_compact(valid_paths(doc)))}"
            )
        kind, _, field = str(path).partition("[*].")
        if "[*]." in str(path):
            why = field_error(field, value)
            if why is not None:
                raise ScenarioError(f"overrides.{path}: {why}")
            fields.append((kind, field, str(value)))
    description = doc.get("description")
    if not isinstance(description, str) or not description.strip():
        raise ScenarioError("description: say in a sentence what the scenario is")
    stages = _stages(doc.get("stages"))
    comments, dms = _section(doc, "comments"), _section(doc, "dms")
    dms_share = _shares(comments, dms)
    posts = _section(doc, "new_posts")
    new_posts = posts.get("count", 0)
    if isinstance(new_posts, bool) or not isinstance(new_posts, int):
        raise ScenarioError(f"new_posts.count: a whole number 0 to {MOST_NEW_POSTS}")
    if not 0 <= new_posts <= MOST_NEW_POSTS:
        raise ScenarioError(f"new_posts.count: 0 to {MOST_NEW_POSTS}, got {new_posts}")
    scenario = Scenario(
        name=name,
        description=description.strip(),
        start_rate=rate_of(doc.get("start_rate", 0), "start_rate"),
        stages=stages,
        dms_share=dms_share,
        acts=_weights(comments.get("acts"), "comments.acts", ACTS),
        openings=_weights(dms.get("openings"), "dms.openings", DM_OPENINGS),
        new_posts=new_posts,
        new_posts_share=_share(posts.get("share", NEW_POSTS_SHARE), "new_posts.share"),
        title_prefix=_prefixes(posts.get("title_prefix")),
        post_tags=_post_tags(posts.get("tags")),
        fields=tuple(fields),
    )
    if scenario.duration > LONGEST:
        raise ScenarioError(f"stages: at most {LONGEST.days} days in all")
    if scenario.total > MOST_EVENTS:
        raise ScenarioError(
            f"stages: the curve declares {scenario.total:,.0f} events; at most {MOST_EVENTS:,}"
        )
    if scenario.total < 1:
        raise ScenarioError("stages: the curve declares no event; give a stage a rate")
    return scenario


def _section(doc: Mapping[str, Any], key: str) -> dict[str, Any]:
    value = doc.get(key) or {}
    if not isinstance(value, dict):
        raise ScenarioError(f"{key}: a mapping")
    return value


POST_TAGS = ("giveaway",)


def _post_tags(value: Any) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list) or any(v not in POST_TAGS for v in value):
        raise ScenarioError(f"new_posts.tags: a list of {', '.join(POST_TAGS)}")
    return frozenset(value)


def _prefixes(value: Any) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in value.items()
    ):
        raise ScenarioError("new_posts.title_prefix: a mapping of language (en, es, …) to text")
    return tuple((k, v) for k, v in value.items())


def _shares(comments: Mapping[str, Any], dms: Mapping[str, Any]) -> float:
    if "share" in dms:
        share = _share(dms["share"], "dms.share")
        if (
            "share" in comments
            and abs(_share(comments["share"], "comments.share") + share - 1) > 1e-9
        ):
            raise ScenarioError("comments.share and dms.share add up to 1")
        return share
    if "share" in comments:
        return 1 - _share(comments["share"], "comments.share")
    return DMS_SHARE


def _share(value: Any, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ScenarioError(f"{path}: a share from 0 to 1, got {value!r}")
    return float(value)


def _weights(value: Any, path: str, known: Sequence[str]) -> tuple[tuple[str, float], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict) or not value:
        raise ScenarioError(f"{path}: a mapping of {', '.join(known)} to weights")
    for key, weight in value.items():
        if key not in known:
            raise ScenarioError(f"{path}: no {key!r}; the ones there are: {', '.join(known)}")
        if isinstance(weight, bool) or not isinstance(weight, int | float) or weight < 0:
            raise ScenarioError(f"{path}.{key}: a weight of 0 or more, got {weight!r}")
    if not any(value.values()):
        raise ScenarioError(f"{path}: give one of them a weight above 0")
    return tuple((k, float(value[k])) for k in known if k in value)


def _stages(value: Any) -> tuple[Stage, ...]:
    if not isinstance(value, list) or not value:
        raise ScenarioError("stages: a list of {duration: 2h, rate: 300/h}")
    if len(value) > MOST_STAGES:
        raise ScenarioError(f"stages: at most {MOST_STAGES}")
    stages = []
    for i, stage in enumerate(value):
        if not isinstance(stage, dict) or set(stage) != {"duration", "rate"}:
            raise ScenarioError(f"stages[{i}]: write it as {{duration: 2h, rate: 300/h}}")
        stages.append(
            Stage(duration_of(stage["duration"], f"stages[{i}].duration"),
                  rate_of(stage["rate"], f"stages[{i}].rate"))
        )  # fmt: skip
    return tuple(stages)


_DURATION = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")


def duration_of(value: Any, path: str) -> timedelta:
    """'2h', '30m', '1h30m', '90s', '1d'."""
    found = _DURATION.fullmatch(str(value).strip()) if isinstance(value, str) else None
    if found is None or not any(found.groups()):
        raise ScenarioError(f"{path}: a duration as 2h, 30m, 1h30m or 90s, got {value!r}")
    d, h, m, s = (int(g or 0) for g in found.groups())
    duration = timedelta(days=d, hours=h, minutes=m, seconds=s)
    if duration <= timedelta(0):
        raise ScenarioError(f"{path}: longer than nothing, got {value!r}")
    return duration


_PER = {"s": 3600, "m": 60, "min": 60, "h": 1}


def rate_of(value: Any, path: str) -> float:
    """Events an hour from '300/h', '5/m', '0.5/s' (or a number: an hour)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        count, per = float(value), 1
    else:
        text = str(value).strip()
        number, _, unit = text.partition("/")
        try:
            count = float(number)
        except ValueError:
            count = -1.0
        per = _PER.get(unit.strip(), 0) if unit else 0
        if not per:
            count = -1.0
    if not (count >= 0 and math.isfinite(count)):
        raise ScenarioError(f"{path}: a rate as 300/h, 5/m or 0.5/s, got {value!r}")
    return count * per


@dataclass(frozen=True, slots=True)
class ScenarioCounts:
    """A run's items in the outbox: delivered, by window from its start, and still to go."""

    sent: dict[int, int]
    pending: int


def typed(text: str) -> Any:
    """A value typed on a command line as a document would hold it: 0.4 a number, 3 a whole
    number, anything else the text."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text
