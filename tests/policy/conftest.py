"""Fixtures of the policy tests: the seed plan and the agency registry, read from $FENGHUO_SHARED
(never copied into the repository), and the golden expectation kept in ``golden/``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fenghuo.policy import AgencyRegistry, load_registry

SEED = Path("seed/000_e9f6b771d52f2730.txt")
AGENCIES = Path("data/policy/central_agencies.csv")
GOLDEN = Path(__file__).resolve().parent / "golden" / "seed_000_e9f6b771d52f2730.json"


@pytest.fixture(scope="session")
def seed_path(shared_dir: Path) -> Path:
    path = shared_dir / SEED
    if not path.is_file():
        pytest.skip(f"seed plan not found at {path}")
    return path


@pytest.fixture(scope="session")
def seed_text(seed_path: Path) -> str:
    return seed_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def registry(shared_dir: Path) -> AgencyRegistry:
    path = shared_dir / AGENCIES
    if not path.is_file():
        pytest.skip(f"agency registry not found at {path}")
    return load_registry(path)


@pytest.fixture(scope="session")
def golden() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(GOLDEN.read_text(encoding="utf-8"))
    return data
