"""Settings from the environment, validated once; a bad value fails with one line naming it."""

import base64
import binascii
import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

# this service's own receiver, where `demosim api` listens by default
OWN_RECEIVER = "http://127.0.0.1:8000/webhooks/interactions"
MAX_BATCH_ITEMS = 500  # interactions in one webhook message, sent or received


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
    dashboard_idle_minutes: int = 120  # a dashboard session unused this long ends
    dashboard_session_hours: int = 12  # and every one ends this long after signing in
    trusted_proxies: int = 0  # proxies in front whose X-Forwarded-* headers are believed
    log_format: str = "text"  # or "json": one JSON object per line
    log_level: str = "info"  # of the long-running processes: API, worker, scheduler
    # the reference host's own Meta app (/webhooks/meta): its app secret and verify token
    meta_app_secret: str | None = None
    meta_verify_token: str | None = None
    # how long a simulated person takes to answer a host's reply, scaled (0: at once)
    reply_delay_scale: float = 1.0

    def require_api_token(self) -> str:
        if not self.api_token:
            raise ConfigError("DEMOSIM_API_TOKEN is not set: the API needs a bearer token")
        return self.api_token

    def reference_meta_app(self) -> tuple[str, str]:
        """The app secret and verify token the reference host's /webhooks/meta checks:
        META_APP_SECRET and META_VERIFY_TOKEN, or where they are not given, made from
        WEBHOOK_SECRET (the same in every process of a machine, and nowhere else)."""
        made = (
            hmac.new(self.require_webhook_secret().encode(), label, hashlib.sha256).hexdigest()
            for label in (b"meta app secret", b"meta verify token")
        )
        secret, token = next(made)[:32], next(made)[:24]
        return self.meta_app_secret or secret, self.meta_verify_token or token

    def reference_tiktok_app(self) -> tuple[str, str]:
        """The client key and client secret the reference host's /webhooks/tiktok checks,
        made from WEBHOOK_SECRET (the same in every process of a machine, and nowhere else)."""
        made = (
            hmac.new(self.require_webhook_secret().encode(), label, hashlib.sha256).hexdigest()
            for label in (b"tiktok client key", b"tiktok client secret")
        )
        return "aw" + next(made)[:14], next(made)[:32]

    def reference_x_app(self) -> str:
        """The consumer secret the reference host's /webhooks/x answers X's CRC and checks
        signatures with, made from WEBHOOK_SECRET (the same in every process of a machine)."""
        secret = self.require_webhook_secret().encode()
        return hmac.new(secret, b"x consumer secret", hashlib.sha256).hexdigest()[:50]

    def require_webhook_secret(self) -> str:
        if not self.webhook_secret:
            raise ConfigError(
                "WEBHOOK_SECRET is not set: give a Standard Webhooks secret (whsec_…)"
            )
        return self.webhook_secret


DEFAULTS = Settings()  # each default is declared once: on its field above


# every whole-number setting once: its variable, its field (whose default is the setting's) and
# its bounds; the README's table says the same and a test holds it to this
INTS: tuple[tuple[str, str, int, int | None], ...] = (
    ("DB_POOL_SIZE", "pool.size", 1, None),
    ("DB_MAX_OVERFLOW", "pool.max_overflow", 0, None),
    ("DB_POOL_TIMEOUT", "pool.timeout", 1, None),
    ("DB_POOL_RECYCLE", "pool.recycle", 1, None),
    ("WEBHOOK_MAX_ATTEMPTS", "webhook_max_attempts", 1, None),
    ("DELIVERY_BATCH_SIZE", "delivery_batch_size", 1, MAX_BATCH_ITEMS),
    ("DB_BATCH_SIZE", "db_batch_size", 1, 5000),
    ("JOB_HEARTBEAT_TIMEOUT", "job_heartbeat_timeout", 1, None),
    ("JOB_MAX_ATTEMPTS", "job_max_attempts", 1, None),
    ("RETENTION_DAYS", "retention_days", 1, None),
    ("SCHEDULE_GRACE", "schedule_grace", 0, None),
    ("FANOUT_SIZE", "fanout_size", 1, 10_000),
    ("DASHBOARD_IDLE_MINUTES", "dashboard_idle_minutes", 1, None),
    ("DASHBOARD_SESSION_HOURS", "dashboard_session_hours", 1, None),
    ("TRUSTED_PROXIES", "trusted_proxies", 0, 5),
)


