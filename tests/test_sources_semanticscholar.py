"""Semantic Scholar's parser and snapshot key, on the real recorded answers in
tests/fixtures/semanticscholar/ (provenance in tests/fixtures/SOURCES.md)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from sitegen.errors import ParseError
from sitegen.snapshot.format import SnapshotError, check_paper, dump_paper, parse_snapshot
from sitegen.sources.semanticscholar.batch import (
    MAX_IDS,
    arxiv_id_of,
    error_of,
    parse_batch,
    parse_paper_object,
    request_body,
)
from sitegen.sources.semanticscholar.record import SemanticScholar, citations_of
from tests.conftest import make_paper

S2 = Path(__file__).parent / "fixtures" / "semanticscholar"
IDS4 = ["2401.00001", "2401.00002", "2401.00003", "2401.00004"]


def body(name: str) -> bytes:
    return (S2 / name).read_bytes()


def paper_object(name: str, index: int = 0) -> dict:
    """A paper object from a recorded search or search/match answer (`data[index]`): the same
    object, field for field, as an element of a batch answer."""
    return json.loads(body(name))["data"][index]


ATTENTION = "s2-search-match-arxiv-1706.03762-aug2025.json"


# --- real batch answers --------------------------------------------------------------------------

def test_a_real_batch_answer_is_matched_to_the_ids_by_position_and_null_means_unknown():
    answer = parse_batch(body("s2-batch-with-null-first-dec2024.json"), IDS4)
    assert answer.unknown == ["2401.00001"]  # element 0 is null
    assert answer.mismatched == []  # these objects name no arXiv id: their position decides
    got = dict(answer.records)
    assert list(got) == IDS4[1:]
    assert got["2401.00002"] == SemanticScholar(citations=10670, influential_citations=578,
                                                pdf="http://papers.nber.org/papers/w8841.pdf",
                                                paper_id="c31c87c591a25c64fbaa82e8ac6a81831b6ac7ce")
    assert got["2401.00003"].pdf == "https://dspace.mit.edu/bitstream/1721.1/95941/1/Banerjee_The%20miracle.pdf"
    assert (got["2401.00004"].citations, got["2401.00004"].pdf) == (0, None)  # 0 is a count; "openAccessPdf": null
    assert all(r.venue is None for r in got.values())  # "venue": "" is no venue


def test_a_real_batch_with_tldr_null_a_trailing_null_and_the_no_pdf_shape():
    ids = [f"2401.0001{i}" for i in range(6)]
    answer = parse_batch(body("s2-batch-tldr-null-trailing-null-lit-vault-tools.json"), ids)
    assert answer.unknown == ["2401.00015"]
    got = dict(answer.records)
    assert all(r.tldr is None for r in got.values())  # "tldr": null
    assert got["2401.00010"].venue == "Journal of Nuclear Materials"
    assert got["2401.00010"].pdf == "https://doi.org/10.1016/j.jnucmat.2022.154217"
    assert got["2401.00011"].pdf is None  # {"url": "", "status": null, "license": null, "disclaimer": ...}
    assert got["2401.00014"].pdf.startswith("https://www.tandfonline.com/doi/epdf/10.1080/13621718.2022.2027663?")


def test_an_answer_without_any_field_this_source_keeps_holds_only_the_paper_id():
    answer = parse_batch(body("s2-batch-fields-authors-dec2024.json"), IDS4[:3])
    assert [r for _, r in answer.records] == [SemanticScholar(paper_id=i) for i in (
        "c31c87c591a25c64fbaa82e8ac6a81831b6ac7ce", "cb1ebd913c3724c599f6b276b14b5c6253da68f3",
        "0f40b1f08821e22e859c6050916cec3667778613")]


# --- real paper objects --------------------------------------------------------------------------

def test_the_shipped_paper_from_its_real_search_match_answer():
    obj = paper_object(ATTENTION)
    assert arxiv_id_of(obj) == "1706.03762"
    record = parse_paper_object(obj)
    assert record == SemanticScholar(citations=136941, influential_citations=17456,
                                     venue="Neural Information Processing Systems",
                                     paper_id="204e3073870fae3d05bcbc2f6a8e263d9b72e776")
    assert record.accepted_at == "Neural Information Processing Systems"  # {"url": "", ...}: no PDF
    assert record.url == "https://www.semanticscholar.org/paper/204e3073870fae3d05bcbc2f6a8e263d9b72e776"


def test_the_older_no_pdf_shape_is_null():
    record = parse_paper_object(paper_object("s2-search-match-arxiv-1706.03762-oa-null-oct2024.json"))
    assert (record.citations, record.pdf) == (107745, None)


def test_arxiv_org_is_no_venue():
    record = parse_paper_object(paper_object("s2-search-match-arxiv-2312.07559-venue-arxiv-sep2025.json"))
    assert record.venue is None and record.accepted_at is None and record.citations == 106


def test_publication_venue_names_the_venue():
    obj = json.loads(body("s2-paper-object-publicationvenue-turing-citation.json"))
    assert obj["publicationVenue"]["type"] == "journal"
    record = parse_paper_object(obj)
    assert record.venue == "Technological forecasting & social change" == obj["publicationVenue"]["name"]
    obj["venue"] = "ArXiv"  # the object's own name wins over the free-text venue
    assert parse_paper_object(obj).venue == "Technological forecasting & social change"


def test_a_real_tldr_object_gives_its_text():
    tldr = json.loads(body("s2-tldr-object-turing.json"))
    record = parse_paper_object({"paperId": "2d5673caa9e6af3a7b82a43f19ee920992db07ad", "tldr": tldr})
    assert record.tldr.startswith("If the meaning of the words \u201cmachine\u201d and \u201cthink\u201d are")
    assert record.tldr.endswith("a statistical survey such as a Gallup poll.")


def test_arxiv_ids_and_open_access_pdfs_of_a_real_search_answer():
    data = json.loads(body("s2-search-transformer-limit5-jun2026.json"))["data"]
    assert [arxiv_id_of(o) for o in data] == ["2103.14030", "2012.07436", "2004.05150", "2111.09881", "2108.10257"]
    assert parse_paper_object(data[0]).pdf == "http://arxiv.org/pdf/2103.14030"


def test_an_element_that_names_another_arxiv_id_is_dropped():
    # The five real paper objects of a search answer, listed as a batch lists its answers.
    data = json.loads(body("s2-search-transformer-limit5-jun2026.json"))["data"]
    listed = json.dumps(data).encode()
    asked = ["2103.14030", "2012.07436", "2004.05150", "2111.09881", "2108.10257"]
    assert [i for i, _ in parse_batch(listed, asked).records] == asked
    shifted = asked[1:] + asked[:1]  # an answer one off: every element names its neighbour
    answer = parse_batch(listed, shifted)
    assert answer.records == [] and answer.mismatched == list(zip(shifted, asked, strict=True))


# --- broken and hostile answers --------------------------------------------------------------------

@pytest.mark.parametrize("data, message", [
    (b"", "malformed JSON"),
    (None, "malformed JSON"),  # the real answer cut in the middle
    (b'{"data": []}', "expected a JSON list, got dict"),
    (b"[null, null]", "2 answers for 4 ids"),
    (b"[null, 3, null, null]", "element for 2401.00002 is a int"),
    (b"[" * 100_000 + b"]" * 100_000, "malformed JSON"),
])
def test_an_answer_of_the_wrong_shape_is_a_parse_error(data, message):
    if data is None:
        data = body("s2-batch-with-null-first-dec2024.json")[:3000]
    with pytest.raises(ParseError, match=message):
        parse_batch(data, IDS4)


def test_an_error_answer_says_what_semantic_scholar_said():
    assert error_of(body("s2-error-400-unrecognized-fields-sep2023.json")) == \
        "Unrecognized or unsupported fields: [unknown]"
    assert error_of(body("s2-error-404-paper-not-found-dec2023.json")) == "Paper with id 0 not found"
    assert error_of(b"<html>bad gateway</html>") == "no error message"


def test_values_of_the_wrong_type_or_out_of_range_are_left_out():
    obj = paper_object(ATTENTION)
    bad = {**obj, "citationCount": -1, "influentialCitationCount": True, "venue": "\u202eInjected\u202c Conf",
           "openAccessPdf": {"url": "javascript:alert(1)"}, "tldr": {"text": "x" * 2001}, "paperId": "../etc"}
    record = parse_paper_object(bad)
    assert record == SemanticScholar(venue="Injected Conf")  # bidi controls dropped, the rest refused
    assert parse_paper_object({**obj, "citationCount": 10**12}).citations is None


def test_a_batch_is_at_most_500_ids_each_named_as_an_arxiv_id():
    assert request_body(["1706.03762", "hep-th/9711200"]) == {"ids": ["ARXIV:1706.03762", "ARXIV:hep-th/9711200"]}
    with pytest.raises(ValueError):
        request_body(["1706.03762"] * (MAX_IDS + 1))


# --- the snapshot key --------------------------------------------------------------------------------

def test_the_key_is_written_only_for_a_paper_semantic_scholar_answered_for():
    plain = make_paper()
    assert "semanticscholar" not in dump_paper(plain)
    record = parse_paper_object(paper_object(ATTENTION))
    text = dump_paper(replace(plain, extras={**plain.extras, "semanticscholar": record}))
    assert ('\nsemanticscholar: {citations: 136941, influential_citations: 17456, venue: "Neural Information '
            'Processing Systems", paper_id: "204e3073870fae3d05bcbc2f6a8e263d9b72e776"}\nsources:') in text
    again = parse_snapshot(text)
    assert again.extra("semanticscholar") == record and dump_paper(again) == text and citations_of(again) == 136941
    check_paper(again)


def test_every_field_round_trips_through_yaml_too():
    record = SemanticScholar(citations=0, influential_citations=0, venue='A "quoted" venue: ICLR',
                             tldr="We show that \\alpha works, “mostly”.", pdf="https://example.org/a.pdf",
                             paper_id="204e3073870fae3d05bcbc2f6a8e263d9b72e776")
    text = dump_paper(replace(make_paper(), extras={"semanticscholar": record}))
    assert parse_snapshot(text).extra("semanticscholar") == record
    hand_edited = text.replace("\nsemanticscholar: {", "\nsemanticscholar:  {")  # not dump_paper's form: YAML reads it
    assert parse_snapshot(hand_edited).extra("semanticscholar") == record


@pytest.mark.parametrize("value, words", [
    ("{citations: -3}", "citations: must be a whole number from 0 to 100,000,000"),
    ("{citations: 1.5}", "citations: must be a whole number"),
    ("{venue: [a]}", "venue: must be text in quotes"),
    ('{pdf: "ftp://x.org/a.pdf"}', "pdf: must be an http(s) URL"),
    ('{paper_id: "abc"}', "paper_id: must be Semantic Scholar's id"),
    ("{cites: 3}", "must be a mapping with keys among citations"),
    ("[3]", "must be a mapping with keys among"),
])
def test_a_bad_value_names_the_line(value, words):
    text = dump_paper(make_paper()).replace("\nsources:", f"\nsemanticscholar: {value}\nsources:")
    with pytest.raises(SnapshotError) as info:
        parse_snapshot(text)
    assert words in info.value.message and info.value.message.startswith("semanticscholar: ")
    assert text.splitlines()[info.value.line - 1].startswith("semanticscholar:")


def test_an_empty_or_null_key_is_no_record():
    for value in ("null", "{}"):
        text = dump_paper(make_paper()).replace("\nsources:", f"\nsemanticscholar: {value}\nsources:")
        assert parse_snapshot(text).extra("semanticscholar") is None
