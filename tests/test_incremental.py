"""Incremental, parallel and cluster builds give the site a clean full build gives, byte for byte.

A small project (three listings) is built once. Each case copies it with its site/ and build
state, makes one kind of change, builds again incrementally, then builds the same inputs with
``--clean`` and compares the two sites file by file. The cases also check that the incremental
build did reuse pages where the change allows it, and says why it was a full one where not.
Killed builds are real: a child process exits at a point of the state writing.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest
import yaml
from site_fixtures import CONFIG, ROOT, own_copy, tree_digest

from generator.site.build import BuildReport, Project, build_site
from generator.site.render import RenderOptions

pytestmark = pytest.mark.site

LISTINGS = ROOT / "tests" / "fixtures" / "listings"
BASE = ("real_daily_002.txt", "real_topic_000.txt", "daily_invented.txt")


def _build(project: Project, **options: object) -> BuildReport:
    return build_site(project, render=RenderOptions(**options))  # type: ignore[arg-type]


def _site(project: Project) -> Path:
    return project.root / "site"


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("incremental") / "project"
    (root / "content").mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(CONFIG, root / "site_config")
    for name in ("topics.yml", "overrides.yml", "templates/pages/paper.md.j2"):  # the project's own copies, edited below
        own_copy(root / "site_config", name)
    for name in BASE:
        shutil.copy(LISTINGS / name, root / "content" / name)
    report = _build(Project.at(root))
    assert report.rendering is not None and report.rendering.full_reason == "no saved build state"
    assert report.site_dir == root / "site" and (root / "build" / "render-state.sqlite3").is_file()
    return root


@pytest.fixture
def project(built_once: Path, tmp_path: Path) -> Project:
    root = tmp_path / "project"
    shutil.copytree(built_once, root, symlinks=True)
    return Project.at(root)


def _same_as_clean(project: Project) -> BuildReport:
    """Build incrementally, then from scratch; the two sites must be identical. Returns the first report."""
    report = _build(project)
    incremental = tree_digest(_site(project))
    _build(project, clean=True)
    clean = tree_digest(_site(project))
    assert incremental.keys() == clean.keys(), sorted(incremental.keys() ^ clean.keys())[:5]
    differing = sorted(path for path in clean if incremental[path] != clean[path])
    assert not differing, f"the incremental build differs from a clean one in {differing[:5]}"
    return report


def _edit(path: Path, change: Callable[[str], str]) -> None:
    path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")


MERGED_LISTING = textwrap.dedent(
    """\
    Get trending papers in your email inbox!
    SubscribeSparse Lattice Adapters for Low-Resource Speech Recognition
    {SPARSE_LATTICE}
    Reward Shaping with Language Feedback for Household Robots
    {REWARD_SHAPING}
    Load more
    """
).format(
    SPARSE_LATTICE=(
        "Speech recognisers for low-resource languages rarely have enough labelled audio to fine-tune every weight. "
        "We attach sparse lattice adapters to a frozen encoder and train only 0.8% of the parameters. "
        "On eleven languages the adapters match full fine-tuning while using a fraction of the memory."
    ),
    REWARD_SHAPING=(
        "Household robots learn slowly from sparse rewards. We let people comment on a robot's attempts in plain "
        "language and turn each comment into a shaped reward for reinforcement learning. With ten minutes of feedback "
        "the robot learns table-setting tasks three times faster than with task rewards alone."
    ),
)


def test_unchanged_inputs_reuse_every_paper_page(project: Project) -> None:
    report = _same_as_clean(project)
    assert report.rendering is not None and report.rendering.full_reason is None
    assert report.rendering.reused > 20 and report.rendering.written <= 7  # only the pages in the navigation


def test_listing_added(project: Project) -> None:
    shutil.copy(LISTINGS / "real_daily_004.txt", (project.root / 'content') / "real_daily_004.txt")
    report = _same_as_clean(project)
    assert report.rendering is not None and report.rendering.full_reason is None
    assert report.rendering.reused > 0 and report.rendering.written > 7


def test_listing_removed(project: Project) -> None:
    ((project.root / 'content') / "daily_invented.txt").unlink()
    report = _same_as_clean(project)
    assert report.rendering is not None and report.rendering.full_reason is None
    gone = _site(project) / "papers" / "sparse-lattice-adapters-for-low-resource-speech-recognition"
    assert report.rendering.removed > 0 and not gone.exists()


def test_listing_edited(project: Project) -> None:
    _edit((project.root / 'content') / "daily_invented.txt", lambda t: t.replace("fourfold", "fivefold"))
    report = _same_as_clean(project)
    assert report.rendering is not None and report.rendering.full_reason is None and report.rendering.reused > 0
    page = _site(project) / "papers" / "gradient-echoes-memory-efficient-backpropagation-through-time" / "index.html"
    assert "fivefold" in page.read_text(encoding="utf-8")


ECHOES_FOLLOW_UP = (
    "Daily Papers\n\nbyAK and the research community\n\nSubscribe\n\nnew\n\nGet trending papers in your email inbox!\n\n"
    "Mar 6\n\nCheckpointed Gradient Echoes for Recurrent Training\n\n"
    "Backpropagation through time keeps every intermediate state of a recurrent network in memory. We replay the forward "
    "pass from sparse checkpoints, reconstruct the missing states from gradient echoes, and cut training memory on long "
    "sequences with the same accuracy.\n\n  • 2 authors\n·\nMar 6\n"
)


def test_new_related_papers_are_put_into_pages_without_rendering_them_again(project: Project) -> None:
    """A new paper close to an existing one joins its related papers; that page is updated, not rendered again."""
    echoes = _site(project) / "papers" / "gradient-echoes-memory-efficient-backpropagation-through-time" / "index.html"
    assert "Checkpointed Gradient Echoes" not in echoes.read_text(encoding="utf-8")
    (project.root / "content" / "daily_follow_up.txt").write_text(ECHOES_FOLLOW_UP, encoding="utf-8")
    report = _build(project)
    assert report.rendering is not None and report.rendering.full_reason is None
    assert report.rendering.updated >= 1 and "with new related papers" in report.rendering.summary()
    page = echoes.read_text(encoding="utf-8")
    related = page[page.index('<div class="pc-related"') :]
    assert "Checkpointed Gradient Echoes for Recurrent Training" in related.split("</ul>")[0]
    assert page.count("<!--pc:related-->") == 1 and page.count("<!--/pc:related-->") == 1
    _same_as_clean(project)


def test_a_paper_template_without_the_related_papers_place_is_rendered_again(project: Project) -> None:
    """A project's own paper.md.j2 that leaves the related papers out: pages are rendered, never patched blindly."""
    template = own_copy(project.root / "site_config", "templates/pages/paper.md.j2")
    _edit(template, lambda t: t.replace("{{ related_block }}\n", "<p>No related papers here.</p>\n"))
    _build(project)
    (project.root / "content" / "daily_follow_up.txt").write_text(ECHOES_FOLLOW_UP, encoding="utf-8")
    report = _same_as_clean(project)
    assert report.rendering is not None and report.rendering.full_reason is None and report.rendering.updated == 0
    page = _site(project) / "papers" / "gradient-echoes-memory-efficient-backpropagation-through-time" / "index.html"
    assert "No related papers here." in page.read_text(encoding="utf-8") and "pc-related" not in page.read_text(encoding="utf-8")


