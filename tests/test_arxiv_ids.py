"""arXiv ids: both schemes, versions, and file names that can never leave their folder."""

import pytest

from sitegen.arxiv_ids import is_valid_id, safe_name, shard, split_id


@pytest.mark.parametrize("raw, expected", [
    ("2311.02077v2", ("2311.02077", 2)),
    ("0704.0001", ("0704.0001", None)),
    ("hep-th/9711200v1", ("hep-th/9711200", 1)),
    ("math.GT/0309136", ("math.GT/0309136", None)),
    ("http://arxiv.org/abs/2008.01944v1", ("2008.01944", 1)),
    ("https://arxiv.org/pdf/2311.02077v3", ("2311.02077", 3)),
    ("oai:arXiv.org:2608.11232v1", ("2608.11232", 1)),
    ("arXiv:astro-ph/0601001", ("astro-ph/0601001", None)),
])
def test_split_id(raw, expected):
    assert split_id(raw) == expected


@pytest.mark.parametrize("bad", ["../../x", "2311.02077/../../etc", "", "abc", "2311.020", "hep-th/97112",
                                 "/etc/passwd", "2311.02077v", "HEP-TH/9711200"])
def test_hostile_or_malformed_ids_are_rejected(bad):
    with pytest.raises(ValueError):
        split_id(bad)
    assert not is_valid_id(bad)


def test_safe_names_and_shards():
    assert safe_name("hep-th/9711200") == "hep-th_9711200"
    assert shard("hep-th/9711200") == "hep-th/9711"
    assert shard("2311.02077") == "2311/02"
    assert shard("0704.0001") == "0704/0"
    with pytest.raises(ValueError):
        safe_name("2311.02077v2")  # only version-less ids name files
