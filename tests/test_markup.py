"""Untrusted text becomes safe HTML; TeX becomes MathML or stays readable source."""

from sitegen.build.markup import abstract_html, clean_text, inline_html, plain_text


def test_inline_math_becomes_mathml():
    out = inline_html("$ω$Test: WebView-Oriented Testing")
    assert out.startswith('<math><mrow>')  # HTML gives <math> its namespace; inline is the default
    assert "<mi>ω</mi>" in out and out.endswith("Test: WebView-Oriented Testing")


def test_dollar_amounts_are_not_math():
    assert inline_html("costs $5 and $10 each") == "costs $5 and $10 each"


def test_unconvertible_tex_is_shown_as_source():
    assert '<code class="tex">$\\frac{1}{$</code>' in abstract_html("bad $\\frac{1}{$ here")
    assert '<code class="tex">$\\notacommand{x}$</code>' in abstract_html("odd $\\notacommand{x}$")


def test_script_tags_and_javascript_links_are_inert():
    out = abstract_html('<script>alert(1)</script> see [x](javascript:alert(1)) and <img src=x onerror=alert(1)>')
    assert "<script" not in out and "<img" not in out and "javascript:" not in out and "<a" not in out
    title = inline_html('<b onmouseover="x">T</b>')
    assert "<b" not in title and "&lt;b" in title


def test_tex_cannot_smuggle_markup_through_mathml():
    out = inline_html("$\\text{<script>alert(1)</script>}$ and $\\href{javascript:alert(1)}{x}$")
    assert "<script" not in out and "javascript:" not in out


def test_control_characters_are_removed():
    assert clean_text("a\x00b\x07c\x1bd\ufffee") == "abcde"
    assert plain_text("  a\n b\tc\x0b ") == "a b c"


def test_paragraphs_and_markdown():
    assert abstract_html("One\nline.\n\nTwo.") == "<p>One line.</p><p>Two.</p>"
    out = abstract_html("Code at [repo](https://github.com/x/y) with `z`.")
    assert '<a href="https://github.com/x/y" rel="nofollow noopener">repo</a>' in out and "<code>z</code>" in out
    # plain text keeps underscores and asterisks literal
    assert abstract_html("snake_case and a*b") == "<p>snake_case and a*b</p>"


def test_display_math():
    assert 'display="block"' in abstract_html("Then $$\\sum_i x_i$$ holds.")


def test_forged_placeholders_and_tex_quotes_are_plain_text():
    out = abstract_html("See [x](https://x.org) MATHSPAN3X \ue0003\ue001 and $a$.")
    assert "MATHSPAN3X" in out and "\ue000" not in out and "<math>" in out
    quoted = abstract_html("this ``grokking'' and the other ``double descent''")
    assert "<code>" not in quoted and "``grokking''" in quoted


BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_bidi_embeddings_overrides_and_isolates_are_removed():
    text = "Safe\u202e txt.exe \u2066isolated\u2069 $x\u202e$ end"
    for out in (clean_text(text), plain_text(text), inline_html(text), abstract_html(text)):
        assert not set(out) & set(BIDI), out
    assert plain_text(text) == "Safe txt.exe isolated $x$ end"
    assert clean_text("marks stay: \u200e\u200f") == "marks stay: \u200e\u200f"  # LRM/RLM cannot leave text reversed


def test_fetched_text_loses_bidi_controls():
    from sitegen.sources.text import clean_abstract, clean_line, clean_name

    assert clean_line("A \u202etitle\u202c") == "A title"
    assert clean_name("Ann\u2067 Smith\u2069") == "Ann Smith"
    assert clean_abstract("One\u202a.\n  Two\u2068.") == "One.\n\nTwo."
