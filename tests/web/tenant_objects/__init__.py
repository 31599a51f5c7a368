"""Objects of organisation A for the cross-tenant matrix, one module per domain.

Each module defines ``objects(world: World, third_org_id: int) -> dict[str, Any]`` returning
path-parameter name → id of an object owned by A (and may create public data). A new API route
with a path parameter is covered once its parameter name appears in one of these dicts.
Each module may also define ``PUBLIC_DATA_PREFIXES`` (routes serving data shared by everybody),
``CALLER_SCOPED`` and ``PLATFORM_ONLY`` (sets of (method, path)).
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType


def modules() -> list[ModuleType]:
    return [importlib.import_module(f"{__name__}.{m.name}") for m in pkgutil.iter_modules(__path__)]