def test_paper_merged_into_another(project: Project) -> None:
    ((project.root / 'content') / "search_dup.txt").write_text(MERGED_LISTING, encoding="utf-8")
    report = _same_as_clean(project)
    assert report.ingest.merged >= 1
    assert report.rendering is not None and report.rendering.full_reason is None


def test_topic_renamed(project: Project) -> None:
    topics = (project.root / 'site_config') / "topics.yml"
    data = yaml.safe_load(topics.read_text(encoding="utf-8"))
    data["topics"][0]["name"] = "Renamed topic"
    topics.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    report = _same_as_clean(project)
    assert report.rendering is not None and report.rendering.full_reason == "site_config/topics.yml changed"


def test_override_added(project: Project) -> None:
    topics = yaml.safe_load(((project.root / 'site_config') / "topics.yml").read_text(encoding="utf-8"))
    slug = topics["topics"][-1]["slug"]
    ((project.root / 'site_config') / "overrides.yml").write_text(
        f"sparse-lattice-adapters-for-low-resource-speech-recognition: {slug}\n", encoding="utf-8"
    )
    report = _same_as_clean(project)
    assert report.rendering is not None and report.rendering.full_reason == "site_config/overrides.yml changed"


def test_template_edited(project: Project) -> None:
    _edit((project.root / 'site_config') / "templates" / "pages" / "paper.md.j2", lambda t: t + "\n<p>Edited template</p>\n")
    report = _same_as_clean(project)
    assert report.rendering is not None and report.rendering.full_reason == "site_config/templates/pages/paper.md.j2 changed"
    page = next((_site(project) / "papers").glob("*/index.html"))
    assert "Edited template" in page.read_text(encoding="utf-8")


