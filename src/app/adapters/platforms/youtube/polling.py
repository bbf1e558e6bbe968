"""The reference host's side of YouTube: it polls. YouTube pushes no comments, so a host's live
integration reads each channel's threads with commentThreads.list
(`allThreadsRelatedToChannelId`, `part=snippet,replies`, newest first) and a thread's further
replies with comments.list (`parentId`), with the channel's key, spending its quota as any
host's calls do; what it reads is filed into the inbox (a comment read again is a duplicate,
as a re-sent webhook is). A first poll reads every page; later ones the newest `PAGES` pages,
where new threads and the replies under recent ones appear."""

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from app.adapters.platforms.youtube.data_api import YouTubeDataApi
from app.domain.inbox import Author, ContentRef, InteractionKind, Platform, WebhookInteraction
from app.services.inbox import InboxService

PAGES = 2  # of 100 threads, a poll after the first
MOST_PAGES = 200  # a first poll's bound: 20,000 threads


@dataclass(frozen=True)
class Channel:
    account_id: UUID
    channel_id: str
    key: str
    polled_before: bool  # the inbox holds some of its comments already


class YouTubePoller:
    def __init__(
        self,
        api: YouTubeDataApi,
        channels: Callable[[], Sequence[Channel]],
        inbox: InboxService,
    ) -> None:
        self._api = api
        self._channels = channels
        self._inbox = inbox

    def poll(self) -> dict[str, Any]:
        """One round over every native channel: how many were polled, how many comments read,
        how many of them were new to the inbox, and the channels whose reads were refused (out
        of quota, a token no longer valid), by id."""
        report: dict[str, Any] = {"channels": 0, "read": 0, "new": 0, "refused": {}}
        for channel in self._channels():
            report["channels"] += 1
            try:
                items = self._read(channel)
            except _Refused as exc:
                report["refused"][str(channel.account_id)] = str(exc)
                continue
            if not items:
                continue
            digest = hashlib.sha256("\x1f".join(f"{i.platform_id}:{i.text}" for i in items)
                                    .encode()).hexdigest()[:32]  # fmt: skip
            result = self._inbox.ingest(f"youtube-poll:{digest}", items)
            report["read"] += len(items)
            if not result.replayed:
                report["new"] += sum(1 for i in result.items if i.status.value == "created")
        return report

    def _read(self, channel: Channel) -> list[WebhookInteraction]:
        items: list[WebhookInteraction] = []
        params = {"part": "snippet,replies", "allThreadsRelatedToChannelId": channel.channel_id,
                  "maxResults": "100", "textFormat": "plainText"}  # fmt: skip
        pages = PAGES if channel.polled_before else MOST_PAGES
        for _ in range(pages):
            page = self._get(channel, "commentThreads", params)
            for thread in page["items"]:
                top = thread["snippet"]["topLevelComment"]
                items.append(_item(channel, top))
                shown = thread.get("replies", {}).get("comments", [])
                if thread["snippet"]["totalReplyCount"] > len(shown):
                    shown = self._replies(channel, top["id"])
                items += [_item(channel, r) for r in shown]
            if "nextPageToken" not in page:
                break
            params = {**params, "pageToken": page["nextPageToken"]}
        return items

    def _replies(self, channel: Channel, parent: str) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        params = {"part": "snippet", "parentId": parent, "maxResults": "100",
                  "textFormat": "plainText"}  # fmt: skip
        while True:
            page = self._get(channel, "comments", params)
            found += page["items"]
            if "nextPageToken" not in page:
                return found
            params = {**params, "pageToken": page["nextPageToken"]}

    def _get(self, channel: Channel, resource: str, params: dict[str, str]) -> dict[str, Any]:
        status, body = self._api.call("GET", resource, params, channel.key, None)
        if status != 200:
            error = body.get("error", {})
            raise _Refused(f"{resource}.list answered {status}: {error.get('message', body)}")
        return body


class _Refused(Exception):
    """A read the Data API refused: the channel is left for the next poll."""


def _item(channel: Channel, comment: dict[str, Any]) -> WebhookInteraction:
    snippet = comment["snippet"]
    who = str(snippet["authorDisplayName"]).removeprefix("@")
    return WebhookInteraction(
        account_id=channel.account_id,
        platform=Platform.YOUTUBE,
        platform_id=comment["id"],
        kind=InteractionKind.COMMENT,
        author=Author(who, who, snippet["authorChannelId"]["value"] == channel.channel_id),
        text=snippet["textOriginal"],
        occurred_at=datetime.fromisoformat(snippet["publishedAt"].replace("Z", "+00:00")),
        content=ContentRef(snippet["videoId"]),
        is_demo=True,
        in_reply_to=snippet.get("parentId"),
    )
