"""One copy in memory of the values many papers repeat: topic and category lists, sources,
author names, link kinds.

An entry read back from a pickle (the build cache, or a loader worker's result) holds its own
copy of every string and tuple in it. Most of those repeat across papers: the site has a few
dozen topic lists, and an author signs many papers. At 125,000 papers the copies cost
about a kilobyte a paper (benchmarks/README.md, Measurements behind the code); pointing every entry at one
shared copy costs a dict lookup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sitegen.model import Paper

_TABLE: dict[Any, Any] = {}


def share(value):
    """The one copy of an equal value seen before (this one, the first time)."""
    return _TABLE.setdefault(value, value)


def share_paper_values(paper: Paper) -> Paper:
    """Point the paper's repeated values at their shared copies, in place.

    In place because a Paper is frozen: `dataclasses.replace` would build 125k new papers for
    the same values for nothing. Equal values, so nothing any page shows can change."""
    set_field = object.__setattr__  # how a frozen dataclass sets its own fields
    set_field(paper, "authors", share(tuple(share(name) for name in paper.authors)))
    set_field(paper, "categories", share(paper.categories))
    set_field(paper, "sources", share(paper.sources))
    set_field(paper, "links", {share(kind): url for kind, url in paper.links.items()})
    return paper


def forget() -> None:
    """Drop the table (the shared values stay, held by the entries that use them)."""
    _TABLE.clear()
