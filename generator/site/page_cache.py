"""The paper pages' Markdown of the last build, reused when everything a page shows is the same.

A paper page is rendered from ``paper.md.j2`` with the paper, its topic assignment, its citation
key and the capture dates of its listings (its related papers are put into its HTML later, see
``fragments``), plus a few global things: the templates, the site configuration folder,
papercat's code and the versions of Jinja and PyYAML, the site settings and whether URLs are
folders. The key of a page is the SHA-256 of all of
them, so a page is reused only when it would be rendered from exactly the same inputs. Before
using the cache the template (and every template it includes) is checked to read nothing of the
site model but ``model.taxonomy`` and ``model.captured``; a template that reads anything else
(``model.papers | length``, say) turns the cache off for the build.

A topic or month page is kept the same way. Its key covers what its template is given: the
page's place in the listing and its links to the others, the key of each row it shows (the paper
and its topics), the number of papers in the whole listing, its years and the topics' names, the
topic itself. Its templates are checked to read nothing of the whole listing but that number
(``papers | length``) and nothing of the model but ``model.taxonomy``; else listing pages are
rendered every build. A daily listing then renders again only the pages its papers are on.

The cache is one SQLite file under ``build/`` (``page-cache.sqlite3``). Its entries are keyed
by their inputs, so an entry written by a build that was killed afterwards is still right;
entries the build did not use are dropped once the site is in place.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..sqlite_cache import keep_used, transaction

if TYPE_CHECKING:
    import jinja2

    from ..model import Paper
    from .view import SiteModel

CACHE_NAME = "page-cache.sqlite3"
SCHEMA = 2
# What of the site model a paper page may read; anything else makes its Markdown depend on the whole catalogue.
ALLOWED_MODEL_ATTRIBUTES = frozenset({"taxonomy", "captured", "listing_url"})  # each in PaperKeys.key
# What of the site model a topic or month page may read (``listing_key`` covers the rest of what it is given).
LISTING_MODEL_ATTRIBUTES = frozenset({"taxonomy"})
_BATCH = 500
FLUSH_BYTES = 32 * 2**20  # what is added is written to the file once this much is waiting


def template_reads_only_its_paper(env: jinja2.Environment, name: str) -> bool:
    """Whether ``name`` (and the templates it includes) reads only the allowed parts of ``model``."""
    return template_reads_only(env, name, ALLOWED_MODEL_ATTRIBUTES)


def template_reads_only(
    env: jinja2.Environment, name: str, model_attributes: frozenset[str], counted: frozenset[str] = frozenset()
) -> bool:
    """Whether ``name`` (and the templates it includes) reads of ``model`` only ``model_attributes``,
    and of each name in ``counted`` only its length (``papers | length``)."""
    from jinja2 import nodes

    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        assert env.loader is not None
        source, filename, _ = env.loader.get_source(env, current)
        tree = env.parse(source, current, filename)  # a syntax error names its file and line
        for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
            template = getattr(node, "template", None)
            if not isinstance(template, nodes.Const) or not isinstance(template.value, str):
                return False  # a template chosen at render time: cannot tell what it reads
            todo.append(template.value)
        allowed = {
            id(node.node) for node in tree.find_all(nodes.Getattr)
            if isinstance(node.node, nodes.Name) and node.node.name == "model" and node.attr in model_attributes
        }
        allowed |= {
            id(node.node) for node in tree.find_all(nodes.Filter)
            if node.name == "length" and isinstance(node.node, nodes.Name) and node.node.name in counted
        }
        for macro in tree.find_all(nodes.Macro):  # a macro's own argument of that name is not the page's
            arguments = {argument.name for argument in macro.args}
            allowed |= {id(argument) for argument in macro.args}
            allowed |= {id(n) for statement in macro.body for n in statement.find_all(nodes.Name) if n.name in arguments}
        watched = {"model", *counted}
        if any(node.name in watched and id(node) not in allowed for node in tree.find_all(nodes.Name)):
            return False
    return True


def _digest(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False, default=repr).encode()).hexdigest()


def _key(*parts: object) -> str:
    """The SHA-256 of a fixed-order tuple of strings and tuples (its ``repr`` is unambiguous)."""
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def listing_key(*parts: object) -> str:
    """The key of a topic or month page: the global key, the template, the page and what it is given (``PageRenderer``)."""
    return _key("listing", *parts)


def paper_digest(paper: Paper) -> str:
    """A digest of every field of a paper: the dataclass ``repr`` lists them all, in declaration order."""
    return hashlib.sha256(repr(paper).encode()).hexdigest()


class PaperKeys:
    """The cache keys of what is made from one paper of a site model: its page, its listing row, its downloads.

    Each paper is digested once per build; a key is the digest of that and of whatever else the
    piece shows (topics, related papers, citation key, listings' capture dates and addresses), with the global key.
    """

    def __init__(self, model: SiteModel, global_key: str) -> None:
        self.model = model
        self.global_key = _key(global_key, repr(model.settings))
        self._papers: dict[str, str] = {}

    def digest(self, paper: Paper) -> str:
        found = self._papers.get(paper.id)
        if found is None:
            found = self._papers[paper.id] = paper_digest(paper)
        return found

    def key(self, paper: Paper, cite_key: str) -> str:
        """The paper's page: the paper, its topic assignment, citation key and its listings' capture dates and
        addresses (not its related papers)."""
        model = self.model
        captured = tuple((s.file, model.captured.get(s.file), model.listing_url(s.file)) for s in paper.sources)
        return _key("page", self.global_key, self.digest(paper), repr(model.assignments[paper.id]), cite_key, captured)

    def related_key(self, paper: Paper) -> str:
        """What the page's related papers list is made from: the papers it names, in order."""
        model = self.model
        related = tuple(self.digest(model.by_id[i]) for i in model.related.get(paper.id, []) if i in model.by_id)
        return _key("related", self.global_key, self.digest(paper), related)

    def _topics(self, paper: Paper) -> tuple[str, tuple[str, ...]]:
        assignment = self.model.assignments[paper.id]
        return assignment.primary, tuple(assignment.secondary)

    def row_key(self, paper: Paper) -> str:
        """The paper's row in the listings: the paper and its topics."""
        return _key("row", self.global_key, self.digest(paper), self._topics(paper))

    def bibtex_key(self, paper: Paper, cite_key: str) -> str:
        """The paper's entry in the BibTeX downloads: the paper and its citation key."""
        return _key("bibtex", self.global_key, self.digest(paper), cite_key)

    def record_key(self, paper: Paper, cite_key: str) -> str:
        """The paper's record in the JSON downloads: the paper, its topics, citation key and related paper ids."""
        related = tuple(self.model.related.get(paper.id, []))
        return _key("record", self.global_key, self.digest(paper), self._topics(paper), cite_key, related)


class PageCache:
    """``build/page-cache.sqlite3``: page Markdown by the key of its inputs."""

    def __init__(self, path: Path, *, read: bool = True) -> None:
        self.path = path
        self.read = read  # False (--clean): every page is rendered, the cache only written
        self.used: set[str] = set()
        self._new: dict[str, str | bytes] = {}  # added, not yet written
        self._pending = 0  # the size of what is in ``_new``
        self.hits = 0  # entries taken from the cache (of the page cache: paper pages)

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None)
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute("CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, text TEXT NOT NULL)")
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if row is None or row[0] != str(SCHEMA):
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("DELETE FROM pages")
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
            conn.execute("COMMIT")
        return conn

    def lookup(self, keys: Sequence[str], *, count: bool = True) -> dict[str, str]:
        """The cached Markdown of those keys that have it, fetched in batches (never the whole cache at once).

        ``count``: add what was found to ``hits`` (else the caller counts what it means to).
        """
        found: dict[str, str] = self._fetch(keys)
        if count:
            self.hits += len(found)
        return found

    def lookup_bytes(self, keys: Sequence[str]) -> dict[str, bytes]:
        """``lookup`` for values kept as bytes (``add_bytes``)."""
        return {key: value for key, value in self._fetch(keys).items() if isinstance(value, bytes)}

    def _fetch(self, keys: Sequence[str]) -> dict[str, Any]:
        self.used.update(keys)
        if not self.read or not self.path.is_file():
            return {}
        found: dict[str, Any] = {}
        try:
            conn = self._connect()
            try:
                for start in range(0, len(keys), _BATCH):
                    batch = list(keys[start : start + _BATCH])
                    marks = ",".join("?" * len(batch))
                    found.update(conn.execute(f"SELECT key, text FROM pages WHERE key IN ({marks})", batch).fetchall())
            finally:
                conn.close()
        except sqlite3.DatabaseError:
            return {}  # an unreadable cache is no cache
        return found

    def add(self, key: str, text: str) -> None:
        self._add(key, text)

    def add_bytes(self, key: str, data: bytes) -> None:
        self._add(key, data)

    def _add(self, key: str, value: str | bytes) -> None:
        self._new[key] = value
        self._pending += len(value)
        if self._pending >= FLUSH_BYTES:
            self.flush()

    def _open(self) -> sqlite3.Connection:
        try:
            return self._connect()
        except sqlite3.DatabaseError:  # a damaged cache is started afresh
            self.path.unlink(missing_ok=True)
            return self._connect()

    def flush(self) -> None:
        """Write what was added so far, so that it is not all held in memory until the build is done.

        Only into a folder that already exists (the build folder, once papercat owns it). An entry
        is keyed by everything it was made from, so it is right whatever the build does next; the
        ones no build uses are dropped by ``save``.
        """
        if not self._new or not self.path.parent.is_dir():
            return
        conn = self._open()
        try:
            with transaction(conn):
                conn.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?)", self._new.items())
        finally:
            conn.close()
        self.used.update(self._new)
        self._new.clear()
        self._pending = 0

    def save(self) -> None:
        """Write the pages rendered in this build and drop those it did not use, in one transaction."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = self._open()
        try:
            keep_used(conn, "pages", self.used, self._new.items(), 2)
        finally:
            conn.close()
        self._new.clear()
        self._pending = 0


def chunks(items: Iterable[Paper], size: int = _BATCH) -> Iterator[list[Paper]]:
    batch: list[Paper] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def global_key(template_dirs: Sequence[Path], config_dir: Path, directory_urls: bool, code: Mapping[str, str]) -> str:
    """What every paper page depends on besides its own inputs."""
    files: dict[str, str] = {}
    for index, folder in enumerate([*template_dirs, config_dir]):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    files[f"{index}/{path.relative_to(folder).as_posix()}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return _digest({"schema": SCHEMA, "files": files, "directory_urls": directory_urls, "code": dict(code)})


TEMPLATES_CACHE = "compiled-templates"  # under build/: the templates as Jinja compiled them


def compiled_templates(folder: Path) -> jinja2.BytecodeCache:
    """Jinja's cache of compiled templates in ``folder`` (made if need be), for an environment's ``bytecode_cache``.

    Compiling MkDocs', Material's and papercat's templates takes about half a second a build. A
    compiled template is kept under its name and the checksum of its source (Jinja's
    ``FileSystemBytecodeCache``, which also checks the Python version): an edited template is
    compiled again, and so is one whose kept file is damaged. A file that cannot be written is
    not kept.
    """
    import jinja2

    class KeptTemplates(jinja2.FileSystemBytecodeCache):
        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # noqa: BLE001 - whatever the damage, the template is compiled from its source
                bucket.reset()

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    folder.mkdir(parents=True, exist_ok=True)
    return KeptTemplates(str(folder))
