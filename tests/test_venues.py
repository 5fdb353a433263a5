"""Where a paper was accepted (sitegen.venues): real arXiv comments from the shipped content/ and
the recorded arXiv API answers, generated phrasings, Semantic Scholar's venue names, the table
itself, and 1 MB of hostile text read in linear time."""

from __future__ import annotations

import itertools
import time
from collections import Counter

import pytest

from sitegen.sources.arxiv.api import parse_api_feed
from sitegen.sources.semanticscholar.record import SemanticScholar
from sitegen.venues import comment as venue_comment
from sitegen.venues.comment import MAX_CHARS, accepted_at, read_tokens
from sitegen.venues.names import BY_SHORT, VENUES
from sitegen.venues.of_paper import known_venue, venue_of
from sitegen.venues.tokens import tokens
from tests.conftest import FIXTURES, REPO, make_paper

# Real comments, verbatim, from content/ (the shipped snapshots) and tests/fixtures/arxiv-api,
# with what they say. Accepted:
REAL_ACCEPTED = [
    ("Accepted at the 19th IEEE International Conference on Software Testing, Verification and Validation "
     "(ICST 2026)", "ICST 2026"),
    ("Accepted at the 16th IEEE International Conference on Software Testing, Verification and Validation (ICST) 2023",
     "ICST 2023"),
    ("Accepted at the International Conference on Software Testing, Verification and Validation (ICST) 2025",
     "ICST 2025"),
    ("Accepted for publication at 2025 IEEE Conference on Software Testing, Verification and Validation (ICST)",
     "ICST 2025"),
    ("To be published in: 2025 IEEE Conference on Software Testing, Verification and Validation (ICST)", "ICST 2025"),
    ("To appear in the Proc. of the IEEE International Conference on Software Testing, Verification and Validation "
     "(ICST) 2021", "ICST 2021"),
    ("To appear at the IEEE International Conference on Software Testing, Verification, and Validation (ICST 2022)",
     "ICST 2022"),
    ("In proceedings of the 19th IEEE International Conference on Software Testing, Verification and Validation 2026 "
     "(ICST '26)", "ICST 2026"),
    ("Accepted to the International Conference of Software Testing (ICST2023)", "ICST 2023"),
    ("11 pages, to be published in the Proceedings of the IEEE International Conference on Software Testing, "
     "Verification and Validation (ICST 2021)", "ICST 2021"),
    ("Accepted to International Conference on Software Testing, Verification and Validation (ICST) 2024 / Key words: "
     "Large-language models, Metamorphic testing, Quality evaluation, Text perturbations", "ICST 2024"),
    ("This paper is accepted on the Industry Track of the 18th IEEE International Conference on Software Testing, "
     "Verification and Validation (ICST 2025)", "ICST 2025"),
    ("Paper accepted at IEEE International Conference on Software Testing, Verification and Validation 2021, "
     "Testing Tools Track (ICST 2021), virtual conference, April 12-16, 2021. "
     "htpps://icst2021.icmc.usp.br/track/icst-2021-Testing-Tool-Track", "ICST 2021"),
    ("Accepted by the 32nd ACM SIGSOFT International Symposium on Software Testing and Analysis (ISSTA 2023)",
     "ISSTA 2023"),
    ("Accepted to the ACM SIGSOFT International Symposium on Software Testing and Analysis (ISSTA), 2020",
     "ISSTA 2020"),
    ("13 pages, 6 figures, In Proceedings of the 31st ACM SIGSOFT International Symposium on Software Testing and "
     "Analysis (ISSTA) 2022", "ISSTA 2022"),
    ("In Proceedings of the 30th ACM SIGSOFT International Symposium on Software Testing and Analysis July 11 to 17, "
     "2021, Denmark. 13 pages", "ISSTA 2021"),
    ("Published at 27th ACM SIGSOFT International Symposium on Software Testing and Analysis (ISSTA 2018)",
     "ISSTA 2018"),
    ("Accepted by COLM 2026", "COLM 2026"),
    ("Accepted in Interspeech 2026", "Interspeech 2026"),
]
# ... and not accepted at a venue of the table (a workshop there, submitted, an abridged version,
# no year, no word of acceptance, or a venue sitegen does not know).
REAL_NOT_ACCEPTED = [
    "13 pages, 4 figures. Accepted at an ICLR 2025 workshop",
    "Accepted at the 14th International Workshop on Assistive Computer Vision and Robotics (ACVR 2026), held in "
    "conjunction with ECCV 2026",
    "Accepted for publication at the 7th International Workshop on Deep Learning for Testing and Testing for Deep "
    "Learning (DeepTest 2026), co-located with ICSE 2026",
    "4 pages, to appear in the Proceedings of the 17th International Workshop on Search-Based and Fuzz Testing "
    "(SBFT@ICSE 2024)",
    "Paper accepted at the 5th INTUITESTBEDS 2022, part of the 15th IEEE International Conference on Software "
    "Testing, Verification and Validation (ICST) 2022, April 4 - 13, 2022, https://icst2022.vrain.upv.es/",
    "Artificial Intelligence in Software Testing 2022 workshop @ ICST 2022",
    "53 pages. Added result on monotonicity testing. Abridged version to appear in Symposium on Discrete Algorithms "
    "(SODA), 2021",
    "Accepted at 10th IEEE International Conference on Software Testing, Verification and Validation",
    "11 pages, 18th IEEE International Conference on Software Testing, Verification and Validation (ICST) 2025",
    "IEEE Fifth International Conference on Software Testing, Verification and Validation (ICST 2012), Montreal, QC, "
    "Canada, 2012",
    "2023 IEEE International Conference on Software Testing, Verification and Validation Workshops (ICSTW), 8 pages, "
    "2 tables, 6 figures",
    "3rd International Workshop on Artificial Intelligence in Software Testing (AIST) - International Conference on "
    "Software Testing and Validation (ICST)",
    "Extended version of paper \"The Complexity of Testing Message-Passing Concurrency\" on POPL 2026",
    "Findings of the Association for Computational Linguistics: EACL 2026",
    "(v0), Submitted to IEEE International Workshop on Automated and Intelligent Software Testing (AIST 2020)",
    "Under review for TACL (editor decision: b)",
    "Currently under review at Journal of Software Testing, Verification and Reliability",
    "12 pages; accepted for ICALP 2011 Group Testing Workshop: Algorithms and Data Structures for selection, "
    "identification and encoding (ICALP 2011 GT, Zurich)",
    "Preprint. Accepted to the Workshop on Automated Testing for Cyber-Physical Systems in the Cloud at ICPADS 2015",
    "Published in IJCNN 2026",
    "16 pages, 5 figures, Conference : RC 2026",
    "8 pages, 3 figures. Published version",
    "9 pages main text, 23 pages in total, under review",
    "20 pages, harvmac, v2: section on AdS_2 corrected, references added, v3: More references and a sign in eqns 2.8 "
    "and 2.9 corrected",
]


