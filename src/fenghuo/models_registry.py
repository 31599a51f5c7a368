"""Imports every module that defines tables, so ``Base.metadata`` is complete.

Alembic's autogenerate and ``init_db`` import this; a domain that adds tables adds its models
module here (and a migration).
"""

from __future__ import annotations

import importlib

from fenghuo.core.models import Base

MODEL_MODULES: tuple[str, ...] = (
    "fenghuo.core.models",
    "fenghuo.tm.models",
    "fenghuo.disputes.models",
    "fenghuo.filing.models",
    "fenghuo.policy.models",
)

for _name in MODEL_MODULES:
    try:
        importlib.import_module(_name)
    except ModuleNotFoundError as exc:  # a domain whose tables are not written yet
        if exc.name is None or not _name.startswith(exc.name):
            raise

metadata = Base.metadata
