"""Plugins: a package installed beside sitegen adds a source and a page kind through the
`sitegen.sources` and `sitegen.outputs` entry points, and nothing in sitegen/ names it.

The plugin is a real distribution made in the test: its package and a `*.dist-info` folder
(METADATA and entry_points.txt, what pip writes) in a folder put on the PYTHONPATH of a
`sitegen` process, which finds it as it would an installed one (importlib.metadata), at the
registries' first use.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.replay_server import Reply

FEED = "arxiv-api/api2026-search-all-transformer-AND-cat-cs.LG-5-entries.xml"
BASE_URL = "https://owner.github.io/plugged/"

SOURCE = '''
"""A toy source: an Atom feed in arXiv's API format, served by a mirror."""
from dataclasses import dataclass

from sitegen.errors import ParseError, SourceError
from sitegen.fetch.http.policy import ACCEPT_XML
from sitegen.sources.arxiv.api import parse_api_feed
from sitegen.sources.base import HttpSettings, Harvest, Source, Unit


@dataclass(frozen=True)
class MirrorSettings(HttpSettings):
    feed_url: str = "https://mirror.example.org/feed.xml"
    min_interval: float = 0.0


class MirrorSource(Source):
    name = "mirror"
    settings_type = MirrorSettings
    enabled_by_default = False

    def units(self, plan):
        yield Unit("mirror feed", self.feed)

    def feed(self, ctx):
        url = self.settings.feed_url
        body = self.client.get(url, self.settings.policy(self.name), accept=ACCEPT_XML).body
        try:
            papers = parse_api_feed(body).papers
        except ParseError as exc:
            raise SourceError(url, f"{exc}; try again later") from None
        return Harvest(accepted=list(papers))
'''

PAGES = '''
"""A toy page kind: every author of the site's papers, on one page."""
from pathlib import Path

from sitegen.render.outputs.base import NavLink, Output, Page, fingerprint


class AuthorsPage(Output):
    name = "authors"
    templates = ("authors.html",)
    template_folder = Path(__file__).parent / "templates"
    nav = (NavLink("Authors", "authors/", "header", 30),)

    def plan(self, site, renderer):
        return [Page("authors/index.html", self.name, None, fingerprint(_authors(site)))]

    def render(self, page, site, renderer):
        return renderer.render("authors.html", "authors/", authors=_authors(site))

    def sitemap(self, site, renderer):
        return [("authors/", site.newest_day.date if site.newest_day else None)]


def _authors(site):
    return sorted({name for entry in site.entries for name in entry.paper.authors})
