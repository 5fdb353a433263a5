"""One reading of a title or abstract, three outputs that say the same: HTML with MathML
(pages, feed content), Unicode plain text (titles, meta, feed titles, search, e-mail text)
and e-mail HTML (no MathML)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from sitegen.digest import text as digest_text
from sitegen.text import markup

REPO = Path(__file__).resolve().parent.parent


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def text_of(fragment: str) -> str:
    """What a reader sees of an HTML fragment."""
    parser = _Text()
    parser.feed(fragment)
    return "".join(parser.parts)


def channels(source: str) -> tuple[str, str, str]:
    """(page HTML's text, plain text, e-mail HTML's text) of a one-line text."""
    return (text_of(markup.inline_html(source)), markup.plain_line(source),
            text_of(str(digest_text.title_html(source))))


# Text-mode TeX: what arXiv authors write outside math, and what every channel shows.
@pytest.mark.parametrize("source, shown", [
    ("i.i.d.\\ samples", "i.i.d. samples"),
    ("Jensen--Shannon divergence, pages 9--52, a pause---then", "Jensen–Shannon divergence, pages 9–52, a pause—then"),
    ("(i)~relying on Fig.~3", "(i)\u00a0relying on Fig.\u00a03"),
    ("about ~47k tools, by ~50 points, https://x.org/~user", "about ~47k tools, by ~50 points, https://x.org/~user"),
    ("the --max-tokens flag", "the --max-tokens flag"),
    ("``grokking'' and `this'", "“grokking” and `this'"),
    ("G\\\"odel, Schr{\\\"o}dinger, na\\\"{\\i}ve, caf\\'e, \\c{C}elik, Erd\\H{o}s, \\v{C}ech, \\ss",
     "Gödel, Schrödinger, naïve, café, Çelik, Erdős, Čech, ß"),
    ("95\\% of A\\&B cost \\$5 \\#1 my\\_var", "95% of A&B cost $5 #1 my_var"),
    ("\\emph{deep} \\textbf{bold} \\textit{it} \\texttt{code} {\\em old} {\\bf style}",
     "deep bold it code old style"),
    ("\\emph{a $x$ inside}", "a x inside"),
    ("10\\,000 samples", "10\u202f000 samples"),
    # what TeX gives no meaning to, or never closes, stays as written
    ("\\cite{x} and } {T}ransformers \\emph{never closed", "\\cite{x} and } {T}ransformers \\emph{never closed"),
])
def test_text_mode_tex_reads_the_same_in_every_channel(source, shown):
    assert channels(source) == (shown, shown, shown)


def test_styles_are_markup_in_both_html_outputs():
    source = r"\emph{deep} \textbf{bold} \texttt{x<y}"
    assert markup.inline_html(source) == "<em>deep</em> <strong>bold</strong> <code>x&lt;y</code>"
    assert str(digest_text.title_html(source)) == "<em>deep</em> <strong>bold</strong> <code>x&lt;y</code>"


@pytest.mark.parametrize("source, page, plain", [
    ("CT-$\\Delta$Bench", "CT-ΔBench", "CT-ΔBench"),
    ("$C_{lifecycle}(V) = C_{train}(V) + \\lambda \\cdot C_{infer}(V, B)$", "Clifecycle(V)=Ctrain(V)+λ·Cinfer(V,B)",
     "C_lifecycle(V) = C_train(V) + λ · C_infer(V, B)"),
    ("$\\alpha > 0$ in $O(n \\log n)$ with $x^2$, $x_i$", "α>0 in O(nlogn) with x2, xi",
     "α > 0 in O(n log n) with x², xᵢ"),
    ("$\\mathbb{R}^d$ and $\\frac{1}{\\sqrt{d}}$", "ℝd and 1d", "ℝ^d and 1/√d"),
])
def test_math_in_each_channel(source, page, plain):
    assert text_of(markup.inline_html(source)) == page  # MathML: the layout does the rest
    assert markup.plain_line(source) == plain
    assert "<math" not in str(digest_text.title_html(source))


def test_capital_greek_is_upright_as_tex_sets_it():
    assert '<mi mathvariant="normal">Δ</mi>' in markup.inline_html("CT-$\\Delta$Bench")
    assert "<mi>δ</mi>" in markup.inline_html("$\\delta$")  # lower-case Greek stays italic


def test_e_mail_html_sets_math_with_sub_sup_and_italics():
    assert str(digest_text.title_html("$C_{train}(V)$ and $x^2$")) == (
        "<i>C</i><sub><i>train</i></sub>(<i>V</i>) and <i>x</i><sup>2</sup>")


def test_a_formula_holds_on_to_the_characters_it_touches():
    # no line starts with the comma after a formula on a phone (style.css: .nw is nowrap;
    # tests/test_text_browser.py checks the layout in Chromium)
    out = markup.inline_html("on-device ($B=1$), then $x$. And $y$ alone; CT-$\\Delta$Bench: and $a$-$b$")
    assert '<span class="nw">(<math><mi>B</mi><mo>=</mo><mn>1</mn></math>),</span> then' in out
    assert '<span class="nw"><math><mi>x</mi></math>.</span> And <math><mi>y</mi></math> alone' in out
    assert '<span class="nw">CT-<math><mi mathvariant="normal">Δ</mi></math>Bench:</span>' in out
    assert '<span class="nw"><math><mi>a</mi></math>-</span><math><mi>b</mi></math>' in out  # each character once


@pytest.mark.parametrize("source", ["$\\notacommand{x}$", "$\\frac{1}{$", "$x^{2$", "$x}$", "$a_$",
                                    "$" + "{" * 3000 + "$"])
def test_math_that_cannot_be_read_is_shown_as_written_everywhere(source):
    page, plain, mail = channels(f"before {source} after")
    assert page == plain == mail == f"before {source} after"
    assert f'<code class="tex">{html.escape(source)}</code>' in markup.inline_html(f"before {source} after")


def test_percent_is_a_character_in_math_too():
    assert markup.plain_line("$50%$ of $x$") == "50% of x"
    assert "<mn>50</mn><mi>%</mi>" in markup.inline_html("$50%$")


def test_2608_11361_loses_no_word():
    source = (REPO / "content/papers/2608/11/2608.11361.md").read_text().split("---\n", 2)[2]
    page = text_of(markup.abstract_html(source))
    plain = markup.plain_line(source)
    for shown in (page, plain):
        assert "(<2% BPB spread), making vocabulary a pure systems optimization" in shown
        assert "guidance: on-device deployments (B" in shown
    assert "(B = 1) should use V ≈ 32k; datacenter serving (B ≥ 64, λ ≥ 10)" in plain


def test_digest_excerpt_html_cuts_where_the_text_excerpt_does():
    source = "We study $\\alpha$-divergences. " + "More words here. " * 40
    plain = digest_text.excerpt(source)
    mail = str(digest_text.excerpt_html(source))
    assert text_of(mail) == plain and "<i>α</i>" in mail
    assert digest_text.excerpt("Short $x^2$ text.") == "Short x² text."


def test_hostile_text_is_escaped_in_every_html_output():
    source = '<script>alert(1)</script> \\emph{<b>x</b>} $\\text{<img src=x>}$'
    for out in (markup.inline_html(source), str(digest_text.title_html(source)), markup.abstract_html(source)):
        assert "<script" not in out and "<b>" not in out and "<img" not in out
    assert re.search(r"&lt;script&gt;alert\(1\)&lt;/script&gt;", markup.inline_html(source))
