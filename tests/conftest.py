from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True, scope="session")
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Tests share one cache directory of their own, never the user's.
    os.environ.setdefault("CITELINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


def shared(*parts: str) -> Path:
    """A path under ../shared, or skip the test when that material is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path
