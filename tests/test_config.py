"""sitegen.toml: typed values, paths relative to the file, and one clear error per mistake."""

from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.config.load import load_config, parse_config
from sitegen.errors import ConfigError

MINIMAL = """
[site]
title = "T"
base_url = "https://owner.github.io/repo"

[[topics]]
slug = "vision"
title = "Vision"
categories = ["cs.CV"]
"""


def test_minimal_config_has_defaults_and_relative_paths(tmp_path):
    config = parse_config(MINIMAL, tmp_path / "sub" / "sitegen.toml")
    assert config.site.base_url == "https://owner.github.io/repo/"  # a folder: slash added
    assert config.site.feed_items == 50 and config.site.feed_days == 3
    assert config.build.content == tmp_path / "sub" / "content"
    assert config.build.output == tmp_path / "sub" / "output"
    assert config.fetch.sources == ("arxiv", "huggingface")
    assert config.sources["arxiv"].min_interval == 3.0
    assert config.sources["arxiv"].api_url == "https://export.arxiv.org/api/query"
    assert config.topics[0].categories == ("cs.CV",)


def test_config_objects_are_frozen(tmp_path):
    config = parse_config(MINIMAL, tmp_path / "sitegen.toml")
    with pytest.raises(AttributeError):
        config.site.title = "x"


def test_base_url_override_beats_environment(tmp_path, monkeypatch):
    path = tmp_path / "sitegen.toml"
    path.write_text(MINIMAL)
    monkeypatch.setenv("SITEGEN_BASE_URL", "https://env.example.org/x/")
    assert load_config(path).site.base_url == "https://env.example.org/x/"
    assert load_config(path, base_url="http://127.0.0.1:8000/repo/").site.base_url == "http://127.0.0.1:8000/repo/"


def test_sources_section_points_elsewhere(tmp_path):
    text = MINIMAL + '\n[sources.arxiv]\napi_url = "http://127.0.0.1:9/api"\nmin_interval = 0\n'
    config = parse_config(text, tmp_path / "sitegen.toml")
    assert config.sources["arxiv"].api_url == "http://127.0.0.1:9/api"
    assert config.sources["arxiv"].min_interval == 0.0


@pytest.mark.parametrize("change, key, words", [
    ('[site]\ntitel = "x"', "site.titel", "unknown key"),
    ('[site]\nfeed_items = "ten"', "site.feed_items", "whole number"),
    ('[site]\nfeed_days = 0', "site.feed_days", "whole number in 1..365"),
    ('[site]\nbase_url = "owner.github.io/repo"', "site.base_url", "absolute http(s) URL"),
    ('[site]\nbase_url = "ftp://x.org/"', "site.base_url", "absolute http(s) URL"),
    # Positions count from 1 and a topic is named by its slug: MINIMAL's topic is topics[1].
    ('[[topics]]\nslug = "vision"\ntitle = "Again"\nkeywords = ["x"]', "topics[2] (vision).slug",
     "duplicate slug 'vision', already used by topics[1] (vision)"),
    ('[[topics]]\nslug = "Bad Slug"\ntitle = "x"\nkeywords = ["x"]', "topics[2].slug", "lower-case"),
    ('[[topics]]\nslug = "x"\ntitle = "x"\ncategories = ["cs"]\nkeywords = [1]', "topics[2] (x).keywords",
     "list of non-empty strings"),
    ('[[topics]]\nslug = "x"\ntitle = "x"\ncategories = ["not a cat"]', "topics[2] (x).categories[1]",
     "arXiv category"),
    ('[[topics]]\nslug = "x"\ntitle = "x"', "topics[2] (x)", "at least one of"),
    ('[[topics]]\nslug = "x"\ntitle = "x"\nkeywords = ["a"]\ncolour = "red"', "topics[2] (x).colour", "unknown key"),
    ('[fetch]\nsources = ["arxiv", "scholar"]', "fetch.sources[2]", "unknown source 'scholar'"),
    ('[fetch]\ncontact = "mailto:me at example.org"', "fetch.contact", "mailto:you@example.org"),
    ('[sources.arxiv]\nmin_interval = -1', "sources.arxiv.min_interval", "number in 0..3,600"),
    ('[sources.arxiv]\napi_url = "nope"', "sources.arxiv.api_url", "absolute http(s) URL"),
    ('[sources.semantic]\napi_url = "https://x.org/"', "sources.semantic", "unknown key"),
    ('[build]\nsearch = "yes"', "build.search", "true or false"),
])
def test_each_config_error_names_its_key_path(tmp_path, change, key, words):
    # Merge the change into MINIMAL: same-named tables are replaced, others appended.
    text = MINIMAL
    if change.startswith("[site]"):
        text = text.replace('[site]\ntitle = "T"', change + '\ntitle = "T"')
        if "base_url" in change:
            text = text.replace('base_url = "https://owner.github.io/repo"\n', "", 1)
    else:
        text = text + "\n" + change + "\n"
    with pytest.raises(ConfigError) as info:
        parse_config(text, tmp_path / "sitegen.toml")
    message = str(info.value)
    assert f": {key}: " in message, message
    assert words in message
    assert "\n" not in message
    assert info.value.exit_code == 2