@pytest.mark.parametrize("comment,label", REAL_ACCEPTED)
def test_real_comments_that_say_accepted(comment, label):
    found = accepted_at(comment)
    assert found is not None and found.label == label


@pytest.mark.parametrize("comment", REAL_NOT_ACCEPTED)
def test_real_comments_that_do_not(comment):
    assert accepted_at(comment) is None


def test_the_real_examples_are_real():
    """Every example above is a comment of a shipped snapshot, verbatim."""
    shipped = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "content" / "papers").rglob("*.md"))
    for comment in [c for c, _ in REAL_ACCEPTED] + REAL_NOT_ACCEPTED:
        assert comment.replace('"', '\\"') in shipped, comment


def test_the_recorded_api_answers_give_icst_and_issta():
    """The arXiv API answers recorded for the "testing" search (arxiv:comment of each entry)."""
    page = parse_api_feed((FIXTURES / "arxiv-api" / "api2026-search-testing-100-entries.xml").read_bytes())
    found = {p.id: accepted_at(p.comment) for p in page.papers}
    labels = Counter(a.venue.short for a in found.values() if a is not None)
    assert labels == {"ICST": 18, "ISSTA": 7}
    assert found["2412.16620"].label == "ISSTA 2025"
    assert found["2306.07400"].label == "ICST 2026"  # "(ICST '26)"


ACCEPTING = ["Accepted at {v} {y}", "Accepted to {v} {y}", "accepted by {v} {y}", "To appear in {v} {y}",
             "To appear at {v} {y}.", "Published at {v} {y}", "Published as a conference paper at {v} {y}",
             "{v} {y} camera-ready", "{v} {y} Camera Ready", "{v} {y} (Spotlight)", "{v} {y} Oral",
             "{v} {y} (poster)", "Camera-ready version for {v} {y}", "12 pages, 4 figures. Accepted at {v} {y}.",
             "Accepted for publication in the proceedings of {v} {y}", "Accepted at {v}'{yy}", "Accepted at {v} '{yy}",
             "v2: camera-ready, {v} {y}", "{v} {y} main conference", "Accepted as an oral at {v} {y}",
             "Submitted to another venue in 2024; accepted at {v} {y}"]
