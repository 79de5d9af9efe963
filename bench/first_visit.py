"""The first visit to a page before consent: the page and every stylesheet, script,
image and icon a browser loads with it (and what the CSS loads), as transferred."""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from bench.config import ACCEPT_ENCODING
from drills import stack
from drills.stack import HttpResult


def http_get(port: int, path: str) -> HttpResult:
    """GET as a browser asks for it: compressed."""
    return stack.http_get(port, path, headers={"Accept-Encoding": ACCEPT_ENCODING})


def decoded_body(result: HttpResult) -> bytes:
    encoding = result.headers.get("Content-Encoding", "")
    if encoding == "gzip":
        return gzip.decompress(result.body)
    if encoding == "br":
        import brotli  # installed with whitenoise[brotli]

        return brotli.decompress(result.body)
    return result.body


LOADED_LINK_RELS = {"stylesheet", "icon", "apple-touch-icon", "preload", "manifest"}
SOURCE_ATTRIBUTES = {
    "script": "src",
    "img": "src",
    "iframe": "src",
    "source": "src",
    "video": "src",
    "audio": "src",
    "embed": "src",
    "object": "data",
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)""")


class SubresourceParser(HTMLParser):
    """Collects the URLs a browser loads on its own when it renders the page."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link":
            rels = set((attributes.get("rel") or "").lower().split())
            if rels & LOADED_LINK_RELS and attributes.get("href"):
                self.urls.append(attributes["href"])
        elif attributes.get(SOURCE_ATTRIBUTES.get(tag, "")):
            self.urls.append(attributes[SOURCE_ATTRIBUTES[tag]])


@dataclass
class FirstVisit:
    fetched: list[tuple[str, HttpResult]] = field(default_factory=list)
    third_party: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.fetched)

    @property
    def bytes(self) -> int:
        return sum(len(result.body) for _, result in self.fetched)

    @property
    def failed(self) -> list[str]:
        return [f"{path} ({r.status})" for path, r in self.fetched if r.status != 200]

    def describe(self) -> str:
        return ", ".join(
            f"`{path}` {len(result.body):,} B "
            f"({result.headers.get('Content-Encoding') or 'uncompressed'})"
            for path, result in self.fetched
        )


def first_visit(port: int, path: str) -> FirstVisit:
    """Fetch the page and what it loads (and what its CSS loads), compressed."""
    origin = f"http://127.0.0.1:{port}"
    page = http_get(port, path)
    visit = FirstVisit(fetched=[(path, page)])
    parser = SubresourceParser()
    parser.feed(decoded_body(page).decode("utf-8", errors="replace"))
    queue = [urljoin(origin + path, url) for url in parser.urls]
    seen: set[str] = set()
    while queue:
        url = queue.pop(0)
        if url in seen or url.startswith("data:"):
            continue
        seen.add(url)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            visit.third_party.append(url)
            continue
        local_path = parts.path + (f"?{parts.query}" if parts.query else "")
        result = http_get(port, local_path)
        visit.fetched.append((local_path, result))
        if result.status == 200 and "css" in result.headers.get("Content-Type", ""):
            css = decoded_body(result).decode("utf-8", errors="replace")
            queue += [urljoin(url, a or b) for a, b in CSS_URL.findall(css)]
    return visit
