"""The job queue on RQ: job ids only, JSON-serialised; PostgreSQL holds everything else."""

import contextlib
from types import FrameType
from uuid import UUID

import redis
from redis.client import PubSubWorkerThread
from rq import Queue, SimpleWorker
from rq.exceptions import NoSuchJobError
from rq.job import Job as RqJob
from rq.job import JobStatus as RqStatus
from rq.serializers import JSONSerializer

from app.services.ports import QueueUnavailableError

QUEUE_NAME = "demosim"
# the RQ job function: module-level, importable by the worker, takes the job id
PERFORM = "app.entrypoints.worker.perform"
_WAITING_OR_RUNNING = {RqStatus.QUEUED, RqStatus.STARTED, RqStatus.DEFERRED, RqStatus.SCHEDULED}


class RqJobQueue:
    def __init__(self, connection: redis.Redis, job_timeout_s: int = 3600) -> None:
        self._connection = connection
        self.queue = Queue(QUEUE_NAME, connection=connection, serializer=JSONSerializer)
        self._job_timeout_s = job_timeout_s

    def enqueue(self, job_id: UUID) -> None:
        try:
            self.queue.enqueue_call(
                PERFORM,
                args=(str(job_id),),
                job_id=str(job_id),
                timeout=self._job_timeout_s,
                result_ttl=300,  # what a user sees lives in PostgreSQL, not in RQ's records
                failure_ttl=86_400,
            )
        except redis.RedisError as exc:
            raise QueueUnavailableError(f"Redis: {exc}") from exc

    def remove(self, job_id: UUID) -> None:
        try:
            RqJob.fetch(str(job_id), connection=self._connection, serializer=JSONSerializer).delete(
                remove_from_queue=True
            )
        except NoSuchJobError:
            pass
        except redis.RedisError as exc:
            raise QueueUnavailableError(f"Redis: {exc}") from exc

    def knows(self, job_id: UUID) -> bool:
        try:
            job = RqJob.fetch(str(job_id), connection=self._connection, serializer=JSONSerializer)
            return job.get_status() in _WAITING_OR_RUNNING
        except NoSuchJobError:
            return False
        except redis.RedisError as exc:
            raise QueueUnavailableError(f"Redis: {exc}") from exc


# set in a worker told to stop: its job hands itself back at the next checkpoint
_stopping = False


def stopping() -> bool:
    """Whether this worker was told to stop (SIGTERM or Ctrl-C)."""
    return _stopping


def run_worker(queue: RqJobQueue, *, burst: bool) -> None:
    """Take jobs from the queue until stopped (or, with burst, until it is empty)."""
    HandingBackWorker(
        [queue.queue], connection=queue.queue.connection, serializer=JSONSerializer
    ).work(burst=burst, logging_level="INFO")


class HandingBackWorker(SimpleWorker):
    """RQ's worker running each job in its own process, so connections, compiled statements
    and vocabularies serve job after job; its warm shutdown (SIGTERM, Ctrl-C) does not wait
    for a long job: the job hands itself back at its next checkpoint (a retry is queued at
    once for another worker) and the worker exits."""

    def request_stop(self, signum: int, frame: FrameType | None) -> None:
        global _stopping
        _stopping = True
        super().request_stop(signum, frame)  # type: ignore[no-untyped-call]

    def unsubscribe(self) -> None:
        """RQ's teardown of its command channel, in the order that cannot hang: the listening
        thread told to stop first, then UNSUBSCRIBE, whose answer wakes it from its 60 s
        read. RQ 3.0 unsubscribes first: when the answer came before the flag was cleared,
        the thread went back to its read, and redis-py 8.2's `stop()` (which now waits for
        the thread) held the worker up to a minute after SIGTERM (CI saw it)."""
        thread: PubSubWorkerThread | None = self.pubsub_thread  # (None before it subscribed)
        pubsub = self.pubsub
        if thread is None or pubsub is None:
            return
        self.log.info("Worker %s: unsubscribing from %s", self.name, self.pubsub_channel_name)
        thread.stop(timeout=0)  # the flag cleared; not waiting yet
        with contextlib.suppress(redis.exceptions.RedisError):  # gone already: nothing to wake
            pubsub.unsubscribe()  # type: ignore[no-untyped-call]
        thread.join(timeout=1)
        pubsub.close()
