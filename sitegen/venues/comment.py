"""The venue an arXiv comment says a paper was accepted at: "Accepted at ICLR 2027", "To appear
in the Proceedings of the 18th IEEE International Conference on Software Testing, Verification
and Validation (ICST 2025)", "CVPR 2026 camera-ready", "NeurIPS 2025 (Spotlight)".

Precision before recall: a venue is read only when the comment names a venue of
sitegen.venues.names (an acronym as comments write it, or a long name) with a year, and a word
of acceptance stands before it in the same sentence (accepted, to appear, published,
presented, proceedings, camera-ready, oral, spotlight, poster) or just after its year
("camera-ready", "(Oral)", "main conference", "accepted"). It is not read when the words
around it say something else: "submitted to ICLR", "under review at NeurIPS", "not yet
accepted", "if accepted", a workshop, Findings, a tutorial or a demo track at the venue,
"co-located with", "held in conjunction with", "SBFT@ICSE", "part of", "non-archival", or an
extended, earlier or abridged version of a paper published there. A long name must stand on
its own: "Pacific-Asia Conference on Knowledge Discovery and Data Mining" is not KDD, and
"Conference on Computer Vision and Pattern Recognition Workshops" not CVPR.

Linear time: the text is tokenised once (sitegen.venues.tokens, a pattern that cannot
backtrack); the words of acceptance, of another version and the sentence ends are listed in
one pass each and found from a name by bisection, "any word of refusal between tokens i and
j" is a difference of running counts, a name's year and edges are looked for a bounded number
of tokens away, and each token starts at most one walk down the table's long names (a trie:
a step per word, and the longest name has a dozen). A name refused refuses the names inside
it. Past MAX_CHARS a comment is not read at all (arXiv comments run to a few hundred
characters); tests/test_venues.py reads 1 MB of hostile text past that cap in well under a
second.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from sitegen.venues.names import STOP, VENUES, KnownVenue
from sitegen.venues.tokens import tokens

MAX_CHARS = 10_000  # a comment longer than this is not read for a venue (real ones: < 1,000)
TRIGGER_REACH = 40  # tokens from a word of acceptance to the venue's name
YEAR_AFTER, YEAR_BEFORE = 6, 3  # tokens after a venue's name, words before it, to its year
MARKER_AFTER = 3  # tokens from the year to "camera-ready", "(Oral)"
AROUND = 3  # tokens before a word of acceptance and after the year read for words of refusal
NAME_EDGE = 6  # tokens looked at before and after a long name for a word that makes it another venue
EARLIEST_YEAR, LATEST_YEAR = 1980, 2099

# A word of acceptance before the venue ...
BEFORE = frozenset({"accepted", "appear", "appears", "appearing", "published", "presented", "proceedings",
                    "camera", "oral", "spotlight", "poster"})
# ... or after its year ("CVPR 2026 camera-ready", "ICML 2024 Oral", "EMNLP 2025 main conference").
AFTER = frozenset({"accepted", "camera", "oral", "spotlight", "poster", "main"})
# Words that, just before a word of acceptance, take it back: "not (yet) accepted", "if accepted".
TAKEN_BACK = frozenset({"not", "never", "yet", "if", "once", "unless"})
# Words (and characters) that say the venue is not where the paper was accepted, read between
# the word of acceptance and the year, and a few tokens around them.
REFUSAL = frozenset({
    "submitted", "submission", "submit", "review", "reviews", "consideration", "rejected", "withdrawn",
    "workshop", "workshops", "findings", "co", "colocated", "collocated", "conjunction", "satellite",
    "tutorial", "tutorials", "doctoral", "consortium", "student", "tiny", "demo", "demos", "demonstration",
    "competition", "challenge", "blog", "blogpost", "blogposts", "part", "affiliated", "associated", "non",
    "companion", "adjunct", "if", "unless", "@",
})
# Words that, anywhere earlier in the sentence, say the paper is another version of the one
# published ("Extended version of our paper published at STOC 2020").
OTHER_VERSION = frozenset({"extended", "extension", "extends", "preliminary", "earlier", "previous", "previously",
                           "abridged", "shorter", "superseded"})
# Generic words a long name may follow ("Conference on" + "Neural Information Processing Systems").
GENERIC = frozenset({"conference", "symposium", "meeting"})
# A "." after these is an abbreviation, not the end of a sentence ("Proc. of", "Int. Conf.").
ABBREVIATIONS = frozenset({"proc", "conf", "int", "intl", "symp", "vol", "no", "pp", "eds", "ed", "al", "e", "g",
                           "i", "vs", "st", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
                           "oct", "nov", "dec", "trans", "j"})
# Words a long name may be followed by: its dates ("... Software Testing and Analysis July 11
# to 17, 2021").
MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                    "october", "november", "december"})
_BREAKS = frozenset({";", "!", "?", "\n", "|"})
_APOSTROPHES = frozenset({"'", "’", "‘"})


@dataclass(frozen=True)
class Accepted:
    venue: KnownVenue
    year: int

    @property
    def label(self) -> str:
        return f"{self.venue.short} {self.year}"


Trie = dict[Any, Any]  # a long name's words, one level a word; the venue under the key None


def _index() -> tuple[dict[str, list[tuple[tuple[str, ...], KnownVenue]]], Trie]:
    """The table as two lookups: acronyms by their first token (as written, upper-cased and,
    past four letters, capitalised: "Neurips", "INTERSPEECH"), and long names' significant
    words as a trie, so reading a name from a token costs at most one step per word of the
    longest name, however many names begin alike."""
    acronyms: dict[str, list[tuple[tuple[str, ...], KnownVenue]]] = {}
    names: Trie = {}
    for venue in VENUES:
        for acronym in venue.acronyms:
            forms = {acronym, acronym.upper()} | ({acronym.capitalize()} if len(acronym) > 4 else set())
            for form in sorted(forms):
                toks = tuple(tokens(form))
                acronyms.setdefault(toks[0], []).append((toks, venue))
        for key in venue.keys:
            node = names
            for word in key:
                node = node.setdefault(word, {})
            node[None] = venue
    return acronyms, names


_ACRONYMS, _NAMES = _index()
_TRIGGER_WORDS = tuple(sorted(BEFORE | AFTER))


def accepted_at(comment: str | None) -> Accepted | None:
    """The venue and year the comment says the paper was accepted at, or None."""
    if not comment or len(comment) > MAX_CHARS:
        return None
    lowered = comment.lower()
    if not any(word in lowered for word in _TRIGGER_WORDS):  # most comments: "12 pages, 5 figures"
        return None
    return read_tokens(tokens(comment))


def read_tokens(toks: list[str]) -> Accepted | None:
    """The first venue in `toks` that reads as accepted (see the module docstring)."""
    low = [t.lower() for t in toks]
    mentions = _mentions(toks, low)
    if not mentions:
        return None
    before = [i for i, w in enumerate(low) if w in BEFORE and not _taken_back(low, i)]
    if not before and not any(w in AFTER for w in low):
        return None
    text = _Sentences(toks, low)
    other_version = [i for i, w in enumerate(low) if w in OTHER_VERSION]
    refusals = list(accumulate((w in REFUSAL for w in low), initial=0))
    refused = 0  # a name refused refuses the names inside it ("ESEC/FSE" and its "FSE")
    for start, end, venue in mentions:
        if start < refused:
            continue
        first, last = text.bounds(start)
        found = _year_near(toks, start, end, first, last)
        if found is None:
            continue
        year, year_end = found
        trigger = _last_before(before, start, first)
        if trigger is not None and start - trigger <= TRIGGER_REACH:
            lo, hi = max(first, trigger - AROUND), min(last, year_end + AROUND)
        else:
            marker = next((i for i in range(year_end, min(year_end + MARKER_AFTER + 1, last))
                           if low[i] in AFTER and not _taken_back(low, i)), None)
            if marker is None:
                continue
            lo, hi = first, min(last, marker + AROUND + 1)  # no word of acceptance before: the sentence is read
        if refusals[hi] - refusals[lo] or _last_before(other_version, start, first) is not None:
            refused = max(refused, end)
            continue
        return Accepted(venue, year)
    return None


def _taken_back(low: list[str], i: int) -> bool:
    return any(low[j] in TAKEN_BACK for j in range(max(0, i - 2), i))


def _last_before(flagged: list[int], i: int, first: int) -> int | None:
    """The last of the (sorted) flagged tokens before token i and not before `first`."""
    k = bisect_left(flagged, i) - 1
    return flagged[k] if k >= 0 and flagged[k] >= first else None


class _Sentences:
    """Where each sentence of the tokens begins and ends: a new one after ";", "!", "?", "|",
    a line break, and a "." that ends a sentence (before a capital letter or the end of the
    text, not after an abbreviation such as "Proc.")."""

    def __init__(self, toks: list[str], low: list[str]) -> None:
        self.n = len(toks)
        self.breaks = [i for i, tok in enumerate(toks)
                       if tok in _BREAKS or (tok == "." and _ends_sentence(toks, low, i))]

    def bounds(self, i: int) -> tuple[int, int]:
        """[first, last) of the sentence holding token i."""
        k = bisect_left(self.breaks, i)
        return (self.breaks[k - 1] + 1 if k else 0), (self.breaks[k] if k < len(self.breaks) else self.n)


def _ends_sentence(toks: list[str], low: list[str], i: int) -> bool:
    if i and low[i - 1] in ABBREVIATIONS:
        return False
    return i + 1 >= len(toks) or not toks[i + 1][0].isalnum() or toks[i + 1][0].isupper()


def _year_at(toks: list[str], i: int) -> tuple[int, int] | None:
    """(year, index after it) when a year starts at token i: "2026", or "'26" / "’26"."""
    tok = toks[i]
    if len(tok) == 4 and tok.isascii() and tok.isdigit() and EARLIEST_YEAR <= int(tok) <= LATEST_YEAR:
        return int(tok), i + 1
    if tok in _APOSTROPHES and i + 1 < len(toks) and _two_digits(toks[i + 1]):
        return _century(int(toks[i + 1])), i + 2
    return None


def _two_digits(tok: str) -> bool:
    return len(tok) == 2 and tok.isascii() and tok.isdigit()


def _century(yy: int) -> int:
    return 2000 + yy if yy < 70 else 1900 + yy


def _year_near(toks: list[str], start: int, end: int, first: int, last: int) -> tuple[int, int] | None:
    """The venue's year: "-26" right after its name ("AAAI-26"), else the first year after it
    (within YEAR_AFTER tokens), else the nearest before it within YEAR_BEFORE words (and at
    most NAME_EDGE + YEAR_BEFORE tokens), in its sentence [first, last)."""
    if end + 1 < last and toks[end] == "-" and _two_digits(toks[end + 1]):
        return _century(int(toks[end + 1])), end + 2
    for i in range(end, min(end + YEAR_AFTER, last)):
        if (found := _year_at(toks, i)) is not None:
            return found
    counted = 0  # tokens before the name, publishers, "the" and punctuation aside ("2026 IEEE/RSJ ...")
    for i in range(start - 1, max(start - NAME_EDGE - YEAR_BEFORE, first) - 1, -1):
        if (found := _year_at(toks, i)) is not None:
            return found
        if toks[i][0].isalnum() and toks[i].lower() not in STOP:
            counted += 1
            if counted >= YEAR_BEFORE:
                break
    return None


def _mentions(toks: list[str], low: list[str]) -> list[tuple[int, int, KnownVenue]]:
    """(start, end, venue) of every venue named in the tokens, in order: acronyms as written,
    long names by their significant words."""
    found: list[tuple[int, int, KnownVenue]] = []
    for i in [i for i, tok in enumerate(toks) if tok in _ACRONYMS]:
        for form, venue in _ACRONYMS[toks[i]]:
            if tuple(toks[i:i + len(form)]) == form:
                found.append((i, i + len(form), venue))
    sig = [i for i, w in enumerate(low) if w[0].isalpha() and w not in STOP]
    sig_words = [low[i] for i in sig]
    for p in [p for p, w in enumerate(sig_words) if w in _NAMES]:
        node: Trie | None = _NAMES
        for q in range(p, len(sig_words)):
            node = node.get(sig_words[q]) if node is not None else None
            if node is None:
                break
            named: KnownVenue | None = node.get(None)
            if named is not None and _stands_alone(toks, low, sig[p], sig[q] + 1):
                found.append((sig[p], sig[q] + 1, named))
    found.sort(key=lambda m: (m[0], m[1]))
    return found


def _stands_alone(toks: list[str], low: list[str], start: int, end: int) -> bool:
    """A long name that is not part of a longer one: the nearest word before it (past
    publishers, "the", "on", "Conference") and the nearest after it (past "and", "the") is no
    capitalised word other than one of acceptance (or a month, after it): "Pacific-Asia Conference on Knowledge
    Discovery" and "... Pattern Recognition Workshops" are other venues."""
    for i in range(start - 1, max(start - NAME_EDGE, 0) - 1, -1):
        if low[i] in STOP or low[i] in GENERIC:
            continue
        if toks[i][0].isalpha() and toks[i][0].isupper() and low[i] not in BEFORE:
            return False
        break
    for i in range(end, min(end + NAME_EDGE, len(toks))):
        if low[i] in STOP:
            continue
        if toks[i][0].isalpha() and toks[i][0].isupper() and low[i] not in AFTER and low[i] not in MONTHS:
            return False
        break
    return True
