"""The arXiv RSS feed (rss.arxiv.org, 2024+ RSS 2.0): one day's announcements per category set.

An empty channel (weekends, holidays) is normal. Items carry no submission date, so a
record's `published` is the announcement time: merge keeps the earlier, exact API date. A
replacement's `updated` is the last second a submission could make that mailing (its cutoff),
the closest bound the feed gives; the API's exact time replaces it (sitegen.snapshot.merge).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from xml.etree.ElementTree import Element

from sitegen import arxiv_ids
from sitegen.errors import ParseError
from sitegen.model import Paper
from sitegen.sources.arxiv.calendar import last_submission
from sitegen.sources.records import BadRecord, Rejected, check_record, clean_categories, label, parse_arxiv_id, utc
from sitegen.sources.text import clean_abstract, clean_line, clean_name, clean_optional
from sitegen.sources.xml import find_text, parse_xml

_NS = {"arxiv": "http://arxiv.org/schemas/atom", "dc": "http://purl.org/dc/elements/1.1/"}
# "arXiv:2608.11232v1 Announce Type: new \nAbstract: ..." -> the abstract alone.
_PREFIX = re.compile(r"\A\s*arXiv:\S+\s+Announce Type:\s*\S*\s*(?:Abstract:)?[ \t]*", re.I)


@dataclass(frozen=True)
class Announcement:
    """One item: the paper and how it was announced (new | cross | replace | replace-cross)."""

    paper: Paper
    announce_type: str


@dataclass(frozen=True)
class RssBatch:
    """One feed. `announced` is the channel's announcement day; `skipped` counts unusable items,
    `rejected` names those skipped for a value out of bounds."""

    announced: date | None
    items: tuple[Announcement, ...]
    build_date: str | None
    skipped: int = 0
    rejected: tuple[Rejected, ...] = ()


def feed_url(rss_url: str, categories: Iterable[str]) -> str:
    """The feed for several categories at once: `<rss_url>cs.CL+cs.LG`."""
    cats = [c.strip() for c in categories if c and c.strip()]
    if not cats:
        raise ValueError("feed_url needs at least one category")
    return rss_url + ("" if rss_url.endswith("/") else "/") + "+".join(cats)


def parse_rss(body: bytes) -> RssBatch:
    """Parse one feed; ParseError on malformed or truncated XML or a body that is not RSS."""
    root = parse_xml(body, "arXiv RSS")
    channel = root.find("channel")
    if root.tag != "rss" or channel is None:
        raise ParseError(f"arXiv RSS: expected <rss><channel>, got <{root.tag}>")
    channel_time = _rss_time(find_text(channel, "pubDate"))
    build_date = clean_optional(find_text(channel, "lastBuildDate"))
    elements = channel.findall("item")
    items = []
    rejected: list[Rejected] = []
    for position, element in enumerate(elements, 1):
        when = _rss_time(find_text(element, "pubDate")) or channel_time or _rss_time(build_date)
        if when is None:
            raise ParseError("arXiv RSS: items but no announcement date (no pubDate)")
        try:
            item = _parse_item(element, when)
        except BadRecord as exc:
            rejected.append(Rejected(label(find_text(element, "guid"), position), str(exc)))
            continue
        if item is not None:
            items.append(item)
    return RssBatch(
        announced=channel_time.date() if channel_time else None,
        items=tuple(items),
        build_date=build_date,
        skipped=len(elements) - len(items),
        rejected=tuple(rejected),
    )


def _rss_time(text: str | None) -> datetime | None:
    """An RFC 822 date as an aware datetime in the feed's own offset (its date is the day)."""
    if not text or not text.strip():
        return None
    try:
        value = parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, OverflowError, IndexError):  # OverflowError: a year of 30 digits
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _revised_by(when: datetime, stamp: datetime) -> datetime:
    """When a replacement announced in the mailing of `when` was submitted at the latest: its
    cutoff; the item's own time for a date that is no mailing (a feed dated oddly)."""
    bound = last_submission(when.date())
    return bound if bound is not None and bound <= stamp else stamp


def _parse_item(item: Element, when: datetime) -> Announcement | None:
    description = find_text(item, "description") or ""
    # The guid (oai:arXiv.org:<id>v<n>) names the item; only without one is the description's
    # "arXiv:<id>v<n>" prefix used. A guid that is not an arXiv id drops the item.
    guid = find_text(item, "guid")
    if guid is None and description.strip():
        guid = description.split(None, 1)[0]
    ident = parse_arxiv_id(guid)
    title = clean_line(find_text(item, "title"))
    if ident is None or not title:
        return None
    paper_id, version = ident
    kind = clean_line(find_text(item, "arxiv:announce_type", _NS)).lower() or "new"
    stamp = utc(when, "pubDate")
    creators = (find_text(item, "dc:creator", _NS) or "").split(",")  # one comma-joined string
    paper = check_record(Paper(
        id=paper_id,
        version=version,
        title=title,
        authors=tuple(filter(None, map(clean_name, creators))),
        published=stamp,
        # A later version's own timestamp is not in the feed: the mailing's cutoff bounds it, and
        # maps back to this mailing (sitegen.versions dates the revision by it).
        updated=_revised_by(when, stamp) if version and version > 1 else None,
        announced=when.date(),
        # The feed lists the primary category first.
        categories=clean_categories(c.text for c in item.findall("category")),
        abstract=clean_abstract(_PREFIX.sub("", description, count=1)),
        links=arxiv_ids.links(paper_id, version),
        doi=clean_optional(find_text(item, "arxiv:DOI", _NS)),
        journal_ref=clean_optional(find_text(item, "arxiv:journal_reference", _NS)),
        sources=("arxiv",),
    ))
    return Announcement(paper=paper, announce_type=kind)
