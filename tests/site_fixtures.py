"""Helpers shared by the tests (the one module tests import helpers from; no test imports another).

Building the bundled site and the hostile corpus, crawling a site's links, hashing a tree, and
reading a page's visible text and anything injected into it. The session fixture ``built_site``
(tests/conftest.py) builds the bundled catalogue once, into a temporary folder; the build tests
and the browser tests both use that one build. Nothing here writes into the checkout.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import posixpath
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml

from generator.ingest import FileReport, IngestResult, read_listing
from generator.model import Paper, Source
from generator.readers import SourceMeta
from generator.site.build import BuildReport, Project, build_site
from generator.site.settings import SiteSettings
from generator.site.view import SiteModel
from generator.topics import Taxonomy, Topic, TopicAssignment

ROOT = Path(__file__).resolve().parents[1]
CONTENT = ROOT / "content"
CONFIG = ROOT / "site_config"  # what this repository's catalogue changes
BUNDLED = ROOT / "generator" / "defaults" / "config"  # everything else: the configuration papercat ships
TEMPLATES = BUNDLED / "templates" / "pages"
TOPICS = BUNDLED / "topics.yml"
FIXTURES = ROOT / "tests" / "fixtures" / "listings"

# Counts of the bundled content (content/*.txt): what the home page must say.
BUNDLED_PAPERS = 484
BUNDLED_LISTINGS = 5


def build_bundled_site(site_dir: Path) -> Path:
    """Build the bundled catalogue with the project's own configuration into ``site_dir``.

    The generated Markdown goes to a ``build`` folder beside ``site_dir``, not into the checkout: a
    build folder of its own, with no earlier build's state (build/state.json) to compare with.
    """
    report = build_site(Project.at(ROOT, site_dir=site_dir, build_dir=site_dir.parent / "build"))
    assert report.site_dir == site_dir.resolve()
    return report.site_dir


def own_copy(config_dir: Path, rel: str) -> Path:
    """A project's own copy of a bundled configuration file (copied in when missing), to edit."""
    target = config_dir / rel
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(BUNDLED / rel, target)
    return target


def settled(folder: Path, timeout: float = 120.0) -> Path:
    """``folder`` once the sites replaced by earlier builds (``.site.discarded-*``, removed in the background) are gone."""
    import time

    deadline = time.monotonic() + timeout
    while any(p.name.startswith(".") and ".discarded-" in p.name for p in folder.iterdir()):
        assert time.monotonic() < deadline, f"a replaced site in {folder} was never removed"
        time.sleep(0.05)
    return folder


