"""What the templates use to show things: times, text clamped with "show more", assets, and
the page a form comes back to."""

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, request, url_for

from app.domain.jobs import Job
from app.entrypoints.http.dashboard import bp

CLAMP_CHARACTERS = 600
CLAMP_LINES = 8


@bp.app_template_filter("when")
def _when(at: Any, seconds: bool = False) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M") if at else "-"


@bp.app_template_filter("took")
def _took(job: Job) -> str:
    """How long a job ran (or has run so far)."""
    if job.started_at is None:
        return "-"
    end = job.finished_at or datetime.now(UTC)
    seconds = (end - job.started_at).total_seconds()
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest} s" if minutes < 60 else f"{minutes // 60} h {minutes % 60} min"


@bp.app_template_filter("human")
def _human(word: str) -> str:
    """A snake_case or dotted name as words: "initial_batch" → "initial batch"."""
    return word.replace("_", " ").replace(".", " · ")


@bp.app_template_filter("initials")
def _initials(name: str) -> str:
    """A person's avatar: the first letters of their first two words ("Ana Lima" → "AL"),
    letters only, so that nothing from outside steers the text's direction."""
    letters = [word[0] for word in name.split() if word[:1].isalpha()]
    return "".join(letters[:2]).upper() or "?"


@bp.app_template_filter("clamp")
def _clamp(text: str) -> tuple[str, str]:
    """A long text as what shows and what "show more" opens: at most CLAMP_LINES lines and
    CLAMP_CHARACTERS characters show, cut at a space where there is one."""
    cut = min(len(text), CLAMP_CHARACTERS)
    lines = text.split("\n", CLAMP_LINES)
    if len(lines) > CLAMP_LINES:
        cut = min(cut, len("\n".join(lines[:CLAMP_LINES])))
    if cut == len(text):
        return text, ""
    space = text.rfind(" ", CLAMP_CHARACTERS // 2, cut)
    cut = space if space > 0 else cut
    return text[:cut], text[cut:]


@bp.app_template_global("static_url")
def _static_url(path: str) -> str:
    return url_for("static", filename=path, v=current_app.config.get("ASSET_VERSION", "1"))


@bp.app_template_global("here")
def here() -> str:
    """The page the person is on, to come back to after a form: for a part that htmx
    refreshed, the page it sits in, not the part's own address."""
    current = urlsplit(request.headers.get("HX-Current-URL", ""))
    if current.path:
        return current.path + (f"?{current.query}" if current.query else "")
    return request.full_path.rstrip("?")
