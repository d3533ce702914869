"""Whole-site build benchmark: 1,000 / 10,000 / 20,000 synthetic papers through ``build_site``.

    .venv/bin/python bench/bench_site.py                      # 1000, 10000 and 20000 papers
    .venv/bin/python bench/bench_site.py --sizes 2000,4000 --json /tmp/site.json
    .venv/bin/python bench/bench_site.py --sizes 10000 --profile /tmp/prof   # cProfile, one .prof per size
    .venv/bin/python bench/bench_site.py --incremental 10000:50 --jobs 2     # full vs one 50-paper listing added vs no change
    .venv/bin/python bench/bench_site.py --compare-jobs 20000:1,2            # clean builds, --jobs 1 vs --jobs 2
    .venv/bin/python bench/bench_site.py --sizes 100000 --jobs 2             # 100,000 papers: time and peak memory

Papers are made by recombining the bundled papers (``content/``): a made-up method name unique to
the paper ("Kalovex: ..."), the first half of one bundled title and the second half of another,
and 5-9 abstract sentences drawn from all bundled abstracts (fixed seed). They are dated over 36
months (Jan 2023 - Dec 2025) and written as Daily Papers listings (title, abstract, ``• N authors``
/ ``·`` / ``Mon D, YYYY [upvotes]``), ~500 papers per file, each file with a ``captured:`` date in
``sources.yml``. Every title is distinct, so nothing merges: a run checks that the build reports
exactly N papers, none merged or rejected.

Each size is built in a fresh temporary project (``mkdocs.yml`` and ``site_config/`` copied from the
repository, the content generated into it) by a child process that runs ``build_site``, so the
peak memory is that size's own: the PSS of the child and every process it starts, summed and
sampled every 0.2 s (the memory the build needs; their RSS summed, which counts the pages a
forked process shares with its parent twice, and the child's own ``ru_maxrss`` are shown too). The table shows seconds per stage
(``BuildReport.seconds``: ingest, classify, related, pages, mkdocs; ``other`` = total - stages, i.e.
config/taxonomy loading and the swap), the total wall time of ``build_site``, ms per paper and
peak memory (PSS). The run fails (exit 1) when time(20k)/time(10k) > 2.1, i.e. when the per-paper cost
grows with the catalogue; with other sizes the two largest are compared, scaled the same way
(limit = 2.1/2 x size ratio).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from bench_ingest import _name  # noqa: E402 - a made-up method name, unique per index

CONTENT = ROOT / "content"
STAGES = ("ingest", "classify", "related", "pages", "mkdocs", "search")
DEFAULT_SIZES = (1000, 10_000, 20_000)
PAPERS_PER_FILE = 500
FIRST_MONTH = (2023, 1)
MONTHS = 36
MAX_RATIO = 2.1  # allowed time ratio for a doubling of the catalogue
_MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_PAGE_HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\nbyAK and the research community\n\n"


# --------------------------------------------------------------------------- synthetic content


def _pools() -> tuple[list[str], list[str]]:
    """Bundled titles (real ones, >= 4 words) and abstract sentences to recombine."""
    sys.path.insert(0, str(ROOT))
    from generator.ingest import ingest_content

    papers = ingest_content(CONTENT).papers
    titles = sorted({p.title for p in papers if not p.title_inferred and len(p.title.split()) >= 4 and "\n" not in p.title})
    sentences = sorted(
        {s for p in papers for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", p.abstract) if 40 <= len(s) <= 400 and "\n" not in s}
    )
    return titles, sentences


def _description(rng: random.Random, titles: list[str]) -> str:
    """The first half of one bundled title and the second half of another (the part after a colon if any)."""
    a, b = rng.sample(titles, 2)
    a = a.split(":", 1)[1].strip() if ":" in a else a
    b = b.split(":", 1)[1].strip() if ":" in b else b
    wa, wb = a.split(), b.split()
    words = wa[: max(1, len(wa) // 2)] + wb[len(wb) // 2 :]
    return " ".join(words) if len(words) >= 2 else a


def _date(rng: random.Random) -> dt.date:
    month_index = rng.randrange(MONTHS)
    year, month = FIRST_MONTH[0] + (FIRST_MONTH[1] - 1 + month_index) // 12, (FIRST_MONTH[1] - 1 + month_index) % 12 + 1
    return dt.date(year, month, rng.randint(1, 28))


def generate(content_dir: Path, count: int, titles: list[str], sentences: list[str], seed: int = 11) -> dict[str, int]:
    """Write ``count`` papers as Daily Papers listings plus ``sources.yml``; return a few facts about them."""
    rng = random.Random(seed)
    content_dir.mkdir(parents=True, exist_ok=True)
    papers = []
    for index in range(count):
        title = f"{_name(rng, index)}: {_description(rng, titles)}"
        abstract = " ".join(rng.sample(sentences, rng.randint(5, 9)))
        papers.append((_date(rng), title, abstract, rng.randint(1, 24), rng.randint(1, 300) if rng.random() < 0.3 else None))
    # Listings are captured over time: each file holds the papers of a stretch of dates, in page order (newest first).
    papers.sort(key=lambda p: (p[0], p[1]))
    sources = ["# Synthetic Daily Papers listings written by bench/bench_site.py"]
    files = 0
    for start in range(0, count, PAPERS_PER_FILE):
        chunk = papers[start : start + PAPERS_PER_FILE][::-1]
        captured = chunk[0][0] + dt.timedelta(days=rng.randint(0, 6))
        name = f"{files:03d}_daily_{captured.isoformat()}.txt"
        parts = [_PAGE_HEADER, f"{_MONTH_ABBR[captured.month - 1]} {captured.day}\n\n"]
        for date, title, abstract, authors, upvotes in chunk:
            stamp = f"{_MONTH_ABBR[date.month - 1]} {date.day}, {date.year}" + (f" {upvotes}" if upvotes else "")
            author_line = f"  • {authors} author{'s' if authors != 1 else ''}"
            parts.append(f"{title}\n\n{abstract}\n\n{author_line}\n·\n{stamp}\n\n")
        (content_dir / name).write_text("".join(parts), encoding="utf-8")
        sources.append(f"{name}:\n  captured: {captured.isoformat()}")
        files += 1
    (content_dir / "sources.yml").write_text("\n".join(sources) + "\n", encoding="utf-8")
    months = len({(d.year, d.month) for d, *_ in papers})
    return {"files": files, "months": months, "content_bytes": sum(f.stat().st_size for f in content_dir.iterdir())}


def make_project(directory: Path, count: int, titles: list[str], sentences: list[str]) -> dict[str, int]:
    """A fresh project: the repository's mkdocs.yml and site_config/, and ``count`` generated papers."""
    shutil.copy2(ROOT / "mkdocs.yml", directory / "mkdocs.yml")
    shutil.copytree(ROOT / "site_config", directory / "site_config")
    return generate(directory / "content", count, titles, sentences)