def load_settings(environ: Mapping[str, str]) -> Settings:
    ints: dict[str, int] = {
        path: _int(environ, name, default(path), minimum, maximum)
        for name, path, minimum, maximum in INTS
    }
    pool = {k.removeprefix("pool."): v for k, v in ints.items() if k.startswith("pool.")}
    return Settings(
        database_url=_url(
            environ, "DATABASE_URL", ("postgres://", "postgresql://", "postgresql+psycopg2://")
        ),
        redis_url=_url(environ, "REDIS_URL", ("redis://", "rediss://", "unix://")),
        api_token=_api_token(environ),
        webhook_secret=_webhook_secret(environ),
        pool=PoolSettings(**pool),
        home=Path(environ.get("DEMOSIM_HOME") or DEFAULTS.home),
        webhook_target_url=_url(environ, "WEBHOOK_TARGET_URL", ("http://", "https://"))
        or DEFAULTS.webhook_target_url,
        log_format=_choice(environ, "LOG_FORMAT", ("text", "json")),
        log_level=_choice(environ, "LOG_LEVEL", ("info", "debug", "warning", "error")),
        meta_app_secret=environ.get("META_APP_SECRET", "").strip() or None,
        meta_verify_token=environ.get("META_VERIFY_TOKEN", "").strip() or None,
        reply_delay_scale=_number(
            environ, "REPLY_DELAY_SCALE", DEFAULTS.reply_delay_scale, 0, 1000
        ),
        **{k: v for k, v in ints.items() if not k.startswith("pool.")},
    )


def default(path: str) -> int:
    """A whole-number setting's default: its field's in `Settings`."""
    value: object = DEFAULTS
    for part in path.split("."):
        value = getattr(value, part)
    assert isinstance(value, int)
    return value


def _choice(environ: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    value = environ.get(name, "").strip().lower() or choices[0]
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


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
    environ: Mapping[str, str], name: str, fallback: int, minimum: int, maximum: int | None
) -> int:
    return int(_number(environ, name, fallback, minimum, maximum, int))


def _number(
    environ: Mapping[str, str],
    name: str,
    fallback: float,
    minimum: float,
    maximum: float | None,
    parse: type[int] | type[float] = float,
) -> float:
    """A number from the environment within its bounds, or one line naming the variable."""
    raw = environ.get(name, "").strip()
    if not raw:
        return fallback
    try:
        value = parse(raw)
    except ValueError:
        what = "an integer" if parse is int else "a number"
        raise ConfigError(f"{name} must be {what}, got {raw!r}") from None
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


CREDENTIALS_FILE = "credentials"  # under DEMOSIM_HOME: the token and secret made for this machine


def with_stored_credentials(settings: Settings) -> Settings:
    """The API token and webhook secret from the environment or, where it gives none, from
    DEMOSIM_HOME/credentials: made once (mode 0600) and reused, so `make demo` and
    `make serve` share them."""
    if settings.api_token and settings.webhook_secret:
        return settings
    path = settings.home / CREDENTIALS_FILE
    if not path.exists():
        settings.home.mkdir(parents=True, exist_ok=True)
        made = {
            "DEMOSIM_API_TOKEN": secrets.token_urlsafe(24),
            "WEBHOOK_SECRET": "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode(),
        }
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another command made it just now
            pass
        else:
            with os.fdopen(fd, "w") as out:
                out.write("".join(f"{k}={v}\n" for k, v in made.items()))
    stored = _read_credentials(path)
    return replace(
        settings,
        api_token=settings.api_token or stored.api_token,
        webhook_secret=settings.webhook_secret or stored.webhook_secret,
    )


def _read_credentials(path: Path) -> Settings:
    if path.stat().st_mode & 0o077:
        path.chmod(0o600)  # readable by its owner only
    found: dict[str, str] = {}
    for line in path.read_text().splitlines():
        name, sep, value = line.partition("=")
        if sep and name.strip() in ("DEMOSIM_API_TOKEN", "WEBHOOK_SECRET"):
            found[name.strip()] = value.strip()
    try:
        token, secret = _api_token(found), _webhook_secret(found)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc} (delete the file to make new ones)") from None
    if token is None or secret is None:
        raise ConfigError(
            f"{path} lacks DEMOSIM_API_TOKEN or WEBHOOK_SECRET (delete it to make new ones)"
        )
    return Settings(api_token=token, webhook_secret=secret)
