"""Ingestion limits: a 50 MB listing, a 1 MB single line, 100,000 papers in one file.

    .venv/bin/python bench/bench_limits.py              # every case
    .venv/bin/python bench/bench_limits.py --quick      # smaller sizes (a smoke run)

Each case writes its listing into a temporary folder and runs ``ingest_content`` in a fresh
child process, which reports its wall time and peak memory (``ru_maxrss`` of the child alone).
The papers-in-one-file case runs at 25,000, 50,000 and 100,000 papers: memory above the
interpreter's baseline must grow in proportion to the catalogue (bytes per paper roughly flat)
and time must grow linearly (4x papers -> at most ``--ratio`` x time), i.e. no quadratic step.
Every case must also reconcile: records read = papers + merged + rejected.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_WORDS = (
    "model learning network data training neural graph attention language vision robust sparse efficient "
    "diffusion transformer policy reward agent token embedding latent benchmark dataset retrieval reasoning "
    "alignment contrastive representation generalization optimization gradient convex kernel bayesian causal"
).split()
_SYLLABLES = ["ka", "lo", "mi", "ru", "zen", "tor", "vex", "nal", "pri", "qua", "sol", "dex", "fy", "gra", "bo", "xi"]


def _name(index: int) -> str:
    parts, n = [], index
    while True:
        parts.append(_SYLLABLES[n % len(_SYLLABLES)])
        n //= len(_SYLLABLES)
        if n == 0:
            break
    return "".join(parts).capitalize()


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(_WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _abstract(rng: random.Random, index: int, chars: int) -> str:
    parts = [f"We introduce {_name(index)}, a method for {rng.choice(_WORDS)} {rng.choice(_WORDS)}."]
    while sum(len(p) + 1 for p in parts) < chars:
        parts.append(_sentence(rng, rng.randint(8, 20)))
    return " ".join(parts)


def write_search_results(path: Path, papers: int, *, abstract_chars: int = 900, seed: int = 11) -> int:
    """A search-results listing of ``papers`` distinct papers; returns its size in bytes."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as out:
        for i in range(papers):
            title = f"{_name(i)}: {' '.join(rng.choice(_WORDS) for _ in range(6)).title()} {i}"
            out.write(title + "\n" + _abstract(rng, i, abstract_chars) + "\n")
    return path.stat().st_size


def write_long_line(path: Path, chars: int, *, seed: int = 5) -> int:
    """One line of ``chars`` characters of prose and hostile fragments, no newline at all."""
    rng = random.Random(seed)
    pieces: list[str] = []
    size = 0
    fragments = ["<script>alert(1)</script>", "$x^2$", "{{ 7*7 }}", "\u200b", "e.g.", "fashion.However"]
    while size < chars:
        piece = rng.choice(fragments) if rng.random() < 0.05 else _sentence(rng, rng.randint(8, 20))
        pieces.append(piece)
        size += len(piece) + 1
    path.write_text(" ".join(pieces)[:chars], encoding="utf-8")
    return path.stat().st_size


# --- the child process ------------------------------------------------------------------------


def child(content: str) -> None:
    """Ingest one folder and print what it took, as JSON."""
    sys.path.insert(0, str(ROOT))
    from generator.ingest import ingest_content

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    result = ingest_content(Path(content))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "seconds": seconds, "peak_kb": peak, "baseline_kb": baseline, "records": result.records,
        "papers": len(result.papers), "merged": result.merged, "rejected": len(result.rejected),
        "reconciles": result.reconciles(), "reasons": sorted({r.reason[:80] for r in result.rejected})[:3],
    }))


def run_case(label: str, write: Callable[[Path], int]) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="papercat-limits-") as folder:
        content = Path(folder) / "content"
        content.mkdir()
        start = time.perf_counter()
        size = write(content)
        written = time.perf_counter() - start
        run = subprocess.run(
            [sys.executable, __file__, "--child", str(content)], capture_output=True, text=True, check=False
        )
    if run.returncode != 0:
        raise SystemExit(f"{label}: the child failed:\n{run.stderr}")
    data = json.loads(run.stdout.strip().splitlines()[-1])
    data.update(label=label, bytes=size, write_seconds=written)
    above = (data["peak_kb"] - data["baseline_kb"]) / 1024
    print(
        f"{label:<34} {size / 2**20:8.1f} MB  {data['records']:>7} records  {data['papers']:>7} papers  "
        f"{data['rejected']:>3} rejected  {data['seconds']:7.2f} s  peak {data['peak_kb'] / 1024:7.1f} MB "
        f"(+{above:6.1f} MB over start)  {'reconciles' if data['reconciles'] else 'DOES NOT RECONCILE'}",
        flush=True,
    )
    if data["reasons"]:
        print(f"{'':<34} rejections: {data['reasons']}")
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--ratio", type=float, default=5.5, help="largest allowed time ratio for 4x the papers")
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0

    scale = 10 if args.quick else 1
    big_mb = 50 // scale
    results = []
    # 1. A 50 MB listing: about 900 characters of abstract per paper.
    per_paper = 1000  # bytes, near enough to size the file
    results.append(run_case(
        f"{big_mb} MB search-results listing",
        lambda d: write_search_results(d / "big.txt", big_mb * 2**20 // per_paper),
    ))
    # 2. A 1 MB single line: no reader can pair it, so it must be rejected (or read) quickly, not hang.
    results.append(run_case("1 MB single line", lambda d: write_long_line(d / "line.txt", 2**20 // scale)))
    # 3. 100,000 papers in one file, and the same at a quarter and half of it.
    series = []
    for papers in (25_000 // scale, 50_000 // scale, 100_000 // scale):
        series.append(
            run_case(f"{papers:,} papers in one file", lambda d, n=papers: write_search_results(d / "one.txt", n, abstract_chars=400))
        )
    results.extend(series)

    failures = [r["label"] for r in results if not r["reconciles"]]
    small, large = series[0], series[-1]
    time_ratio = large["seconds"] / small["seconds"]
    per_paper_kb = [(r["peak_kb"] - r["baseline_kb"]) / max(1, r["records"]) for r in series]
    print()
    print("records  seconds  us/record  MB over start  KB/record")
    for r, kb in zip(series, per_paper_kb, strict=True):
        print(f"{r['records']:>7}  {r['seconds']:7.2f}  {1e6 * r['seconds'] / r['records']:9.1f}  "
              f"{(r['peak_kb'] - r['baseline_kb']) / 1024:13.1f}  {kb:9.2f}")
    print(f"4x papers took {time_ratio:.2f}x the time (linear: 4x; limit {args.ratio}x); "
          f"memory per record {per_paper_kb[0]:.2f} -> {per_paper_kb[-1]:.2f} KB")
    if time_ratio > args.ratio:
        failures.append(f"time grew {time_ratio:.2f}x for 4x papers")
    if per_paper_kb[-1] > 1.5 * per_paper_kb[0] + 1:
        failures.append("memory per paper grew with the catalogue")
    if failures:
        print("FAILED: " + "; ".join(failures))
        return 1
    print("ok: every case reconciles; time and memory grow linearly")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
