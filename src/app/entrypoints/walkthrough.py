"""`demosim demo`: the whole product once, end to end, for a newcomer.

Migrates, starts the API and a worker (embedded PostgreSQL and Redis unless URLs are given),
enables demo mode for sample accounts, shows a progress bar per phase, and ends with a summary
of what was generated, delivered and received, and samples as they landed in the inbox. It
stops everything it started, and exits non-zero when anything failed.
"""

import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import requests
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from app.bootstrap import bootstrap, servers
from app.config import Settings, with_stored_credentials
from app.domain.demo import Persona
from app.entrypoints.processes import CLI, ChildFailed, child_env, free_port, stop_all, wait_ready

PHASES = ("content", "comments", "dms", "deliver")
FINAL = ("succeeded", "failed", "cancelled")


class DemoFailed(Exception):
    pass


def run_demo(settings: Settings, accounts: int, native: bool = False) -> int:
    console = Console()
    started_at, started = datetime.now(UTC), time.monotonic()
    settings = with_stored_credentials(settings)  # the ones `make serve` signs in with
    with servers(settings) as resolved:
        container = bootstrap(resolved)
        try:
            container.migrate()
            console.print("[green]✓[/] database migrated")
            try:
                with _processes(resolved, console, native) as api:
                    token = resolved.api_token or ""
                    if native:
                        _register_reference_app(console, api, token, resolved)
                    summary = _exercise(console, api, token, accounts, native)
                    if native:
                        summary["exchanges"] = _reply_and_hear(console, api, token, summary)
                        summary["facebook"] = _page_loop(console, api, token)
                        summary["tiktok"] = _tiktok_loop(console, api, token, resolved)
                        summary["youtube"] = _youtube_loop(console, api, token)
                        summary["x"] = _x_loop(console, api, token, resolved)
            except DemoFailed as exc:
                console.print(f"[red]demo failed:[/] {exc}")
                return 1
            received, created = container.queries.received_since(started_at)
        finally:
            container.close()
    summary["duplicates"] = received - created
    summary["wall time"] = f"{time.monotonic() - started:.1f} s"
    return _report(console, summary)


@contextmanager
def _processes(settings: Settings, console: Console, native: bool) -> Iterator[str]:
    """The API and one worker, as their own processes, for the block; yields the API's URL.
    In the native loop, the people answer the host's replies at once (REPLY_DELAY_SCALE=0)."""
    base = f"http://127.0.0.1:{free_port()}"
    env = child_env(settings, base, **({"REPLY_DELAY_SCALE": "0"} if native else {}))
    settings.home.mkdir(parents=True, exist_ok=True)
    log = open(settings.home / "demo.log", "ab")  # noqa: SIM115 - closed below
    port = base.rsplit(":", 1)[1]
    procs = {
        "the API": subprocess.Popen([*CLI, "api", "--port", port], env=env, stdout=log, stderr=log),
        "the worker": subprocess.Popen([*CLI, "worker"], env=env, stdout=log, stderr=log),
    }
    try:
        try:
            wait_ready(base, procs, log.name)
        except ChildFailed as exc:
            raise DemoFailed(str(exc)) from None
        console.print(f"[green]✓[/] API at {base} and a worker started (logs: {log.name})")
        yield base
    finally:
        stop_all(list(procs.values()))
        log.close()


