"""The change report across builds: papers added, removed, edited, merged differently, moved topic,
new rejections; ``build/changes.json``, the printed summary, and the home page's "What's new",
which a rebuild of the same inputs keeps byte for byte."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from site_fixtures import CONFIG, LISTING_PAPERS, PAPERCAT, ROOT, listing_paper, tree_digest, write_listing

from generator.errors import ConfigError
from generator.model import Rejected
from generator.site.build import Project, build_site
from generator.site.changes import build_state, compare, markdown, summary

pytestmark = pytest.mark.site  # builds sites and runs the papercat command
paper = listing_paper
PAPERS = LISTING_PAPERS
REMOVED, EDITED, DUPLICATED, MOVED = "Speech Recognition in Noise", "Graph Networks for Molecules", \
    "Robot Grasping from Pixels", "Diffusion Models for Images"



@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    root = tmp_path_factory.mktemp("changes") / "project"
    root.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(CONFIG, root / "site_config")
    (root / "content").mkdir()
    write_listing(root / "content" / "main.yml", PAPERS)
    return Project.at(
        root, content=root / "content", config=root / "site_config", site_dir=root / "site", build_dir=root / "build"
    )


def _report(project: Project) -> dict:
    return json.loads((project.build_dir / "changes.json").read_text(encoding="utf-8"))


def _home(project: Project) -> str:
    return (project.site_dir / "index.html").read_text(encoding="utf-8")


def _id(project: Project, title: str) -> str:
    state = json.loads((project.build_dir / "state.json").read_text(encoding="utf-8"))
    return next(pid for pid, entry in state["papers"].items() if entry["title"] == title)


def test_changes_across_builds(project: Project) -> None:
    # 1. A first build has nothing to compare with: a baseline, and no "What's new" on the home page.
    first = build_site(project)
    assert first.changes == {"baseline": True, "papers": 5, "rejections": 0} == _report(project)
    assert "What's new" not in _home(project)
    assert "first build with this build folder (5 papers" in summary(first.changes)
    baseline_site = tree_digest(project.site_dir)

    # 2. The same inputs again: no change, the same site byte for byte.
    again = build_site(project)
    assert again.changes["baseline"] is False and not any(again.changes[k] for k in ("added", "removed", "changed"))
    assert summary(again.changes) == "changes: none since the last build"
    assert tree_digest(project.site_dir) == baseline_site

    state = project.build_dir / "state.json"
    state_before = state.read_bytes()
    # 3. Add, remove, edit, merge a duplicate in from a second listing, move a topic, add a bad record.
    moved_id, duplicated_id, edited_id = _id(project, MOVED), _id(project, DUPLICATED), _id(project, EDITED)
    previous_topic = json.loads((project.build_dir / "state.json").read_text())["papers"][moved_id]["topics"][0]
    new_topic = "robotics" if previous_topic != "robotics" else "audio"
    papers = [p for p in PAPERS if p["title"] != REMOVED]
    papers = [dict(p, abstract=str(p["abstract"]) + " Revised with a new ablation.") if p["title"] == EDITED else p for p in papers]
    papers.append(paper("Tiny Language Models on Phones", "Small language models run on mobile phones."))
    write_listing(project.content_dir / "main.yml", papers)
    write_listing(project.content_dir / "more.yml", [
        dict(next(p for p in PAPERS if p["title"] == DUPLICATED)),
        "a list item that is not a paper",
    ])
    overrides = project.config_dir / "overrides.yml"
    overrides.write_text(f"{moved_id}: {new_topic}\n", encoding="utf-8")
    proc = subprocess.run([str(PAPERCAT), "build"], cwd=project.root, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    report = _report(project)
    added_id = _id(project, "Tiny Language Models on Phones")
    assert [a["id"] for a in report["added"]] == [added_id]
    assert [r["title"] for r in report["removed"]] == [REMOVED]
    assert report["changed"] == [{"id": edited_id, "title": EDITED, "fields": ["abstract"]}]
    assert [(m["id"], m["records_before"], m["records_after"], m["listings_after"]) for m in report["merged_differently"]] == [
        (duplicated_id, 1, 2, ["main.yml", "more.yml"])
    ]
    assert [(t["id"], t["topics_before"][0], t["topics_after"][0]) for t in report["topic_changes"]] == [
        (moved_id, previous_topic, new_topic)
    ]
    assert [(r["file"], r["reason"]) for r in report["new_rejections"]] == [("more.yml", report["new_rejections"][0]["reason"])]
    # Every rejection of the build, listed where `papercat ingest` lists them.
    listed = [json.loads(line) for line in (project.build_dir / "rejected.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["file"], r["line"]) for r in listed] == [("more.yml", report["new_rejections"][0]["line"])]
    # The printed summary names each kind of change.
    assert (
        "changes since the last build: 1 added, 1 removed, 1 changed, 1 merged differently, 1 moved topic, 1 new rejections"
        in proc.stdout
    )
    assert f"  removed: {REMOVED}" in proc.stdout and f"  changed: {EDITED} (abstract)" in proc.stdout
    # The home page says what is new, with links to the papers that exist.
    home = _home(project)
    assert "What's new" in home
    assert f'href="papers/{added_id}/"' in home and "Tiny Language Models on Phones" in home
    assert f"<strong>Removed:</strong> <bdi>{REMOVED}</bdi>" in home
    assert "more.yml, line" in home
    # The Markdown summary for a CI job summary.
    text = markdown(report)
    assert text.startswith("### Catalogue changes") and "| added | 1 |" in text and f"- {REMOVED}" in text
    proc = subprocess.run(
        [str(PAPERCAT), "changes", "--markdown"], cwd=project.root, capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0 and proc.stdout == text
    changed_site = tree_digest(project.site_dir)
    changes_bytes = (project.build_dir / "changes.json").read_bytes()

    # 4. Rebuilding the same inputs keeps "What's new" (the latest build that changed something):
    #    the site is byte-identical, and changes.json says nothing changed since.
    build_site(project)
    assert tree_digest(project.site_dir) == changed_site
    assert not any(_report(project)[k] for k in ("added", "removed", "changed", "merged_differently", "topic_changes"))

    # 5. Deterministic: the same inputs compared with the same earlier state give the same bytes.
    state.write_bytes(state_before)
    build_site(project)
    assert (project.build_dir / "changes.json").read_bytes() == changes_bytes
    assert tree_digest(project.site_dir) == changed_site


def test_a_failed_build_keeps_the_previous_state(project: Project) -> None:
    state = (project.build_dir / "state.json").read_bytes()
    (project.root / "mkdocs.yml").write_text((project.root / "mkdocs.yml").read_text() + "\nnot: [valid\n", encoding="utf-8")
    try:
        with pytest.raises(ConfigError):
            build_site(project)
    finally:
        (project.root / "mkdocs.yml").write_text(
            (project.root / "mkdocs.yml").read_text().replace("\nnot: [valid\n", ""), encoding="utf-8")
    assert (project.build_dir / "state.json").read_bytes() == state


def test_changes_command_without_a_build(tmp_path: Path) -> None:
    proc = subprocess.run([str(PAPERCAT), "changes"], cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False,
                          env={k: v for k, v in os.environ.items() if k != "PAPERCAT_DEBUG"})
    assert proc.returncode == 1 and "no change report" in proc.stderr and "Traceback" not in proc.stderr


def test_the_markdown_summary_shows_titles_and_rejections_as_text() -> None:
    """A CI job summary renders the Markdown (GitHub's is CommonMark): a title's link, image, emphasis, code or HTML
    must stay characters."""
    from markdown_it import MarkdownIt

    from generator.site.changes import KINDS

    title = "Results [click here](https://evil.example/phish) ![px](https://evil.example/t.png) **URGENT** `rm -rf` <b>x</b>"
    reason = "unknown field '**bold key** [l](https://evil.example)'"
    report: dict[str, object] = {kind: [] for kind in KINDS}
    report |= {"added": [{"id": "results", "title": title}], "new_rejections": [{"file": "bad.yml", "line": 2, "reason": reason}]}
    html = MarkdownIt("commonmark").enable("table").render(markdown(report))
    assert "<a " not in html and "<img" not in html and "<strong>URGENT" not in html and "<code>" not in html and "<b>" not in html
    assert "Results [click here](https://evil.example/phish) ![px](https://evil.example/t.png) **URGENT** `rm -rf` &lt;b&gt;x" in html
    assert "unknown field '**bold key** [l](https://evil.example)'" in html.replace("&#x27;", "'")


def test_two_alike_rejections_count_as_two_and_a_third_alike_is_new() -> None:
    """A listing with the same page text twice (two "View / Share" rows) has two rejections, in every count."""
    row = [Rejected(file="a.txt", line=line, reason="a result with no abstract", raw="View\nShare") for line in (16, 35)]
    first = build_state([], {}, row)
    assert compare(None, first, row) == {"baseline": True, "papers": 0, "rejections": 2}
    moved = [Rejected(file="a.txt", line=line, reason="a result with no abstract", raw="View\nShare") for line in (17, 36, 52)]
    report = compare(first, build_state([], {}, moved), moved)
    assert [r["line"] for r in report["new_rejections"]] == [52] and report["rejections_gone"] == 0
    report = compare(first, build_state([], {}, moved[:1]), moved[:1])
    assert report["new_rejections"] == [] and report["rejections_gone"] == 1
