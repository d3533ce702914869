"""Benchmark topic classification on synthetic papers.

Builds N papers (default 100,000) by recombining the bundled titles and abstract sentences
(fixed seed), classifies them with the shipped taxonomy and prints papers/second.

    python bench/bench_topics.py [N]
"""

from __future__ import annotations

import random
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from generator.ingest import ingest_content  # noqa: E402
from generator.model import Paper  # noqa: E402
from generator.topics import classify, load_taxonomy  # noqa: E402


def synthetic_papers(n: int, seed: int = 0) -> list[Paper]:
    base = ingest_content(ROOT / "content").papers
    titles = [p.title for p in base if not p.title_inferred]
    sentences = [s for p in base for s in re.split(r"(?<=[.!?])\s+", p.abstract) if len(s) > 20]
    rng = random.Random(seed)
    papers = []
    for i in range(n):
        a, b = rng.choice(titles).split(), rng.choice(titles).split()
        title = " ".join(a[: max(1, len(a) // 2)] + b[len(b) // 2 :])
        abstract = " ".join(rng.choice(sentences) for _ in range(rng.randint(5, 9)))
        papers.append(Paper(title=title, abstract=abstract, id=f"synthetic-{i}"))
    return papers


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    tax = load_taxonomy(ROOT / "generator" / "defaults" / "config" / "topics.yml")
    t0 = time.perf_counter()
    papers = synthetic_papers(n)
    t1 = time.perf_counter()
    chars = sum(len(p.title) + len(p.abstract) for p in papers)
    result = classify(papers, tax)
    t2 = time.perf_counter()
    assert len(result) == n
    shares = Counter(a.primary for a in result.values())
    print(f"built {n:,} synthetic papers ({chars / n:,.0f} chars each) in {t1 - t0:.1f}s")
    print(f"classified {n:,} papers in {t2 - t1:.1f}s = {n / (t2 - t1):,.0f} papers/second")
    print("primary topics:", ", ".join(f"{slug} {100 * c / n:.1f}%" for slug, c in shares.most_common()))


if __name__ == "__main__":
    main()
