"""The emulated YouTube Data API v3 as a host's live integration calls it: driven by Google's
own client (`google-api-python-client`, its shipped discovery document, only the endpoint
changed), every response checked against the schemas of that document. What the pages at
developers.google.com/youtube/v3 say, and the tests hold:
- "CommentThreads: list" (docs/commentThreads/list): `part` required; filters
  `allThreadsRelatedToChannelId`, `videoId`, `id` ("specify exactly one"); `maxResults`
  "Acceptable values are 1 to 100, inclusive. The default value is 20"; `pageToken` "identifies
  a specific page in the result set that should be returned"; the response `{"kind":
  "youtube#commentThreadListResponse", "etag", "nextPageToken", "pageInfo": {"totalResults",
  "resultsPerPage"}, "items": [commentThread resource]}`;
- "Comments: list" (docs/comments/list): `parentId` "specifies the ID of the comment for which
  replies should be retrieved"; "Comments: insert" (docs/comments/insert): "Creates a reply to
  an existing comment", the body's `snippet.parentId` and `snippet.textOriginal`;
- "Channels: list" (docs/channels/list): `mine=true` "return only the channels owned by the
  authenticated user";
- "Errors" (docs/errors): `{"error": {"code", "message", "errors": [{"domain", "reason",
  "message", …}]}}`; `commentNotFound`, `videoNotFound` (404), `incompatibleParameters`,
  `invalidPageToken` (400), an API key or OAuth token not valid: 401 `authError`-style
  (the "Core errors" table's UNAUTHENTICATED)."""

import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import googleapiclient
import pytest
import requests
from flask.testing import FlaskClient
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from sqlalchemy import text

from app.adapters.platforms.youtube.quota import RedisQuota
from app.bootstrap import Container
from integration.support import Workers, native_account, wait_for

pytestmark = pytest.mark.integration

SIZES = {"content": 3, "comments": 60, "dms": 4}
DISCOVERY = json.loads(
    (
        Path(googleapiclient.__file__).parent / "discovery_cache/documents/youtube.v3.json"
    ).read_text()
)
SCHEMAS: dict[str, Any] = DISCOVERY["schemas"]


def conforms(value: Any, schema: dict[str, Any], where: str = "") -> None:
    """The value has only the fields the discovery document names, each of its type."""
    if "$ref" in schema:
        schema = SCHEMAS[schema["$ref"]]
    kind = schema.get("type")
    if kind == "object" and "properties" in schema:
        assert isinstance(value, dict), where
        for key, item in value.items():
            assert key in schema["properties"], f"{where}.{key} is not in the document"
            conforms(item, schema["properties"][key], f"{where}.{key}")
    elif kind == "array":
        assert isinstance(value, list), where
        for n, item in enumerate(value):
            conforms(item, schema["items"], f"{where}[{n}]")
    elif kind == "string":
        assert isinstance(value, str), where
    elif kind == "integer":  # (uint64 and int64 come as strings, the others as numbers)
        if schema.get("format") in ("uint64", "int64"):
            assert isinstance(value, str), where
            assert value.isdigit(), where
        else:
            assert isinstance(value, int), where
    elif kind == "boolean":
        assert isinstance(value, bool), where


class Channel:
    def __init__(self, account: str, channel_id: str, key: str, base: str) -> None:
        self.account, self.id, self.key, self.base = account, channel_id, key, base
        # Google's client with its shipped document; only where it sends requests changed
        self.youtube = build(
            "youtube",
            "v3",
            developerKey=key,
            static_discovery=True,
            client_options={"api_endpoint": f"{base}/"},
        )

    def threads(self, **params: Any) -> list[dict[str, Any]]:
        """Every page of commentThreads.list, each checked against the document."""
        pages = []
        call = self.youtube.commentThreads()
        request = call.list(**params)
        while request is not None:
            page = request.execute()
            conforms(page, {"$ref": "CommentThreadListResponse"}, "commentThreads.list")
            assert page["kind"] == "youtube#commentThreadListResponse"
            pages.append(page)
            request = call.list_next(request, page)
        return pages


@pytest.fixture
def channel(
    client: FlaskClient, auth: dict[str, str], live_server: str, workers: Workers
) -> Channel:
    """A native YouTube channel: no app registered (YouTube's hosts poll)."""
    body = native_account(client, auth, workers, "youtube", SIZES)
    native = body["native"]
    return Channel(body["account_id"], native["user_id"], native["access_token"], live_server)


