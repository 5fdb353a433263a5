"""`sitegen digest --out`: what goes into a digest and how it looks, without a server.

Selection and order, deterministic bytes, math as text, hostile text kept inert, header
injection refused, the state file's format, the [digest] settings, template overrides, and
a screenshot of the HTML part in Chromium (tests/screenshots/digest.png).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date, timedelta

import pytest

from sitegen.config.load import parse_config
from sitegen.digest import text
from sitegen.digest.compose import Composer
from sitegen.digest.select import select
from sitegen.digest.settings import parse_address
from sitegen.digest.state import KEEP_DAYS, SentState, StateError
from sitegen.errors import ConfigError
from sitegen.site.load import make_entry
from sitegen.sources.huggingface.record import HuggingFace
from tests.browser_support import REPO, browser_unavailable, chromium
from tests.conftest import BASE_CONFIG, make_paper
from tests.digest_support import DAY, EARLIER, LLM, VISION, digest_site, hf, parse, parts, run

SCREENSHOTS = REPO / "tests" / "screenshots"


@pytest.fixture
def site(tmp_path):
    return digest_site(tmp_path / "site")


def written(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# --------------------------------------------------------------------------- --out


def test_out_writes_stable_names_and_the_same_bytes_twice(site, tmp_path, capsys):
    assert run(site, "--out", str(tmp_path / "a")) == 0
    assert run(site, "--out", str(tmp_path / "b")) == 0
    a, b = written(tmp_path / "a"), written(tmp_path / "b")
    assert list(a) == ["2026-08-13-combined.eml"]
    assert a == b
    raw = a["2026-08-13-combined.eml"]
    assert b"\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n"), "CRLF line ends, as on the wire"
    assert max(len(line) for line in raw.split(b"\r\n")) <= 78, "quoted-printable keeps lines short"
    assert raw.isascii(), "7-bit clean for any server"
    msg = parse(raw)
    assert msg["Message-ID"].startswith("<2026-08-13-combined.") and msg["Message-ID"].endswith("@owner.github.io>")
    assert msg.get_boundary().startswith("=_sitegen_")
    assert "wrote 1 message for 2026-08-13" in capsys.readouterr().out


def test_per_topic_out_names(tmp_path):
    site = digest_site(tmp_path / "site", 'mode = "per-topic"\n')
    assert run(site, "--out", str(tmp_path / "out")) == 0
    assert list(written(tmp_path / "out")) == ["2026-08-13-llm.eml", "2026-08-13-vision.eml"]


def test_the_base_url_changes_links_and_ids(site, tmp_path):
    assert run(site, "--out", str(tmp_path / "a")) == 0
    from sitegen.cli import main

    assert main(["digest", "--config", str(site.config_path), "--base-url", "https://papers.example.org/",
                 "--out", str(tmp_path / "b")]) == 0
    a = parse((tmp_path / "a" / "2026-08-13-combined.eml").read_bytes())
    b = parse((tmp_path / "b" / "2026-08-13-combined.eml").read_bytes())
    assert a["Message-ID"] != b["Message-ID"]
    assert 'href="https://papers.example.org/papers/2608.00001/"' in parts(b)[1]


def test_no_papers_on_a_day_writes_nothing(site, tmp_path, capsys):
    assert run(site, "--out", str(tmp_path / "out"), "--day", "2026-08-15") == 0
    assert not (tmp_path / "out").exists()
    assert capsys.readouterr().out.count("\n") == 1


def test_unknown_topic_is_a_usage_error(site, tmp_path, capsys):
    assert run(site, "--out", str(tmp_path / "out"), "--topic", "nope") == 2
    assert "--topic 'nope'" in capsys.readouterr().err


def test_out_and_send_are_exclusive(site, tmp_path):
    with pytest.raises(SystemExit) as info:
        run(site, "--out", str(tmp_path), "--send")
    assert info.value.code == 2
    with pytest.raises(SystemExit):
        run(site)


# --------------------------------------------------------------------------- content


def combined(site, tmp_path):
    assert run(site, "--out", str(tmp_path / "out")) == 0
    return parse((tmp_path / "out" / "2026-08-13-combined.eml").read_bytes())


def test_content_order_math_authors_and_upvotes(site, tmp_path):
    plain, html = parts(combined(site, tmp_path))
    assert re.findall(r"arXiv:(\S+?)[ <·\n]", plain) == VISION + LLM
    # Math as readable Unicode text, never MathML.
    assert "α-Tuning of a Language Model in O(n log n)" in plain
    assert "α > 0" in plain and "a/b" in plain and "≤" in plain
    assert "<math" not in html and "$" not in plain
    # Nine authors: the first six, then "et al."
    six = ", ".join(f"Author Number{i}" for i in range(1, 7))
    assert f"{six} et al." in html
    assert "Author Number7" not in html
    assert "▲ 40 upvotes" in plain and "&#9650;&nbsp;40 upvotes" in html
    # The long abstract is cut to its first sentences.
    assert plain.count("An LLM reads papers.") < 20
    assert "Also in Language Models" in plain  # the paper in both topics names its other topic


def test_html_is_mail_client_html(site, tmp_path):
    _, html = parts(combined(site, tmp_path))
    assert "<script" not in html.lower()
    assert "<style" not in html.lower() and 'rel="stylesheet"' not in html
    assert html.count('role="presentation"') >= 2
    assert 'width="600"' in html
    tags = re.findall(r"<(?:td|a|h2|h3)\b[^>]*>", html)
    assert all('style="' in t for t in tags), "inline styles on every cell and link"


def test_fixed_day_and_topic(site, tmp_path):
    assert run(site, "--out", str(tmp_path / "out"), "--day", EARLIER.isoformat(), "--topic", "vision") == 0
    (name,) = written(tmp_path / "out")
    assert name == "2026-08-12-combined_vision.eml"
    msg = parse((tmp_path / "out" / name).read_bytes())
    assert msg["Subject"] == "Test Feeds · Wed 12 Aug 2026 · 1 paper on 1 topic"


def test_day_without_upvotes_is_in_the_day_pages_arxiv_order(tmp_path):
    site = digest_site(tmp_path / "site")
    for pid in ("2608.00109", "2608.00101", "2608.00105"):
        site.add(make_paper(pid, categories=("cs.CV",), announced=date(2026, 8, 14), extras={}))
    assert run(site, "--out", str(tmp_path / "out")) == 0
    plain, _ = parts(parse((tmp_path / "out" / "2026-08-14-combined.eml").read_bytes()))
    # As the day page lists them without upvotes: the newest arXiv id first.
    assert re.findall(r"arXiv:(\S+)", plain) == ["2608.00109", "2608.00105", "2608.00101"]
    assert "In arXiv's order, newest first." in plain


HOSTILE_TITLE = 'Evil <script>alert("t")</script> & <b>bold</b>\r\nBcc: victim@example.com'
HOSTILE_AUTHOR = '<img src=x onerror=alert(1)>'
HOSTILE_ABSTRACT = ('<a href="javascript:alert(1)">click</a> <iframe src="https://evil.example/"></iframe>'
                    " \x1b[31mred\x1b[0m \u202ereversed\u202c NUL\x00 done.")


def test_hostile_paper_text_stays_inert(tmp_path):
    site = digest_site(tmp_path / "site")
    site.add(make_paper("2608.00200", title=HOSTILE_TITLE, authors=(HOSTILE_AUTHOR, "Mallory"),
                        categories=("cs.CV",), announced=DAY, extras={"huggingface": hf(1000)},
                        abstract=HOSTILE_ABSTRACT))
    plain, html = parts(combined(site, tmp_path))
    assert "<script" not in html and "<img" not in html and "<iframe" not in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    # Absolute links, and fragments within the message (the table of contents, "in full above").
    assert all(h.startswith(("https://", "mailto:")) or re.fullmatch(r"#(topic|p)-[\w.-]+", h) for h in hrefs), hrefs
    assert "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt;" in html  # shown as the text it is
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    for bad in ("\x1b", "\u202e", "\x00"):
        assert bad not in plain and bad not in html
    # The text part shows it as the plain text it is, on one line.
    assert 'Evil <script>alert("t")</script> & <b>bold</b> Bcc: victim@example.com' in plain
    raw = (tmp_path / "out" / "2026-08-13-combined.eml").read_bytes()
    assert b"\r\nBcc:" not in raw and parse(raw)["Bcc"] is None


def test_header_injection_from_the_config_is_refused(tmp_path):
    site = digest_site(tmp_path / "site")
    cfg = site.config_path.read_text().replace('title = "Test Feeds"', r'title = "Test\r\nBcc: victim@example.com"')
    cfg = cfg.replace('title = "Vision"', r'title = "Vision\nX-Injected: yes"')
    site.config_path.write_text(cfg)
    msg = combined(site, tmp_path)
    raw = (tmp_path / "out" / "2026-08-13-combined.eml").read_bytes()
    assert msg["Bcc"] is None and msg["X-Injected"] is None
    assert b"\r\nBcc:" not in raw and b"\r\nX-Injected" not in raw
    assert msg["Subject"].startswith("Test Bcc: victim@example.com · Thu 13 Aug 2026")
    assert not msg.defects


@pytest.mark.parametrize("value", ["a@b.org\r\nBcc: c@d.org", "a@b.org, c@d.org", "not an address", "a@localhost",
                                   "Ünïcode <ü@exämple.org>"])
def test_bad_sender_addresses_are_refused(value):
    assert parse_address(value) is None


def test_sender_from_the_environment_must_be_one_address(site, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SITEGEN_DIGEST_FROM", "x@example.org\nBcc: y@example.org")
    assert run(site, "--out", str(tmp_path / "out")) == 2
    err = capsys.readouterr().err
    assert "SITEGEN_DIGEST_FROM is not one e-mail address" in err and "Bcc" not in err


def test_ai_summary_is_used_when_the_snapshot_has_one(tmp_path):
    config = digest_site(tmp_path / "site").load()
    base = make_paper("2608.00300", categories=("cs.CV",), announced=DAY, abstract="The long abstract.")
    summary = "A short summary by a model, with $\\beta$."
    paper = replace(base, extras={"huggingface": HuggingFace(upvotes=3, ai_summary=summary)})
    entry = make_entry(paper, "x.md", "digest", config.topics)
    composed = Composer(config, parse_address("a@example.org")).compose(
        select([entry], DAY, "combined", config.topics), config.topics)
    plain, html = parts(composed.message)
    assert "AI summary: A short summary by a model, with β." in plain
    assert "The long abstract." not in plain
    assert "AI summary" in html
    # ... and without one, the abstract.
    entry = make_entry(base, "x.md", "digest", config.topics)
    plain, _ = parts(Composer(config, parse_address("a@example.org")).compose(
        select([entry], DAY, "combined", config.topics), config.topics).message)
    assert "The long abstract." in plain and "AI summary" not in plain


def test_untrusted_links_fall_back_to_arxiv(tmp_path):
    config = digest_site(tmp_path / "site").load()
    paper = make_paper("2608.00400", categories=("cs.CV",), announced=DAY,
                       links={"abs": "javascript:alert(1)", "pdf": 'https://x.example/"><script>'})
    entry = make_entry(paper, "x.md", "d", config.topics)
    _, html = parts(Composer(config, parse_address("a@example.org")).compose(
        select([entry], DAY, "combined", config.topics), config.topics).message)
    assert 'href="https://arxiv.org/abs/2608.00400"' in html
    assert "javascript:" not in html and "<script>" not in html
    # An unsafe character in a link is percent-encoded when the build loads the snapshot.
    assert 'href="https://x.example/%22%3E%3Cscript%3E"' in html


@pytest.mark.parametrize("tex,expected", [
    (r"\alpha > 0", "α > 0"), (r"O(n \log n)", "O(n log n)"), (r"\mathbb{R}^d", "ℝ^d"),
    (r"\left( \frac{1}{2} \right)", "(1/2)"), (r"\notacommand{q}", r"$\notacommand{q}$"),
    (r"O(K\log{(N/K)})", "O(K log(N/K))"),
])
def test_tex_to_text(tex, expected):
    assert text.tex_to_text(tex) == expected


def test_excerpt_and_authors():
    assert text.excerpt("Short.") == "Short."
    long = "First sentence is here. " + "word " * 100
    cut = text.excerpt(long)
    assert cut.startswith("First sentence is here. word word") and cut.endswith("word…") and len(cut) <= 321
    sentences = "This sentence is long enough to count as the first lines of it. " * 8
    assert text.excerpt(sentences).endswith("of it.")  # whole sentences when they fit
    assert text.authors_text(["A", "B"]) == "A, B"
    assert text.authors_text([str(i) for i in range(7)]) == "0, 1, 2, 3, 4, 5 et al."


# --------------------------------------------------------------------------- state file


@pytest.mark.slow
def test_state_file_is_sorted_pruned_and_deterministic(tmp_path):
    path = tmp_path / "digests-sent.json"
    state = SentState.load(path)
    start = date(2026, 1, 1)
    for i in range(KEEP_DAYS + 10):
        state.record(start + timedelta(days=i), "combined", f"<{i}@x>", i)
    state.record(start + timedelta(days=KEEP_DAYS + 9), "agents", "<a@x>", 3)
    data = json.loads(path.read_text())
    assert list(data) == ["sent", "version"] and data["version"] == 1
    days = list(data["sent"])
    assert days == sorted(days) and len(days) == KEEP_DAYS
    assert list(data["sent"][days[-1]]) == ["agents", "combined"]
    again = SentState.load(path)
    assert again.to_bytes() == path.read_bytes()
    assert again.last_sent("combined") == start + timedelta(days=KEEP_DAYS + 9)
    assert not list(tmp_path.glob(".*.tmp")), "written atomically, no temp file left"


@pytest.mark.parametrize("content", ["{not json", "[]", '{"version": 2, "sent": {}}',
                                     '{"version": 1, "sent": {"x": {}}}'])
def test_a_damaged_state_file_is_an_error_not_a_resend(tmp_path, content):
    path = tmp_path / "digests-sent.json"
    path.write_text(content)
    with pytest.raises(StateError):
        SentState.load(path)


# --------------------------------------------------------------------------- [digest] settings


def test_digest_settings(tmp_path):
    cfg = BASE_CONFIG.format(templates=REPO / "templates")
    config = parse_config(cfg + '[digest]\nmode = "per-topic"\nfrom = "F <f@example.org>"\nto = ["a@example.org"]\n'
                          'contact = "https://example.org/contact"\nstate = "state/sent.json"\ntimeout = 5\n',
                          tmp_path / "sitegen.toml")
    d = config.digest
    assert (d.mode, d.sender, d.to, d.contact, d.timeout) == ("per-topic", "F <f@example.org>", ("a@example.org",),
                                                              "https://example.org/contact", 5.0)
    assert d.state == tmp_path / "state" / "sent.json"
    assert parse_config(cfg, tmp_path / "sitegen.toml").digest.state == tmp_path / "digests-sent.json"


@pytest.mark.parametrize("table,key", [
    ('mode = "weekly"', "digest.mode"), ('from = "nobody"', "digest.from"), ('to = ["x"]', "digest.to[1]"),
    ("timeout = 0", "digest.timeout"), ('colour = "red"', "digest.colour"),
])
def test_bad_digest_settings_name_the_key(tmp_path, table, key):
    with pytest.raises(ConfigError) as info:
        parse_config(BASE_CONFIG.format(templates=REPO / "templates") + f"[digest]\n{table}\n", tmp_path / "s.toml")
    assert info.value.key == key


def test_templates_can_be_overridden(site, tmp_path):
    overrides = site.root / "my-templates" / "digest"
    overrides.mkdir(parents=True)
    (overrides / "email.txt").write_text("My own digest: {{ headline }}\n")
    site.config_path.write_text(site.config_path.read_text().replace(
        "search = false", 'search = false\noverrides = "my-templates"'))
    plain, html = parts(combined(site, tmp_path))
    assert plain.splitlines() == ["My own digest: 4 papers on 2 topics"]
    assert "Seeing Through Fog" in html  # the bundled HTML part is still used


@pytest.mark.parametrize("contact", ["editor@example.org", "mailto:editor@example.org"])
def test_contact_line(tmp_path, contact):
    site = digest_site(tmp_path / "site", f'contact = "{contact}"\n')
    msg = combined(site, tmp_path)
    assert msg["List-Unsubscribe"] == "<mailto:editor@example.org?subject=unsubscribe>"
    plain, html = parts(msg)
    assert "To unsubscribe, write to editor@example.org." in plain
    assert 'href="mailto:editor@example.org?subject=unsubscribe"' in html


# --------------------------------------------------------------------------- the browser


@pytest.mark.slow
@pytest.mark.browser
def test_screenshot_of_the_html_part(tmp_path):
    reason = browser_unavailable()
    if reason:
        pytest.skip(reason)
    site = digest_site(tmp_path / "site")
    _, html = parts(combined(site, tmp_path))
    SCREENSHOTS.mkdir(exist_ok=True)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 600, "height": 900})
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        page.set_content(html, wait_until="load")
        page.screenshot(path=str(SCREENSHOTS / "digest.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        titles = page.locator("h3 a").all_inner_texts()
        header = page.locator("td").first.inner_text()
        js_ran = page.evaluate("typeof window.__digestScript")
    assert width <= 600, "no horizontal scrolling at 600 px"
    assert titles[0] == "Seeing Through Fog with Event Cameras"
    assert "α-Tuning of a Language Model in O(n log n)" in titles
    assert "Test Feeds" in header and "Thu 13 Aug 2026" in header
    assert requests == [], "the HTML part loads nothing: no images, fonts or stylesheets"
    assert js_ran == "undefined"
    assert (SCREENSHOTS / "digest.png").stat().st_size > 10_000
