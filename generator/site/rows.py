"""Listing rows rendered once per paper and placed on every page that lists the paper.

A row (the ``row`` macro of ``_row.j2``) shows one paper: title, date, topic chips and the first
line of its abstract, with links to the paper's page and its topics. A paper is listed on its
month's page and on the page of each of its topics, and only the links differ from one page to
the next. So, when the macro is proven to read nothing but its paper and the helpers that depend
on nothing else (``link``, ``paper_path``, ``topics_of``, ``snippet``, ...), a row is rendered
once with each link left as a numbered mark, and the marks are replaced by the links relative to
each page it is placed on: the page shows exactly what rendering the macro there would show.
Such a row is also kept in the page cache between builds (keyed by the paper and its topics).
A macro that reads anything else is rendered on each page, as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

if TYPE_CHECKING:
    import jinja2

    from ..model import Paper

ROW_TEMPLATE = "_row.j2"
ROW_MACRO = "row"
# What a row may read besides its paper: functions whose result depends only on their arguments
# (and on the topics and settings, which are part of every cache key).
ROW_HELPERS = frozenset(
    {"link", "paper_path", "topic_path", "month_path", "feed_path", "topic_bib_path", "topics_of", "snippet", "escape"}
)
MARK = "\x00"  # a link's mark is MARK + its number + MARK; a row whose paper holds MARK is never marked
_SEP = "\x01"
_PLAIN_TARGET = re.compile(r"[A-Za-z0-9._/-]*\Z")  # link targets whose link HTML-escaping leaves as they are


def row_reads_only_its_paper(env: jinja2.Environment, name: str = ROW_TEMPLATE, macro: str = ROW_MACRO) -> bool:
    """Whether the ``macro`` of template ``name`` reads only its arguments, its loop variables and ``ROW_HELPERS``."""
    from jinja2 import TemplateNotFound, TemplateSyntaxError, nodes

    try:
        assert env.loader is not None
        source, _, _ = env.loader.get_source(env, name)
        tree = env.parse(source)
    except (TemplateNotFound, TemplateSyntaxError):
        return False
    found = [node for node in tree.find_all(nodes.Macro) if node.name == macro]
    if len(found) != 1:
        return False
    definition = found[0]
    # Anything that could read or set names out of sight: includes, imports, assignments, nested macros and calls.
    opaque = (
        nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends, nodes.Assign, nodes.AssignBlock, nodes.With,
        nodes.Macro, nodes.CallBlock, nodes.Scope, nodes.OverlayScope, nodes.ScopedEvalContextModifier,
        nodes.EvalContextModifier, nodes.ContextReference, nodes.DerivedContextReference, nodes.Block,
    )

    def pure(node: nodes.Node, local: frozenset[str]) -> bool:
        if isinstance(node, opaque):
            return False
        if isinstance(node, nodes.Name):
            return node.ctx != "load" or node.name in local or node.name in ROW_HELPERS
        if isinstance(node, nodes.For):
            targets = [node.target, *node.target.find_all(nodes.Name)]  # a name, or a tuple of names
            inner = local | {n.name for n in targets if isinstance(n, nodes.Name)} | {"loop"}
            return (
                not node.recursive and pure(node.iter, local) and all(pure(n, inner) for n in node.body)
                and all(pure(n, local) for n in node.else_) and (node.test is None or pure(node.test, inner))
            )
        return all(pure(child, local) for child in node.iter_child_nodes())

    arguments = frozenset(arg.name for arg in definition.args)
    return all(pure(default, frozenset()) for default in definition.defaults) and all(
        pure(node, arguments) for node in definition.body
    )


@dataclass(frozen=True, slots=True)
class Row:
    """A rendered row whose links are marks: ``text`` holds MARK + i + MARK where the link to ``targets[i]`` goes."""

    text: str
    targets: tuple[str, ...]

    def place(self, link: Callable[[str], str]) -> Markup:
        """The row as shown on a page; ``link`` gives a target's link from that page."""
        parts = self.text.split(MARK)
        for i in range(1, len(parts), 2):
            parts[i] = link(self.targets[int(parts[i])])
        return Markup("".join(parts))

    def encode(self) -> str:
        """The row as one string (for the page cache)."""
        return f"{len(self.targets)}{_SEP}" + "".join(t + _SEP for t in self.targets) + self.text

    @classmethod
    def decode(cls, data: str) -> Row:
        count, rest = data.split(_SEP, 1)
        *targets, text = rest.split(_SEP, int(count))
        return cls(text, tuple(targets))


class RowRenderer:
    """Renders rows with marked links from one instance of ``_row.j2`` (per site model)."""

    def __init__(self, env: jinja2.Environment, context: dict[str, Any]) -> None:
        self._targets: list[str] = []
        self._row = getattr(env.get_template(ROW_TEMPLATE).make_module({**context, "link": self._mark}), ROW_MACRO)

    def _mark(self, target: str) -> Markup:
        self._targets.append(target)
        return Markup(f"{MARK}{len(self._targets) - 1}{MARK}")

    def render(self, paper: Paper) -> Row | None:
        """The paper's row with its links marked, or None when the marks could not be told apart from its text."""
        if "\\x00" in repr(paper):  # a MARK (or a literal "\x00") in the paper's text: render it on each page
            return None
        self._targets = []
        text = str(self._row(paper))
        targets = tuple(self._targets)
        parts = text.split(MARK)
        if len(parts) != 2 * len(targets) + 1 or not all(_PLAIN_TARGET.match(t) for t in targets):
            return None
        if not all(parts[i].isdigit() and int(parts[i]) < len(targets) for i in range(1, len(parts), 2)):
            return None
        return Row(text, targets)
