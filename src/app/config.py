"""Settings from the environment, validated once; a bad value fails with one line naming it."""

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# this service's own receiver, where `demosim api` listens by default
OWN_RECEIVER = "http://127.0.0.1:8000/webhooks/interactions"


class ConfigError(Exception):
    """One line a person can act on: it names the variable and what is wrong with it."""


@dataclass(frozen=True, slots=True)
class PoolSettings:
    size: int = 10
    max_overflow: int = 20
    timeout: int = 30
    recycle: int = 1800


@dataclass(frozen=True, slots=True)
class Settings:
    # None: start an embedded PostgreSQL / Redis under `home`
    database_url: str | None = None
    redis_url: str | None = None
    api_token: str | None = None
    webhook_secret: str | None = None
    pool: PoolSettings = PoolSettings()
    home: Path = Path(".demosim")
    webhook_target_url: str = OWN_RECEIVER
    webhook_max_attempts: int = 8
    delivery_batch_size: int = 100
    db_batch_size: int = 500
    job_heartbeat_timeout: int = 60
    job_max_attempts: int = 3
    retention_days: int = 30
    schedule_grace: int = 3600
    fanout_size: int = 200

    def require_api_token(self) -> str:
        if not self.api_token:
            raise ConfigError("DEMOSIM_API_TOKEN is not set: the API needs a bearer token")
        return self.api_token

    def require_webhook_secret(self) -> str:
        if not self.webhook_secret:
            raise ConfigError(
                "WEBHOOK_SECRET is not set: give a Standard Webhooks secret (whsec_…)"
            )
        return self.webhook_secret


def load_settings(environ: Mapping[str, str]) -> Settings:
    return Settings(
        database_url=_url(
            environ, "DATABASE_URL", ("postgres://", "postgresql://", "postgresql+psycopg2://")
        ),
        redis_url=_url(environ, "REDIS_URL", ("redis://", "rediss://", "unix://")),
        api_token=_api_token(environ),
        webhook_secret=_webhook_secret(environ),
        pool=PoolSettings(
            size=_int(environ, "DB_POOL_SIZE", 10, minimum=1),
            max_overflow=_int(environ, "DB_MAX_OVERFLOW", 20, minimum=0),
            timeout=_int(environ, "DB_POOL_TIMEOUT", 30, minimum=1),
            recycle=_int(environ, "DB_POOL_RECYCLE", 1800, minimum=1),
        ),
        home=Path(environ.get("DEMOSIM_HOME") or ".demosim"),
        webhook_target_url=_url(environ, "WEBHOOK_TARGET_URL", ("http://", "https://"))
        or OWN_RECEIVER,
        webhook_max_attempts=_int(environ, "WEBHOOK_MAX_ATTEMPTS", 8, minimum=1),
        delivery_batch_size=_int(environ, "DELIVERY_BATCH_SIZE", 100, minimum=1, maximum=500),
        db_batch_size=_int(environ, "DB_BATCH_SIZE", 500, minimum=1, maximum=5000),
        job_heartbeat_timeout=_int(environ, "JOB_HEARTBEAT_TIMEOUT", 60, minimum=1),
        job_max_attempts=_int(environ, "JOB_MAX_ATTEMPTS", 3, minimum=1),
        retention_days=_int(environ, "RETENTION_DAYS", 30, minimum=1),
        schedule_grace=_int(environ, "SCHEDULE_GRACE", 3600, minimum=0),
        fanout_size=_int(environ, "FANOUT_SIZE", 200, minimum=1, maximum=10_000),
    )


def _url(environ: Mapping[str, str], name: str, schemes: tuple[str, ...]) -> str | None:
    value = environ.get(name, "").strip()
    if not value:
        return None
    if not value.startswith(schemes):
        raise ConfigError(
            f"{name} must start with one of {', '.join(schemes)}, got {value.split(':')[0]!r}"
        )
    return value


def _int(
    environ: Mapping[str, str], name: str, default: int, minimum: int, maximum: int | None = None
) -> int:
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from None
    if value < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{name} must be at most {maximum}, got {value}")
    return value


def _api_token(environ: Mapping[str, str]) -> str | None:
    value = environ.get("DEMOSIM_API_TOKEN", "").strip()
    if value and len(value) < 16:
        raise ConfigError("DEMOSIM_API_TOKEN must be at least 16 characters long")
    return value or None


def _webhook_secret(environ: Mapping[str, str]) -> str | None:
    value = environ.get("WEBHOOK_SECRET", "").strip()
    if not value:
        return None
    problem = "WEBHOOK_SECRET must be 'whsec_' followed by base64 of 24 to 64 random bytes"
    if not value.startswith("whsec_"):
        raise ConfigError(problem)
    try:
        key = base64.b64decode(value.removeprefix("whsec_"), validate=True)
    except (binascii.Error, ValueError):
        raise ConfigError(problem) from None
    if not 24 <= len(key) <= 64:
        raise ConfigError(problem)
    return value
