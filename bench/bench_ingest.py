"""Ingestion benchmark: 100,000 synthetic records through the full ingest, and a check it scales linearly.

    .venv/bin/python bench/bench_ingest.py            # 25,000 and 100,000 records
    .venv/bin/python bench/bench_ingest.py --sizes 10000 40000 --ratio 5

Records are made by recombining the bundled papers' titles and abstract sentences, written as
search-results listings (title line, abstract line) in a temporary folder, ~5% of them copies of
another record with a small edit (a typo, changed case or punctuation, a truncated abstract) in a
different file. Each size runs ``ingest_content`` in a fresh child process, so its peak memory
(``ru_maxrss``, and ``tracemalloc`` peak of the ingest alone) is its own. The run fails when the
largest size takes more than ``--ratio`` times as long as the smallest scaled up linearly would
allow (4x records -> at most 5x time), i.e. when anything is quadratic.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
RECORDS_PER_FILE = 1000
DUPLICATE_SHARE = 0.05
_SYLLABLES = ["ka", "lo", "mi", "ru", "zen", "tor", "vex", "nal", "pri", "qua", "sol", "dex", "fy", "gra", "bo", "xi"]


def _pools() -> tuple[list[list[str]], list[str]]:
    sys.path.insert(0, str(ROOT))
    from generator.ingest import ingest_content

    papers = ingest_content(CONTENT).papers
    titles = [p.title.split() for p in papers if not p.title_inferred and len(p.title.split()) >= 4]
    sentences = [s for p in papers for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", p.abstract) if 40 <= len(s) <= 400]
    return titles, sentences


def _name(rng: random.Random, index: int) -> str:
    """A made-up method name, unique per index ("Kalovex"), so that generated titles differ."""
    parts = []
    n = index
    while True:
        parts.append(_SYLLABLES[n % len(_SYLLABLES)])
        n //= len(_SYLLABLES)
        if n == 0:
            break
    parts.append(rng.choice(_SYLLABLES))
    return "".join(parts).capitalize()


def _typo(rng: random.Random, text: str) -> str:
    letters = [i for i in range(1, len(text) - 2) if text[i].isalpha() and text[i + 1].isalpha()]
    if not letters:
        return text
    i = rng.choice(letters)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def _edit(rng: random.Random, title: str, abstract: str) -> tuple[str, str]:
    kind = rng.randrange(4)
    if kind == 0:
        return _typo(rng, title), abstract
    if kind == 1:
        return title.lower(), abstract
    if kind == 2:
        return title.replace(":", " -").replace(",", ""), abstract
    cut = abstract[: max(120, len(abstract) * 2 // 3)]
    return title, cut[: cut.rfind(" ")] if " " in cut[100:] else cut


def generate(directory: Path, count: int, seed: int = 7) -> int:
    """Write ``count`` records as search-results listings; return how many are injected duplicates."""
    rng = random.Random(seed)
    titles, sentences = _pools()
    originals: list[tuple[str, str]] = []
    lines: list[str] = []
    duplicates = 0
    file_index = 0

    def flush() -> None:
        nonlocal file_index, lines
        if lines:
            (directory / f"listing_{file_index:04d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
            file_index += 1
            lines = []

    for index in range(count):
        if originals and rng.random() < DUPLICATE_SHARE:
            title, abstract = _edit(rng, *rng.choice(originals))
            duplicates += 1
        else:
            head, tail = rng.choice(titles), rng.choice(titles)
            title = f"{_name(rng, index)}: " + " ".join(head[: len(head) // 2] + tail[len(tail) // 2 :])
            abstract = " ".join(rng.sample(sentences, rng.randint(3, 6)))
            originals.append((title, abstract))
        lines += [title, abstract]
        if len(lines) >= 2 * RECORDS_PER_FILE:
            flush()
    flush()
    return duplicates


def child(directory: Path) -> None:
    """Run one ingest and print its figures as JSON (in a fresh process, for a clean memory peak)."""
    sys.path.insert(0, str(ROOT))
    from generator.ingest import ingest_content

    tracemalloc.start()
    start = time.perf_counter()
    result = ingest_content(directory)
    seconds = time.perf_counter() - start
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # A second, untraced run for the time: tracemalloc slows allocation-heavy code down.
    start = time.perf_counter()
    result = ingest_content(directory)
    seconds = min(seconds, time.perf_counter() - start)
    maxrss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "records": result.records,
                "papers": len(result.papers),
                "merged": result.merged,
                "rejected": len(result.rejected),
                "reconciles": result.reconciles(),
                "seconds": seconds,
                "traced_peak_mb": traced_peak / 2**20,
                "maxrss_mb": maxrss_kb / 1024,
            }
        )
    )


def run(count: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="papercat-bench-") as tmp:
        directory = Path(tmp)
        duplicates = generate(directory, count)
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(directory)], check=True, capture_output=True, text=True
        ).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    figures["injected_duplicates"] = duplicates
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25_000, 100_000])
    parser.add_argument("--ratio", type=float, default=5.0, help="max time ratio for a 4x larger input (default 5)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    results = {}
    for count in sorted(args.sizes):
        figures = run(count)
        results[count] = figures
        print(
            f"{count:>8,} records: {figures['seconds']:6.2f} s, {figures['records'] / figures['seconds']:>9,.0f} records/s, "
            f"peak memory {figures['maxrss_mb']:.0f} MB RSS ({figures['traced_peak_mb']:.0f} MB traced in ingest); "
            f"{figures['papers']:,} papers, {figures['merged']:,} merged "
            f"({figures['injected_duplicates']:,} duplicates injected), {figures['rejected']} rejected"
        )
        assert figures["reconciles"], "totals do not reconcile"
        assert figures["rejected"] == 0, "synthetic records were rejected"
        # Nearly every injected duplicate is found (a few typos land on a title's short words).
        assert figures["merged"] >= 0.9 * figures["injected_duplicates"], "duplicates were missed"
    small, large = min(results), max(results)
    if small != large:
        allowed = args.ratio * large / (4 * small)
        ratio = results[large]["seconds"] / results[small]["seconds"]
        print(f"time {large:,} / time {small:,} = {ratio:.2f} (linear: {large / small:.1f}, allowed: {allowed:.2f})")
        assert ratio <= allowed, f"ingest time grows faster than linearly: {ratio:.2f} > {allowed:.2f}"
    print("ok: near-linear")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