def tree_digest(root: Path) -> dict[str, str]:
    """``{relative path: sha256}`` of every file under ``root``."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@dataclass(slots=True)
class Reference:
    page: str  # site-relative path of the HTML file, e.g. "papers/x/index.html"
    tag: str
    attr: str
    value: str
    rel: str = ""  # the rel attribute of a <link>


@dataclass(slots=True)
class ParsedPage:
    refs: list[Reference] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


class _Collector(HTMLParser):
    """Every href/src/srcset/poster/data attribute and every id/name of one HTML page."""

    URL_ATTRS = {"href", "src", "poster", "data", "action", "srcset"}

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.result = ParsedPage()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: (v or "") for k, v in attrs}
        for key in ("id", "name"):
            if values.get(key):
                self.result.ids.add(values[key])
        for key, value in values.items():
            if key not in self.URL_ATTRS or not value:
                continue
            urls = [part.strip().split(" ")[0] for part in value.split(",")] if key == "srcset" else [value]
            for url in urls:
                self.result.refs.append(Reference(self.page, tag, key, url.strip(), values.get("rel", "")))

    handle_startendtag = handle_starttag


def parse_site(site: Path) -> dict[str, ParsedPage]:
    """Every HTML file of the built site, parsed: ``{relative path: ParsedPage}``."""
    pages: dict[str, ParsedPage] = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        collector = _Collector(rel)
        collector.feed(path.read_text(encoding="utf-8"))
        collector.close()
        pages[rel] = collector.result
    return pages


def is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.scheme or parts.netloc)


def resolve(page: str, url: str) -> tuple[str, str]:
    """The site-relative path a relative ``url`` on ``page`` points to, and its fragment.

    A URL without a path (``#x``) points to ``page`` itself; a directory URL (``topics/``)
    to the folder, which ``resolve_file`` turns into its ``index.html`` as a file server does.
    """
    parts = urlsplit(url)
    if not parts.path:
        return page, parts.fragment
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
    if parts.path.endswith("/"):
        target = posixpath.join(target, "index.html") if target != "." else "index.html"
    return target, parts.fragment


def resolve_file(site: Path, page: str, url: str) -> tuple[Path | None, str, str]:
    """``(existing file or None, site-relative target, fragment)`` for a relative URL on ``page``."""
    target, fragment = resolve(page, url)
    if target.startswith("../") or target == "..":
        return None, target, fragment
    path = site / target
    if path.is_dir():
        path = path / "index.html"
        target = posixpath.join(target, "index.html")
    return (path if path.is_file() else None), target, fragment


# --- the hostile corpus (tests/hostile/) ---------------------------------------------------

HOSTILE = Path(__file__).resolve().parent / "hostile"
LISTINGS = ("daily_papers.txt", "search_results.txt", "topic_listing.txt", "abstracts.txt", "curated.yml")

# Titles the corpus gives, exactly as a reader must see them on every page that lists the paper.
LITERAL_TITLES = [
    "<script>alert(1)</script> Attention Is Not All You Need",
    "<img src=x onerror=alert(2)> Vision Transformers for Tiny Images",
    '<iframe src="javascript:alert(3)"></iframe> Framed Learning',
    '<a href="javascript:alert(4)">Click here</a> for Robust Agents',
    '{: onclick="alert(7)" } Attribute Lists Considered Harmful',
    '!!! warning "Admonition" Markers in Paper Titles',
    "{{ 7*7 }} and {% raw %}Template{% endraw %} Syntax {# comment #}",
    "--- & *anchor !tag |pipe \"quoted' title: hacked",
    "Unbalanced $ dollars \\ and \\\\ backslashes $x",
    '<div markdown="1">**bold**</div> and <!-- comment --> </article>',
    "&lt;script&gt; Already-Escaped Entities &amp; More",
    '<script>window.__pc_pwned = 1</script><img src="http://evil.example/t.png" onerror="window.__pc_pwned=2"> Flags',
    "<script>alert('yaml')</script> Curated \"Quoted\" Title",
    "--- title: injected ---",
    "../../../etc/passwd",
    "/absolute/path/index",
]
# Text from other fields that must also reach the paper page literally.
LITERAL_FIELDS = {
    "<script>alert(1)</script> Attention Is Not All You Need": [
        'We show <script>alert("abstract")</script> and <img src=x onerror=alert(11)> plus "><script>alert(12)</script>',
        "<script>alert('venue')</script> Daily & \"Papers\"",
    ],
    "<img src=x onerror=alert(2)> Vision Transformers for Tiny Images": [
        '<img src="http://evil.example/pixel.png">',
        "[link](javascript:alert(13))",
        "![picture](javascript:alert(14))",
        '<b onmouseover=alert(15)>Evil Org</b> & "Co"',
    ],
    "<script>alert('yaml')</script> Curated \"Quoted\" Title": [
        "<iframe src='javascript:alert(28)'></iframe> and {{ 7*7 }}",
        "<img src=x onerror=alert(29)>, O'Brien & \"Sons\", {{ author }}, $\\alpha$ Team",
        '<a href="javascript:alert(30)">ICML</a> {: onclick=alert(31) }',
    ],
    "<a href=\"javascript:alert(4)\">Click here</a> for Robust Agents": [
        '{: onclick="alert(21)" } and {: #id .class onmouseover=alert(22) }',
    ],
    "!!! warning \"Admonition\" Markers in Paper Titles": [
        "{{ config.site_name }} {% if true %}yes{% endif %} {# hidden #}",
    ],
}
# Markup that would run, load or navigate if content reached the page as HTML.
INJECTED_ATTRS = re.compile(r"^on[a-z]+$")
FLAG_SCRIPT = re.compile(r"alert\(|__pc_pwned")



def make_hostile_project(root: Path, *, newest_papers: int = 100) -> Project:
    """A project at ``root``: the repository's mkdocs.yml and site_config/, the hostile corpus as content/.

    ``newest_papers`` is raised so that every paper is listed on the home page too.
    """
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(CONFIG, root / "site_config", dirs_exist_ok=True)
    settings = yaml.safe_load((root / "site_config" / "site.yml").read_text(encoding="utf-8")) or {}
    settings["newest_papers"] = newest_papers
    (root / "site_config" / "site.yml").write_text(yaml.safe_dump(settings), encoding="utf-8")
    content = root / "content"
    content.mkdir(exist_ok=True)
    for name in (*LISTINGS, "sources.yml"):
        shutil.copy(HOSTILE / name, content / name)
    return Project.at(root, content=content, config=root / "site_config", site_dir=root / "site")


@dataclass(frozen=True)
class HostileBuild:
    project: Project
    report: BuildReport

    @property
    def result(self) -> IngestResult:
        return self.report.ingest

    @property
    def site(self) -> Path:
        return self.project.site_dir

    def paper(self, title: str) -> Paper:
        return next(p for p in self.result.papers if p.title == title)

    def html(self, rel: str) -> str:
        return (self.site / rel).read_text(encoding="utf-8")

    def paper_html(self, title: str) -> str:
        return self.html(f"papers/{self.paper(title).id}/index.html")


def build_hostile(root: Path) -> HostileBuild:
    project = make_hostile_project(root)
    return HostileBuild(project, build_site(project))


# --- HTML inspection ------------------------------------------------------------------------


class PageScan(HTMLParser):
    """The visible text of a page's body, and every element or attribute content could have injected."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.injected: list[str] = []
        self._skip: list[str] = []
        self._tag = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag = tag
        values = {k: v or "" for k, v in attrs}
        for key, value in values.items():
            if INJECTED_ATTRS.match(key):
                self.injected.append(f"<{tag} {key}={value!r}>")
            if key in ("href", "src", "action", "formaction", "srcdoc", "data", "poster") and (
                value.strip().lower().startswith(("javascript:", "vbscript:", "data:text")) or "evil.example" in value
            ):
                self.injected.append(f"<{tag} {key}={value!r}>")
        if tag in ("iframe", "object", "embed", "frame", "b", "foreignobject"):
            self.injected.append(f"<{tag}>")
        if tag == "img" and values.get("src") in ("x", ""):
            self.injected.append("<img src=x>")
        if tag == "svg" and "xmlns" not in values:  # the theme's icons declare their namespace
            self.injected.append("<svg> without xmlns")
        if tag in ("head", "script", "style", "title", "annotation"):
            self._skip.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_endtag(self, tag: str) -> None:
        if self._skip and self._skip[-1] == tag:
            self._skip.pop()

    def handle_data(self, data: str) -> None:
        if self._tag == "script" and self._skip and self._skip[-1] == "script" and FLAG_SCRIPT.search(data):
            self.injected.append(f"<script>{data[:60]}")
        if not self._skip:
            self.text.append(data)


def scan(html: str) -> PageScan:
    parser = PageScan()
    parser.feed(html)
    parser.close()
    return parser


def page_text(html: str) -> str:
    return " ".join("".join(scan(html).text).split())


# --- the browser ---------------------------------------------------------------------------


@dataclass
class Watch:
    """What a page did that a reader would not want: errors, dialogs, requests off localhost."""

    console_errors: list[str] = field(default_factory=list)
    console_warnings: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert not self.page_errors, f"JavaScript errors: {self.page_errors}"
        assert not self.console_errors, f"console errors: {self.console_errors}"
        assert not self.dialogs, f"dialogs opened: {self.dialogs}"
        assert not self.external_requests, f"requests left localhost: {self.external_requests}"


# --- the papercat command ---------------------------------------------------------------

PAPERCAT = Path(sys.executable).parent / "papercat"
if not PAPERCAT.exists():
    PAPERCAT = ROOT / ".venv" / "bin" / "papercat"


def papercat(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "PAPERCAT_DEBUG"}
    environment.update(env or {})
    proc = subprocess.run(
        [str(PAPERCAT), *args], cwd=cwd, env=environment, capture_output=True, text=True, timeout=120
    )
    for stream in (proc.stdout, proc.stderr):
        assert "Traceback" not in stream
        assert "internal error" not in stream
    return proc
def catalogue_json(site: Path) -> dict:
    """The whole catalogue as the site offers it for download (``downloads/catalogue.json.gz``)."""
    import gzip
    import json

    return json.loads(gzip.decompress((site / "downloads" / "catalogue.json.gz").read_bytes()).decode("utf-8"))


def listing_model(papers: list[Any], assignments: dict[str, Any], **settings: Any) -> Any:
    """A small catalogue's view model (papers with their topic assignments), as the build makes it."""
    from generator.ingest import FileReport, IngestResult
    from generator.site.settings import SiteSettings
    from generator.site.view import SiteModel
    from generator.topics import Taxonomy, Topic

    topics = [
        Topic("vision", "Computer Vision", "Seeing machines."),
        Topic("generative", "Generative Models", "Models that synthesise data."),
        Topic("other", "Other", "The rest."),
    ]
    files = sorted({s.file for p in papers for s in p.sources})
    result = IngestResult(
        papers=papers, rejected=[], files=[FileReport(f, "daily-papers", "test", records=1, papers=1) for f in files]
    )
    return SiteModel.build(
        result, assignments, Taxonomy(topics=topics, fallback="other", settings={}), SiteSettings(**settings),
        site_name="test catalogue",
    )


def listing_project(root: Path, papers: list[object]) -> Path:
    """A project at ``root``: the repository's mkdocs.yml and site_config/, and ``papers`` as content/main.yml."""
    (root / "content").mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(CONFIG, root / "site_config")
    write_listing(root / "content" / "main.yml", papers)
    return root


def paged_project(root: Path, papers: list[dict[str, object]], per_page: int, *, directory_urls: bool = True) -> Path:
    """A project at ``root`` with ``papers`` as content/papers.yml, ``per_page`` papers a listing page, and
    ``use_directory_urls`` as given."""
    (root / "content").mkdir(parents=True)
    write_listing(root / "content" / "papers.yml", list(papers))
    shutil.copytree(CONFIG, root / "site_config")
    settings = root / "site_config" / "site.yml"
    settings.write_text(
        re.sub(r"(?m)^papers_per_page:.*$", f"papers_per_page: {per_page}", settings.read_text(encoding="utf-8")), encoding="utf-8"
    )
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert re.search(r"(?m)^use_directory_urls: true$", config)
    if not directory_urls:
        config = re.sub(r"(?m)^use_directory_urls: true$", "use_directory_urls: false", config)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root


def copy_project(root: Path, content: Path) -> None:
    """A project at ``root``: the repository's mkdocs.yml and site_config/, and ``content`` as its content/."""
    root.mkdir(parents=True)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(CONFIG, root / "site_config")
    shutil.copytree(content, root / "content")


# --- a small curated catalogue (YAML listings) --------------------------------------------

FILLER = ("This work studies the problem in depth with careful experiments on several benchmarks and reports "
          "consistent gains while releasing code and data for everyone to use.")


def listing_paper(title: str, words: str, date: str = "2024-05-02", **extra: object) -> dict[str, object]:
    """A curated-YAML paper record with a long enough abstract."""
    return {"title": title, "abstract": f"{words} {FILLER}", "date": date, "authors": ["Ada Lovelace"], **extra}


LISTING_PAPERS = [
    listing_paper("Sparse Attention for Long Documents", "We make transformer language models read long documents."),
    listing_paper("Robot Grasping from Pixels", "A robot arm learns grasping with reinforcement learning from camera pixels."),
    listing_paper("Graph Networks for Molecules", "Graph neural networks predict molecular properties for chemistry."),
    listing_paper("Speech Recognition in Noise", "An acoustic model for automatic speech recognition in noisy rooms.", "2024-06-10"),
    listing_paper("Diffusion Models for Images", "Denoising diffusion models generate images from text prompts.", "2024-06-11"),
]


def write_listing(path: Path, papers: list[object]) -> None:
    """A curated-YAML listing of ``papers`` at ``path``."""
    path.write_text(yaml.safe_dump({"papers": papers}, sort_keys=False, allow_unicode=True), encoding="utf-8")


# --- a small in-memory catalogue (papers and topic assignments, no listing files) -------------

NEURIPS = "Neural Information Processing Systems"

CATALOGUE_TOPICS = [
    Topic("vision", "Computer Vision", "Seeing machines."),
    Topic("generative", "Generative Models", "Models that synthesise data."),
    Topic("science", "AI for Science & Health", "Models for the sciences."),
    Topic("robotics", "Robotics & Embodied AI", "Robots."),  # no paper: no page
    Topic("other", "Other", "The rest."),
]


def catalogue_paper(pid: str, title: str, **kw) -> Paper:
    kw.setdefault("sources", [Source("a.txt", 1, "daily-papers")])
    return Paper(title=title, abstract=kw.pop("abstract", f"The abstract of {title}. It has words."), id=pid, **kw)


def small_catalogue() -> tuple[list[Paper], dict[str, TopicAssignment]]:
    papers = [
        catalogue_paper(
            "diffusion-nets", "Diffusion Nets for Images", date="2024-03-05", date_precision="day",
            authors=["Ada Lovelace", "Alan Turing"], venue=NEURIPS, upvotes=12, organization="Analytical Engines Ltd",
            sources=[Source("a.txt", 3, "daily-papers"), Source("b.txt", 17, "search-results")],
        ),
        catalogue_paper(
            "astrom-3", "AstroM$^3$: A self-supervised multimodal model for astronomy", date="2024-03-01",
            date_precision="month", author_count=7, sources=[Source("b.txt", 9, "search-results")],
        ),
        catalogue_paper("seeing-far", "Seeing Far", date="2023-11-20", date_precision="day", author_count=1),
        catalogue_paper(
            "inferred-one", "Deep networks are vulnerable to backdoor attacks that…", title_inferred=True,
            sources=[Source("c.txt", 5, "abstracts")],
        ),
        catalogue_paper("old-vision", "Old Vision Paper", date="2022-01-01", date_precision="year"),
        catalogue_paper("tricky", "<b>Bold</b> & \"quoted\" ideas", date="2023-11-02", date_precision="day"),
    ]
    assignments = {
        "diffusion-nets": TopicAssignment("generative", ("vision",), {"generative": ("diffusion",), "vision": ("image",)}),
        "astrom-3": TopicAssignment("science", ("vision",), {"science": ("astronomy",)}),
        "seeing-far": TopicAssignment("vision", (), {"vision": ("seeing",)}),
        "inferred-one": TopicAssignment("vision", ("generative",), {"vision": ("network",)}),
        "old-vision": TopicAssignment("vision", (), {"vision": ("vision",)}),
        "tricky": TopicAssignment("other", (), {}),
    }
    return papers, assignments


def make_model(papers: list[Paper], assignments: dict[str, TopicAssignment], **settings) -> SiteModel:
    files = sorted({s.file for p in papers for s in p.sources})
    result = IngestResult(
        papers=papers, rejected=[], files=[FileReport(f, "daily-papers", "test", records=1, papers=1) for f in files]
    )
    taxonomy = Taxonomy(topics=CATALOGUE_TOPICS, fallback="other", settings={})
    return SiteModel.build(
        result, assignments, taxonomy, SiteSettings(**settings), site_name="test catalogue",
        captured={"a.txt": "2024-03-06", "b.txt": "2024-04-01"},
    )


# Listings built in a test: three titles and their abstracts, and a reader of a page of them.
MAR_4 = SourceMeta(captured=dt.date(2026, 3, 4))
ABSTRACTS = [
    "Training large networks in 8-bit floating point is prone to divergence. We identify the accumulation of "
    "rounding bias in optimizer states as the main cause and show that stochastic rounding is sufficient.",
    "Mixture-of-experts layers rely on routers that often collapse onto a few experts. We formulate routing as an "
    "entropic optimal transport problem with balanced marginals and solve it with a few Sinkhorn iterations.",
    "Neural radiance fields require many posed images of a static scene. We reconstruct dynamic scenes from a "
    "single monocular video by decomposing the scene into a canonical field and a deformation field.",
]
TITLES = [
    "Stochastic Rounding Makes 8-bit Training Stable",
    "Learning to Route Between Experts with Optimal Transport",
    "Dynamic Radiance Fields from One Monocular Video",
]


def read_page(tmp_path: Path, text: str, meta: SourceMeta = MAR_4):
    """Read ``text`` as a listing file; every record is a paper or a rejection."""
    path = tmp_path / "listing.txt"
    path.write_text(text, encoding="utf-8")
    report, papers, rejected, notices = read_listing(path, "listing.txt", meta)
    assert report.records == len(papers) + len(rejected)
    return report, papers, rejected, notices
