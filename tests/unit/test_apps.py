"""Platform apps on in-memory adapters: what is checked before a callback is called, and what
is kept when the handshake passes or fails."""

from datetime import UTC, datetime, timedelta

import pytest

from app.domain.apps import AppRegistration, Family, HandshakeFailedError, InvalidAppError
from app.domain.errors import NotFoundError
from app.services.apps import AppService
from fakes.memory import MemoryStore, MemoryUnitOfWork
from helpers import FixedClock

T0 = datetime(2026, 6, 1, 12, tzinfo=UTC)
SECRET = "0123456789abcdef0123456789abcdef"


class Callback:
    """A callback that answers the handshake, or does not; it records what it was asked."""

    def __init__(self) -> None:
        self.answers = True
        self.asked: list[AppRegistration] = []

    def verify(self, registration: AppRegistration) -> None:
        self.asked.append(registration)
        if not self.answers:
            raise HandshakeFailedError("the callback answered HTTP 403")


def service(store: MemoryStore, clock: FixedClock, callback: Callback) -> AppService:
    return AppService(lambda: MemoryUnitOfWork(store), clock, {Family.META: callback})


TOKEN = "a-verify-token"


def meta(url: str = "https://host.test/hook", token: str = TOKEN) -> AppRegistration:
    return AppRegistration(Family.META, url, SECRET, token)


def test_an_app_is_kept_once_its_callback_passed_and_its_secret_is_never_shown_whole() -> None:
    store, clock, callback = MemoryStore(), FixedClock(T0), Callback()
    app = service(store, clock, callback).register(meta())
    assert callback.asked == [meta()]
    assert (app.family, app.verified_at, app.created_at) == (Family.META, T0, T0)
    assert app.secret_shown == "…cdef"
    assert service(store, clock, callback).all() == [app]


def test_registering_again_replaces_the_app_and_keeps_when_it_was_first_made() -> None:
    store, clock, callback = MemoryStore(), FixedClock(T0), Callback()
    service(store, clock, callback).register(meta())
    clock.at = T0 + timedelta(hours=1)
    app = service(store, clock, callback).register(meta("https://host.test/v2"))
    assert (app.callback_url, app.created_at, app.verified_at) == (
        "https://host.test/v2", T0, clock.at,
    )  # fmt: skip
    assert service(store, clock, callback).get(Family.META) == app


def test_a_failed_handshake_keeps_the_app_registered_before_as_it_was() -> None:
    store, clock, callback = MemoryStore(), FixedClock(T0), Callback()
    before = service(store, clock, callback).register(meta())
    callback.answers = False
    with pytest.raises(HandshakeFailedError, match="403"):
        service(store, clock, callback).register(meta("https://elsewhere.test/hook", "new"))
    assert service(store, clock, callback).get(Family.META) == before


def test_a_family_without_an_app_is_not_found_and_removing_it_twice_says_so() -> None:
    store, clock, callback = MemoryStore(), FixedClock(T0), Callback()
    with pytest.raises(NotFoundError, match="no meta app"):
        service(store, clock, callback).get(Family.META)
    service(store, clock, callback).register(meta())
    service(store, clock, callback).remove(Family.META)
    with pytest.raises(NotFoundError, match="no meta app"):
        service(store, clock, callback).remove(Family.META)


@pytest.mark.parametrize(
    ("family", "url", "secret", "token", "field"),
    [
        (Family.YOUTUBE, "https://host.test/hook", SECRET, None, "family"),  # its hosts poll
        (Family.META, "ftp://host.test/hook", SECRET, "tok", "callback_url"),
        (Family.META, "/hook", SECRET, "tok", "callback_url"),
        (Family.META, "https://host.test/hook", "short", "tok", "secret"),
        (Family.META, "https://host.test/hook", SECRET, None, "verify_token"),
        (Family.META, "https://host.test/hook", SECRET, "", "verify_token"),
    ],
)
def test_what_cannot_be_registered_names_its_field_before_any_callback_is_called(
    family: Family, url: str, secret: str, token: str | None, field: str
) -> None:
    with pytest.raises(InvalidAppError) as raised:
        AppRegistration(family, url, secret, token)
    assert raised.value.field == field
    assert field.split("_")[0] in str(raised.value)
