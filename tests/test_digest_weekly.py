"""`[digest] cadence = "weekly"` against a real SMTP server (aiosmtpd on 127.0.0.1): a week goes
out once it is over (a paper of a later week exists), ranked as its page ranks it, once; its
record is keyed by the week's Monday and "weekly_<key>", so --mark-sent and --resend act on a
week named by any of its days, and daily records never stand for it."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

import pytest

from sitegen.config.load import load_config
from sitegen.digest import layout
from sitegen.errors import ConfigError
from sitegen.sources.semanticscholar.record import SemanticScholar
from tests.conftest import busy_day_papers, make_paper
from tests.digest_support import BASE_URL, digest_site, parse, parts, run
from tests.smtp_support import smtp_server
from tests.test_digest_record import HangsUpAfterTheMessage
from tests.test_digest_send import env, ids_in, state_of  # noqa: F401  (env: a fixture)

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

MONDAY_34 = date(2026, 8, 17)  # the first day of week 34: week 33 (10-16 Aug) is over with it
WEEK_33 = f"{BASE_URL}weeks/2026-W33/"
# Week 33's papers (digest_support: Wed 12 and Thu 13 Aug) ranked as its page ranks them:
# upvotes plus citations, then those with neither. Vision: 00001 (5), 00010 (3), 00003 (none);
# Language Models: 00002 (40), 00004 (12), then 00003, shown in full under Vision.
RANKED = ["2608.00001", "2608.00010", "2608.00003", "2608.00002", "2608.00004"]


def weekly_site(root, toml: str = ""):
    return digest_site(root, 'cadence = "weekly"\n' + toml)


def next_week(site, day: date = MONDAY_34, pid: str = "2608.00100"):
    site.add(make_paper(pid, title="Next Week's Vision Paper", categories=("cs.CV",), announced=day, extras={}))


def test_a_week_goes_out_once_it_is_over_ranked_and_never_twice(tmp_path, env, capsys):  # noqa: F811
    site = weekly_site(tmp_path / "site")
    with smtp_server() as box:
        env(box.port)
        assert run(site, "--send") == 0  # week 33 runs on: nothing yet
        assert box.received == [] and state_of(site) is None
        assert capsys.readouterr().out.strip() == ("sitegen digest: week 2026-W33 is not over yet (its digest goes out "
                                                   "once papers of a later week arrive); nothing to send")
        next_week(site)
        assert run(site, "--send") == 0
        (got,) = box.received
        assert run(site, "--send") == 0  # never twice
        assert "the digest for week 2026-W33 (weekly_combined) was already sent" in capsys.readouterr().out
        assert len(box.received) == 1
    msg = got.message
    assert msg["Subject"] == "Test Feeds · Week 33 of 2026 (Wed 12 Aug to Thu 13 Aug 2026) · 5 papers on 2 topics"
    assert msg["Date"] == "Thu, 13 Aug 2026 00:00:00 +0000"  # the week's last announcement day
    assert msg["Message-ID"].startswith("<2026-W33-weekly_combined.")
    plain, html = parts(msg)
    assert ids_in(plain) == RANKED and ids_in(html) == RANKED
    assert "2608.00100" not in plain  # week 34's paper waits for its own week
    assert plain.splitlines()[2] == WEEK_33 and f'href="{WEEK_33}"' in html
    assert f"{WEEK_33}#topic-vision" in plain and f'href="{WEEK_33}#topic-llm"' in html
    assert "Most upvoted and cited first." in plain
    assert "(in full above, under Vision)" in plain
    record = json.loads(state_of(site))["sent"]
    assert record == {"2026-08-10": {"weekly_combined": {"message_id": msg["Message-ID"], "papers": 5}}}


def test_the_weekly_digest_shows_citations_and_ranks_by_them(tmp_path):
    site = weekly_site(tmp_path / "site")
    cited = make_paper("2608.00011", title="A Cited Vision Paper", categories=("cs.CV",), announced=date(2026, 8, 11),
                       extras={"semanticscholar": SemanticScholar(citations=9)})
    site.add(cited)
    next_week(site)
    assert run(site, "--out", str(tmp_path / "eml")) == 0
    plain, _ = parts(parse((tmp_path / "eml" / "2026-W33-weekly_combined.eml").read_bytes()))
    assert ids_in(plain)[:2] == ["2608.00011", "2608.00001"]  # 9 citations beat 5 upvotes
    assert "9 citations · arXiv:2608.00011" in plain


def test_daily_records_never_stand_for_a_week_nor_the_reverse(tmp_path, env):  # noqa: F811
    site = weekly_site(tmp_path / "site")
    next_week(site)
    # The daily digests of the week went out before the switch to weekly; the Monday's too.
    daily = {d: {"combined": {"message_id": f"<{d}@x>", "papers": 1}} for d in ("2026-08-10", "2026-08-13")}
    (site.root / "digests-sent.json").write_text(json.dumps({"version": 1, "sent": daily}))
    with smtp_server() as box:
        env(box.port)
        assert run(site, "--send") == 0
    assert len(box.received) == 1
    sent = json.loads(state_of(site))["sent"]
    assert sent["2026-08-10"].keys() == {"combined", "weekly_combined"} and sent["2026-08-13"] == daily["2026-08-13"]


def test_a_week_that_may_have_gone_out_waits_for_mark_sent_or_resend(tmp_path, env, capsys):  # noqa: F811
    site = weekly_site(tmp_path / "site")
    next_week(site)
    with smtp_server(HangsUpAfterTheMessage()) as box:
        env(box.port)
        assert run(site, "--send") == 1
    assert len(box.received) == 1
    assert json.loads(state_of(site))["sent"]["2026-08-10"]["weekly_combined"]["pending"] is True
    err = capsys.readouterr().err
    assert "2026-W33-weekly_combined may have been sent" in err and "--mark-sent --day 2026-08-10" in err
    with smtp_server() as box:
        env(box.port)
        assert run(site, "--send") == 1  # pending: not again on its own
        err = capsys.readouterr().err
        assert "2026-W33-weekly_combined may have gone out already" in err
        assert "--send --resend --day 2026-08-10`" in err
        assert box.received == []
        assert run(site, "--send", "--resend", "--day", "2026-08-13") == 0  # any day of the week names it
        assert len(box.received) == 1
        assert "pending" not in json.loads(state_of(site))["sent"]["2026-08-10"]["weekly_combined"]
        assert run(site, "--send", "--resend") == 0 and len(box.received) == 1  # settled: not again


def test_mark_sent_records_a_week_named_by_any_of_its_days(tmp_path, env, capsys):  # noqa: F811
    site = weekly_site(tmp_path / "site")
    next_week(site)
    assert run(site, "--mark-sent", "--day", "2026-08-15") == 0  # a Saturday of week 33
    assert "recorded 2026-W33-weekly_combined as sent (no record before)" in capsys.readouterr().out
    record = json.loads(state_of(site))["sent"]["2026-08-10"]["weekly_combined"]
    assert record["papers"] == 5 and record["message_id"].startswith("<2026-W33-weekly_combined.")
    with smtp_server() as box:
        env(box.port)
        assert run(site, "--send") == 0
    assert box.received == []


def test_missed_weeks_go_out_oldest_first_at_most_four(tmp_path, env):  # noqa: F811
    site = weekly_site(tmp_path / "site")
    for i in range(1, 7):  # weeks 27 to 32: one vision paper each
        site.add(make_paper(f"2607.{i:05d}", title=f"Vision {i}", categories=("cs.CV",),
                            announced=date(2026, 8, 12) - timedelta(weeks=i), extras={}))
    next_week(site)
    with smtp_server() as box:
        env(box.port)
        assert run(site, "--send") == 0  # no record at all: only the newest week that is over
        assert [r.message["Message-ID"][1:9] for r in box.received] == ["2026-W33"]
        sent = {"2026-06-29": {"weekly_combined": {"message_id": "<w27@x>", "papers": 1}}}  # week 27
        (site.root / "digests-sent.json").write_text(json.dumps({"version": 1, "sent": sent}))
        box.received.clear()
        assert run(site, "--send") == 0
    weeks = [r.message["Message-ID"][1:9] for r in box.received]
    assert weeks == ["2026-W30", "2026-W31", "2026-W32", "2026-W33"]  # 28 and 29: past the four weeks


def test_per_topic_weekly_digests_and_their_commands(tmp_path, env, capsys):  # noqa: F811
    site = weekly_site(tmp_path / "site", 'mode = "per-topic"\n')
    next_week(site)
    with smtp_server() as box:
        env(box.port)
        assert run(site, "--send") == 0
    subjects = [r.message["Subject"] for r in box.received]
    assert subjects == ["Test Feeds · Vision · Week 33 of 2026 (Wed 12 Aug to Thu 13 Aug 2026) · 3 papers",
                        "Test Feeds · Language Models · Week 33 of 2026 (Thu 13 Aug 2026) · 3 papers"]  # its days
    record = json.loads(state_of(site))["sent"]["2026-08-10"]
    assert set(record) == {"weekly_vision", "weekly_llm"}
    record["weekly_llm"]["pending"] = True
    (site.root / "digests-sent.json").write_text(json.dumps({"version": 1, "sent": {"2026-08-10": record}}))
    with smtp_server() as box:
        env(box.port)
        assert run(site, "--send") == 1
    err = capsys.readouterr().err
    assert "--mark-sent --day 2026-08-10 --topic llm`" in err  # the topic's slug, not its record key


@pytest.mark.slow  # 2,000 papers
def test_a_huge_week_fits_the_byte_budget(tmp_path):
    site = weekly_site(tmp_path / "site")
    monday = date(2026, 8, 10)
    for day in range(5):
        for paper in busy_day_papers(400, monday + timedelta(days=day)):
            site.add(replace(paper, id=f"25{day + 1:02d}.{paper.id[5:]}", abstract=paper.abstract * 8))
    assert run(site, "--out", str(tmp_path / "eml")) == 0  # the week runs on: a preview
    (eml,) = (tmp_path / "eml").iterdir()
    assert eml.name == "2026-W33-weekly_combined.eml"
    plain, html = parts(parse(eml.read_bytes()))
    assert layout.wire_bytes(html, "html") <= layout.HTML_BUDGET
    assert layout.wire_bytes(plain, "plain") <= layout.TEXT_BUDGET
    assert "2005 papers on 2 topics" in plain and "1988 more on the site:" in plain  # the rest, counted


def test_an_unknown_cadence_is_a_configuration_error(tmp_path):
    site = digest_site(tmp_path / "site", 'cadence = "hourly"\n')
    with pytest.raises(ConfigError, match=r"digest.cadence.*'hourly' is not one of 'daily', 'weekly'"):
        load_config(site.config_path)
