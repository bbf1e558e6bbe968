"""What happens to an item after it was said, as Meta's webhooks tell a host (SPEC.md "Platform
emulation", PLATFORMS.md): only the events a platform really sends, each object's events in an
order that can happen.

- a Facebook Page's comment (Page webhooks reference, field `feed`, `verb`): `edited` by its
  author, `remove`d by its author, `hide` / `unhide` by the Page;
- a TikTok comment (API for Business, "Webhook event types", `comment.update`'s
  `comment_action`): `delete`d by its author, `set_to_hidden` / `set_to_public` by the account;
- an Instagram message ("Webhooks for Instagram Messaging"): unsent (`message.is_deleted`),
  reacted to and unreacted (`reaction.action` react / unreact), seen (`read`), edited
  (`message_edit`, `num_edit` counting up to 5).

Instagram sends no comment edits, and a Page's messages none of Instagram's: `SENT` says which
platform sends which.
"""

import enum
from dataclasses import dataclass

from app.domain.errors import DomainError
from app.domain.inbox import InteractionKind, Platform


class EventType(enum.StrEnum):
    EDITED = "edited"  # a Page comment's author changed its words
    REMOVE = "remove"  # a Page comment's author deleted it
    HIDE = "hide"  # the Page hid a comment
    UNHIDE = "unhide"
    UNSEND = "unsend"  # an Instagram message taken back (is_deleted)
    REACT = "react"  # an Instagram message reacted to
    UNREACT = "unreact"
    READ = "read"  # an Instagram message seen by the person it went to
    MESSAGE_EDIT = "message_edit"  # an Instagram message edited


SENT: dict[tuple[Platform, InteractionKind], frozenset[EventType]] = {
    (Platform.FACEBOOK, InteractionKind.COMMENT): frozenset(
        {EventType.EDITED, EventType.REMOVE, EventType.HIDE, EventType.UNHIDE}
    ),
    (Platform.TIKTOK, InteractionKind.COMMENT): frozenset(
        {EventType.REMOVE, EventType.HIDE, EventType.UNHIDE}
    ),
    # a reply deleted by its author (Account Activity's tweet_delete_events; a hidden reply
    # is no event)
    (Platform.X, InteractionKind.COMMENT): frozenset({EventType.REMOVE}),
    (Platform.INSTAGRAM, InteractionKind.DM): frozenset(
        {EventType.UNSEND, EventType.REACT, EventType.UNREACT, EventType.READ,
         EventType.MESSAGE_EDIT}
    ),
}  # fmt: skip
MOST_EDITS = 5  # "message_edit": num_edit, up to 5
REACTION = ("love", "\u2764\ufe0f")  # what Instagram's `reaction` names, and its emoji (❤️)


@dataclass(frozen=True, slots=True)
class Lifecycle:
    """An event on an item: its type, the item's id (`of`), the item's parent comment (a Page
    comment's, for `parent_id`; None for a top-level comment or a message) and, for an edit,
    which one it is (1 to 5). The event's words (an edit's new text) are its item's text."""

    type: EventType
    of: str
    parent: str | None = None
    edits: int = 0

    def as_json(self) -> dict[str, object]:
        return {"type": self.type.value, "of": self.of, "parent": self.parent,
                "edits": self.edits}  # fmt: skip

    @staticmethod
    def from_json(value: dict[str, object]) -> "Lifecycle":
        parent = value.get("parent")
        edits = value.get("edits", 0)
        return Lifecycle(
            EventType(str(value["type"])),
            str(value["of"]),
            str(parent) if parent is not None else None,
            edits if isinstance(edits, int) else 0,
        )


class ImpossibleEventError(DomainError):
    """An event that cannot happen to the item as it stands; says why."""


class ItemState:
    """One item's events so far: what may come next. An item gone (removed, unsent) takes
    nothing more; an edit past the fifth, an unreaction without a reaction, a second hide are
    refused."""

    def __init__(self) -> None:
        self.gone = False
        self.edits = 0
        self.reacted = False
        self.hidden = False

    def allows(self, event: EventType) -> bool:
        if self.gone:
            return False
        match event:
            case EventType.EDITED | EventType.MESSAGE_EDIT:
                return self.edits < MOST_EDITS
            case EventType.REACT:
                return not self.reacted
            case EventType.UNREACT:
                return self.reacted
            case EventType.HIDE:
                return not self.hidden
            case EventType.UNHIDE:
                return self.hidden
        return True

    def apply(self, event: EventType) -> None:
        if not self.allows(event):
            why = "it is gone" if self.gone else "of what happened to it before"
            raise ImpossibleEventError(f"{event.value} cannot happen to the item: {why}")
        match event:
            case EventType.EDITED | EventType.MESSAGE_EDIT:
                self.edits += 1
            case EventType.REMOVE | EventType.UNSEND:
                self.gone = True
            case EventType.REACT | EventType.UNREACT:
                self.reacted = event is EventType.REACT
            case EventType.HIDE | EventType.UNHIDE:
                self.hidden = event is EventType.HIDE


def sends(platform: Platform, kind: InteractionKind, event: EventType) -> bool:
    """Whether the platform sends this event for this kind of item."""
    return event in SENT.get((platform, kind), frozenset())
