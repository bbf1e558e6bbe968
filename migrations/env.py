import os

from alembic import context
from sqlalchemy import Connection

from app.adapters.db.engine import sqlalchemy_url
from app.adapters.db.tables import metadata


def run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


given = context.config.attributes.get("connection")
if given is not None:
    run(given)
else:
    from sqlalchemy import create_engine

    url = os.environ.get("DATABASE_URL")
    if not url:
        raise SystemExit("DATABASE_URL is not set: alembic needs it (or use `demosim db upgrade`)")
    with create_engine(sqlalchemy_url(url)).connect() as conn:
        run(conn)
        conn.commit()
