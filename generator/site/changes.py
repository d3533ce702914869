"""What a build changed: papers added, removed and changed, merged differently, moved topic, new rejections.

Each successful build leaves its state in ``BUILD_DIR/state.json``: per paper a fingerprint of
every field (short hashes: about 300 bytes a paper), its title, topics and the
listings it was merged from, and every rejection's file, reason and text hash. The next build
compares its own state with that one and writes the difference to ``BUILD_DIR/changes.json``
(sorted, no timestamps: identical for identical inputs and state).

The home page's "What's new" shows the latest build that changed something: a rebuild of the same
inputs keeps showing it (the state carries it along), so the site stays byte-identical. With no
previous state -- a clean checkout, or CI without a restored ``build/`` -- the build is the
baseline: the report says so and the home page has no "What's new" section.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..ingest.catalogue import write_atomic, write_rejections
from ..model import Paper, Rejected

STATE_FILE = "state.json"
CHANGES_FILE = "changes.json"
STATE_VERSION = 2
# The fields a reader sees; ``sources`` (file and line) is compared as the set of listings merged.
COMPARED = ("title", "abstract", "authors", "author_count", "date", "date_precision", "venue", "organization",
            "upvotes", "url", "arxiv_id")
SHOWN = 8  # entries per kind in the printed summary and on the home page


DIGEST = 10  # hex characters per field: a chance collision between two versions of a field is negligible


def _digest(value: object) -> str:
    if isinstance(value, str):
        text = value
    elif value is None:
        text = "null"
    elif type(value) is int:
        text = str(value)  # what json.dumps writes, without its cost: a state holds ten digests a paper
    else:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=DIGEST // 2).hexdigest()


def paper_state(paper: Paper, primary: str, secondary: tuple[str, ...]) -> dict[str, Any]:
    return {
        "title": paper.title,
        "fields": "".join(_digest(getattr(paper, name)) for name in COMPARED),  # one digest per field, in COMPARED order
        "topics": [primary, *secondary],
        "listings": sorted({s.file for s in paper.sources}),
        "records": len(paper.sources),
    }


def rejection_key(rejected: Rejected) -> str:
    return f"{rejected.file}\x1f{rejected.reason}\x1f{_digest(rejected.raw)}"


def build_state(
    papers: list[Paper], topics: Mapping[str, tuple[str, tuple[str, ...]]], rejected: list[Rejected]
) -> dict[str, Any]:
    """The state of one build: ``topics`` is paper id -> (primary, secondary topics)."""
    return {
        "version": STATE_VERSION,
        "papers": {p.id: paper_state(p, *topics[p.id]) for p in sorted(papers, key=lambda p: p.id)},
        "rejections": sorted(rejection_key(r) for r in rejected),  # one per rejection: two alike are two
    }


def load_state(build_dir: Path) -> dict[str, Any] | None:
    """The previous build's state, or None when there is none (or it is from another papercat version)."""
    path = build_dir / STATE_FILE
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("version") != STATE_VERSION or not isinstance(state.get("papers"), dict):
        return None
    return state


def compare(previous: dict[str, Any] | None, current: dict[str, Any], rejected: list[Rejected]) -> dict[str, Any]:
    """The change report of a build against the previous build's state."""
    if previous is None:
        return {"baseline": True, "papers": len(current["papers"]), "rejections": len(current["rejections"])}
    old, new = previous["papers"], current["papers"]
    added = sorted(set(new) - set(old))
    removed = sorted(set(old) - set(new))
    changed, merged, moved = [], [], []
    for pid in sorted(set(old) & set(new)):
        before, after = old[pid], new[pid]
        fields = sorted(name for i, name in enumerate(COMPARED)
                        if before["fields"][i * DIGEST:(i + 1) * DIGEST] != after["fields"][i * DIGEST:(i + 1) * DIGEST])
        if fields:
            changed.append({"id": pid, "title": after["title"], "fields": fields})
        if before["listings"] != after["listings"] or before["records"] != after["records"]:
            merged.append({"id": pid, "title": after["title"], "listings_before": before["listings"],
                           "listings_after": after["listings"], "records_before": before["records"],
                           "records_after": after["records"]})
        if before["topics"] != after["topics"]:
            moved.append({"id": pid, "title": after["title"], "topics_before": before["topics"],
                          "topics_after": after["topics"]})
    known = Counter(previous.get("rejections", []))  # a rejection seen before is no new one, however it moved
    fresh = []
    for r in sorted(rejected, key=lambda r: (r.file, r.line, r.reason)):
        if known[key := rejection_key(r)] > 0:
            known[key] -= 1
        else:
            fresh.append({"file": r.file, "line": r.line, "reason": r.reason})
    return {
        "baseline": False,
        "added": [{"id": pid, "title": new[pid]["title"], "topics": new[pid]["topics"]} for pid in added],
        "removed": [{"id": pid, "title": old[pid]["title"]} for pid in removed],
        "changed": changed,
        "merged_differently": merged,
        "topic_changes": moved,
        "new_rejections": fresh,
        "rejections_gone": sum(known.values()),  # those of the last build no rejection of this one matched
    }


