"""Platform apps (SPEC.md "Platform emulation"): a host registers, per platform family, the app
its live integration uses: where the platform's webhooks go (`callback_url`), the secret they
are signed with (X's consumer secret), for Meta the token its subscription handshake echoes,
for TikTok the client key its webhooks name. demosim performs
the family's handshake against the callback before it accepts the app, as the platform does
when a subscription is made."""

import enum
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urlsplit

from app.domain.errors import DomainError
from app.domain.inbox import Platform
from app.domain.time import require_aware


class Family(enum.StrEnum):
    """A platform family: one app, one webhook dialect, one emulated API."""

    META = "meta"  # Instagram and Facebook Pages
    YOUTUBE = "youtube"
    X = "x"
    TIKTOK = "tiktok"


FAMILY_OF = {
    Platform.INSTAGRAM: Family.META,
    Platform.FACEBOOK: Family.META,
    Platform.YOUTUBE: Family.YOUTUBE,
    Platform.TIKTOK: Family.TIKTOK,
    Platform.X: Family.X,
}
# the families whose dialect demosim speaks
EMULATED = (Family.META, Family.YOUTUBE, Family.TIKTOK, Family.X)
# the families whose platform pushes comments and messages to an app's callback; YouTube's
# hosts poll the Data API for comments (WebSub announces videos, per subscription): a native
# YouTube account needs no app, and its items reach the host at its next poll
PUSHED = (Family.META, Family.TIKTOK, Family.X)
SHOWN = 4  # characters of a secret shown back: its last four, as dashboards show keys
SECRET_LENGTH = (8, 256)


class InvalidAppError(DomainError):
    """An app that cannot be registered as given; names the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class NoAppError(DomainError):
    """Native delivery asked for a platform whose family has no verified app."""

    def __init__(self, platform: Platform) -> None:
        family = FAMILY_OF[platform].value
        super().__init__(
            f"native delivery for {platform.value} needs a verified {family} app: "
            f"register one with PUT /api/v1/apps/{family} first"
        )


class HandshakeFailedError(DomainError):
    """The callback did not answer the platform's verification handshake as the platform
    requires: the message says what it answered (a status, another body, nothing in time)."""


@dataclass(frozen=True, slots=True)
class AppRegistration:
    """What a host asks to register, checked before anything is sent to its callback."""

    family: Family
    callback_url: str
    secret: str
    verify_token: str | None = None
    client_key: str | None = None  # TikTok's: its webhooks carry it

    def __post_init__(self) -> None:
        if self.family not in PUSHED:
            names = ", ".join(f.value for f in PUSHED)
            polled = " (its hosts poll its API: a native account needs no app)"
            raise InvalidAppError(
                "family",
                f"family {self.family.value!r} has no app to register"
                f"{polled if self.family in EMULATED else ''} (apps: {names})",
            )
        url = urlsplit(self.callback_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise InvalidAppError(
                "callback_url", "callback_url must be an absolute http:// or https:// URL"
            )
        low, high = SECRET_LENGTH
        if not low <= len(self.secret) <= high:
            raise InvalidAppError("secret", f"secret must be {low} to {high} characters long")
        if self.family is Family.META and not self.verify_token:
            raise InvalidAppError(
                "verify_token", "verify_token is required for meta: the handshake echoes it"
            )
        if self.family is Family.TIKTOK and not (self.client_key or "").strip():
            raise InvalidAppError(
                "client_key",
                "client_key is required for tiktok: its webhooks name the app by it",
            )


@dataclass(frozen=True, slots=True)
class PlatformApp:
    """A registered app whose callback answered the handshake at `verified_at`."""

    family: Family
    callback_url: str
    secret: str
    verify_token: str | None
    verified_at: datetime
    created_at: datetime
    updated_at: datetime
    client_key: str | None = None  # TikTok's app: not a secret, shown whole
    # an X app whose callback failed the periodic CRC: since when, and what it answered; X
    # sends it nothing until a CRC passes
    invalid_since: datetime | None = None
    invalid_reason: str | None = None

    def __post_init__(self) -> None:
        for name in ("verified_at", "created_at", "updated_at"):
            object.__setattr__(self, name, require_aware(getattr(self, name), name))
        if self.invalid_since is not None:
            object.__setattr__(self, "invalid_since", require_aware(self.invalid_since, "since"))

    @property
    def registration(self) -> AppRegistration:
        """What was registered: what a handshake checks again."""
        return AppRegistration(
            self.family, self.callback_url, self.secret, self.verify_token, self.client_key
        )

    def checked(self, now: datetime, failure: str | None) -> "PlatformApp":
        """The app after a periodic check at `now`: passed (`failure` None: valid, verified
        now) or failed (invalid since the first failure in a row)."""
        if failure is None:
            return replace(self, verified_at=now, updated_at=now, invalid_since=None,
                           invalid_reason=None)  # fmt: skip
        return replace(self, updated_at=now, invalid_since=self.invalid_since or now,
                       invalid_reason=failure)  # fmt: skip

    @property
    def secret_shown(self) -> str:
        """The secret as it is shown back: never whole."""
        return _shown(self.secret)

    @property
    def verify_token_shown(self) -> str | None:
        return None if self.verify_token is None else _shown(self.verify_token)

    @classmethod
    def verified(
        cls, registration: AppRegistration, now: datetime, before: "PlatformApp | None"
    ) -> "PlatformApp":
        """The app as registered now, replacing `before` (its creation time kept)."""
        return cls(
            family=registration.family,
            callback_url=registration.callback_url,
            secret=registration.secret,
            verify_token=registration.verify_token,
            verified_at=now,
            created_at=before.created_at if before is not None else now,
            updated_at=now,
            client_key=registration.client_key,
        )


def _shown(secret: str) -> str:
    return "…" + secret[-SHOWN:]
