"""Which sources exist: the built-in ones and any registered by a plugin or a test.

`registered()` loads the built-in sources on first use (not at import: a source module
imports the config's types, and the config asks the registry which `[sources.*]` tables
exist), then every plugin's (the `sitegen.sources` entry points, sitegen.plugins). Order is
registration order: the order sources run in a fetch.
"""

from __future__ import annotations

from importlib import import_module
from typing import TypeVar

from sitegen.plugins import SOURCES_GROUP, load_plugins
from sitegen.sources.base import Source

_BUILT_IN = ("sitegen.sources.arxiv.source", "sitegen.sources.huggingface.source")
_SOURCES: dict[str, type[Source]] = {}
_state = "not loaded"  # "loading" while the built-in modules and plugins register; "loaded"
S = TypeVar("S", bound=type[Source])


def register(source: S) -> S:
    """Make a Source class known (usable as a decorator). A later class of the same name
    replaces the earlier one. Built-in sources always come first."""
    registered()
    _SOURCES[source.name] = source
    return source


def unregister(name: str) -> None:
    _SOURCES.pop(name, None)


def registered() -> dict[str, type[Source]]:
    """{name: Source class} of every known source, in registration order."""
    global _state
    if _state == "not loaded":
        _state = "loading"
        try:
            for module in _BUILT_IN:
                import_module(module)
            load_plugins(SOURCES_GROUP, Source, register)
        except BaseException:
            _state = "not loaded"  # the next use tries again, and so reports the same error
            raise
        _state = "loaded"
    return dict(_SOURCES)


def default_names() -> list[str]:
    """The sources a config that names none fetches from."""
    return [name for name, source in registered().items() if source.enabled_by_default]
