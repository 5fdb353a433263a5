"""The seam every page kind and output file plugs into: what it plans, how it renders, and what
the rest of the site needs to know of it.

An output unit (a class registered with `outputs.registry.register`, or by a plugin's
`sitegen.outputs` entry point) has a `name`, the `templates` it renders (checked to exist
before anything is built; a plugin ships them in its `template_folder`, which build.templates
and build.overrides win over), and two methods:

- `plan(site, renderer)`: its files, each a Page with its path in output/ and a fingerprint
  of the inputs that shape its bytes (a page whose fingerprint and the build-wide key did not
  change since the last build is not rendered again, and pages with the same `group` are
  rendered together);
- `render(page, site, renderer)`: the page's bytes.

What the site's shared parts need of it, each optional, each read through the registry so that
nothing outside the unit names it:

- `nav`: links to its pages in every page's header or footer (NavLink);
- `sitemap(site, renderer)`: the URLs of its pages crawlers should find, placed by
  `sitemap_order`;
- `caches`: the functions it memoises per site (functools.lru_cache), cleared once the pages
  are written so Pagefind runs without the site in memory;
- `weight(site)`: what its files weigh, estimated from the model, for `[build] max_site_mb`
  (sitegen.site.size_model; a unit of a few small files may leave it out).

Adding a page kind is one module in this package (found by the registry, no list to edit), or
in a plugin, and its template.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Generic, Protocol, TypeVar

from sitegen.site.size_model import Weight

if TYPE_CHECKING:
    from sitegen.render.renderer import Renderer
    from sitegen.site.load import Entry
    from sitegen.site.model import Site

K = TypeVar("K")  # what a unit's `render` needs to find a page's data: an index, a key, a record


@dataclass(frozen=True, slots=True)
class Page(Generic[K]):
    path: str  # relative to output/
    output: str  # the name of the unit that renders it
    key: K
    fingerprint: str
    # Pages with the same group (None: none) share costly parts, such as a day page and its
    # papers' pages their abstracts: staging renders a group in one process, one page after
    # the other, so a per-process cache (sitegen.text.markup) makes the parts once.
    group: Hashable = None


# Where a NavLink goes: the header's links, the footer's feed links (paper pages leave these
# out: base.html's `footer_feeds` block) and the footer's other links.
NAV_PLACES = ("header", "feeds", "footer")


@dataclass(frozen=True)
class NavLink:
    """A link every page shows, to a page of the unit that declares it."""

    label: str  # "Days"
    url: str  # relative to the site root: "days/"
    place: str  # one of NAV_PLACES
    order: int = 50  # its position in its place: lower first; ties in the registry's order

    def __post_init__(self) -> None:
        if self.place not in NAV_PLACES:
            raise ValueError(f"nav link {self.label!r}: place {self.place!r} is not one of {', '.join(NAV_PLACES)}")


class Cache(Protocol):
    """A function memoised with functools.lru_cache: what a unit lists in `caches`."""

    def cache_clear(self) -> None: ...


SitemapUrl = tuple[str, date | None]  # a page's URL relative to the site root, and its last change


class Output(Generic[K]):
    """Base class of every output unit; see the module docstring."""

    name: ClassVar[str]
    templates: ClassVar[tuple[str, ...]] = ()
    template_folder: ClassVar[Path | None] = None  # templates the unit brings (a plugin's), looked up last
    nav: ClassVar[tuple[NavLink, ...]] = ()
    caches: ClassVar[tuple[Cache, ...]] = ()
    # The sitemap lists the units' URLs by this number, lowest first (then by name). Pages
    # whose number grows with the site (day pages 80, paper pages 90) come last, oldest first,
    # so a new one is appended and earlier sitemap files keep their bytes.
    sitemap_order: ClassVar[int] = 50

    def plan(self, site: Site, renderer: Renderer) -> Iterable[Page[K]]:
        raise NotImplementedError

    def render(self, page: Page[K], site: Site, renderer: Renderer) -> bytes:
        raise NotImplementedError

    def nav_links(self, renderer: Renderer) -> Iterable[NavLink]:
        """Its links in every page's header or footer: `nav`, unless the links depend on the
        templates (pages made from templates alone)."""
        return self.nav

    def sitemap(self, site: Site, renderer: Renderer) -> Iterable[SitemapUrl]:
        """The URLs of its pages that belong in sitemap.xml; none by default."""
        return ()

    def weight(self, site: Site) -> Weight:
        """What its files weigh, estimated from the model alone; nothing by default (the size
        model's base covers a few small pages)."""
        return Weight()


def fingerprint(*parts: object) -> str:
    """A digest of a page's inputs (their repr: dates, digests, numbers, strings)."""
    return hashlib.sha1(repr(parts).encode()).hexdigest()


def digests(entries: Iterable[Entry]) -> tuple[str, ...]:
    """The snapshot digests of entries: a list page's part of its fingerprint."""
    return tuple(e.digest for e in entries)


def retired_part(site: Site, entries: Iterable[Entry]) -> tuple[tuple[str, ...], ...]:
    """The part of a page's fingerprint that says which of the papers it links to have left
    the site (linked to arXiv: sitegen.site.retention). Empty while none has, so a site under
    its size limit keeps the fingerprints it had."""
    gone = site.retired_among(entries)
    return (gone,) if gone else ()
