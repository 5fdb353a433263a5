"""math_spacing: TeX's thin space around function names, which MathML leaves out."""

from __future__ import annotations

import pytest
from browser_support import browser_unavailable, chromium

from sitegen.text import markup
from sitegen.text.math_spacing import THIN


def test_a_function_name_gets_thin_spaces_beside_ordinary_symbols():
    assert markup.math_html(r"O(n \log n)") == (
        f'<math><mi>O</mi><mo stretchy="false">(</mo><mi>n</mi>{THIN}<mi>log</mi>{THIN}<mi>n</mi>'
        '<mo stretchy="false">)</mo></math>')
    assert markup.math_html(r"\log_2 n") == f"<math><msub><mi>log</mi><mn>2</mn></msub>{THIN}<mi>n</mi></math>"
    assert markup.math_html(r"\sin^2 x").count(THIN) == 1
    assert markup.math_html(r"O(d^{3} \log d)").count(THIN) == 2  # after a script too


def test_none_before_a_bracket_or_after_an_operator():
    # TeX: Op-Open and Rel-Op get no thin space; `\,` written by hand is not doubled.
    assert THIN not in markup.math_html(r"\log(n)")
    assert markup.math_html(r"a = \log n").count(THIN) == 1
    assert markup.math_html(r"\log\, n").count("<mspace") == 1
    assert THIN not in markup.math_html(r"x_{\rm log} + logistic")  # letters, not \log


REASON = browser_unavailable()


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.skipif(REASON is not None, reason=f"browser tests skipped: {REASON}")
def test_chromium_draws_the_space():
    page_html = '<!DOCTYPE html><html><body style="margin:0;font-size:24px"><p><span>{}</span></p></body></html>'
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 900, "height": 300})

        def width(mathml: str) -> float:
            page.set_content(page_html.format(mathml))
            return page.locator("span").bounding_box()["width"]

        bare = '<math><mi>n</mi><mi>log</mi><mi>n</mi></math>'
        # two thin spaces, 1/6 em each at 24 px: ~8 px wider, "n log n" and not "nlogn"
        assert width(markup.math_html(r"n \log n")) - width(bare) == pytest.approx(8, abs=1.5)