'''

TEMPLATE = """{% extends "base.html" %}
{% block title %}Authors · {{ site.title }}{% endblock %}
{% block main %}
<h1>Authors</h1>
<ul>
{% for name in authors %}
<li>{{ name }}</li>
{% endfor %}
</ul>
{% endblock %}
"""

ENTRY_POINTS = """[sitegen.sources]
mirror = sitegen_toy.source:MirrorSource

[sitegen.outputs]
authors = sitegen_toy.pages:AuthorsPage
"""


def make_distribution(folder: Path, name: str, entry_points: str, modules: dict[str, str]) -> Path:
    """A distribution as pip leaves it in site-packages: its package and its dist-info."""
    package = folder / "sitegen_toy"
    (package / "templates").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    for module, text in modules.items():
        (package / module).write_text(text)
    info = folder / f"{name.replace('-', '_')}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(entry_points)
    return folder


def sitegen(args: list[str], plugins: Path | None, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if plugins is not None:
        env["PYTHONPATH"] = str(plugins)
    return subprocess.run([sys.executable, "-m", "sitegen", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def project(root: Path, mirror_url: str | None = None) -> Path:
    """A project fetching from the plugin's source at `mirror_url` (None: from no source)."""
    root.mkdir(parents=True, exist_ok=True)
    config = root / "sitegen.toml"
    mirror = (f'[fetch]\nsources = ["mirror"]\n\n[sources.mirror]\nfeed_url = "{mirror_url}"\ntimeout = 5\n'
              'retries = 0\n\n' if mirror_url else "")
    config.write_text(textwrap.dedent(f"""\
        [site]
        title = "Plugged"
        base_url = "{BASE_URL}"

        """) + mirror + textwrap.dedent(f"""\
        [build]
        templates = "{REPO / 'templates'}"

        [[topics]]
        slug = "ml"
        title = "Machine learning"
        categories = ["cs.LG"]
    """))
    return config


@pytest.fixture
def toy_plugin(tmp_path) -> Path:
    folder = make_distribution(tmp_path / "site-packages", "sitegen-toy", ENTRY_POINTS,
                               {"source.py": SOURCE, "pages.py": PAGES})
    (folder / "sitegen_toy" / "templates" / "authors.html").write_text(TEMPLATE)
    return folder


@pytest.mark.slow
def test_a_plugin_adds_a_source_and_a_page_kind_without_touching_sitegen(toy_plugin, replay, tmp_path):
    replay.route("/mirror/feed.xml", Reply(file=FEED))
    root = tmp_path / "project"
    config = project(root, f"{replay.url}/mirror/feed.xml")

    fetched = sitegen(["fetch", "--config", str(config), "--days", "1"], toy_plugin, root)
    assert fetched.returncode == 0, fetched.stdout + fetched.stderr
    assert [r.path for r in replay.requests] == ["/mirror/feed.xml"]  # the plugin's source fetched
    assert len(list((root / "content" / "papers").rglob("*.md"))) == 5

    built = sitegen(["build", "--config", str(config)], toy_plugin, root)
    assert built.returncode == 0, built.stderr
    output = root / "output"
    page = (output / "authors" / "index.html").read_text()
    assert "<h1>Authors</h1>" in page and page.count("<li>") >= 5  # the plugin's page, its template
    assert 'href="../static/style.css' in page  # ... extending the site's base.html
    assert f"<loc>{BASE_URL}authors/</loc>" in (output / "sitemap.xml").read_text()
    index = (output / "index.html").read_text()
    assert '<a href="./topics/">Topics</a>\n<a href="./authors/">Authors</a>' in index  # nav, after Topics
    assert '<a href="../authors/">Authors</a>' in (output / "days" / "index.html").read_text()

    # Uninstalled (and its source out of the config, where it would now be an unknown key): its
    # page leaves the site (sitegen wrote it, so it prunes it) and the nav.
    project(root)
    again = sitegen(["build", "--config", str(config)], None, root)
    assert again.returncode == 0, again.stderr
    assert not (output / "authors").exists()
    assert "authors/" not in (output / "index.html").read_text()


@pytest.mark.slow
@pytest.mark.parametrize("group, command", [("sitegen.outputs", "build"), ("sitegen.sources", "fetch")])
def test_a_plugin_that_fails_to_load_is_one_line_naming_it_and_its_entry_point(tmp_path, group, command):
    entry_points = f"[{group}]\nbroken = sitegen_toy.gone:Thing\n"
    folder = make_distribution(tmp_path / "site-packages", "sitegen-broken", entry_points, {})
    root = tmp_path / "project"
    config = project(root)
    done = sitegen([command, "--config", str(config)], folder, root)
    assert done.returncode == 2
    assert done.stderr == (
        f"sitegen {command}: error: plugin sitegen-broken (entry point 'broken = sitegen_toy.gone:Thing' in group "
        f"{group}) cannot be loaded: ModuleNotFoundError: No module named 'sitegen_toy.gone'; fix or uninstall "
        "the plugin\n")
    assert not (root / "output").exists()


def test_an_entry_point_naming_something_else_is_refused(tmp_path):
    entry_points = "[sitegen.outputs]\nodd = sitegen_toy.odd:VALUE\n"
    folder = make_distribution(tmp_path / "site-packages", "sitegen-odd", entry_points, {"odd.py": "VALUE = 42\n"})
    root = tmp_path / "project"
    done = sitegen(["build", "--config", str(project(root))], folder, root)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1
    assert "plugin sitegen-odd (entry point 'odd = sitegen_toy.odd:VALUE' in group sitegen.outputs)" in done.stderr
    assert "names 42, which is neither a subclass of Output nor a module" in done.stderr
