"""The writer: stays inside output/, skips identical bytes, swaps atomically, prunes."""

import os

import pytest

from sitegen.write import marker
from sitegen.write import writer as output
from sitegen.write.manifest import Counts, Manifest


def test_refuses_paths_outside_the_output_folder(tmp_path):
    for rel in ["../x", "a/../../x", "/etc/passwd", "a//b", "", "a/./b", "a\\..\\b"]:
        with pytest.raises(ValueError):
            output.safe_target(tmp_path, rel)


def test_stage_skips_identical_bytes_and_commit_swaps_in(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a/index.html").write_bytes(b"same")
    existing = output.scan_tree(tmp_path)
    assert existing["a/index.html"][1] == 4
    assert output.stage(tmp_path, "a/index.html", b"same", existing) is False
    assert output.stage(tmp_path, "a/index.html", b"new!", existing) is True
    assert (tmp_path / "a/index.html").read_bytes() == b"same"  # not yet swapped in
    output.commit(tmp_path, ["a/index.html"], existing)
    assert (tmp_path / "a/index.html").read_bytes() == b"new!"
    assert not list(tmp_path.rglob("*" + output.TMP_SUFFIX))


def test_discard_removes_staged_files(tmp_path):
    output.stage(tmp_path, "b/c.html", b"x", {})
    output.discard(tmp_path)
    assert not (tmp_path / "b/c.html").exists() and not list(tmp_path.rglob("*" + output.TMP_SUFFIX))


def test_prune_removes_only_the_stale_files_and_the_folders_it_emptied(tmp_path):
    for rel in ["keep.html", "old/page/index.html", "CNAME"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    (tmp_path / "someone-elses").mkdir()
    removed, failed = output.prune(tmp_path, {"old/page/index.html", "gone/already.html"})
    assert (removed, failed) == (1, set())
    assert (tmp_path / "keep.html").exists() and (tmp_path / "CNAME").exists()
    assert not (tmp_path / "old").exists() and (tmp_path / "someone-elses").is_dir()


def test_manifest_round_trip_and_key(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out/p.html").write_text("x")
    marker.write_marker(tmp_path / "out", marker.marker_bytes(["p.html"], []), None)
    existing = output.scan_tree(tmp_path / "out")
    m = Manifest(tmp_path / "m.pickle", "key1")
    m.save(tmp_path / "out", {"p.html": "fp"}, existing, set(), "inputs", Counts(1, 2, 3, 4))
    again = Manifest(tmp_path / "m.pickle", "key1")
    assert again.is_current("p.html", "fp", existing) and not again.is_current("p.html", "other", existing)
    assert again.counts == Counts(1, 2, 3, 4)  # what the summary line of a build with nothing to do says
    assert again.up_to_date("inputs", tmp_path / "out") and not again.up_to_date("changed", tmp_path / "out")
    (tmp_path / "out/someone-elses.txt").write_text("x")  # files the build did not write do not matter
    assert again.up_to_date("inputs", tmp_path / "out")
    assert Manifest(tmp_path / "m.pickle", "key2").pages == {}  # templates changed: trust nothing
    os.utime(tmp_path / "out/p.html", ns=(1, 1))
    assert not again.is_current("p.html", "fp", output.scan_tree(tmp_path / "out"))
    assert not again.up_to_date("inputs", tmp_path / "out")  # a page touched since the build
    (tmp_path / "out/p.html").unlink()
    assert not again.up_to_date("inputs", tmp_path / "out")  # or gone
