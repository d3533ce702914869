"""The ingestion stage: every listing in ``content/`` read, normalized, merged and given an id."""

from __future__ import annotations

import dataclasses
import os
import re
import stat
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PapercatError
from ..model import Notice, Paper, Rejected
from ..parallel import map_in_processes
from ..progress import Progress
from ..readers import READERS, Choice, Document, SourceMeta, choose_reader
from .decode import UndecodableFile, decode_listing
from .merge import TextKeys, find_duplicates, merge_records
from .normalize import blank_invisible_lines
from .paper_ids import IDS_FILE, Fingerprint, assign_stable_ids, load_ids
from .parse_cache import ParseCache, Parsed
from .sources import SOURCES_FILE, load_sources

MAX_FILE_BYTES = 200 * 1024 * 1024
_SKIPPED_NAMES = {SOURCES_FILE, IDS_FILE, "readme.md", "readme.txt", "readme"}


@dataclass(slots=True)
class FileReport:
    """What ingestion made of one listing file."""

    file: str
    reader: str | None
    reason: str
    encoding: str | None = None
    records: int = 0
    papers: int = 0
    merged: int = 0
    rejected: int = 0
    tried: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IngestResult:
    """What ingestion made of the content folder; the one report ``ingest``, ``check``, ``build`` and ``serve`` print."""

    papers: list[Paper]
    rejected: list[Rejected]
    files: list[FileReport]
    notices: list[Notice] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # sources.yml: unknown keys, files that do not exist
    merged_into: dict[str, list[str]] = field(default_factory=dict)  # paper id -> "file:line" of merged records
    sources: Mapping[str, SourceMeta] = field(default_factory=dict)  # sources.yml, read once: file -> metadata
    possible_duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (id, id, why kept apart)
    ids: dict[str, Fingerprint] = field(default_factory=dict)  # what content/papercat-ids.yml should hold

    @property
    def records(self) -> int:
        return sum(f.records for f in self.files)

    @property
    def merged(self) -> int:
        return sum(f.merged for f in self.files)

    def reconciles(self) -> bool:
        return self.records == len(self.papers) + self.merged + len(self.rejected)


@dataclass(frozen=True, slots=True)
class SkippedEntry:
    """An entry of the content folder that is not read, and why (counted as a rejected record)."""

    name: str
    reason: str


# What a file name may hold that no page or terminal may be given as it is: line breaks and other control
# characters, and the marks that change the direction of the text around them.
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def display_name(relative: str) -> str:
    """A path as text that can be printed and written to JSON and pages: bytes that are not UTF-8 shown as
    ``\\xff``, a line break as ``\\n``, any other control or text-direction character as its escape."""
    text = os.fsencode(relative).decode("utf-8", "backslashreplace")
    return _UNSHOWABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def scan_content(content_dir: Path) -> tuple[list[Path], list[SkippedEntry]]:
    """The listing files under the content folder, in a stable order, and the entries that are not read.

    Only regular files inside the folder are read: symbolic links are never followed (a link could
    publish any file of the machine), and named pipes, sockets, devices, folders that cannot be
    read and names that are not UTF-8 are reported with their reason. Hidden entries, README and
    the configuration files (sources.yml, papercat-ids.yml) are passed over silently.
    """
    root = content_dir.resolve()
    files: list[Path] = []
    skipped: list[SkippedEntry] = []

    def walk(folder: Path, prefix: str) -> None:
        try:
            entries = sorted(os.scandir(folder), key=lambda e: os.fsencode(e.name))
        except OSError as err:
            reason = f"cannot read the folder ({err.strerror}); its files are not read"
            skipped.append(SkippedEntry(display_name(prefix.rstrip("/") or "."), reason))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            relative = prefix + entry.name
            name = display_name(relative)
            path = folder / entry.name
            try:
                entry.name.encode("utf-8")
            except UnicodeEncodeError:
                what = "folder" if entry.is_dir(follow_symlinks=False) else "file"
                skipped.append(SkippedEntry(name, f"the {what} name is not valid UTF-8; rename the {what}"))
                continue
            try:
                if entry.is_symlink():
                    target = path.resolve()
                    where = "inside" if target.is_relative_to(root) else "outside"
                    skipped.append(SkippedEntry(
                        name, f"symbolic link to {display_name(str(target))} ({where} the content folder): not followed; "
                        "copy the file into the content folder instead",
                    ))
                elif entry.is_dir(follow_symlinks=False):
                    walk(path, relative + "/")
                elif entry.is_file(follow_symlinks=False):
                    if entry.name.lower() == SOURCES_FILE and prefix:
                        skipped.append(SkippedEntry(
                            name, f"not read: only the content folder's own {SOURCES_FILE} is; "
                            f"move its entries there, each named by its path ({prefix}FILE.txt:)",
                        ))
                    elif entry.name.lower() not in _SKIPPED_NAMES:
                        files.append(path)
                else:
                    kind = _kind(entry.stat(follow_symlinks=False).st_mode)
                    skipped.append(SkippedEntry(name, f"{kind}, not a regular file: not read"))
            except OSError as err:
                skipped.append(SkippedEntry(name, f"cannot read it ({err.strerror})"))

    walk(content_dir, "")
    return sorted(files, key=lambda p: p.relative_to(content_dir).as_posix()), skipped


