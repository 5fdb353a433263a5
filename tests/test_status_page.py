"""status/index.html and status/badge.svg, built from a set of nightly records: what they say,
escaped, deterministic, linked under a sub-path, rebuilt when only a record changed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from sitegen.status.badge import Badge, badge_svg
from tests.site_checks import file_for, internal_targets, parse_page
from tests.status_support import arxiv_run, night, write_nights

MON, TUE, WED, THU, SAT = (date(2023, 11, d) for d in (6, 7, 8, 9, 11))
HOSTILE = 'http://x.example/rss/cs.CL: HTTP 503 <script>alert(1)</script> & "quoted"'
BASE = "https://owner.github.io/repo/"


def failing_nights(folder):
    write_nights(folder, night(MON, new=2, announced=92), night(TUE, failed=HOSTILE), night(WED),
                 night(THU, arxiv_run(THU), arxiv_run(THU, backfill=True)), night(SAT))


def page(site) -> str:
    return (site.output / "status" / "index.html").read_text(encoding="utf-8")


def test_the_page_and_badge_of_a_failing_feed(sample_site):
    failing_nights(sample_site.root / "status")
    sample_site.build()
    html = page(sample_site)
    # Tuesday failed and brought nothing, and so did Wednesday and Thursday; Saturday is a weekend.
    assert "<strong>No new papers on 3 announcement days in a row.</strong>" in html
    assert "on Tue, 7 Nov 2023, Wed, 8 Nov 2023, Thu, 9 Nov 2023." in html
    # Why the newest papers are from Monday: each day since, from arXiv's calendar and the records.
    assert 'announced on <a href="../days/2023-11-06/">Mon, 6 Nov 2023</a> (2 papers)' in html
    assert "<strong>Sat, 11 Nov 2023</strong>: a weekend day, when arXiv announces nothing." in html
    assert "<strong>Fri, 10 Nov 2023</strong>: an announcement day, but no nightly fetch ran" in html
    assert "<strong>Tue, 7 Nov 2023</strong>: an announcement day; arxiv failed." in html
    assert "without an arXiv mailing: Fri, 24 Nov 2023 (Thanksgiving, Thu 23 Nov);" in html
    # The failure's line, escaped: a server's words never become markup.
    assert "<script>alert" not in html
    assert "HTTP 503 &lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quoted&#34;" in html
    # The table: a row per source and fetch, the backfill marked, arXiv's count.
    assert "Thu 9 Nov<br><small>backfill</small>" in html and "Thu 9 Nov<br><small>10:37 UTC</small>" in html
    assert '<td class="counts">92<br><small>cs.CL</small></td>' in html
    svg = (sample_site.output / "status" / "badge.svg").read_bytes()
    assert b'aria-label="fetch: nothing 3 days"' in svg and b'fill="#c0392b"' in svg
    assert parse_page(sample_site.output / "status" / "index.html").errors == []


def test_a_healthy_feed_and_its_badge(sample_site):
    write_nights(sample_site.root / "status", night(MON, new=2, announced=92))
    sample_site.build()
    html = page(sample_site)
    assert "<strong>Healthy.</strong> Every source answered on the last night." in html
    svg = (sample_site.output / "status" / "badge.svg").read_bytes()
    assert svg == badge_svg(Badge("papers", "2 on 6 Nov", "ok"))
    assert b'aria-label="papers: 2 on 6 Nov"' in svg


def test_without_records_the_page_says_so(sample_site):
    sample_site.build()
    assert "<strong>No nightly record yet.</strong>" in page(sample_site)
    svg = (sample_site.output / "status" / "badge.svg").read_bytes()
    assert b"papers: 2 on 6 Nov" in svg and b'fill="#6b6b6b"' in svg  # grey: no fetch has vouched for it


def test_badge_text_is_escaped_and_valid_svg():
    svg = badge_svg(Badge('a<b "c"', "d & e", "warn"))
    root = ET.fromstring(svg)
    assert root.get("aria-label") == 'a<b "c": d & e'
    assert [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")] == ['a<b "c"'] * 2 + ["d & e"] * 2
    assert badge_svg(Badge("papers", "52 on 13 Aug", "ok")) == badge_svg(Badge("papers", "52 on 13 Aug", "ok"))
    assert root.get("width") == str(int(root.get("width")))  # whole pixels


def test_links_work_under_a_sub_path(sample_site):
    failing_nights(sample_site.root / "status")
    sample_site.build()
    targets = internal_targets(sample_site.output, BASE)
    for rel in ("status/index.html", "index.html", "days/index.html"):
        links = targets[rel]
        assert any(link == BASE + "status/" for link in links) or rel == "status/index.html"
        for link in links:
            target = file_for(link.split("#")[0].split("?")[0], sample_site.output, BASE)
            assert target is not None and target.is_file(), f"{rel}: {link} is broken"
    assert BASE + "status/badge.svg" in targets["status/index.html"]
    assert "status/" not in (sample_site.output / "sitemap.xml").read_text(), "a page for the owner, not crawlers"
    assert f"[![feed health]({BASE}status/badge.svg)]({BASE}status/)" in page(sample_site)


def test_deterministic_and_rebuilt_when_only_a_record_changes(sample_site, tmp_path):
    folder = sample_site.root / "status"
    write_nights(folder, night(MON, new=2, announced=92))
    sample_site.build()
    first = sample_site.tree()
    again = sample_site.build(output_dir=tmp_path / "again")
    assert again.written == again.files
    assert {p.relative_to(tmp_path / "again").as_posix(): p.read_bytes()
            for p in sorted((tmp_path / "again").rglob("*")) if p.is_file()} == first
    # A night without papers changes no snapshot, but the page must say so.
    write_nights(folder, night(TUE, failed="timeout"))
    result = sample_site.build()
    assert result.written == 2, "the status page and its badge, nothing else"
    assert "A source failed on the last night" in page(sample_site)


def test_a_damaged_record_is_a_build_warning_and_a_note(sample_site):
    write_nights(sample_site.root / "status", night(MON, new=2))
    (sample_site.root / "status" / "2023-11-07.json").write_text("[" * 50_000)
    result = sample_site.build()
    path = sample_site.root / "status" / "2023-11-07.json"
    line = f"{path}: not a nightly record (nested far deeper than the format); skipped this night (fix or delete it)"
    assert line in result.warnings
    assert "Records left out" in page(sample_site)
