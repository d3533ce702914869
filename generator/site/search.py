"""Site search: a Pagefind index of compact per-page records, loaded in chunks by the reader's browser.

Material's built-in search ships the whole catalogue as one JSON file that the browser turns
into a Lunr index on every fresh visit (18.5 MB and 5 s at 10,000 papers). Pagefind splits the
index into small compressed chunks and fetches only those a query needs, so a search transfers a
few hundred kilobytes at any catalogue size, and a reader who never searches transfers nothing.

papercat does not let Pagefind parse the built pages: it writes one small HTML record per
paper (title, abstract, venue, authors; date and topics as metadata; topic, year and venue as
filters) into ``build/search/`` and runs the Pagefind binary (PyPI ``pagefind[bin]``) over that
folder. Indexing memory then grows with the text that is searched, not with the pages' HTML.
Every value is HTML-escaped; Pagefind reads it back as text.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import subprocess
import unicodedata
from collections.abc import Iterator
from html import escape
from pathlib import Path

import cbor2

from ..errors import PapercatError
from ..model import Paper
from .text import plain_text
from .urls import page_url, paper_path
from .view import SiteModel, date_label

SEARCH_DIR = "search"  # under the build folder: the records Pagefind indexes
BUNDLE_DIR = "pagefind"  # under the site: the index and Pagefind's script


class SearchIndexFailed(PapercatError):
    """The Pagefind binary could not index the search records."""


def _record_path(path: str, *, directory_urls: bool) -> str:
    """The record's file, placed so Pagefind gives it the page's URL (``papers/x/index.html`` → ``/papers/x/``)."""
    url = page_url(path, directory_urls=directory_urls)
    return url + "index.html" if url.endswith("/") or not url else url


def _meta(name: str, value: str) -> str:
    return f'<meta data-pagefind-meta="{name}[content]" content="{escape(value)}">'


def _filter(name: str, value: str) -> str:
    return f'<meta data-pagefind-filter="{name}[content]" content="{escape(value)}">'


def _document(title: str, body: list[str], head: list[str], *, weight: int) -> str:
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>'
        f"{escape(title)}</title></head><body><main data-pagefind-body>"
        + "".join(head)
        + f'<h1 data-pagefind-weight="{weight}" data-pagefind-meta="title">{escape(title)}</h1>'
        + "".join(body)
        + "</main></body></html>\n"
    )


def paper_record(model: SiteModel, paper: Paper) -> str:
    title = plain_text(paper.title)
    topics = model.topics_of(paper)
    head = [
        _meta("date", date_label(paper)),
        _meta("topics", json.dumps([[t.slug, t.name] for t in topics], ensure_ascii=False)),
        *(_filter("topic", t.name) for t in topics),
        _filter("year", str(paper.year) if paper.year else "undated"),
    ]
    body = []
    # The LaTeX source and the title in plain letters too (AstroM$^3$, AstroM3), so a title typed
    # as a listing writes it, or as a keyboard does, is found.
    for variant in dict.fromkeys((paper.title, unicodedata.normalize("NFKD", title))):
        if variant != title:
            body.append(f'<p data-pagefind-weight="5">{escape(variant)}</p>')
    body.append(f"<p>{escape(plain_text(paper.abstract))}</p>" if paper.abstract else "")
    if paper.venue:
        head.append(_filter("venue", paper.venue))
        body.append(f'<p data-pagefind-weight="2">{escape(paper.venue)}</p>')
    if paper.authors:
        body.append(f"<p>{escape(', '.join(paper.authors))}</p>")
    return _document(title, body, head, weight=7)


def search_records(model: SiteModel, *, directory_urls: bool = True) -> Iterator[tuple[str, str]]:
    """``(record file, HTML)`` for every paper, newest first.

    Topics are not records: the Search page carries the short list of topics and puts those whose
    name matches the query above the papers, so a topic's name finds its page first.
    """
    for paper in model.papers:
        yield _record_path(paper_path(paper), directory_urls=directory_urls), paper_record(model, paper)


def pagefind_binary() -> Path:
    from pagefind.service import get_executable

    binary = get_executable()
    if binary is None:
        raise SearchIndexFailed("the Pagefind binary is missing: reinstall papercat (it needs the 'pagefind[bin]' package)")
    return binary


def index_search(records_dir: Path, bundle_dir: Path) -> None:
    """Run Pagefind over ``records_dir``, writing the search bundle to ``bundle_dir``."""
    command = [
        str(pagefind_binary()), "--site", str(records_dir), "--output-path", str(bundle_dir),
        "--force-language", "en", "--silent",
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not (bundle_dir / "pagefind.js").is_file():
        details = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise SearchIndexFailed("Pagefind could not index the search records:\n" + "\n".join(details))
    _canonical_filters(bundle_dir)
    for extra in ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                  "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js"):
        (bundle_dir / extra).unlink(missing_ok=True)  # papercat's own search page uses the JS API only


_SIGNATURE = b"pagefind_dcd"


def _read_chunk(path: Path) -> object:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise SearchIndexFailed(f"unexpected Pagefind file {path.name}: no signature")
    return cbor2.loads(data[len(_SIGNATURE) :])


def _write_chunk(folder: Path, stem: str, suffix: str, value: object, digits: int) -> str:
    """Write ``value`` as Pagefind does (signature, CBOR, gzip), named by a hash of its content."""
    data = _SIGNATURE + cbor2.dumps(value)
    name = f"{stem}_{hashlib.sha256(data).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(data, mtime=0))
    return name


def _canonical_filters(bundle_dir: Path) -> None:
    """Make Pagefind's filter files byte-identical from build to build.

    Pagefind 1.5 writes the values of each filter in hash-map order, which changes from run to
    run, and names the files (and the metadata file listing them) by a hash of their bytes. The
    values are sorted here, the files renamed by their new content, and the metadata and entry
    file updated; the index and fragment files are already deterministic.
    """
    entry_path = bundle_dir / "pagefind-entry.json"
    entry_text = entry_path.read_text(encoding="utf-8")
    entry = json.loads(entry_text)
    for language, info in sorted(entry["languages"].items()):
        meta_path = bundle_dir / f"pagefind.{info['hash']}.pf_meta"
        meta = _read_chunk(meta_path)
        if not isinstance(meta, list) or len(meta) < 4 or not isinstance(meta[3], list):
            raise SearchIndexFailed(f"unexpected layout of {meta_path.name}")
        filters = []
        for name, old_hash in meta[3]:
            old_path = bundle_dir / "filter" / f"{old_hash}.pf_filter"
            chunk = _read_chunk(old_path)
            if isinstance(chunk, list) and len(chunk) == 2 and isinstance(chunk[1], list):
                chunk = [chunk[0], sorted(chunk[1], key=lambda pair: str(pair[0]))]
            old_path.unlink()
            filters.append([name, _write_chunk(bundle_dir / "filter", language, ".pf_filter", chunk, 7)])
        meta[3] = sorted(filters)
        meta_path.unlink()
        new_hash = _write_chunk(bundle_dir, f"pagefind.{language}", ".pf_meta", meta, 10).removeprefix("pagefind.")
        entry_text = entry_text.replace(f'"hash":"{info["hash"]}"', f'"hash":"{new_hash}"')
    entry_path.write_text(entry_text, encoding="utf-8")
