"""Logging for every process: readable text by default; with LOG_FORMAT=json one JSON object
per line. Either way a line carries the request_id of the HTTP request or the job_id of the
job it was written for, when there is one."""

import logging
from contextvars import ContextVar

from pythonjsonlogger.json import JsonFormatter

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
job_id: ContextVar[str | None] = ContextVar("job_id", default=None)

TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s%(ids)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"


class _Ids(logging.Filter):
    """Puts request_id / job_id on every record (the handler's filter: third-party loggers too)."""

    def filter(self, record: logging.LogRecord) -> bool:
        ids = {"request_id": request_id.get(), "job_id": job_id.get()}
        for name, value in ids.items():
            if value is not None and not hasattr(record, name):
                setattr(record, name, value)
        shown = [f"{n}={getattr(record, n)}" for n in ids if getattr(record, n, None)]
        record.ids = f" [{' '.join(shown)}]" if shown else ""
        return True


class _Json(JsonFormatter):
    def add_fields(self, log_data: dict, record: logging.LogRecord, message: dict) -> None:  # type: ignore[type-arg]
        super().add_fields(log_data, record, message)
        log_data.pop("ids", None)
        log_data["level"] = log_data.pop("levelname", record.levelname)
        log_data["logger"] = log_data.pop("name", record.name)
        log_data["time"] = log_data.pop("asctime", None)


def configure(log_format: str, level: int = logging.WARNING) -> None:
    """The root logger's one handler, to stderr, in the chosen format."""
    handler = logging.StreamHandler()
    handler.addFilter(_Ids())
    if log_format == "json":
        handler.setFormatter(_Json(JSON_FIELDS))
    else:
        handler.setFormatter(logging.Formatter(TEXT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("pgserver").setLevel(logging.WARNING)  # it sets INFO on itself
