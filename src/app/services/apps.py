"""Platform apps: a host registers the app its live integration uses, per platform family;
the family's handshake runs against the callback first, outside any transaction, and only an
app that passed it is kept."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.domain.apps import AppRegistration, Family, HandshakeFailedError, PlatformApp
from app.domain.errors import NotFoundError
from app.services.ports import Clock, Handshake, UnitOfWorkFactory


@dataclass(frozen=True)
class AppService:
    uow: UnitOfWorkFactory
    clock: Clock
    handshakes: Mapping[Family, Handshake]  # each family's, as its platform does it

    def register(self, registration: AppRegistration) -> PlatformApp:
        """Verify the callback as the platform would, then keep the app (replacing the
        family's earlier one). A failed handshake keeps the earlier app as it was."""
        handshake = self.handshakes.get(registration.family)
        if handshake is None:
            raise HandshakeFailedError(f"this process verifies no {registration.family} callbacks")
        handshake.verify(registration)
        with self.uow() as uow:
            before = uow.apps.get(registration.family)
            app = uow.apps.save(PlatformApp.verified(registration, self.clock.now(), before))
            uow.commit()
        return app

    def recheck(self, family: Family) -> dict[str, Any]:
        """The platform's periodic check of the family's app (X's CRC): an app whose callback
        fails it is marked invalid and sent nothing until a check passes; the outcome."""
        with self.uow() as uow:
            app = uow.apps.get(family)
        if app is None:
            return {"family": family.value, "registered": False}
        failure = None
        try:
            self.handshakes[family].verify(app.registration)
        except HandshakeFailedError as exc:
            failure = str(exc)
        with self.uow() as uow:
            now = self.clock.now()
            current = uow.apps.get(family)
            if current is None or current.callback_url != app.callback_url:
                return {"family": family.value, "registered": current is not None}
            checked = uow.apps.save(current.checked(now, failure))
            uow.commit()
        return {"family": family.value, "valid": checked.invalid_since is None,
                **({"failure": failure} if failure else {})}  # fmt: skip

    def all(self) -> list[PlatformApp]:
        with self.uow() as uow:
            return uow.apps.list()

    def get(self, family: Family) -> PlatformApp:
        with self.uow() as uow:
            app = uow.apps.get(family)
        if app is None:
            raise NotFoundError(f"no {family.value} app is registered")
        return app

    def remove(self, family: Family) -> None:
        with self.uow() as uow:
            removed = uow.apps.remove(family)
            uow.commit()
        if not removed:
            raise NotFoundError(f"no {family.value} app is registered")
