"""Time to find the reports in a folder tree, with and without ignore files.

    python benchmarks/walk.py [--folders N] [--files M]

Builds a git repository in a temporary folder: N folders (each with a .gitignore and a
subfolder) of M reports each, and a top .gitignore with a negation, a folder pattern, an
anchored '**' pattern; then times citelint's folder walk (citelint.discovery.expand, no
linting) with respect-gitignore off and on. Each figure is the best of 5 runs.
"""
from __future__ import annotations

import argparse
import os
import tempfile
import time

from citelint.discovery import expand


def build(root: str, folders: int, files: int) -> None:
    os.makedirs(os.path.join(root, ".git"))
    with open(os.path.join(root, ".gitignore"), "w") as fh:
        fh.write("*.tmp.md\nbuild/\n!keep.tmp.md\n/d0/**/x*.md\n")
    for d in range(folders):
        sub = os.path.join(root, f"d{d}", "sub")
        os.makedirs(sub)
        with open(os.path.join(root, f"d{d}", ".gitignore"), "w") as fh:
            fh.write("a1*.md\n")
        for i in range(files):
            folder = sub if i % 2 else os.path.dirname(sub)
            with open(os.path.join(folder, f"a{i}{'.tmp' if i % 7 == 0 else ''}.md"), "w") as fh:
                fh.write("x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folders", type=int, default=100)
    ap.add_argument("--files", type=int, default=100)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as root:
        build(root, args.folders, args.files)
        for respect in (False, True):
            best, found = float("inf"), 0
            for _ in range(5):
                start = time.perf_counter()
                found = sum(1 for e in expand([root], lambda _root: respect) if e.error is None)
                best = min(best, time.perf_counter() - start)
            print(f"respect-gitignore={str(respect).lower():5}  {found:6} reports  {best * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
