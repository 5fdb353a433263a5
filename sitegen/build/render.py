"""Templates -> bytes. Pure: given the site model, each function returns one page's bytes.

The user's override folder is searched before the bundled templates (single templates can be
replaced), undefined variables are errors, autoescape is on, and every template is loaded at
start so a syntax error shows before anything is written. Only template files (by suffix,
outside static/) are read as templates: a templates folder may hold anything else.
"""

from __future__ import annotations

import hashlib
import os
from datetime import date
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import jinja2
from markupsafe import Markup

from sitegen import arxiv_ids
from sitegen import __version__, urls

from sitegen.build import markup
from sitegen.build.bibtex import bibtex_entry
from sitegen.build.code_digest import code_digest
from sitegen.config.settings import Config
from sitegen.build.load import Entry
from sitegen.errors import ConfigError
from sitegen.build.site import (INDEX_DAYS, Day, Site, TopicPage, day_url, paper_url, relative_root, topic_page_url,
                          topic_url, weekend_gap)

STATIC_DIR = "static"
# The templates sitegen renders (with those they extend and import); the folders may hold
# more templates (includes of an override) with these suffixes, and anything else.
PAGE_TEMPLATES = ("base.html", "_macros.html", "index.html", "day.html", "days.html", "topic.html",
                  "paper.html", "search.html", "404.html", "feeds.opml", "sitemap.xml",
                  "sitemap-index.xml", "robots.txt")
TEMPLATE_SUFFIXES = (".html", ".xml", ".opml", ".txt")
_ROOT_MARK = "\x00root\x00"  # stands for a page's relative root inside cached cards


def _summary(text: str, limit: int = 200) -> str:
    """One line of at most `limit` characters, cut at a word, for meta descriptions."""
    text = markup.plain_text(text)
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


def _template_files(config: Config, folders: list[Path]) -> dict[str, bytes]:
    """{name: bytes} of every template sitegen may load, the overrides' winning: files with a
    template suffix, outside static/ and hidden folders. Nothing else in the folders is read,
    so a stray binary or unreadable file there does no harm. Raises ConfigError when the
    templates sitegen renders are missing, or a template is not UTF-8 text."""
    missing = [name for name in PAGE_TEMPLATES if not any((f / name).is_file() for f in folders)]
    if missing:  # checked first: the folder may be anything, even "/"
        shown = ", ".join(missing[:4]) + (f" and {len(missing) - 4} more" if len(missing) > 4 else "")
        raise ConfigError(config.path, "build.templates",
                          f"{config.build.templates} is not a sitegen templates folder: it lacks {shown}; "
                          "point it at sitegen's templates/ folder (and put your own versions of single "
                          "templates in build.overrides)")
    found: dict[str, Path] = {}
    for folder in reversed(folders):
        for dirpath, dirnames, filenames in os.walk(folder):
            top = dirpath == str(folder)
            dirnames[:] = [d for d in dirnames if not d.startswith(".") and not (top and d == STATIC_DIR)]
            for name in filenames:
                if name.endswith(TEMPLATE_SUFFIXES) and not name.startswith("."):
                    path = Path(dirpath, name)
                    found[path.relative_to(folder).as_posix()] = path
    templates = {}
    for name, path in sorted(found.items()):
        data = _read(path)
        try:
            if b"\0" in data:
                raise UnicodeError("NUL bytes")
            data.decode("utf-8")
        except UnicodeError:
            raise ConfigError(path, "", "is not UTF-8 text (a binary file?); save it as UTF-8, or move it "
                                        "out of the templates folder") from None
        templates[name] = data
    return templates


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(path, "", f"cannot read ({exc.strerror or exc}); make it readable or remove it") from None


