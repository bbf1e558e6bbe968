import pytest

from app.config import ConfigError, load_settings


def test_defaults_when_nothing_is_set() -> None:
    settings = load_settings({})
    assert settings.database_url is None
    assert settings.redis_url is None
    assert (settings.pool.size, settings.pool.max_overflow) == (10, 20)
    assert (settings.pool.timeout, settings.pool.recycle) == (30, 1800)
    assert (settings.retention_days, settings.schedule_grace, settings.fanout_size) == (
        30,
        3600,
        200,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DB_POOL_SIZE", "ten"),
        ("DB_POOL_SIZE", "0"),
        ("DB_MAX_OVERFLOW", "-1"),
        ("DB_POOL_TIMEOUT", "1.5"),
        ("DB_POOL_RECYCLE", "x"),
        ("DATABASE_URL", "mysql://localhost/db"),
        ("REDIS_URL", "http://localhost"),
        ("WEBHOOK_SECRET", "not-a-secret"),
        ("WEBHOOK_SECRET", "whsec_%%%"),
        ("WEBHOOK_SECRET", "whsec_c2hvcnQ="),
        ("DEMOSIM_API_TOKEN", "short"),
        ("RETENTION_DAYS", "0"),
        ("SCHEDULE_GRACE", "an hour"),
        ("FANOUT_SIZE", "20000"),
    ],
)
def test_a_bad_value_fails_with_one_line_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings({name: value})
    message = str(caught.value)
    assert message.startswith(name)
    assert "\n" not in message


def test_missing_secrets_are_named_when_required() -> None:
    settings = load_settings({})
    with pytest.raises(ConfigError, match="DEMOSIM_API_TOKEN"):
        settings.require_api_token()
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET"):
        settings.require_webhook_secret()