def _register_reference_app(console: Console, base: str, token: str, settings: Settings) -> None:
    """The Meta app of the reference host (demosim's own /webhooks/meta), verified by Meta's
    handshake like any host's."""
    secret, verify_token = settings.reference_meta_app()
    app = {"callback_url": f"{base}/webhooks/meta", "secret": secret, "verify_token": verify_token}
    response = requests.put(
        f"{base}/api/v1/apps/meta",
        json=app,
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    if response.status_code != 200:
        raise DemoFailed(
            f"registering the Meta app answered {response.status_code}: {response.text}"
        )
    console.print(f"[green]✓[/] Meta app registered: {base}/webhooks/meta answered the handshake")


def _exercise(
    console: Console, base: str, token: str, accounts: int, native: bool
) -> dict[str, Any]:
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    personas = list(Persona)
    jobs: dict[uuid.UUID, tuple[str, dict[str, int]]] = {}
    for n in range(accounts):
        account = uuid.uuid4()
        body: dict[str, Any] = {"persona": personas[n % len(personas)].value}
        if native:
            body.update(platform="instagram", delivery="native", persona="fitness")
        response = http.put(f"{base}/api/v1/accounts/{account}/demo", json=body, timeout=30)
        if response.status_code != 202:
            raise DemoFailed(f"enabling demo mode answered {response.status_code}: {response.text}")
        sizes = response.json()["profile"]["sizes"]
        sizes = {**sizes, "deliver": sizes["comments"] + sizes["dms"]}
        jobs[account] = (f"{base}{response.headers['Location']}", sizes)
    how = " (native: Instagram's webhooks to the reference host)" if native else ""
    console.print(
        f"[green]✓[/] demo mode on for {accounts} account(s){how}; the initial batch runs"
    )

    final = _follow(console, http, jobs)
    failed = {a: j for a, j in final.items() if j["status"] != "succeeded"}
    states = {a: http.get(f"{base}/api/v1/accounts/{a}/demo", timeout=30).json() for a in jobs}
    first = next(iter(jobs))
    samples = {
        kind: http.get(
            f"{base}/api/v1/accounts/{first}/interactions",
            params={"kind": kind, "limit": str(limit)},
            timeout=30,
        ).json()["items"]
        for kind, limit in (("comment", 5), ("dm", 3))
    }
    counts = [s["counts"] for s in states.values()]
    generated = sum(c["content"] for c in counts), sum(c["comments"] for c in counts)
    dms = sum(c["dms"] for c in counts)
    return {
        "generated": f"{generated[0]:,} content, {generated[1]:,} comments, {dms:,} DMs",
        "delivered": _delivered(counts),
        "received at the inbox": sum(c["received"] for c in counts),
        "failures": sum(c["delivery"].get("failed", 0) for c in counts) + len(failed),
        "expected": generated[1] + dms,
        "failed jobs": {str(a): j["error"] or j["status"] for a, j in failed.items()},
        "samples": samples,
        "account": first,
        "native": states[first].get("native"),
    }


def _delivered(counts: list[dict[str, Any]]) -> int | str:
    """What went out: the items, and a native account's lifecycle events beside them (an edit,
    a reaction: delivered, never filed in the inbox as items)."""
    sent = int(sum(c["delivery"].get("sent", 0) for c in counts))
    events = int(sum(c.get("events", 0) for c in counts))
    if not events:
        return sent
    return f"{sent:,}: {sent - events:,} items, {events:,} lifecycle events (edits, reactions…)"


# what the host says through the Graph API in the native loop: the last one asks something
REPLIES = ("Thank you so much! 🙏", "Appreciate you watching!", "Which one are you trying first?")
DM_REPLY = "Thanks for the message! Sending it over now"
# what the host says to two people in the other platforms' loops: it reads no intent in their
# events (a thank-you for the praise would answer a complaint too), so nothing that assumes one
THANKS = ("Thanks for watching and for taking the time to comment!", "Appreciate you being here!")
WINDOW_S = 24 * 3600  # a message is allowed within 24 h of the person's last one


def _reply_and_hear(
    console: Console, base: str, token: str, summary: dict[str, Any]
) -> list[tuple[str, str, str, str]]:
    """The host's side of the native loop, through the emulated Graph API with the account's
    token: replies to three fans' comments and to two people's messages (a private reply to a
    commenter where fewer people wrote in the last 24 h), then what each person answered, as
    the reference host filed it. Returns (who, what they said, the reply, their answer)."""
    native, account = summary["native"], summary["account"]
    graph, key = f"{base}/graph/v21.0", {"access_token": native["access_token"]}
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {token}"
    inbox = f"{base}/api/v1/accounts/{account}/interactions"

    def graph_call(method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        response = requests.request(method, f"{graph}/{path}", timeout=30, **kwargs)
        if response.status_code != 200:
            raise DemoFailed(
                f"{method} /graph/{path} answered {response.status_code}: {response.text}"
            )
        body: dict[str, Any] = response.json()
        return body

    fields = {**key, "fields": "id,text,username,from,replies{id}", "limit": "50"}
    fans = [
        c
        for m in graph_call("GET", f"{native['user_id']}/media", params=key)["data"]
        for c in graph_call("GET", f"{m['id']}/comments", params=fields)["data"]
        if c["from"]["id"] != native["user_id"]
    ]
    quiet = [c for c in fans if not c.get("replies", {}).get("data")]
    asked: list[tuple[str, str, str, dict[str, str], str]] = []
    for comment, text in zip(quiet, REPLIES, strict=False):
        graph_call("POST", f"{comment['id']}/replies", data={**key, "message": text})
        asked.append(
            (comment["username"], comment["text"], text, {"in_reply_to": comment["id"]}, "")
        )
    messages = api.get(inbox, params={"kind": "dm", "limit": "200"}, timeout=30).json()["items"]
    latest: dict[str, dict[str, Any]] = {}
    for m in messages:  # newest first: each person's last message
        if not m["author"]["is_creator"]:
            latest.setdefault(m["conversation_id"], m)
    now = time.time()
    recent = [
        m
        for m in latest.values()
        if now - datetime.fromisoformat(m["occurred_at"]).timestamp() < WINDOW_S
    ][:2]
    for m in recent:
        message = {"recipient": {"id": m["conversation_id"]}, "message": {"text": DM_REPLY}}
        graph_call("POST", f"{native['user_id']}/messages", params=key, json=message)
        asked.append((m["author"]["handle"], m["text"], DM_REPLY,
                      {"conversation_id": m["conversation_id"]}, m["occurred_at"]))  # fmt: skip
    for comment in quiet[len(REPLIES) : len(REPLIES) + 2 - len(recent)]:
        private = {"recipient": {"comment_id": comment["id"]}, "message": {"text": DM_REPLY}}
        sent = graph_call("POST", f"{native['user_id']}/messages", params=key, json=private)
        asked.append((comment["username"], comment["text"], f"(private reply) {DM_REPLY}",
                      {"conversation_id": sent["recipient_id"]}, ""))  # fmt: skip
    console.print(
        f"[green]✓[/] the host replied through the Graph API to {len(quiet[:3])} comments and "
        f"{len(asked) - len(quiet[:3])} people in DMs; waiting for their answers"
    )
    _wait_delivered(api, base, account)
    exchanges = []
    for who, said, reply, where, _ in asked:
        found = api.get(inbox, params={**where, "limit": "50"}, timeout=30).json()["items"]
        # comments carry no time in Meta's webhooks: the reference host files them at the
        # delivery's, so a reply and its answer may share it; the comment had no replies
        ours = [i for i in found if i["author"]["is_creator"] and i["text"] in (reply, DM_REPLY)]
        after = max((i["occurred_at"] for i in ours), default="")
        answers = [
            i["text"]
            for i in found
            if not i["author"]["is_creator"]
            and ("in_reply_to" in where or (after and i["occurred_at"] > after))
        ]
        exchanges.append((who, said, reply, answers[-1] if answers else "(let it be)"))
    return exchanges


def _page_loop(console: Console, base: str, token: str) -> list[tuple[str, str, str, str]]:
    """A Facebook Page's native loop, on the Meta app the Instagram loop registered: its feed
    changes to /webhooks/meta, its posts and comments read through the Graph API (`/{page-id}/
    feed`, `/{post-id}/comments`), two people who asked nothing answered (`POST /{comment-id}/
    comments`), and their answers as the reference host filed them."""
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {token}"
    account, native = _native_account(api, base, "facebook", "travel")
    graph, key = f"{base}/graph/v21.0", {"access_token": native["access_token"]}

    def call(method: str, path: str, **params: str) -> dict[str, Any]:
        given = {**key, **params}
        url = f"{graph}/{path}"
        answer = (
            requests.get(url, params=given, timeout=30)
            if method == "GET"
            else requests.post(url, data=given, timeout=30)
        )
        if answer.status_code != 200:
            raise DemoFailed(f"{method} /graph/{path} answered {answer.status_code}: {answer.text}")
        body: dict[str, Any] = answer.json()
        return body

    posts = call("GET", f"{native['user_id']}/feed")["data"]
    comments = [
        c
        for p in posts
        for c in call("GET", f"{p['id']}/comments", fields="id,message,from,comment_count")["data"]
        if c["from"]["id"] != native["user_id"] and not c.get("comment_count")
        and "?" not in c["message"]
    ]  # fmt: skip
    console.print(
        f"[green]✓[/] a native Facebook Page: {len(posts)} posts read through the Graph API, "
        "their comments delivered as a Page's feed changes to /webhooks/meta"
    )
    fans = comments[:2]
    for comment, text in zip(fans, THANKS, strict=False):
        call("POST", f"{comment['id']}/comments", message=text)
    said = [(c["id"], c["from"]["name"], c["message"]) for c in fans]
    return _answers_filed(api, base, account, said)


def _tiktok_loop(
    console: Console, base: str, token: str, settings: Settings
) -> list[tuple[str, str, str, str]]:
    """TikTok's native loop: the reference host's TikTok app registered (its test event
    taken), a native TikTok account's comments delivered as comment.update events to
    /webhooks/tiktok, the host's replies to two of them through the API for Business, and what
    each person answered, as the reference host filed it."""
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {token}"
    key, secret = settings.reference_tiktok_app()
    app = {"callback_url": f"{base}/webhooks/tiktok", "secret": secret, "client_key": key}
    account, native, filed = _pushed_account(api, base, "tiktok", app, "fitness")
    console.print(
        f"[green]✓[/] TikTok app registered (its test event taken); a native TikTok account's "
        f"{len(filed)} comments reached the inbox through /webhooks/tiktok"
    )
    business = f"{base}/tiktok/open_api/v1.3/business"
    headers = {"Access-Token": native["access_token"]}

    def listed(video: str) -> list[dict[str, Any]]:
        params = {"business_id": native["user_id"], "video_id": video, "max_count": "30"}
        body = requests.get(f"{business}/comment/list/", params=params, headers=headers,
                            timeout=30).json()  # fmt: skip
        if body["code"] != 0:
            raise DemoFailed(f"TikTok's comment/list answered {body}")
        found: list[dict[str, Any]] = body["data"]["comments"]
        return found

    # two people who asked nothing and heard nothing back yet, among the comments that stand
    # (a deleted one cannot be answered): a thank-you answers them (a host reads no intent in
    # TikTok's events: a question is what it sees)
    videos = sorted({i["content"]["platform_id"] for i in filed})
    standing = [c for v in videos for c in listed(v)]
    fans = [
        {"platform_id": c["comment_id"], "content": {"platform_id": c["video_id"]},
         "author": {"handle": c["username"]}, "text": c["text"]}
        for c in standing
        if not c["owner"] and not c["replies"] and "?" not in c["text"]
    ][:2]  # fmt: skip
    for comment, text in zip(fans, THANKS, strict=False):
        body = {"business_id": native["user_id"], "video_id": comment["content"]["platform_id"],
                "comment_id": comment["platform_id"], "text": text}  # fmt: skip
        made = requests.post(f"{business}/comment/reply/create/", json=body, headers=headers,
                             timeout=30).json()  # fmt: skip
        if made["code"] != 0:
            raise DemoFailed(f"TikTok's comment/reply/create answered {made}")
    said = [(c["platform_id"], c["author"]["handle"], c["text"]) for c in fans]
    return _answers_filed(api, base, account, said)


def _youtube_loop(console: Console, base: str, token: str) -> list[tuple[str, str, str, str]]:
    """YouTube's native loop: YouTube pushes nothing, so the host polls. A native channel's
    threads read through the Data API (`commentThreads.list`) with the channel's key, two
    people who asked nothing thanked (`comments.insert`), and their answers read at the next
    poll (`comments.list`)."""
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {token}"
    _, native = _native_account(api, base, "youtube", "cooking")
    data_api, key = f"{base}/youtube/v3", {"key": native["access_token"]}

    def get(resource: str, **params: str) -> dict[str, Any]:
        answer = requests.get(f"{data_api}/{resource}", params={**key, **params}, timeout=30)
        if answer.status_code != 200:
            raise DemoFailed(f"{resource}.list answered {answer.status_code}: {answer.text}")
        body: dict[str, Any] = answer.json()
        return body

    threads = get("commentThreads", part="snippet", allThreadsRelatedToChannelId=native["user_id"],
                  maxResults="100", textFormat="plainText")["items"]  # fmt: skip
    console.print(
        f"[green]✓[/] a native YouTube channel ({native['user_id']}): the host polled "
        f"{len(threads)} threads through the Data API"
    )
    fans = [
        t["snippet"]["topLevelComment"]
        for t in threads
        if t["snippet"]["totalReplyCount"] == 0
        and t["snippet"]["topLevelComment"]["snippet"]["authorChannelId"]["value"]
        != native["user_id"]
        and "?" not in t["snippet"]["topLevelComment"]["snippet"]["textOriginal"]
    ][:2]
    for comment, text in zip(fans, THANKS, strict=False):
        body = {"snippet": {"parentId": comment["id"], "textOriginal": text}}
        made = requests.post(f"{data_api}/comments", params={**key, "part": "snippet"},
                             json=body, timeout=30)  # fmt: skip
        if made.status_code != 200:
            raise DemoFailed(f"comments.insert answered {made.status_code}: {made.text}")
    exchanges = []
    for comment, text in zip(fans, THANKS, strict=False):
        shown = get("comments", part="snippet", parentId=comment["id"], textFormat="plainText")
        author = comment["snippet"]["authorChannelId"]["value"]
        answers = [r["snippet"]["textOriginal"] for r in shown["items"]
                   if r["snippet"]["authorChannelId"]["value"] == author]  # fmt: skip
        exchanges.append((comment["snippet"]["authorDisplayName"],
                          comment["snippet"]["textOriginal"], text,
                          answers[0] if answers else "(let it be)"))  # fmt: skip
    return exchanges


def _x_loop(
    console: Console, base: str, token: str, settings: Settings
) -> list[tuple[str, str, str, str]]:
    """X's native loop: the reference host's X app registered (X's CRC answered with its
    consumer secret), a native X account's replies delivered as Account Activity events to
    /webhooks/x, the host's replies to two people through the X API v2 (`POST /2/tweets` with
    `reply.in_reply_to_tweet_id`), and what each person answered under the host's reply."""
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {token}"
    app = {"callback_url": f"{base}/webhooks/x", "secret": settings.reference_x_app()}
    account, native, filed = _pushed_account(api, base, "x", app, "travel")
    console.print(
        f"[green]✓[/] X app registered (its CRC answered); a native X account's {len(filed)} "
        "replies reached the inbox through /webhooks/x"
    )
    answered = {i["in_reply_to"] for i in filed if i["in_reply_to"]}
    fans = [i for i in filed if not i["author"]["is_creator"] and not i["in_reply_to"]
            and i["platform_id"] not in answered and "?" not in i["text"]]  # fmt: skip
    said: list[tuple[str, str, str]] = []
    bearer = {"Authorization": f"Bearer {native['access_token']}"}
    for reply in fans:
        if len(said) == len(THANKS):
            break
        body = {"text": THANKS[len(said)], "reply": {"in_reply_to_tweet_id": reply["platform_id"]}}
        made = requests.post(f"{base}/x/2/tweets", json=body, headers=bearer, timeout=30)
        if made.status_code == 403 and "deleted" in made.text:
            continue  # its author deleted it (a tweet_delete_event the host files nowhere)
        if made.status_code != 201:
            raise DemoFailed(f"X's POST /2/tweets answered {made.status_code}: {made.text}")
        # on X a person answers the host's reply itself, a level down
        said.append((made.json()["data"]["id"], reply["author"]["handle"], reply["text"]))
    return _answers_filed(api, base, account, said)


def _pushed_account(
    api: requests.Session, base: str, platform: str, app: dict[str, str], persona: str
) -> tuple[uuid.UUID, dict[str, str], list[dict[str, Any]]]:
    """The reference host's app of a platform that pushes (its handshake passed), a native
    account of it, and the comments its initial batch filed into the inbox."""
    registered = api.put(f"{base}/api/v1/apps/{platform}", json=app, timeout=30)
    if registered.status_code != 200:
        raise DemoFailed(f"registering the {platform} app answered {registered.status_code}: "
                         f"{registered.text}")  # fmt: skip
    account, native = _native_account(api, base, platform, persona)
    inbox = f"{base}/api/v1/accounts/{account}/interactions"
    found = api.get(inbox, params={"kind": "comment", "limit": "200"}, timeout=30).json()
    filed: list[dict[str, Any]] = found["items"]
    return account, native, filed


def _native_account(
    api: requests.Session, base: str, platform: str, persona: str
) -> tuple[uuid.UUID, dict[str, str]]:
    """A native account of the platform (3 posts, 60 comments, no DMs), its initial batch run
    to its end; the account and its `native` (user id, access token)."""
    account = uuid.uuid4()
    enable = {"platform": platform, "delivery": "native", "persona": persona,
              "sizes": {"content": 3, "comments": 60, "dms": 0}}  # fmt: skip
    enabled = api.put(f"{base}/api/v1/accounts/{account}/demo", json=enable, timeout=30)
    if enabled.status_code != 202:
        raise DemoFailed(f"enabling a native {platform} account answered "
                         f"{enabled.status_code}: {enabled.text}")  # fmt: skip
    url = f"{base}{enabled.headers['Location']}"
    deadline = time.monotonic() + 120
    while (job := api.get(url, timeout=30).json())["status"] not in FINAL:
        if time.monotonic() > deadline:
            raise DemoFailed(f"the {platform} account's initial batch did not end in 2 minutes")
        time.sleep(0.3)
    if job["status"] != "succeeded":
        raise DemoFailed(f"the {platform} account's initial batch {job['status']}: {job['error']}")
    native: dict[str, str] = enabled.json()["native"]
    return account, native


def _answers_filed(
    api: requests.Session, base: str, account: uuid.UUID, said: list[tuple[str, str, str]]
) -> list[tuple[str, str, str, str]]:
    """Once what the host said and what it drew are delivered: for each comment thanked (its
    id, who, what they said), the host's words and the person's answer, as the reference host
    filed them."""
    _wait_delivered(api, base, str(account))
    inbox = f"{base}/api/v1/accounts/{account}/interactions"
    exchanges = []
    for (comment_id, who, text), thanks in zip(said, THANKS, strict=False):
        found = api.get(inbox, params={"in_reply_to": comment_id}, timeout=30).json()
        answers = [i["text"] for i in found["items"] if not i["author"]["is_creator"]]
        exchanges.append((who, text, thanks, answers[0] if answers else "(let it be)"))
    return exchanges


def _wait_delivered(http: requests.Session, base: str, account: str, timeout: float = 60) -> None:
    """Until nothing of the account is queued or on its way (the people answer at once)."""
    deadline = time.monotonic() + timeout
    time.sleep(1)
    while time.monotonic() < deadline:
        state = http.get(f"{base}/api/v1/accounts/{account}/demo", timeout=30).json()
        pending = {
            k: v for k, v in state["counts"]["delivery"].items() if k in ("queued", "sending")
        }
        if not any(pending.values()):
            return
        time.sleep(0.5)
    raise DemoFailed("the host's replies and the answers were not delivered within a minute")


def _follow(
    console: Console, http: requests.Session, jobs: dict[uuid.UUID, tuple[str, dict[str, int]]]
) -> dict[uuid.UUID, dict[str, Any]]:
    """A bar per phase, summed over the accounts' jobs, until every job has finished."""
    latest: dict[uuid.UUID, dict[str, Any]] = {}
    columns = (
        TextColumn("{task.description:>9}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    totals = {phase: sum(sizes[phase] for _, sizes in jobs.values()) for phase in PHASES}
    with Progress(*columns, console=console) as progress:
        bars = {phase: progress.add_task(phase, total=totals[phase] or 1) for phase in PHASES}
        while len(latest) < len(jobs) or any(j["status"] not in FINAL for j in latest.values()):
            done = dict.fromkeys(PHASES, 0)
            for account, (url, sizes) in jobs.items():
                job = latest[account] = http.get(url, timeout=30).json()
                current = PHASES.index(job["phase"]) if job["phase"] in PHASES else 0
                for i, phase in enumerate(PHASES):
                    if job["status"] == "succeeded" or i < current:
                        done[phase] += sizes[phase]
                    elif job["phase"] == phase:  # (not while it is still generating)
                        done[phase] += job["progress"]["done"]
            for phase in PHASES:
                progress.update(bars[phase], completed=min(done[phase], totals[phase]))
            time.sleep(0.3)
    return latest


def _report(console: Console, summary: dict[str, Any]) -> int:
    if summary.get("exchanges"):
        table = Table(title="The native loop: the host's replies through the Graph API, answered")
        for column in ("who", "they said", "the host replied", "they answered"):
            table.add_column(column)
        for row in summary["exchanges"]:
            table.add_row(*row)
        console.print(table)
    for platform, title in (
        ("facebook", "A Page: the host's replies through the Graph API, answered"),
        ("tiktok", "TikTok: the host's replies through the API for Business, answered"),
        ("youtube", "YouTube: the host's replies through the Data API, answered at its next poll"),
        ("x", "X: the host's replies through the X API v2, answered"),
    ):
        if summary.get(platform):
            table = Table(title=title)
            for column in ("who", "they said", "the host replied", "they answered"):
                table.add_column(column)
            for row in summary[platform]:
                table.add_row(*row)
            console.print(table)
    for kind, title in (("comment", "Comments"), ("dm", "DMs")):
        table = Table(title=f"{title} as they landed in the inbox")
        for column in ("when", "from", "text", "intent", "sentiment"):
            table.add_column(column)
        for item in summary["samples"][kind]:
            table.add_row(
                item["occurred_at"][:16].replace("T", " "),
                item["author"]["handle"],
                item["text"],
                item["intent"],
                item["sentiment"],
            )
        console.print(table)
    table = Table(title="Summary", show_header=False)
    for label in ("generated", "delivered", "received at the inbox", "duplicates", "failures",
                  "wall time"):  # fmt: skip
        value = summary[label]
        table.add_row(label, f"{value:,}" if isinstance(value, int) else str(value))
    table.add_row("next", "`make serve`, then open http://127.0.0.1:8000/dashboard")
    console.print(table)
    problems = [f"job of account {a}: {e}" for a, e in summary["failed jobs"].items()]
    if summary["received at the inbox"] != summary["expected"]:
        problems.append(
            f"the inbox holds {summary['received at the inbox']:,} of "
            f"{summary['expected']:,} generated interactions"
        )
    if summary["failures"] and not problems:
        problems.append(f"{summary['failures']:,} interactions were not delivered")
    for problem in problems:
        console.print(f"[red]✗[/] {problem}")
    return 1 if problems else 0
