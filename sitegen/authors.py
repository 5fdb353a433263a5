"""Author rules: which of a paper's authors a topic's `authors = [...]` entry names, and what
fetch asks arXiv for so that it gets at least those papers.

A name is a surname and given names, read from "Daniel Khashabi", "D. Khashabi" or
"Khashabi, Daniel", with accents and case folded ("José" = "jose", "Ø" = "o"). An entry
matches an author when the surnames are equal (spaces, hyphens and apostrophes aside: "Le
Cun" = "LeCun", "García Pérez" = "García-Pérez") and the given names agree as far as both
go: each pair equal or one the other's initial ("D." = "Daniel", "J.-P." = "Jean-Pierre"),
so "D. Khashabi" finds Daniel Khashabi and not Dan Roth, "John A. Smith" not "John B. Smith",
and a middle name only one side gives is ignored. A bare surname ("Khashabi") matches every
author of that surname: broad on purpose, and warned about by the build.

An entry without a comma takes its last word as the surname, with the particles before it
("van der Waals", "Le Cun"); a paper's author is tried at every split ("Juan Carlos García
Pérez" as "Pérez" and as "García Pérez"), since a paper's name list does not say where its
surnames begin. Write "García Pérez, Juan" to name a two-word surname.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

# Lower-case words that belong to the surname after them ("van der Waals", "de la Cruz").
PARTICLES = frozenset({"al", "bin", "da", "das", "de", "degli", "dei", "del", "della", "den", "der", "di", "do", "dos",
                       "du", "el", "ibn", "la", "le", "st", "te", "ten", "ter", "van", "von", "y", "zu"})
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# Letters NFKD does not take apart into a base letter and an accent.
_LETTERS = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ı": "i", "æ": "ae",
                          "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "þ": "th", "Þ": "Th", "ð": "d"})
_SEPARATORS = re.compile(r"[-‐‑–'’`]")  # hyphens and apostrophes inside a name

# The most words a surname may have ("de la Cruz y García Pérez" has six): a paper's name is
# read with its surname starting at each of its last MAX_SURNAME_WORDS words, not at every
# word, which for a name of n words cost n readings of n words each (a 1 MB name: hours).
MAX_SURNAME_WORDS = 8
# Given names compared are the first MAX_GIVEN: an entry and a name agree "as far as both
# go", and no real name gives more; so a reading keeps no more, whatever the name's length.
MAX_GIVEN = 8

Given = tuple[str, ...]  # one given name: its hyphen parts, folded ("jean", "pierre"), initials ("j", "p")


@dataclass(frozen=True, slots=True)
class Reading:
    """One way to read a name: its surname key and its given names, first to last."""

    surname: str  # folded, without spaces, hyphens and apostrophes: "garciaperez", "lecun"
    given: tuple[Given, ...]


def ascii_fold(text: str) -> str:
    """'José Ørsted-Müller' -> 'Jose Orsted-Muller': accents and special letters to ASCII."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _words(text: str) -> list[str]:
    """The words of a name, periods kept (they mark initials), "Jr." and the like dropped."""
    words = ascii_fold(text).replace(".", ". ").replace(",", " ").split()
    return [w for w in words if w.strip(".").lower() not in SUFFIXES] or words


def _given(word: str) -> list[Given]:
    """A given-name word as given names: "Jean-Pierre" -> [("jean", "pierre")], "J.-P." ->
    [("j", "p")], "D." -> [("d",)], "DM" (initials run together) -> [("d",), ("m",)]."""
    bare = word.replace(".", "")
    if 2 <= len(bare) <= 3 and bare.isalpha() and bare.isupper():
        return [(c.lower(),) for c in bare]
    parts = tuple(p.lower() for p in _SEPARATORS.split(bare) if p)
    return [parts] if parts else []


def _key(words: list[str]) -> str:
    return _SEPARATORS.sub("", "".join(words)).replace(".", "").lower()


