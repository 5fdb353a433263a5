"""Plugins: installed packages that add sources or page kinds without editing sitegen.

A plugin's distribution names its classes (or modules) in the entry-point groups
`sitegen.sources` and `sitegen.outputs` of its metadata, e.g. in its pyproject.toml:

    [project.entry-points."sitegen.outputs"]
    weeks = "my_plugin.weeks:WeekPages"

The registries (sitegen.sources.registry, sitegen.render.outputs.registry) load them at their
first use, after the built-in ones. An entry point naming a class registers it; one naming a
module is imported, and registers its classes itself (the registry's `register` decorator).
A plugin that fails to load is one line naming it and its entry point, never a traceback.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import EntryPoint, entry_points
from typing import TypeVar

from sitegen.echo import cut, one_line
from sitegen.errors import SitegenError

SOURCES_GROUP = "sitegen.sources"
OUTPUTS_GROUP = "sitegen.outputs"
T = TypeVar("T", bound=type)


class PluginError(SitegenError):
    """An installed plugin could not be loaded: the message names it and its entry point."""

    exit_code = 2


@dataclass(frozen=True)
class Plugin:
    """One loaded entry point, and the distribution that declared it."""

    distribution: str
    version: str
    entry_point: str  # "weeks = my_plugin.weeks:WeekPages"


def load_plugins(group: str, base: T, register: Callable[[T], object]) -> list[Plugin]:
    """Load every entry point of `group` (in distribution and name order, so the same plugins
    always register in the same order): a class must subclass `base` and is registered."""
    found = sorted(_installed().get(group, ()), key=lambda ep: (_distribution(ep), ep.name))
    loaded = []
    for ep in found:
        plugin = Plugin(_distribution(ep), ep.dist.version if ep.dist else "", f"{ep.name} = {ep.value}")
        try:
            target = ep.load()
            if isinstance(target, type) and issubclass(target, base):
                register(target)  # type: ignore[arg-type]  # T is base's type: a subclass is one too
            elif not isinstance(target, types.ModuleType):
                raise TypeError(f"names {target!r}, which is neither a subclass of {base.__name__} nor a module")
        except Exception as exc:
            why = cut(one_line(f"{type(exc).__name__}: {exc}"), 300)
            raise PluginError(f"plugin {plugin.distribution} (entry point {plugin.entry_point!r} in group {group}) "
                              f"cannot be loaded: {why}; fix or uninstall the plugin") from None
        loaded.append(plugin)
    return loaded


@lru_cache(maxsize=1)
def _installed() -> dict[str, tuple[EntryPoint, ...]]:
    """The entry points of both groups, read once: each read walks every installed
    distribution's metadata on sys.path, a noticeable part of a no-change build."""
    every = entry_points()
    return {group: tuple(every.select(group=group)) for group in (SOURCES_GROUP, OUTPUTS_GROUP)}


def _distribution(ep: EntryPoint) -> str:
    return ep.dist.name if ep.dist is not None else "(unknown distribution)"
