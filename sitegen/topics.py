"""Topic membership: which papers belong to which topic, from the rules in sitegen.toml.

Computed at build time (so editing a topic needs no re-fetch) and used by fetch to decide
what to keep. Keywords match title or abstract case-insensitively on word boundaries; a topic
without categories accepts any category, an archive name (`cs`) accepts each of its
categories and a category accepts its alias (`cs.SY` = `eess.SY`); authors match by surname
and first name or initial (sitegen.authors).

A paper whose categories are unknown (`categories: []`: one only Hugging Face has told us
about, until arXiv's id lookup completes it) cannot be judged by a topic's categories. The
category condition is then left out and the topic's other rules decide: keywords (and
exclusions) and authors. A topic with categories and nothing else has nothing left to decide
by and does not take the paper: Hugging Face's AI keywords are a model's tags, not arXiv's
classification, and a guess that arXiv's categories later contradict would move a paper on
and off a topic's stable archive pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sitegen.authors import AuthorRule, compile_authors
from sitegen.config.settings import TopicConfig
from sitegen.model import Paper
from sitegen.taxonomy import taxonomy


def _phrase_pattern(phrases: tuple[str, ...]) -> re.Pattern | None:
    if not phrases:
        return None
    # Whitespace inside a phrase matches any run of whitespace (abstracts are re-wrapped).
    alts = sorted({r"\s+".join(map(re.escape, p.split())) for p in phrases}, key=lambda a: (-len(a), a))
    return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.I)


@dataclass(frozen=True)
class TopicRule:
    """A topic's rules compiled once; `matches` is called for every paper x topic."""

    slug: str
    categories: frozenset[str]  # matched exactly (with their aliases)
    keywords: re.Pattern | None
    exclude: re.Pattern | None
    authors: AuthorRule | None
    # The keywords' first words, lower-cased: a paper whose text holds none of them as a
    # substring cannot match, and `in` is ~20x cheaper than the word-boundary regex.
    keyword_hints: tuple[str, ...] = ()
    archives: frozenset[str] = frozenset()  # `cs`: any category cs.*

    def matches(self, paper: Paper, lowered: str | None = None, text: str | None = None) -> bool:
        """`text` and `lowered`: the paper's title and abstract as below, if known already."""
        if self.categories or self.archives:
            if not paper.categories:  # unknown, not "none": the other rules decide, if there are any
                if self.keywords is None and self.authors is None:
                    return False
            elif self.categories.isdisjoint(paper.categories) and not (
                    self.archives and any(c.partition(".")[0] in self.archives for c in paper.categories)):
                return False
        if self.authors is not None and not self.authors.matches(paper.authors):
            return False
        if self.keywords is None and self.exclude is None:
            return True
        text = text if text is not None else paper.title + "\n" + paper.abstract
        if self.keywords is not None:
            lowered = lowered if lowered is not None else text.lower()
            if not any(hint in lowered for hint in self.keyword_hints) or not self.keywords.search(text):
                return False
        return self.exclude is None or not self.exclude.search(text)


@lru_cache(maxsize=256)
def compile_topic(topic: TopicConfig) -> TopicRule:
    tax = taxonomy()
    return TopicRule(
        slug=topic.slug,
        categories=tax.expand(c for c in topic.categories if not tax.has_subjects(c)),
        archives=frozenset(c for c in topic.categories if tax.has_subjects(c)),
        keywords=_phrase_pattern(topic.keywords),
        exclude=_phrase_pattern(topic.exclude),
        authors=compile_authors(topic.authors),
        keyword_hints=tuple(sorted({k.split()[0].lower() for k in topic.keywords})),
    )


def matches(topic: TopicConfig, paper: Paper) -> bool:
    return compile_topic(topic).matches(paper)


# The rules of the topics tuple asked for last: a build asks for one tuple 10k times, and
# looking up each topic's rules hashed all of its settings (20 topics: ~0.1 s a build).
_LAST_RULES: tuple[tuple[TopicConfig, ...], tuple[TopicRule, ...]] = ((), ())


def _rules(topics: tuple[TopicConfig, ...]) -> tuple[TopicRule, ...]:
    global _LAST_RULES
    if _LAST_RULES[0] is not topics:
        _LAST_RULES = (topics, tuple(compile_topic(t) for t in topics))
    return _LAST_RULES[1]


def topics_of(topics: tuple[TopicConfig, ...], paper: Paper) -> tuple[str, ...]:
    """The slugs of every topic the paper belongs to, in config order."""
    text = paper.title + "\n" + paper.abstract
    lowered = text.lower()
    return tuple(r.slug for r in _rules(topics) if r.matches(paper, lowered, text))
