"""Which papers a digest holds: pick the day, keep the topic papers, order and group them. Pure.

Decisions, in one place:
- Only visible papers that match at least one selected topic count; a day is "a day with
  papers" only through them.
- Order: most Hugging Face upvotes first, then arXiv id. A day without upvotes is therefore
  in plain arXiv order, and papers without upvotes follow the upvoted ones in id order.
- Combined digest: topic sections in config order, and a paper in several topics is listed
  ONCE, under the first of its topics, naming the others ("Also in: ..."). Repeating it
  under every topic would make a combined mail on overlapping topics (language models and
  agents share most papers) half repeats, and the subject's count is of distinct papers.
  Who wants every paper of one topic in one list chooses `mode = "per-topic"`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sitegen.build.load import Entry
from sitegen.config.settings import TopicConfig
from sitegen.sources.huggingface.record import hf_of

COMBINED = "combined"


@dataclass(frozen=True)
class Section:
    topic: TopicConfig
    entries: tuple[Entry, ...]  # in digest order
    listed_above: int = 0  # the topic's papers already listed under an earlier section


@dataclass(frozen=True)
class Selection:
    """One message's worth: a day and its papers, grouped by topic."""

    day: date
    key: str  # "combined", a topic slug, or "combined_<slug>_<slug>" for a --topic subset
    sections: tuple[Section, ...]
    topic: TopicConfig | None  # the topic of a per-topic digest; None for a combined one

    @property
    def count(self) -> int:
        return sum(len(s.entries) for s in self.sections)

    @property
    def name(self) -> str:
        """The stable file name stem: 2026-08-13-combined, 2026-08-13-language-models."""
        return f"{self.day.isoformat()}-{self.key}"


def upvotes(entry: Entry) -> int | None:
    hf = hf_of(entry.paper)
    return hf.upvotes if hf is not None else None


def digest_order(entries) -> list[Entry]:
    return sorted(entries, key=lambda e: (-(upvotes(e) or 0), e.paper.id))


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
    todays = [e for e in entries if e.paper.announced == day]
    if not key.startswith(COMBINED):
        topic = next(t for t in topics if t.slug == key)
        listed = digest_order(e for e in todays if key in e.topics)
        return Selection(day, key, (Section(topic, tuple(listed)),), topic) if listed else None
    sections: list[Section] = []
    placed: set[str] = set()
    for topic in topics:
        mine = [e for e in digest_order(todays) if topic.slug in e.topics]
        listed = [e for e in mine if e.paper.id not in placed]
        placed.update(e.paper.id for e in listed)
        if mine:  # a topic whose papers all came earlier still gets a line saying so
            sections.append(Section(topic, tuple(listed), len(mine) - len(listed)))
    return Selection(day, key, tuple(sections), None) if sections else None


def also_in(entry: Entry, section: Section, topics: tuple[TopicConfig, ...]) -> list[str]:
    """Titles of the entry's other selected topics (for the combined digest's one listing)."""
    return [t.title for t in topics if t.slug in entry.topics and t.slug != section.topic.slug]
