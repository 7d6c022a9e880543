"""citelint: a linter for cited research reports."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"
__all__ = ["lint_text", "lint_paths", "fix_text", "__version__"]

if TYPE_CHECKING:
    from citelint.api import fix_text, lint_paths, lint_text


def __getattr__(name: str) -> Any:
    # The API is imported on first use, so that `citelint --version` and the CLI's own
    # start-up pay only for what they use.
    if name in ("lint_text", "lint_paths", "fix_text"):
        from citelint import api

        return getattr(api, name)
    raise AttributeError(name)
