"""Search-index benchmark: ``write_index`` alone on a synthetic catalogue, by number of processes.

    .venv/bin/python bench/bench_search_index.py --papers 10000 --jobs 1,2
    .venv/bin/python bench/bench_search_index.py --papers 2000 --keep /tmp/ref      # keep the index written with the first --jobs
    .venv/bin/python bench/bench_search_index.py --papers 2000 --compare /tmp/ref   # and check it is byte-identical to a kept one
    .venv/bin/python bench/bench_search_index.py --papers 10000 --profile /tmp/search.prof

The catalogue is the one ``bench_site.py`` generates (same seed), read by ``prepare`` (ingest,
classify, related, pages) once; then the index is written once per ``--jobs`` value into a
temporary folder and timed (wall time, and the CPU time of this process and the ones it started;
other work on the machine slows both). The run fails (exit 1) when two indexes of the run differ, or differ
from ``--compare``.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from bench_site import _pools, make_project  # noqa: E402


def _differences(a: Path, b: Path) -> list[str]:
    files_a = sorted(p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file())
    if files_a != files_b:
        return sorted(set(files_a) ^ set(files_b))[:10] or ["(file lists differ)"]
    return [f for f in files_a if not filecmp.cmp(a / f, b / f, shallow=False)][:10]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--papers", type=int, default=10_000, help="synthetic papers (default 10000)")
    parser.add_argument("--jobs", default="1,2", help="comma-separated process counts, one index each (default 1,2)")
    parser.add_argument("--keep", type=Path, default=None, help="copy the first index written to this folder")
    parser.add_argument("--compare", type=Path, default=None, help="a kept index the new ones must equal byte for byte")
    parser.add_argument("--profile", type=Path, default=None, help="cProfile the first index written into this file")
    args = parser.parse_args(argv)
    jobs_list = [int(j) for j in args.jobs.split(",")]

    from generator.site.build import Project, prepare_project
    from generator.site.search import write_index

    tmp = Path(tempfile.mkdtemp(prefix=f"papercat-bench-search-{args.papers}-"))
    status = 0
    try:
        make_project(tmp, args.papers, *_pools())
        t0 = time.perf_counter()
        prepared = prepare_project(Project.at(tmp))
        print(f"{len(prepared.model.papers):,} papers prepared in {time.perf_counter() - t0:.1f} s", flush=True)
        written: list[Path] = []
        for n, jobs in enumerate(jobs_list):
            out = tmp / f"index-{n}"
            profiler = None
            if args.profile is not None and n == 0:
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
            start = time.perf_counter()
            before = os.times()
            facts = write_index(prepared.model, out, jobs=jobs)
            seconds = time.perf_counter() - start
            after = os.times()
            cpu = sum(getattr(after, k) - getattr(before, k) for k in ("user", "system", "children_user", "children_system"))
            if profiler is not None:
                profiler.disable()
                profiler.dump_stats(str(args.profile))
            print(
                f"  --jobs {jobs}: {seconds:6.2f} s, {cpu:6.2f} s of CPU in {facts['processes']} process(es)"
                f"  ({facts['files']:,} files, {facts['bytes'] / 1e6:.1f} MB)", flush=True,
            )
            written.append(out)
        for other in written[1:]:
            if diff := _differences(written[0], other):
                print(f"  DIFFERENT: {other.name} vs {written[0].name}: {diff}")
                status = 1
        if args.compare is not None:
            diff = _differences(args.compare, written[0])
            print(f"  against {args.compare}: {'DIFFERENT ' + str(diff) if diff else 'byte-identical'}")
            status |= 1 if diff else 0
        if args.keep is not None and written:
            shutil.rmtree(args.keep, ignore_errors=True)
            shutil.copytree(written[0], args.keep)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
