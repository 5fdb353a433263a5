"""The typed, frozen settings a sitegen.toml becomes. No parsing here (see config.load).

`[sources.<name>]` tables are not listed here: each source declares its own settings class
(sitegen.sources.base.HttpSettings and subclasses), and `Config.sources` maps every
registered source's name to its settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.digest.settings import DigestConfig

if TYPE_CHECKING:
    from sitegen.sources.base import HttpSettings


@dataclass(frozen=True)
class SiteConfig:
    title: str
    base_url: str
    description: str = ""
    # Every feed carries every paper of its newest `feed_days` announcement days, and at
    # least `feed_items` papers (a floor for quiet topics, never a cap): a busy day is never
    # cut short. Three days: see README "Feeds" for why a daily reader then misses nothing.
    feed_days: int = 3
    feed_items: int = 50
    per_page: int = 25
    language: str = "en"
    # Hugging Face's paper thumbnails on cards: remote images, so the reader's browser asks
    # Hugging Face's CDN for them (off by default; README, Configuration).
    thumbnails: bool = False


@dataclass(frozen=True)
class BuildConfig:
    content: Path
    output: Path
    templates: Path
    overrides: Path | None = None
    search: bool = True
    cache: Path | None = None  # parsed snapshots and the output manifest, for fast rebuilds
    # Papers that match no topic stay in content/ but are left off the site unless this is
    # true: a fork shows what its topics follow, not every paper it was ever given.
    publish_unmatched: bool = False
    # The published site's size limit in MB (10^6 bytes); 0 = none. When the site would pass
    # it, the oldest days' paper pages and day pages leave it (sitegen.site.retention).
    # 950 keeps it under GitHub Pages' 1 GB with room for the estimate's error.
    max_site_mb: float = 950.0


@dataclass(frozen=True)
class FetchConfig:
    sources: tuple[str, ...] = ()
    days: int = 3
    contact: str = ""
    cache: Path | None = None
    # The whole fetch's wall-clock budget in seconds. The publish workflow's build job has
    # timeout-minutes: 45; 25 minutes of fetching leaves 20 for installing, building the
    # site and its search index, and uploading, so a stuck source never costs the deploy.
    deadline: float = 1500.0
    host_failures: int = 3  # failed attempts in a row before a host is skipped for the run
    # The folder of nightly records (sitegen.status): one JSON file per night, kept in the
    # repository (the workflow commits it), read by the build's status page.
    status: Path | None = None


@dataclass(frozen=True)
class TopicConfig:
    """A topic's membership rules; see sitegen.topics for how they match."""

    slug: str
    title: str
    description: str = ""
    categories: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    authors: tuple[str, ...] = ()
    # Past their first 30 days, papers stay only with this many citations (0: no such rule;
    # sitegen.topic_citations).
    min_citations: int = 0


@dataclass(frozen=True)
class Config:
    path: Path
    site: SiteConfig
    build: BuildConfig
    fetch: FetchConfig
    sources: Mapping[str, HttpSettings]  # every registered source's [sources.<name>] settings
    topics: tuple[TopicConfig, ...]
    digest: DigestConfig = field(default_factory=DigestConfig)  # `sitegen digest` (e-mail)

    @property
    def root(self) -> Path:
        return self.path.parent
