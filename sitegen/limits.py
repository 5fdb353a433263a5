"""The bounds on every number, date and size sitegen takes from outside, and their checks.

One place, so the config checker, the snapshot reader, the sources and the README's "Limits"
table agree. Every bound is far above what any real paper, answer or site holds, so only a
broken or hostile input meets one; meeting one is a one-line error or warning that names the
key, file or URL, never a value silently cut (a reader's words are shown whole or not at all).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

# --- dates ---------------------------------------------------------------------------------

# arXiv began in August 1991; nothing a source or snapshot says can be older.
EARLIEST_DAY = date(1991, 1, 1)
# The latest day a snapshot may hold. Fixed rather than "today", because a build never reads
# the clock (the same content/ builds the same site on any day); far enough out never to
# matter, and far enough from Python's year 9999 that shifting a time zone cannot overflow.
LATEST_DAY = date(2999, 12, 31)
# A fetched record may be dated at most this far past the fetch's day (arXiv's day in New
# York): UTC runs five hours ahead of New York, and Hugging Face dates its days by UTC. More
# would be a server's garbage, and a record from the future would be the site's newest day.
FUTURE_DAYS = 2
# ... except the announcement day, which sitegen computes from arXiv's calendar: a paper
# submitted today is announced on a later mailing, days later over a weekend and holidays
# (Christmas week can skip most of a week), so it may lie up to this far past the fetch's day.
ANNOUNCED_AHEAD_DAYS = 14

# The longest look-back `fetch.days` and `--days` take: a century, past arXiv's first day.
MAX_DAYS = 36_500

# --- numbers -------------------------------------------------------------------------------

MAX_COUNT = 1_000_000_000  # upvotes, comments, GitHub stars: the most-starred repository has ~0.5M
MAX_VERSION = 1_000  # a paper's arXiv version: real papers stop in the tens
MAX_TOTAL = 1_000_000_000  # a result count an answer announces (arXiv has ~2.5M papers)
# Digits read before int() is asked: Python refuses more than 4,300 with a message about
# itself, and no bound above needs more than ten.
MAX_DIGITS = 18

# --- sizes of one fetched record (characters, after cleaning) --------------------------------

# A record past any of these is skipped with a warning naming it: ten times what arXiv or
# Hugging Face allow or ever sent, so only garbage meets them, and a reader's text is never
# cut (arXiv caps an abstract at 1,920 characters and a title well under 500).
TEXT_CAPS = {
    "title": 2_000,
    "abstract": 20_000,
    "author": 1_000,  # one author's name
    "comment": 5_000,
    "journal_ref": 2_000,
    "doi": 500,
    "ai_summary": 5_000,
    "organization": 1_000,
}
# Authors of one paper. The largest author lists on arXiv are the LHC experiments' (ATLAS and
# CMS's joint Higgs mass paper: 5,154), so four times that is a sanity cap, for fetched records
# and snapshots alike.
MAX_AUTHORS = 20_000

# --- what one paper may show ---------------------------------------------------------------

FEED_AUTHORS = 50  # authors named in a feed item (and its <author> elements); then "et al."
CARD_TOPICS = 5  # topics named on a card; then "and N more" (the paper page names them all)
MAX_TOPICS = 500  # [[topics]] tables in sitegen.toml: each paper is matched against every one


@dataclass(frozen=True)
class LongNumber:
    """An integer written with more than MAX_DIGITS digits, kept as its text.

    Parsers (YAML, JSON) turn digits into int themselves; handing them this instead lets the
    key's own check say "upvotes: a 5000-digit number; expected 0..1,000,000,000" rather than
    Python's limit message, and costs nothing for a number that long."""

    text: str

    @property
    def digits(self) -> int:
        return sum(c.isdigit() for c in self.text)


def shown(number: float) -> str:
    """A bound as the messages and README write it: 1,000,000,000; 0.1; 3,600."""
    if isinstance(number, float) and not number.is_integer():
        return f"{number:,}"
    return f"{int(number):,}"


def read_int(text: str) -> int | LongNumber:
    """`int(text)` for at most MAX_DIGITS digits; a LongNumber beyond (for the key to reject)."""
    digits = len(text) - text[:1].count("-") - text[:1].count("+")
    return LongNumber(text) if digits > MAX_DIGITS else int(text)


def count_problem(value: object, low: int, high: int) -> str | None:
    """Why `value` is not a whole number in low..high, or None. A bool is not a number."""
    if isinstance(value, LongNumber):
        return f"a {value.digits}-digit number; expected a whole number in {low:,}..{high:,}"
    if not isinstance(value, int) or isinstance(value, bool):
        return f"expected a whole number in {low:,}..{high:,}"
    if not low <= value <= high:
        return f"{value:,} is out of range; expected a whole number in {low:,}..{high:,}"
    return None


def number_in(text: str, low: int, high: int) -> int:
    """A whole number written in `text` (digits, perhaps signed), in low..high; ValueError
    with a short reason otherwise (never Python's 4,300-digit message)."""
    text = text.strip()
    body = text[1:] if text[:1] in "+-" else text
    if not body.isascii() or not body.isdigit():
        raise ValueError("not a whole number")
    problem = count_problem(read_int(text), low, high)
    if problem:
        raise ValueError(problem)
    return int(text)


def day_problem(value: date, latest: date = LATEST_DAY) -> str | None:
    """Why the day of `value` is outside EARLIEST_DAY..latest, or None."""
    day = value.date() if isinstance(value, datetime) else value
    if EARLIEST_DAY <= day <= latest:
        return None
    return f"{day.isoformat()} is not a day in {EARLIEST_DAY.isoformat()}..{latest.isoformat()}"


def latest_fetched(today: date, key: str = "published") -> date:
    """The latest day a record fetched on `today` may carry in `key`."""
    return today + timedelta(days=ANNOUNCED_AHEAD_DAYS if key == "announced" else FUTURE_DAYS)
