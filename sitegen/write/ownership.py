"""Which output folder sitegen may write and prune, and which files in it are sitegen's.

`sitegen build` writes only into a folder it made: one that is new, empty, or holds its marker
(writer.MARKER, listing every file sitegen wrote there). Within it, a build replaces and
prunes only the files the marker lists; files someone else put there (a CNAME, a .nojekyll)
are left alone, and one standing where the build would write is refused rather than
overwritten. An output folder built by a sitegen from before the marker is recognised by the
build cache's manifest of that folder and adopted.

Any other folder is refused (exit 2), unless `--force` says to replace its contents. Never,
not even with --force: the file system's root, the home folder, a folder that is or holds the
project (the config file's folder), content/, the templates or overrides folder, or a folder
inside content/ or the templates; and --force never empties a folder holding a `.git` or a
sitegen.toml. The point is that no mistyped `--output` or `output = "."` ever deletes work.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sitegen.config.settings import Config
from sitegen.errors import OutputRefused
from sitegen.safe_fs import is_link
from sitegen.search.index import BUNDLE
from sitegen.stamps import Stamp
from sitegen.write import marker, writer
from sitegen.write.manifest import recorded_pages

_NEVER_EMPTIED = (".git", "sitegen.toml")  # --force leaves a folder holding one of these alone


@dataclass(frozen=True)
class Claim:
    """What sitegen may do in an output folder it is allowed to build in."""

    files: frozenset[str]  # files sitegen wrote here: it may replace or remove them
    folders: frozenset[str]  # folders it owns whole, with a trailing "/" (the search index)
    marker: bytes | None  # the marker as found, None when there is none
    foreign: frozenset[str]  # files someone else put here: never written over or removed


def check_location(out_dir: Path, config: Config, origin: str) -> None:
    """Refuse, whatever is in it and even with --force, an output folder whose emptying or
    pruning could destroy the project: see the module docstring."""
    def refuse(reason: str):
        raise OutputRefused(f"output folder {out_dir} ({origin}) {reason}; sitegen never builds there, "
                            f"not even with --force: set {origin} to a new or empty folder")

    if out_dir == Path(out_dir.anchor):
        refuse("is the root of the file system")
    home = _home()
    if home is not None and out_dir == home:
        refuse("is your home folder")
    if home is not None and home.is_relative_to(out_dir):
        refuse(f"holds your home folder {home}")
    b = config.build
    project = config.root.resolve()
    if project.is_relative_to(out_dir):
        what = "is" if project == out_dir else "holds"
        refuse(f"{what} the project folder {project} (where {config.path.name} is)")
    for key, path in (("build.content", b.content), ("build.templates", b.templates), ("build.overrides", b.overrides)):
        if path is None:
            continue
        path = path.resolve()
        if path.is_relative_to(out_dir):
            refuse(f"{'is' if path == out_dir else 'holds'} the {key} folder {path}")
        if out_dir.is_relative_to(path):
            refuse(f"is inside the {key} folder {path}")


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, KeyError, OSError):  # no HOME and no passwd entry
        return None


def claim(out_dir: Path, existing: dict[str, Stamp], *, force: bool, origin: str,
          manifest: Path | None, aside: Iterable[str] = ()) -> Claim:
    """Decide whether sitegen may build in out_dir (after check_location), and which files
    in it are sitegen's.

    `existing` is every file in out_dir; `aside` are folders inside out_dir that are never
    output (the build caches, when configured there); `manifest` is the build cache's
    manifest of out_dir. Raises OutputRefused (exit 2) with what to do."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputRefused(f"output folder {out_dir} ({origin}) is a file, not a folder; "
                            f"set {origin} to a new or empty folder")
    aside = tuple(f"{a}/" for a in aside)
    files = {rel for rel in existing
             if rel != writer.MARKER and not writer.is_leftover(rel) and not rel.startswith(aside)}
    try:
        found = marker.read_marker(out_dir)
        unreadable = ""
    except marker.MarkerError as exc:
        found, unreadable = None, str(exc)
    if found is not None:
        data, listed, folders = found
        listed = {rel for rel in listed if not rel.startswith(aside)}
        foreign = {rel for rel in files - listed if not rel.startswith(tuple(folders))}
        return Claim(frozenset(listed), frozenset(folders), data, frozenset(foreign))
    if not files and not unreadable:
        return Claim(frozenset(), frozenset(), None, frozenset())  # new or empty
    recorded = recorded_pages(manifest)
    bundle = BUNDLE + "/"  # the search index: sitegen's whole
    if not unreadable and recorded and all(rel in recorded or rel.startswith(bundle) for rel in files):
        # Built by a sitegen from before the marker: its manifest lists every file here.
        return Claim(frozenset(recorded), frozenset({bundle}), None, frozenset())
    held = sorted(rel for rel in files if set(rel.split("/")) & set(_NEVER_EMPTIED))
    if held or (out_dir / ".git").exists():
        name = held[0] if held else ".git"
        raise OutputRefused(f"output folder {out_dir} ({origin}) holds {name!r}, which sitegen did not write "
                            f"(a project or repository?); sitegen never empties such a folder, not even "
                            f"with --force: set {origin} to a new or empty folder")
    if force:  # take it over: everything in it is sitegen's to replace or remove
        return Claim(frozenset(files), frozenset({bundle}), None, frozenset())
    unknown = [rel for rel in files if rel not in recorded and not rel.startswith(bundle)] or files
    if unreadable:
        why = unreadable
    elif {"feeds.opml", "sitemap.xml", "robots.txt"} <= files:  # the look of a sitegen build
        why = (f"holds files with no record that sitegen wrote them (e.g. {_example(unknown)!r}; "
               "built by a sitegen older than .sitegen-output, with its build cache gone?)")
    else:
        why = f"holds files sitegen did not write (e.g. {_example(unknown)!r})"
    raise OutputRefused(f"output folder {out_dir} ({origin}) {why}; choose an empty folder, delete it, "
                        "or pass --force to replace its contents")


