"""The read side's rules (the insights window, what "never enabled" means, every delivery
status named); plain pages and counts are read from the `Queries` port itself."""

from dataclasses import dataclass
from uuid import UUID

from app.domain.delivery import DeliveryStatus
from app.domain.demo import DemoState
from app.domain.errors import NotFoundError
from app.domain.inbox import TOP_CONTENT, Insights, Thread, insights_window
from app.services.ports import Clock, Queries


@dataclass(frozen=True)
class Views:
    queries: Queries
    clock: Clock

    def thread(self, account_id: UUID, interaction_id: UUID) -> Thread:
        found = self.queries.thread(account_id, interaction_id)
        if found is None:
            raise NotFoundError(f"no comment {interaction_id} in the inbox of account {account_id}")
        return found

    def insights(self, account_id: UUID, days: int) -> Insights:
        """The last `days` UTC calendar days, today included."""
        since, until = insights_window(self.clock.now(), days)
        return self.queries.insights(account_id, since, until, TOP_CONTENT)

    def outbox_rows(self) -> dict[str, int]:
        """Outbox rows by delivery status, every status named."""
        found = self.queries.outbox_counts()
        return {status.value: found.get(status.value, 0) for status in DeliveryStatus}

    def demo(self, account_id: UUID) -> DemoState:
        state = self.queries.demo_state(account_id)
        if state is None:
            raise NotFoundError(f"demo mode was never enabled for account {account_id}")
        return state
