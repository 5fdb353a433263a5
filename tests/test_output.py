"""The writer: stays inside output/, skips identical bytes, swaps atomically, prunes."""

import os

import pytest

from sitegen import output


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
    output.commit(tmp_path, ["a/index.html"])
    assert (tmp_path / "a/index.html").read_bytes() == b"new!"
    assert not list(tmp_path.rglob("*" + output.TMP_SUFFIX))


def test_discard_removes_staged_files(tmp_path):
    output.stage(tmp_path, "b/c.html", b"x", {})
    output.discard(tmp_path)
    assert not (tmp_path / "b/c.html").exists() and not list(tmp_path.rglob("*" + output.TMP_SUFFIX))


def test_prune_keeps_wanted_and_owned_files_and_removes_empty_folders(tmp_path):
    for rel in ["keep.html", "old/page/index.html", "pagefind/x.pf"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    removed = output.prune(tmp_path, output.scan_tree(tmp_path), {"keep.html"}, ("pagefind/",))
    assert removed == 1
    assert (tmp_path / "keep.html").exists() and (tmp_path / "pagefind/x.pf").exists()
    assert not (tmp_path / "old").exists()


def test_manifest_round_trip_and_key(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out/p.html").write_text("x")
    existing = output.scan_tree(tmp_path / "out")
    m = output.Manifest(tmp_path / "m.pickle", "key1")
    m.save(tmp_path / "out", {"p.html": "fp"}, existing, set(), "inputs", (1, 2))
    again = output.Manifest(tmp_path / "m.pickle", "key1")
    assert again.is_current("p.html", "fp", existing) and not again.is_current("p.html", "other", existing)
    assert again.up_to_date("inputs", existing) and not again.up_to_date("changed", existing)
    assert output.Manifest(tmp_path / "m.pickle", "key2").pages == {}  # templates changed: trust nothing
    os.utime(tmp_path / "out/p.html", ns=(1, 1))
    assert not again.is_current("p.html", "fp", output.scan_tree(tmp_path / "out"))
