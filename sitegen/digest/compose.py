"""A Selection -> one RFC 5322 message (multipart/alternative: text/plain + text/html).

Deterministic: the same content, config and templates give the same bytes. The Date header
is the announcement day (a weekly digest's: its week's last one) at 00:00 UTC, the Message-ID
and the MIME boundary are hashes of the data and base_url, never the clock or a random number.
Both parts are quoted-printable, so the message is 7-bit clean for any server, and a boundary
starting with "=_" can never occur inside a quoted-printable body.

Every header value passes through `text.header_text` (one line, no control characters), so
nothing fetched or configured can add a header; paper text only reaches the bodies.

How much of the day the message shows is `layout.fit`'s choice: it renders the templates at
a level, measures both parts as sent, and keeps the richest level within the byte budget.
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

from sitegen.atomic import atomic_write
from sitegen.config.settings import Config, TopicConfig
from sitegen.digest import layout, text
from sitegen.digest.select import Selection
from sitegen.digest.settings import parse_address
from sitegen.digest.views import SectionView, Views, heading, plural, web_url
from sitegen.errors import ConfigError
from sitegen.render.template_files import template_folders, template_loader
from sitegen.site.model import day_url

TEMPLATE_HTML = "digest/email.html"
TEMPLATE_TEXT = "digest/email.txt"
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")  # not strftime: no locale may change a byte
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_label(d: date) -> str:
    """Thu 13 Aug 2026."""
    return f"{_DAYS[d.weekday()]} {d.day} {_MONTHS[d.month - 1]} {d.year}"


def when_label(selection: Selection) -> str:
    """"Thu 13 Aug 2026", or a weekly digest's "Week 33 of 2026 (Mon 10 Aug to Fri 14 Aug 2026)"."""
    if selection.week is None:
        return day_label(selection.day)
    days = sorted({e.paper.announced for s in selection.sections for e in s.entries})
    first, last = day_label(days[0]), day_label(days[-1])
    if len(days) == 1:
        return f"{selection.week.title} ({first})"
    same_year = days[0].year == days[-1].year
    return f"{selection.week.title} ({first[:-5] if same_year else first} to {last})"


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
        folders = template_folders(config)
        self.env = jinja2.Environment(
            loader=template_loader(config),  # an override may extend "!bundled/digest/email.html"
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
        label = when_label(selection)
        # Each configured part is made header-safe and bounded on its own, so a long site title
        # can never push the day and the count out of the subject.
        site_title = text.header_text(site.title)
        n_topics = len(selection.sections)
        if selection.topic is not None:
            topic_title = text.header_text(selection.topic.title)
            subject = f"{site_title} · {topic_title} · {label} · {plural(count, 'paper')}"
            headline = f"{plural(count, 'paper')} on {topic_title}"
        else:
            subject = f"{site_title} · {label} · {plural(count, 'paper')} on {plural(n_topics, 'topic')}"
            headline = f"{plural(count, 'paper')} on {plural(n_topics, 'topic')}"
        views = Views(base, topics if selection.topic is None else self.config.topics, selection.week)
        context = dict(
            subject=subject, headline=headline, day=label, count=count,
            site_title=heading(site.title), site_url=base,
            day_url=base + (selection.week.url if selection.week else day_url(selection.day)),
            topic_title=heading(selection.topic.title) if selection.topic else None,
            contact=self.contact, contact_url=_contact_url(self.contact), language=site.language,
            wrap=text.wrap, plural=plural, weekly=selection.week is not None,
        )

        def render(parts: tuple[layout.Part, ...]) -> tuple[str, str]:
            sections = views.sections(parts)
            return self._render(dict(context, sections=sections, toc=n_topics > 1, preheader=_preheader(sections)))

        try:
            _, plain, html = layout.fit(selection, render)
        except layout.TooBig as exc:
            raise ConfigError(self.config.path, "topics", (
                f"the digest {selection.name} is {exc} even without a paper shown, over "
                f"the {layout.HTML_BUDGET:,}-byte budget: fewer [[topics]] (or shorter titles) in one "
                'message, or [digest] mode = "per-topic"')) from None
        message_id = self._message_id(selection)
        return Composed(selection.name, self._message(selection, subject, plain, html, message_id),
                        message_id, selection)

    def _render(self, context: dict) -> tuple[str, str]:
        try:
            return self.plain.render(context), self.html.render(context)
        except jinja2.TemplateError as exc:
            raise ConfigError(getattr(exc, "filename", None) or "templates", "digest", str(exc)) from None

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
        msg["Date"] = format_datetime(datetime.combine(selection.dated, time(0, 0), tzinfo=UTC))
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


def _preheader(sections: tuple[SectionView, ...]) -> str:
    """The line an inbox shows after the subject: the first papers shown in full."""
    return " · ".join(i.paper.title for s in sections for i in s.full[:3])[:180]


def _contact_url(contact: str) -> str | None:
    """mailto: for an address, the URL itself for a web page, None for anything else."""
    if web_url(contact):
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
