"""Alembic environment. medeval runs migrations itself (`medeval init`, app start), passing
its own connection; `alembic -c db/alembic.ini ...` also works for developers."""

from alembic import context
from sqlalchemy import create_engine

from medeval_ui.storage.tables import Base

config = context.config
target_metadata = Base.metadata


def run(connection) -> None:
    # Batch mode: SQLite cannot ALTER most things, so Alembic copies the table instead.
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn:
        run(conn)
