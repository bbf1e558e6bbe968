"""Prometheus metrics: the series SPEC.md names, counted in every process that does the work.

With PROMETHEUS_MULTIPROC_DIR set (as `demosim serve` does for gunicorn's workers, the RQ
workers and the scheduler), each process writes its samples to files there and a
scrape adds them up (prometheus-client's multiprocess mode); without it, one process counts
in memory. The outbox's rows by status are read from PostgreSQL when scraped.
"""

import os
from collections.abc import Callable, Iterator, Mapping

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

RECEIVER_ITEMS = Counter(
    "demosim_receiver_items", "Items the webhook receiver took, by outcome", ["status"]
)
HTTP_DURATION = Histogram(
    "demosim_http_request_duration_seconds",
    "HTTP requests by method, route and status",
    ["method", "route", "status"],
)
JOBS = Counter("demosim_jobs", "Jobs that finished, by kind and status", ["kind", "status"])
JOB_DURATION = Histogram(
    "demosim_job_duration_seconds",
    "From a job's start to its end, by kind",
    ["kind"],
    buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600),
)
DELIVERY_ATTEMPTS = Counter(
    "demosim_delivery_attempts",
    "Interactions a delivery attempt ended for: sent, rescheduled (retried later) or failed",
    ["outcome"],
)
SCHEDULE_FIRINGS = Counter(
    "demosim_schedule_firings",
    "Schedule slots: started a job, taken by another scheduler, or missed",
    ["schedule", "outcome"],
)


class PrometheusMetrics:
    """The services' Metrics port, and what the HTTP layer observes."""

    def job_finished(self, kind: str, status: str, seconds: float | None) -> None:
        JOBS.labels(kind, status).inc()
        if seconds is not None:
            JOB_DURATION.labels(kind).observe(seconds)

    def delivery_attempted(self, outcome: str, items: int) -> None:
        DELIVERY_ATTEMPTS.labels(outcome).inc(items)

    def schedule_fired(self, schedule: str, outcome: str) -> None:
        SCHEDULE_FIRINGS.labels(schedule, outcome).inc()

    def received(self, created: int, duplicate: int) -> None:
        for status, n in (("created", created), ("duplicate", duplicate)):
            if n:
                RECEIVER_ITEMS.labels(status).inc(n)

    def request_served(self, method: str, route: str, status: int, seconds: float) -> None:
        HTTP_DURATION.labels(method, route, str(status)).observe(seconds)

    def exposition(self, outbox_rows: Callable[[], Mapping[str, int]]) -> tuple[bytes, str]:
        """The text a scrape gets: every process's samples, and the outbox read now."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            counted = generate_latest(registry)
        else:
            counted = generate_latest(REGISTRY)
        now = CollectorRegistry()
        now.register(_OutboxRows(outbox_rows))
        return counted + generate_latest(now), CONTENT_TYPE_LATEST


class _OutboxRows(Collector):
    def __init__(self, read: Callable[[], Mapping[str, int]]) -> None:
        self._read = read

    def collect(self) -> Iterator[Metric]:
        gauge = GaugeMetricFamily(
            "demosim_outbox_rows", "Outbox rows by delivery status, when scraped", labels=["status"]
        )
        for status, n in sorted(self._read().items()):
            gauge.add_metric([status], n)
        yield gauge
