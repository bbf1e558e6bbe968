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
    assert settings.reply_delay_scale == 1.0
    assert load_settings({"REPLY_DELAY_SCALE": "0"}).reply_delay_scale == 0
    assert load_settings({"REPLY_DELAY_SCALE": "0.5"}).reply_delay_scale == 0.5


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
        ("REPLY_DELAY_SCALE", "slow"),
        ("REPLY_DELAY_SCALE", "-1"),
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


def test_the_readme_gives_every_whole_number_setting_its_default() -> None:
    """The README's table of variables says what `Settings` declares, and each variable is
    read into its field."""
    import re
    from pathlib import Path

    from app.config import INTS, default

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    table: dict[str, str] = {}
    for line in readme.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`"):
            names = re.findall(r"`(\w+)`", cells[0])
            values = [v.strip() for v in cells[1].split("/")]
            table.update(zip(names, values, strict=False))
    for name, path, _, _ in INTS:
        assert table.get(name) == str(default(path)), name
        value = default(path) + 1
        read: object = load_settings({name: str(value)})
        for part in path.split("."):
            read = getattr(read, part)
        assert read == value, name
