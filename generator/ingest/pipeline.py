"""The ingestion stage: every listing in ``content/`` read, normalized, merged and given an id."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import PapercatError
from ..model import Notice, Paper, Rejected
from ..progress import Progress
from ..readers import READERS, Choice, Document, SourceMeta, choose_reader
from ..text import text_key
from .decode import UndecodableFile, decode_listing
from .merge import find_duplicate_groups, merge_records
from .slugs import assign_ids
from .sources import SOURCES_FILE, load_sources

MAX_FILE_BYTES = 200 * 1024 * 1024
_SKIPPED_NAMES = {SOURCES_FILE, "readme.md", "readme.txt", "readme"}


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

    @property
    def records(self) -> int:
        return sum(f.records for f in self.files)

    @property
    def merged(self) -> int:
        return sum(f.merged for f in self.files)

    def reconciles(self) -> bool:
        return self.records == len(self.papers) + self.merged + len(self.rejected)


def listing_files(content_dir: Path) -> list[Path]:
    """Every listing under the content folder, in a stable order (hidden files, README and sources.yml skipped)."""
    found = [
        path
        for path in content_dir.rglob("*")
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(content_dir).parts)
        and path.name.lower() not in _SKIPPED_NAMES
    ]
    return sorted(found, key=lambda p: p.relative_to(content_dir).as_posix())


def _encodable(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_listing(path: Path, name: str, meta: SourceMeta) -> tuple[FileReport, list[Paper], list[Rejected], list[Notice]]:
    """Read one file with the reader its content calls for. Never raises for bad content."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UndecodableFile(f"file is {size // (1024 * 1024)} MB, larger than the {MAX_FILE_BYTES // (1024 * 1024)} MB limit")
        decoded = decode_listing(path.read_bytes())
    except (UndecodableFile, OSError) as err:
        reason = str(err) if isinstance(err, UndecodableFile) else f"cannot read the file ({err.strerror})"
        # An empty file is rejected too: it is almost always a failed capture, and `papercat check` must say so.
        rejected = Rejected(file=name, line=1, reason=reason, raw="")
        return FileReport(name, None, reason, records=1, rejected=1), [], [rejected], []
    doc = Document(name=name, text=decoded.text, encoding=decoded.encoding, meta=meta)
    for note in decoded.notes:
        doc.notice(1, note)
    choice: Choice = choose_reader(doc)
    if choice.reader is None:
        tried = tuple(f"{n} ({d.reason})" for n, d in choice.detections)
        reason = "no reader recognised this file; tried: " + "; ".join(tried)
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


def ingest_content(content_dir: Path, *, files: Iterable[Path] | None = None, progress: Progress | None = None) -> IngestResult:
    """Read every listing, merge duplicates, assign ids; ``progress`` shows it file by file.

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
    paths = list(files) if files is not None else listing_files(content_dir)
    with (progress or Progress.null()).stage("ingest", total=len(paths), unit="files") as step:
        for path in paths:
            name = path.relative_to(content_dir).as_posix() if path.is_relative_to(content_dir) else path.name
            if not _encodable(name):  # bytes that are not UTF-8: no page, feed or log line could name the file
                shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                reason = "the file name is not valid UTF-8; rename the file"
                reports.append(FileReport(shown, None, reason, records=1, rejected=1))
                rejected.append(Rejected(file=shown, line=1, reason=reason, raw=""))
                step(1)
                continue
            report, papers, rejects, file_notices = read_listing(path, name, metas.get(name, SourceMeta()))
            reports.append(report)
            records.extend(papers)
            rejected.extend(rejects)
            notices.extend(file_notices)
            step(1)
        return _merge(records, rejected, reports, notices, warnings, metas)


def _merge(
    records: list[Paper], rejected: list[Rejected], reports: list[FileReport], notices: list[Notice], warnings: list[str],
    metas: Mapping[str, SourceMeta],
) -> IngestResult:
    """Group duplicate records into papers, count them per file and give every paper its id."""
    by_file = {r.file: r for r in reports}
    merged_papers: list[Paper] = []
    merged_from: list[list[str]] = []
    for group in find_duplicate_groups(records):
        members = [records[i] for i in group]
        paper = merge_records(members) if len(members) > 1 else members[0]
        # The record whose source comes first is the paper; the others count as merged duplicates.
        first = min(members, key=lambda p: min(p.sources))
        by_file[min(first.sources).file].papers += 1
        for other in members:
            if other is not first:
                by_file[min(other.sources).file].merged += 1
        merged_papers.append(paper)
        merged_from.append([f"{s.file}:{s.line}" for m in members if m is not first for s in m.sources])

    ids = assign_ids((p.title, text_key(p.abstract)[:200]) for p in merged_papers)
    merged_papers = [dataclasses.replace(paper, id=paper_id) for paper, paper_id in zip(merged_papers, ids, strict=True)]
    merged_into = {p.id: m for p, m in zip(merged_papers, merged_from, strict=True) if m}
    merged_papers.sort(key=lambda p: p.id)
    rejected.sort(key=lambda r: (r.file, r.line))
    return IngestResult(merged_papers, rejected, reports, notices, warnings, merged_into, metas)


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
