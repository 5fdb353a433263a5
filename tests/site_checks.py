"""Checks on a built site used by several tests: links, feeds, HTML structure."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# End tags HTML leaves optional where the templates leave them out (a paper page's facts): a <dt>
# or <dd> ends at the next <dt> or <dd>, or at the end of its <dl>.
OPTIONAL_END = {"dt", "dd"}


class PageParser(HTMLParser):
    """Collects links and checks that every non-void element is closed in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("href", "src"):
            if a.get(key) is not None:
                self.links.append(a[key])
        if "id" in a:
            self.ids.append(a["id"])
        if tag not in VOID:
            if tag in OPTIONAL_END and self.stack and self.stack[-1] in OPTIONAL_END:
                self.stack.pop()
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if tag == "dl" and self.stack and self.stack[-1] in OPTIONAL_END:
            self.stack.pop()
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
        else:
            self.stack.pop()


def paper_facts(page: str) -> dict[str, str]:
    """A paper page's facts as {label: the HTML of its value} (<dt> and <dd> without end tags)."""
    match = re.search(r'<dl class="facts">(.*?)</dl>', page, re.S)
    assert match, "no facts list"
    return {m[1]: m[2].strip() for m in re.finditer(r"<dt>([^<]*)<dd>(.*?)(?=<dt>|\Z)", match[1], re.S)}


def parse_page(path: Path) -> PageParser:
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    if parser.stack:
        parser.errors.append(f"unclosed elements at end: {parser.stack}")
    if len(set(parser.ids)) != len(parser.ids):
        parser.errors.append("duplicate id attributes")
    return parser


def page_url(rel: str, base: str) -> str:
    """The URL a file is served at: folders for index.html."""
    if rel.endswith("index.html"):
        rel = rel[: -len("index.html")]
    return urljoin(base, rel)


def internal_targets(output: Path, base: str) -> dict[str, list[str]]:
    """{page: [resolved internal URLs]} for every HTML page, as served under `base`."""
    found = {}
    for path in sorted(output.rglob("*.html")):
        rel = path.relative_to(output).as_posix()
        if rel == "404.html":
            continue  # served at arbitrary paths; its links are absolute from the base path
        url = page_url(rel, base)
        found[rel] = [urljoin(url, link) for link in parse_page(path).links
                      if not re.match(r"[a-z]+:", link) or link.startswith(base)]
    return found


def file_for(url: str, output: Path, base: str) -> Path | None:
    """The output file a same-site URL resolves to, or None when it leaves the site."""
    path = urlsplit(url).path
    base_path = urlsplit(base).path
    if not path.startswith(base_path):
        return None
    rel = path[len(base_path):]
    target = output / rel
    if rel == "" or rel.endswith("/"):
        target = target / "index.html"
    return target
