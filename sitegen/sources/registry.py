"""Which sources exist: the built-in ones and any registered by a plugin or a test.

A built-in source is one package, listed once in `_BUILT_IN`: its `source` module registers
the Source, and its `snapshot_key` module, when it has one, the key it adds to snapshots
(sitegen.snapshot.extras). `registered()` loads the built-in sources on first use (not at
import: a source module imports the config's types, and the config asks the registry which
`[sources.*]` tables exist), then every plugin's (the `sitegen.sources` entry points,
sitegen.plugins); `load_snapshot_keys()` loads only the keys, which is all that reading
snapshots needs (the build never imports the network code). Order: the built-in sources in
`_BUILT_IN`'s order, then plugins in registration order: the order sources run in a fetch.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import TypeVar

from sitegen.plugins import SOURCES_GROUP, load_plugins
from sitegen.snapshot import extras
from sitegen.sources.base import Source

_BUILT_IN = ("sitegen.sources.arxiv", "sitegen.sources.huggingface", "sitegen.sources.semanticscholar")
_SOURCES: dict[str, type[Source]] = {}
_state = "not loaded"  # "loading" while the built-in modules and plugins register; "loaded"
S = TypeVar("S", bound=type[Source])


def register(source: S) -> S:
    """Make a Source class known (usable as a decorator). A later class of the same name
    replaces the earlier one. Built-in sources always come first."""
    registered()
    _SOURCES[source.name] = source
    if source.snapshot_key is not None:
        extras.register(source.snapshot_key)
    return source


def unregister(name: str) -> None:
    source = _SOURCES.pop(name, None)
    if source is not None and source.snapshot_key is not None:
        extras.unregister(source.snapshot_key.name)


def registered() -> dict[str, type[Source]]:
    """{name: Source class} of every known source: the built-in ones in `_BUILT_IN`'s order
    (whichever module happened to be imported first), then the others in registration order."""
    global _state
    if _state == "not loaded":
        _state = "loading"
        try:
            load_snapshot_keys()
            for package in _BUILT_IN:
                import_module(f"{package}.source")
            load_plugins(SOURCES_GROUP, Source, register)
        except BaseException:
            _state = "not loaded"  # the next use tries again, and so reports the same error
            raise
        _state = "loaded"
    return dict(sorted(_SOURCES.items(), key=_rank))  # sorted() is stable: plugins keep their order


def _rank(item: tuple[str, type[Source]]) -> int:
    package = item[1].__module__.rpartition(".")[0]
    return _BUILT_IN.index(package) if package in _BUILT_IN else len(_BUILT_IN)


_keys_loaded = False


def load_snapshot_keys() -> None:
    """Import each built-in source's `snapshot_key` module (those that have one) once."""
    global _keys_loaded
    if not _keys_loaded:
        _keys_loaded = True
        for package in _BUILT_IN:
            if find_spec(f"{package}.snapshot_key") is not None:
                import_module(f"{package}.snapshot_key")


def default_names() -> list[str]:
    """The sources a config that names none fetches from."""
    return [name for name, source in registered().items() if source.enabled_by_default]
