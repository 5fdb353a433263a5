"""Template folders: only template files are read, and a wrong folder or file is one line, exit 2."""

from __future__ import annotations

from sitegen.cli import main


def _build(site, capsys, *args: str) -> tuple[int, str]:
    code = main(["build", "--config", str(site.config_path), *args])
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err, err
    return code, err


def test_templates_folder_that_is_not_sitegens_is_exit_2_naming_the_key(sample_site, capsys):
    text = sample_site.config_path.read_text()
    templates = text.split('templates = "')[1].split('"')[0]
    sample_site.config_path.write_text(text.replace(templates, "/etc"))
    status, err = _build(sample_site, capsys)
    assert status == 2
    assert "build.templates: /etc is not a sitegen templates folder: it lacks base.html" in err
    assert not sample_site.output.exists()


def test_a_binary_template_in_the_overrides_is_exit_2_naming_it(sample_site, capsys):
    overrides = sample_site.root / "over"
    overrides.mkdir()
    (overrides / "paper.html").write_bytes(b"\x7fELF\x02\x01\x01\x00\x00\xff\xfe")
    sample_site.config_path.write_text(
        sample_site.config_path.read_text().replace("search = false", 'search = false\noverrides = "over"'))
    status, err = _build(sample_site, capsys)
    assert status == 2 and f"{overrides / 'paper.html'}: is not UTF-8 text" in err


def test_other_files_in_the_template_folders_are_not_read(sample_site, capsys):
    overrides = sample_site.root / "over"
    (overrides / "static").mkdir(parents=True)
    (overrides / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00")
    (overrides / "notes.md").write_bytes(b"\xff\xfe not utf-8")
    (overrides / "static" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff")  # assets are bytes
    sample_site.config_path.write_text(
        sample_site.config_path.read_text().replace("search = false", 'search = false\noverrides = "over"'))
    assert _build(sample_site, capsys)[0] == 0
    assert (sample_site.output / "static/logo.png").read_bytes() == b"\x89PNG\r\n\x1a\n\x00\xff"
    assert not (sample_site.output / "photo.jpg").exists()


def test_a_missing_asset_is_a_one_line_render_error(sample_site, capsys):
    overrides = sample_site.root / "over"
    overrides.mkdir()
    (overrides / "404.html").write_text('{% extends "base.html" %}{% block main %}'
                                        '<img src="{{ asset(\'nope.png\') }}">{% endblock %}')
    sample_site.config_path.write_text(
        sample_site.config_path.read_text().replace("search = false", 'search = false\noverrides = "over"'))
    status, err = _build(sample_site, capsys)
    assert status == 1 and "404.html: template: asset static/nope.png is in neither" in err
