"""sitegen.text.markdown_simple gives python-markdown's HTML, byte for byte, or declines."""

from __future__ import annotations

import random

import markdown
import pytest

from sitegen.text.markdown_simple import simple_markdown

_MD = markdown.Markdown(output_format="html")


def reference(text: str) -> str:
    return _MD.reset().convert(text)


HANDLED = [
    "A **bold** word, *em* and _em too_; `code` and [a link](https://github.com/x/y).",
    "**Start** and end **bold**",
    "(**in brackets**) and (*these*): `x[i] * 2`, `a && b`, `<eos>`, `__init__`, `--max-tokens`.",
    "Intro:\n\n- a *LLM agents* method\n- `torch.compile` support",
    "First.\n\n- one\n- two\n\nAfter the list.",
    "Math \ue0000\ue001 and `\ue0001\ue001` and *state-of-the-art*!",
    "Code: [repo](https://github.com/ångström/x-y).",
    "2.5 times better, **5** fold?",
    "\"Quoted\" 'text' with # and a trailing ! and ) ( marks",
]

DECLINED = [
    "snake_case in prose", "a*b", "* item", "1. first", "# Heading", "> quote", "    code",
    "Line one\nline two", "A  \nbreak", "tab\there", "**nested *em***", "[ref][1]", "[x]: https://x.org",
    "![img](https://x.org/a.png)", "<b>bold</b>", "a &amp; b", "`<div>`", "`a\\b`", "`&amp;`",
    "- a\n\n- b", "Text\n- item", "a\n\n\nb", "**a**b", "x**a**", "_a_b", "`` `x` ``", "a\\*b",
    "[t](http://a.org/x_y)", "[t](javascript:alert(1))", "*ü*", "- 1. x", "- - x", "---", "***",
]


@pytest.mark.parametrize("text", HANDLED)
def test_simple_forms_render_as_python_markdown_renders_them(text):
    assert simple_markdown(text) == reference(text)


@pytest.mark.parametrize("text", DECLINED)
def test_other_markdown_is_left_to_python_markdown(text):
    assert simple_markdown(text) is None


# Pieces the simple path takes, and (fewer) pieces that may or must send a text elsewhere.
SIMPLE = [
    "word", "Word", "words here", "2.5", "1.", "1", "*em*", "**strong**", "_em_", "*two words*", "**a-b**",
    "`code`", "`x[i] * 2`", "`<eos>`", "`<a>`", "`a && b`", "`__init__`", "[link](https://x.org/a)",
    "[two words](http://é.org/a-b.c)", "(", ")", "#", "!", ".", ",", ":", ";", "?", "-", "+", "\"", "'",
    "\ue0000\ue001", "é",
]
TRICKY = [
    "`<div>`", "`&x`", "` sp`", "![i](https://x.org)", "[r][1]", "[r]", "*", "**", "_", "`", "[", "]", "<",
    ">", "&", "&amp;", "\\", "\\*", "snake_case", "a*b", "\u00a0",
]
SEPARATORS = [" "] * 12 + ["", "\n", "\n\n", "\n\n- ", "\n- ", "  ", "\t", "\n\n1. ", "\n\n# ", "\n\n> "]


N_MIXES = 6000


def test_random_mixes_render_as_python_markdown_renders_them():
    rng = random.Random(20251201)
    handled = 0
    for _ in range(N_MIXES):
        out = [rng.choice(["", "- ", "(", ""])]
        for _ in range(rng.randint(1, 12)):
            out.append(rng.choice(TRICKY if rng.random() < 0.05 else SIMPLE))
            out.append(rng.choice(SEPARATORS))
        text = "".join(out).strip()
        simple = simple_markdown(text)
        if simple is not None:
            handled += 1
            assert simple == reference(text), text
    assert handled > N_MIXES // 10  # the mixes do exercise the simple path
