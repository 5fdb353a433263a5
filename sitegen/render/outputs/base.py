"""The seam every page kind and output file plugs into: what it plans and how it renders.

An output unit (a class registered with `outputs.registry.register`) has a `name`, the
`templates` it renders (checked to exist before anything is built), and two methods:

- `plan(site, renderer)`: its files, each a Page with its path in output/ and a fingerprint
  of the inputs that shape its bytes (a page whose fingerprint and the build-wide key did not
  change since the last build is not rendered again, and pages with the same `group` are
  rendered together);
- `render(page, site, renderer)`: the page's bytes.

Adding a page kind is one module in this package (found by the registry, no list to edit)
and its template.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from sitegen.render.renderer import Renderer
    from sitegen.site.load import Entry
    from sitegen.site.model import Site


@dataclass(frozen=True, slots=True)
class Page:
    path: str  # relative to output/
    output: str  # the name of the unit that renders it
    key: Any  # what the unit's `render` needs to find the page's data
    fingerprint: str
    # Pages with the same group (None: none) share costly parts, such as a day page and its
    # papers' pages their abstracts: staging renders a group in one process, one page after
    # the other, so a per-process cache (sitegen.text.markup) makes the parts once.
    group: Any = None


class Output:
    """Base class of every output unit; see the module docstring."""

    name: ClassVar[str]
    templates: ClassVar[tuple[str, ...]] = ()

    def plan(self, site: Site, renderer: Renderer) -> Iterable[Page]:
        raise NotImplementedError

    def render(self, page: Page, site: Site, renderer: Renderer) -> bytes:
        raise NotImplementedError


def fingerprint(*parts: object) -> str:
    """A digest of a page's inputs (their repr: dates, digests, numbers, strings)."""
    return hashlib.sha1(repr(parts).encode()).hexdigest()


def digests(entries: Iterable[Entry]) -> tuple[str, ...]:
    """The snapshot digests of entries: a list page's part of its fingerprint."""
    return tuple(e.digest for e in entries)


def retired_part(site: Site, entries: Iterable[Entry]) -> tuple:
    """The part of a page's fingerprint that says which of the papers it links to have left
    the site (linked to arXiv: sitegen.site.retention). Empty while none has, so a site under
    its size limit keeps the fingerprints it had."""
    gone = site.retired_among(entries)
    return (gone,) if gone else ()
