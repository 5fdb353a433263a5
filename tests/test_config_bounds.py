"""Issue 17, points 4 and 5: every number in sitegen.toml is finite and within its range, the
language is a BCP 47 tag, and the command line's numbers are bounded too.

TOML has `nan` and `inf`, which pass every `<` test: `deadline = nan` once passed the config
check and then stalled a thread; `language = 'en" x'` made Pagefind panic.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.config.load import NUMBER_RANGES, parse_config
from sitegen.digest.settings import TIMEOUT_RANGE
from sitegen.errors import ConfigError, UsageError
from sitegen.fetch.plan import make_plan
from sitegen.limits import MAX_TOPICS, shown
from sitegen.sources import registry

REPO = Path(__file__).resolve().parent.parent
MINIMAL = """\
[site]
title = "T"
base_url = "https://example.org/"

[[topics]]
slug = "nlp"
title = "Language"
categories = ["cs.CL"]
"""


def every_number() -> dict[str, tuple[float, float, bool]]:
    """{key: (lowest, highest, whole)} for every number sitegen.toml may hold."""
    found = {key: (lo, hi, isinstance(lo, int)) for key, (lo, hi) in NUMBER_RANGES.items()}
    found["digest.timeout"] = (*TIMEOUT_RANGE, False)
    # Through the registry, not by importing a source module: importing one first would
    # register the sources in another order for every test of the run.
    for name, source in registry.registered().items():
        for field, (lo, hi) in source.settings_type.RANGES.items():
            found[f"sources.{name}.{field}"] = (lo, hi, isinstance(lo, int))
    return found


NUMBERS = every_number()


def with_value(key: str, value: str) -> str:
    table, _, name = key.rpartition(".")
    if table == "site":
        return MINIMAL.replace('base_url = "https://example.org/"\n',
                               f'base_url = "https://example.org/"\n{name} = {value}\n')
    return MINIMAL + f"\n[{table}]\n{name} = {value}\n"


def test_every_source_setting_but_a_url_has_a_range():
    from dataclasses import fields

    for source in registry.registered().values():
        names = {f.name for f in fields(source.settings_type) if not f.name.endswith("_url")}
        assert names == set(source.settings_type.RANGES), source.name


def test_a_source_setting_without_a_range_is_named_at_the_first_config_read(tmp_path):
    """A plugin's mistake, said plainly rather than as a KeyError deep in the loader."""
    from dataclasses import dataclass

    from sitegen.sources.base import HttpSettings, Source

    @dataclass(frozen=True)
    class ToySettings(HttpSettings):
        api_url: str = "https://toy.example/"
        batch: int = 10

    class Toy(Source):
        name = "toy"
        settings_type = ToySettings

    registry.register(Toy)
    try:
        with pytest.raises(TypeError, match="ToySettings.RANGES has no \\(lowest, highest\\) for batch"):
            parse_config(MINIMAL + "\n[sources.toy]\nbatch = 3\n", tmp_path / "sitegen.toml")
    finally:
        registry.unregister("toy")


def test_every_number_key_has_a_range():
    # 7 of sitegen.toml's tables, digest.timeout, 9 arXiv, 6 Hugging Face and 8 Semantic Scholar keys
    assert len(NUMBERS) == 31
    for key, (lo, hi, _) in NUMBERS.items():
        assert lo <= hi, key


@pytest.mark.parametrize("key", sorted(NUMBERS))
@pytest.mark.parametrize("bad", ["nan", "inf", "-inf", "below", "above", "huge", "text", "true"])
def test_a_number_out_of_its_range_names_its_key(tmp_path, key, bad):
    lo, hi, whole = NUMBERS[key]
    value = {"below": repr(lo - 1 if whole else lo - 0.05), "above": repr(hi + 1 if whole else hi * 2 + 1),
             "huge": "1" + "0" * 30, "text": '"10"'}.get(bad, bad)
    with pytest.raises(ConfigError) as info:
        parse_config(with_value(key, value), tmp_path / "sitegen.toml")
    message = str(info.value)
    assert f": {key}: must be a " in message, message
    assert f"{shown(lo)}..{shown(hi)}" in message and "\n" not in message and len(message) < 300


@pytest.mark.parametrize("key", sorted(NUMBERS))
def test_each_end_of_a_range_is_accepted(tmp_path, key):
    lo, hi, whole = NUMBERS[key]
    for value in (lo, hi):
        parse_config(with_value(key, repr(value)), tmp_path / "sitegen.toml")


def test_a_5000_digit_number_names_its_line_and_key(tmp_path):
    text = with_value("fetch.deadline", "9" * 5000)
    with pytest.raises(ConfigError) as info:
        parse_config(text, tmp_path / "sitegen.toml")
    message = str(info.value)
    line = text.splitlines().index("deadline = " + "9" * 5000) + 1
    assert message.endswith(f"sitegen.toml: line {line}: 'deadline': a 5,000-digit number; numbers in sitegen.toml "
                            "have a few digits (see README, Configuration)")


@pytest.mark.parametrize("nested", ["[" * 100_000 + "]" * 100_000, "{a = " * 3000 + "1" + "}" * 3000])
def test_nesting_past_any_depth_is_a_config_error(tmp_path, nested):
    with pytest.raises(ConfigError, match="not valid TOML"):
        parse_config(MINIMAL + f"\n[fetch]\nx = {nested}\n", tmp_path / "sitegen.toml")