def test_missing_site_title_and_bad_toml(tmp_path):
    with pytest.raises(ConfigError, match=r"site\.title: required key is missing"):
        parse_config('[site]\nbase_url = "https://x.org/"\n', tmp_path / "sitegen.toml")
    with pytest.raises(ConfigError, match="not valid TOML"):
        parse_config("[site\n", tmp_path / "sitegen.toml")


def test_cli_config_error_is_one_line_and_exit_2(tmp_path, capsys):
    path = tmp_path / "sitegen.toml"
    path.write_text(MINIMAL + '\n[[topics]]\nslug = "vision"\ntitle = "x"\nkeywords = ["x"]\n')
    assert main(["build", "--config", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert "topics[2] (vision).slug: duplicate slug" in err and str(path) in err


def test_cli_missing_config_file(tmp_path, capsys):
    assert main(["build", "--config", str(tmp_path / "nope.toml")]) == 2
    assert "file not found" in capsys.readouterr().err


def test_shipped_config_is_valid():
    config = load_config(Path(__file__).resolve().parent.parent / "sitegen.toml")
    assert len(config.topics) >= 4


@pytest.mark.parametrize("name, suggestion", [
    ("cs.Robotics", "did you mean 'cs.RO' (Robotics)?"),
    ("cs.ro", "did you mean 'cs.RO' (Robotics)? Category names are case-sensitive"),
    ("cs.RB", "did you mean 'cs.RO' (Robotics)"),
    ("cs.Vision", "did you mean 'cs.CV' (Computer Vision and Pattern Recognition)?"),
    ("stat.Machine Learning", "did you mean 'stat.ML' (Machine Learning)?"),
    ("HEP-TH", "did you mean 'hep-th'"),
    ("cmp-lg", "no longer used by arXiv: its papers are listed under 'cs.CL'"),
])
def test_a_category_typo_is_an_error_with_a_suggestion(tmp_path, capsys, name, suggestion):
    path = tmp_path / "sitegen.toml"
    path.write_text(MINIMAL + f'\n[[topics]]\nslug = "robots"\ntitle = "R"\ncategories = ["cs.LG", "{name}"]\n')
    assert main(["build", "--config", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and f"topics[2] (robots).categories[2]: '{name}' " in err
    assert suggestion in err


@pytest.mark.parametrize("names", [["cs"], ["math", "hep-th"], ["astro-ph", "cond-mat.str-el"], ["cs.SY", "eess.SY"],
                                   ["math.IT", "q-fin.EC", "physics.optics", "nlin.CD", "econ.GN"]])
def test_categories_and_archives_of_the_taxonomy_are_accepted(tmp_path, names):
    text = MINIMAL.replace('categories = ["cs.CV"]', f"categories = {names!r}".replace("'", '"'))
    assert parse_config(text, tmp_path / "sitegen.toml").topics[0].categories == tuple(names)


def test_the_shipped_taxonomy_names_its_source_and_covers_arxiv():
    import json

    from sitegen.taxonomy import DATA, taxonomy

    data = json.loads(DATA.read_text())
    assert "arxiv-base" in data["source"] and data["retrieved"]
    tax = taxonomy()
    assert len(tax.active_categories) == 155  # arXiv's active categories
    assert {"cs.CL", "cs.RO", "math.PR", "hep-th", "quant-ph", "astro-ph.GA", "eess.SY"} <= tax.active_categories
    assert all(c.partition(".")[0] in tax.archives for c in tax.active_categories)
    assert tax.has_subjects("cs") and not tax.has_subjects("hep-th") and not tax.has_subjects("cs.LG")


@pytest.mark.parametrize("value, sent", [
    ("mailto:feeds@example.org", "mailto:feeds@example.org"),
    ("feeds@example.org", "mailto:feeds@example.org"),
    ("https://github.com/owner/paper-feeds", "https://github.com/owner/paper-feeds"),
])
def test_fetch_contact_is_a_url_or_an_address(tmp_path, value, sent):
    config = parse_config(MINIMAL + f'\n[fetch]\ncontact = "{value}"\n', tmp_path / "sitegen.toml")
    assert config.fetch.contact == sent
    from sitegen.fetch.http.client import HttpClient

    assert HttpClient(contact=config.fetch.contact).user_agent.endswith(f" (+{sent})")
