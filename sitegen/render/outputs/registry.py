"""Which outputs the site consists of: every unit module of this package, then every plugin's
(the `sitegen.outputs` entry points, sitegen.plugins), found at first use.

The build plans every registered unit's pages and renders each page through its unit; the
nav, the sitemap, the caches and the size model loop over the units too, so nothing here or
in the build names a page kind. Modules are imported in name order, so planning is
deterministic.
"""

from __future__ import annotations

import pkgutil
from collections.abc import Iterable
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sitegen.plugins import OUTPUTS_GROUP, Plugin, load_plugins
from sitegen.render.outputs.base import NAV_PLACES, NavLink, Output, Page, SitemapUrl
from sitegen.site.size_model import Weight

if TYPE_CHECKING:
    from sitegen.render.renderer import Renderer
    from sitegen.site.model import Site

_OUTPUTS: dict[str, Output[Any]] = {}
_NOT_UNITS = {"base", "registry"}
_state = "not loaded"  # "loading" while the modules register themselves; "loaded"
_plugins: list[Plugin] = []
OutputType = TypeVar("OutputType", bound=type[Output[Any]])


def register(unit: OutputType) -> OutputType:
    """Register an Output class (usable as a decorator); a later one of the same name wins.
    A plugin or a test registers its own units the same way."""
    _OUTPUTS[unit.name] = unit()
    return unit


def registered() -> dict[str, Output[Any]]:
    """{name: unit}: the built-in units in module name order, then the plugins' units."""
    global _state
    if _state == "not loaded":
        _state = "loading"
        try:
            package = import_module("sitegen.render.outputs")
            for module in sorted(m.name for m in pkgutil.iter_modules(package.__path__)):
                if module not in _NOT_UNITS:
                    import_module(f"sitegen.render.outputs.{module}")
            _plugins[:] = load_plugins(OUTPUTS_GROUP, Output, register)
        except BaseException:
            _state = "not loaded"  # the next use tries again, and so reports the same error
            raise
        _state = "loaded"
    return _OUTPUTS


def plugins() -> list[Plugin]:
    """The plugins whose units are registered (their versions are part of the build-wide key)."""
    registered()
    return list(_plugins)


def template_folders() -> list[Path]:
    """The template folders units bring (plugins'), in the registry's order, each once."""
    folders = (unit.template_folder for unit in registered().values() if unit.template_folder is not None)
    return list(dict.fromkeys(folders))


def required_templates() -> tuple[str, ...]:
    """Every template some unit renders, sorted."""
    return tuple(sorted({name for unit in registered().values() for name in unit.templates}))


def plan_pages(site: Site, renderer: Renderer) -> list[Page[Any]]:
    return [page for unit in registered().values() for page in unit.plan(site, renderer)]


def render_page(page: Page[Any], site: Site, renderer: Renderer) -> bytes:
    return _OUTPUTS[page.output].render(page, site, renderer)


def nav_links(renderer: Renderer) -> dict[str, list[NavLink]]:
    """{place: links in order} of every unit's links (base.html shows them)."""
    links = sorted((link for unit in registered().values() for link in unit.nav_links(renderer)),
                   key=lambda link: link.order)  # stable: ties keep the registry's order
    return {place: [link for link in links if link.place == place] for place in NAV_PLACES}


def sitemap_urls(site: Site, renderer: Renderer) -> list[SitemapUrl]:
    """Every unit's sitemap URLs, by the units' `sitemap_order` (then name)."""
    units = sorted(registered().values(), key=lambda unit: (unit.sitemap_order, unit.name))
    return [url for unit in units for url in unit.sitemap(site, renderer)]


def weigh(site: Site) -> Iterable[Weight]:
    """Every unit's estimated weight of the site (sitegen.site.size_model adds them up)."""
    return [unit.weight(site) for unit in registered().values()]


def clear_caches() -> None:
    """Forget what every unit memoised per site (they hold the site model)."""
    for unit in registered().values():
        for cache in unit.caches:
            cache.cache_clear()


def unregister(name: str) -> None:
    """Forget a unit (a plugin's, or a test's)."""
    registered()
    _OUTPUTS.pop(name, None)