def _top_level(container: Container, account: str) -> set[str]:
    with container.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT platform_id FROM interactions WHERE account_id = :a AND kind = 'comment'"
                " AND in_reply_to IS NULL AND event IS NULL AND occurred_at <= now()"
            ),
            {"a": account},
        )
        return {r[0] for r in rows}


def test_a_host_pages_through_a_channels_threads_with_googles_client(
    channel: Channel, container: Container
) -> None:
    mine = channel.youtube.channels().list(part="id,snippet", mine=True).execute()
    conforms(mine, {"$ref": "ChannelListResponse"}, "channels.list")
    assert [c["id"] for c in mine["items"]] == [channel.id]
    assert channel.id.startswith("UC")
    assert len(channel.id) == 24

    pages = channel.threads(
        part="snippet,replies", allThreadsRelatedToChannelId=channel.id, maxResults=7
    )
    threads = [t for page in pages for t in page["items"]]
    assert len(pages) >= 3
    assert all(len(p["items"]) == 7 for p in pages[:-1])
    assert "nextPageToken" not in pages[-1]
    # every top-level comment the channel holds, once, newest first
    ids = [t["id"] for t in threads]
    assert len(ids) == len(set(ids))
    assert set(ids) == _top_level(container, channel.account)
    published = [t["snippet"]["topLevelComment"]["snippet"]["publishedAt"] for t in threads]
    assert published == sorted(published, reverse=True)
    for t in threads:
        top = t["snippet"]["topLevelComment"]
        assert t["snippet"]["channelId"] == channel.id
        assert top["id"] == t["id"]
        assert top["snippet"]["videoId"] == t["snippet"]["videoId"]
        assert top["snippet"]["authorChannelId"]["value"].startswith("UC")
        assert top["snippet"]["textOriginal"]
        for reply in t.get("replies", {}).get("comments", []):
            assert reply["snippet"]["parentId"] == t["id"]

    # a video's threads are those of the channel's threads on it
    video = threads[0]["snippet"]["videoId"]
    videos = channel.youtube.videos().list(part="snippet", id=video).execute()
    conforms(videos, {"$ref": "VideoListResponse"}, "videos.list")
    assert videos["items"][0]["snippet"]["channelId"] == channel.id
    on_video = channel.threads(part="id", videoId=video, maxResults=100)
    assert {t["id"] for p in on_video for t in p["items"]} == {
        t["id"] for t in threads if t["snippet"]["videoId"] == video
    }


def test_a_host_reads_replies_and_posts_one_that_the_fan_answers(channel: Channel) -> None:
    pages = channel.threads(part="snippet", allThreadsRelatedToChannelId=channel.id, maxResults=100)
    threads = [t for p in pages for t in p["items"]]
    replied = next(t for t in threads if t["snippet"]["totalReplyCount"] > 0)
    replies = channel.youtube.comments().list(part="snippet", parentId=replied["id"]).execute()
    conforms(replies, {"$ref": "CommentListResponse"}, "comments.list")
    assert len(replies["items"]) == replied["snippet"]["totalReplyCount"]
    assert {r["snippet"]["parentId"] for r in replies["items"]} == {replied["id"]}

    fans = [
        t
        for t in threads
        if t["snippet"]["totalReplyCount"] == 0
        and t["snippet"]["topLevelComment"]["snippet"]["authorChannelId"]["value"] != channel.id
    ][:8]
    assert len(fans) == 8
    posted = {}
    for t in fans:
        body = {"snippet": {"parentId": t["id"], "textOriginal": "Thanks, glad it helped!"}}
        reply = channel.youtube.comments().insert(part="snippet", body=body).execute()
        conforms(reply, {"$ref": "Comment"}, "comments.insert")
        assert reply["snippet"]["parentId"] == t["id"]
        assert reply["snippet"]["textOriginal"] == "Thanks, glad it helped!"
        assert reply["snippet"]["authorChannelId"]["value"] == channel.id
        posted[t["id"]] = reply["id"]

    # the fans answer (REPLY_DELAY_SCALE is 0 in tests), seen at the host's next poll
    def answers() -> list[dict[str, Any]]:
        found = []
        for t in fans:
            author = t["snippet"]["topLevelComment"]["snippet"]["authorChannelId"]["value"]
            shown = channel.youtube.comments().list(part="snippet", parentId=t["id"]).execute()
            ids = [r["id"] for r in shown["items"]]
            assert posted[t["id"]] in ids
            found += [
                r for r in shown["items"] if r["snippet"]["authorChannelId"]["value"] == author
            ]
        return found

    heard = wait_for(answers, 30, "a fan to answer the host's reply")
    for r in heard:
        assert r["snippet"]["textOriginal"]
        assert r["snippet"]["publishedAt"] >= min(
            t["snippet"]["topLevelComment"]["snippet"]["publishedAt"] for t in fans
        )