def listing_files(content_dir: Path) -> list[Path]:
    """Every listing under the content folder, in a stable order (see ``scan_content``)."""
    return scan_content(content_dir)[0]


def _encodable(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# Files a listing is often saved as by mistake, told by their first bytes: what they are, and what to do instead.
_NOT_TEXT = (
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (a .docx, .xlsx or .odt document is one)"),
    (b"\xd0\xcf\x11\xe0", "an old Office document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
)
_HTML = re.compile(r"^\s*(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE)


def _not_text(data: bytes) -> str | None:
    """What a file that is no text listing was saved as, and what to do instead; None for text."""
    kind = next((what for magic, what in _NOT_TEXT if data.startswith(magic)), None)
    return f"{kind}, not a text listing: copy the listing's text into a .txt file" if kind is not None else None


def read_listing(path: Path, name: str, meta: SourceMeta) -> tuple[FileReport, list[Paper], list[Rejected], list[Notice]]:
    """Read one file with the reader its content calls for. Never raises for bad content."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UndecodableFile(f"file is {size // (1024 * 1024)} MB, larger than the {MAX_FILE_BYTES // (1024 * 1024)} MB limit")
        data = path.read_bytes()
        if (kind := _not_text(data)) is not None:
            raise UndecodableFile(kind)
        decoded = decode_listing(data)
    except (UndecodableFile, OSError) as err:
        reason = str(err) if isinstance(err, UndecodableFile) else f"cannot read the file ({err.strerror})"
        # An empty file is rejected too: it is almost always a failed capture, and `papercat check` must say so.
        rejected = Rejected(file=name, line=1, reason=reason, raw="")
        return FileReport(name, None, reason, records=1, rejected=1), [], [rejected], []
    text, blanked = blank_invisible_lines(decoded.text)
    doc = Document(name=name, text=text, encoding=decoded.encoding, meta=meta)
    for note in decoded.notes:
        doc.notice(1, note)
    if blanked:
        doc.notice(1, f"{blanked} line(s) of only invisible characters read as blank lines")
    choice: Choice = choose_reader(doc)
    if choice.reader is None:
        tried = tuple(f"{n} ({d.reason})" for n, d in choice.detections)
        reason = "no reader recognised this file; tried: " + "; ".join(tried)
        if _HTML.match(decoded.text[:512]):
            reason = ("an HTML page's source, not its text: open the page in a browser and copy its text into a .txt file; "
                      + reason)
        else:
            scored = [(detection.score, kind) for kind, detection in choice.detections if detection.score > 0]
            likely = max(scored)[1] if scored else "search-results"  # the kind it came closest to, else the commonest
            kinds = ", ".join(kind for kind, _ in choice.detections)
            reason += f". If it is one of these kinds, name it in {SOURCES_FILE} ({name}: {{format: {likely}}}; one of {kinds})"
        rejected = Rejected(file=name, line=1, reason=reason, raw=decoded.text[:2000])
        report = FileReport(name, None, reason, decoded.encoding, records=1, rejected=1, tried=tried)
        return report, [], [rejected], doc.notices
    papers: list[Paper] = []
    rejects: list[Rejected] = []
    for record in choice.reader.parse(doc):
        if isinstance(record, Paper):
            papers.append(record)
        else:
            rejects.append(record)
    report = FileReport(
        name, choice.reader.name, choice.reason, decoded.encoding,
        records=len(papers) + len(rejects), rejected=len(rejects),
        tried=tuple(f"{n} ({d.reason})" for n, d in choice.detections),
    )
    return report, papers, rejects, doc.notices


def _read_listing(job: tuple[Path, str, SourceMeta]) -> Parsed:
    return read_listing(*job)


def ingest_content(
    content_dir: Path, *, files: Iterable[Path] | None = None, progress: Progress | None = None,
    cache: ParseCache | None = None, jobs: int = 1,
) -> IngestResult:
    """Read every listing, merge duplicates, assign ids; ``progress`` shows it file by file.

    With a ``cache``, a file whose bytes and ``sources.yml`` entry are those of an earlier build
    is taken as that build read it (``generator.ingest.parse_cache``). The other files are read in
    ``jobs`` processes (the result does not depend on it).

    Raises ``PapercatError`` only for a missing content folder or a broken sources.yml (``ConfigError``).
    """
    content_dir = Path(content_dir)
    if files is None and not content_dir.is_dir():
        what = "is a file, not a folder" if content_dir.exists() else "does not exist"
        raise PapercatError(f"content folder {content_dir} {what} (it should hold the listing files)")
    metas, warnings = load_sources(content_dir)
    reports: list[FileReport] = []
    records: list[Paper] = []
    rejected: list[Rejected] = []
    notices: list[Notice] = []
    if files is None:
        paths, skipped = scan_content(content_dir)
        for entry in skipped:  # each counts as one rejected record, so the totals still reconcile
            reports.append(FileReport(entry.name, None, entry.reason, records=1, rejected=1))
            rejected.append(Rejected(file=entry.name, line=1, reason=entry.reason, raw=""))
    else:
        paths = list(files)
    with (progress or Progress.null()).stage("ingest", total=len(paths), unit="files") as step:
        # Each file once: its name checked, its reading taken from the cache or done (in ``jobs`` processes).
        readings: list[Parsed | None] = []
        todo: list[tuple[int, Path, str, SourceMeta, str | None]] = []
        for path in paths:
            name = path.relative_to(content_dir).as_posix() if path.is_relative_to(content_dir) else path.name
            if (shown := display_name(name)) != name:  # no page, feed or log line could name the file as it is
                reason = (
                    "the file name is not valid UTF-8; rename the file" if not _encodable(name)
                    else "the file name holds a line break, a control or a text-direction character; rename the file"
                )
                readings.append(
                    (FileReport(shown, None, reason, records=1, rejected=1), [], [Rejected(file=shown, line=1, reason=reason, raw="")], [])
                )
                step(1)
                continue
            meta = metas.get(name, SourceMeta())
            key, parsed = cache.lookup(name, path, meta, MAX_FILE_BYTES) if cache is not None else (None, None)
            if parsed is None:
                todo.append((len(readings), path, name, meta, key))
            else:
                step(1)
            readings.append(parsed)
        fresh = map_in_processes(_read_listing, [(path, name, meta) for _, path, name, meta, _ in todo], jobs, min_items=8)
        for (index, _, _, _, key), parsed in zip(todo, fresh, strict=True):
            if key is not None and cache is not None:
                cache.put(key, parsed)
            readings[index] = parsed
            step(1)
        for reading in readings:
            assert reading is not None
            report, papers, rejects, file_notices = reading
            reports.append(report)
            records.extend(papers)
            rejected.extend(rejects)
            notices.extend(file_notices)
        if cache is not None:
            cache.close()
        return _merge(content_dir, records, rejected, reports, notices, warnings, metas)


def _merge(
    content_dir: Path,
    records: list[Paper], rejected: list[Rejected], reports: list[FileReport], notices: list[Notice], warnings: list[str],
    metas: Mapping[str, SourceMeta],
) -> IngestResult:
    """Group duplicate records into papers, count them per file and give every paper its id."""
    by_file = {r.file: r for r in reports}
    merged_papers: list[Paper] = []
    merged_from: list[list[str]] = []
    keys = [TextKeys.of(r) for r in records]
    groups, possible = find_duplicates(records, keys)
    paper_keys: list[TextKeys | None] = []  # a paper that is one record has that record's keys
    paper_of: dict[int, int] = {}
    for group in groups:
        members = [records[i] for i in group]
        paper = merge_records(members) if len(members) > 1 else members[0]
        # The record whose source comes first is the paper; the others count as merged duplicates.
        first = min(members, key=lambda p: min(p.sources))
        by_file[min(first.sources).file].papers += 1
        for other in members:
            if other is not first:
                by_file[min(other.sources).file].merged += 1
        for index in group:
            paper_of[index] = len(merged_papers)
        merged_papers.append(paper)
        paper_keys.append(keys[group[0]] if len(group) == 1 else None)
        merged_from.append([f"{s.file}:{s.line}" for m in members if m is not first for s in m.sources])

    ids, record = assign_stable_ids(merged_papers, load_ids(content_dir) if content_dir.is_dir() else {}, paper_keys)
    del keys, paper_keys
    merged_papers = [dataclasses.replace(paper, id=paper_id) for paper, paper_id in zip(merged_papers, ids, strict=True)]
    pairs = {
        tuple(sorted((merged_papers[paper_of[d.first]].id, merged_papers[paper_of[d.second]].id))): d.reason
        for d in possible
    }
    possible_duplicates = [(a, b, why) for (a, b), why in sorted(pairs.items())]
    merged_into = {p.id: m for p, m in zip(merged_papers, merged_from, strict=True) if m}
    merged_papers.sort(key=lambda p: p.id)
    rejected.sort(key=lambda r: (r.file, r.line))
    return IngestResult(merged_papers, rejected, reports, notices, warnings, merged_into, metas, possible_duplicates, record)


def ingest_messages(result: IngestResult) -> list[str]:
    """The lines ``ingest``, ``check``, ``build`` and ``serve`` all print: sources.yml warnings, rejected records."""
    lines = [f"warning: {warning}" for warning in result.warnings]
    lines += [f"rejected: {r.file}:{r.line}: {r.reason}" for r in result.rejected]
    return lines


def reader_names() -> list[str]:
    return [r.name for r in READERS]


def summary_table(result: IngestResult) -> str:
    """The per-file table ``papercat ingest`` prints, with a totals row that reconciles."""
    header = ("file", "reader", "records", "papers", "merged", "rejected")
    rows = [
        (f.file, f.reader or "-", str(f.records), str(f.papers), str(f.merged), str(f.rejected)) for f in result.files
    ]
    rows.append(("total", "", str(result.records), str(len(result.papers)), str(result.merged), str(len(result.rejected))))
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def fmt(row: tuple[str, ...]) -> str:
        return "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))

    rule = "  ".join("-" * w for w in widths)
    lines = [fmt(header), rule, *(fmt(r) for r in rows[:-1]), rule, fmt(rows[-1])]
    check = "reconciles" if result.reconciles() else "DOES NOT RECONCILE"
    lines.append(
        f"records read {result.records} = papers {len(result.papers)} + merged {result.merged} + rejected {len(result.rejected)} ({check})"
    )
    counts = Counter(r.reader for r in result.rejected)
    if counts:
        lines.append("rejections by reader: " + ", ".join(f"{k or 'file'}: {v}" for k, v in sorted(counts.items(), key=str)))
    return "\n".join(lines)