KINDS = ("added", "removed", "changed", "merged_differently", "topic_changes", "new_rejections")
LABELS = {"added": "added", "removed": "removed", "changed": "changed", "merged_differently": "merged differently",
          "topic_changes": "moved topic", "new_rejections": "new rejections"}


def has_changes(report: Mapping[str, Any]) -> bool:
    return not report.get("baseline") and any(report.get(kind) for kind in KINDS)


def _entry(kind: str, item: Mapping[str, Any]) -> str:
    if kind == "changed":
        return f"{item['title']} ({', '.join(item['fields'])})"
    if kind == "merged_differently":
        return (f"{item['title']} ({item['records_before']} → {item['records_after']} records; "
                f"{', '.join(item['listings_after'])})")
    if kind == "topic_changes":
        return f"{item['title']} ({', '.join(item['topics_before'])} → {', '.join(item['topics_after'])})"
    if kind == "new_rejections":
        return f"{item['file']}:{item['line']}: {item['reason']}"
    return str(item["title"])


def summary(report: Mapping[str, Any], limit: int | None = SHOWN) -> str:
    """A few lines for the terminal: counts, then the first ``limit`` entries of each kind (None: all)."""
    if report.get("baseline"):
        return (f"changes: first build with this build folder ({report['papers']} papers, {report['rejections']} "
                "rejections); the next build reports what changed since this one")
    if not has_changes(report):
        return "changes: none since the last build"
    counts = ", ".join(f"{len(report[k])} {LABELS[k]}" for k in KINDS if report[k])
    lines = [f"changes since the last build: {counts}"]
    for kind in KINDS:
        for item in report[kind][:limit]:
            lines.append(f"  {LABELS[kind]}: {_entry(kind, item)}")
        if limit is not None and len(report[kind]) > limit:
            lines.append(f"  … and {len(report[kind]) - limit} more {LABELS[kind]} (papercat changes lists them all)")
    return "\n".join(lines)


_MARKDOWN_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")


def markdown(report: Mapping[str, Any]) -> str:
    """The report as Markdown, for a CI job summary."""
    if report.get("baseline"):
        return f"### Catalogue changes\n\nFirst build with this build folder: {report['papers']} papers, no earlier build to compare.\n"
    if not has_changes(report):
        return "### Catalogue changes\n\nNo changes since the last build.\n"

    def cell(text: str) -> str:
        # Every ASCII punctuation mark escaped (CommonMark allows it for each): a title's link, image, emphasis,
        # code span, HTML or bare address is shown as its characters, never rendered.
        return _MARKDOWN_PUNCTUATION.sub(r"\\\g<0>", " ".join(text.split()))

    lines = ["### Catalogue changes", "", "| change | papers |", "|---|---:|"]
    lines += [f"| {LABELS[k]} | {len(report[k])} |" for k in KINDS]
    for kind in KINDS:
        if report[kind]:
            lines += ["", f"**{LABELS[kind].capitalize()}**", ""]
            lines += [f"- {cell(_entry(kind, item))}" for item in report[kind][:50]]
            if len(report[kind]) > 50:
                lines.append(f"- … and {len(report[kind]) - 50} more (see build/changes.json)")
    return "\n".join(lines) + "\n"


@dataclass(slots=True)
class BuildChanges:
    """This build's report, the state to keep, and what the home page shows as new."""

    report: dict[str, Any]
    state: dict[str, Any]
    whats_new: dict[str, Any] | None  # the latest report with changes (this one, or carried over)
    rejected: tuple[Rejected, ...] = ()  # every record of this build that is not on the site

    def save(self, build_dir: Path) -> None:
        """Write ``changes.json``, ``rejected.jsonl`` (as ``papercat ingest`` does) and the state for the next build."""
        state = dict(self.state, whats_new=self.whats_new)
        write_rejections(self.rejected, build_dir / "rejected.jsonl")
        write_atomic(build_dir / CHANGES_FILE, json.dumps(self.report, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
        write_atomic(build_dir / STATE_FILE, json.dumps(state, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n")


def changes_since_last_build(
    build_dir: Path, papers: list[Paper], topics: Mapping[str, tuple[str, tuple[str, ...]]], rejected: list[Rejected]
) -> BuildChanges:
    previous = load_state(build_dir)
    state = build_state(papers, topics, rejected)
    report = compare(previous, state, rejected)
    if has_changes(report):
        whats_new: dict[str, Any] | None = report
    else:
        whats_new = previous.get("whats_new") if previous else None
    return BuildChanges(report, state, whats_new, tuple(rejected))


def read_report(build_dir: Path) -> dict[str, Any] | None:
    try:
        report = json.loads((build_dir / CHANGES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return report if isinstance(report, dict) else None