# --------------------------------------------------------------------------- child: one build


def child_build(project_dir: Path, out: Path, profile: Path | None, jobs: int = 1, clean: bool = True) -> None:
    sys.path.insert(0, str(ROOT))
    from generator.site.build import Project, build_site
    from generator.site.render import RenderOptions

    project = Project.at(project_dir)
    profiler = None
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    report = build_site(project, render=RenderOptions(jobs=jobs, clean=clean))
    total = time.perf_counter() - start
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(str(profile))
    site_files = site_bytes = 0
    largest = (0, "")  # the largest HTML page: no page may grow with the catalogue
    for folder, _, names in os.walk(report.site_dir):
        for name in names:
            size = (Path(folder) / name).stat().st_size
            site_files += 1
            site_bytes += size
            if name.endswith(".html"):
                largest = max(largest, (size, (Path(folder) / name).relative_to(report.site_dir).as_posix()))
    result = {
        "papers": len(report.ingest.papers),
        "records": report.ingest.records,
        "merged": report.ingest.merged,
        "rejected": len(report.ingest.rejected),
        "pages": report.pages,
        "months": sum(1 for p in report.prepared.pages if p.startswith("months/") and p != "months/index.md"),
        "site_files": site_files,
        "site_mb": site_bytes / 1e6,
        "largest_page_kb": largest[0] / 1e3,
        "largest_page": largest[1],
        "seconds": {**{k: report.seconds.get(k, 0.0) for k in STAGES}, "total": total},
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # Linux: KiB
        "jobs": jobs,
        "written": report.rendering.written if report.rendering else None,
        "reused": report.rendering.reused if report.rendering else None,
        "full_reason": report.rendering.full_reason if report.rendering else None,
        "render_seconds": dict(report.rendering.seconds) if report.rendering else {},
        "profiled": profile is not None,
    }
    result["seconds"]["other"] = total - sum(result["seconds"][k] for k in STAGES)
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")


