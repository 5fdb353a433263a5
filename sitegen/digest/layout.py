"""How much of a day one message shows, chosen against a byte budget. Pure.

Each topic's section shows its top papers with the lead of their abstract, the next ones by
title only, and says how many more are on the site. A paper in several topics is shown in
full once, in the first section (config order) where it is among the top; every other
section that has it names it by title and says where it is shown in full, so each section
lists its own papers in its own order and its counts stay true on their own.

The budget is enforced here, not hoped for: every field of a paper is capped (`views`), the
sections have caps per `Level`, and `fit` renders the message at the richest level and
measures both parts as they go on the wire; when they are over budget it climbs the levels
from the barest (no paper shown, only the counts and links) and keeps the last one that
fits. So a day of 2,000 papers with 100 KB abstracts makes a message as small as the caps
allow, and a message that does not fit is never sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage

from sitegen.digest.select import Section, Selection
from sitegen.site.load import Entry

# Gmail clips an HTML part past about 102 KB (104,448 bytes; measured 102-105 KB, and lower
# when the encoding grows it): what is below the cut, the later topics and the unsubscribe
# line, is hidden behind "[Message clipped]". Measured as sent (quoted-printable, CRLF),
# which is never smaller than the HTML itself, 10% below the cut for what relays add.
HTML_BUDGET = 92_000
# The text part is not clipped, but a mail this size is read on a phone too: the same papers
# take about a third of the HTML's bytes, so this bound rarely binds before the HTML's.
TEXT_BUDGET = 64_000


@dataclass(frozen=True)
class Level:
    leads: int  # the first papers of a topic, shown with their abstract's lead
    titles: int  # the next ones, by title only


# The richest level first, then the rest from the barest up. Five leads are one phone screen
# scroll or two each; ten titles are a screen; the site lists the rest.
LEVELS = (Level(5, 10),
          Level(0, 0), Level(1, 0), Level(2, 0), Level(3, 0), Level(4, 0), Level(5, 0),
          Level(5, 2), Level(5, 4), Level(5, 6), Level(5, 8))


@dataclass(frozen=True)
class Item:
    entry: Entry
    rank: int  # 1-based place in the topic's order that day
    full_in: int | None  # the index of the section that shows this paper in full; None: none


@dataclass(frozen=True)
class Part:
    """One section as the message shows it."""

    section: Section
    index: int
    top: tuple[Item, ...]  # shown in full here, or named with where it is shown in full
    titles: tuple[Item, ...]  # by title only
    more: int  # the topic's papers of that day the message does not name

    @property
    def total(self) -> int:
        return len(self.section.entries)


class TooBig(Exception):
    """Even the barest level is over budget (hundreds of topics, or huge templates)."""

    def __init__(self, html: int, plain: int):
        super().__init__(f"{html:,} bytes of HTML and {plain:,} of text")
        self.html, self.plain = html, plain


def lay_out(selection: Selection, level: Level) -> tuple[Part, ...]:
    full_in: dict[str, int] = {}
    for i, section in enumerate(selection.sections):
        for entry in section.entries[:level.leads]:
            full_in.setdefault(entry.paper.id, i)
    parts = []
    for i, section in enumerate(selection.sections):
        items = tuple(Item(e, n, full_in.get(e.paper.id))
                      for n, e in enumerate(section.entries[:level.leads + level.titles], 1))
        top, titles = items[:level.leads], items[level.leads:]
        parts.append(Part(section, i, top, titles, len(section.entries) - len(items)))
    return tuple(parts)


def fit(selection: Selection, render: Callable[[tuple[Part, ...]], tuple[str, str]]
        ) -> tuple[tuple[Part, ...], str, str]:
    """The richest layout whose rendering `render(parts) -> (plain, html)` fits the budgets,
    with that rendering. Raises TooBig when even the barest does not."""
    richest, *rest = LEVELS
    parts = lay_out(selection, richest)
    plain, html = render(parts)
    if fits(plain, html):
        return parts, plain, html
    best = None
    for level in rest:
        parts = lay_out(selection, level)
        plain, html = render(parts)
        if not fits(plain, html):
            break
        best = parts, plain, html
    if best is None:
        raise TooBig(wire_bytes(html, "html"), wire_bytes(plain, "plain"))
    return best


def fits(plain: str, html: str) -> bool:
    # The encoded size is never below the UTF-8 size: the cheap check first.
    return (len(html.encode()) <= HTML_BUDGET and len(plain.encode()) <= TEXT_BUDGET
            and wire_bytes(html, "html") <= HTML_BUDGET and wire_bytes(plain, "plain") <= TEXT_BUDGET)


def wire_bytes(body: str, subtype: str) -> int:
    """The size of `body` as a message part on the wire: quoted-printable, CRLF line ends."""
    part = EmailMessage()
    part.set_content(body, subtype=subtype, charset="utf-8", cte="quoted-printable")
    payload = str(part.get_payload())
    return len(payload) + payload.count("\n")
