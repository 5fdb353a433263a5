"""Which outputs the site consists of: every unit module of this package, found at first use.

The build plans every registered unit's pages and renders each page through its unit;
nothing here names a page kind. Modules are imported in name order, so planning is
deterministic.
"""

from __future__ import annotations

import pkgutil
from importlib import import_module
from typing import TypeVar

from sitegen.render.outputs.base import Output, Page

_OUTPUTS: dict[str, Output] = {}
_NOT_UNITS = {"base", "registry"}
_loaded = False
OutputType = TypeVar("OutputType", bound=type[Output])


def register(unit: OutputType) -> OutputType:
    """Register an Output class (usable as a decorator); a later one of the same name wins.
    A plugin or a test registers its own units the same way."""
    _OUTPUTS[unit.name] = unit()
    return unit


def registered() -> dict[str, Output]:
    global _loaded
    if not _loaded:
        _loaded = True
        package = import_module("sitegen.render.outputs")
        for module in sorted(m.name for m in pkgutil.iter_modules(package.__path__)):
            if module not in _NOT_UNITS:
                import_module(f"sitegen.render.outputs.{module}")
    return _OUTPUTS


def required_templates() -> tuple[str, ...]:
    """Every template some unit renders, sorted."""
    return tuple(sorted({name for unit in registered().values() for name in unit.templates}))


def plan_pages(site, renderer) -> list[Page]:
    return [page for unit in registered().values() for page in unit.plan(site, renderer)]


def render_page(page: Page, site, renderer) -> bytes:
    return _OUTPUTS[page.output].render(page, site, renderer)


def unregister(name: str) -> None:
    """Forget a unit (a plugin's, or a test's)."""
    registered()
    _OUTPUTS.pop(name, None)
