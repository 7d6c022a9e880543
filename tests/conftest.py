from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
# What a copy of the checkout leaves out: VCS data and build, test and editor leftovers.
_NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "venv", "build", "dist", "*.egg-info", "__pycache__", ".mypy_cache", ".pytest_cache", ".coverage*"
)


@pytest.fixture(autouse=True, scope="session")
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Tests share one cache directory of their own, never the user's.
    os.environ.setdefault("CITELINT_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(autouse=True, scope="session")
def _pinned_terminal() -> None:
    # Output must not depend on the terminal the tests run in; the tests about colour set
    # these themselves.
    for name in ("FORCE_COLOR", "CLICOLOR_FORCE", "INSIDE_EMACS"):
        os.environ.pop(name, None)
    os.environ["NO_COLOR"] = "1"
    os.environ["TERM"] = "dumb"


@pytest.fixture(autouse=True, scope="session")
def _checkout_citelint_on_path(tmp_path_factory: pytest.TempPathFactory) -> None:
    """README snippets and editors run the command ``citelint``: make that this checkout's
    citelint run by this interpreter, not whatever ``citelint`` comes first on PATH."""
    bin_dir = tmp_path_factory.mktemp("bin")
    shim = bin_dir / "citelint"
    shim.write_text(
        "#!/bin/sh\n"
        f'PYTHONPATH="{ROOT}${{PYTHONPATH:+:$PYTHONPATH}}" exec "{sys.executable}" -m citelint "$@"\n',
        encoding="utf-8",
    )
    shim.chmod(shim.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    os.environ["PATH"] = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"


def shared(*parts: str) -> Path:
    """A path under ../shared, or skip the test when that material is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


def citelint_command(*args: str) -> list[str]:
    """The command line that runs this checkout's citelint."""
    return [sys.executable, "-m", "citelint", *args]


def checkout_env(**extra: str) -> dict[str, str]:
    """The environment for running ``citelint_command`` from any folder."""
    env = {**os.environ, **extra}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def copy_of_checkout(dest: Path) -> Path:
    """The source tree copied to ``dest``, so that builds write there, not into the checkout."""
    shutil.copytree(ROOT, dest, ignore=_NOT_SOURCE)
    return dest


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A wheel built from a copy of the checkout (skips when no wheel can be built here)."""
    tmp = tmp_path_factory.mktemp("wheel")
    source = copy_of_checkout(tmp / "src")
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp / "dist"), str(source)],
        capture_output=True, text=True,
    )
    if proc.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {proc.stderr[-300:]}")
    (built,) = (tmp / "dist").glob("*.whl")
    with zipfile.ZipFile(built) as zf:
        assert zf.testzip() is None
    yield built
