"""Topic rules: categories OR, keywords on word boundaries, excludes, accent-free authors."""

from sitegen.config.settings import TopicConfig
from sitegen.topics import matches, topics_of
from tests.conftest import make_paper


def topic(**kw):
    return TopicConfig(slug=kw.pop("slug", "t"), title="T", **kw)


def test_categories_any_of():
    assert matches(topic(categories=("cs.CV", "cs.RO")), make_paper(categories=("cs.LG", "cs.CV")))
    assert not matches(topic(categories=("cs.RO",)), make_paper(categories=("cs.LG",)))


def test_keywords_match_title_or_abstract_on_word_boundaries_case_insensitively():
    t = topic(keywords=("language model", "LLM"))
    assert matches(t, make_paper(title="A Large LANGUAGE\nmodel"))
    assert matches(t, make_paper(abstract="We fine-tune an LLM."))
    assert not matches(t, make_paper(title="LLMs", abstract="x"))  # whole words only
    assert not matches(t, make_paper(title="Illmatic", abstract="x"))


def test_exclude_and_categories_combine():
    t = topic(categories=("cs.CL",), keywords=("LLM",), exclude=("survey",))
    assert matches(t, make_paper(categories=("cs.CL",), title="An LLM"))
    assert not matches(t, make_paper(categories=("cs.CL",), title="An LLM Survey"))
    assert not matches(t, make_paper(categories=("cs.CV",), title="An LLM"))


def test_authors_are_case_and_accent_insensitive():
    t = topic(authors=("Yann LeCun", "Fei-Fei Li"))
    assert matches(t, make_paper(authors=("someone", "yann  lecun")))
    assert matches(topic(authors=("Jose Garcia",)), make_paper(authors=("José García",)))
    assert not matches(t, make_paper(authors=("Yann Le",)))


def test_an_archive_matches_its_categories_and_a_category_its_alias():
    assert matches(topic(categories=("cs",)), make_paper(categories=("stat.ML", "cs.RO")))
    assert not matches(topic(categories=("cs",)), make_paper(categories=("math.PR", "physics.comp-ph")))
    assert matches(topic(categories=("astro-ph",)), make_paper(categories=("astro-ph",)))  # before 2009
    assert matches(topic(categories=("astro-ph",)), make_paper(categories=("astro-ph.GA",)))
    assert not matches(topic(categories=("hep-th",)), make_paper(categories=("hep-ph",)))
    assert matches(topic(categories=("cs.SY",)), make_paper(categories=("eess.SY",)))
    assert matches(topic(categories=("math.IT",)), make_paper(categories=("cs.IT",)))


def test_topics_of_keeps_config_order():
    ts = (topic(slug="b", categories=("cs.CV",)), topic(slug="a", keywords=("scene",)))
    assert topics_of(ts, make_paper(title="Scene", categories=("cs.CV",))) == ("b", "a")
