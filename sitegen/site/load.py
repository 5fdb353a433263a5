"""Walk content/papers/, parse every snapshot, collect every error; reuse unchanged parses.

A rebuild re-parses only files whose size or mtime changed since the last build (the parsed
entries are cached on disk), and a cold load of thousands of files uses every core.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from sitegen import arxiv_ids, urls
from sitegen.atomic import atomic_write
from sitegen.code_digest import code_digest
from sitegen.config.settings import Config, TopicConfig
from sitegen.errors import ContentError, ContentProblem, disk_error
from sitegen.model import Paper
from sitegen.safe_fs import UnsafeFile, is_link, open_regular
from sitegen.site import related, shared_values
from sitegen.snapshot.format import SnapshotError, parse_snapshot
from sitegen.snapshot.store import read_snapshot_bytes
from sitegen.stamps import Stamp, stamp_of, stamps
from sitegen.text import markup
from sitegen.topics import topics_of

_PARALLEL_MIN = 400  # below this, starting worker processes costs more than it saves


@dataclass(frozen=True, slots=True)
class Entry:
    """A paper plus what the build derives from it once: its URL name, topics and HTML."""

    paper: Paper
    file: str  # path relative to the config folder, for messages
    digest: str  # of the snapshot's bytes: the paper's part of every page fingerprint
    slug: str
    topics: tuple[str, ...]
    title_html: str
    terms: bytes = b""  # the words related papers are found by (sitegen.site.related)

    def __reduce__(self):
        return (_unpickle_entry, (self.paper, self.file, self.digest, self.slug, self.topics, self.title_html,
                                  self.terms))

    @property
    def abstract_html(self) -> str:
        # Made when the paper's own page is rendered, not kept: at 100k papers the MathML of
        # every abstract would cost hundreds of MB in memory and in the parse cache.
        return markup.abstract_html(self.paper.abstract)


def _unpickle_entry(paper: Paper, file: str, digest: str, slug: str, topics: tuple[str, ...], title_html: str,
                    terms: bytes) -> Entry:
    """An entry read back from the build cache or a loader worker, its repeated values shared."""
    if title_html == paper.title:  # a title without markup or math: one string for both
        title_html = paper.title
    return Entry(shared_values.share_paper_values(paper), file, digest, slug, shared_values.share(topics),
                 title_html, terms)


def scan_snapshots(config: Config) -> dict[str, Stamp]:
    """{absolute path: stamp} of every snapshot: what decides whether anything changed.

    Absolute, because the parse cache is keyed by these paths: `--config sitegen.toml` and
    `--config /path/to/sitegen.toml` (or another working folder) must find the same entries.
    Every symbolic link below content/ is listed too (as itself, whatever its name, hidden
    ones aside: an editor's lock files), and reported as a bad snapshot when loaded: a link
    is never followed, and a folder of snapshots behind one must not vanish without a word."""
    papers = config.build.content.absolute() / "papers"
    if is_link(papers):
        return {str(papers): stamp_of(os.lstat(papers))}
    return stamps(papers, ".md", every_link=True)


def load_entries(config: Config, workers: int | None = None,
                 files: dict[str, Stamp] | None = None) -> list[Entry]:
    """Every snapshot under content/papers as an Entry; raise ContentError listing all bad files."""
    if files is None:
        files = scan_snapshots(config)
    cache = _EntryCache(config.build.cache, _cache_key(config.topics))
    root = config.root
    entries: dict[str, Entry] = {}
    todo: list[tuple[str, str]] = []
    for path, stamp in files.items():
        hit = cache.get(path)
        if hit is not None and (hit[0] == stamp or _same_bytes_as(path, hit[1])):
            entries[path] = hit[1]
        else:
            todo.append((path, _relative(path, root)))
    problems: list[ContentProblem] = []
    # One result per to-do item, in order: strict, so a lost result could never shift the rest.
    for path, result in zip((p for p, _ in todo), _parse_all(todo, config.topics, workers), strict=True):
        if isinstance(result, ContentProblem):
            problems.append(result)
        else:
            entries[path] = result
    shared_values.forget()
    problems += _duplicate_ids(entries.values())
    if problems:
        raise ContentError(problems)
    cache.save({p: (files[p], e) for p, e in entries.items()})
    return [entries[p] for p in sorted(entries)]


def _same_bytes_as(path: str, entry: Entry) -> bool:
    """The snapshot still holds the bytes the cached entry was parsed from.

    Asked only when its stamp moved: a fresh `git checkout` (the nightly workflow's) gives every
    file a new mtime, and reading and hashing a snapshot costs a fraction of parsing it again."""
    try:
        return hashlib.sha1(read_snapshot_bytes(path)).hexdigest() == entry.digest
    except OSError:  # a link or a FIFO now, too: parsed again, which reports the problem
        return False


def _relative(path: str, root: Path) -> str:
    try:
        return os.path.relpath(path, root)
    except ValueError:
        return path


def _cache_key(topics: tuple[TopicConfig, ...]) -> str:
    return hashlib.sha256(repr((code_digest(), topics)).encode()).hexdigest()


class _EntryCache:
    """Parsed entries on disk, one pickle per snapshot folder: a rebuild after a fetch
    rewrites only the folders that changed instead of the whole cache."""

    def __init__(self, folder: Path | None, key: str):
        self.folder, self.key = folder, key
        self.groups: dict[str, dict] = {}  # snapshot folder -> {path: (stamp, entry)}
        if folder is None or not folder.is_dir():
            return
        for name in sorted(os.listdir(folder)):
            if name.startswith("entries-") and name.endswith(".pickle"):
                try:
                    with open_regular(folder / name) as f:  # not through a link, nor from a FIFO
                        stored_key, group, data = pickle.load(f)
                except Exception:  # a missing, old or damaged cache only means a slower build
                    continue
                if stored_key == key:
                    self.groups[group] = data

    def get(self, path: str):
        group = self.groups.get(os.path.dirname(path))
        return group.get(path) if group else None

    def save(self, current: dict[str, tuple]) -> None:
        if self.folder is None:
            return
        fresh: dict[str, dict] = {}
        for path, value in current.items():
            fresh.setdefault(os.path.dirname(path), {})[path] = value
        target = self.folder
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for group, data in fresh.items():
                old = self.groups.get(group)
                if old is not None and old.keys() == data.keys() and all(old[p][0] == data[p][0] for p in data):
                    continue  # same files, same stamps: the stored pickle is still right
                target = self.folder / self._name(group)
                atomic_write(target, pickle.dumps((self.key, group, data), protocol=pickle.HIGHEST_PROTOCOL))
            for group in self.groups.keys() - fresh.keys():
                target = self.folder / self._name(group)
                target.unlink(missing_ok=True)
        except OSError as exc:
            raise disk_error(target, exc, elsewhere="or set build.cache to another folder") from None

    @staticmethod
    def _name(group: str) -> str:
        return f"entries-{hashlib.sha1(group.encode()).hexdigest()[:16]}.pickle"


_TOPICS: tuple[TopicConfig, ...] = ()


def _init_worker(topics: tuple[TopicConfig, ...]) -> None:
    global _TOPICS
    _TOPICS = topics


def _parse_all(todo: list[tuple[str, str]], topics, workers: int | None) -> list[Entry | ContentProblem]:
    workers = workers or os.cpu_count() or 1
    if len(todo) < _PARALLEL_MIN or workers == 1:
        _init_worker(topics)
        return [_load_one(item) for item in todo]
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(topics,)) as pool:
        return list(pool.map(_load_one, todo, chunksize=max(1, len(todo) // (workers * 8))))


def _load_one(item: tuple[str, str]) -> Entry | ContentProblem:
    path, rel = item
    try:
        data = read_snapshot_bytes(path)
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return ContentProblem(rel, 1, f"not UTF-8 text ({exc.reason}); save the file as UTF-8")
    except UnsafeFile as exc:  # a link (never followed), a FIFO or device, over the size cap
        return ContentProblem(rel, 1, exc.reason)
    except OSError as exc:
        return ContentProblem(rel, 1, f"cannot read: {exc.strerror}")
    try:
        paper = parse_snapshot(text)
    except SnapshotError as exc:
        return exc.problem(rel)
    expected = arxiv_ids.safe_name(paper.id) + ".md"
    if Path(path).name != expected:
        return ContentProblem(rel, 2, f"id {paper.id!r} belongs in a file named {expected}; "
                                      "rename the file or fix the id")
    return make_entry(paper, rel, hashlib.sha1(data).hexdigest(), _TOPICS)


def make_entry(paper: Paper, file: str, digest: str, topics: tuple[TopicConfig, ...]) -> Entry:
    clean = replace(
        paper,
        title=markup.plain_text(paper.title),
        links=_valid_links(paper),
        authors=tuple(markup.plain_text(a) for a in paper.authors),
        abstract=markup.clean_text(paper.abstract),
        comment=markup.plain_text(paper.comment) if paper.comment else paper.comment,
        journal_ref=markup.plain_text(paper.journal_ref) if paper.journal_ref else paper.journal_ref,
        doi=markup.plain_text(paper.doi) if paper.doi else paper.doi,
    )
    return Entry(
        paper=clean,
        file=file,
        digest=digest,
        slug=arxiv_ids.safe_name(paper.id),
        topics=topics_of(topics, clean),
        title_html=markup.inline_html(paper.title),
        terms=related.terms_of(clean.title, clean.abstract),
    )


def _valid_links(paper: Paper) -> dict[str, str]:
    """The paper's links as valid URLs for pages and feeds (sitegen.urls): a hand-edited or
    fetched link with a space or quote is percent-encoded, one that cannot be made valid is
    left out, and the arXiv page stands in for a bad `abs` (templates and feeds need one)."""
    links = {}
    for kind, url in paper.links.items():
        valid = urls.encode_link(url)
        if valid is not None:
            links[kind] = valid
        elif kind == "abs":
            links[kind] = arxiv_ids.abs_url(paper.id)
    return links


def _duplicate_ids(entries) -> list[ContentProblem]:
    first: dict[str, Entry] = {}
    problems = []
    for e in sorted(entries, key=lambda e: e.file):
        other = first.setdefault(e.paper.id, e)
        if other is not e:
            problems.append(ContentProblem(e.file, 2, f"id {e.paper.id!r} is also used by {other.file}; "
                                                      "keep one of the two files"))
    return problems
