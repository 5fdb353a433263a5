"""The verdict on the nightly records against arXiv's calendar, and `sitegen status [--check]`.

Two announcement days in a row that brought no new paper and no arXiv count fail; weekends
and arXiv's holidays never count; a day whose feed counted papers that no topic kept is a quiet
topic, not a broken feed.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

import pytest

from sitegen.status.verdict import day_off, judge, missing_mailings_after, summarise
from tests.status_support import arxiv_run, night, write_nights

THU, FRI, SAT, SUN, MON, TUE = (date(2026, 8, 13) + timedelta(days=i) for i in range(6))
# 2026: Independence Day is observed on Friday 3 July: no cutoff that day, so no announcement on
# Sunday evening 5 July and no mailing on Monday 6 July.
JUL2, JUL3, JUL6, JUL7, JUL8 = date(2026, 7, 2), date(2026, 7, 3), date(2026, 7, 6), date(2026, 7, 7), date(2026, 7, 8)


def test_two_announcement_days_in_a_row_without_papers_fail():
    verdict = judge([night(WED := THU - timedelta(days=1), new=40, announced=92), night(THU), night(FRI)])
    assert WED.weekday() == 2
    assert not verdict.ok
    assert [s.day for s in verdict.streak] == [THU, FRI]
    assert verdict.line.startswith("no new papers and no arXiv announcement counted on 2 announcement days in a "
                                   "row (Thu 13 Aug 2026, Fri 14 Aug 2026): every source answered")


def test_one_empty_announcement_day_is_not_yet_a_failure():
    verdict = judge([night(THU, new=40, announced=92), night(FRI)])
    assert verdict.ok and "Fri 14 Aug 2026 brought no new paper" in verdict.line


def test_a_weekend_between_two_empty_announcement_days_does_not_break_the_streak():
    verdict = judge([night(FRI), night(SAT), night(SUN), night(MON)])
    assert not verdict.ok
    assert [s.day for s in verdict.streak] == [FRI, MON]


def test_weekend_nights_never_count():
    # Records of weekend runs (a fetch by hand on Saturday and Sunday) that brought nothing.
    verdict = judge([night(FRI, new=5, announced=92), night(SAT), night(SUN)])
    assert verdict.ok
    assert verdict.line == "Sun 16 Aug 2026: a weekend day, when arXiv announces nothing, so nothing was due"


def test_a_holiday_never_counts():
    assert day_off(JUL6) == "no arXiv announcement (Independence Day (observed), Fri 3 Jul)"
    assert day_off(JUL3) is None  # Thursday evening's announcement is dated Friday 3 July
    ok = judge([night(JUL3, new=12, announced=80), night(JUL6), night(JUL7)])
    assert ok.ok, "Monday 6 July is a holiday's missing mailing: one announcement day without papers, not two"
    failing = judge([night(JUL3, new=12, announced=80), night(JUL6), night(JUL7), night(JUL8)])
    assert not failing.ok and [s.day for s in failing.streak] == [JUL7, JUL8]


def test_arxiv_counting_papers_that_no_topic_kept_is_a_quiet_topic_not_a_failure():
    verdict = judge([night(THU, announced=92), night(FRI, announced=88)])
    assert verdict.ok
    assert verdict.line == "Fri 14 Aug 2026: 0 new papers, arXiv announced 88"


def test_a_stale_feed_counts_as_nothing():
    # The RSS batch still dated Thursday on Friday morning: arXiv's feed did not move on.
    verdict = judge([night(THU, announced=92), night(FRI, announced=92, count_day=THU),
                     night(MON, announced=92, count_day=THU)])
    assert not verdict.ok and [s.day for s in verdict.streak] == [FRI, MON]


def test_failing_sources_are_named():
    reason = "http://x.example/rss/cs.CL: HTTP 503 Service Unavailable; <script>"
    verdict = judge([night(THU, failed=reason), night(FRI, failed=reason)])
    assert not verdict.ok
    assert "arxiv failed every one of these nights" in verdict.line
    assert "503" not in verdict.line and "<script>" not in verdict.line, "never a server's words in the line"


def test_backfill_runs_are_not_judged():
    # A backfill on Friday brought nothing new (the papers were there): not a nightly fetch.
    summary = summarise(night(FRI, arxiv_run(FRI, backfill=True)))
    assert not summary.nightly and not summary.brought_nothing
    assert judge([night(THU), night(FRI, arxiv_run(FRI, backfill=True))]).ok


def test_a_second_run_that_brings_the_papers_rescues_the_night():
    friday = night(FRI, arxiv_run(FRI, failed="timeout"), arxiv_run(FRI, new=30, announced=92))
    assert judge([night(THU), friday]).ok
    assert summarise(friday).failed == (), "the last run of each source decides whether it is failing"


def test_no_records_is_not_a_failure():
    assert judge([]).ok


def test_the_next_mailings_missing():
    assert missing_mailings_after(date(2026, 8, 31)) == [
        (date(2026, 9, 8), "Labor Day, Mon 7 Sep")]


# --- the command -----------------------------------------------------------------------------

def sitegen(tmp_path, *args):
    return subprocess.run([sys.executable, "-m", "sitegen", "status", "--config", str(tmp_path / "sitegen.toml"),
                           *args], capture_output=True, text=True, timeout=60)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "sitegen.toml").write_text('[site]\ntitle = "T"\nbase_url = "https://o.github.io/r/"\n')
    return tmp_path


def test_check_exits_1_with_a_one_line_reason(project):
    write_nights(project / "status", night(THU, new=40, announced=92), night(FRI), night(MON))
    done = sitegen(project, "--check")
    assert done.returncode == 1, done.stderr
    last = done.stdout.splitlines()[-1]
    assert last.startswith("failing: no new papers and no arXiv announcement counted on 2 announcement days")
    assert "Thu 13 Aug 2026" in done.stdout and "92 cs.CL" in done.stdout  # the table of nights
    assert done.stderr == ""
    assert sitegen(project).returncode == 0, "without --check the verdict is printed, not an exit code"


def test_check_passes_on_a_healthy_night(project):
    write_nights(project / "status", night(THU, new=40, announced=92))
    done = sitegen(project, "--check")
    assert done.returncode == 0
    assert done.stdout.splitlines()[-1] == "ok: Thu 13 Aug 2026: 40 new papers, arXiv announced 92"


def test_a_damaged_record_is_a_warning_and_the_rest_is_judged(project):
    write_nights(project / "status", night(THU), night(FRI))
    (project / "status" / "2026-08-17.json").write_text('{"day": "2026-08-17", "runs": [], "version": NaN}')
    done = sitegen(project, "--check")
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"sitegen status: warning: {project / 'status' / '2026-08-17.json'}: NaN is not a number here (counts are "
        "whole numbers); skipped this night (fix or delete it)"]


def test_no_status_folder_yet(project):
    done = sitegen(project, "--check")
    assert done.returncode == 0 and done.stdout == "ok: no nightly record yet: `sitegen fetch` writes one each night\n"


def test_a_config_error_is_exit_2(project):
    (project / "sitegen.toml").write_text('[site]\ntitle = "T"\nbase_url = "https://o.github.io/r/"\n'
                                          '[fetch]\nstatus = ""\n')
    done = sitegen(project, "--check")
    assert done.returncode == 2
    assert "fetch.status: must name a folder" in done.stderr and "Traceback" not in done.stderr