def _reading(surname: list[str], given: list[str], drop_particles: bool) -> Reading:
    names: list[Given] = []
    for word in given:
        if len(names) >= MAX_GIVEN:
            break
        if word.lower() in PARTICLES and (drop_particles or word.islower()):
            continue  # "Ludwig van" before "Beethoven": van belongs to the surname
        names += _given(word)
    return Reading(_key(surname), tuple(names[:MAX_GIVEN]))


def read_entry(text: str) -> Reading:
    """How a topic's `authors` entry is read: "Surname, Given" or "Given ... Surname"."""
    head, comma, tail = text.partition(",")
    if comma and tail.strip(" .").lower() not in SUFFIXES:
        return _reading(_words(head), _words(tail), drop_particles=False)
    words = _words(text)
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in PARTICLES:  # keep a given name before them
        start -= 1
    return _reading(words[start:], words[:start], drop_particles=True)


@lru_cache(maxsize=1 << 18)
def readings(author: str) -> tuple[Reading, ...]:
    """Every way to read a paper's author name: with a comma, the one it states; without,
    one per place the surname could begin (among its last MAX_SURNAME_WORDS words)."""
    head, comma, tail = author.partition(",")
    if comma and tail.strip(" .").lower() not in SUFFIXES:
        return (_reading(_words(head), _words(tail), drop_particles=False),)
    words = _words(author)
    first = max(0, len(words) - MAX_SURNAME_WORDS)
    return tuple(_reading(words[i:], words[:i], drop_particles=False) for i in range(first, len(words)))


def _same_given(a: Given, b: Given) -> bool:
    if "".join(a) == "".join(b):  # "Feifei" = "Fei-Fei"
        return True
    return all(x == y or (len(x) == 1 and y.startswith(x)) or (len(y) == 1 and x.startswith(y))
               for x, y in zip(a, b, strict=False))


def _agree(entry: Reading, author: Reading) -> bool:
    if not entry.given:
        return True  # a bare surname
    if not author.given:
        return False
    return all(_same_given(a, b) for a, b in zip(entry.given, author.given, strict=False))


@dataclass(frozen=True)
class AuthorRule:
    """A topic's `authors` compiled: the entries by surname key."""

    by_surname: dict[str, tuple[Reading, ...]]

    def matches(self, authors: Iterable[str]) -> bool:
        for author in authors:
            for reading in readings(author):
                entries = self.by_surname.get(reading.surname)
                if entries and any(_agree(entry, reading) for entry in entries):
                    return True
        return False

    def matched(self, authors: Iterable[str]) -> set[Reading]:
        """Every entry (as read) that names one of the authors: which follows a paper is in
        (sitegen.site.follows), one rule holding every topic's entries."""
        found: set[Reading] = set()
        for author in authors:
            for reading in readings(author):
                for entry in self.by_surname.get(reading.surname, ()):
                    if entry not in found and _agree(entry, reading):
                        found.add(entry)
        return found


def compile_authors(entries: Iterable[str]) -> AuthorRule | None:
    grouped: dict[str, list[Reading]] = {}
    for entry in entries:
        reading = read_entry(entry)
        if reading.surname:
            grouped.setdefault(reading.surname, []).append(reading)
    return AuthorRule({k: tuple(v) for k, v in grouped.items()}) if grouped else None


def is_bare_surname(entry: str) -> bool:
    return not read_entry(entry).given


def query_names(entry: str) -> list[str]:
    """What to ask arXiv's `au:` field for an entry: its surname only, folded to ASCII, as
    written and with its words joined ("Le Cun" and "LeCun"), so that the answer holds every
    paper the entry matches, whatever the given names; the build then keeps the matching
    ones."""
    head, comma, tail = entry.partition(",")
    if comma and tail.strip(" .").lower() not in SUFFIXES:
        surname = _words(head)
    else:
        words = _words(entry)
        start = len(words) - 1
        while start > 1 and words[start - 1].lower() in PARTICLES:
            start -= 1
        surname = words[start:]
    parts = [p for w in surname for p in _SEPARATORS.split(w.replace(".", "")) if p]
    names = [" ".join(parts), "".join(parts)] if len(parts) > 1 else parts
    return list(dict.fromkeys(names))
