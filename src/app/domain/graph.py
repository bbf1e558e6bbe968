"""The emulated Graph API's rules (SPEC.md "Platform emulation"), as Meta documents them:
what a host may read and write for a native account, and the errors it gets otherwise.

- errors: "Handling Errors" (developers.facebook.com/docs/graph-api/guides/error-handling):
  `{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}`; 190 an access token
  that is not valid, 104 none given, 100 an invalid parameter (subcode 33: an object that does
  not exist or cannot be loaded);
- the messaging window: "Instagram Messaging" (docs/messenger-platform/instagram/features/
  send-message): a message may be sent within 24 hours of the person's last message; outside
  it the Send API answers code 10, subcode 2018278 ("Messenger Platform error codes");
- private replies: "Private Replies" (docs/messenger-platform/instagram/features/private-
  replies): one message to the author of a comment, within 7 days of it; a second is refused
  (10900, "Activity already replied to");
- replies: "IG Comment Replies" (docs/instagram-platform/instagram-graph-api/reference/
  ig-comment/replies): only to a top-level comment.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Generic, TypeVar
from uuid import UUID

from app.domain.demo import Content
from app.domain.errors import DomainError
from app.domain.inbox import WebhookInteraction

T = TypeVar("T")

MESSAGING_WINDOW = timedelta(hours=24)
PRIVATE_REPLY_WINDOW = timedelta(days=7)
PAGE_DEFAULT = 25  # what a Graph edge gives when no `limit` is asked
PAGE_MOST = 100


class GraphError(DomainError):
    """An error as the Graph API gives it: its code, subcode and type, and the message a
    person reads."""

    def __init__(
        self, code: int, message: str, subcode: int | None = None, kind: str = "OAuthException"
    ) -> None:
        super().__init__(message)
        self.code, self.subcode, self.kind = code, subcode, kind


def bad_token() -> GraphError:
    return GraphError(190, "Invalid OAuth access token - Cannot parse access token")


def no_token() -> GraphError:
    return GraphError(104, "An access token is required to request this resource.")


def no_object(method: str, object_id: str) -> GraphError:
    return GraphError(
        100,
        f"Unsupported {method.lower()} request. Object with ID '{object_id}' does not exist, "
        "cannot be loaded due to missing permissions, or does not support this operation.",
        33,
        "GraphMethodException",
    )


def bad_parameter(message: str) -> GraphError:
    return GraphError(100, f"(#100) {message}")


def outside_window() -> GraphError:
    return GraphError(10, "(#10) This message is sent outside of allowed window.", 2018278)


def already_replied() -> GraphError:
    return GraphError(10900, "Activity already replied to")


@dataclass(frozen=True, slots=True)
class Posted:
    """An item as the platform shows it: the row it is (for paging) and what it says."""

    row_id: UUID
    item: WebhookInteraction
    hidden: bool = False  # by the account


@dataclass(frozen=True, slots=True)
class Media:
    """A post as the platform shows it: its row and the content."""

    row_id: UUID
    content: Content


@dataclass(frozen=True, slots=True)
class Slice(Generic[T]):
    """A page of an edge, newest first, and whether there is more either side."""

    items: list[T]
    newer: bool
    older: bool
