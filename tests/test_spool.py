"""Generated pages kept on disk during a build (``generator/site/spool.py``), and cache entries
written while the build runs: what a large catalogue's build holds in memory does not grow with
its pages, and nothing is left behind in the temporary folder."""

from __future__ import annotations

import gc
import hashlib
import os
import subprocess
from pathlib import Path

import pytest
from site_fixtures import HOSTILE, PAPERCAT, copy_project

from generator.site import page_cache as page_cache_module
from generator.site.page_cache import PageCache
from generator.site.spool import Spool, SpoolError


def test_a_spool_gives_back_text_as_text_and_bytes_as_bytes() -> None:
    spool = Spool()
    spool.put("papers/a.md", "---\ntitle: \"é <b>\"\n---\n")
    spool.put("downloads/catalogue.json.gz", b"\x1f\x8b\x00")
    spool.put("downloads/catalogue.bib", "@article{a}\n")
    spool.put("papers/a.md", "---\ntitle: again\n---\n")  # a later put replaces the file
    assert spool["papers/a.md"] == "---\ntitle: again\n---\n"
    assert spool["downloads/catalogue.json.gz"] == b"\x1f\x8b\x00"
    assert dict(spool.markdown()) == {"papers/a.md": "---\ntitle: again\n---\n"}
    assert dict(spool.others()) == {"downloads/catalogue.bib": "@article{a}\n", "downloads/catalogue.json.gz": b"\x1f\x8b\x00"}
    assert Path(spool.markdown().file("papers/a.md")).read_text(encoding="utf-8") == "---\ntitle: again\n---\n"
    with pytest.raises(KeyError):
        spool["papers/b.md"]


def test_files_written_by_another_process_are_adopted() -> None:
    spool = Spool()
    writer = spool.writer()
    writer.put("downloads/topic.bib", "@misc{x}\n")
    writer.put("downloads/all.gz", b"\x00\x01")
    assert "downloads/topic.bib" not in spool
    spool.adopt(writer.written)
    assert spool["downloads/topic.bib"] == "@misc{x}\n" and spool["downloads/all.gz"] == b"\x00\x01"


def test_a_spool_is_removed_when_closed_or_no_longer_used() -> None:
    closed = Spool()
    closed.put("a.md", "a")
    folder = closed.folder
    closed.close()
    assert not folder.exists()

    dropped = Spool()
    dropped.put("b.md", "b")
    folder = dropped.folder
    del dropped
    gc.collect()
    assert not folder.exists()


def test_a_page_kept_in_the_page_cache_is_written_only_when_something_reads_it() -> None:
    kept = {"k1": "---\ntitle: a\n---\n", "k2": "---\ntitle: b\n---\n"}
    asked: list[list[str]] = []

    def fetch(keys: list[str]) -> dict[str, str]:
        asked.append(sorted(keys))
        return {key: kept[key] for key in keys if key in kept}

    spool = Spool(fetch=fetch)
    spool.put_kept("papers/a/index.md", kept["k1"], "k1")
    spool.put_kept("papers/b/index.md", kept["k2"], "k2")
    spool.put("index.md", "home")
    view = spool.markdown()
    assert list(view) == ["index.md", "papers/a/index.md", "papers/b/index.md"]
    assert not Path(view.file("papers/a/index.md")).exists() and not Path(view.file("papers/b/index.md")).exists()
    # Its digest is known without the file: the rendering decides from it whether the page is reused.
    assert view.digest("papers/a/index.md") == hashlib.sha256(kept["k1"].encode()).hexdigest()
    view.materialise(["papers/b/index.md", "index.md", "not/spooled.md"])
    assert Path(view.file("papers/b/index.md")).read_text(encoding="utf-8") == kept["k2"]
    assert not Path(view.file("papers/a/index.md")).exists()
    assert view["papers/a/index.md"] == kept["k1"]  # read through the spool: fetched and written first
    assert asked == [["k2"], ["k1"]]
    view.materialise(["papers/a/index.md", "papers/b/index.md"])  # written once only
    assert asked == [["k2"], ["k1"]]


def test_a_kept_page_the_cache_lost_is_a_clear_error_not_a_wrong_page() -> None:
    spool = Spool(fetch=lambda keys: {"k1": "changed behind the build's back"})
    spool.put_kept("papers/a/index.md", "the page", "k1")
    spool.put_kept("papers/b/index.md", "another page", "k2")
    with pytest.raises(SpoolError, match="papers/a/index.md.*--clean"):
        spool.materialise(["papers/a/index.md"])
    with pytest.raises(SpoolError, match="papers/b/index.md"):
        spool["papers/b/index.md"]


def test_without_a_fetch_a_kept_page_is_written_at_once() -> None:
    spool = Spool()
    spool.put_kept("papers/a/index.md", "the page", "k1")
    assert spool.file("papers/a/index.md").read_text(encoding="utf-8") == "the page"


def test_cache_entries_are_written_as_they_pile_up_and_kept_by_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(page_cache_module, "FLUSH_BYTES", 100)
    path = tmp_path / "page-cache.sqlite3"
    cache = PageCache(path)
    cache.lookup(["k1", "k2", "k3"])
    cache.add("k1", "x" * 60)
    cache.add("k2", "y" * 60)  # over the limit: both are in the file now, before the build is done
    assert PageCache(path).lookup(["k1", "k2"]) == {"k1": "x" * 60, "k2": "y" * 60}
    cache.add("k3", "z")
    cache.save()
    assert PageCache(path).lookup(["k1", "k2", "k3"]) == {"k1": "x" * 60, "k2": "y" * 60, "k3": "z"}


def test_a_cache_is_not_written_into_a_folder_that_does_not_exist_yet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(page_cache_module, "FLUSH_BYTES", 10)
    folder = tmp_path / "build"
    cache = PageCache(folder / "page-cache.sqlite3")
    cache.add("k", "a long page text")
    assert not folder.exists()  # kept until the build has made its folder
    folder.mkdir()
    cache.save()
    assert PageCache(folder / "page-cache.sqlite3").lookup(["k"]) == {"k": "a long page text"}


@pytest.mark.site
def test_a_build_leaves_nothing_in_the_temporary_folder(tmp_path: Path) -> None:
    project = tmp_path / "project"
    copy_project(project, HOSTILE)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    env = {**os.environ, "TMPDIR": str(temporary)}
    proc = subprocess.run(
        [str(PAPERCAT), "build", "--jobs", "2"], cwd=project, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert (project / "site" / "index.html").is_file()
    assert sorted(p.name for p in temporary.iterdir()) == [], "the build left files in the temporary folder"
    assert not list((project / "build").glob(".spool-*")), "the build left its spool in the build folder"


def test_the_spool_of_a_killed_build_is_removed_by_the_next_build(tmp_path: Path) -> None:
    from generator.site.spool import PREFIX, remove_stale

    build = tmp_path / "build"
    left = build / f"{PREFIX}abc" / "papers"
    left.mkdir(parents=True)
    (left / "a.md").write_text("x", encoding="utf-8")
    (build / "page-cache.sqlite3").write_text("", encoding="utf-8")
    remove_stale(build)
    assert sorted(p.name for p in build.iterdir()) == ["page-cache.sqlite3"]
