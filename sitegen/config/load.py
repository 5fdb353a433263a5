"""sitegen.toml -> a typed, frozen Config (config.settings). Every error names its key path and exits 2.

`parse_config(text, path)` is pure; `load_config(path)` reads the file. Paths inside the
file (content, output, templates, overrides, cache) are relative to the file's folder.
Positions in key paths count from 1, as a person counts the tables in the file, and a
topic's path names its slug: `topics[5] (vision).categories[2]`.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import fields
from pathlib import Path
from types import MappingProxyType

from sitegen.config.fields import FieldChecker
from sitegen.config.language import is_language_tag
from sitegen.config.settings import BuildConfig, Config, FetchConfig, SiteConfig, TopicConfig
from sitegen.digest.settings import parse_digest
from sitegen.errors import ConfigError, quoted
from sitegen.limits import MAX_DAYS, MAX_TOPICS
from sitegen.sources import registry
from sitegen.taxonomy import taxonomy

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# (lowest, highest) of each number in sitegen.toml's own tables (the sources' keys: their
# settings' RANGES; digest.timeout: sitegen.digest.settings). Finite, and far from what
# would stall or flood anything: a year of feed days, a week of fetching, a terabyte of site.
# README's configuration table states each.
NUMBER_RANGES: dict[str, tuple[float, float]] = {
    "site.feed_days": (1, 365),
    "site.feed_items": (0, 10_000),
    "site.per_page": (1, 1_000),
    "build.max_site_mb": (0.0, 1_000_000.0),
    "fetch.days": (1, MAX_DAYS),
    "fetch.deadline": (1.0, 604_800.0),
    "fetch.host_failures": (1, 1_000),
}


def load_config(path: Path | str, base_url: str | None = None) -> Config:
    """Read and validate sitegen.toml. `base_url` (from --base-url) beats SITEGEN_BASE_URL."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(path, "", "file not found; run sitegen in the folder holding sitegen.toml "
                                    "or pass --config FILE") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(path, "", f"cannot read: {exc}") from None
    if base_url:
        return parse_config(text, path, base_url, given_by="--base-url")
    env = os.environ.get("SITEGEN_BASE_URL") or None
    return parse_config(text, path, env, given_by="$SITEGEN_BASE_URL" if env else "")


def parse_config(text: str, path: Path | str = "sitegen.toml", base_url: str | None = None,
                 given_by: str = "") -> Config:
    """`base_url` overrides site.base_url; `given_by` names its origin for error messages."""
    path = Path(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, "", f"not valid TOML: {exc}") from None
    except RecursionError:  # `a = [[[[...`: tomllib recurses per level
        raise ConfigError(path, "", "not valid TOML: arrays or tables nested too deeply") from None
    except ValueError as exc:  # tomllib's int() of a number of more than 4,300 digits
        raise _long_number(path, text, exc) from None
    check = FieldChecker(path)
    check.keys(data, "", ("site", "build", "fetch", "sources", "topics", "digest"))
    root = path.parent

    site_t = check.table(data, "site", required=True)
    if base_url is not None:
        site_t = {**site_t, "base_url": base_url}
    site = SiteConfig(
        title=check.text(site_t, "site.title", required=True),
        base_url=check.url(site_t, "site.base_url", required=True, trailing_slash=True,
                           given_by=given_by),
        description=check.text(site_t, "site.description", default=""),
        feed_days=_integer(check, site_t, "site.feed_days", 3),
        feed_items=_integer(check, site_t, "site.feed_items", 50),
        per_page=_integer(check, site_t, "site.per_page", 25),
        language=_language(check, site_t),
        thumbnails=check.boolean(site_t, "site.thumbnails", False),
    )
    check.keys(site_t, "site", [f.name for f in fields(SiteConfig)])

    build_t = check.table(data, "build")
    check.keys(build_t, "build", [f.name for f in fields(BuildConfig)])
    overrides = check.text(build_t, "build.overrides", default=None)
    build = BuildConfig(
        content=root / check.text(build_t, "build.content", default="content"),
        output=root / check.text(build_t, "build.output", default="output"),
        templates=root / check.text(build_t, "build.templates", default="templates"),
        overrides=root / overrides if overrides else None,
        search=check.boolean(build_t, "build.search", True),
        cache=root / check.text(build_t, "build.cache", default=".sitegen-cache/build"),
        publish_unmatched=check.boolean(build_t, "build.publish_unmatched", False),
        max_site_mb=check.number(build_t, "build.max_site_mb", 950.0, *NUMBER_RANGES["build.max_site_mb"]),
    )

    fetch_t = check.table(data, "fetch")
    check.keys(fetch_t, "fetch", [f.name for f in fields(FetchConfig)])
    known = registry.registered()
    sources = check.text_list(fetch_t, "fetch.sources", default=registry.default_names())
    for i, name in enumerate(sources, 1):
        if name not in known:
            check.fail(f"fetch.sources[{i}]", f"unknown source {quoted(name)}; expected one of {', '.join(known)}")
    cache = check.text(fetch_t, "fetch.cache", default=".sitegen-cache/http")
    status = check.text(fetch_t, "fetch.status", default="status")
    if not status.strip():
        check.fail("fetch.status", "must name a folder for the nightly records, such as \"status\"")
    fetch = FetchConfig(
        sources=tuple(sources),
        days=_integer(check, fetch_t, "fetch.days", 3),
        contact=check.contact(fetch_t, "fetch.contact", default=""),
        cache=root / cache,
        deadline=check.number(fetch_t, "fetch.deadline", 1500.0, *NUMBER_RANGES["fetch.deadline"]),
        host_failures=_integer(check, fetch_t, "fetch.host_failures", 3),
        status=root / status,
    )

    src_t = check.table(data, "sources")
    check.keys(src_t, "sources", list(known))
    # Each source owns its keys: the table is read into the settings class it declares.
    source_configs = MappingProxyType({name: check.dataclass(src_t, f"sources.{name}", source.settings_type)
                                       for name, source in known.items()})

    tables = check.table_list(data, "topics")
    if len(tables) > MAX_TOPICS:
        check.fail("topics", f"{len(tables)} topics; at most {MAX_TOPICS:,} (each paper is matched against every "
                             "topic, and the index lists them all): merge some")
    topics = tuple(_topic(check, t, i) for i, t in enumerate(tables, 1))
    seen: dict[str, int] = {}
    for i, topic in enumerate(topics, 1):
        if topic.slug in seen:
            check.fail(f"{topic_key(i, topic.slug)}.slug",
                       f"duplicate slug {topic.slug!r}, already used by {topic_key(seen[topic.slug], topic.slug)}")
        seen[topic.slug] = i
    return Config(path, site, build, fetch, source_configs, topics, parse_digest(check, data, root))


