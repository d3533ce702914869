#!/usr/bin/env python3
"""The README's screenshot: a page of the built site (site/), light mode, 1280x800, in Chromium.

    .venv/bin/python tools/screenshot.py [PAGE] [--out .github/screenshot.png]

PAGE is a site path such as "" (home, the default) or "topics/science/". The site is not built
here: run `python3 dev.py build` first. It is served on localhost only for the capture; any request
that would leave localhost is refused, so the picture shows what a reader without network gets.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("page", nargs="?", default="", help='site path to capture (default: the home page)')
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="built site folder (default: site/)")
    parser.add_argument("--out", type=Path, default=ROOT / ".github" / "screenshot.png", help="PNG to write")
    args = parser.parse_args(argv)

    if not (args.site / "index.html").is_file():
        print(f"no built site in {args.site}: run `python3 dev.py build` first", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(args.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{args.page.lstrip('/')}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            context = browser.new_context(viewport={"width": 1280, "height": 800}, color_scheme="light")
            context.route(
                "**/*",
                lambda route: route.continue_()
                if urlsplit(route.request.url).hostname in ("127.0.0.1", "localhost")
                or route.request.url.startswith(("data:", "blob:"))
                else route.abort(),
            )
            page = context.new_page()
            page.goto(url, wait_until="networkidle")
            page.evaluate("document.fonts.ready")
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    print(f"saved {url} as {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
