"""The two seams: a source and an output unit registered from outside sitegen/ work end to end,
a page made from a template alone needs no Python, and an override can extend the template it
replaces (`!bundled/`). Plugins, which register through entry points: tests/test_plugins.py."""

from __future__ import annotations

import re
import shutil
import textwrap
from dataclasses import dataclass
from functools import lru_cache

import pytest

from sitegen.config.load import parse_config
from sitegen.errors import ContentError, ParseError, SourceError
from sitegen.fetch.http.policy import ACCEPT_XML
from sitegen.render.outputs import registry as outputs
from sitegen.render.outputs.base import Output, Page
from sitegen.site.size_model import Weight
from sitegen.snapshot.extras import SnapshotKey
from sitegen.snapshot.store import read_snapshot, snapshot_path
from sitegen.sources import registry as sources
from sitegen.sources.arxiv.api import parse_api_feed
from sitegen.sources.base import Annotation, FetchContext, Harvest, HttpSettings, Source, Unit
from tests.conftest import REPO
from tests.fetch_fixtures import fetch
from tests.replay_server import Reply

FEED = "arxiv-api/api2026-search-all-transformer-AND-cat-cs.LG-5-entries.xml"


# --- a source from outside sitegen/ --------------------------------------------------------------

@dataclass(frozen=True)
class MirrorSettings(HttpSettings):
    feed_url: str = "https://mirror.example.org/feed.xml"
    min_interval: float = 0.0


class MirrorSource(Source):
    """A toy source: an Atom feed in arXiv's API format, served by a mirror."""

    name = "mirror"
    settings_type = MirrorSettings
    enabled_by_default = False

    def units(self, plan):
        yield Unit("mirror feed", self.feed)

    def feed(self, ctx: FetchContext) -> Harvest:
        assert isinstance(self.settings, MirrorSettings)
        url = self.settings.feed_url
        body = self.client.get(url, self.settings.policy(self.name), accept=ACCEPT_XML).body
        try:
            papers = parse_api_feed(body).papers
        except ParseError as exc:
            raise SourceError(url, f"{exc}; try again later") from None
        ctx.status(f"{len(papers)} papers")
        return Harvest(accepted=list(papers))


@pytest.fixture
def mirror():
    sources.register(MirrorSource)
    yield MirrorSource
    sources.unregister("mirror")


def mirror_config(tmp_path, base: str):
    text = textwrap.dedent(f"""
        [site]
        title = "Test"
        base_url = "https://example.org/feeds/"

        [fetch]
        sources = ["mirror"]

        [sources.mirror]
        feed_url = "{base}/mirror/feed.xml"
        timeout = 0.5
        retries = 0

        [[topics]]
        slug = "ml"
        title = "Machine learning"
        categories = ["cs.LG"]
    """)
    path = tmp_path / "sitegen.toml"
    path.write_text(text)
    return parse_config(text, path)


def test_a_registered_source_owns_its_keys_and_fetches_through_the_pipeline(mirror, replay, clock, tmp_path):
    replay.route("/mirror/feed.xml", Reply(file=FEED))
    config = mirror_config(tmp_path, replay.url)
    assert config.sources["mirror"].feed_url == f"{replay.url}/mirror/feed.xml"
    code, out = fetch(config, clock)
    assert code == 0, out
    assert "mirror" in out.splitlines()[2] and "5" in out.splitlines()[2]  # its summary row: 5 new
    written = sorted(p.name for p in (config.build.content / "papers").rglob("*.md"))
    assert len(written) == 5
    paper_id = written[0][:-3]
    assert read_snapshot(snapshot_path(config.build.content, paper_id)).sources == ("arxiv",)
    assert [r.path for r in replay.requests] == ["/mirror/feed.xml"]


def test_a_registered_source_failing_is_one_line_and_exit_1(mirror, replay, clock, tmp_path):
    replay.route("/mirror/feed.xml", Reply(body=b"<feed>cut", status=200))
    code, out = fetch(mirror_config(tmp_path, replay.url), clock)
    assert code == 1
    assert "failed: mirror feed: " in out and "malformed or truncated XML" in out


def test_a_source_key_is_checked_like_any_other(mirror, tmp_path):
    from sitegen.errors import ConfigError

    with pytest.raises(ConfigError, match=r"sources\.mirror\.feed_urll: unknown key"):
        parse_config('[site]\ntitle = "T"\nbase_url = "https://e.org/"\n[sources.mirror]\nfeed_urll = "x"\n',
                     tmp_path / "sitegen.toml")


def test_an_unregistered_source_is_a_config_error(tmp_path):
    from sitegen.errors import ConfigError

    with pytest.raises(ConfigError, match=r"fetch\.sources\[1\]: unknown source 'mirror'"):
        parse_config('[site]\ntitle = "T"\nbase_url = "https://e.org/"\n[fetch]\nsources = ["mirror"]\n',
                     tmp_path / "sitegen.toml")


