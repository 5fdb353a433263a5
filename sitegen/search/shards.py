"""Search-index shards: which shard a paper page belongs to, and the file work on a shard's bundle.

Pages are grouped by the year-month of their arXiv id (`2311.02077` -> `2311`,
`hep-th/9711200` -> `9711`): an id never changes and new ids are issued in the current month,
so a nightly build that adds papers touches the newest shard and no other. Consecutive sparse
months are joined into one shard of up to GROUP_PAGES pages (named after its oldest month):
Pagefind ranks within each bundle and pads a bundle's answer with prefix matches when it lacks
the word, so dozens of tiny bundles search worse than a few full ones.

A month of more than SPLIT_PAGES pages (arXiv announces ~20,000 papers a month) is indexed in
blocks of 1000 ids instead (`2311.02` holds 2311.02000 to 2311.02999), each a unit joined into
shards as months are: Pagefind's memory grows with the pages it indexes, so one 10,000-page
month is a process near a gigabyte (benchmarks/README.md, Measurements behind the code), and a
night's new papers (the newest ids) would re-index the whole month.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from sitegen import arxiv_ids

ENTRY = "pagefind-entry.json"
# Present while a shard's bundle is being replaced; a shard holding it is indexed again next time.
INCOMPLETE = ".sitegen-incomplete"
UI_MARK = "pagefind-ui.js"  # the newest shard's bundle serves Pagefind's scripts and styles

_SHARD = re.compile(r"\d{4}(?:\.\d{1,2})?")  # a month (YYMM) or a block of one (YYMM.NN)
GROUP_PAGES = 2000  # a full shard: a fifth of a big month's Pagefind memory, about a second to index
SPLIT_PAGES = 2000  # a month with more pages than this is indexed in blocks of 1000 ids
BLOCK_IDS = 1000


def folder_shard(name: str) -> str | None:
    """The shard of a paper folder name under papers/, or None when it is not a paper's folder."""
    return arxiv_ids.month_of_safe_name(name)


def page_shard(rel: str) -> str | None:
    """The shard of an output path when it is a paper page (`papers/<id>/index.html`)."""
    parts = rel.split("/")
    if len(parts) == 3 and parts[0] == "papers" and parts[2] == "index.html":
        return folder_shard(parts[1])
    return None


def paper_folder(rel: str) -> str | None:
    """The paper folder name of an output path when it is a paper page, else None."""
    return rel.split("/")[1] if page_shard(rel) else None


def units(months: dict[str, list[str]]) -> dict[str, list[str]]:
    """{unit: paper folder names}: each month, or the 1000-id blocks of a month of more than
    SPLIT_PAGES pages (new-style ids only: an old-style month holds a few thousand papers)."""
    split = big_months(months)
    found: dict[str, list[str]] = {}
    for month, names in months.items():
        for name in names:
            found.setdefault(unit_of(name, month, split), []).append(name)
    return found


def big_months(months: dict[str, list[str]]) -> set[str]:
    return {m for m, names in months.items() if len(names) > SPLIT_PAGES}


def unit_of(name: str, month: str, split: set[str]) -> str:
    """The unit of a paper folder in `month`: the month, or its block of 1000 ids when the
    month is split (`2311.02077` -> `2311.02`, `0805.1234` -> `0805.1`)."""
    if month in split and name[4:5] == "." and name[:4] == month:
        return name[:-3]
    return month


def is_shard(name: str) -> bool:
    return bool(_SHARD.fullmatch(name))


def newest_first(shards) -> list[str]:
    """Shards by date, newest first: old-style ids run from 1991 (`9108`) to March 2007 (`0703`)."""
    def when(s: str) -> tuple[int, int, int]:
        return (arxiv_ids.year_of(s[:2]), int(s[2:4]), int(s[5:]) if len(s) > 4 else -1)
    return sorted(shards, key=when, reverse=True)


