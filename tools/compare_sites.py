#!/usr/bin/env python3
"""Build the bundled catalogue at a git revision and in the working tree, and compare the two sites.

    .venv/bin/python tools/compare_sites.py REV [--site-url URL]

REV is built from a temporary clone (``git clone`` of this repository, checked out at REV) with
that revision's own code; the working tree is built with its code. Both go to a temporary folder,
nothing is written into the checkout. Prints every file that differs or exists on one side only
and exits 1 when there is any: a restructuring that should not change the output must print
``byte-identical``.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(checkout: Path, site: Path, site_url: str | None, build_dir: Path) -> None:
    args = ["--build-dir", str(build_dir), "build", "--site-dir", str(site)]
    if site_url:
        args += ["--site-url", site_url]
    code = f"import sys; sys.path.insert(0, {str(checkout)!r}); from generator.cli import main; sys.exit(main({args!r}))"
    subprocess.run([sys.executable, "-c", code], cwd=checkout, check=True, stdout=subprocess.DEVNULL)


def digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rev", help="git revision to compare with (e.g. main, HEAD~1)")
    parser.add_argument("--site-url", default=None, help="build both with this published address")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="papercat-compare-") as tmp:
        tmp_path = Path(tmp)
        clone = tmp_path / "clone"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        subprocess.run(["git", "-C", str(clone), "checkout", "--quiet", args.rev], check=True)
        before, after = tmp_path / "before", tmp_path / "after"
        build(clone, before, args.site_url, tmp_path / "build-before")
        build(ROOT, after, args.site_url, tmp_path / "build-after")
        old, new = digest(before), digest(after)
    differing = sorted(path for path in old.keys() & new.keys() if old[path] != new[path])
    only_old, only_new = sorted(old.keys() - new.keys()), sorted(new.keys() - old.keys())
    for label, paths in (("differs", differing), (f"only at {args.rev}", only_old), ("only in the working tree", only_new)):
        for path in paths:
            print(f"{label}: {path}")
    if differing or only_old or only_new:
        return 1
    print(f"byte-identical: {len(new)} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