# --- an output unit from outside sitegen/ ---------------------------------------------------------

class HumansFile(Output):
    """A toy output: humans.txt listing the site's topics."""

    name = "humans"

    def plan(self, site, renderer):
        return [Page("humans.txt", self.name, None, repr(site.config.topics))]

    def render(self, page, site, renderer):
        return "".join(f"{t.title}\n" for t in site.config.topics).encode()


@pytest.mark.slow
def test_a_registered_output_unit_is_built_written_and_pruned(sample_site):
    outputs.register(HumansFile)
    try:
        sample_site.build()
        assert (sample_site.output / "humans.txt").read_text() == "Vision\nLanguage Models\nString Theory\n"
    finally:
        outputs.unregister("humans")
    result = sample_site.build()
    assert not (sample_site.output / "humans.txt").exists() and result.removed == 1


@pytest.mark.slow
def test_a_template_page_needs_no_python(sample_site):
    overrides = sample_site.root / "my-templates"
    (overrides / "pages").mkdir(parents=True)
    (overrides / "pages" / "about.html").write_text(
        '{% extends "base.html" %}{% block title %}About · {{ site.title }}{% endblock %}'
        "{% block main %}<h1>About this site</h1><p>Papers we follow.</p>{% endblock %}\n")
    text = sample_site.config_path.read_text().replace("[build]", '[build]\noverrides = "my-templates"')
    sample_site.config_path.write_text(text)
    sample_site.build()
    about = (sample_site.output / "about" / "index.html").read_text()
    assert "<h1>About this site</h1>" in about and 'href="../static/style.css' in about
    index = (sample_site.output / "index.html").read_text()
    assert '<a href="./about/">About</a>' in index  # linked from every page's footer
    assert "https://owner.github.io/repo/about/" in (sample_site.output / "sitemap.xml").read_text()


# --- a source that annotates known papers, from outside sitegen/ -----------------------------------

@dataclass(frozen=True)
class Bookmarks:
    """What a toy reading-list service says of a paper: how many readers saved it."""

    saves: int


class BookmarksKey(SnapshotKey):
    name = "bookmarks"

    def parse(self, value, fail):
        if value is None:
            return None
        if not isinstance(value, dict) or set(value) != {"saves"} or not isinstance(value["saves"], int):
            raise fail(self.name, "must be {saves: N}")
        return Bookmarks(value["saves"])

    def dump(self, record, scalar, quote):
        return None if record is None else "{saves: " + scalar(record.saves) + "}"

    def merge(self, old, new):
        return new

    def as_mapping(self, record):
        return {"saves": record.saves}


class BookmarksSource(Source):
    """A toy annotating source: the recorded search answer of a mirror tells which papers its
    readers saved (each id it lists counts one save); it adds to known papers, never makes one."""

    name = "bookmarks"
    settings_type = MirrorSettings
    enabled_by_default = False
    snapshot_key = BookmarksKey()
    best_effort = True

    def units(self, plan):
        yield Unit("bookmarks feed", self.feed)

    def feed(self, ctx: FetchContext) -> Harvest:
        assert isinstance(self.settings, MirrorSettings)
        body = self.client.get(self.settings.feed_url, self.settings.policy(self.name), accept=ACCEPT_XML).body
        ids = [p.id for p in parse_api_feed(body).papers]
        return Harvest(annotations=[Annotation(i, self.name, Bookmarks(saves=1)) for i in ids])


@pytest.fixture
def bookmarks():
    sources.register(BookmarksSource)
    yield BookmarksSource
    sources.unregister("bookmarks")


def test_a_registered_annotating_source_adds_its_key_to_known_papers_only(mirror, bookmarks, replay, clock,
                                                                          tmp_path, sample_site):
    replay.route("/mirror/feed.xml", Reply(file=FEED))
    (tmp_path / "fetched").mkdir()
    config = mirror_config(tmp_path / "fetched", replay.url)
    code, out = fetch(config, clock)  # the mirror writes the feed's five papers
    assert code == 0, out
    written = sorted((config.build.content / "papers").rglob("*.md"))
    first = written[0]
    first.unlink()  # one of them is not known any more: its annotation must not bring it back
    text = config.path.read_text().replace('sources = ["mirror"]', 'sources = ["bookmarks"]')
    config.path.write_text(text + "\n[sources.bookmarks]\nfeed_url = \"" + replay.url + "/mirror/feed.xml\"\n")
    config = parse_config(config.path.read_text(), config.path)
    code, out = fetch(config, clock)
    assert code == 0, out
    assert not first.exists()
    for path in written[1:]:
        paper = read_snapshot(path)
        assert paper.extra("bookmarks") == Bookmarks(1) and "bookmarks" in paper.sources
        assert "\nbookmarks: {saves: 1}\n" in path.read_text()
    # The build reads the key like any other: the snapshot loads, and a bad value is a bad snapshot.
    path = written[1]
    copy = sample_site.root / "content" / "papers" / path.parent.parent.name / path.parent.name / path.name
    copy.parent.mkdir(parents=True, exist_ok=True)
    copy.write_text(path.read_text())
    sample_site.build()
    copy.write_text(path.read_text().replace("{saves: 1}", "{saves: lots}"))
    with pytest.raises(ContentError, match="bookmarks: must be {saves: N}"):
        sample_site.build()


