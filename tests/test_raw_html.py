"""Papercat's HTML blocks are stored without parsing: the pages come out exactly as Python-Markdown makes them.

``generator.site.raw_html`` stores the HTML blocks of papercat's pages in Python-Markdown's stash
without running ``html.parser`` over them. A reader must not be able to tell: every page of the
bundled catalogue and of the hostile corpus converts to the same HTML with and without it, and
the blocks it may not judge without parsing (anchors, comments, incomplete references, blocks
that end mid-line) are left to Python-Markdown.
"""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from site_fixtures import ROOT, make_hostile_project

from generator.site.build import Project, prepare_project
from generator.site.raw_html import RawHtmlExtension, stash_blocks

EXTENSIONS = ["toc", "tables", "attr_list", "md_in_html", "admonition", "fenced_code"]


def convert(text: str, *, fast: bool) -> str:
    extensions: list[object] = [*EXTENSIONS, RawHtmlExtension()] if fast else list(EXTENSIONS)
    return markdown.Markdown(extensions=extensions, extension_configs={"toc": {"permalink": True}}).convert(text)


def stashed(text: str) -> bool:
    """Whether any block of ``text`` is stored without parsing."""
    return stash_blocks(text, lambda block: "\x02stored\x03", markdown.Markdown().is_block_level) != text


def body(page: str) -> str:
    return page.split("\n---\n", 1)[1] if page.startswith("---\n") else page


def _pages(project: Project) -> dict[str, str]:
    prepared = prepare_project(project)
    return {path: body(prepared.pages[path]) for path in prepared.pages}


@pytest.fixture(scope="module")
def bundled_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    build = tmp_path_factory.mktemp("build")
    return _pages(Project(root=ROOT, mkdocs_file=ROOT / "mkdocs.yml", build_dir=build))


@pytest.fixture(scope="module")
def hostile_pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    return _pages(make_hostile_project(tmp_path_factory.mktemp("hostile")))


@pytest.mark.site
@pytest.mark.parametrize("corpus", ["bundled_pages", "hostile_pages"])
def test_every_page_converts_exactly_as_python_markdown_converts_it(corpus: str, request: pytest.FixtureRequest) -> None:
    pages: dict[str, str] = request.getfixturevalue(corpus)
    different = [path for path, text in pages.items() if convert(text, fast=True) != convert(text, fast=False)]
    assert different == []
    # And the blocks are really stored unparsed: every paper, topic and month page.
    for path, text in pages.items():
        if path.startswith(("papers/", "topics/", "months/")) and path.count("/") >= 1:
            assert stashed(text), path


@pytest.mark.site
def test_paper_and_listing_pages_leave_no_html_for_the_parser(bundled_pages: dict[str, str]) -> None:
    store = markdown.Markdown().is_block_level
    for path, text in bundled_pages.items():
        if path.startswith("papers/") or path.startswith("topics/") and path != "topics/index.md":
            rest = stash_blocks(text, lambda block: "\x02stored\x03", store)
            assert "<" not in rest, path


PLAIN = [
    '<article class="a">\n<h1>T</h1>\n<p>x &amp; y &#x27;z&#39;</p>\n<!--pc:related--><!--/pc:related-->\n</article>\n',
    "# Title &amp; more\n\n<p class=\"lead\">lead</p>\n\n## Month\n<p>count</p>\n\n<section>\n<div><div>a</div></div>\n</section>\n",
    "<div>\n<div>nested</div>\n<div>again</div>\n</div>",  # at the end of the text: no blank line after it
    "<section>\nrow\n</section>\nText right after the block.\n",
    "<section>\n\n*not Markdown inside a block*\n\n</section>\n\nAfter *that*.\n",
    "<nav>\n<a href=\"x\">1</a>\n</nav>\n   \n<p>after a line of spaces</p>\n",
    "<p>one</p>\n<p>two</p>\n",
    "<DIV class=x>\nupper case\n</DIV>\n",
]

NOT_PLAIN = [
    '<div id="anchor">\nlinks may point here\n</div>\n',  # MkDocs collects its anchors by parsing
    '<a name="old">\nname anchor\n</a>\n',
    '<div markdown="1">\n*Markdown inside*\n</div>\n',
    "<p>AT&T without a semicolon</p>\n",  # html.parser would write "&T;"
    "<p>a</p><p>b</p>\n",  # two blocks on one line: Python-Markdown splits them
    "<p>a</p> tail\n",
    "<div>\n<!-- a comment -->\n</div>\n",
    "<div>\n<script>var x = '</div>';</script>\n</div>\n",
    "<div>\n<br/>\n</div>\n",
    "<hr>\n",
    "   <div>\nindented\n</div>\n",
    "<span>\ninline\n</span>\n",
    "<div>\nnever closed\n",
    "Text first <div>\nmid-line\n</div>\n",
]


@pytest.mark.unit
@pytest.mark.parametrize("text", PLAIN)
def test_plain_blocks_are_stored_and_come_out_the_same(text: str) -> None:
    assert stashed(text)
    assert convert(text, fast=True) == convert(text, fast=False)


@pytest.mark.unit
@pytest.mark.parametrize("text", NOT_PLAIN)
def test_blocks_that_need_parsing_are_left_to_python_markdown(text: str) -> None:
    assert not stashed(text)
    assert convert(text, fast=True) == convert(text, fast=False)


@pytest.mark.unit
def test_nothing_is_stored_after_the_first_block_it_cannot_judge() -> None:
    text = '<p>stored</p>\n\n<div id="a">\n<p>inside a block it did not store</p>\n</div>\n\n<p>after</p>\n'
    rest = stash_blocks(text, lambda block: "\x02stored\x03", markdown.Markdown().is_block_level)
    assert rest.count("\x02stored\x03") == 1
    assert rest.endswith('<div id="a">\n<p>inside a block it did not store</p>\n</div>\n\n<p>after</p>\n')
    assert convert(text, fast=True) == convert(text, fast=False)


@pytest.mark.site
def test_mkdocs_site_pages_keep_their_anchors(tmp_path: Path) -> None:
    """MkDocs still finds the anchors of a page whose blocks papercat stores (its own `id`s are parsed)."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "p.md").write_text('<p>plain</p>\n\n<div id="keep">\nx\n</div>\n', encoding="utf-8")
    config = load_config(config_file=None, docs_dir=str(docs), site_dir=str(tmp_path / "site"))
    config.markdown_extensions.append(RawHtmlExtension())
    file = File("p.md", str(docs), str(tmp_path / "site"), True)
    files = Files([file])
    page = Page(None, file, config)
    page.read_source(config)
    page.render(config, files)
    assert page.present_anchor_ids == {"keep"}
    assert page.content is not None and '<div id="keep">' in page.content and "<p>plain</p>" in page.content
