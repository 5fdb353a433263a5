"""Author rules find people: initials and full first names, "Surname, Given", accents,
hyphens, particles and middle names; a bare surname is broad; fetch asks for a superset."""

from __future__ import annotations

import pytest

from sitegen.authors import ascii_fold, compile_authors, is_bare_surname, query_names
from sitegen.config.settings import TopicConfig
from sitegen.sources.arxiv.api import build_search_query
from sitegen.topics import matches
from tests.conftest import make_paper


def finds(entry: str, author: str) -> bool:
    rule = compile_authors([entry])
    assert rule is not None
    return rule.matches([author])


@pytest.mark.parametrize("entry", ["Daniel Khashabi", "D. Khashabi", "D Khashabi", "Khashabi, Daniel",
                                   "Khashabi, D.", "daniel khashabi", "Khashabi"])
@pytest.mark.parametrize("author", ["Daniel Khashabi", "D. Khashabi", "Khashabi, Daniel", "Daniel M. Khashabi",
                                    "DANIEL KHASHABI"])
def test_every_way_of_writing_a_name_finds_the_person(entry, author):
    assert finds(entry, author)


@pytest.mark.parametrize("entry, author", [
    ("D. Khashabi", "Dan Roth"),  # an initial alone never matches another surname
    ("D. Khashabi", "Kevin Khashabi"),
    ("Daniel Khashabi", "Dan Khashabi"),  # not an initial: a different name
    ("John A. Smith", "John B. Smith"),  # middle initials both given and different
    ("Daniel Khashabi", "Khashabi"),  # the paper gives no first name: cannot tell
    ("Yann LeCun", "Yann Le"),
])
def test_other_people_are_not_found(entry, author):
    assert not finds(entry, author)


@pytest.mark.parametrize("entry, author", [
    ("José García", "Jose Garcia"), ("Jose Garcia", "José García"), ("Søren Kierkegaard", "Soren Kierkegaard"),
    ("Paweł Łukasz", "Pawel Lukasz"), ("Fei-Fei Li", "F. Li"), ("Fei-Fei Li", "Feifei Li"),
    ("Jean-Pierre Serre", "J.-P. Serre"), ("J.-P. Serre", "Jean-Pierre Serre"), ("Jean-Pierre Serre", "JP Serre"),
    ("Yann LeCun", "Yann Le Cun"), ("Yann Le Cun", "Yann LeCun"), ("Juan García-Pérez", "Juan García Pérez"),
    ("García Pérez, Juan", "Juan Carlos García Pérez"), ("Juan Carlos García Pérez", "J. C. García Pérez"),
    ("Johannes van der Waals", "J. D. van der Waals"), ("Ludwig Beethoven", "Ludwig van Beethoven"),
    ("John Smith", "John Smith Jr."), ("John Smith", "Smith, Jr., John"), ("Seán O'Brien", "Sean OBrien"),
    ("John A. Smith", "John Smith"), ("John Smith", "John Andrew Smith"), ("J. A. Smith", "John Andrew Smith"),
    ("Da Li", "D. Li"),  # "Da" is a given name here, not a particle
])
def test_accents_hyphens_particles_and_middle_names(entry, author):
    assert finds(entry, author)


def test_a_bare_surname_matches_anyone_of_that_surname_and_is_flagged():
    assert is_bare_surname("Khashabi") and is_bare_surname("  Khashabi ") and not is_bare_surname("D. Khashabi")
    assert finds("Khashabi", "Zahra Khashabi") and not finds("Khashabi", "Dan Roth")


def test_a_topic_with_authors_matches_any_listed_author():
    topic = TopicConfig(slug="lab", title="Lab", authors=("D. Khashabi", "Fei-Fei Li"))
    assert matches(topic, make_paper(authors=("Someone Else", "Daniel Khashabi")))
    assert matches(topic, make_paper(authors=("Li, Fei-Fei",)))
    assert not matches(topic, make_paper(authors=("Dan Roth", "Wei Li")))


def test_ascii_fold():
    assert ascii_fold("Ängström Ørsted-Müller Łódź") == "Angstrom Orsted-Muller Lodz"


@pytest.mark.parametrize("entry, names", [
    ("Daniel Khashabi", ["Khashabi"]), ("D. Khashabi", ["Khashabi"]), ("Khashabi, Daniel", ["Khashabi"]),
    ("Yann Le Cun", ["Le Cun", "LeCun"]), ("García-Pérez, Juan", ["Garcia Perez", "GarciaPerez"]),
    ("Johannes van der Waals", ["van der Waals", "vanderWaals"]), ("Khashabi", ["Khashabi"]),
])
def test_fetch_asks_arxiv_for_the_surname(entry, names):
    assert query_names(entry) == names


def test_the_author_query_is_a_superset_of_what_the_build_matches():
    query = build_search_query([], [], [], authors=["D. Khashabi", "Yann Le Cun", "Daniel Khashabi"])
    assert query == '(au:"Khashabi" OR au:"Le Cun" OR au:"LeCun")'  # each surname once, no first name
    # Every author the rule matches has the surname the query asks for (in one of its forms).
    rule = compile_authors(["D. Khashabi", "Yann Le Cun"])
    assert rule is not None
    for author in ("Daniel Khashabi", "D. Khashabi", "Khashabi, Daniel", "Yann LeCun", "Yann Le Cun"):
        assert rule.matches([author])
        assert any(name.replace(" ", "").lower() in ascii_fold(author).replace(" ", "").lower()
                   for name in query_names("D. Khashabi") + query_names("Yann Le Cun"))