def _example(files: Iterable[str]) -> str:
    """The file to name in a message: the shallowest, then the first by name."""
    return min(files, key=lambda rel: (rel.count("/"), rel))


def clashes(claim: Claim, keep: set[str], folders: Iterable[str]) -> list[str]:
    """Foreign files that stand where this build writes a file or needs a folder, or inside a
    folder it owns whole: writing would destroy them."""
    if not claim.foreign:
        return []
    needed, folders = _folders_of(keep), tuple(folders)
    return sorted(rel for rel in claim.foreign
                  if rel in keep or rel in needed or rel.startswith(folders)
                  or any(parent in keep for parent in _parents(rel)))


def blockers(claim: Claim, keep: set[str]) -> list[str]:
    """Files of sitegen's that stand where this build needs a folder, or inside a path it
    now writes as a file (a folder --force took over, laid out differently): removed first."""
    candidates = claim.files - keep  # a path the build writes again blocks nothing
    if not candidates:
        return []
    needed = _folders_of(keep)
    return sorted(rel for rel in candidates
                  if rel in needed or any(parent in keep for parent in _parents(rel)))


def _folders_of(paths: Iterable[str]) -> set[str]:
    """Every folder the paths need, as relative paths ("papers", "papers/2311.02077")."""
    folders: set[str] = set()
    for rel in paths:
        cut = rel.rfind("/")
        while cut > 0 and rel[:cut] not in folders:
            folders.add(rel[:cut])
            cut = rel.rfind("/", 0, cut)
    return folders


def _parents(rel: str) -> list[str]:
    parts = rel.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def refuse_clash(out_dir: Path, origin: str, rel: str) -> OutputRefused:
    # sitegen never makes a link, so one where it writes is someone's: it is neither followed
    # nor replaced unasked (--force replaces the link itself, never what it points to).
    what = f"{rel!r} (a symbolic link)" if is_link(out_dir / rel) else repr(rel)
    return OutputRefused(f"output folder {out_dir} ({origin}): {what} was not written by sitegen, but this "
                         "build writes there; move it away, or pass --force to replace it")
