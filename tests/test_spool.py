"""Generated pages kept on disk during a build (``generator/site/spool.py``), and cache entries
written while the build runs: what a large catalogue's build holds in memory does not grow with
its pages, and nothing is left behind in the temporary folder."""

from __future__ import annotations

import gc
import os
import subprocess
from pathlib import Path

import pytest
from site_fixtures import HOSTILE, PAPERCAT, copy_project

from generator.site import page_cache as page_cache_module
from generator.site.page_cache import PageCache
from generator.site.spool import Spool


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
