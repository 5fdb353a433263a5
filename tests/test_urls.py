"""URLs that reach output/: config URLs valid as typed, paper links percent-encoded or dropped."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import feedparser
import pytest

from sitegen.cli import main
from sitegen.config.load import parse_config
from sitegen.errors import ConfigError
from sitegen.sources.text import clean_url
from sitegen.urls import config_url_problem, doi_url, encode_link
from tests.conftest import make_paper

# RFC 3986 URI syntax, checked independently of sitegen.urls: only these characters, every %
# starting an escape, brackets only around an IPv6 host, at most one '#'.
_URI_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")
_URI = re.compile(r"https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-._~!$&'()*+,;=%]+)(:\d*)?([^#\[\]]*)(#[^#\[\]]*)?")


def assert_valid_uri(url: str, where: str = "") -> None:
    assert _URI_CHARS.fullmatch(url), f"{where}: {url!r} holds a character a URI may not"
    assert not re.search("%(?![0-9A-Fa-f]{2})", url), f"{where}: {url!r} has a stray %"
    if "://" in url:
        assert _URI.fullmatch(url), f"{where}: {url!r} is not an absolute http(s) URI"


@pytest.mark.parametrize("url, expected", [
    ("https://arxiv.org/abs/2311.02077", "https://arxiv.org/abs/2311.02077"),  # valid: unchanged
    ("https://x.org/search?q=a&b=%20c#frag", "https://x.org/search?q=a&b=%20c#frag"),
    ('https://github.com/a b"c', "https://github.com/a%20b%22c"),
    ("https://github.com/o/it's", "https://github.com/o/it%27s"),
    ("https://x.org/<script>{x}|^`\\", "https://x.org/%3Cscript%3E%7Bx%7D%7C%5E%60%5C"),
    ("https://x.org/100%/a%2Fb", "https://x.org/100%25/a%2Fb"),  # stray % encoded, escapes kept
    ("https://x.org/café?q=ü#ß", "https://x.org/caf%C3%A9?q=%C3%BC#%C3%9F"),
    ("https://bücher.de/", "https://xn--bcher-kva.de/"),
    ("HTTPS://X.org/a#b#c", "https://X.org/a#b%23c"),
    ("https://x.org/a[1]", "https://x.org/a%5B1%5D"),
    ("  https://x.org/a  ", "https://x.org/a"),
    ("http://[::1]:8080/x", "http://[::1]:8080/x"),
    ("javascript:alert(1)", None),
    ("data:text/html,<script>", None),
    ("/relative/path", None),
    ("https://exa mple.com/", None),
    ("https://-bad-.com/", None),
    ("https://[::1/", None),
    ("https://[nope]/", None),
    ("https://x.org:99999/", None),
    ("https://x.org:8o/", None),
    ("https://x.org/a\nb", None),
    ("https://x.org/\x00", None),
    ("", None),
    (None, None),
    ("https://x.org/" + "a" * 3000, None),
])
def test_encode_link(url, expected):
    assert encode_link(url) == expected
    assert clean_url(url) == expected  # what fetched Hugging Face links go through
    if expected:
        assert_valid_uri(expected)


@pytest.mark.parametrize("url", ["https://owner.github.io/repo/", "http://127.0.0.1:8000/x/", "https://[::1]/",
                                 "https://x.org/%C3%A9/"])
def test_config_url_problem_accepts_valid_urls(url):
    assert config_url_problem(url) is None


@pytest.mark.parametrize("url, words", [
    ("https://x.org/a b/", "space or control character"),
    ('https://x.org/"/', "holds '\"'"),
    ("https://x.org/'/", "holds \"'\""),
    ("https://x.org/<a>/", "holds '<'"),
    ("https://x.org/\t/", "space or control character"),
    ("https://x.org/100%/", "a '%' that starts no escape"),
    ("https://x.org/é/", "non-ASCII"),
    ("https://[::1/", "cannot be parsed (Invalid IPv6 URL)"),
    ("https://x.org:99999/", "invalid host or port"),
    ("https://a_b c.org/", "space"),
    ("https://bad..host/", "invalid host or port"),
    ("ftp://x.org/", "not an absolute http(s) URL"),
    ("x.org/repo", "not an absolute http(s) URL"),
])
def test_config_url_problem_names_what_is_wrong(url, words):
    assert words in config_url_problem(url)


MINIMAL = '[site]\ntitle = "T"\nbase_url = "https://owner.github.io/repo/"\n'


@pytest.mark.parametrize("extra, key", [
    ('[fetch]\ncontact = "https://x.org/my contact"', "fetch.contact"),
    ('[sources.arxiv]\napi_url = "https://x.org/\\"api"', "sources.arxiv.api_url"),
    ('[sources.arxiv]\nlist_url = "https://[::1/list/"', "sources.arxiv.list_url"),
    ('[sources.huggingface]\napi_url = "https://x.org/<api>"', "sources.huggingface.api_url"),
])
def test_every_config_url_is_checked_and_named(tmp_path, extra, key):
    with pytest.raises(ConfigError) as info:
        parse_config(MINIMAL + extra + "\n", tmp_path / "sitegen.toml")
    assert f": {key}: " in str(info.value) and info.value.exit_code == 2 and "\n" not in str(info.value)


def test_base_url_from_the_environment_is_named(tmp_path):
    with pytest.raises(ConfigError, match=r"site\.base_url: 'https://x\.org/a\"b/' \(given by \$SITEGEN_BASE_URL\)"):
        parse_config(MINIMAL, tmp_path / "sitegen.toml", 'https://x.org/a"b/', given_by="$SITEGEN_BASE_URL")


def test_doi_url():
    assert doi_url("10.1023/A:1026654312961") == "https://doi.org/10.1023/A:1026654312961"
    assert doi_url("10.1002/(SICI)1097-4636(199705)35:2<189::AID-JBM7>3.0.CO;2-O") == \
        "https://doi.org/10.1002/(SICI)1097-4636(199705)35:2%3C189::AID-JBM7%3E3.0.CO;2-O"
    assert doi_url("10.1000/a#b?c d") == "https://doi.org/10.1000/a%23b%3Fc%20d"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src", "action", "cite") or (name == "content" and tag == "meta"
                                                             and value and "://" in value):
                self.urls.append(value)


def _site_urls(out) -> dict[str, list[str]]:
    """Every URL in every page (attributes), feed (ids, links, hrefs in the item HTML),
    sitemap and robots.txt."""
    found = {}
    for path in sorted(out.rglob("*")):
        rel = path.relative_to(out).as_posix()
        if path.suffix == ".html":
            parser = _Links()
            parser.feed(path.read_text())
            found[rel] = parser.urls
        elif path.suffix in (".xml", ".opml"):
            root = ET.fromstring(path.read_bytes())
            urls = []
            for el in root.iter():
                tag = el.tag.rsplit("}", 1)[-1]
                urls += [v for k, v in el.attrib.items() if k in ("href", "uri", "xmlUrl", "htmlUrl", "url")]
                if tag in ("id", "link", "guid", "loc") and el.text and el.text.strip():
                    urls.append(el.text.strip())
                if tag in ("content", "description", "encoded") and el.text:
                    parser = _Links()
                    parser.feed(el.text)
                    urls += parser.urls
            found[rel] = urls
        elif path.name == "robots.txt":
            found[rel] = [line.split(": ", 1)[1] for line in path.read_text().splitlines()
                          if line.startswith("Sitemap:")]
    return found


def test_links_with_spaces_and_quotes_build_into_valid_feeds_and_pages(site_dir):
    site_dir.add(make_paper("2311.02077", links={
        "abs": "https://arxiv.org/abs/2311.02077",
        "pdf": "https://arxiv.org/pdf/2311.02077 v2",
        "code": 'https://github.com/a b"c',
        "project": "https://exa mple.org/",  # no valid host: left out
    }, doi="10.1002/(SICI)1097-4636(199705)35:2<189::AID-JBM7>3.0.CO;2-O"))
    site_dir.add(make_paper("2311.00001", links={"abs": "https://arxiv.org/abs/2311.00001 \"x\"",
                                                 "code": "https://[::1/x"}))  # unparsable: left out
    site_dir.build()
    out = site_dir.output
    page = (out / "papers/2311.02077/index.html").read_text()
    assert 'href="https://github.com/a%20b%22c">Code</a>' in page
    assert 'href="https://arxiv.org/pdf/2311.02077%20v2"' in page and "Project page" not in page
    assert "https://doi.org/10.1002/(SICI)1097-4636(199705)35:2%3C189::AID-JBM7%3E3.0.CO;2-O" in page
    for rel in ("rss.xml", "atom.xml", "topics/vision/rss.xml", "topics/vision/atom.xml"):
        feed = feedparser.parse((out / rel).read_bytes())
        assert not feed.bozo, (rel, feed.bozo_exception)
        ids = {e.id for e in feed.entries}
        # the id comes from the arXiv id, whatever the snapshot's abs link says
        assert ids == {"https://arxiv.org/abs/2311.02077", "https://arxiv.org/abs/2311.00001"}
    assert "Code" not in (out / "papers/2311.00001/index.html").read_text()
    urls = _site_urls(out)
    assert urls["robots.txt"] == ["https://owner.github.io/repo/sitemap.xml"]
    assert len(urls["sitemap.xml"]) > 5
    for rel, found in urls.items():
        for url in found:
            assert_valid_uri(url, rel)
    assert any("a%20b%22c" in url for url in urls["atom.xml"])  # the encoded link, not dropped


@pytest.mark.parametrize("args", [
    ("--base-url", "https://[::1/"),
    ("--base-url", "https://example.org/a b/"),
    ("--base-url", 'https://example.org/"x/'),
    ("--base-url", "https://example.org:99999/"),
])
def test_an_unusable_base_url_option_is_exit_2_naming_the_key(sample_site, capsys, args):
    status = main(["build", "--config", str(sample_site.config_path), *args])
    err = capsys.readouterr().err.strip()
    assert "\n" not in err
    assert status == 2 and "site.base_url: " in err and "(given by --base-url)" in err, err