def test_a_host_holds_publishes_and_deletes_comments(channel: Channel) -> None:
    """ "Comments: setModerationStatus" (heldForReview, published, rejected; 204) and
    "Comments: delete" (the channel's own; 204): a held comment leaves the published list and
    is listed under moderationStatus=heldForReview until it is published again."""
    pages = channel.threads(part="snippet", allThreadsRelatedToChannelId=channel.id, maxResults=100)
    threads = [t for p in pages for t in p["items"]]
    fan = next(
        t
        for t in threads
        if t["snippet"]["topLevelComment"]["snippet"]["authorChannelId"]["value"] != channel.id
    )
    video = fan["snippet"]["videoId"]
    comments = channel.youtube.comments()

    def listed(status: str) -> set[str]:
        pages = channel.threads(part="id", videoId=video, maxResults=100, moderationStatus=status)
        return {t["id"] for p in pages for t in p["items"]}

    assert fan["id"] in listed("published")
    assert (
        comments.setModerationStatus(id=fan["id"], moderationStatus="heldForReview").execute() == ""
    )
    assert fan["id"] not in listed("published")
    assert listed("heldForReview") == {fan["id"]}
    comments.setModerationStatus(id=fan["id"], moderationStatus="published").execute()
    assert fan["id"] in listed("published")
    assert listed("heldForReview") == set()
    with pytest.raises(HttpError) as raised:  # banAuthor goes with rejected only
        comments.setModerationStatus(
            id=fan["id"], moderationStatus="heldForReview", banAuthor=True
        ).execute()
    assert raised.value.resp.status == 400

    # the channel deletes its own reply; a fan's comment is not its to delete
    body = {"snippet": {"parentId": fan["id"], "textOriginal": "Oops, wrong thread"}}
    mine = comments.insert(part="snippet", body=body).execute()
    assert comments.delete(id=mine["id"]).execute() == ""
    shown = comments.list(part="id", parentId=fan["id"]).execute()
    assert mine["id"] not in {r["id"] for r in shown["items"]}
    with pytest.raises(HttpError) as raised:
        comments.delete(id=fan["id"]).execute()
    assert raised.value.resp.status == 403
    assert fan["id"] in listed("published")


def test_a_channel_runs_out_of_its_10000_daily_units(channel: Channel) -> None:
    """ "Quota usage": 10,000 units a day, 50 for an insert, 1 for a list; past it the request
    fails with `quotaExceeded` (403) and spends nothing: after one list, the 200th reply
    cannot be made, and the 49 units left are 49 lists."""
    thread = (
        channel.youtube.commentThreads()
        .list(part="id", allThreadsRelatedToChannelId=channel.id, maxResults=1)
        .execute()["items"][0]["id"]
    )  # 1 unit
    body = {"snippet": {"parentId": thread, "textOriginal": "Thank you!"}}
    for _ in range(199):  # 1 + 199 * 50 = 9,951 units
        channel.youtube.comments().insert(part="snippet", body=body).execute()
    with pytest.raises(HttpError) as raised:  # a 200th would make 10,001
        channel.youtube.comments().insert(part="snippet", body=body).execute()
    assert raised.value.resp.status == 403
    error = json.loads(raised.value.content)["error"]["errors"][0]
    assert (error["reason"], error["domain"]) == ("quotaExceeded", "youtube.quota")
    # the 49 units left still read, one at a time, and then nothing does
    for _ in range(49):
        channel.youtube.channels().list(part="id", mine=True).execute()
    with pytest.raises(HttpError) as raised:
        channel.youtube.channels().list(part="id", mine=True).execute()
    assert raised.value.resp.status == 403


