"""Alembic, driven from code so `demosim db upgrade` and the tests migrate the same way."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

# the source checkout's migrations/ folder (the package is installed editable)
MIGRATIONS = Path(__file__).resolve().parents[4] / "migrations"


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
