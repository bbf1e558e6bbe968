"""How live the generated engagement reads, as numbers beside their targets.

    .venv/bin/python bench/realism.py [--ticks 100] [--samples 0]

Measured on the default initial batch (35 content, 920 comments, 100 DMs) of each of the six
personas x three seeds (18 batches), and on `--ticks` ongoing-interactions ticks per persona
and seed over the batch's content plus the day's posts. Pure generation: no database. The
targets are issue 12's; a row is "ok" when the figure meets it. `--samples N` also prints N
comments and DMs of the first batch as they were generated.
"""

import argparse
import itertools
import os
import re
import statistics
import subprocess
import sys
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from rich.console import Console
from rich.table import Table

from app.domain.demo import Content, DemoProfile, DemoSizes, DmFrequency, Persona
from app.domain.generation import generate_daily_content, generate_demo, generate_tick
from app.domain.generation.vocabulary import EN
from app.domain.inbox import Intent, InteractionKind, Platform, Sentiment, WebhookInteraction

NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)
SEEDS = (1, 2, 3)
EMOJI = re.compile("[\U0001f300-\U0001faff\u2600-\u27bf\u2764\ufe0f\u200d\U0001f1e6-\U0001f1ff]+")
YOUTUBE_WORDS = re.compile(r"\b(subscribe\w*|channel|video)\b|\b\d{1,2}:\d{2}\b", re.IGNORECASE)
COMMENT_PHRASING = re.compile(r"the part at|watched (it )?at|\b\d{1,2}:\d{2}\b", re.IGNORECASE)
FAKER_CITY = re.compile(
    r"\b(North|South|East|West|New|Lake|Port)\s[A-Z][a-z]+|"
    r"\b[A-Z][a-z]+(mouth|ville|haven|burgh|borough|furt|chester|stad|view|side|fort)\b"
)
LAW_FIRM = re.compile(r"\b[A-Z][a-z]+, [A-Z][a-z]+ and [A-Z][a-z]+\b")
GRAMMAR_SLIP = re.compile(r"\byour (this|these|that|the)\b|\bhow does these\b", re.IGNORECASE)
HEARTS_LAUGHS = set("❤💕💖😍🥰😂🤣😭")


def profile(persona: Persona, seed: int, platform: Platform = Platform.YOUTUBE) -> DemoProfile:
    return DemoProfile(
        account_id=uuid.UUID(int=seed * 7919 + list(Persona).index(persona)),
        platform=platform,
        persona=persona,
        dm_frequency=DmFrequency.MEDIUM,
        seed=seed,
        locale="en_US",
        sizes=DemoSizes(),
        enabled_at=NOW - timedelta(days=40),
    )


def share(items: Sequence[object], test: Callable[[object], bool]) -> float:
    return sum(1 for i in items if test(i)) / len(items) if items else 0.0


def skeleton(text: str, nouns: Sequence[str]) -> str:
    """The text with its persona nouns, handles, numbers, emoji and case folded away."""
    masked = text.lower()
    for noun in sorted(nouns, key=len, reverse=True):
        masked = masked.replace(noun.lower(), "·")
    masked = re.sub(r"@\w[\w.]*", "@", masked)
    masked = re.sub(r"\d+", "#", EMOJI.sub("", masked))
    return re.sub(r"\s+", " ", masked).strip(" !?.,")


def pattern(template: str) -> re.Pattern[str]:
    """Every text the template can say: its slots as alternatives, placeholders as words."""

    def expand(part: str) -> str:
        out = []
        for piece in re.split(r"(<\w+>|\{\w+\})", part):
            if piece.startswith("<"):
                options = EN.slots[piece[1:-1]]
                out.append("(?:" + "|".join(expand(o) for o in options) + ")")
            elif piece.startswith("{"):
                out.append(r"\S.*?")
            else:
                out.append(re.escape(piece))
        return "".join(out)

    return re.compile(expand(template), re.IGNORECASE)


