"""For gunicorn: `gunicorn -w 4 -b 0.0.0.0:8000 'app.entrypoints.http.wsgi:create()'`.

Each gunicorn worker calls create() after it forks, so each has its own engine and pool.
Production gives DATABASE_URL and REDIS_URL; embedded servers are for `demosim api` only.
"""

import logging
import os

from flask import Flask

from app.bootstrap import bootstrap
from app.config import ConfigError, load_settings
from app.entrypoints.http import create_app
from app.entrypoints.logs import configure as configure_logging


def create() -> Flask:
    settings = load_settings(os.environ)
    configure_logging(
        settings.log_format, logging.getLevelNamesMapping()[settings.log_level.upper()]
    )
    for name, value in (("DATABASE_URL", settings.database_url), ("REDIS_URL", settings.redis_url)):
        if value is None:
            raise ConfigError(f"{name} is not set: gunicorn serves against given servers only")
    return create_app(bootstrap(settings))