# --------------------------------------------------------------------------- parent


def _tree_memory(pid: int) -> tuple[int, int]:
    """Memory (KiB) of a process and all its descendants, from /proc (Linux): ``(PSS, RSS)`` summed.

    PSS (proportional set size) counts a page shared by several processes (a forked process
    shares its parent's until either writes to it) once in all, split between them: the sum is
    the memory the build needs. RSS counts it in each process, so its sum overstates that.
    """
    pss = rss = 0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            with Path(f"/proc/{current}/smaps_rollup").open() as rollup:
                for line in rollup:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1])
            with Path(f"/proc/{current}/task/{current}/children").open() as children:
                todo += [int(child) for child in children.read().split()]
        except (OSError, ValueError):
            continue
    return pss, rss


def _child(project: Path, count: int, *, jobs: int, clean: bool, profile: Path | None = None) -> dict:
    out = project / "result.json"
    cmd = [
        sys.executable, str(Path(__file__).resolve()), "--child-build", str(project), "--child-out", str(out),
        "--child-jobs", str(jobs), *(["--child-clean"] if clean else []),
    ]
    if profile is not None:
        profile.parent.mkdir(parents=True, exist_ok=True)
        cmd += ["--child-profile", str(profile)]
    log = project / "child.log"
    with log.open("w") as output:
        proc = subprocess.Popen(cmd, cwd=project, stdout=output, stderr=subprocess.STDOUT, text=True)
        peak = peak_rss = 0
        while proc.poll() is None:  # the build and its processes together, sampled every 0.2 s
            pss, rss = _tree_memory(proc.pid)
            peak, peak_rss = max(peak, pss), max(peak_rss, rss)
            time.sleep(0.2)
    if proc.returncode != 0:
        raise SystemExit(f"build of {count} papers failed (exit {proc.returncode}):\n{log.read_text()}")
    # The site a build replaced is removed in the background once the build is done: let that finish
    # too, so that it never runs during the next measured build.
    deadline = time.monotonic() + 600
    while any(".discarded-" in p.name for p in project.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.2)
    result = json.loads(out.read_text(encoding="utf-8"))
    result["peak_tree_mb"] = peak / 1024  # PSS of the build and its processes
    result["peak_tree_rss_mb"] = peak_rss / 1024  # their RSS summed: shared pages counted in each
    result["ms_per_paper"] = 1000 * result["seconds"]["total"] / count
    return result


def run_size(count: int, pools: tuple[list[str], list[str]], *, profile_dir: Path | None, keep: bool, jobs: int = 1) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix=f"papercat-bench-{count}-"))
    try:
        t0 = time.perf_counter()
        facts = make_project(tmp, count, *pools)
        generated = time.perf_counter() - t0
        profile = profile_dir / f"build_{count}.prof" if profile_dir is not None else None
        result = _child(tmp, count, jobs=jobs, clean=True, profile=profile)
        result.update(size=count, generate_seconds=generated, **facts)
        if keep:
            result["project_dir"] = str(tmp)
        return result
    finally:
        if not keep:
            shutil.rmtree(tmp, ignore_errors=True)


