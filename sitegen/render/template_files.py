"""The template folders: which files are templates, which are static assets, the pages made
from templates alone, and how a name finds its file. Only template files (by suffix, outside
static/ and hidden folders) are read as templates, so a templates folder may hold anything else.

A name is looked up in build.overrides first, then in build.templates; `!bundled/<name>`
always means build.templates' file, so an override can extend the template it replaces
(`{% extends "!bundled/paper.html" %}`) and change one block.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from sitegen.config.settings import Config
from sitegen.errors import ConfigError

STATIC_DIR = "static"
PAGES_DIR = "pages"  # pages/<name>.html becomes <name>/index.html (outputs.template_pages)
# The templates every page extends or imports; the output units name the ones they render.
LAYOUT_TEMPLATES = ("base.html", "_macros.html")
TEMPLATE_SUFFIXES = (".html", ".xml", ".opml", ".txt")
# Folders the site build does not read: assets (copied as bytes) and the e-mail digest's
# templates (sitegen.digest renders those; editing them must not re-render the site).
NOT_SITE_TEMPLATES = (STATIC_DIR, "digest")
BUNDLED = "!bundled"  # the prefix that names build.templates' own file, whatever the overrides hold


def template_folders(config: Config, units: Iterable[Path] = ()) -> list[Path]:
    """The folders a template name is looked up in, the one that wins first: build.overrides,
    build.templates, then the folders output units bring (plugins' templates)."""
    return [p for p in (config.build.overrides, config.build.templates, *units) if p is not None]


def template_loader(config: Config, units: Iterable[Path] = ()) -> jinja2.BaseLoader:
    """Names looked up in template_folders(); `!bundled/<name>` in build.templates alone. The
    prefix is tried first: a folder named "!bundled" in the overrides cannot stand in for
    the bundled templates."""
    return jinja2.ChoiceLoader([
        jinja2.PrefixLoader({BUNDLED: jinja2.FileSystemLoader(str(config.build.templates))}, delimiter="/"),
        jinja2.FileSystemLoader([str(f) for f in template_folders(config, units)]),
    ])


@dataclass(frozen=True)
class ExtraPage:
    """A page made from templates/pages/<name>.html."""

    url: str  # "about/"
    title: str  # "About", for links to it
    template: str  # "pages/about.html"


def extra_pages(templates: dict[str, bytes]) -> list[ExtraPage]:
    found = []
    for name in sorted(templates):
        folder, _, file = name.partition("/")
        if folder == PAGES_DIR and "/" not in file and file.endswith(".html"):
            stem = file[:-5]
            found.append(ExtraPage(f"{stem}/", stem.replace("-", " ").replace("_", " ").capitalize(), name))
    return found


def template_files(config: Config, folders: list[Path], required: tuple[str, ...]) -> dict[str, bytes]:
    """{name: bytes} of every template sitegen may load, the overrides' winning: files with a
    template suffix, outside static/ and hidden folders. Nothing else in the folders is read,
    so a stray binary or unreadable file there does no harm. Raises ConfigError when the
    templates sitegen renders are missing, or a template is not UTF-8 text."""
    missing = [name for name in required if not any((f / name).is_file() for f in folders)]
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
            dirnames[:] = [d for d in dirnames if not d.startswith(".") and not (top and d in NOT_SITE_TEMPLATES)]
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


def replaced_templates(config: Config, templates: dict[str, bytes]) -> dict[str, bytes]:
    """{"!bundled/<name>": bytes} of each bundled template an override replaces: an override
    may extend it, so its bytes are part of what a page's bytes depend on."""
    if config.build.overrides is None:
        return {}
    bundled = {name: config.build.templates / name for name in templates}
    return {f"{BUNDLED}/{name}": _read(path) for name, path in sorted(bundled.items())
            if (config.build.overrides / name).is_file() and path.is_file()}


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ConfigError(path, "", f"cannot read ({exc.strerror or exc}); make it readable or remove it") from None


def static_files(folders: list[Path]) -> dict[str, bytes]:
    """{'static/style.css': bytes}: the override folder's files win over bundled ones.
    Assets are copied as bytes, so they may hold anything."""
    found: dict[str, bytes] = {}
    for folder in reversed(folders):
        root = folder / STATIC_DIR
        for path in sorted(root.rglob("*")) if root.is_dir() else ():
            if path.is_file():
                found[f"{STATIC_DIR}/{path.relative_to(root).as_posix()}"] = _read(path)
    return dict(sorted(found.items()))

