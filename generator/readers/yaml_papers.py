"""Hand-written YAML files: one paper, or a list of papers, with the record's fields."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

from ..config import StrictPyLoader
from ..ingest.dates import parse_iso_date
from ..ingest.ids import parse_arxiv_id
from ..model import Paper, Rejected
from .base import HTTP_URL, Detection, Document, PaperFields, Reader, author_names, initialled_names

FIELDS = {
    "title": "text", "abstract": "text", "authors": "list of names", "author_count": "whole number",
    "date": "date (YYYY, YYYY-MM or YYYY-MM-DD)", "venue": "text", "upvotes": "whole number",
    "url": "http(s) URL", "arxiv_id": "arXiv id such as 2401.01234", "topic_hints": "list of topic names",
}
_ALIASES = {"topics": "topic_hints", "topic": "topic_hints", "arxiv": "arxiv_id", "author": "authors"}
_YAML_START = re.compile(r"^(?:---\s*$|-\s+title\s*:|title\s*:|papers\s*:|-\s+abstract\s*:|abstract\s*:)", re.MULTILINE)
# Characters YAML refuses anywhere in a stream (C0/C1 controls, DEL, surrogates): removed and reported.
_NOT_YAML = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# Line breaks to YAML but not to the file's line numbers: spaces, so YAML's marks name the file's lines.
_YAML_BREAKS = str.maketrans({"\x85": " ", "\u2028": " ", "\u2029": " "})
_FIELD_KEY = re.compile(
    r"^[ \t]*(?:-[ \t]+)?(title|abstract|authors?|author_count|date|venue|upvotes|url|arxiv(?:_id)?|topic_hints|topics?)[ \t]*:(?=\s|$)",
    re.MULTILINE,
)


class _Loader(StrictPyLoader):
    """Safe loading (no Python objects) that keeps every value a plain scalar, list or mapping, and
    refuses a key given twice (the configuration files' loader, on PyYAML's own parser).

    No field of a paper is a fraction, and a number written unquoted may be an arXiv id: what YAML
    would read as a float stays the text it was written as (``arxiv_id: 2411.08840`` keeps its 0).
    """


def _as_written(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(node.value)


_Loader.add_constructor("tag:yaml.org,2002:float", _as_written)


class YamlPapersReader(Reader):
    name = "yaml"
    label = "hand-written YAML (a paper or a list of papers)"

    def detect(self, doc: Document) -> Detection:
        head = "\n".join(line for line in doc.lines[:200] if not line.lstrip().startswith("#"))
        if not _YAML_START.search(head):
            return Detection(0.0, "no 'title:' / '- title:' / 'papers:' key at the start of a line")
        try:
            node = yaml.compose(_NOT_YAML.sub("", doc.text).translate(_YAML_BREAKS), Loader=_Loader)
        except yaml.YAMLError as err:
            keys = {m.group(1) for m in _FIELD_KEY.finditer(head)}
            if "title" in keys and len(keys) >= 2:
                # Paper fields as YAML keys: a curator's YAML file with a mistake, whose error must be
                # reported with its line, not an 'abstract:' line read as an abstract-only listing.
                return Detection(0.96, f"YAML paper fields ({', '.join(sorted(keys))}) but does not parse ({_yaml_problem(err)})")
            return Detection(0.5, f"looks like YAML but does not parse ({_yaml_problem(err)})")
        if _paper_nodes(node) is None:
            return Detection(0.0, "YAML, but not a paper or a list of papers")
        return Detection(0.95, "YAML mapping(s) with paper fields")

    def parse(self, doc: Document) -> Iterator[Paper | Rejected]:
        text, removed = _NOT_YAML.subn("", doc.text)
        if (bad := _NOT_YAML.search(doc.text)) is not None:
            doc.notice(doc.text.count("\n", 0, bad.start()) + 1, f"removed {removed} control character(s) YAML does not allow")
        text = text.translate(_YAML_BREAKS)
        try:
            root = yaml.compose(text, Loader=_Loader)
        except yaml.YAMLError as err:
            # An unclosed quote or bracket is found where the file ends: the line it opens on is the one to fix.
            mark = getattr(err, "context_mark", None) or getattr(err, "problem_mark", None)
            line = mark.line + 1 if mark is not None else 1
            yield self.reject(doc, line, f"YAML syntax error: {_yaml_problem(err)}", text)
            return
        nodes = _paper_nodes(root)
        if nodes is None:
            yield self.reject(doc, 1, "expected a paper (a mapping with 'title') or a list of papers", text)
            return
        lines = text.split("\n")
        for node in nodes:
            line = node.start_mark.line + 1
            raw = "\n".join(lines[node.start_mark.line : node.end_mark.line + 1])
            if not isinstance(node, yaml.MappingNode):
                yield self.reject(doc, line, "a list item that is not a mapping of paper fields", raw)
                continue
            try:
                data = _Loader(raw).construct_document(node)
                yield self._paper(doc, line, data, raw)
            except ValueError as err:
                yield self.reject(doc, line, str(err), raw)
            except yaml.YAMLError as err:
                yield self.reject(doc, line, f"YAML error: {_yaml_problem(err)}", raw)

    def _paper(self, doc: Document, line: int, data: dict[Any, Any], raw: str) -> Paper | Rejected:
        values: dict[str, Any] = {}
        for key, value in data.items():
            name = _ALIASES.get(str(key), str(key))
            if name not in FIELDS:
                raise ValueError(f"unknown field {str(key)!r} (expected one of: {', '.join(FIELDS)})")
            values[name] = value
        title = _text(values.pop("title", None), "title")
        abstract = _text(values.pop("abstract", None), "abstract")
        if not abstract and not title:
            raise ValueError("a paper needs a 'title' and an 'abstract'")
        if not abstract:
            raise ValueError("'abstract' is missing or empty")
        authors: tuple[str, ...] = ()
        if "authors" in values:
            names = values["authors"]
            if isinstance(names, str):  # "Wei Zhang, Olga Petrova and Ana Souza", "Zhang, W.; Petrova, O.", "Zhang, Wei"
                split = author_names(names) or initialled_names(names)
                names = list(split) if split else [a for a in re.split(r"\s*(?:;|\band\b)\s*", names) if a]
            if not isinstance(names, list) or not all(isinstance(a, (str, int, float)) for a in names):
                raise ValueError(f"'authors' must be a {FIELDS['authors']}, found {type(values['authors']).__name__}")
            authors = tuple(str(a) for a in names)
        counts: dict[str, int | None] = {}
        for key in ("author_count", "upvotes"):
            value = values.get(key)
            if value is not None and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
                raise ValueError(f"{key!r} must be a {FIELDS[key]}, found {value!r}")
            counts[key] = value
        parsed = None
        if values.get("date") is not None:
            parsed = parse_iso_date(values["date"])
            if parsed is None:
                raise ValueError(f"'date' must be a {FIELDS['date']}, found {values['date']!r}")
        url = None
        if values.get("url") is not None:
            url = _text(values["url"], "url")
            if not HTTP_URL.match(url):
                raise ValueError(f"'url' must be an {FIELDS['url']}, found {url!r}")
        arxiv = None
        if values.get("arxiv_id") is not None:
            text = _text(values["arxiv_id"], "arxiv_id")
            arxiv = parse_arxiv_id(text)
            if arxiv is None:
                raise ValueError(f"'arxiv_id' must be an {FIELDS['arxiv_id']}, found {text.removeprefix('arXiv:')!r}")
        hints = values.get("topic_hints")
        if hints is not None:
            hints = [hints] if isinstance(hints, str) else hints
            if not isinstance(hints, list) or not all(isinstance(h, str) for h in hints):
                raise ValueError(f"'topic_hints' must be a {FIELDS['topic_hints']}")
        found = PaperFields(
            authors=authors,
            author_count=counts["author_count"],
            date=parsed[0] if parsed else None,
            date_precision=parsed[1] if parsed else None,
            venue=_text(values["venue"], "venue") if values.get("venue") is not None else None,
            upvotes=counts["upvotes"],
            url=url,
            arxiv_id=arxiv,
            topic_hints=tuple(hints or ()),
        )
        inferred = not title
        if inferred:
            from ..ingest.titles import infer_title

            title = infer_title(abstract)
        return self.make_paper(doc, line, title=title, abstract=abstract, raw=raw, title_inferred=inferred, found=found)


def _text(value: Any, key: str) -> str:
    if value is None:
        return ""
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    raise ValueError(f"{key!r} must be text, found a {type(value).__name__}")


def _paper_nodes(root: yaml.Node | None) -> list[yaml.Node] | None:
    """The nodes that should each be a paper: the root mapping, the root list, or the list under 'papers'."""
    if isinstance(root, yaml.MappingNode):
        keys = {k.value for k, _ in root.value if isinstance(k, yaml.ScalarNode)}
        if "papers" in keys:
            value = next(v for k, v in root.value if isinstance(k, yaml.ScalarNode) and k.value == "papers")
            return list(value.value) if isinstance(value, yaml.SequenceNode) else None
        return [root] if keys & {"title", "abstract"} else None
    if isinstance(root, yaml.SequenceNode) and root.value:
        first = root.value[0]
        if isinstance(first, yaml.MappingNode):
            return list(root.value)
    return None


def _yaml_problem(err: yaml.YAMLError) -> str:
    problem = getattr(err, "problem", None) or str(err).splitlines()[0]
    mark = getattr(err, "problem_mark", None)
    context, start = getattr(err, "context", None), getattr(err, "context_mark", None)
    where = f" ({context} that starts at line {start.line + 1})" if context and start is not None else ""
    return f"{problem} at line {mark.line + 1}, column {mark.column + 1}{where}" if mark is not None else str(problem)