def add_listing(content_dir: Path, count: int, first_index: int, titles: list[str], sentences: list[str], seed: int = 97) -> None:
    """One more Daily Papers listing of ``count`` new papers, dated after the newest ones (a daily update)."""
    rng = random.Random(seed)
    day = dt.date(FIRST_MONTH[0] + (FIRST_MONTH[1] - 1 + MONTHS) // 12, (FIRST_MONTH[1] - 1 + MONTHS) % 12 + 1, 2)
    parts = [_PAGE_HEADER, f"{_MONTH_ABBR[day.month - 1]} {day.day}\n\n"]
    for index in range(first_index, first_index + count):
        title = f"{_name(rng, index)}: {_description(rng, titles)}"
        abstract = " ".join(rng.sample(sentences, rng.randint(5, 9)))
        stamp = f"{_MONTH_ABBR[day.month - 1]} {day.day}, {day.year}"
        parts.append(f"{title}\n\n{abstract}\n\n  • {rng.randint(1, 24)} authors\n·\n{stamp}\n\n")
    name = f"999_daily_{day.isoformat()}.txt"
    (content_dir / name).write_text("".join(parts), encoding="utf-8")
    with (content_dir / "sources.yml").open("a", encoding="utf-8") as sources:
        sources.write(f"{name}:\n  captured: {day.isoformat()}\n")


def run_incremental(count: int, added: int, pools: tuple[list[str], list[str]], *, jobs: int) -> dict:
    """A full build of ``count`` papers, one listing of ``added`` new papers built incrementally, then a build with no change."""
    tmp = Path(tempfile.mkdtemp(prefix=f"papercat-bench-incr-{count}-"))
    try:
        make_project(tmp, count, *pools)
        full = _child(tmp, count, jobs=jobs, clean=True)
        add_listing(tmp / "content", added, count, *pools)
        incremental = _child(tmp, count + added, jobs=jobs, clean=False)
        # The same inputs once more: what every build costs before anything has changed.
        unchanged = _child(tmp, count + added, jobs=jobs, clean=False)
        return {"size": count, "added": added, "jobs": jobs, "full": full, "incremental": incremental,
                "unchanged": unchanged, "ratio": incremental["seconds"]["total"] / full["seconds"]["total"],
                "unchanged_ratio": unchanged["seconds"]["total"] / full["seconds"]["total"]}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def run_jobs(count: int, pools: tuple[list[str], list[str]], jobs_list: list[int]) -> dict:
    """Clean builds of the same ``count`` papers with each number of rendering processes."""
    tmp = Path(tempfile.mkdtemp(prefix=f"papercat-bench-jobs-{count}-"))
    try:
        make_project(tmp, count, *pools)
        runs = {}
        for jobs in jobs_list:  # each from the same start: no site or build state of the run before
            for folder in ("site", "build"):
                shutil.rmtree(tmp / folder, ignore_errors=True)
            runs[jobs] = _child(tmp, count, jobs=jobs, clean=True)
        base = runs[jobs_list[0]]["seconds"]["total"]
        return {"size": count, "runs": runs, "ratios": {j: r["seconds"]["total"] / base for j, r in runs.items()}}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _line(label: str, r: dict) -> str:
    stages = ", ".join(f"{k} {r['seconds'][k]:.1f}" for k in STAGES)
    return (
        f"  {label:<28} {r['seconds']['total']:7.1f} s  ({stages})  pages {r['written']:,} written / {r['reused']:,} reused;"
        f" peak memory {r['peak_tree_mb']:.0f} MB PSS (RSS summed {r['peak_tree_rss_mb']:.0f} MB, main process {r['max_rss_mb']:.0f} MB)"
    )


def _table(results: list[dict]) -> str:
    cols = [*STAGES, "other", "total"]
    header = ["papers", "pages", *cols, "ms/paper", "peak MB"]
    rows = [
        [
            f"{r['size']:,}", f"{r['pages']:,}", *(f"{r['seconds'][c]:.2f}" for c in cols),
            f"{r['ms_per_paper']:.2f}", f"{r['peak_tree_mb']:.0f}",
        ]
        for r in results
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def fmt(row: list[str]) -> str:
        return "  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True))

    lines = [fmt(header), "  ".join("-" * w for w in widths), *(fmt(r) for r in rows)]
    per_stage = ["ms/paper by stage:"]
    for r in results:
        per_stage.append(
            f"  {r['size']:>7,}: " + ", ".join(f"{c} {1000 * r['seconds'][c] / r['size']:.3f}" for c in cols)
        )
    return "\n".join(lines + [""] + per_stage)


def _scaling(results: list[dict], max_ratio: float) -> dict:
    by_size = {r["size"]: r for r in results}
    if 10_000 in by_size and 20_000 in by_size:
        small, big = by_size[10_000], by_size[20_000]
    else:
        ordered = sorted(by_size)
        small, big = by_size[ordered[-2]], by_size[ordered[-1]]
    factor = big["size"] / small["size"]
    limit = max_ratio / 2 * factor
    stages = {c: (big["seconds"][c] / small["seconds"][c] if small["seconds"][c] > 0 else None) for c in [*STAGES, "other", "total"]}
    return {
        "small": small["size"], "big": big["size"], "ratio": stages["total"], "limit": limit,
        "stage_ratios": stages, "ok": stages["total"] <= limit,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="comma-separated paper counts (default: 1000,10000,20000)"
    )
    parser.add_argument("--json", type=Path, default=None, help="write the results to this file")
    parser.add_argument("--max-ratio", type=float, default=MAX_RATIO, help="allowed time(2N)/time(N) (default: 2.1)")
    parser.add_argument(
        "--profile", type=Path, default=None, metavar="DIR", help="cProfile each build into DIR/build_N.prof (slows the build)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects (their paths go in the JSON)")
    parser.add_argument("--jobs", type=int, default=1, help="rendering processes for the --sizes builds (default: 1)")
    parser.add_argument(
        "--incremental", default=None, metavar="N[:ADDED]",
        help="full build of N papers, then one listing of ADDED (default 50) new papers built incrementally",
    )
    parser.add_argument(
        "--compare-jobs", default=None, metavar="N[:J1,J2]",
        help="clean builds of N papers with J1 and J2 rendering processes (default 1,2)",
    )
    parser.add_argument("--child-build", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-jobs", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--child-clean", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-profile", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_build is not None:
        child_build(args.child_build, args.child_out, args.child_profile, jobs=args.child_jobs, clean=args.child_clean)
        return 0
    if args.incremental or args.compare_jobs:
        return side_by_side(args)

    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    if not sizes or any(s < 1 for s in sizes):
        parser.error("--sizes needs positive paper counts")
    pools = _pools()
    counts = ", ".join(f"{s:,}" for s in sizes)
    print(f"pools: {len(pools[0])} bundled titles, {len(pools[1])} abstract sentences; sizes {counts}", flush=True)
    results = []
    for count in sizes:
        result = run_size(count, pools, profile_dir=args.profile, keep=args.keep, jobs=args.jobs)
        results.append(result)
        problems = []
        if result["papers"] != count or result["merged"] or result["rejected"]:
            problems.append(f"expected {count} papers, got {result['papers']} ({result['merged']} merged, {result['rejected']} rejected)")
        if result["months"] < min(MONTHS, count // 30):
            problems.append(f"only {result['months']} month pages")
        print(
            f"{count:>7,} papers: {result['seconds']['total']:.1f}s ({result['ms_per_paper']:.2f} ms/paper), "
            f"{result['pages']:,} pages, {result['months']} months, {result['files']} listings, "
            f"site {result['site_files']:,} files / {result['site_mb']:.0f} MB, largest page {result['largest_page']} "
            f"{result['largest_page_kb']:.0f} kB, max RSS {result['max_rss_mb']:.0f} MB"
            + f", peak memory with its processes {result['peak_tree_mb']:.0f} MB PSS ({result['peak_tree_rss_mb']:.0f} MB RSS summed)"
            + (f"  PROBLEM: {'; '.join(problems)}" if problems else ""),
            flush=True,
        )
        result["problems"] = problems
        if count >= 100_000:  # raw listings to a finished site in 10 minutes and 4 GB
            ok = result["seconds"]["total"] <= 600 and result["peak_tree_mb"] <= 4096
            print(
                f"  target at {count:,} papers: at most 600 s and 4096 MB; "
                f"{result['seconds']['total']:.0f} s and {result['peak_tree_mb']:.0f} MB: {'OK' if ok else 'MISSED'}",
                flush=True,
            )
    print()
    print(_table(results))
    summary: dict = {"sizes": sizes, "results": results, "python": sys.version.split()[0], "profiled": args.profile is not None}
    status = 0
    if len(results) >= 2:
        scaling = _scaling(results, args.max_ratio)
        summary["scaling"] = scaling
        stage_text = ", ".join(f"{k} {v:.2f}" for k, v in scaling["stage_ratios"].items() if v is not None)
        verdict = "OK" if scaling["ok"] else "FAIL: per-paper cost grows with the catalogue"
        print(f"\ntime({scaling['big']:,})/time({scaling['small']:,}) = {scaling['ratio']:.2f} (limit {scaling['limit']:.2f}) {verdict}")
        print(f"by stage: {stage_text}")
        if not scaling["ok"]:
            status = 1
    if any(r["problems"] for r in results):
        status = 1
    if args.json is not None:
        args.json.write_text(json.dumps(summary, indent=2), encoding="utf-8")
        print(f"results written to {args.json}")
    return status


def side_by_side(args: argparse.Namespace) -> int:
    """--incremental and --compare-jobs: builds measured side by side in one run, with their targets."""
    pools = _pools()
    summary: dict = {"python": sys.version.split()[0], "load_average": os.getloadavg()}
    status = 0
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (other work on the machine slows every figure)")
    if args.incremental:
        size, _, added = args.incremental.partition(":")
        r = run_incremental(int(size.replace("_", "")), int(added or 50), pools, jobs=args.jobs)
        summary["incremental"] = r
        ok = r["ratio"] <= 0.10
        status |= 0 if ok else 1
        print(f"\nfull vs incremental at {r['size']:,} papers (+{r['added']} in one new listing), --jobs {r['jobs']}:")
        print(_line("full build", r["full"]))
        print(_line(f"incremental (+{r['added']})", r["incremental"]))
        print(_line("nothing changed", r["unchanged"]))
        print(f"  incremental / full = {r['ratio']:.1%} (target <= 10%) {'OK' if ok else 'MISSED'}; "
              f"nothing changed / full = {r['unchanged_ratio']:.1%}")
    if args.compare_jobs:
        size, _, jobs_text = args.compare_jobs.partition(":")
        jobs_list = [int(j) for j in (jobs_text or "1,2").split(",")]
        r = run_jobs(int(size.replace("_", "")), pools, jobs_list)
        summary["jobs"] = r
        print(f"\nclean builds at {r['size']:,} papers by number of rendering processes:")
        for jobs, run in r["runs"].items():
            print(_line(f"--jobs {jobs}", run) + f"  ({r['ratios'][jobs]:.0%} of --jobs {jobs_list[0]})")
        if len(jobs_list) >= 2:
            ok = r["ratios"][jobs_list[1]] <= 0.60
            status |= 0 if ok else 1
            ratio = r["ratios"][jobs_list[1]]
            print(f"  --jobs {jobs_list[1]} / --jobs {jobs_list[0]} = {ratio:.1%} (target <= 60%) {'OK' if ok else 'MISSED'}")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.json is not None:
        args.json.write_text(json.dumps(summary, indent=2, default=str), encoding="utf-8")
        print(f"results written to {args.json}")
    return status


if __name__ == "__main__":
    sys.exit(main())
