"""Parts of a page that are put into its HTML after MkDocs rendered it.

A paper page lists its related papers, and those change whenever similar papers join the
catalogue: a day's listing reorders the related papers of hundreds of pages whose own text did
not change. Rendering each of them again with the theme costs as much as rendering a new page,
so the list is not part of the page's Markdown. The page holds an empty marked place
(``<!--pc:related--><!--/pc:related-->``), and the list, made from ``related.html.j2``, is put
there after MkDocs rendered the page: by the plugin's ``on_post_page`` in ``mkdocs build``, and
by the rendering engine of ``papercat build``, which puts a new list into the previous build's
HTML of a page whose Markdown did not change instead of rendering it again. Both put the same
bytes in the same place, so the site is the same either way.

The text between the marks is HTML that papercat made (listing text in it is escaped), so it
can never hold the closing mark; a page without the marks is left as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

START = b"<!--pc:related-->"
END = b"<!--/pc:related-->"
PLACEHOLDER = (START + END).decode()
PLACEHOLDER_START, PLACEHOLDER_END = START.decode(), END.decode()


def has_place(html: bytes) -> bool:
    """Whether ``html`` still holds the marked place (a plugin that strips comments would remove it)."""
    start = html.find(START)
    return start >= 0 and html.find(END, start) >= 0


def splice(html: bytes, fragment: str) -> bytes:
    """``html`` with ``fragment`` between its marks (whatever was there before is replaced)."""
    start = html.find(START)
    end = html.find(END, start) if start >= 0 else -1
    if end < 0:
        return html
    return html[: start + len(START)] + fragment.encode("utf-8") + html[end:]


def splice_text(html: str, fragment: str) -> str:
    start = html.find(PLACEHOLDER_START)
    end = html.find(PLACEHOLDER_END, start) if start >= 0 else -1
    if end < 0:
        return html
    return html[: start + len(PLACEHOLDER_START)] + fragment + html[end:]


class Fragments:
    """The related-papers lists of one build, by page: a key for each, the HTML made when asked."""

    def __init__(self, keys: Mapping[str, str], render: Callable[[str], str]) -> None:
        self._keys = keys  # docs-relative path -> SHA-256 of everything the list is made from
        self._render = render  # docs-relative path -> the list's HTML

    def key(self, src_uri: str) -> str:
        """What the page's list is made from ("" for a page without one)."""
        return self._keys.get(src_uri, "")

    def html(self, src_uri: str) -> str | None:
        if src_uri not in self._keys:
            return None
        return self._render(src_uri)  # made each time asked (once a page): never all held at once

    @staticmethod
    def empty() -> Fragments:
        return Fragments({}, lambda uri: "")

