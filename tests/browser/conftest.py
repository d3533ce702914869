"""Browser fixtures: a built site served on localhost, driven by Debian's headless Chromium.

    serve(site_dir, prefix="")  -> base URL ("http://127.0.0.1:PORT/" or ".../PREFIX/")
    browser                      -> one Playwright Chromium per session
    watched_page(base_url)       -> (page, Watch): a fresh page whose console errors, page errors,
                                    dialogs and requests that leave localhost are recorded

A ``prefix`` serves the site under a sub-path, as a GitHub Pages project site is
(``https://user.github.io/repo/``): requests outside the prefix get a 404.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from site_fixtures import Watch

CHROMIUM = "/usr/bin/chromium"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

pytestmark = pytest.mark.browser


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    prefix = ""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass

    def translate_path(self, path: str) -> str:
        if self.prefix:
            parts = urlsplit(path)
            if not parts.path.startswith(self.prefix):
                return str(Path(self.directory) / "__outside_the_prefix__")
            path = "/" + parts.path[len(self.prefix) :]
        return super().translate_path(path)


@pytest.fixture(scope="session")
def serve() -> Iterator[Callable[..., str]]:
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(site_dir: Path, prefix: str = "") -> str:
        prefix = f"/{prefix.strip('/')}/" if prefix.strip("/") else ""
        handler = type("Handler", (_QuietHandler,), {"prefix": prefix})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site_dir)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}{prefix or '/'}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"the browser tests need Chromium at {CHROMIUM} (python3 dev.py test installs it)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def watched_page(browser) -> Iterator[Callable[..., tuple[object, Watch]]]:
    contexts = []

    def open_page(viewport: dict[str, int] | None = None, color_scheme: str = "light"):
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 900}, color_scheme=color_scheme)
        contexts.append(context)
        watch = Watch()

        def on_route(route) -> None:
            url = route.request.url
            watch.requests.append(url)
            host = urlsplit(url).hostname
            if url.startswith(("data:", "blob:", "about:")) or host in LOCAL_HOSTS:
                route.continue_()
            else:
                watch.external_requests.append(url)
                route.abort()

        context.route("**/*", on_route)
        page = context.new_page()
        def on_console(msg) -> None:
            if msg.type == "error":
                watch.console_errors.append(msg.text)
            elif msg.type == "warning":
                watch.console_warnings.append(msg.text)

        page.on("console", on_console)
        page.on("pageerror", lambda error: watch.page_errors.append(str(error)))

        def on_dialog(dialog) -> None:
            watch.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        return page, watch

    yield open_page
    for context in contexts:
        context.close()