REFUSING = ["Submitted to {v} {y}", "Under review at {v} {y}", "under submission to {v} {y}",
            "Not yet accepted at {v} {y}", "Will be published at {v} {y} if accepted",
            "Accepted at the {v} {y} Workshop on Trustworthy AI", "Accepted at a {v} {y} workshop",
            "Findings of {v} {y}", "Accepted to Findings of {v} {y}", "Tiny paper at {v} {y}, accepted",
            "Accepted at the Student Research Workshop of {v} {y}", "Accepted to the {v} {y} Blogpost Track",
            "Accepted at XYZ 2025, co-located with {v} {y}", "Accepted at the DMLR workshop @ {v} {y}",
            "Extended version of our paper published at {v} {y}", "Preliminary version accepted at {v} {y}",
            "Accepted at {v} {y} (non-archival)", "Rejected from {v} {y}", "Accepted at {v}",
            "{v} {y}", "Our {v} {y} submission", "Accepted at the {v} {y} Doctoral Consortium",
            "Accepted at {v} {y} Tutorials", "Demo track of {v} {y}, accepted"]


@pytest.mark.parametrize("venue", VENUES, ids=lambda v: v.short)
def test_generated_phrasings_with_every_acronym(venue):
    for acronym, (y, yy) in itertools.product(venue.acronyms, [(2027, "27"), (2019, "19")]):
        for phrase in ACCEPTING:
            found = accepted_at(phrase.format(v=acronym, y=y, yy=yy))
            assert found is not None and (found.venue, found.year) == (venue, y), phrase.format(v=acronym, y=y, yy=yy)
        for phrase in REFUSING:
            assert accepted_at(phrase.format(v=acronym, y=y, yy=yy)) is None, phrase.format(v=acronym, y=y, yy=yy)


@pytest.mark.parametrize("venue", VENUES, ids=lambda v: v.short)
def test_generated_phrasings_with_every_long_name(venue):
    for name in venue.names:
        for phrase in ("Accepted at the {y} {v}", "To appear in Proceedings of the 40th {v} ({y})",
                       "Accepted at the {v} {y}", "Published in the {v}, {y}"):
            text = phrase.format(v=name, y=2026)
            found = accepted_at(text)
            assert found is not None and (found.venue, found.year) == (venue, 2026), text
        assert accepted_at(f"Accepted at the {name} Workshops 2026") is None  # another venue
        assert accepted_at(f"Submitted to the {name} 2026") is None


def test_a_long_name_inside_another_venues_name_is_not_that_venue():
    assert accepted_at("Accepted at the Pacific-Asia Conference on Knowledge Discovery and Data Mining "
                       "(PAKDD 2025)") is None
    assert accepted_at("Accepted at the International Conference on Machine Learning and Applications 2024") is None
    assert accepted_at("Accepted at the Asian Conference on Computer Vision 2024") is None
    found = accepted_at("Accepted at the European Conference on Computer Vision 2024")
    assert found is not None and found.label == "ECCV 2024"  # not ICCV, whose name it holds


def test_other_spellings():
    cases = {"Accepted to AAAI-26": "AAAI 2026", "Accepted at NIPS 2017": "NeurIPS 2017",
             "Accepted at Neurips 2024": "NeurIPS 2024", "Accepted at NEURIPS 2024": "NeurIPS 2024",
             "To appear in IEEE S&P 2026": "S&P 2026", "Accepted at USENIX Security 2025": "USENIX Security 2025",
             "Accepted at ESEC/FSE 2024": "FSE 2024", "Accepted at INTERSPEECH 2025": "Interspeech 2025",
             "ICLR2026 camera ready": "ICLR 2026", "Accepted at ICLR 2026; code at github": "ICLR 2026"}
    for text, label in cases.items():
        found = accepted_at(text)
        assert found is not None and found.label == label, text
    # Case counts for short acronyms: "Chi" is a name, "www" a host.
    assert accepted_at("Accepted at Chi 2026") is None
    assert accepted_at("Published at www 2026") is None


def test_the_first_accepted_venue_wins_and_sentences_are_apart():
    assert accepted_at("Accepted at ICLR 2026. Submitted to NeurIPS 2025").label == "ICLR 2026"
    assert accepted_at("Submitted to NeurIPS 2025. Accepted at ICLR 2026").label == "ICLR 2026"
    assert accepted_at("Accepted at ACL 2025. NeurIPS 2024 workshop version").label == "ACL 2025"
    assert accepted_at("Code is accepted. ICML 2024") is None  # the word of acceptance is in another sentence