class Renderer:
    def __init__(self, config: Config):
        self.config = config
        folders = [p for p in (config.build.overrides, config.build.templates) if p is not None]
        for key, folder in (("build.templates", config.build.templates), ("build.overrides", config.build.overrides)):
            if folder is not None and not folder.is_dir():
                raise ConfigError(config.path, key, f"template folder {folder} does not exist")
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(f) for f in folders]),
            autoescape=jinja2.select_autoescape(["html", "xml", "opml"], default_for_string=True),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.globals.update(
            site=config.site,
            topics=config.topics,
            paper_url=paper_url,
            day_url=day_url,
            topic_url=topic_url,
            topic_page_url=topic_page_url,
            weekend_gap=weekend_gap,
            html_view=arxiv_ids.html_view,
            version=__version__,
        )
        base = config.site.base_url  # always ends with "/": joining is concatenation
        # Not urljoin: the sitemap calls this once per page, 100k times on a big site.
        self.env.filters["absolute"] = lambda url: url if "://" in url else base + url
        self.env.filters["summary"] = _summary
        self.env.filters["doi_url"] = urls.doi_url
        self.env.filters["longdate"] = lambda d: f"{d:%a}, {d.day} {d:%b %Y}"
        self.static = self._static_files(folders)
        self.env.globals["asset"] = self._asset_url
        self.env.globals["card"] = self._card
        self._cards: dict[tuple[str, str, int], str] = {}
        templates = _template_files(config, folders)
        self.fingerprint = self._fingerprint(templates)
        try:  # compile every template now so a broken one stops the build before writing
            for name in templates:
                self.env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            raise ConfigError(exc.filename or exc.name or "templates", f"line {exc.lineno}", exc.message) from None

    def _static_files(self, folders: list[Path]) -> dict[str, bytes]:
        """{'static/style.css': bytes}: the override folder's files win over bundled ones.
        Assets are copied as bytes, so they may hold anything."""
        found: dict[str, bytes] = {}
        for folder in reversed(folders):
            root = folder / STATIC_DIR
            for path in sorted(root.rglob("*")) if root.is_dir() else ():
                if path.is_file():
                    found[f"{STATIC_DIR}/{path.relative_to(root).as_posix()}"] = _read(path)
        return dict(sorted(found.items()))

    def _asset_url(self, name: str) -> str:
        # A content hash in the query string lets browsers cache assets forever yet never stale.
        data = self.static.get(f"{STATIC_DIR}/{name}")
        if data is None:
            raise jinja2.TemplateRuntimeError(f"asset {STATIC_DIR}/{name} is in neither build.templates "
                                              "nor build.overrides; add it or remove its asset() call")
        return f"{STATIC_DIR}/{name}?v={hashlib.sha1(data).hexdigest()[:10]}"

    def _card(self, entry: Entry, root: str, level: int = 2) -> Markup:
        """The `paper_card` macro's HTML for an entry, rendered once per entry and heading level.

        A paper appears on its day page and on every topic page it belongs to; rendering its
        card once (with a placeholder root, swapped per page) saves a third of a cold build."""
        key = (entry.digest, entry.slug, level)
        html = self._cards.get(key)
        if html is None:
            macro = self.env.get_template("_macros.html").module.paper_card
            html = self._cards[key] = str(macro(entry, _ROOT_MARK, level))
        return Markup(html.replace(_ROOT_MARK, root))

    def _fingerprint(self, templates: dict[str, bytes]) -> str:
        """Changes when any template, asset, setting or sitegen itself changes."""
        h = hashlib.sha256(code_digest().encode())
        h.update(repr((self.config.site, self.config.topics, self.config.build.search)).encode())
        for name, data in [*templates.items(), *self.static.items()]:
            h.update(name.encode() + b"\0" + data)
        return h.hexdigest()

    def _render(self, template: str, url: str, **context) -> bytes:
        page = self.env.get_template(template).render(
            root=relative_root(url), url=url, canonical=urljoin(self.config.site.base_url, url), **context
        )
        return page.encode("utf-8")

    # --- one function per page kind ------------------------------------------------------------

    def paper(self, entry: Entry) -> bytes:
        url = paper_url(entry.slug)
        return self._render("paper.html", url, entry=entry, paper=entry.paper,
                            bibtex=bibtex_entry(entry.paper))

    def day(self, day: Day) -> bytes:
        return self._render("day.html", day.url, day=day)

    def topic_page(self, page: TopicPage) -> bytes:
        return self._render("topic.html", page.url, page=page, topic=page.topic)

    def index(self, site: Site) -> bytes:
        counts = {slug: len(entries) for slug, entries in site.topics.items()}
        return self._render("index.html", "", newest=site.newest_day, top=site.top_recent(),
                            recent_days=site.days[:INDEX_DAYS], counts=counts, total=len(site.entries))

    def archive(self, site: Site) -> bytes:
        return self._render("days.html", "days/", days=[(d.date, len(d.entries)) for d in site.days])

    def search(self) -> bytes:
        # Without an index (build.search = false) the page says so instead of loading Pagefind.
        return self._render("search.html", "search/", search_enabled=self.config.build.search)

    def not_found(self) -> bytes:
        # Served at any missing path, so links must be absolute from the site's own path.
        page = self.env.get_template("404.html").render(
            root=urlsplit(self.config.site.base_url).path, url="404.html",
            canonical=urljoin(self.config.site.base_url, "404.html"))
        return page.encode("utf-8")

    def opml(self, site: Site) -> bytes:
        return self._render("feeds.opml", "feeds.opml", newest=site.newest_day)

    def robots(self) -> bytes:
        return self._render("robots.txt", "robots.txt")

    def sitemap(self, urls: list[tuple[str, date | None]]) -> bytes:
        return self._render("sitemap.xml", "sitemap.xml", urls=urls)

    def sitemap_index(self, names: list[str], lastmod: date | None) -> bytes:
        return self._render("sitemap-index.xml", "sitemap.xml", names=names, lastmod=lastmod)