def coalesce(months: dict[str, int]) -> dict[str, list[str]]:
    """{shard: its units, oldest first; named after the oldest}, from {unit: pages}.

    Boundaries must not move when pages come or go at either end, or every shard is indexed
    again: at 125k papers under `[build] max_site_mb` the oldest day leaves every night, and
    with boundaries counted from the oldest unit that re-indexed the whole site nightly.
    - The 1000-id blocks of a split month join by number, GROUP_PAGES // 1000 to a shard
      (`.00` with `.01`, `.02` with `.03`): fixed, so pages leaving or arriving touch only
      their own shard.
    - Months (not split) join the months before them, counted from the newest back, up to
      GROUP_PAGES pages; a split month ends a run. Pages leaving the oldest months move only
      the oldest boundary; a new month beginning may move the others (once a month, and only
      where months are sparse enough to join).
    - The newest unit, where a night's papers arrive, stands alone when it is a month."""
    order = newest_first(months)
    groups: list[list[str]] = []  # each newest unit first
    pairs: dict[str, list[str]] = {}
    run: list[str] = []
    size, per = 0, max(1, GROUP_PAGES // BLOCK_IDS)  # blocks to a shard
    for i, unit in enumerate(order):
        if "." in unit:  # a block: with its pair, whatever the counts
            number = unit[5:]
            pair = pairs.setdefault(f"{unit[:5]}{int(number) // per * per:0{len(number)}d}", [])
            if not pair:
                groups.append(pair)
            pair.append(unit)
            run = []
            continue
        if not run or size + months[unit] > GROUP_PAGES or i == 1 and "." not in order[0]:
            run, size = [], 0
            groups.append(run)
        run.append(unit)
        size += months[unit]
    return {units[-1]: list(reversed(units)) for units in reversed(groups)}


def glob(months: list[str]) -> str:
    """Pagefind's --glob for one shard's pages: `papers/2311.*/` is every new-style id of
    November 2023 and `papers/*_9711???/` every old-style one of November 1997 (only one kind
    exists for any month; naming both keeps this rule-free); `papers/2311.02???/` is a block."""
    return "papers/{" + ",".join(f"{m}???" if "." in m else f"{m}.*,*_{m}???" for m in months) + "}/index.html"


def scan_pages(out_dir: Path) -> dict[str, list[str]]:
    """{shard: paper folder names} of what is in out_dir/papers/ now (a listing, no stat: a
    paper's folder holds its page, as the build removes emptied folders; count_pages checks)."""
    found: dict[str, list[str]] = {}
    try:
        it = os.scandir(out_dir / "papers")
    except (FileNotFoundError, NotADirectoryError):
        return found
    with it:
        for d in it:
            s = folder_shard(d.name)
            if s is not None and d.is_dir(follow_symlinks=False):  # a link is no paper's folder
                found.setdefault(s, []).append(d.name)
    return found


class LinkedPage(Exception):
    """A page Pagefind would read is a symbolic link (sitegen never makes one): Pagefind follows
    links to files, so it would put whatever the link points to in the published index."""

    def __init__(self, path: str):
        super().__init__(f"{path} is a symbolic link sitegen did not make, which Pagefind would follow into "
                         "the published index; remove it and build again")


def count_pages(out_dir: Path, names: list[str]) -> int:
    """How many of these paper folders hold a page (checked only for the shards to index:
    a stat per paper is most of the cost of a scan). LinkedPage for a
    page that is a link."""
    papers = out_dir / "papers"
    count = 0
    for name in names:
        path = os.path.join(papers, name, "index.html")
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            continue
        if stat.S_ISLNK(mode):
            raise LinkedPage(path)
        count += stat.S_ISREG(mode)
    return count


def is_index_file(rel: str) -> bool:
    """Files a merged (non-primary) bundle needs: Pagefind's JS reads only the entry, the
    metadata and the index/, fragment/ and filter/ chunks of a merged index; its scripts,
    styles and WebAssembly come from the primary (newest) bundle. Dropping them saves most of a
    shard's fixed bytes (benchmarks/README.md, Measurements behind the code)."""
    return "/" in rel or rel == ENTRY or rel.endswith(".pf_meta")
