"""Related-papers benchmark: five neighbours for every paper of 10,000 and 100,000 synthetic papers.

    .venv/bin/python bench/bench_related.py                 # 10000 and 100000 papers
    .venv/bin/python bench/bench_related.py --sizes 2000 20000

Papers are made from the bundled ones (content/): a made-up method name, halves of two bundled
titles and 3-6 bundled abstract sentences (fixed seed). Each size runs in a fresh child process,
so the peak memory (``ru_maxrss``) is its own. Prints seconds, papers per second and peak memory.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def synthetic_papers(count: int, seed: int = 11):
    from bench_ingest import _name, _pools

    from generator.model import Paper

    rng = random.Random(seed)
    titles, sentences = _pools()
    papers = []
    for index in range(count):
        head, tail = rng.choice(titles), rng.choice(titles)
        title = f"{_name(rng, index)}: " + " ".join(head[: len(head) // 2] + tail[len(tail) // 2 :])
        papers.append(Paper(title=title, abstract=" ".join(rng.sample(sentences, rng.randint(3, 6))), id=f"p{index:06d}"))
    return papers


def child(count: int) -> None:
    from generator.site.related import related_papers

    papers = synthetic_papers(count)
    start = time.perf_counter()
    related = related_papers(papers)
    seconds = time.perf_counter() - start
    assert all(paper_id not in near for paper_id, near in related.items())
    full = sum(1 for near in related.values() if len(near) == 5)
    print(json.dumps({"seconds": seconds, "full": full, "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return 0
    for count in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--child", str(count)], check=True, capture_output=True, text=True).stdout
        figures = json.loads(out.strip().splitlines()[-1])
        print(
            f"{count:>8,} papers: {figures['seconds']:7.1f} s, {count / figures['seconds']:>7,.0f} papers/s, "
            f"peak memory {figures['maxrss_mb']:.0f} MB RSS; {figures['full']:,} with five related papers"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