# --- an override that changes one block of a bundled template -------------------------------------

def _with_overrides(site, files: dict[str, str], templates=None):
    overrides = site.root / "my-templates"
    for name, text in files.items():
        (overrides / name).parent.mkdir(parents=True, exist_ok=True)
        (overrides / name).write_text(text)
    text = site.config_path.read_text().replace("[build]", '[build]\noverrides = "my-templates"')
    if templates is not None:
        text = re.sub(r'templates = ".*"', f'templates = "{templates}"', text)
    site.config_path.write_text(text)


@pytest.mark.slow
def test_an_override_extends_the_bundled_template_and_changes_one_block(sample_site):
    before = _built(sample_site)
    _with_overrides(sample_site, {"paper.html": '{% extends "!bundled/paper.html" %}'
                                                '{% block footer_feeds %}<a href="{{ root }}feeds.opml">Feeds</a> · '
                                                "{% endblock %}\n"})
    after = _built(sample_site)
    changed = sorted(rel for rel in after if after[rel] != before.get(rel))
    assert changed and all(rel.startswith("papers/") for rel in changed)  # the paper pages alone
    page = after["papers/2311.02077/index.html"].decode()
    assert '<footer>\n<p><a href="../../feeds.opml">Feeds</a> · Built with sitegen' in page
    unchanged = before["papers/2311.02077/index.html"].decode()
    assert page.replace('<a href="../../feeds.opml">Feeds</a> · ', "") == unchanged


@pytest.mark.slow
def test_a_change_to_the_bundled_template_an_override_extends_renders_the_pages_again(sample_site):
    bundled = sample_site.root / "bundled"
    shutil.copytree(REPO / "templates", bundled)
    _with_overrides(sample_site, {"paper.html": '{% extends "!bundled/paper.html" %}{% block og %}{% endblock %}\n'},
                    templates=bundled)
    sample_site.build()
    text = (bundled / "paper.html").read_text()
    (bundled / "paper.html").write_text(text.replace("{% block main %}", "{% block main %}<p>Edited.</p>", 1))
    result = sample_site.build()
    assert result.written >= 5 and "<p>Edited.</p>" in (sample_site.output / "papers/2311.02077/index.html").read_text()


def test_bundled_means_build_templates_even_beside_an_overrides_folder_of_that_name(sample_site):
    _with_overrides(sample_site, {"!bundled/paper.html": "not this one\n",
                                  "paper.html": '{% extends "!bundled/paper.html" %}{% block og %}{% endblock %}\n'})
    sample_site.build()
    assert "not this one" not in (sample_site.output / "papers/2311.02077/index.html").read_text()


def _built(site) -> dict[str, bytes]:
    site.build()
    return site.tree()


# --- what a page kind declares for the rest of the site --------------------------------------------

@lru_cache(maxsize=1)
def _words(site) -> tuple[str, ...]:
    return tuple(sorted({word for e in site.entries for word in e.paper.title.split()}))


class WordsPage(Output[None]):
    """A toy page kind that memoises per site and weighs a lot."""

    name = "words"
    caches = (_words,)

    def plan(self, site, renderer):
        return [Page("words.txt", self.name, None, repr(_words(site)))]

    def render(self, page, site, renderer):
        return "\n".join(_words(site)).encode()

    def weight(self, site):
        return Weight(rest=10**9)  # a gigabyte that stays: only the newest day fits under any limit


def test_a_page_kinds_caches_are_cleared_and_its_weight_counts(sample_site):
    outputs.register(WordsPage)
    try:
        result = sample_site.build()
        assert (sample_site.output / "words.txt").read_text().startswith("A\n")
        assert _words.cache_info().currsize == 0  # cleared once the pages were written
        days = sorted(p.name for p in (sample_site.output / "days").iterdir() if p.is_dir())
        assert days == ["2023-11-06"]  # the newest day alone: the others' pages left the site
        assert any("max_site_mb" in w for w in result.warnings)
    finally:
        outputs.unregister("words")
