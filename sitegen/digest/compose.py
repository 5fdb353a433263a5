"""A Selection -> one RFC 5322 message (multipart/alternative: text/plain + text/html).

Deterministic: the same content, config and templates give the same bytes. The Date header
is the announcement day (00:00 UTC), the Message-ID and the MIME boundary are hashes of the
data and base_url, never the clock or a random number. Both parts are quoted-printable, so
the message is 7-bit clean for any server, and a boundary starting with "=_" can never
occur inside a quoted-printable body.

Every header value passes through `text.header_text` (one line, no control characters), so
nothing fetched or configured can add a header; paper text only reaches the bodies.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

import jinja2

from sitegen import arxiv_ids
from sitegen.atomic import atomic_write
from sitegen.build.load import Entry
from sitegen.build.site import day_url, paper_url, topic_url
from sitegen.config.settings import Config, TopicConfig
from sitegen.digest import text
from sitegen.digest.select import Section, Selection, also_in, upvotes
from sitegen.digest.settings import parse_address
from sitegen.errors import ConfigError
from sitegen.sources.huggingface.record import hf_of

TEMPLATE_HTML = "digest/email.html"
TEMPLATE_TEXT = "digest/email.txt"
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # not strftime: no locale may change a byte
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_label(d: date) -> str:
    """Thu 13 Aug 2026."""
    return f"{_DAYS[d.weekday()]} {d.day} {_MONTHS[d.month - 1]} {d.year}"


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


@dataclass(frozen=True)
class PaperView:
    """What the templates show of one paper: every string already safe plain text."""

    id: str
    title: str
    authors: str
    summary: str
    ai_summary: bool  # the summary is Hugging Face's AI summary, not the abstract's start
    upvotes: int | None
    category: str | None
    page_url: str
    arxiv_url: str
    pdf_url: str | None
    also: tuple[str, ...]  # the paper's other topics

    @property
    def votes(self) -> str | None:
        return None if self.upvotes is None else plural(self.upvotes, "upvote")

    @property
    def meta_line(self) -> str:
        """▲ 12 upvotes · arXiv:2311.02077 · cs.CV"""
        parts = [f"▲ {self.votes}"] if self.votes else []
        parts.append(f"arXiv:{self.id}")
        if self.category:
            parts.append(self.category)
        return " · ".join(parts)


@dataclass(frozen=True)
class SectionView:
    title: str
    url: str
    papers: tuple[PaperView, ...]
    listed_above: int

    @property
    def total(self) -> int:
        """The topic's papers that day, wherever they are listed."""
        return len(self.papers) + self.listed_above


@dataclass(frozen=True)
class Composed:
    name: str  # 2026-08-13-combined: the .eml file name and the state key's day + key
    message: EmailMessage
    message_id: str
    selection: Selection


