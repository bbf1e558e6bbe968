"""The emulated Graph API's use cases (SPEC.md "Platform emulation"): a native account's
posts, comments and replies as the platform shows them, and what its host posts — a comment,
a reply, a message, a private reply — stored as the account's own, delivered back as the
platform does, and answered by the person after a human delay."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.domain.demo import DemoProfile, native_user_id
from app.domain.generation.answers import answer, seen
from app.domain.generation.happenings import event
from app.domain.generation.writer import account_author
from app.domain.graph import (
    MESSAGING_WINDOW,
    PRIVATE_REPLY_WINDOW,
    GraphError,
    Media,
    Posted,
    Slice,
    already_replied,
    bad_parameter,
    bad_token,
    no_object,
    no_token,
    outside_window,
)
from app.domain.inbox import (
    Author,
    ContentRef,
    Intent,
    InteractionKind,
    Platform,
    Sentiment,
    WebhookInteraction,
)
from app.domain.jobs import JobKind, NewJob
from app.domain.lifecycle import EventType, sends
from app.domain.pagination import Cursor
from app.domain.platforms import native_id, native_platform_id
from app.services.ports import GraphStore
from app.services.work import JobEngine

Node = str | Media | Posted  # the account itself (its user id), a post, a comment or message


@dataclass(frozen=True)
class GraphService:
    store: GraphStore
    engine: JobEngine
    delay_scale: float = 1.0  # REPLY_DELAY_SCALE: how long a person takes to answer, scaled

    def account(self, access_token: str | None) -> DemoProfile:
        if not access_token:
            raise no_token()
        profile = self.store.account(access_token)
        if profile is None:
            raise bad_token()
        return profile

    def node(self, profile: DemoProfile, node_id: str, method: str = "GET") -> Node:
        """What an id names, if it is the account's."""
        if node_id == native_user_id(profile.account_id, profile.platform):
            return node_id
        found: Node | None = self.store.media(profile, node_id) or self.store.item(
            profile, node_id, self._now()
        )
        if found is None:
            raise no_object(method, node_id)
        return found

    def media_page(
        self, profile: DemoProfile, cursor: Cursor | None, newer: bool, limit: int
    ) -> Slice[Media]:
        return self.store.media_page(profile.account_id, self._now(), cursor, newer, limit)

    def comments_page(
        self,
        profile: DemoProfile,
        under: Node,
        cursor: Cursor | None,
        newer: bool,
        limit: int,
        hidden: bool | None = None,
        offset: int = 0,
        oldest_first: bool = False,
        containing: str | None = None,
    ) -> Slice[Posted]:
        """A post's top-level comments, a comment's replies, or (under the account itself)
        the top-level comments of all its posts (`hidden`: only those the account hid, or only
        those it did not; `containing`: only those whose words contain it, in any case); after a
        cursor, or (TikTok's paging) after the first `offset`, newest or oldest first."""
        if isinstance(under, str):
            on = ("account", "")
        elif isinstance(under, Media):
            on = ("media", under.content.platform_id)
        else:
            on = ("comment", under.item.platform_id)
        return self.store.comments_page(
            profile, self._now(), on, cursor, newer, limit, hidden, offset, oldest_first, containing
        )

    def creator_name(self, profile: DemoProfile) -> str:
        """The account's username, as its own comments are signed."""
        return self.creator(profile).handle

    def creator(self, profile: DemoProfile) -> Author:
        """The account as it signs what it says: its username, and the name a Page shows."""
        return account_author(profile)

    def creator_fans(self, profile: DemoProfile) -> int:
        """How many follow the account: a number of its size, the same every time."""
        return 4_000 + profile.seed % 96_000

    def reply_count(self, profile: DemoProfile, comment: Posted) -> int:
        """How many replies a comment has by now."""
        return self.store.reply_count(profile, comment.item.platform_id, self._now())

    def reply_counts(self, profile: DemoProfile, comments: Sequence[Posted]) -> dict[str, int]:
        """How many replies each of a page's comments has by now."""
        ids = [c.item.platform_id for c in comments]
        return self.store.reply_counts(profile, ids, self._now())

    def latest_replies(
        self, profile: DemoProfile, comments: Sequence[Posted], most: int
    ) -> tuple[dict[str, int], dict[str, list[Posted]]]:
        """How many replies each of a page's comments has, and its `most` newest."""
        ids = [c.item.platform_id for c in comments]
        return self.store.latest_replies(profile, ids, self._now(), most)

    # --- what the host posts ---------------------------------------------------------------

    def comment(self, profile: DemoProfile, on: Media | Posted, message: object) -> str:
        """The account's comment on its post, or its reply to a top-level comment; the new
        comment's id."""
        text = _message_text(message, COMMENT_MOST[profile.platform])
        now = self._now()
        if isinstance(on, Posted):
            parent = on.item
            if parent.kind is not InteractionKind.COMMENT:
                raise no_object("POST", parent.platform_id)
            if parent.in_reply_to is not None and profile.platform is not Platform.X:
                raise bad_parameter("Replies can only be made to top-level comments")
            content, reply_to = parent.content, parent.platform_id
        else:
            content, reply_to = ContentRef(on.content.platform_id, on.content.title), None
        said = self._own(profile, InteractionKind.COMMENT, text, now, content=content,
                         in_reply_to=reply_to)  # fmt: skip
        items = [said]
        if isinstance(on, Posted) and not on.item.author.is_creator:
            items += self._answer(profile, said, on.item, thread=on.item.platform_id)
        self._post(profile, items)
        return said.platform_id

    def hide(self, profile: DemoProfile, on: Node, hidden: object, param: str = "hide") -> None:
        """`POST /{ig-comment-id}?hide=true|false` (a Page's: `is_hidden=`): a comment of the
        account's posts hidden from everyone but its author, or shown again."""
        flag = {"true": True, "false": False}.get(str(hidden).lower())
        if flag is None:
            raise bad_parameter(f"Param {param} must be a boolean")
        if not isinstance(on, Posted) or on.item.kind is not InteractionKind.COMMENT:
            raise no_object("POST", node_id_of(on))
        if on.item.author.is_creator:
            raise bad_parameter("The account's own comments cannot be hidden")
        self.store.hide(profile, on.item.platform_id, flag)
        kind = EventType.HIDE if flag else EventType.UNHIDE
        if flag != on.hidden and sends(profile.platform, InteractionKind.COMMENT, kind):
            now = self._now()  # a Page's feed says so; Instagram sends nothing
            told = event(on.item, kind, self.creator(profile), now, int(now.timestamp() * 1e6))
            self._post(profile, [told])

    def delete(self, profile: DemoProfile, on: Node) -> None:
        """`DELETE /{ig-comment-id}`: a comment (with its replies) gone from the account's post."""
        if not isinstance(on, Posted) or on.item.kind is not InteractionKind.COMMENT:
            raise no_object("DELETE", node_id_of(on))
        self.store.delete(profile, on.item.platform_id)

    def message(
        self,
        profile: DemoProfile,
        recipient: dict[str, str],
        message: dict[str, str],
        window: timedelta | None = MESSAGING_WINDOW,
    ) -> tuple[str, str]:
        """A message to a person (`{"id": IGSID}`, within `window` of their last message:
        Meta's 24 h; X has none) or a private reply to a comment's author (`{"comment_id"}`,
        once, within 7 days); the recipient's id and the message's id."""
        words = message.get("text") if isinstance(message, dict) else None
        text = _message_text(words, MESSAGE_MOST[profile.platform])
        now = self._now()
        comment_id = recipient.get("comment_id") if isinstance(recipient, dict) else None
        person = recipient.get("id") if isinstance(recipient, dict) else None
        last: WebhookInteraction | None = None
        if comment_id:
            found = self.store.item(profile, str(comment_id), now)
            if found is None or found.item.kind is not InteractionKind.COMMENT:
                raise bad_parameter(f"Invalid parameter: comment {comment_id} does not exist")
            if now - found.item.occurred_at > PRIVATE_REPLY_WINDOW:
                raise outside_window()
            person = native_id("igsid", found.item.author.handle)
        elif person:
            person = str(person)
            last = self.store.last_from_person(profile.account_id, person, now)
            if last is None:
                raise GraphError(100, "(#100) No matching user found", 2534014)
            if window is not None and now - last.occurred_at > window:
                raise outside_window()
        else:
            raise bad_parameter("param recipient must be non-empty.")
        said = self._own(profile, InteractionKind.DM, text, now, conversation_id=person)
        items = [said]
        if last is not None:
            items += self._answer(profile, said, last, conversation=person)
            answered = items[1] if len(items) > 1 else None
            read = seen(profile, said, last, answered, self.delay_scale)
            items += [read] if read is not None else []
        if not self.store.post(items, now, private_reply_to=comment_id or None):
            raise already_replied()
        self._deliver(profile)
        return person, said.platform_id

    def _answer(
        self,
        profile: DemoProfile,
        said: WebhookInteraction,
        to: WebhookInteraction,
        thread: str | None = None,
        conversation: str | None = None,
    ) -> list[WebhookInteraction]:
        before = self.store.answered_account(
            profile, said.occurred_at, to.author.handle, thread, conversation
        )
        kind = "dm" if said.kind is InteractionKind.DM else "c"
        post = said.content.platform_id if said.content else None
        new_id = self._new_id(profile, kind, post)
        found = answer(profile, said, to, new_id, self.delay_scale, before)
        return [found] if found is not None else []

    def _post(self, profile: DemoProfile, items: list[WebhookInteraction]) -> None:
        self.store.post(items, self._now())
        self._deliver(profile)

    def _deliver(self, profile: DemoProfile) -> None:
        """A delivery job for the account: what it said goes back to its host now (what the
        person answers later is left for the sweep's delivery when it is due)."""
        with self.engine.uow() as uow:
            job, _ = self.engine.add(uow, NewJob(JobKind.DELIVER, account_id=profile.account_id))
            uow.commit()
        self.engine.enqueue_soon(job)

    def _own(
        self, profile: DemoProfile, kind: InteractionKind, text: str, now: datetime, **where: Any
    ) -> WebhookInteraction:
        """What the host says as the account: a comment (`content`, `in_reply_to`) or a
        message (`conversation_id`), with a new id in the platform's form."""
        content = where.get("content")
        post = content.platform_id if isinstance(content, ContentRef) else None
        return WebhookInteraction(
            account_id=profile.account_id,
            platform=profile.platform,
            platform_id=self._new_id(profile, "dm" if kind is InteractionKind.DM else "c", post),
            kind=kind,
            author=self.creator(profile),
            text=text,
            occurred_at=now,
            intent=Intent.OTHER,
            sentiment=Sentiment.NEUTRAL,
            is_demo=True,
            **where,
        )

    def _new_id(self, profile: DemoProfile, kind: str, post: str | None = None) -> str:
        """A new id in the platform's form (a Page's comment's under its `post`)."""
        user_id = native_user_id(profile.account_id, profile.platform)
        return native_platform_id(kind, f"host:{uuid.uuid4()}", user_id, profile.platform, post)

    def now(self) -> datetime:
        """The service's clock (a platform's day, its windows, its delays)."""
        return self._now()

    def _now(self) -> datetime:
        return self.engine.clock.now()


def node_id_of(node: Node) -> str:
    if isinstance(node, str):
        return node
    return node.content.platform_id if isinstance(node, Media) else node.item.platform_id


# how long a comment and a message may be: Instagram's caption and comment limit, a Page
# comment's, a YouTube comment's (10,000 characters), a TikTok reply's ("Max length of 150
# characters", the API for Business); "Send API": a text message's 2,000
# characters (Instagram's 1,000 bytes, ⚠ counted here in characters)
COMMENT_MOST = {
    Platform.INSTAGRAM: 2200,
    Platform.FACEBOOK: 8000,
    Platform.YOUTUBE: 10_000,
    Platform.TIKTOK: 150,
    Platform.X: 280,  # a post's ("Counting characters")
}
# X's: "Text messages support up to 10,000 characters"
MESSAGE_MOST = {Platform.INSTAGRAM: 1000, Platform.FACEBOOK: 2000, Platform.X: 10_000}


def _message_text(message: object, most: int) -> str:
    if not isinstance(message, str) or not message.strip():
        raise bad_parameter("The parameter message is required")
    if len(message) > most:
        raise bad_parameter(f"Param message must be at most {most} characters long")
    return message