def test_the_quota_resets_at_midnight_pacific_time(container: Container) -> None:
    """ "Daily quotas reset at midnight Pacific Time" (PST or PDT alike)."""
    quota = RedisQuota(container.redis, daily=100)
    account = uuid.uuid4()
    pacific = ZoneInfo("America/Los_Angeles")
    before = datetime(2026, 7, 1, 23, 59, tzinfo=pacific)  # 06:59 UTC the next day
    assert quota.spend(account, 100, before.astimezone(UTC))
    assert not quota.spend(account, 1, before.astimezone(UTC))
    assert not quota.spend(account, 1, (before + timedelta(seconds=59)).astimezone(UTC))
    assert quota.spend(account, 100, (before + timedelta(minutes=1)).astimezone(UTC))
    winter = datetime(2026, 12, 1, 23, 59, 59, tzinfo=pacific)  # 07:59:59 UTC
    assert quota.spend(account, 100, winter.astimezone(UTC))
    assert not quota.spend(account, 1, winter.astimezone(UTC))
    assert quota.spend(account, 1, (winter + timedelta(seconds=1)).astimezone(UTC))


def test_errors_in_googles_shape(channel: Channel) -> None:
    def error_of(raised: pytest.ExceptionInfo[HttpError]) -> dict[str, Any]:
        body = json.loads(raised.value.content)
        assert set(body["error"]) >= {"code", "message", "errors"}
        assert body["error"]["code"] == raised.value.resp.status
        return dict(body["error"]["errors"][0])

    wrong = build(
        "youtube",
        "v3",
        developerKey="not-a-key",
        static_discovery=True,
        client_options={"api_endpoint": f"{channel.base}/"},
    )
    with pytest.raises(HttpError) as raised:
        wrong.channels().list(part="id", mine=True).execute()
    assert raised.value.resp.status == 401
    assert error_of(raised)["reason"] == "authError"

    threads = channel.youtube.commentThreads()
    with pytest.raises(HttpError) as raised:
        threads.list(part="id", videoId="dQw4w9WgXcQ", allThreadsRelatedToChannelId=channel.id
                     ).execute()  # fmt: skip
    assert raised.value.resp.status == 400
    assert error_of(raised)["reason"] == "incompatibleParameters"
    with pytest.raises(HttpError) as raised:
        threads.list(part="id", videoId="dQw4w9WgXcQ").execute()
    assert raised.value.resp.status == 404
    assert error_of(raised)["reason"] == "videoNotFound"
    with pytest.raises(HttpError) as raised:
        threads.list(part="id", allThreadsRelatedToChannelId=channel.id, pageToken="nope").execute()
    assert error_of(raised)["reason"] == "invalidPageToken"
    with pytest.raises(HttpError) as raised:
        channel.youtube.comments().list(part="snippet", parentId="UgnotAComment4AaABAg").execute()
    assert raised.value.resp.status == 404
    assert error_of(raised)["reason"] == "commentNotFound"
    # what the client would not send, as plain HTTP: a page size out of range, no `part`
    url = f"{channel.base}/youtube/v3/commentThreads"
    too_many = requests.get(
        url,
        params={"part": "id", "allThreadsRelatedToChannelId": channel.id, "maxResults": "101",
                "key": channel.key},
        timeout=10,
    )  # fmt: skip
    assert too_many.status_code == 400
    assert too_many.json()["error"]["errors"][0]["location"] == "maxResults"
    no_part = requests.get(url, params={"videoId": "x", "key": channel.key}, timeout=10)
    assert no_part.status_code == 400
    assert no_part.json()["error"]["errors"][0]["location"] == "part"