class Composer:
    """Renders selections with the digest templates (the override folder wins, as for pages)."""

    def __init__(self, config: Config, sender: Address):
        self.config, self.sender = config, sender
        contact = text.one_line(config.digest.contact or sender.addr_spec)
        # "mailto:editor@example.org" is the address written as a URL: shown and used as one.
        self.contact = contact[7:] if contact[:7].lower() == "mailto:" else contact
        folders = [p for p in (config.build.overrides, config.build.templates) if p is not None]
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(f) for f in folders]),
            autoescape=jinja2.select_autoescape(["html"], default_for_string=True),
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        try:
            self.html = self.env.get_template(TEMPLATE_HTML)
            self.plain = self.env.get_template(TEMPLATE_TEXT)
        except jinja2.TemplateNotFound as exc:
            where = ", ".join(map(str, folders))
            raise ConfigError(config.path, "build.templates", f"no template {exc.name or '?'} in {where}") from None
        except jinja2.TemplateSyntaxError as exc:
            raise ConfigError(exc.filename or exc.name or "templates", f"line {exc.lineno}",
                              exc.message or "syntax error") from None

    def compose(self, selection: Selection, topics: tuple[TopicConfig, ...]) -> Composed:
        site = self.config.site
        base = site.base_url  # ends with "/": joining is concatenation
        count = selection.count
        label = day_label(selection.day)
        # Each configured part is made header-safe and bounded on its own, so a long site title
        # can never push the day and the count out of the subject.
        site_title = text.header_text(site.title)
        if selection.topic is not None:
            topic_title = text.header_text(selection.topic.title)
            subject = f"{site_title} · {topic_title} · {label} · {plural(count, 'paper')}"
            headline = f"{plural(count, 'paper')} on {topic_title}"
        else:
            n_topics = len(selection.sections)
            subject = f"{site_title} · {label} · {plural(count, 'paper')} on {plural(n_topics, 'topic')}"
            headline = f"{plural(count, 'paper')} on {plural(n_topics, 'topic')}"
        others = topics if selection.topic is None else self.config.topics
        sections = tuple(self._section(s, others) for s in selection.sections)
        context = dict(
            subject=subject, headline=headline, day=label,
            site_title=text.one_line(site.title), site_url=base, day_url=base + day_url(selection.day),
            topic_title=text.one_line(selection.topic.title) if selection.topic else None,
            sections=sections, count=count, contact=self.contact, contact_url=_contact_url(self.contact),
            overview=" · ".join(f"{s.title} ({s.total})" for s in sections) if len(sections) > 1 else "",
            preheader=" · ".join(p.title for s in sections for p in s.papers[:3])[:180],
            language=site.language, wrap=text.wrap,
        )
        try:
            plain, html = self.plain.render(context), self.html.render(context)
        except jinja2.TemplateError as exc:
            raise ConfigError(getattr(exc, "filename", None) or "templates", "digest", str(exc)) from None
        message_id = self._message_id(selection)
        subject = str(context["subject"])
        return Composed(selection.name, self._message(selection, subject, plain, html, message_id),
                        message_id, selection)

    def _section(self, section: Section, others: tuple[TopicConfig, ...]) -> SectionView:
        base = self.config.site.base_url
        return SectionView(
            title=text.one_line(section.topic.title),
            url=base + topic_url(section.topic.slug),
            papers=tuple(self._paper(e, tuple(text.one_line(t) for t in also_in(e, section, others)))
                         for e in section.entries),
            listed_above=section.listed_above,
        )

    def _paper(self, entry: Entry, also: tuple[str, ...]) -> PaperView:
        paper = entry.paper
        # Hugging Face's AI summary, when the snapshot has one, is shorter than the abstract.
        hf = hf_of(paper)
        ai = hf.ai_summary if hf else None
        ai = ai if ai and ai.strip() else None
        return PaperView(
            id=text.one_line(paper.id),
            title=text.title_text(paper.title),
            authors=text.authors_text(paper.authors),
            summary=text.excerpt(ai, text.AI_SUMMARY_CHARS) if ai else text.excerpt(paper.abstract),
            ai_summary=ai is not None,
            upvotes=upvotes(entry),
            category=text.one_line(paper.primary_category) if paper.primary_category else None,
            page_url=self.config.site.base_url + paper_url(entry.slug),
            arxiv_url=_web_url(paper.links.get("abs")) or arxiv_ids.abs_url(paper.id),
            pdf_url=_web_url(paper.links.get("pdf")),
            also=also,
        )

    def _message_id(self, selection: Selection) -> str:
        host = urlsplit(self.config.site.base_url).hostname or "sitegen.invalid"
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            host = "sitegen.invalid"
        return f"<{selection.name}.{self._hash(selection, 'id')}@{host}>"

    def _hash(self, selection: Selection, purpose: str) -> str:
        ids = ",".join(e.paper.id for s in selection.sections for e in s.entries)
        seed = "\n".join((purpose, self.config.site.base_url, selection.name, ids))
        return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:20]

    def _message(self, selection: Selection, subject: str, plain: str, html: str, message_id: str) -> EmailMessage:
        msg = EmailMessage()  # the default policy: RFC 5322 headers, CRLF on the wire
        msg["Subject"] = subject
        msg["From"] = Address(display_name=text.header_text(self.sender.display_name or self.config.site.title),
                              addr_spec=self.sender.addr_spec)
        # Recipients are only in the SMTP envelope: none sees another's address.
        msg["To"] = "undisclosed-recipients:;"
        msg["Date"] = format_datetime(datetime.combine(selection.day, time(0, 0), tzinfo=UTC))
        msg["Message-ID"] = message_id
        list_host = message_id.rsplit("@", 1)[1].rstrip(">")
        msg["List-Id"] = f"{text.header_text(self.config.site.title)} digest <digest.{list_host}>"
        unsubscribe = _contact_url(self.contact)
        if unsubscribe:
            msg["List-Unsubscribe"] = f"<{unsubscribe}>"
        msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a digest
        msg.set_content(plain, subtype="plain", charset="utf-8", cte="quoted-printable")
        msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
        msg.set_boundary("=_sitegen_" + self._hash(selection, "boundary"))
        return msg


def _web_url(url: str | None) -> str | None:
    """A link from a snapshot, only when it is a plain http(s) URL (untrusted data)."""
    if not url or not url.isprintable() or any(c.isspace() or c in "<>\"'`" for c in url):
        return None
    parts = urlsplit(url)
    return url if parts.scheme in ("http", "https") and parts.netloc else None


def _contact_url(contact: str) -> str | None:
    """mailto: for an address, the URL itself for a web page, None for anything else."""
    if _web_url(contact):
        return contact
    address = parse_address(contact)
    if address is not None:
        return "mailto:" + quote(address.addr_spec, safe="@.+-_") + "?subject=unsubscribe"
    return None


def write_eml(folder: Path, composed: Composed) -> Path:
    """`folder/<name>.eml`: the message as it goes on the wire (CRLF line ends)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{composed.name}.eml"
    atomic_write(path, as_bytes(composed.message))
    return path


def as_bytes(message: EmailMessage) -> bytes:
    return message.as_bytes(policy=message.policy.clone(linesep="\r\n"))