def test_mkdocs_yml_edited(project: Project) -> None:
    _edit(project.mkdocs_file, lambda t: t.replace("site_name: papercat catalogue", "site_name: An edited catalogue"))
    report = _same_as_clean(project)
    assert report.rendering is not None and report.rendering.full_reason == "mkdocs.yml changed"
    page = next((_site(project) / "papers").glob("*/index.html"))
    assert "An edited catalogue" in page.read_text(encoding="utf-8")


def test_site_file_edited_by_hand_is_rendered_again(project: Project) -> None:
    page = next((_site(project) / "papers").glob("*/index.html"))
    original = page.read_bytes()
    page.write_bytes(original.replace(b"</body>", b"<p>tampered</p></body>"))
    _build(project)
    assert page.read_bytes() == original


KILL_POINTS = ("site in place", "begin", "rows written", "before commit")


@pytest.mark.parametrize("point", KILL_POINTS)
def test_build_killed_while_saving_state(project: Project, point: str) -> None:
    """A build that dies at a point of the state writing, then a change undone: the next build is still exact."""
    shutil.copy(LISTINGS / "real_daily_004.txt", (project.root / 'content') / "real_daily_004.txt")
    script = textwrap.dedent(
        f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from pathlib import Path
        from generator.site.render import state
        from generator.site.build import Project, build_site
        from generator.site.render import RenderOptions

        def die(point):
            if point == {point!r}:
                os._exit(9)

        state._reached = die
        project = Project.at(Path({str(project.root)!r}))
        build_site(project, render=RenderOptions())
        """
    )
    killed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert killed.returncode == 9, killed.stderr
    ((project.root / 'content') / "real_daily_004.txt").unlink()  # back to the inputs the saved state may describe
    _same_as_clean(project)


def _stopped_before_the_swap(project: Project, env: dict[str, str] | None = None) -> Path:
    """``papercat build`` in a process that ends once MkDocs is done, before the new site replaces the old; its folder."""
    run_env = {k: v for k, v in os.environ.items() if not k.startswith("PAPERCAT_")} | {"PAPERCAT_FAULT": "built", **(env or {})}
    run = subprocess.run(
        [sys.executable, "-m", "generator", "build"], cwd=project.root, env=run_env, capture_output=True, text=True, timeout=600
    )
    assert run.returncode == 70, run.stderr
    (staging,) = project.root.glob(".site.building-*")
    return staging


def _reused_paper_page(project: Project, staging: Path, added: bytes = b"") -> Path:
    """A paper page of the previous site that the new build took unchanged (``added`` at its end by a hook)."""
    for page in sorted((_site(project) / "papers").glob("*/index.html")):
        new = staging / page.relative_to(_site(project))
        if new.is_file() and new.read_bytes() == page.read_bytes() + added:
            return page
    raise AssertionError("no paper page was reused")


def test_reused_pages_are_linked_to_the_previous_site_not_copied(project: Project) -> None:
    """A daily build does not copy every unchanged page (3 GB at 100,000 papers); the previous site stays as it was."""
    shutil.copy(LISTINGS / "real_daily_004.txt", project.root / "content" / "real_daily_004.txt")
    before = tree_digest(_site(project))
    staging = _stopped_before_the_swap(project)
    page = _reused_paper_page(project, staging)
    assert (staging / page.relative_to(_site(project))).stat().st_ino == page.stat().st_ino
    assert tree_digest(_site(project)) == before


def test_a_hook_that_rewrites_the_site_in_place_gets_copies(project: Project) -> None:
    """With a plugin or hook of its own handling on_post_build, the previous site is never written through a link."""
    (project.root / "rewrite.py").write_text(
        textwrap.dedent(
            """\
            import os
            from pathlib import Path

            def on_post_build(config, **kwargs):
                if os.environ.get("REWRITE_PAGES"):  # as a minifier would: every page, in place
                    for page in Path(config.site_dir).glob("papers/*/index.html"):
                        with page.open("ab") as f:
                            f.write(b"<!-- rewritten -->")
            """
        ),
        encoding="utf-8",
    )
    _edit(project.root / "mkdocs.yml", lambda text: text + "\nhooks:\n  - rewrite.py\n")
    _build(project)
    shutil.copy(LISTINGS / "real_daily_004.txt", project.root / "content" / "real_daily_004.txt")
    before = tree_digest(_site(project))
    staging = _stopped_before_the_swap(project, {"REWRITE_PAGES": "1"})
    page = _reused_paper_page(project, staging, added=b"<!-- rewritten -->")
    assert (staging / page.relative_to(_site(project))).stat().st_ino != page.stat().st_ino
    assert tree_digest(_site(project)) == before


def test_jobs_do_not_change_the_site(project: Project) -> None:
    import tempfile

    def scratch() -> set[str]:
        return {p.name for p in Path(tempfile.gettempdir()).glob("papercat-render-*")}

    _build(project, clean=True, jobs=1)
    one = tree_digest(_site(project))
    before = scratch()
    report = _build(project, clean=True, jobs=2, pages_per_process=1)
    assert report.rendering is not None and report.rendering.workers == "2 processes"
    assert tree_digest(_site(project)) == one
    assert scratch() - before == set(), "the rendering processes left their scratch folders behind"


# A build in a process of its own (forking is safe only with no other thread, and a test session has
# some): it counts the search jobs it forks and, with a failure, breaks the function they run.
_SEARCH_BUILD = """
import inspect, json, os, signal, sys
from pathlib import Path
from generator import parallel
from generator.errors import PapercatError
from generator.site import search_job
from generator.site.build import Project, build_site
from generator.site.render import RenderOptions, engine
from generator.site.search import SearchIndexFailed

root, failure, clean = sys.argv[1:4]
started = []
early = []  # whether each search job started before MkDocs (as soon as the site model was made)
forked = []  # the functions forked processes ran
real = search_job.SearchJob.start.__func__
real_fork = parallel.ForkedCall.start.__func__

def start(cls, *args, **kwargs):
    job = real(cls, *args, **kwargs)
    started.append(job is not None)
    early.append(any(frame.function == "_model_made" for frame in inspect.stack()))
    return job

def fork(cls, function, *args):
    call = real_fork(cls, function, *args)
    if call is not None:
        forked.append(function.__name__)
    return call

search_job.SearchJob.start = classmethod(start)
parallel.ForkedCall.start = classmethod(fork)
engine.PLACE_FORK_AT = int(os.environ.get("PLACE_FORK_AT", engine.PLACE_FORK_AT))
engine.FORK_RENDER_AT = int(os.environ.get("FORK_RENDER_AT", engine.FORK_RENDER_AT))

def broken(*args, **kwargs):
    if failure == "killed":  # as the system's out-of-memory killer would
        os.kill(os.getpid(), signal.SIGKILL)
    raise SearchIndexFailed("the search index could not be written to search-index: No space left on device")

if failure != "none":
    search_job.index_search = broken
try:
    report = build_site(Project.at(Path(root)), render=RenderOptions(jobs=2, clean=clean == "clean"))
    out = {"started": started, "early": early, "forked": forked, "workers": report.rendering.workers,
           "written": report.rendering.written, "updated": report.rendering.updated,
           "reused": report.search_reused, "documents": len(report.ingest.papers) + len(report.prepared.model.topics_used)}
except PapercatError as err:
    out = {"started": started, "early": early, "error": str(err)}
print(json.dumps(out))
"""


def _build_forking_search(
    project: Project, *, failure: str = "none", clean: bool = False, env: dict[str, str] | None = None
) -> dict[str, Any]:
    run = subprocess.run(
        [sys.executable, "-c", _SEARCH_BUILD, str(project.root), failure, "clean" if clean else "incremental"],
        cwd=project.root, capture_output=True, text=True, timeout=600,
        env={k: v for k, v in os.environ.items() if not k.startswith("PAPERCAT_")} | (env or {}),
    )
    assert run.returncode == 0, run.stderr
    return cast(dict[str, Any], json.loads(run.stdout.strip().splitlines()[-1]))


def test_the_search_index_written_beside_mkdocs_is_the_same_and_its_cache_kept(project: Project) -> None:
    """With few pages to render, MkDocs renders them here while a forked process writes the search index."""
    _build(project, clean=True, jobs=1)
    one = tree_digest(_site(project))
    first = _build_forking_search(project, clean=True)
    assert first["started"] == [True] and first["workers"] == "this process"
    assert tree_digest(_site(project)) == one
    # What the forked process read from the search cache and added to it is the build's: the next builds reuse it.
    again = _build_forking_search(project)
    assert again["started"] == [True] and again["reused"] == again["documents"]
    assert _build(project, jobs=1).search_reused == again["documents"]
    assert tree_digest(_site(project)) == one


def test_a_daily_build_starts_its_search_index_early_and_places_pages_in_a_process(project: Project) -> None:
    """A build that redoes little writes its search index from the moment its site model is made (before MkDocs
    empties the site folder), puts the unchanged pages, and those with new related papers, into the new site from
    a forked process, and renders half of its pages in another; the site is the same as a clean build's."""
    shutil.copy(LISTINGS / "real_daily_004.txt", project.root / "content" / "real_daily_004.txt")
    out = _build_forking_search(project, env={"PLACE_FORK_AT": "1", "FORK_RENDER_AT": "2"})
    assert out["started"] == [True] and out["early"] == [True]
    assert "_place_all" in out["forked"] and "_render_list" in out["forked"]
    assert out["workers"] == "this process and a forked one" and out["written"] > 2 and out["updated"] > 0
    assert out["reused"] > 0
    incremental = tree_digest(_site(project))
    assert not (_site(project) / ".search-index.building").exists()
    _build(project, clean=True)
    assert tree_digest(_site(project)) == incremental
    # A clean build renders every page: its search index starts beside MkDocs, not before.
    clean = _build_forking_search(project, clean=True, env={"PLACE_FORK_AT": "1"})
    assert clean["early"] == [False] and "_place_all" not in clean["forked"]
    assert tree_digest(_site(project)) == incremental


@pytest.mark.parametrize("failure", ["error", "killed"])
def test_a_search_index_process_that_fails_leaves_the_previous_site(project: Project, failure: str) -> None:
    before = tree_digest(_site(project))
    shutil.copy(LISTINGS / "real_daily_004.txt", (project.root / "content") / "real_daily_004.txt")
    out = _build_forking_search(project, failure=failure)
    assert out["started"] == [True]
    expected = "No space left on device" if failure == "error" else "stopped unexpectedly (out of memory?)"
    assert expected in out["error"]
    assert tree_digest(_site(project)) == before
    assert not list(project.root.glob(".site.building-*"))  # the half-built site is gone


def test_cluster_build_matches_local_build(project: Project) -> None:
    import distributed  # in the test extra: installed by dev.py
    _build(project, clean=True)
    local = tree_digest(_site(project))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        report = _build(project, clean=True, cluster=cluster.scheduler_address)
    assert report.rendering is not None and report.rendering.workers.startswith("Dask cluster")
    cluster_site = tree_digest(_site(project))
    assert cluster_site == local


def test_same_site_as_mkdocs_build(project: Project, tmp_path: Path) -> None:
    """The sharded build writes exactly what ``mkdocs build`` writes from the same Markdown."""
    from mkdocs.commands.build import build as mkdocs_build

    from generator.site.build import load_mkdocs_config

    _build(project, clean=True, jobs=2, pages_per_process=1)
    ours = tree_digest(_site(project))
    config = load_mkdocs_config(dataclasses.replace(project, site_dir=tmp_path / "mkdocs-site"))
    mkdocs_build(config)
    theirs = tree_digest(tmp_path / "mkdocs-site")
    assert ours.keys() == theirs.keys(), sorted(ours.keys() ^ theirs.keys())[:5]
    assert [path for path in ours if ours[path] != theirs[path]] == []


def test_paper_template_reading_the_whole_catalogue_is_rendered_again(project: Project) -> None:
    """A paper page that shows a catalogue-wide figure is never taken from the page cache."""
    template = (project.root / "site_config") / "templates" / "pages" / "paper.md.j2"
    _edit(template, lambda t: t + "\n<p>One of {{ model.papers | length }} papers</p>\n")
    first = _build(project)
    page = next((_site(project) / "papers").glob("*/index.html"))
    before = first.ingest.papers
    assert f"One of {len(before)} papers" in page.read_text(encoding="utf-8")
    shutil.copy(LISTINGS / "real_daily_004.txt", (project.root / "content") / "real_daily_004.txt")
    report = _same_as_clean(project)
    assert len(report.ingest.papers) > len(before)
    assert f"One of {len(report.ingest.papers)} papers" in page.read_text(encoding="utf-8")


def test_page_cache_takes_unchanged_paper_pages(project: Project) -> None:
    from generator.site.page_cache import CACHE_NAME

    assert (project.root / "build" / CACHE_NAME).is_file()
    report = _build(project)
    assert report.markdown_reused == len(report.ingest.papers) > 5
    assert report.listings_reused == len(BASE)
    assert report.search_reused == len(report.ingest.papers) + len(report.prepared.model.topics_used)
    clean = _build(project, clean=True)
    assert clean.markdown_reused == 0 and clean.listings_reused == 0 and clean.search_reused == 0


def _spooled_papers(project: Project, monkeypatch: pytest.MonkeyPatch) -> tuple[BuildReport, list[str]]:
    """Build; the paper pages the build wrote into its spool."""
    from generator.site import spool as spool_module

    written: list[str] = []
    write = spool_module.put_file

    def put_file(path: str | Path, data: bytes) -> None:
        if "papers" in Path(path).parts:
            written.append(Path(path).name)
        write(path, data)

    monkeypatch.setattr(spool_module, "put_file", put_file)
    return _build(project), written


def test_a_reused_paper_page_is_taken_from_the_cache_without_being_written_out(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    report, written = _spooled_papers(project, monkeypatch)
    assert report.rendering is not None and report.rendering.written <= 7
    assert report.markdown_reused == len(report.ingest.papers) > 5
    assert written == []


def test_pages_rendered_again_are_written_out_before_mkdocs_reads_them(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    _edit(project.mkdocs_file, lambda t: t.replace("site_name: papercat catalogue", "site_name: An edited catalogue"))
    report, written = _spooled_papers(project, monkeypatch)
    assert report.rendering is not None and report.rendering.full_reason == "mkdocs.yml changed"
    assert report.markdown_reused == len(report.ingest.papers) == len(set(written))
    page = next((_site(project) / "papers").glob("*/index.html"))
    assert "An edited catalogue" in page.read_text(encoding="utf-8")


def test_with_another_plugin_every_page_is_written_out(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """A hook or plugin of the project's own may read any page's Markdown: every one is there to read."""
    (project.root / "hook.py").write_text("def on_files(files, config):\n    return files\n", encoding="utf-8")
    _edit(project.root / "mkdocs.yml", lambda text: text + "\nhooks:\n  - hook.py\n")
    _build(project)
    report, written = _spooled_papers(project, monkeypatch)  # nothing changed: every paper page's HTML reused
    assert report.rendering is not None and report.rendering.full_reason is None and report.rendering.written <= 7
    assert report.markdown_reused == len(report.ingest.papers) == len(set(written))


def _listing_renders(project: Project, monkeypatch: pytest.MonkeyPatch) -> tuple[BuildReport, list[str]]:
    """Build; the topic and month pages whose Markdown the build rendered from their templates."""
    from generator.site.pages import PageRenderer

    rendered: list[str] = []
    render = PageRenderer._render

    def spy(self: PageRenderer, name: str, path: str, *args: object, **kwargs: object) -> str:
        if name in ("topic.md.j2", "month.md.j2"):
            rendered.append(path)
        return render(self, name, path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(PageRenderer, "_render", spy)
    return _build(project), rendered


def test_topic_and_month_pages_of_the_same_papers_come_from_the_page_cache(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    report, rendered = _listing_renders(project, monkeypatch)
    assert report.rendering is not None and report.rendering.full_reason is None
    assert rendered == []
    _build(project, jobs=2)  # looked up in forked processes: still kept for the next build
    assert _listing_renders(project, monkeypatch)[1] == []
    month = sorted(p for p in report.prepared.pages if p.startswith("months/2") and "/page/" not in p)[-1]
    (project.root / "content" / "one_more.yml").write_text(
        yaml.safe_dump({"papers": [{
            "title": "Legged Robots That Learn to Walk on Ice",
            "abstract": "A quadruped robot learns a locomotion policy for icy ground in simulation and keeps it on the real robot.",
            "date": f"{month[7:14]}-12",
        }]}), encoding="utf-8",
    )
    report, rendered = _listing_renders(project, monkeypatch)
    paper = next(p for p in report.ingest.papers if p.title.startswith("Legged Robots"))
    shown_on = {month, *(f"topics/{t.slug}.md" for t in report.prepared.model.topics_of(paper))}
    assert set(rendered) == shown_on  # the pages the new paper is on, and no other
    incremental = tree_digest(_site(project))
    _build(project, clean=True)
    assert tree_digest(_site(project)) == incremental


def test_a_new_paper_leaves_the_later_pages_of_its_listings_to_the_cache_and_to_the_previous_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Of a long listing, a paper of a new year renders its first page again, not its later ones."""
    from site_fixtures import paged_project, write_listing

    papers = [{
        "title": f"Semantic Segmentation of Scenes {i:02d} with Image Transformers",
        "abstract": f"We study semantic segmentation of street scenes with image transformers, number {i}.",
        "date": f"2024-{1 + i // 10:02d}-{10 + i % 10:02d}",
    } for i in range(40)]
    project = Project.at(paged_project(tmp_path / "paged", papers, 5))
    first = _build(project)
    later = sorted(p for p in first.prepared.pages if p.startswith("topics/") and "/page/" in p)
    assert len(later) >= 5
    write_listing(project.root / "content" / "new.yml", [{
        "title": "Semantic Segmentation of Harbour Scenes with Image Transformers",
        "abstract": "We study semantic segmentation of harbour scenes with image transformers in the new year.",
        "date": "2025-01-03",
    }])
    report, rendered = _listing_renders(project, monkeypatch)
    assert len(report.ingest.papers) == 41
    assert [p for p in rendered if "/page/" in p] == []  # neither a new year nor one more paper changes them
    assert report.rendering is not None and report.rendering.full_reason is None
    site = _site(project)
    assert '"2025"' in (site / "topics" / later[0].split("/")[1] / "choices.json").read_text(encoding="utf-8")
    incremental = tree_digest(site)
    _build(project, clean=True)
    assert tree_digest(site) == incremental


def test_a_listing_template_that_reads_the_whole_listing_is_rendered_every_time(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page that shows more of its listing than its own papers and their number is never taken from the cache."""
    template = own_copy(project.root / "site_config", "templates/pages/topic.md.j2")
    _edit(template, lambda text: text + "\n<p>Newest in this topic: {{ papers[0].title }}</p>\n")
    _build(project)
    report, rendered = _listing_renders(project, monkeypatch)
    listings = [p for p in report.prepared.pages if p.startswith(("topics/", "months/")) and not p.endswith("/index.md")]
    assert sorted(rendered) == sorted(listings)
    shutil.copy(LISTINGS / "real_daily_004.txt", project.root / "content" / "real_daily_004.txt")
    _same_as_clean(project)


@pytest.mark.parametrize("name", ["page-cache.sqlite3", "parse-cache.sqlite3", "render-state.sqlite3", "search-cache.sqlite3"])
def test_damaged_state_files_give_a_clean_build(project: Project, name: str) -> None:
    """A state or cache file that is not a database any more is ignored, never trusted."""
    (project.root / "build" / name).write_bytes(b"not a database\n" * 100)
    _edit((project.root / "content") / "daily_invented.txt", lambda t: t.replace("fourfold", "fivefold"))
    _same_as_clean(project)


def test_damaged_compiled_templates_are_compiled_again(project: Project) -> None:
    """The templates Jinja compiled in the last build are kept, and one damaged on disk is never run."""
    compiled = sorted((project.root / "build" / "compiled-templates").iterdir())
    assert len(compiled) >= 10  # MkDocs', Material's and papercat's templates
    for path in compiled:
        path.write_bytes(path.read_bytes()[:40] + b"\0" * 64)  # cut short, as a build killed while writing it leaves it
    _edit(project.root / "site_config" / "templates" / "pages" / "paper.md.j2", lambda text: text + "\nEdited after compiling.\n")
    _same_as_clean(project)
    assert "Edited after compiling." in next((_site(project) / "papers").glob("*/index.html")).read_text(encoding="utf-8")


def test_topics_of_unchanged_papers_come_from_the_cache_and_agree(project: Project) -> None:
    """The keyword topics kept by the last build are those a fresh classification gives."""
    from generator.site.build import BuildCaches, load_topic_config
    from generator.topics import classify

    report = _build(project)
    taxonomy, overrides = load_topic_config(project.root / "site_config")
    caches = BuildCaches.at(project.root / "build")
    cached = classify(report.ingest.papers, taxonomy, overrides=overrides, cache=caches.topics)
    assert caches.topics.hits == len(report.ingest.papers) - len(overrides)
    assert cached == classify(report.ingest.papers, taxonomy, overrides=overrides) == report.prepared.assignments


def _cached_paths(workflow: Path) -> list[str]:
    """The paths the workflow's build job saves to the Actions cache (and restores on its next run)."""
    steps = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    saved = [s for s in steps if str(s.get("uses", "")).startswith("actions/cache/save@")]
    restored = [s for s in steps if str(s.get("uses", "")).startswith(("actions/cache/restore@", "actions/cache@"))]
    assert saved and restored, f"{workflow} keeps nothing between runs"
    paths = [p for s in saved for p in s["with"]["path"].split()]
    assert sorted(paths) == sorted(p for s in restored for p in s["with"]["path"].split())
    return paths


WORKFLOWS = {
    "repository": ROOT / ".github" / "workflows" / "site.yml",
    "papercat new": ROOT / "generator" / "defaults" / "project" / "github" / "workflows" / "site.yml",
}


@pytest.mark.parametrize("workflow", WORKFLOWS.values(), ids=WORKFLOWS.keys())
def test_what_the_ci_workflow_caches_is_a_state_the_next_run_builds_from(project: Project, tmp_path: Path, workflow: Path) -> None:
    """A CI run starts from a fresh checkout plus what the last run put in the cache: the build takes it up and renders
    only the new listing's pages, and the change report names the new papers."""
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    for name in ("mkdocs.yml", "content", "site_config"):
        source = project.root / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, checkout / name)
    for path in _cached_paths(workflow):  # what actions/cache restores: the saved paths, as they were
        source = project.root / path
        assert source.exists(), f"{workflow.name} caches {path}, which a build does not write"
        (checkout / path).parent.mkdir(parents=True, exist_ok=True)
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, checkout / path, **({"symlinks": True} if source.is_dir() else {}))
    shutil.copy(LISTINGS / "search_invented.txt", checkout / "content" / "search_invented.txt")
    report = _build(Project.at(checkout))
    assert report.rendering is not None and report.rendering.full_reason is None, report.rendering.full_reason
    assert report.rendering.reused > report.rendering.written
    added = report.changes.get("added", [])
    assert not report.changes.get("baseline") and added and len(added) < len(report.ingest.papers)


def test_the_new_projects_workflow_publishes_from_its_default_branch_and_never_cancels_a_deployment() -> None:
    workflow = yaml.safe_load(WORKFLOWS["papercat new"].read_text(encoding="utf-8"))
    assert workflow["concurrency"]["cancel-in-progress"] is False
    assert workflow["jobs"]["deploy"]["if"] == "github.ref_name == github.event.repository.default_branch"
    assert set(workflow[True]["push"]["branches"]) == {"main", "master"}  # YAML 1.1 reads the key "on" as true
    setup = next(s for s in workflow["jobs"]["build"]["steps"] if str(s.get("uses", "")).startswith("actions/setup-python@"))
    assert setup["with"]["cache"] == "pip"  # the daily run does not download every dependency again
    repository = yaml.safe_load(WORKFLOWS["repository"].read_text(encoding="utf-8"))
    assert repository["concurrency"]["cancel-in-progress"] == "${{ github.ref != 'refs/heads/main' }}"


@pytest.mark.parametrize("workflow", WORKFLOWS.values(), ids=WORKFLOWS.keys())
def test_the_ci_workflow_warns_when_a_build_recorded_paper_ids_not_committed(tmp_path: Path, workflow: Path) -> None:
    """Ids recorded on a runner are lost with it: the log and the run's annotations say to commit them."""
    steps = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]["build"]["steps"]
    (script,) = [s["run"] for s in steps if "papercat-ids.yml" in str(s.get("run", ""))]
    (tmp_path / "content").mkdir()
    ids = tmp_path / "content" / "papercat-ids.yml"
    ids.write_text("a: t=1\n", encoding="utf-8")
    git = ["git", "-c", "user.name=ci", "-c", "user.email=ci@example.org"]
    for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "listings"]):
        subprocess.run([*git, *command], cwd=tmp_path, check=True)

    def run() -> str:
        return subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, check=True, capture_output=True, text=True).stdout

    assert run() == ""  # committed: nothing to say
    ids.write_text("a: t=1\nb: t=2\n", encoding="utf-8")
    assert run().startswith("::warning file=content/papercat-ids.yml::")


def test_a_build_with_no_previous_site_says_it_renders_every_page(project: Project) -> None:
    """The state is there but the site it describes is not (site/ deleted, a new --site-dir): a full build, said so."""
    shutil.rmtree(_site(project))
    report = _build(project)
    assert report.rendering is not None
    assert report.rendering.full_reason == "no previous site to take the pages from"
    assert report.rendering.reused == 0 and report.rendering.written > 0
