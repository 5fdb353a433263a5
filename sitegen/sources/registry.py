"""Which sources exist: the built-in ones and any registered by a plugin or a test.

A built-in source is one package, listed once in `_BUILT_IN`: its `source` module registers
the Source, and its `snapshot_key` module, when it has one, the key it adds to snapshots
(sitegen.snapshot.extras). `registered()` loads the sources on first use (not at import: a
source module imports the config's types, and the config asks the registry which
`[sources.*]` tables exist); `load_snapshot_keys()` loads only the keys, which is all that
reading snapshots needs (the build never imports the network code). Order is registration
order: the order sources run in a fetch.
"""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec
from typing import TypeVar

from sitegen.snapshot import extras
from sitegen.sources.base import Source

_BUILT_IN = ("sitegen.sources.arxiv", "sitegen.sources.huggingface", "sitegen.sources.semanticscholar")
_SOURCES: dict[str, type[Source]] = {}
_loaded = False
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
    """{name: Source class} of every known source, in registration order."""
    global _loaded
    if not _loaded:
        _loaded = True
        load_snapshot_keys()
        for package in _BUILT_IN:
            import_module(f"{package}.source")
    return dict(_SOURCES)


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
