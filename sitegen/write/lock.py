"""One build at a time per output folder: a flock on a file in the build cache (sitegen.file_lock).

Two builds writing one output folder would stage, rename and prune the same pages under each
other (one failed with a bare "cannot write (No such file or directory)" when the other
removed the folder it was writing into). The lock names the output folder, so builds into
different folders still run side by side; it lives in the build cache, never in output/
(where a host could publish it), and `sitegen serve` takes it for every rebuild.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sitegen.config.settings import Config
from sitegen.errors import shown_path
from sitegen.file_lock import FileLock


def build_lock(config: Config, out_dir: Path) -> FileLock:
    """The lock of out_dir (resolved): `<build.cache>/build-<hash of out_dir>.lock`, or under
    `.sitegen-cache/` beside the config file when there is no build cache."""
    folder = config.build.cache if config.build.cache is not None else config.root / ".sitegen-cache"
    tag = hashlib.sha1(str(out_dir).encode()).hexdigest()[:12]

    def busy(owner: int | None) -> str:
        who = f"pid {owner}" if owner is not None else "another process"
        return (f"another sitegen build is writing {shown_path(out_dir)} ({who}); wait for it to finish, "
                "then build again")

    return FileLock(Path(folder) / f"build-{tag}.lock", busy)