def _long_number(path: Path, text: str, exc: ValueError) -> ConfigError:
    """The error for a number tomllib could not read: Python refuses int() of more than 4,300
    digits, with a message about itself; this one names the line and its key instead."""
    for number, line in enumerate(text.splitlines(), 1):
        run = _LONG_DIGITS.search(line)
        if run:
            key = line.partition("=")[0].strip() or "a value"
            digits = sum(c.isdigit() for c in run[0])
            return ConfigError(path, f"line {number}", f"{quoted(key)}: a {digits:,}-digit number; numbers in "
                                                         "sitegen.toml have a few digits (see README, Configuration)")
    return ConfigError(path, "", f"not valid TOML: {quoted(str(exc))}")


_LONG_DIGITS = re.compile(r"[0-9_]{1000,}")


def _integer(check: FieldChecker, table: dict, key: str, default: int) -> int:
    low, high = NUMBER_RANGES[key]
    return check.integer(table, key, default, int(low), int(high))


def _language(check: FieldChecker, table: dict) -> str:
    value = check.text(table, "site.language", default="en")
    if not is_language_tag(value):
        check.fail("site.language", f"{quoted(value)} is not a BCP 47 language tag such as \"en\", \"pt-BR\" or "
                                    "\"zh-Hant\" (letters and digits in hyphen-separated parts)")
    return value


def topic_key(number: int, slug: object = None) -> str:
    """How messages name the `number`th topic (from 1): `topics[5] (vision)`, or `topics[5]`
    while its slug is missing or invalid."""
    named = isinstance(slug, str) and _SLUG.fullmatch(slug)
    return f"topics[{number}] ({slug})" if named else f"topics[{number}]"


def _topic(check: FieldChecker, t: dict, i: int) -> TopicConfig:
    key = topic_key(i, t.get("slug"))
    check.keys(t, key, [f.name for f in fields(TopicConfig)])
    slug = check.text(t, f"{key}.slug", required=True)
    if not _SLUG.fullmatch(slug):
        check.fail(f"{key}.slug", f"{quoted(slug)} must be lower-case letters, digits and single hyphens, "
                                  "such as \"self-supervised\"")
    categories = check.text_list(t, f"{key}.categories", default=[])
    for j, cat in enumerate(categories, 1):
        problem = taxonomy().problem(cat)
        if problem:
            check.fail(f"{key}.categories[{j}]", problem)
    topic = TopicConfig(
        slug=slug,
        title=check.text(t, f"{key}.title", required=True),
        description=check.text(t, f"{key}.description", default=""),
        categories=tuple(categories),
        keywords=tuple(check.text_list(t, f"{key}.keywords", default=[])),
        exclude=tuple(check.text_list(t, f"{key}.exclude", default=[])),
        authors=tuple(check.text_list(t, f"{key}.authors", default=[])),
        min_citations=_min_citations(check, t, key),
    )
    if not (topic.categories or topic.keywords or topic.authors):
        check.fail(key, "a topic needs at least one of categories, keywords or authors")
    return topic


MAX_MIN_CITATIONS = 1_000_000  # the most cited papers have a few hundred thousand citations


def _min_citations(check: FieldChecker, t: dict, key: str) -> int:
    return check.integer(t, f"{key}.min_citations", 0, minimum=0, maximum=MAX_MIN_CITATIONS)
