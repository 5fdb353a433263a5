"""Untrusted text becomes safe HTML; TeX becomes MathML or stays readable source."""

import pytest

from sitegen.text import markup
from sitegen.text.markup import abstract_html, clean_text, inline_html, plain_text


def test_inline_math_becomes_mathml():
    out = inline_html("$ω$Test: WebView-Oriented Testing")
    # HTML gives <math> its namespace; inline is the default; the word it starts stays whole
    assert out.startswith('<span class="nw"><math><mi>ω</mi></math>Test:</span>')
    assert "<mi>ω</mi>" in out and out.endswith("</span> WebView-Oriented Testing")


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
    assert "<code>" not in quoted and "“grokking”" in quoted  # TeX's quotes, as TeX prints them


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


# --- TeX font commands: MathML with the mathvariant, and the letter browsers really show -------

@pytest.mark.parametrize("tex, variant, letter", [
    (r"{\cal N}", "script", "𝒩"),
    (r"\cal N", "script", "𝒩"),
    (r"\mathcal{N}", "script", "𝒩"),
    (r"\mathcal{B}", "script", "ℬ"),  # a letter Unicode encoded before its mathematical block
    (r"\mathbb{R}", "double-struck", "ℝ"),
    (r"{\bf x}", "bold", "𝐱"),
    (r"\bf x", "bold", "𝐱"),
    (r"\mathbf{x}", "bold", "𝐱"),
    (r"\mathbf{1}", "bold", "𝟏"),
    (r"\mathfrak{g}", "fraktur", "𝔤"),
    (r"\boldsymbol{\theta}", "bold-italic", "𝜽"),
    (r"{\rm d}", "normal", "d"),
    (r"\mathrm{d}", "normal", "d"),
])
def test_tex_font_commands_render_with_their_mathvariant(tex, variant, letter):
    html = markup.math_html(tex)
    assert f'mathvariant="{variant}">{letter}</m' in html, html


def test_plain_letters_keep_no_mathvariant():
    html = markup.math_html(r"x + \alpha")
    assert "mathvariant" not in html and "<mi>x</mi>" in html


def test_group_form_font_command_in_an_abstract():
    html = markup.abstract_html(r"Samples from ${\cal N}(0, 1)$ and $\mathcal{O}(n)$ steps.")
    assert '<mi mathvariant="script">𝒩</mi>' in html and '<mi mathvariant="script">𝒪</mi>' in html


# --- an abstract's lead (shown on cards) and the rest (folded) ----------------------------------

def test_short_abstract_is_all_lead():
    assert markup.abstract_parts("A short abstract.") == ("A short abstract.", "")
    assert markup.abstract_parts("") == ("", "")


def test_long_abstract_is_cut_at_a_sentence_end_after_the_minimum():
    first = "We study a thing. " * 12  # ~216 characters
    text = first + "Then we show another thing with many words in it. " * 10
    lead, rest = markup.abstract_parts(text)
    assert markup.LEAD_MIN <= len(lead) <= markup.LEAD_MAX and lead.endswith(".")
    assert rest.startswith("<p>") and rest.endswith("</p>")
    # Nothing lost, nothing twice.
    plain = (lead + " " + rest.replace("<p>", "").replace("</p>", " ")).split()
    assert plain == text.split()


def test_lead_never_ends_inside_a_formula():
    text = "Word " * 35 + "$a. B$ " + "More words here. " * 40
    lead, _ = markup.abstract_parts(text)
    assert lead.count("<math") == lead.count("</math>")


def test_a_second_paragraph_is_folded_whole():
    lead, rest = markup.abstract_parts("First paragraph, short.\n\nSecond paragraph.\n\nThird.")
    assert lead == "First paragraph, short." and rest == "<p>Second paragraph.</p><p>Third.</p>"


def test_lead_is_escaped_and_has_math():
    lead, _ = markup.abstract_parts("<script>x</script> with $\\alpha$.")
    assert "<script>" not in lead and "&lt;script&gt;" in lead and "<math>" in lead


def test_markdown_abstract_has_no_lead():
    lead, rest = markup.abstract_parts("- one\n- two\n\n**bold** text")
    assert lead == "" and "<li>one</li>" in rest


# --- TeX text-mode emphasis outside math ---------------------------------------------------------

def test_text_mode_emphasis_is_shown_as_html():
    html = markup.abstract_html(r"We \emph{really} use \textbf{bold <x>}, \textit{it} and \texttt{code}.")
    assert html == ("<p>We <em>really</em> use <strong>bold &lt;x&gt;</strong>, <em>it</em> and "
                    "<code>code</code>.</p>")
    assert markup.inline_html(r"A \emph{new} method for $x$") == "A <em>new</em> method for <math><mi>x</mi></math>"
    assert markup.inline_html(r"\textsc{Caps} and \underline{this}") == "Caps and this"


def test_text_mode_tex_it_cannot_read_stays_as_written():
    # a group inside is read (its braces are text), one never closed stays as written
    assert markup.inline_html(r"\emph{nested {x}} \emph{open") == r"<em>nested {x}</em> \emph{open"
    assert markup.inline_html(r"\emph{<script>}") == "<em>&lt;script&gt;</em>"
    assert markup.plain_line(r"A \emph{new} one") == "A new one"  # feeds, meta and search: the words
    assert markup.plain_text(r"A \emph{new} one") == r"A \emph{new} one"  # BibTeX keeps the TeX