def test_a_value_in_a_message_is_cut_short(tmp_path):
    with pytest.raises(ConfigError) as info:
        parse_config(with_value("site.feed_days", '"' + "x" * 100_000 + '"'), tmp_path / "sitegen.toml")
    assert len(str(info.value)) < 300


def test_every_range_is_in_the_readme():
    """README's configuration table states each number's range as `lowest to highest`."""
    readme = (REPO / "README.md").read_text()
    rows = {m[1]: m[0] for m in re.finditer(r"^\| `([a-z_.*]+)`.*$", readme, re.M)}
    for key, (lo, hi, _) in NUMBERS.items():
        name = key.split(".")[-1]
        row = rows.get(key) or rows.get(f"sources.*.{name}") or next(
            (r for k, r in rows.items() if k.endswith("." + name) or f"`{name}`" in r), None)
        assert row is not None, f"README's configuration table has no row for {key}"
        assert f"{shown(lo)} to {shown(hi)}" in row, f"README's row for {key} does not say {shown(lo)} to {shown(hi)}"


# --- site.language: BCP 47 ---------------------------------------------------------------------

@pytest.mark.parametrize("tag", ["en", "EN", "pt-BR", "zh-Hant-TW", "de-CH-1901", "sl-rozaj-biske", "es-419",
                                 "sr-Latn-RS", "de-DE-u-co-phonebk", "en-US-x-twain", "x-whatever", "i-klingon",
                                 "zh-min-nan", "hy-Latn-IT-arevela", "qaa-Qaaa-QM-x-southern"])
def test_a_well_formed_language_tag_is_accepted(tmp_path, tag):
    config = parse_config(with_value("site.language", f'"{tag}"'), tmp_path / "sitegen.toml")
    assert config.site.language == tag


@pytest.mark.parametrize("tag", ['en\\" x', "en x", "", "en_US", "123", "e", "en-", "-en", "en--US",
                                 "1en", "en-a", "en-x", "de-419-DE", "ü", "en-US-a-", "x" * 200])
def test_a_malformed_language_tag_is_a_config_error(tmp_path, tag):
    with pytest.raises(ConfigError) as info:
        parse_config(with_value("site.language", f'"{tag}"'), tmp_path / "sitegen.toml")
    message = str(info.value)
    assert ": site.language: " in message and "is not a BCP 47 language tag" in message
    assert "\n" not in message and len(message) < 300


def test_too_many_topics_is_a_config_error(tmp_path):
    topics = "".join(f'\n[[topics]]\nslug = "t{i}"\ntitle = "T{i}"\nkeywords = ["w{i}"]\n'
                     for i in range(MAX_TOPICS))
    parse_config(MINIMAL.split("[[topics]]")[0] + topics, tmp_path / "sitegen.toml")  # the most there may be
    with pytest.raises(ConfigError, match=rf": topics: {MAX_TOPICS + 1} topics; at most {MAX_TOPICS}"):
        parse_config(MINIMAL + topics, tmp_path / "sitegen.toml")


# --- the command line ----------------------------------------------------------------------------

def write_config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sitegen.toml"
    path.write_text(text)
    return path


def test_fetch_with_deadline_nan_is_a_config_error_before_any_thread(tmp_path, capsys):
    path = write_config(tmp_path, with_value("fetch.deadline", "nan"))
    assert main(["fetch", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "Thread" not in err
    assert "fetch.deadline: must be a number in 1..604,800, got nan" in err


@pytest.mark.parametrize("args, words", [
    (["fetch", "--days", "36501"], "is not a number of days from 1 to 36,500"),
    (["fetch", "--days", "9" * 5000], "is not a number of days from 1 to 36,500"),
    (["fetch", "--days", "nan"], "is not a number of days"),
    (["build", "--jobs", "0"], "is not a number of worker processes from 1 to 256"),
    (["build", "--jobs", "100000"], "is not a number of worker processes from 1 to 256"),
    (["serve", "--port", "70000"], "is not a TCP port from 0 to 65,535"),
])
def test_command_line_numbers_are_bounded(tmp_path, capsys, args, words):
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert words in err and len(err.splitlines()[-1]) < 300


def test_a_window_before_arxiv_or_in_the_future_is_a_usage_error(tmp_path):
    config = parse_config(MINIMAL, tmp_path / "sitegen.toml")
    today = date(2026, 8, 13)
    with pytest.raises(UsageError, match="--since 0001-01-01 is before 1991-01-01"):
        make_plan(config, today=today, since=date(1, 1, 1), until=date(2026, 1, 1))
    with pytest.raises(UsageError, match="--until 9999-12-31 is after today"):
        make_plan(config, today=today, since=date(2026, 1, 1), until=date(9999, 12, 31))
    with pytest.raises(UsageError, match="--days must be in 1..36,500"):
        make_plan(config, today=today, days=10**9)
    plan = make_plan(config, today=today, since=date(1991, 1, 1), until=date(2026, 8, 15))
    assert (plan.since, plan.until) == (date(1991, 1, 1), date(2026, 8, 15))
