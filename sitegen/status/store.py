"""Writing the nightly record: tonight's run added to its day's file, atomically, history pruned.

A fetch calls `record_run` under its lock, after its snapshots are written. The day's file
keeps every run of that day (a re-run by hand adds one; the oldest go past MAX_RUNS), is
replaced in one rename (sitegen.atomic: a temp file beside it, never written through a link),
and only the newest KEEP_NIGHTS records are kept, so the folder stays small however long the
repository lives. A day's file that cannot be read is replaced with tonight's run, with a
warning: git has the old one.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from sitegen.atomic import atomic_write
from sitegen.safe_fs import UnsafeFile, make_folders, unlink_under
from sitegen.status.read import MAX_BYTES, BadRecord, read_night, record_names
from sitegen.status.record import MAX_RUNS, Night, Run, night_json

KEEP_NIGHTS = 400  # more than a year of nights (the workflow runs five a week)


def record_path(folder: Path, day: date) -> Path:
    return folder / f"{day.isoformat()}.json"


def record_run(folder: Path, day: date, run: Run, keep: int = KEEP_NIGHTS) -> tuple[Path, list[str]]:
    """Add `run` to the record of `day` in `folder`; prune to the newest `keep` records.

    Returns the record's path and warnings (one line each). Raises OSError (UnsafeFile for
    a link among the folders) when the record cannot be written."""
    warnings: list[str] = []
    make_folders(folder, ".")  # the configured folder, as it is (a link there is the user's choice)
    path = record_path(folder, day)
    runs: tuple[Run, ...] = ()
    try:
        runs = read_night(path).runs
    except FileNotFoundError:
        pass
    except (BadRecord, UnsafeFile, OSError) as exc:
        shown = exc if isinstance(exc, UnsafeFile) else f"{path}: {exc}"
        warnings.append(f"{shown}; replaced it with this run's record (git has the old one)")
    night = Night(day, (*runs, run)[-MAX_RUNS:])
    data = night_json(night)
    while len(data) > MAX_BYTES and len(night.runs) > 1:  # never in practice: a run is a few KB
        night = replace(night, runs=night.runs[1:])
        data = night_json(night)
    atomic_write(path, data, durable=True)
    warnings += prune(folder, keep)
    return path, warnings


def prune(folder: Path, keep: int) -> list[str]:
    """Delete all but the newest `keep` records (a link among them goes itself, never its target)."""
    names, problems = record_names(folder)
    for name in names[:-keep] if keep > 0 else names:
        try:
            unlink_under(folder, name)
        except FileNotFoundError:
            pass
        except OSError as exc:
            problems.append(f"{folder / name}: cannot remove this old record ({exc.strerror or exc}); "
                            "delete it by hand")
    return problems
