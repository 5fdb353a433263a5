"""mathml_trim: shorter MathML from real latex2mathml output, drawn the same by Chromium."""

from __future__ import annotations

import pytest
from browser_support import browser_unavailable, chromium

from sitegen.text import tex_math
from sitegen.text.math_spacing import space_functions
from sitegen.text.mathml_trim import trim_mathml

# TeX as arXiv abstracts write it: brackets beside letters, fractions, roots, scripts, large
# operators, \left...\right, font commands, matrices.
CORPUS = [
    r"\alpha", r"\alpha=0.1", r"O(n \log n)", r"O(d^{3} \log d)", r"\mathcal{L}_{\text{KL}}",
    r"x_i \in \mathbb{R}^{d}", r"\epsilon = 10^{-3}", r"\sum_{i=1}^{n} x_i", r"\frac{1}{\sqrt{d}}", r"\|w\|_4",
    r"\tilde{O}(\sqrt{T})", r"p < 0.05", r"\lambda_{\max}", r"x^\top A x", r"\mathbb{E}[x_i]", r"\theta^*",
    r"\ell_2", r"\nabla f(x)", r"f(\frac{1}{2})", r"(\sum_{i=1}^n x_i)", r"\left(\frac{a}{b}\right)",
    r"\|x\|_2^2", r"[0, 1]", r"\{x : x > 0\}", r"|x|", r"(x_i)", r"(x^2)", r"\mathbb{R}^{n \times d}",
    r"p(y \mid x)", r"\mathrm{softmax}(QK^\top/\sqrt{d})", r"\hat{\theta}", r"\bar{x}", r"\sqrt[3]{x}",
    r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}", r"\binom{n}{k}", r"x \in (0, 1]", r"\lfloor x \rfloor",
    r"\langle u, v \rangle", r"e^{-x^2}", r"\int_0^1 f(x)\,dx", r"\lim_{n\to\infty} a_n", r"\max_{i} (x_i)",
    r"{\cal N}(0, \sigma^2)", r"\mathbf{x}", r"\boldsymbol\theta", r"f^{(k)}(x)", r"(\int f)", r"(a+b)^2",
    r"\big( x \big)", r"\Pr[X \geq t]", r"10^{-4}", r"\{1, \dots, n\}", r"x \mapsto (x, x^2)",
]


def untrimmed(tex: str, display: bool = False) -> str:
    """What tex_math.mathml wrote before mathml_trim (and before math_spacing's spaces)."""
    saved = tex_math.trim_mathml, tex_math.space_functions
    tex_math.trim_mathml = tex_math.space_functions = lambda html: html  # type: ignore[assignment]
    try:
        out = tex_math.mathml.__wrapped__(tex, display)
        assert out is not None, tex
        return out
    finally:
        tex_math.trim_mathml, tex_math.space_functions = saved  # type: ignore[assignment]


def test_a_lone_mrow_and_fence_false_go():
    assert trim_mathml(untrimmed(r"\alpha")) == "<math><mi>α</mi></math>"
    assert trim_mathml(untrimmed(r"O(n \log n)")) == (
        '<math><mi>O</mi><mo stretchy="false">(</mo><mi>n</mi><mi>log</mi><mi>n</mi><mo stretchy="false">)</mo></math>')
    assert trim_mathml(untrimmed(r"\|w\|_4")) == (
        '<math><mo stretchy="false">‖</mo><mi>w</mi><msub><mo stretchy="false">‖</mo><mn>4</mn></msub></math>')
    assert trim_mathml(untrimmed(r"\mathcal{L}_{\text{KL}}")) == (
        '<math><msub><mi mathvariant="script">ℒ</mi><mtext>KL</mtext></msub></math>')


def test_what_changes_the_drawing_stays():
    # stretchy="false" stays (see mathml_trim's docstring): a bracket would grow with a fraction
    assert trim_mathml(untrimmed(r"f(\frac{1}{2})")).count('stretchy="false"') == 2
    # \left...\right: the row that the brackets stretch over stays a row of its own
    trimmed = trim_mathml(untrimmed(r"x + \left(\frac{a}{b}\right)"))
    assert trimmed.count("<mrow>") == 1 and 'stretchy="true"' in trimmed
    # a script's row of several children, and an operator alone in a row (its spacing)
    assert "<mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow>" in trim_mathml(untrimmed(r"\sum_{i=1}^{n} x_i"))
    assert trim_mathml("<math><msup><mi>x</mi><mrow><mo>*</mo></mrow></msup></math>").count("<mrow>") == 1


def test_markup_it_cannot_read_is_left_as_it_is():
    for html in ("<math><mrow><mi>x</mi></math>", "<math><mi>x</mi></mrow></math>", "plain text", ""):
        assert trim_mathml(html) == html


def test_math_html_writes_trimmed_mathml_a_sixth_shorter():
    before = sum(len(untrimmed(t)) for t in CORPUS)
    after = sum(len(trim_mathml(untrimmed(t))) for t in CORPUS)
    assert after < before * 0.85
    for tex in CORPUS:
        assert tex_math.math_html(tex) == space_functions(trim_mathml(untrimmed(tex)))
        assert trim_mathml(tex_math.math_html(tex)) == tex_math.math_html(tex)  # nothing left to trim


REASON = browser_unavailable()


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(REASON is not None, reason=f"browser tests skipped: {REASON}")
def test_chromium_draws_trimmed_math_pixel_for_pixel_the_same():
    page_html = '<!DOCTYPE html><html><body style="margin:0;font-size:24px"><p>x {} x</p></body></html>'

    def shot(page, mathml: str) -> bytes:
        page.set_content(page_html.format(mathml))
        return page.locator("p").screenshot()

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 900, "height": 300})
        # The check sees a difference as small as the one that keeps stretchy="false": a
        # bracket beside letters only, drawn stretchy.
        assert shot(page, "<math><mi>O</mi><mo>(</mo><mi>n</mi><mo>)</mo></math>") != shot(
            page, '<math><mi>O</mi><mo stretchy="false">(</mo><mi>n</mi><mo stretchy="false">)</mo></math>')
        different = []
        for display in (False, True):
            for tex in CORPUS:
                before = untrimmed(tex, display)
                after = trim_mathml(before)
                if before != after and shot(page, before) != shot(page, after):
                    different.append((tex, display))
        assert different == []
