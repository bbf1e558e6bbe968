"""The fields of a generated item a person may set by path (`sentiment`, `author.handle`):
what `demosim trigger --override` and a scenario's `comments[*].…` / `dms[*].…` set on every
item they send."""

from collections.abc import Sequence
from dataclasses import replace

from app.domain.inbox import ContentRef, Intent, Sentiment, WebhookInteraction

CHOICES: dict[str, type[Intent] | type[Sentiment]] = {"intent": Intent, "sentiment": Sentiment}
FIELDS = (
    "text",
    "topic",
    "language",
    "intent",
    "sentiment",
    "author.handle",
    "author.display_name",
    "content.title",
)


def field_error(path: str, value: object) -> str | None:
    """Why `value` cannot be set at `path` (one of FIELDS), or None."""
    if not isinstance(value, str) or not value.strip():
        return f"{path} cannot be empty"
    if path in CHOICES and value not in {m.value for m in CHOICES[path]}:
        return f"{path} is one of {', '.join(m.value for m in CHOICES[path])}"
    return None


def with_fields(item: WebhookInteraction, given: Sequence[tuple[str, str]]) -> WebhookInteraction:
    """The item with each (path, value) set, in order; values checked by field_error."""
    for path, value in given:
        if path == "text":
            item = replace(item, text=value)
        elif path == "topic":
            item = replace(item, topic=value)
        elif path == "language":
            item = replace(item, language=value)
        elif path == "intent":
            item = replace(item, intent=Intent(value))
        elif path == "sentiment":
            item = replace(item, sentiment=Sentiment(value))
        elif path == "author.handle":
            item = replace(item, author=replace(item.author, handle=value))
        elif path == "author.display_name":
            item = replace(item, author=replace(item.author, display_name=value))
        elif path == "content.title" and item.content is not None:
            item = replace(item, content=ContentRef(item.content.platform_id, value))
    return item
