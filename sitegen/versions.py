"""Version marks: what a paper's page and feed item say once arXiv has posted a version after
the first ("v3, 12 Sep 2026: camera-ready version, accepted at ICLR 2027"), and the mailing
that announced it, which puts a revised paper back in the feeds. Pure: from the snapshot only.

A snapshot keeps the newest version's number, date (`updated`) and comment (the merge rule
keeps a comment with its version: sitegen.snapshot.merge), which is all a mark needs; earlier
versions' dates are on arXiv's page, which the mark links.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sitegen import arxiv_ids
from sitegen.model import Paper
from sitegen.sources.arxiv.calendar import EASTERN, announcement_day

# A submission is in a mailing at most a few days later (a weekend, a holiday season: the
# calendar allows 60): a newest version older than this before a day cannot be announced on it.
MAX_ANNOUNCEMENT_LAG = timedelta(days=62)


@dataclass(frozen=True, slots=True)
class VersionMark:
    """The newest version of a revised paper: its number, the day it was submitted (UTC, as
    arXiv's own submission history dates it), its comment (arXiv's text, untrusted) and
    arXiv's page of that version."""

    version: int
    day: date
    comment: str | None
    url: str

    @property
    def day_text(self) -> str:
        """"12 Sep 2026": the mark's date as the page and the feeds write it."""
        return f"{self.day.day} {self.day:%b %Y}"


def version_mark(paper: Paper) -> VersionMark | None:
    """The paper's mark, when its newest known version is v2 or later and dated after the
    first (a record that gives both versions one date, as the shipped snapshots made from the
    RSS feed's replacements do, says nothing of when the paper was revised)."""
    revised = _revised_at(paper)
    if revised is None or paper.version is None:
        return None
    return VersionMark(paper.version, revised.astimezone(UTC).date(), paper.comment,
                       arxiv_ids.abs_url(paper.id, paper.version))


def revision_day(paper: Paper, since: date | None = None) -> date | None:
    """The mailing that announced the paper's newest version, when that is a version after the
    first and came after the paper's own day on the site (`announced`); None otherwise, or when
    it cannot be on or after `since` (a cheap test first: a feed asks this of every paper)."""
    revised = _revised_at(paper)
    if revised is None or since is not None and revised.date() + MAX_ANNOUNCEMENT_LAG < since:
        return None
    local = revised.astimezone(EASTERN)
    # Snapshots an older sitegen wrote date a replacement the RSS feed brought by the mailing's
    # own midnight (New York), where it now writes the mailing's cutoff: that midnight is the
    # mailing's day (announcement_day would give the next one).
    day = local.date() if local.time() == time(0) else announcement_day(revised)
    return day if day > paper.announced else None


def _revised_at(paper: Paper) -> datetime | None:
    """The newest version's date, when it is v2 or later and dated after the first."""
    updated = paper.updated
    if paper.version is None or paper.version < 2 or updated is None or updated <= paper.published:
        return None
    return updated


def revisions(entries, since: date) -> dict[str, date]:
    """{slug: the mailing of its newest version} of the entries (Entry: a paper and its slug)
    revised after their announcement whose newest version was announced on or after `since`."""
    found = {}
    for entry in entries:
        day = revision_day(entry.paper, since)
        if day is not None and day >= since:
            found[entry.slug] = day
    return found
