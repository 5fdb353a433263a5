"""sitegen.text.scanner: where the math is, by TeX's rules and arXiv authors' habits."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.text.scanner import Math, paragraphs, split_math


def spans(text: str) -> list[str]:
    """The TeX of each math span, with "$$" or "\\[" marking display ones."""
    return [("D:" if p.display else "") + p.tex for p in split_math(text) if isinstance(p, Math)]


@pytest.mark.parametrize("text, expected", [
    # 2608.11361: a lone relation in dollars before a number is math, and the dollars after it
    # pair with each other, not with it
    ("range ($<$2% BPB spread), making vocabulary ... deployments ($B=1$) should",
     ["<", "B=1"]),
    ("improves by $\\sim$30% and $\\times$4 faster", ["\\sim", "\\times"]),
    # prices stay text: a space inside a dollar, or a digit after a span that starts with one
    ("costs $5 and $10 each", []),
    ("between $5/$10 a month", []),
    ("from $5-$10", []),
    # an escaped dollar is a dollar sign, inside math or out
    ("pay \\$5 for $x$", ["x"]),
    ("$\\$5 + x$ and more", ["\\$5 + x"]),
    ("\\\\$x$", ["x"]),  # `\\` is a line break: the dollar after it opens math
    # the other delimiters
    ("then $$\\sum_i x_i$$ holds", ["D:\\sum_i x_i"]),
    ("then \\(a+b\\) and \\[c\\]", ["a+b", "D:c"]),
    ("$a$$b$", ["a", "b"]),
    # `%` is a character: arXiv abstracts are not TeX files
    ("$50%$ of it, 30% of $x$", ["50%", "x"]),
    # a delimiter without its partner is text
    ("an unclosed \\[ bracket and $x", []),
    ("$ x$ and $x $ and $$", []),
    ("\\(\\) empty", []),
])
def test_math_spans(text, expected):
    assert spans(text) == expected
    assert "".join(p.source if isinstance(p, Math) else p for p in split_math(text)) == text


def test_sources_keep_their_delimiters():
    (before, span, after) = split_math("a \\[x\\] b")
    assert (before, after) == ("a ", " b") and span == Math("x", True, "\\[x\\]")


def test_no_span_crosses_a_blank_line():
    # TeX allows no paragraph break inside math; a scanner given paragraphs cannot make one
    text = "A cost of $5.\n\nAnother paragraph, $x$ and $y$."
    assert paragraphs(text) == ["A cost of $5.", "Another paragraph, $x$ and $y$."]
    assert [spans(p) for p in paragraphs(text)] == [[], ["x", "y"]]
    assert paragraphs("  one\n \t \n\n two \n three  ") == ["one", "two \n three"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("ab $\\()[]{}%\n2") + ["$$", "\\(", "\\)", "\\[", "\\]", "\\$"]),
                max_size=60).map("".join))
def test_the_pieces_are_the_text(text):
    pieces = split_math(text)
    assert "".join(p.source if isinstance(p, Math) else p for p in pieces) == text
    for p in pieces:
        if isinstance(p, Math):
            assert p.tex.strip() and p.source.endswith(("$", "\\)", "\\]"))
