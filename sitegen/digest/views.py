"""What the digest templates show: a layout (`layout.Part`s) as plain-text values. Pure.

Every string here went through `text` (TeX as Unicode, no control characters) and is capped:
fetched text is untrusted, and a 100 KB title must not be able to push a message past its
byte budget on its own. A capped field ends with "…"; the paper's page has it in full.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from markupsafe import Markup

from sitegen import arxiv_ids
from sitegen.config.settings import TopicConfig
from sitegen.digest import text
from sitegen.digest.layout import Item, Part
from sitegen.digest.select import also_in, upvotes
from sitegen.site.load import Entry
from sitegen.site.model import has_upvotes, paper_url, topic_url
from sitegen.site.periods import Period, score
from sitegen.sources.huggingface.record import hf_of
from sitegen.sources.semanticscholar.record import citations_of

TITLE_CHARS = 300  # arXiv's longest titles are about 250 characters
AUTHORS_CHARS = 240  # six names, as authors_text keeps them, on two phone lines
LABEL_CHARS = 40  # a category
HEADING_CHARS = 100  # a site or topic title from sitegen.toml, in the body
ALSO_SHOWN = 3  # "also in" names this many other topics, then counts the rest
URL_CHARS = 400  # a link from a snapshot longer than this is not used (the arXiv one is)


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def clip(line: str, limit: int) -> str:
    """`line` cut to at most `limit` characters, at a space when one is near, with "…"."""
    if len(line) <= limit:
        return line
    head = line[:limit - 1]
    space = head.rfind(" ")
    return (head[:space] if space >= limit // 2 else head).rstrip(" ,;:") + "…"


def heading(title: str) -> str:
    """A site or topic title from sitegen.toml as the body shows it: one line, capped."""
    return clip(text.one_line(title), HEADING_CHARS)


@dataclass(frozen=True)
class PaperView:
    id: str
    anchor: str  # the id of its full listing in the HTML part: "p-" + the page's slug
    title: str  # plain text (the text part, and alt places)
    title_html: Markup  # the HTML part's: the same words, math with <i>, <sub>, <sup>
    authors: str
    summary: str
    summary_html: Markup
    ai_summary: bool  # the summary is Hugging Face's AI summary, not the abstract's start
    upvotes: int | None
    citations: int  # Semantic Scholar's count; 0 when unknown
    category: str | None
    page_url: str
    arxiv_url: str
    pdf_url: str | None
    also: tuple[str, ...]  # the paper's other topics

    @property
    def votes(self) -> str | None:
        return None if self.upvotes is None else plural(self.upvotes, "upvote")

    @property
    def cites(self) -> str | None:
        return plural(self.citations, "citation") if self.citations else None

    @property
    def meta_line(self) -> str:
        """▲ 12 upvotes · 30 citations · arXiv:2311.02077 · cs.CV"""
        parts = [f"▲ {self.votes}"] if self.votes else []
        parts += [self.cites] if self.cites else []
        parts.append(f"arXiv:{self.id}")
        if self.category:
            parts.append(self.category)
        return " · ".join(parts)


@dataclass(frozen=True)
class Where:
    """The section that shows a paper in full, seen from another section."""

    topic: str
    anchor: str
    above: bool

    @property
    def position(self) -> str:
        return "above" if self.above else "below"

    @property
    def words(self) -> str:
        return f"in full {self.position}, under {self.topic}"


@dataclass(frozen=True)
class ItemView:
    paper: PaperView
    rank: int
    where: Where | None  # None: shown in full right here (a top item) or nowhere (a title)


@dataclass(frozen=True)
class SectionView:
    title: str
    anchor: str  # "topic-" + the slug: the table of contents links to it
    url: str
    total: int  # the topic's papers that day (or that week)
    voted: bool  # its order is by upvotes (else arXiv's)
    ranked: bool  # a weekly digest's: by upvotes plus citations (the week page's order)
    top: tuple[ItemView, ...]
    titles: tuple[ItemView, ...]
    more: int  # papers of the topic the message does not name

    @property
    def full(self) -> tuple[ItemView, ...]:
        return tuple(i for i in self.top if i.where is None)

    @property
    def order(self) -> str:
        if self.ranked:
            return "most upvoted and cited first"
        return "most upvoted first" if self.voted else "in arXiv's order, newest first"


class Views:
    """Turns layouts into views, converting each paper's text once per message."""

    def __init__(self, base_url: str, others: tuple[TopicConfig, ...], week: Period | None = None):
        self.base, self.others, self.week = base_url, others, week
        self._papers: dict[tuple[str, int, bool], PaperView] = {}  # (id, home section, full)

    def sections(self, parts: tuple[Part, ...]) -> tuple[SectionView, ...]:
        titles = [heading(p.section.topic.title) for p in parts]
        return tuple(self._section(part, titles, parts) for part in parts)

    def _section(self, part: Part, titles: list[str], parts: tuple[Part, ...]) -> SectionView:
        def view(item: Item) -> ItemView:
            home = parts[item.full_in] if item.full_in is not None else part
            paper = self._paper(item.entry, home, item.full_in is not None)
            if item.full_in is None or item.full_in == part.index:
                return ItemView(paper, item.rank, None)
            return ItemView(paper, item.rank, Where(titles[item.full_in], paper.anchor, item.full_in < part.index))

        topic = part.section.topic
        # A weekly digest's section leads to the topic's part of the week's page, which lists it.
        url = f"{self.week.url}#topic-{topic.slug}" if self.week else topic_url(topic.slug)
        entries = part.section.entries
        return SectionView(
            title=titles[part.index], anchor=f"topic-{topic.slug}", url=self.base + url, total=part.total,
            voted=has_upvotes(entries), ranked=self.week is not None and any(score(e) for e in entries),
            top=tuple(view(i) for i in part.top), titles=tuple(view(i) for i in part.titles), more=part.more,
        )

    def _paper(self, entry: Entry, home: Part, full: bool) -> PaperView:
        # `fit` renders a message at several levels: a paper is converted once per role.
        key = (entry.paper.id, home.index, full)
        if key not in self._papers:
            self._papers[key] = self._make(entry, home, full)
        return self._papers[key]

    def _make(self, entry: Entry, home: Part, full: bool) -> PaperView:
        """The paper as listed in `home`; without `full` (listed by title only) no summary."""
        paper = entry.paper
        # Hugging Face's AI summary, when the snapshot has one, is shorter than the abstract.
        hf = hf_of(paper)
        ai = hf.ai_summary if hf else None
        ai = ai if ai and ai.strip() else None
        summary = "" if not full else text.excerpt(ai, text.AI_SUMMARY_CHARS) if ai else text.excerpt(paper.abstract)
        summary_html = Markup("") if not full else (
            text.excerpt_html(ai, text.AI_SUMMARY_CHARS) if ai else text.excerpt_html(paper.abstract))
        title = text.title_text(paper.title)
        # A title past the cap is cut as plain text (a cut through <sub> would not be HTML).
        title_html = text.title_html(paper.title) if len(title) <= TITLE_CHARS else Markup.escape(
            clip(title, TITLE_CHARS))
        also = also_in(entry, home.section, self.others)
        return PaperView(
            id=text.one_line(paper.id),
            anchor=f"p-{entry.slug}",
            title=clip(title, TITLE_CHARS),
            title_html=title_html,
            authors=clip(text.authors_text(paper.authors), AUTHORS_CHARS),
            summary=summary,
            summary_html=summary_html,
            ai_summary=ai is not None,
            upvotes=upvotes(entry),
            citations=citations_of(paper),
            category=clip(text.one_line(paper.primary_category), LABEL_CHARS) if paper.primary_category else None,
            page_url=self.base + paper_url(entry.slug),
            arxiv_url=web_url(paper.links.get("abs")) or arxiv_ids.abs_url(paper.id),
            pdf_url=web_url(paper.links.get("pdf")),
            also=tuple(heading(t) for t in also[:ALSO_SHOWN])
            + ((plural(len(also) - ALSO_SHOWN, "more topic"),) if len(also) > ALSO_SHOWN else ()),
        )


def web_url(url: str | None) -> str | None:
    """A link from a snapshot, only when it is a plain http(s) URL of sane length (untrusted data)."""
    if not url or len(url) > URL_CHARS or not url.isprintable() or any(c.isspace() or c in "<>\"'`" for c in url):
        return None
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else None
