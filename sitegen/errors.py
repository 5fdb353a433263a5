"""Errors a user can act on: each renders as one line and carries its exit code."""

from __future__ import annotations

import errno
import os
import reprlib
from dataclasses import dataclass
from pathlib import Path

from sitegen.echo import ECHO_CHARS, cut, echo, one_line

# A source's failure quotes the server (a reason phrase, an error feed's words): one line,
# bounded, so a 100 KB error body cannot become a 100 KB line in the fetch summary.
PARSE_CHARS = ECHO_CHARS + 100  # what failed to parse, and the server's words
SOURCE_MESSAGE_CHARS = 1000  # what happened and what to do; the URL comes on top, whole

# How a value from outside is quoted in a message: repr (one line, escapes shown), cut to a
# few dozen characters and two levels deep, so a 1 MB title or a deeply nested (or
# alias-multiplied) YAML value makes a short message, not a long or endless one.
_QUOTE = reprlib.Repr()
_QUOTE.maxstring = _QUOTE.maxother = _QUOTE.maxlong = 60
_QUOTE.maxlevel, _QUOTE.maxlist, _QUOTE.maxtuple, _QUOTE.maxdict = 2, 4, 4, 4


def quoted(value: object) -> str:
    """`value` for a one-line message: its repr, bounded in length and depth."""
    return _QUOTE.repr(value)


class SitegenError(Exception):
    """Base for every error shown to the user as a clean one-line message."""

    exit_code = 1


class ConfigError(SitegenError):
    """sitegen.toml is invalid; the message names the key path (`topics[2].slug`)."""

    exit_code = 2

    def __init__(self, path: Path | str, key: str, message: str):
        self.path, self.key, self.message = str(path), key, message
        where = f"{self.path}: {key}: " if key else f"{self.path}: "
        super().__init__(where + message)


class UsageError(SitegenError):
    """Wrong command-line arguments."""

    exit_code = 2


class OutputRefused(SitegenError):
    """sitegen will not build into this folder: it could destroy files sitegen did not make."""

    exit_code = 2


class DiskError(SitegenError):
    """A file could not be written or read: disk full, read-only file system, no permission."""

    exit_code = 1


_ADVICE: dict[int | None, str] = {  # keyed by OSError.errno, which may be None
    errno.ENOSPC: "free some disk space",
    errno.EDQUOT: "free some disk space (your quota is used up)",
    errno.EROFS: "the file system is read-only: make it writable",
    errno.EACCES: "make it writable for you",
    errno.EPERM: "make it writable for you",
    errno.ELOOP: "remove the link (sitegen never writes through one)",
}


def disk_error(path: Path | str, exc: OSError, doing: str = "write",
               elsewhere: str = "or pass --output DIR to build elsewhere") -> DiskError:
    """One line for an OSError at `path`: what failed, why, and what to do."""
    advice = _ADVICE.get(exc.errno, "check the folder")
    why = exc.strerror or str(exc) or type(exc).__name__
    return DiskError(f"{shown_path(path)}: cannot {doing} ({why}); {advice}, {elsewhere}, then build again")


def shown_path(path: Path | str) -> str:
    """A path as the user would write it: relative to the current folder when inside it."""
    path = str(path)
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


@dataclass(frozen=True)
class ContentProblem:
    """One bad snapshot: where it is and what to do about it."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContentError(SitegenError):
    """One or more bad snapshots, all reported at once (never only the first)."""

    exit_code = 1

    def __init__(self, problems: list[ContentProblem]):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.message))
        n = len(self.problems)
        head = f"{n} bad snapshot{'s' if n != 1 else ''}; fix or remove them and build again:"
        super().__init__("\n".join([head, *(f"  {p}" for p in self.problems)]))


class SourceError(SitegenError):
    """A source answered badly (HTTP error, throttled, unparsable body)."""

    exit_code = 1

    def __init__(self, url: str, message: str):
        # The URL is sitegen's own (the config's, with its query): kept whole, it says what failed.
        self.url, self.message = url, cut(one_line(message), SOURCE_MESSAGE_CHARS)
        super().__init__(f"{url}: {self.message}")


class ParseError(ValueError):
    """A source's response body could not be parsed (truncated, malformed, error feed).

    Its message usually quotes the body, so it is cut to one line of PARSE_CHARS."""

    def __init__(self, message: str = ""):
        super().__init__(echo(message, PARSE_CHARS))
