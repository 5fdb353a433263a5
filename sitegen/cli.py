"""The command line: parse arguments, call one pipeline function, turn errors into one line.

Exit codes: 0 success, 1 bad content, a failed source or send, a disk error or a bug, 2 usage or
configuration error (an output folder sitegen will not build in included). A bug is one line
too, with its traceback saved to a temp file for the report. `check` needs no configuration:
it judges the snapshot files it is given.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from datetime import date
from pathlib import Path

from sitegen import __version__
from sitegen.config.load import load_config
from sitegen.errors import SitegenError, UsageError, quoted
from sitegen.limits import MAX_DAYS

DEFAULT_CONFIG = "sitegen.toml"


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None


def _bounded(low: int, high: int, what: str):
    """An argparse type: a whole number in low..high, read without int()'s 4,300-digit trap."""
    def read(text: str) -> int:
        text = text.strip()
        value = int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else -1
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{quoted(text)} is not {what} from {low:,} to {high:,}")
        return value
    return read


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitegen",
        description="Static site generator for research-paper feeds: fetch papers from arXiv and "
                    "Hugging Face into content/, build topic pages and RSS/Atom feeds into output/.",
    )
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    config_help = f"the site's configuration file (default: ./{DEFAULT_CONFIG})"

    b = sub.add_parser("build", help="render content/ into output/ (no network)",
                       description="Render every snapshot in content/ into the static site in output/: "
                                   "index, daily pages, topic pages, paper pages, RSS and Atom feeds, "
                                   "feeds.opml, sitemap.xml, robots.txt, 404.html and the search index. "
                                   "Only files whose bytes changed are written; stale files are removed.")
    b.add_argument("--config", metavar="FILE", default=DEFAULT_CONFIG, help=config_help)
    b.add_argument("--output", metavar="DIR", help="write the site here instead of the config's build.output")
    b.add_argument("--base-url", metavar="URL",
                   help="the URL the site is served from, e.g. https://owner.github.io/repo/ "
                        "(overrides site.base_url and $SITEGEN_BASE_URL)")
    b.add_argument("--jobs", metavar="N", type=_bounded(1, 256, "a number of worker processes"),
                   help="worker processes, 1 to 256 (default: one per core)")
    b.add_argument("--force", action="store_true",
                   help="build into an output folder holding files sitegen did not write, replacing its "
                        "contents (never a folder holding the project, content/, templates or a .git)")

    f = sub.add_parser("fetch", help="snapshot new papers from the sources into content/",
                       description="Ask every enabled source (arXiv API, arXiv RSS and listing pages, "
                                   "Hugging Face Daily Papers) for every topic and write new and changed "
                                   "snapshots into content/. Exit 0 when every source answered, 1 when "
                                   "any failed (what the others gave is saved), 2 on a usage error.")
    f.add_argument("--config", metavar="FILE", default=DEFAULT_CONFIG, help=config_help)
    window = f.add_mutually_exclusive_group()
    window.add_argument("--days", metavar="N", type=_bounded(1, MAX_DAYS, "a number of days"),
                        help="look back N days, 1 to 36,500 (default: fetch.days)")
    window.add_argument("--since", metavar="YYYY-MM-DD", type=_date, help="backfill from this day")
    f.add_argument("--until", metavar="YYYY-MM-DD", type=_date, help="with --since: backfill up to this day")
    f.add_argument("--topic", metavar="SLUG", action="append", default=[],
                   help="only this topic (repeatable; default: every topic)")
    f.add_argument("--source", metavar="NAME", action="append", default=[],
                   help="only this source, such as arxiv or huggingface (repeatable; default: fetch.sources)")

    c = sub.add_parser("check", help="check snapshot files (exit 1 naming each bad one and its line)",
                       description="Check that each FILE is a snapshot the build accepts: YAML front matter "
                                   "between '---' lines with valid keys and values, in a file named after its "
                                   "id. Prints FILE:LINE: problem for each bad file; exit 0 when all are good, "
                                   "1 otherwise. scripts/commit-content.sh runs it before committing content/.")
    c.add_argument("files", metavar="FILE", nargs="+", help="snapshot files to check")

    st = sub.add_parser("status", help="the last nights' fetches and the feed's health (--check: exit 1 if failing)",
                        description="Print what the last nights' fetches asked each source and got (the nightly "
                                    "records in [fetch] status), then the verdict on one line. With --check, "
                                    "exit 1 when two announcement days in a row (arXiv's calendar: weekends and "
                                    "holidays never count) brought no new paper and no arXiv count; the nightly "
                                    "workflow runs it after fetching. Exit 0 otherwise, 2 on a configuration error.")
    st.add_argument("--config", metavar="FILE", default=DEFAULT_CONFIG, help=config_help)
    st.add_argument("--check", action="store_true",
                    help="exit 1 when two announcement days in a row brought nothing (for CI)")

    s = sub.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on change",
                       description="Build the site, serve output/ on 127.0.0.1 under the base URL's path, "
                                   "rebuild when content/, templates/ or the config change and reload the page.")
    s.add_argument("--config", metavar="FILE", default=DEFAULT_CONFIG, help=config_help)
    s.add_argument("--port", metavar="N", type=_bounded(0, 65535, "a TCP port"), default=8000,
                   help="port to listen on, 0 to 65535 (0: any free one; default: 8000)")

    m = sub.add_parser("migrate", help="rewrite content/ after sitegen changed a key's meaning (see README)",
                       description="announced-days: give every snapshot whose 'announced' is the submission "
                                   "date the arXiv API path used to write (sources [arxiv], announced equal to "
                                   "published's date) the mailing day arXiv's calendar gives it, the day the RSS "
                                   "feed dates it. Prints each change; only the 'announced:' line changes, each "
                                   "file atomically. Exit 0 done, 1 a snapshot could not be read or written.")
    m.add_argument("migration", choices=["announced-days"], help="the migration to run")
    m.add_argument("--config", metavar="FILE", default=DEFAULT_CONFIG, help=config_help)
    m.add_argument("--dry-run", action="store_true", help="print what would change and change nothing")

    d = sub.add_parser("digest", help="the day's papers as e-mail: write .eml files or send them over SMTP",
                       description="Render the newest announcement day (or --day) as e-mail, one message for "
                                   "all topics or one per topic ([digest] mode), or with [digest] cadence = "
                                   "\"weekly\" the newest week that is over, and write it to .eml files "
                                   "(--out) or send it over SMTP (--send: server in $SITEGEN_SMTP_URL, "
                                   "recipients in $SITEGEN_DIGEST_TO or [digest] to). A digest already sent "
                                   "is never sent again (the [digest] state file): it is written down as "
                                   "pending before it is sent and settled once the server accepted it; one "
                                   "left pending (a send not confirmed) waits for --mark-sent or --resend. "
                                   "Exit 0 sent, written, recorded or nothing to do; 1 the server failed "
                                   "(retried on the next run), a digest sent but not recorded, or one "
                                   "pending; 2 a usage or configuration error.")
    d.add_argument("--config", metavar="FILE", default=DEFAULT_CONFIG, help=config_help)
    d.add_argument("--base-url", metavar="URL",
                   help="the URL the site is served from, for the links in the mail "
                        "(overrides site.base_url and $SITEGEN_BASE_URL)")
    d.add_argument("--day", metavar="YYYY-MM-DD", type=_date,
                   help="this announcement day instead of the newest one (weekly cadence: the week "
                        "holding this day)")
    d.add_argument("--topic", metavar="SLUG", action="append", default=[],
                   help="only this topic (repeatable; default: every topic)")
    where = d.add_mutually_exclusive_group(required=True)
    where.add_argument("--out", metavar="DIR", help="write one .eml file per message into DIR (nothing is sent)")
    where.add_argument("--send", action="store_true",
                       help="send through the SMTP server in $SITEGEN_SMTP_URL and record what was sent")
    where.add_argument("--mark-sent", action="store_true",
                       help="record digests as sent without sending them: those left pending (of --day, "
                            "or of every day), or with --day that day's digests even without a record")
    d.add_argument("--resend", action="store_true",
                   help="with --send: also send digests left pending by a run that could not confirm "
                        "them (they may have arrived already)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except SitegenError as exc:
        print(f"sitegen {args.command}: error: {_scrubbed(str(exc), args.command)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print(f"sitegen {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: one line here, the traceback in a file for the report
        where = _save_traceback(args.command)
        message = " ".join(str(exc).split()) or "(no message)"
        message = message if len(message) <= 300 else message[:300] + "…"
        line = _scrubbed(f"{type(exc).__name__}: {message}", args.command, everything=True)
        print(f"sitegen {args.command}: internal error: {line}; {where}; please report it", file=sys.stderr)
        return 1


def _scrubbed(text: str, command: str, everything: bool = False) -> str:
    """`text` without the SMTP password (and, for a bug's report, the user name) in any form.

    The last check, for `digest` (whose step alone gets SITEGEN_SMTP_URL): every message it
    makes is scrubbed already, but a bug's message or traceback could quote anything."""
    if command != "digest":
        return text
    try:
        from sitegen.digest.smtp_url import env_masks

        password, every = env_masks(os.environ)
        return (every if everything else password).hide(text)
    except Exception:  # a bug here too: show nothing that could not be checked
        return "(the message is not shown: it could not be checked for the SMTP password)"


def _save_traceback(command: str) -> str:
    """Write the current exception's traceback to a temp file; say where (or why not)."""
    try:
        fd, path = tempfile.mkstemp(prefix=f"sitegen-{command}-crash-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(f"sitegen {__version__}, Python {sys.version.split()[0]}, {' '.join(sys.argv)}\n\n")
            f.write(_scrubbed(traceback.format_exc(), command, everything=True))
    except OSError as exc:
        return f"the traceback could not be saved ({exc.strerror or exc})"
    return f"the full traceback is in {path}"


def _run(args: argparse.Namespace) -> int:
    if args.command == "build":
        from sitegen.build import build

        config = load_config(Path(args.config), base_url=args.base_url)
        result = build(config, output_dir=Path(args.output) if args.output else None, workers=args.jobs,
                       force=args.force)
        for warning in result.warnings:
            print(f"sitegen build: warning: {warning}", file=sys.stderr)
        print(result.summary())
        return 0
    if args.command == "fetch":
        if args.until and not args.since:
            raise UsageError("--until needs --since")
        from sitegen.fetch.pipeline import run_fetch

        config = load_config(Path(args.config))
        return run_fetch(config, days=args.days, since=args.since, until=args.until,
                         topics=args.topic, sources=args.source)
    if args.command == "check":
        from sitegen.snapshot.store import check_snapshot_file

        problems = [p for p in map(check_snapshot_file, args.files) if p is not None]
        for problem in problems:
            print(problem)
        return 1 if problems else 0
    if args.command == "status":
        from sitegen.status.command import run_status

        return run_status(load_config(Path(args.config)), check=args.check, out=sys.stdout, err=sys.stderr)
    if args.command == "serve":
        from sitegen.serve import serve

        config = load_config(Path(args.config))
        return serve(config, port=args.port)
    if args.command == "migrate":
        from sitegen.migrate.announced_days import migrate_announced_days

        config = load_config(Path(args.config))
        return migrate_announced_days(config, dry_run=args.dry_run, out=sys.stdout)
    if args.command == "digest":
        from sitegen.digest.run import run_digest

        config = load_config(Path(args.config), base_url=args.base_url)
        return run_digest(config, day=args.day, topics=args.topic, send=args.send, mark_sent=args.mark_sent,
                          resend=args.resend, out=Path(args.out) if args.out else None)
    raise UsageError(f"unknown command {args.command}")  # pragma: no cover
