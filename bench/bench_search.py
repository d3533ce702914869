"""Search benchmark: 10,000- and 100,000-paper catalogues searched in headless Chromium.

    .venv/bin/python bench/bench_search.py                       # 10k full build, 100k index only
    .venv/bin/python bench/bench_search.py --full 10000,100000   # full builds of both (100k: ~20+ min)
    .venv/bin/python bench/bench_search.py --sizes 10000 --json /tmp/search.json

Catalogues come from bench/bench_site.py's synthetic generator (recombined bundled titles and
abstracts, 36 months, Daily Papers listings). A size in ``--full`` is built with ``papercat build``
(whole site); any other size is indexed only: papercat reads and classifies the catalogue and
writes its search index (``search-index/``), which is served inside the site shell (pages,
scripts, the Search page) of the first full build, so the browser figures are real for that size
while its HTML pages are not built.

For each size, 20 fixed queries (10 exact titles of generated papers, 10 topic words) are typed
into the Search page of a fresh browser context (cold cache), and the table reports the bytes of
search data (``search-index/``) transferred before the first paper result is shown and the time
from typing to that result (the page's 120 ms typing pause included), as median and worst; also
the index build time, the peak memory (resident set) of the process that built it (for an
index-only size: reading, classifying and indexing the whole catalogue), the index's size, the
whole site's size and its largest HTML page.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))
from bench_site import _pools, make_project  # noqa: E402

WORDS = [
    "diffusion", "transformer", "reinforcement learning", "graph neural network", "language model",
    "robot manipulation", "protein", "speech recognition", "benchmark", "quantization",
]
CHROMIUM = "/usr/bin/chromium"
MEMORY_CAP_GB = 6.0  # address-space cap of an index-only run (the budget is 4 GB)
INDEX = "search-index"  # generator.site.search.BUNDLE_DIR
BUDGETS = {10_000: (300_000, 1.0), 100_000: (600_000, 1.5)}  # bytes, seconds before the first result


def _site_facts(site: Path) -> dict:
    total = 0
    largest = (0, "")
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        total += size
        if path.suffix == ".html" and size > largest[0]:
            largest = (size, path.relative_to(site).as_posix())
    bundle = sum(p.stat().st_size for p in (site / INDEX).rglob("*") if p.is_file())
    return {"site_mb": total / 1e6, "largest_page_kb": largest[0] / 1e3, "largest_page": largest[1], "bundle_mb": bundle / 1e6}


# --------------------------------------------------------------------------- children


def child_full(project_dir: Path, out: Path) -> None:
    from generator.site.build import Project, build_site

    start = time.perf_counter()
    report = build_site(Project.at(project_dir))
    result = {
        "mode": "full build",
        "papers": len(report.ingest.papers),
        "build_seconds": time.perf_counter() - start,
        "index_seconds": report.seconds.get("search", 0.0),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    out.write_text(json.dumps(result), encoding="utf-8")


def child_index(project_dir: Path, shell: Path, out: Path) -> None:
    """Read, classify and write the search index; the site is ``shell`` with this index."""
    from generator.ingest import ingest_content
    from generator.site.build import SiteConfig
    from generator.site.search import index_search
    from generator.site.view import SiteModel
    from generator.topics import classify

    start = time.perf_counter()
    config = SiteConfig.load(project_dir / "site_config")
    result = ingest_content(project_dir / "content")
    assignments = classify(result.papers, config.taxonomy, overrides=dict(config.overrides))
    model = SiteModel.build(result, assignments, config.taxonomy, config.settings)
    prepared = time.perf_counter() - start
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    site = project_dir / "site"
    shutil.copytree(shell, site, ignore=shutil.ignore_patterns(INDEX))
    # A run past this cap fails here instead of exhausting a shared machine.
    cap = int(MEMORY_CAP_GB * 2**30)
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    start = time.perf_counter()
    index_search(model, site / INDEX)
    result_data = {
        "mode": "index only",
        "papers": len(result.papers),
        "prepare_seconds": prepared,
        "index_seconds": time.perf_counter() - start,
        "rss_before_index_mb": before,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    out.write_text(json.dumps(result_data), encoding="utf-8")


# --------------------------------------------------------------------------- browser

_WATCH_FIRST_RESULT = """() => {
  performance.setResourceTimingBufferSize(100000);
  window.__pcStart = performance.now();
  window.__pcFirst = null;
  const selector = ".pc-results li.pc-result:not(.pc-result--loading):not(.pc-result--topic)";
  const observer = new MutationObserver(() => {
    if (window.__pcFirst === null && document.querySelector(selector)) {
      window.__pcFirst = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document.querySelector(".pc-results"), { childList: true, subtree: true });
}"""

# Every index file received since typing, the counts and facets included.
_ALL_INDEX_BYTES = """(folder) => performance.getEntriesByType("resource")
  .filter((e) => e.name.includes("/" + folder + "/") && e.startTime >= window.__pcStart)
  .reduce((sum, e) => sum + e.encodedBodySize, 0)"""

# Seconds from typing to the first paper result, and the index files received before it (URL, body bytes).
_FIRST_RESULT_FACTS = """(folder) => [
  (window.__pcFirst - window.__pcStart) / 1000,
  performance.getEntriesByType("resource")
    .filter((e) => e.name.includes("/" + folder + "/") && e.startTime >= window.__pcStart && e.responseEnd <= window.__pcFirst)
    .map((e) => [e.name.split("/" + folder + "/").pop(), e.encodedBodySize]),
]"""


def measure_queries(site: Path, queries: list[str]) -> list[dict]:
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def handle(self) -> None:
            with contextlib.suppress(ConnectionError):  # the browser closed a request it no longer needed
                super().handle()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    rows = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for query in queries:
                context = browser.new_context()
                page = context.new_page()
                finished: list[tuple[str, int]] = []

                def on_finished(request, finished=finished) -> None:
                    try:
                        size = request.sizes()["responseBodySize"]
                    except Exception:  # noqa: BLE001 - a request without a body
                        size = 0
                    finished.append((request.url, size))

                page.on("requestfinished", on_finished)
                page.goto(base + "search/", wait_until="load")
                page.wait_for_load_state("networkidle")
                before_search = sum(size for url, size in finished if f"/{INDEX}/" in url)
                finished.clear()
                # The page itself notes when the first paper result is inserted, and the index files
                # whose response had ended by then (Resource Timing), so nothing fetched afterwards
                # (tails, facets) is counted as "before the first result".
                page.evaluate(_WATCH_FIRST_RESULT)
                page.locator(".pc-search-query").fill(query)
                page.wait_for_function("() => window.__pcFirst !== null", timeout=60_000)
                seconds, before_first = page.evaluate(_FIRST_RESULT_FACTS, INDEX)
                transferred = sum(size for _, size in before_first)
                page.wait_for_load_state("networkidle")
                total = page.evaluate(_ALL_INDEX_BYTES, INDEX)
                rows.append({"query": query, "bytes": transferred, "files": len(before_first), "bytes_after_facets": total,
                             "seconds": seconds, "bytes_before_typing": before_search,
                             "largest_files": sorted(before_first, key=lambda f: -f[1])[:5]})
                context.close()
            browser.close()
    finally:
        server.shutdown()
    return rows


def _queries(project_dir: Path) -> list[str]:
    """10 exact titles spread over the generated listings, then 10 topic words."""
    import re

    titles = []
    for listing in sorted((project_dir / "content").glob("*.txt")):
        blocks = listing.read_text(encoding="utf-8").split("\n\n")
        titles.extend(b for b in blocks if re.match(r"^[A-Z][a-z]+[a-z0-9]*: ", b) and "\n" not in b)
    step = max(1, len(titles) // 10)
    return titles[::step][:10] + WORDS


# --------------------------------------------------------------------------- parent


def run(size: int, full: bool, shell: Path | None, pools, keep: bool) -> tuple[dict, Path]:
    tmp = Path(tempfile.mkdtemp(prefix=f"papercat-search-{size}-"))
    make_project(tmp, size, *pools)
    out = tmp / "result.json"
    if full:
        cmd = [sys.executable, __file__, "--child-full", str(tmp), "--child-out", str(out)]
    else:
        if shell is None:
            raise SystemExit("an index-only size needs a full build first (list a smaller size in --full)")
        cmd = [sys.executable, __file__, "--child-index", str(tmp), "--child-shell", str(shell), "--child-out", str(out)]
    proc = subprocess.run(cmd, cwd=tmp, capture_output=True, text=True)
    if proc.returncode != 0:
        reason = (proc.stderr.strip().splitlines() or ["exit " + str(proc.returncode)])[-1]
        print(f"{size:,} papers failed: {reason}", flush=True)
        return {"size": size, "mode": "index only" if not full else "full build", "failed": reason, "queries": []}, tmp
    result = json.loads(out.read_text(encoding="utf-8"))
    site = tmp / "site"
    result.update(size=size, **_site_facts(site))
    rows = measure_queries(site, _queries(tmp))
    result["queries"] = rows
    return result, tmp


def _table(results: list[dict]) -> str:
    header = ["papers", "mode", "KB before 1st result (median/max)", "s to 1st result (median/max)",
              "KB with counts and facets (median/max)",
              "KB before typing", "index s", "peak RSS MB", "index MB", "site MB", "largest page KB", "budget"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for r in results:
        if r.get("failed"):
            lines.append(f"| {r['size']:,} | {r['mode']} | failed: {r['failed'][:120]} |" + " |" * (len(header) - 3))
            continue
        kb = [q["bytes"] / 1000 for q in r["queries"]]
        secs = [q["seconds"] for q in r["queries"]]
        after = [q["bytes_after_facets"] / 1000 for q in r["queries"]]
        idle = max(q["bytes_before_typing"] for q in r["queries"]) / 1000
        budget_bytes, budget_s = BUDGETS.get(r["size"], (None, None))
        verdict = "-"
        if budget_bytes:
            ok = max(kb) * 1000 <= budget_bytes and max(secs) <= budget_s
            verdict = ("met" if ok else "MISSED") + f" (≤{budget_bytes // 1000} kB, ≤{budget_s} s)"
        site = f"{r['site_mb']:.0f}" if r["mode"] == "full build" else f"{r['site_mb']:.0f} (10k pages + this index)"
        page = f"{r['largest_page_kb']:.0f} ({r['largest_page']})" if r["mode"] == "full build" else "(not built)"
        lines.append("| " + " | ".join([
            f"{r['size']:,}", r["mode"], f"{statistics.median(kb):.0f} / {max(kb):.0f}",
            f"{statistics.median(secs):.2f} / {max(secs):.2f}",
            f"{statistics.median(after):.0f} / {max(after):.0f}", f"{idle:.0f}", f"{r['index_seconds']:.1f}",
            f"{r['peak_rss_mb']:.0f}", f"{r['bundle_mb']:.1f}", site, page, verdict,
        ]) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="paper counts (default: 10000,100000)")
    parser.add_argument("--full", default="10000", help="sizes built as whole sites (default: 10000); others are indexed only")
    parser.add_argument("--json", type=Path, help="write the results to this file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects")
    parser.add_argument("--child-full", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-index", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-shell", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child_full:
        child_full(args.child_full, args.child_out)
        return 0
    if args.child_index:
        child_index(args.child_index, args.child_shell, args.child_out)
        return 0
    sizes = sorted(int(s) for s in args.sizes.split(",") if s.strip())
    full = {int(s) for s in args.full.split(",") if s.strip()}
    pools = _pools()
    results, shell, temps = [], None, []
    try:
        for size in sizes:
            result, tmp = run(size, size in full, shell, pools, args.keep)
            temps.append(tmp)
            if size in full and shell is None:
                shell = tmp / "site"
            results.append(result)
            if result.get("failed"):
                continue
            print(f"{size:,} papers ({result['mode']}): done", flush=True)
            for q in result["queries"]:
                print(f"    {q['bytes'] / 1000:7.0f} kB {q['files']:3d} files {q['bytes_after_facets'] / 1000:7.0f} kB with facets"
                      f"  {q['seconds']:.2f} s  {q['query'][:70]}", flush=True)
                print("        largest: " + ", ".join(f"{name} {size / 1000:.0f} kB" for name, size in q["largest_files"]), flush=True)
    finally:
        if not args.keep:
            for tmp in temps:
                shutil.rmtree(tmp, ignore_errors=True)
    print()
    print(_table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