def test_semantic_scholar_names_map_to_the_same_venues():
    # Semantic Scholar's publicationVenue names, as its answers give them (tests/fixtures/semanticscholar
    # holds "Neural Information Processing Systems"); the others as documented in its venue list.
    cases = {"Neural Information Processing Systems": "NeurIPS",
             "International Conference on Learning Representations": "ICLR",
             "Computer Vision and Pattern Recognition": "CVPR",
             "Annual Meeting of the Association for Computational Linguistics": "ACL",
             "Conference on Empirical Methods in Natural Language Processing": "EMNLP",
             "AAAI Conference on Artificial Intelligence": "AAAI", "Knowledge Discovery and Data Mining": "KDD",
             "IEEE International Conference on Computer Vision": "ICCV", "The Web Conference": "WWW",
             "ACM-SIAM Symposium on Discrete Algorithms": "SODA", "USENIX Security Symposium": "USENIX Security",
             "International Symposium on Software Testing and Analysis": "ISSTA",
             "International Conference on Learning Representations (ICLR)": "ICLR", "ICLR": "ICLR"}
    for name, short in cases.items():
        assert known_venue(name) == (BY_SHORT[short], None), name
    assert known_venue("International Conference on Learning Representations (ICLR 2023)") == (BY_SHORT["ICLR"], 2023)
    for other in ("Technological forecasting & social change", "IEEE Conference on Artificial Intelligence",
                  "Findings of the Association for Computational Linguistics: EMNLP 2023", "ICLR Workshop",
                  "Proceedings of the ACM on Programming Languages", "Computer Vision and Pattern Recognition (ICCV)"):
        assert known_venue(other) == (None, None), other


def test_venue_of_a_paper_from_both_sources():
    def paper(comment=None, s2=None):
        return make_paper(comment=comment, extras={"semanticscholar": SemanticScholar(venue=s2)} if s2 else {})

    assert venue_of(paper()) is None
    assert venue_of(paper("Accepted at ICLR 2027")).label == "ICLR 2027"
    # Semantic Scholar's known venue, and the comment's year when it names the same one
    assert venue_of(paper("Accepted at ICLR 2027", "International Conference on Learning Representations")).label \
        == "ICLR 2027"
    assert venue_of(paper("Accepted at CVPR 2026", "International Conference on Learning Representations")).label \
        == "ICLR"
    assert venue_of(paper(None, "Neural Information Processing Systems")).label == "NeurIPS"
    # A venue the table does not know: Semantic Scholar's name, unless the comment names a known one
    other = venue_of(paper(None, "Technological forecasting & social change"))
    assert (other.label, other.key, other.known) == ("Technological forecasting & social change",
                                                     "s2:technological forecasting social change", None)
    assert venue_of(paper("Accepted at ICML 2025", "Some Journal")).label == "ICML 2025"
    assert venue_of(paper("Submitted to ICML 2025")) is None
    # arXiv itself is no venue (the record's accepted_at leaves it out)
    assert venue_of(paper("Accepted at ICML 2025", "arXiv.org")).label == "ICML 2025"


def test_the_table():
    slugs = [v.slug for v in VENUES]
    assert len(set(slugs)) == len(slugs) and all(s and set(s) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
                                                 for s in slugs)
    assert len({v.short for v in VENUES}) == len(VENUES)
    keys = Counter(key for v in VENUES for key in set(v.keys))
    assert [k for k, n in keys.items() if n > 1] == []  # no long name is two venues
    acronyms = Counter(a for v in VENUES for a in v.acronyms)
    assert [a for a, n in acronyms.items() if n > 1] == []
    assert all(v.keys and all(v.keys) for v in VENUES)


def test_tokens_split_letters_digits_and_marks():
    assert tokens("ICLR'26, ICST2023 camera-ready\nSBFT@ICSE") == [
        "ICLR", "'", "26", ",", "ICST", "2023", "camera", "-", "ready", "\n", "SBFT", "@", "ICSE"]


MB = 1_000_000
HOSTILE = ["accepted at ", "accepted at ICLR 2026 workshop ", "ICLR 2026 ", "accepted at ICLR ", "AAAI-26 ",
           "Conference on Software Testing Verification and ", "the Conference on ", "'2", "Proc. ", "\n", "1",
           "a", "USENIX ", "Accepted at the 18th IEEE International Conference on Software Testing, Verification "
           "and Validation Workshops (ICST 2025) co-located; ", "NeurIPS NeurIPS NeurIPS 2025 2025 ",
           "camera camera camera ICLR "]


@pytest.mark.slow
@pytest.mark.parametrize("unit", HOSTILE, ids=range(len(HOSTILE)))
def test_a_megabyte_of_hostile_text_is_read_in_linear_time(unit):
    """1 MB built to make a backtracking or quadratic reader explode (a trigger, a venue or a
    name's first words at every position), read whole: under a second of CPU. (A comment is
    read only up to MAX_CHARS; this reads past it, to bound the reader itself.)"""
    text = unit * (MB // len(unit))
    start = time.process_time()
    read_tokens(tokens(text))
    assert accepted_at(text) is None  # past MAX_CHARS: not read at all
    spent = time.process_time() - start
    assert spent < 1.0, f"{spent:.2f} s of CPU for 1 MB"


def test_a_comment_past_the_cap_is_not_read():
    assert accepted_at("Accepted at ICLR 2026 " + " " * MAX_CHARS) is None
    assert venue_comment.MAX_CHARS == 10_000
