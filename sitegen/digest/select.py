"""Which papers a digest holds: pick the day, keep the topic papers, order and group them. Pure.

Decisions, in one place:
- Only visible papers that match at least one selected topic count; a day is "a day with
  papers" only through them.
- Order: the day page's (`sitegen.site.model.day_order`): most Hugging Face upvotes first
  where the day has upvotes, then arXiv's order, newest id first. A reader who opens the
  day page from the digest finds the papers in the order the digest gave them.
- Grouping: one section per selected topic with papers that day, in config order, each
  holding EVERY paper of its topic, so each section can say how many its topic has. How
  much of each section the message shows (and that a paper in several topics is shown in
  full once) is `layout`'s decision, made against the message's byte budget.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sitegen.config.settings import TopicConfig
from sitegen.site.load import Entry
from sitegen.site.model import day_order
from sitegen.site.periods import Period, week_of
from sitegen.sources.huggingface.record import hf_of

COMBINED = "combined"
# A weekly digest's key: the daily one's behind this prefix ("weekly_combined",
# "weekly_language-models"), so a week's record never stands for a day's, and the reverse, in
# the state file; no slug holds "_", so no daily key starts with it.
WEEKLY = "weekly_"


@dataclass(frozen=True)
class Section:
    topic: TopicConfig
    entries: tuple[Entry, ...]  # every paper of the topic that day, in the day page's order


@dataclass(frozen=True)
class Selection:
    """One message's worth: a day (or a week) and its papers, grouped by topic."""

    day: date  # the announcement day; a weekly digest's: its week's Monday (its record's day)
    key: str  # "combined", a topic slug, or "combined_<slug>_<slug>" for a --topic subset; WEEKLY + that
    sections: tuple[Section, ...]
    topic: TopicConfig | None  # the topic of a per-topic digest; None for a combined one
    week: Period | None = None  # the week of a weekly digest

    @property
    def dated(self) -> date:
        """The day the message is dated: the announcement day, or the week's last one."""
        if self.week is None:
            return self.day
        return max(e.paper.announced for s in self.sections for e in s.entries)

    @property
    def count(self) -> int:
        """Distinct papers: a paper in two topics is one paper of the day."""
        return len({e.paper.id for s in self.sections for e in s.entries})

    @property
    def name(self) -> str:
        """The stable file name stem: 2026-08-13-combined, 2026-08-13-language-models,
        2026-W33-weekly_combined."""
        return record_name(self.day, self.key)


def record_name(day: date, key: str) -> str:
    """A digest's name from its record (day, key): 2026-08-13-combined, 2026-W33-weekly_combined."""
    return f"{week_of(day).key if key.startswith(WEEKLY) else day.isoformat()}-{key}"


def daily_key(key: str) -> str:
    """The key without WEEKLY: "combined", a slug, "combined_<slug>..."."""
    return key[len(WEEKLY):] if key.startswith(WEEKLY) else key


def upvotes(entry: Entry) -> int | None:
    hf = hf_of(entry.paper)
    return hf.upvotes if hf is not None else None


def in_scope(entries: list[Entry], topics: tuple[TopicConfig, ...]) -> list[Entry]:
    """Visible papers that belong to at least one of `topics`."""
    slugs = {t.slug for t in topics}
    return [e for e in entries if not e.paper.hidden and slugs.intersection(e.topics)]


def days_with_papers(entries: list[Entry]) -> list[date]:
    """Announcement days of `entries` (already in scope), oldest first."""
    return sorted({e.paper.announced for e in entries})


def digest_keys(mode: str, topics: tuple[TopicConfig, ...], all_topics: tuple[TopicConfig, ...]) -> list[str]:
    """The digests a run makes each day: the state file and file names use these keys."""
    if mode != COMBINED:
        return [t.slug for t in topics]
    if [t.slug for t in topics] == [t.slug for t in all_topics]:
        return [COMBINED]
    # A combined digest of some topics only is another digest than the full one: recording
    # it as "combined" would stop the full digest of that day from ever going out.
    return ["_".join([COMBINED, *(t.slug for t in topics)])]  # slugs never hold "_"


def select(entries: list[Entry], day: date, key: str, topics: tuple[TopicConfig, ...]) -> Selection | None:
    """The digest `key` for `day` from in-scope `entries`, or None when it has no paper."""
    todays = day_order(e for e in entries if e.paper.announced == day)
    chosen = topics if key.startswith(COMBINED) else tuple(t for t in topics if t.slug == key)
    sections = []
    for topic in chosen:
        mine = tuple(e for e in todays if topic.slug in e.topics)
        if mine:  # a topic without papers that day has no section
            sections.append(Section(topic, mine))
    if not sections:
        return None
    return Selection(day, key, tuple(sections), None if key.startswith(COMBINED) else chosen[0])


def also_in(entry: Entry, section: Section, topics: tuple[TopicConfig, ...]) -> list[str]:
    """Titles of the entry's other selected topics (named beside the paper's one full listing)."""
    return [t.title for t in topics if t.slug in entry.topics and t.slug != section.topic.slug]
