"""arXiv's subject taxonomy, shipped as data (data/arxiv-taxonomy.json, with its source and
date): which names a topic's `categories` may hold, what a mistyped one was meant to be, and
what a name covers.

A topic may name an active category (`cs.RO`, `hep-th`) or a whole archive (`cs`, `math`,
`astro-ph`): arXiv's RSS feeds and listing pages take archive names as they are, its API as
`cat:cs.*`. An alias pair (`cs.SY` = `eess.SY`) is one category listed under two names, so a
topic naming either matches both. Anything else is a configuration error that says what was
probably meant; a typo must not leave a topic silently empty and the nightly fetch asking
arXiv for a category that does not exist.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from sitegen.errors import quoted

DATA = Path(__file__).resolve().parent / "data" / "arxiv-taxonomy.json"


@dataclass(frozen=True)
class Taxonomy:
    names: dict[str, str]  # every category and archive id -> its name
    categories: frozenset[str]  # every category, retired ones (cmp-lg, bare astro-ph) included
    active_categories: frozenset[str]
    archives: frozenset[str]  # active archives, those of one category (hep-th) included
    moved: dict[str, str]  # a retired category or archive -> the category that took it over
    aliases: dict[str, str]  # both ways: cs.SY -> eess.SY and eess.SY -> cs.SY

    def problem(self, name: str) -> str | None:
        """Why `name` cannot be one of a topic's categories, with a suggestion; None if it can."""
        if name in self.active_categories or name in self.archives:
            return None
        if name in self.moved:
            return (f"{quoted(name)} is no longer used by arXiv: its papers are listed under "
                    f"{self.moved[name]!r} ({self.names[self.moved[name]]}) now")
        fitting = [n for n in (*self.active_categories, *self.archives) if n.lower() == name.lower()]
        if fitting:  # cs.ro, CS.RO, HEP-TH
            return (f"{quoted(name)} is not an arXiv category; did you mean {fitting[0]!r} ({self.names[fitting[0]]})? "
                    "Category names are case-sensitive")
        guesses = self.suggest(name)
        hint = f"; did you mean {', '.join(f'{g!r} ({self.names[g]})' for g in guesses)}?" if guesses else ""
        return f"{quoted(name)} is not an arXiv category such as \"cs.LG\" or an archive such as \"cs\"{hint}"

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Up to `limit` valid names close to `name`: by the category's name within the archive
        given (`cs.Robotics`, `cs.Vision`), else by spelling (`cs.RB` -> cs.RO)."""
        valid = sorted(self.active_categories | self.archives)
        archive, _, subject = name.partition(".")
        if subject:  # an archive and a category's name: those of that archive, if any fits
            titles = {self.names[n].lower(): n for n in valid if n.partition(".")[0].lower() == archive.lower()}
            within = [t for t in titles if len(subject) > 2 and subject.lower() in t]  # cs.Vision
            by_title = within or difflib.get_close_matches(subject.lower(), titles, n=limit, cutoff=0.6)
            if by_title:
                return [titles[m] for m in by_title[:limit]]
        lowered = {n.lower(): n for n in valid}
        return [lowered[m] for m in difflib.get_close_matches(name.lower(), lowered, n=limit, cutoff=0.6)]

    def has_subjects(self, name: str) -> bool:
        """True for an archive divided into categories (cs, math, astro-ph), false for one
        that is a single category (hep-th) and for a category."""
        return name in self.archives and name not in self.active_categories

    def expand(self, names) -> frozenset[str]:
        """The category names a topic's `categories` match exactly: each with its alias."""
        return frozenset(n for name in names for n in (name, self.aliases.get(name)) if n)


@lru_cache(maxsize=1)
def taxonomy() -> Taxonomy:
    data = json.loads(DATA.read_text(encoding="utf-8"))
    categories, archives = data["categories"], data["archives"]
    names = {key: value["name"] for key, value in {**archives, **categories}.items()}
    moved = {key: value["now"] for key, value in categories.items() if "now" in value}
    aliases = {**data["aliases"], **{b: a for a, b in data["aliases"].items()}}
    return Taxonomy(names=names, categories=frozenset(categories),
                    active_categories=frozenset(k for k, v in categories.items() if v["active"]),
                    archives=frozenset(k for k, v in archives.items() if v["active"]),
                    moved=moved, aliases=aliases)
