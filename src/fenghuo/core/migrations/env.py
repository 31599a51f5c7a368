"""Alembic environment: runs on the engine handed in by ``fenghuo.core.db.init_db``."""

from __future__ import annotations

from alembic import context

import fenghuo.models_registry as registry
from fenghuo.core.db import make_engine

config = context.config
target_metadata = registry.metadata


# Created by migration 0012 on PostgreSQL only, on purpose without a model (no ORM access to it).
_NOT_MODELLED = frozenset({"fenghuo_rls_key"})


def _include_name(name: str | None, type_: str, _parent: object) -> bool:
    return not (type_ == "table" and name in _NOT_MODELLED)


def run_migrations_online() -> None:
    # Run from the command line (``alembic upgrade``): the URL is normalised like the application's.
    engine = config.attributes.get("engine") or make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_name=_include_name,
        )
        with context.begin_transaction():
            context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