def test_the_reference_host_polls_a_channel_into_the_inbox_and_hears_the_answers(
    channel: Channel, container: Container
) -> None:
    """YouTube pushes nothing: the reference host's poll (the `youtube-poll` schedule's job)
    reads every thread and its replies through the Data API, files them, and at its next poll
    what was said since: the host's reply and the fan's answer."""
    account = uuid.UUID(channel.account)
    before = datetime.now(UTC)  # (a batch's latest items come due as time passes)
    first = container.youtube_poller.poll()
    assert first["channels"] >= 1
    assert str(account) not in first["refused"]
    with container.engine.connect() as conn:
        filed = {
            r.platform_id: r
            for r in conn.execute(
                text(
                    "SELECT platform_id, in_reply_to, author_is_creator, text FROM"
                    " inbox_interactions WHERE account_id = :a"
                ),
                {"a": account},
            )
        }
        # what YouTube shows: threads and all their replies (a thread is one level: a reply
        # to a reply is under the top comment, naming whom it answers)
        generated = conn.execute(
            text(
                "SELECT platform_id, text, occurred_at <= :before FROM interactions"
                " WHERE account_id = :a AND kind = 'comment' AND event IS NULL"
            ),
            {"a": account, "before": before},
        ).all()
    # everything said by the poll's start, nothing that was not said (with its words)
    due = {(p, t) for p, t, by_then in generated if by_then}
    assert due <= {(p, r.text) for p, r in filed.items()}
    assert {(p, r.text) for p, r in filed.items()} <= {(p, t) for p, t, _ in generated}
    assert any(r.in_reply_to for r in filed.values())
    assert any(r.author_is_creator for r in filed.values())
    again = container.youtube_poller.poll()  # nothing new: duplicates only
    assert again["new"] == 0

    fan = next(
        t
        for p in channel.threads(
            part="snippet", allThreadsRelatedToChannelId=channel.id, maxResults=100
        )
        for t in p["items"]
        if t["snippet"]["totalReplyCount"] == 0
        and t["snippet"]["topLevelComment"]["snippet"]["authorChannelId"]["value"] != channel.id
    )
    body = {"snippet": {"parentId": fan["id"], "textOriginal": "Thank you for watching!"}}
    mine = channel.youtube.comments().insert(part="snippet", body=body).execute()
    heard = container.youtube_poller.poll()
    assert heard["new"] >= 1  # the host's reply (and the fan's answer, said at once in tests)
    with container.engine.connect() as conn:
        under = conn.execute(
            text(
                "SELECT platform_id, author_is_creator FROM inbox_interactions"
                " WHERE account_id = :a AND in_reply_to = :c"
            ),
            {"a": account, "c": fan["id"]},
        ).all()
    assert (mine["id"], True) in {(r[0], r[1]) for r in under}


def test_search_terms_narrow_a_channels_threads_and_a_video_shows_its_statistics(
    channel: Channel, container: Container
) -> None:
    """ "CommentThreads: list": `searchTerms` "instructs the API to limit the API response to
    only contain comments that contain the specified search terms" ("cannot be used in
    conjunction with the id parameter"); "Videos: list", `part=statistics`: the video's
    viewCount, likeCount, favoriteCount and commentCount."""
    every = [
        t
        for p in channel.threads(
            part="snippet", allThreadsRelatedToChannelId=channel.id, maxResults=100,
            textFormat="plainText",
        )
        for t in p["items"]
    ]  # fmt: skip
    words = [t["snippet"]["topLevelComment"]["snippet"]["textOriginal"] for t in every]
    word = next(w for text in words for w in text.split() if len(w) > 6 and w.isalpha())
    found = channel.threads(
        part="snippet", allThreadsRelatedToChannelId=channel.id, searchTerms=word.upper(),
        maxResults=100, textFormat="plainText",
    )  # fmt: skip
    shown = [t["snippet"]["topLevelComment"]["snippet"]["textOriginal"] for p in found
             for t in p["items"]]  # fmt: skip
    assert shown
    assert sorted(shown) == sorted(t for t in words if word.lower() in t.lower())
    with pytest.raises(HttpError) as refused:
        channel.youtube.commentThreads().list(
            part="id", id=every[0]["id"], searchTerms=word
        ).execute()
    assert refused.value.resp.status == 400
    assert "searchTerms" in refused.value.content.decode()

    video = every[0]["snippet"]["videoId"]
    videos = channel.youtube.videos().list(part="snippet,statistics", id=video).execute()
    conforms(videos, {"$ref": "VideoListResponse"}, "videos.list")
    stats = videos["items"][0]["statistics"]
    assert set(stats) == {"viewCount", "likeCount", "favoriteCount", "commentCount"}
    with container.engine.connect() as conn:
        stored = conn.execute(
            text("SELECT comments_count FROM contents WHERE platform_id = :v"), {"v": video}
        ).scalar_one()
    assert stats["commentCount"] == str(stored)
    assert int(stats["viewCount"]) > int(stats["likeCount"]) > 0