def digests(runs: int) -> int:
    """Distinct outputs of the same inputs in processes with other hash seeds and zones."""
    code = (
        "import hashlib, uuid\nfrom dataclasses import asdict\n"
        "from datetime import UTC, datetime\n"
        "from app.domain.demo import DemoProfile, DemoSizes, DmFrequency, Persona\n"
        "from app.domain.generation import generate_demo\nfrom app.domain.inbox import Platform\n"
        "d = hashlib.sha256()\nnow = datetime(2026, 5, 1, tzinfo=UTC)\n"
        "for persona in Persona:\n"
        "    p = DemoProfile(uuid.UUID(int=7), Platform.YOUTUBE, persona, DmFrequency.MEDIUM, 3,"
        " 'en_US', DemoSizes(), now)\n"
        "    g = generate_demo(p, now, p.sizes)\n"
        "    for x in (*g.content, *g.comments, *g.dms): d.update(repr(asdict(x)).encode())\n"
        "print(d.hexdigest())\n"
    )
    zones = ("UTC", "Asia/Kolkata", "America/Los_Angeles", "Europe/Berlin")
    found = set()
    for n in range(runs):
        env = {**os.environ, "PYTHONHASHSEED": str(n), "TZ": zones[n % len(zones)]}
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        found.add(done.stdout.strip())
    return len(found)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--ticks", type=int, default=100)
    parser.add_argument("--samples", type=int, default=0)
    args = parser.parse_args()

    rows: list[tuple[str, str, str, bool]] = []

    def row(what: str, figure: str, target: str, ok: bool) -> None:
        rows.append((what, figure, target, ok))

    comments: list[WebhookInteraction] = []
    dms: list[WebhookInteraction] = []
    per_batch: list[tuple[Persona, list[WebhookInteraction], list[WebhookInteraction]]] = []
    titles_dup: list[float] = []
    contents: dict[tuple[Persona, int], list[Content]] = {}
    for persona in Persona:
        for seed in SEEDS:
            out = generate_demo(profile(persona, seed), NOW, DemoSizes())
            comments += out.comments
            dms += out.dms
            per_batch.append((persona, list(out.comments), list(out.dms)))
            titles = [c.title for c in out.content]
            titles_dup.append(1 - len(set(titles)) / len(titles))
            contents[(persona, seed)] = list(out.content)

    outputs = digests(8)
    row("same inputs, processes with other PYTHONHASHSEED and TZ", f"{outputs} output(s) in 8",
        "1", outputs == 1)  # fmt: skip

    by_id = {c.platform_id: c for c in comments}
    replies = [c for c in comments if c.in_reply_to]
    row("comments that are replies in a thread", f"{len(replies) / len(comments):.0%}", "≥ 15%",
        len(replies) >= 0.15 * len(comments))  # fmt: skip
    questions = [c for c in comments if c.intent is Intent.QUESTION and not c.in_reply_to]
    answered = {
        c.in_reply_to
        for c in replies
        if c.author.is_creator
        and c.occurred_at - by_id[c.in_reply_to].occurred_at <= timedelta(hours=24)  # type: ignore[index]
    }
    q_share = share(questions, lambda q: q.platform_id in answered)  # type: ignore[attr-defined]
    row("questions the creator answers within 24 h", f"{q_share:.0%}", "≥ 30%", q_share >= 0.3)
    answers = Counter(c.in_reply_to for c in replies)
    rates = {}
    for sentiment in (Sentiment.NEGATIVE, Sentiment.POSITIVE):
        mine = [c for c in comments if c.sentiment is sentiment and not c.author.is_creator]
        rates[sentiment] = sum(answers[c.platform_id] for c in mine) / len(mine)
    row("replies per negative / per positive comment",
        f"{rates[Sentiment.NEGATIVE]:.2f} / {rates[Sentiment.POSITIVE]:.2f}", "negative more",
        rates[Sentiment.NEGATIVE] > rates[Sentiment.POSITIVE])  # fmt: skip

    conversations: dict[str, list[WebhookInteraction]] = defaultdict(list)
    for message in dms:
        conversations[f"{message.account_id}:{message.conversation_id}"].append(message)
    multi = share(list(conversations.values()), lambda m: 2 <= len(m) <= 8)  # type: ignore[arg-type]
    delays, daytime = [], []
    for messages in conversations.values():
        for before, after in itertools.pairwise(messages):
            if after.author.is_creator:
                delays.append((after.occurred_at - before.occurred_at).total_seconds() / 60)
                daytime.append(9 <= after.occurred_at.hour < 23)
    row("DM people with 2-8 messages", f"{multi:.0%}", "≥ 40%", multi >= 0.4)
    row("creator's DM answers: median delay, in daytime",
        f"{statistics.median(delays):.0f} min, {share(daytime, bool):.0%}",
        "minutes to hours, mostly", 5 <= statistics.median(delays) <= 600)  # fmt: skip

    fans = [c for c in comments if not c.author.is_creator]
    short = share(fans, lambda c: len(c.text) <= 20)  # type: ignore[attr-defined]
    row("comments ≤ 20 characters", f"{short:.1%}", "≥ 25%", short >= 0.25)
    emoji_only = share(fans, lambda c: not EMOJI.sub("", c.text).strip())  # type: ignore[attr-defined]
    with_emoji = [c for c in fans if EMOJI.search(c.text)]
    last = share(with_emoji, lambda c: bool(EMOJI.search(c.text.rstrip()[-1:])))  # type: ignore[attr-defined]
    row("emoji-only comments / emoji placed last", f"{emoji_only:.0%} / {last:.0%}",
        "≥ 5% / ≤ 70%", emoji_only >= 0.05 and last <= 0.7)  # fmt: skip
    glyphs = [g for c in with_emoji for g in "".join(EMOJI.findall(c.text)) if g.strip()]
    hearts = share(glyphs, lambda g: g in HEARTS_LAUGHS)
    row("hearts, 😂, 😭 among emoji", f"{hearts:.0%}", "≥ 25%", hearts >= 0.25)
    long = share(fans, lambda c: len(c.text) > 150)  # type: ignore[attr-defined]
    longest = max(len(c.text) for c in fans)
    row("comments over 150 characters, longest", f"{long:.1%}, {longest}", "≥ 5%, ≥ 400",
        long >= 0.05 and longest >= 400)  # fmt: skip

    shared_skeleton = []
    for persona, batch, _ in per_batch:
        words = EN.nouns[persona]
        nouns = [*words.topics, *words.aspects]
        # sentences, not reactions: "W" and "🔥🔥" share a skeleton as real ones do
        worded = [c for c in batch if len(c.text.split()) >= 5 and not c.author.is_creator]
        shapes = Counter(skeleton(c.text, nouns) for c in worded)
        shared_skeleton.append(share(worded, lambda c: shapes[skeleton(c.text, nouns)] > 1))  # type: ignore[attr-defined]  # noqa: B023
    worst = max(shared_skeleton)
    row("comments of 5+ words sharing a skeleton (nouns masked), worst", f"{worst:.0%}", "≤ 30%",
        worst <= 0.3)  # fmt: skip
    openings = Counter(" ".join(c.text.lower().split()[:3]) for c in fans)
    top_opening, top_count = openings.most_common(1)[0]
    fixed = [o.split("{")[0].strip().lower() for o in EN.openers if o.split("{")[0].strip()]
    with_opener = share(fans, lambda c: c.text.lower().startswith(tuple(fixed)))  # type: ignore[attr-defined]
    row("most frequent 3-word opening", f"{top_count / len(fans):.1%} ({top_opening!r})",
        "≤ 1.5%", top_count / len(fans) <= 0.015)  # fmt: skip
    row("fixed openers", f"{with_opener:.0%}", "≤ 10%", with_opener <= 0.1)

    praise = [pattern(t) for t in EN.comments[Intent.PRAISE]]
    contrary = [c for c in fans if c.intent in (Intent.COMPLAINT, Intent.SPAM, Intent.SUPPORT)]
    contradicting = share(contrary, lambda c: any(p.search(c.text) for p in praise))  # type: ignore[attr-defined]
    row("complaints, spam, support with praise glued on", f"{contradicting:.0%}", "0",
        contradicting == 0)  # fmt: skip
    phrasing = share(dms, lambda m: bool(COMMENT_PHRASING.search(m.text)))  # type: ignore[attr-defined]
    row("comment phrasing inside DMs", f"{phrasing:.0%}", "0", phrasing == 0)
    cities = share(comments, lambda c: bool(FAKER_CITY.search(c.text)))  # type: ignore[attr-defined]
    collabs = [m for m in dms if m.intent is Intent.COLLAB_REQUEST]
    firms = share(collabs, lambda m: bool(LAW_FIRM.search(m.text)))  # type: ignore[attr-defined]
    row("Faker cities in comments / law-firm sponsors in collab DMs",
        f"{cities:.1%} / {firms:.0%}", "0 / 0", cities == 0 and firms == 0)  # fmt: skip
    names: dict[tuple[uuid.UUID, str], set[str]] = defaultdict(set)
    for item in (*comments, *dms):
        names[(item.account_id, item.author.handle)].add(item.author.display_name)
    clashes = sum(1 for n in names.values() if len(n) > 1)
    row("@handles with two display names", str(clashes), "0", clashes == 0)
    row("duplicate titles within an account, worst", f"{max(titles_dup):.0%}", "0",
        max(titles_dup) == 0)  # fmt: skip
    slips = share(dms, lambda m: bool(GRAMMAR_SLIP.search(m.text)))  # type: ignore[attr-defined]
    row("template grammar slips in DMs", f"{slips:.1%}", "0", slips == 0)

    firsts = [c for c in comments if c.text.lower().strip(" !.").endswith("first")]
    posts = {p.platform_id: p for batch in contents.values() for p in batch}
    late = share(firsts, lambda c: c.occurred_at - posts[c.content.platform_id].published_at  # type: ignore[attr-defined]
                 > timedelta(hours=1))  # fmt: skip
    per_post = Counter(c.content.platform_id for c in firsts if c.content)
    row("'First!' more than 1 h after publication; most per post",
        f"{late:.0%}; {max(per_post.values(), default=0)}", "0; ≤ 1",
        late == 0 and max(per_post.values(), default=0) <= 1)  # fmt: skip

    elsewhere = []
    for platform in (Platform.INSTAGRAM, Platform.TIKTOK):
        for persona in Persona:
            elsewhere += generate_demo(profile(persona, 1, platform), NOW, DemoSizes()).comments
    youtube = share(elsewhere, lambda c: bool(YOUTUBE_WORDS.search(c.text)))  # type: ignore[attr-defined]
    row("YouTube words on Instagram/TikTok", f"{youtube:.0%}", "0", youtube == 0)

    hours = Counter(c.occurred_at.hour for c in comments)
    rhythm = max(hours.values()) / max(1, min(hours.get(h, 0) for h in range(24)))
    row("daily rhythm: busiest hour ÷ quietest (UTC)", f"{rhythm:.2f}", "≥ 3", rhythm >= 3)

    within, top_share, honoured = [], [], []
    for (persona, seed), content in contents.items():
        p = profile(persona, seed)
        for n in range(args.ticks):
            at = NOW + timedelta(hours=6 * (n + 1))
            daily = list(generate_daily_content(p, at)) if n % 4 == 0 else []
            content = content + daily
            tick = generate_tick(p, at, content)
            mine = {c.platform_id: c for c in content}
            ranked = sorted(content, key=lambda c: c.published_at, reverse=True)
            top = {c.platform_id for c in ranked[: max(1, len(ranked) // 5)]}
            for c in tick:
                if c.kind is InteractionKind.COMMENT and c.content is not None:
                    post = mine[c.content.platform_id]
                    within.append(c.occurred_at - post.published_at <= timedelta(hours=48))
                    top_share.append(c.content.platform_id in top)
            honoured += [(d.target_comments > 0) for d in daily]
    w48, t20 = share(within, bool), share(top_share, bool)
    row(f"tick comments within 48 h of their post ({args.ticks} ticks)", f"{w48:.0%}", "≥ 75%",
        w48 >= 0.75)  # fmt: skip
    row("tick comments on the newest 20% of posts", f"{t20:.0%}", "≥ 55%", t20 >= 0.55)
    spanish = generate_demo(
        replace(profile(Persona.COOKING, 1), locale="es_ES"), NOW, DemoSizes()
    ).comments
    mix = Counter(c.language for c in spanish)
    row("text language of an es_ES profile",
        ", ".join(f"{k} {v / len(spanish):.0%}" for k, v in mix.most_common()),
        "es (en, es, pt, de at least)", mix.most_common(1)[0][0] == "es")  # fmt: skip
    for locale in ("pt_BR", "de_DE"):
        spoken = generate_demo(
            replace(profile(Persona.FITNESS, 2), locale=locale), NOW, DemoSizes()
        )
        top = Counter(c.language for c in spoken.comments).most_common(1)[0][0]
        row(f"text language of a {locale} profile", top, locale[:2], top == locale[:2])
    others = [share(batch, lambda c: c.language != "en") for _, batch, _ in per_batch]  # type: ignore[attr-defined]
    low, high = min(others), max(others)
    row("other languages in en_US batches (global audience), range",
        f"{low:.0%}-{high:.0%}", "5-15%", low >= 0.05 and high <= 0.15)  # fmt: skip

    table = Table("measured (18 default batches unless said)", "now", "target", "", box=None)
    for what, figure, target, ok in rows:
        table.add_row(what, figure, target, "ok" if ok else "[red]not yet[/]")
    console = Console(width=None if sys.stdout.isatty() else 160)
    console.print(table)
    print(f"{sum(ok for *_, ok in rows)} of {len(rows)} targets met")

    if args.samples:
        persona, batch, batch_dms = per_batch[0]
        print(f"\n{args.samples} comments and DMs of the first batch ({persona.value}):")
        for item in [*batch[: args.samples], *batch_dms[: args.samples // 2]]:
            tags = f"{item.kind.value}, {item.intent.value if item.intent else '-'}"
            reply = " ↳" if item.in_reply_to else ""
            who = f"{item.author.handle}{' (creator)' if item.author.is_creator else ''}"
            print(f"  [{tags}]{reply} {who}: {item.text}")


if __name__ == "__main__":
    main()
