"""Templates -> bytes: the Jinja environment every output unit renders its pages with.

The user's override folder is searched before the bundled templates (single templates can be
replaced, or extend the bundled one through `!bundled/<name>`), undefined variables are
errors, autoescape is on, and every template is loaded at start so a syntax error shows before
anything is written. Cards (a paper's summary on list pages) are rendered once per paper and
reused on every page that lists it.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any
from urllib.parse import urljoin

import jinja2
from markupsafe import Markup

from sitegen import __version__, arxiv_ids, urls
from sitegen.code_digest import code_digest
from sitegen.config.settings import Config
from sitegen.errors import ConfigError
from sitegen.limits import CARD_TOPICS
from sitegen.render.outputs import registry as outputs
from sitegen.render.template_files import (
    LAYOUT_TEMPLATES,
    STATIC_DIR,
    extra_pages,
    replaced_templates,
    static_files,
    template_files,
    template_folders,
    template_loader,
)
from sitegen.site.load import Entry
from sitegen.site.model import day_url, paper_href, paper_url, relative_root, topic_page_url, topic_url, weekend_gap
from sitegen.site.periods import week_of
from sitegen.text import markup
from sitegen.venues.of_paper import venue_of
from sitegen.versions import version_mark

# A relative URL urljoin() would only append to the base URL: no scheme, query, fragment,
# leading "/" or "." / ".." segment (no segment starts with a dot). Most pages' URLs are.
_PLAIN_PATH = re.compile(r"(?:[\w~-][\w.~-]*/)*(?:[\w~-][\w.~-]*)?")
_ROOT_MARK = "\x00root\x00"  # stands for a page's relative root inside cached cards
# Hugging Face's social thumbnail of a paper it lists (`[site] thumbnails = true` only).
HF_THUMBNAIL = "https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{}.png"


def _summary(text: str, limit: int = 200) -> str:
    """One line of Unicode text of at most `limit` characters, cut at a word, for meta
    descriptions: TeX read as in every other channel (markup.plain_line)."""
    text = markup.plain_line(text)
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


class Renderer:
    def __init__(self, config: Config, check: bool = True) -> None:
        self.config = config
        units = outputs.template_folders()
        folders = template_folders(config, units)
        for key, folder in (("build.templates", config.build.templates), ("build.overrides", config.build.overrides)):
            if folder is not None and not folder.is_dir():
                raise ConfigError(config.path, key, f"template folder {folder} does not exist")
        self.env = jinja2.Environment(
            loader=template_loader(config, units),
            autoescape=jinja2.select_autoescape(["html", "xml", "opml"], default_for_string=True),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            # Templates are read once per build: checking each one's mtime on every page and
            # card (auto_reload) cost a stat() per template per page.
            auto_reload=False,
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
            search_enabled=config.build.search,
            abstract_parts=markup.abstract_parts,
            topic_titles={t.slug: t.title for t in config.topics},
            hf_thumbnail=HF_THUMBNAIL,
            card_topics=CARD_TOPICS,  # topics a card names before "and N more" (sitegen.limits)
            version_mark=version_mark,  # a revised paper's "v3, 12 Sep 2026: <comment>" (sitegen.versions)
            week_of=week_of,  # a day's ISO week, whose page a day page links (sitegen.site.periods)
            venue_of=venue_of,  # where a paper was accepted: "ICLR 2027" (sitegen.venues)
        )
        base = config.site.base_url  # always ends with "/": joining is concatenation
        # Not urljoin: the sitemap calls this once per page, 100k times on a big site.
        self.env.filters["absolute"] = lambda url: url if "://" in url else base + url
        # urljoin() also drops empty and dot segments of the base's path: only when it has none
        # is joining a plain path (_PLAIN_PATH) to it concatenation.
        self._plain_join = urljoin(base, "x") == base + "x"
        self.env.filters["summary"] = _summary
        # A title or abstract as Unicode text (<title>, meta tags, search records): `plain`
        # gives one line, `plain_paragraphs` a list of paragraphs.
        self.env.filters["plain"] = markup.plain_line
        self.env.filters["plain_paragraphs"] = markup.plain_lines
        # Other one-line fetched text (a version's comment) as a title is shown: escaped, TeX read.
        self.env.filters["inline"] = lambda text: Markup(markup.inline_html(text))
        self.env.filters["doi_url"] = urls.doi_url
        self.env.filters["longdate"] = lambda d: f"{d:%a}, {d.day} {d:%b %Y}"
        self.static = static_files(folders)
        self._asset_urls: dict[str, str] = {}
        self.env.globals["asset"] = self._asset_url
        self.env.globals["card"] = self._card
        # Links to a paper go to arXiv once its page has left the site (sitegen.site.retention).
        self.retired: frozenset[str] = frozenset()
        self.env.globals["paper_href"] = lambda entry, root, fragment="": paper_href(entry, root, self.retired,
                                                                                   fragment)
        self._cards: dict[tuple[str, str, int, bool | str], bytes] = {}
        templates = template_files(config, folders, (*LAYOUT_TEMPLATES, *outputs.required_templates()))
        self.extra_pages = extra_pages(templates)
        self.env.globals["extra_pages"] = self.extra_pages
        # Every unit's header and footer links, by place ("header", "feeds", "footer"): base.html.
        self.nav = outputs.nav_links(self)
        self.env.globals["nav"] = self.nav
        self.fingerprint = self._fingerprint({**templates, **replaced_templates(config, templates)})
        self._names = tuple(templates)
        if check:
            self.check_templates()

    def check_templates(self) -> None:
        """Compile every template, so a broken one stops the build before anything is written.

        A build that finds nothing changed since the last one (same templates, by the
        fingerprint) skips this: compiling them was a large part of a no-change rebuild."""
        try:
            for name in self._names:
                self.env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            raise ConfigError(exc.filename or exc.name or "templates", f"line {exc.lineno}",
                              exc.message or "template syntax error") from None

    def _asset_url(self, name: str) -> str:
        # A content hash in the query string lets browsers cache assets forever yet never stale.
        # Every page asks for the same few: each hashed once.
        url = self._asset_urls.get(name)
        if url is None:
            data = self.static.get(f"{STATIC_DIR}/{name}")
            if data is None:
                raise jinja2.TemplateRuntimeError(f"asset {STATIC_DIR}/{name} is in neither build.templates "
                                                  "nor build.overrides; add it or remove its asset() call")
            url = self._asset_urls[name] = f"{STATIC_DIR}/{name}?v={hashlib.sha1(data).hexdigest()[:10]}"
        return url

    def _card(self, entry: Entry, root: str, level: int = 2, folded: bool | str = True) -> Markup:
        """The `paper_card` macro's HTML for an entry, rendered once per entry, heading level
        and kind (`folded`: True, the whole abstract, its rest in a <details>; "lead", its
        first lines and a link to the paper page, for old day pages and topic archive pages;
        False, no abstract).

        A paper appears on every topic archive page of the topics it is in; rendering that card
        once (with a placeholder root, swapped per page) saves much of a cold build. Those are
        kept, as UTF-8 (a card with a "▲" is two bytes a character as a str): their memory
        grows with the papers (measured: benchmarks/README.md, Measurements behind the code). A
        whole-abstract card is listed on its day page and only for a while on the index and
        topic front pages: rendered each time, never kept."""
        # A template module's attributes are the template's macros: known only at run time.
        module: Any = self.env.get_template("_macros.html").module
        if folded is True:
            return Markup(str(module.paper_card(entry, root, level, folded)))
        key = (entry.digest, entry.slug, level, folded)
        data = self._cards.get(key)
        if data is None:
            data = self._cards[key] = str(module.paper_card(entry, _ROOT_MARK, level, folded)).encode()
        return Markup(data.decode().replace(_ROOT_MARK, root))

    def _fingerprint(self, templates: dict[str, bytes]) -> str:
        """Changes when any template, asset, setting, output unit or sitegen itself changes."""
        h = hashlib.sha256(code_digest().encode())
        # Units registered from outside sitegen/ (plugins, tests) are not in code_digest: their
        # classes, the plugins' versions, and the links every page shows are.
        units = sorted(f"{unit.name}={type(unit).__module__}.{type(unit).__qualname__}"
                       for unit in outputs.registered().values())
        h.update(repr((units, outputs.plugins(), self.nav)).encode())
        build = self.config.build
        h.update(repr((self.config.site, self.config.topics, build.search, build.publish_unmatched)).encode())
        for name, data in [*templates.items(), *self.static.items()]:
            h.update(name.encode() + b"\0" + data)
        return h.hexdigest()

    def render(self, template: str, url: str, root: str | None = None, **context: object) -> bytes:
        """A page's bytes: `template` rendered for the page at `url` (relative to the site
        root), whose links reach the root through `root` (by default "../" per level)."""
        base = self.config.site.base_url
        canonical = base + url if self._plain_join and _PLAIN_PATH.fullmatch(url) else urljoin(base, url)
        page = self.env.get_template(template).render(
            root=relative_root(url) if root is None else root, url=url, canonical=canonical, **context)
        return page.encode("utf-8")
