"""What python-markdown makes of the simplest Markdown abstracts, without running it.

Most Markdown abstracts only mark a few words bold, emphasised or as code, add a link, or end
with a short `- ` list. python-markdown spends ~0.35 ms on each (a parser, ~15 inline
patterns tried at every text node, a tree and its serialiser): about 1.7 of a 12 s cold
build at 10k papers, half of them Markdown. For text made only of the constructs below,
`simple_markdown` returns the HTML python-markdown returns, byte for byte; for anything else
it returns None and python-markdown renders it. The gate is strict on purpose: a character
that could start any other construct (`\\ [ ] < > & * _ `` ` ``` outside the forms below,
tabs, indented or block-marker lines) sends the whole text to python-markdown.
tests/test_markdown_simple.py compares both on every form and on random mixes of them.
"""

from __future__ import annotations

import re

# Inline forms, each whole words between spaces, an opening bracket or the text's ends and
# closing punctuation: `**strong**`, `*em*` or `_em_` (letters, digits, inner spaces and
# hyphens), `` `code` `` (no backslash or backtick; `&` and `<...>` only in forms the HTML
# preprocessor passes through unchanged) and `[text](https://url)`.
_WORDS = r"[A-Za-z0-9](?:[A-Za-z0-9 -]*[A-Za-z0-9])?"
_TOKEN = re.compile(
    r"(?<![^ (])(?:"
    rf"\*\*(?P<strong>{_WORDS})\*\*"
    rf"|\*(?P<em>{_WORDS})\*"
    rf"|_(?P<em2>{_WORDS})_"
    r"|`(?P<code>(?! )(?:[^`\\<>&]|&(?![A-Za-z0-9#])|<[a-z]+>)+(?<! ))`"
    r"|\[(?P<text>[A-Za-z0-9](?:[A-Za-z0-9 ]*[A-Za-z0-9])?)\]\((?P<href>https?://(?:[^\W_]|[./-])+)\)"
    r")(?=[ .,;:!?)]|$)"
)
# Tags python-markdown's HTML preprocessor would not pass through as text (block-level ones
# and those whose content HTML parsers read raw).
_UNSAFE_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "canvas", "center", "dd", "details", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h", "header", "hgroup",
    "hr", "html", "iframe", "li", "main", "math", "menu", "nav", "noembed", "noframes",
    "noscript", "ol", "output", "p", "plaintext", "pre", "script", "section", "style",
    "summary", "table", "tbody", "td", "textarea", "tfoot", "th", "thead", "title", "tr", "ul",
    "video", "xmp", "audio", "head", "colgroup", "col", "caption", "legend", "option", "optgroup",
    "select", "frameset", "frame", "object", "template", "source", "track", "embed", "param",
    "svg", "img", "br", "wbr", "link", "meta", "base", "area", "input", "button", "label",
})
# What prose between the forms may not hold: the start of any other inline construct.
_SPECIAL = re.compile(r"[\\\[\]<>&*_`\t\r\x02\x03]")
# A paragraph that does not start with a letter, digit, bracket, quote or a form could be a
# heading, quote, list, rule or code block; "1. " starts an ordered list.
_PARAGRAPH_START = re.compile(r"[A-Za-z0-9(\"'\ue000*_`\[]")
_ORDERED = re.compile(r"\d+\.(?: |$)")


def _inline(text: str) -> str | None:
    """One line's HTML, or None when it holds anything but prose and the forms above."""
    out: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        prose = text[pos:m.start()]
        if _SPECIAL.search(prose):
            return None
        out.append(prose)
        kind = m.lastgroup
        if kind == "strong":
            out.append(f"<strong>{m['strong']}</strong>")
        elif kind == "em" or kind == "em2":
            out.append(f"<em>{m[kind]}</em>")
        elif kind == "code":
            code = m["code"]
            for tag in re.findall(r"<([a-z]+)>", code):
                if tag in _UNSAFE_TAGS:
                    return None
            out.append("<code>" + code.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</code>")
        else:
            out.append(f'<a href="{m["href"]}">{m["text"]}</a>')
        pos = m.end()
    rest = text[pos:]
    if _SPECIAL.search(rest):
        return None
    out.append(rest)
    return "".join(out)


def simple_markdown(source: str) -> str | None:
    """python-markdown's HTML for `source` (output_format="html", no extensions), or None
    when the text is not made only of paragraphs and `- ` lists of the simple forms."""
    html: list[str] = []
    after_list = False
    for block in source.split("\n\n"):
        if not block or block != block.strip(" \n"):
            return None
        if block.startswith("- "):
            if after_list:  # a blank line between two lists makes one loose list
                return None
            items = []
            for line in block.split("\n"):
                item = line[2:]
                if not line.startswith("- ") or not item or item != item.strip(" ") or not _starts_paragraph(item):
                    return None
                inline = _inline(item)
                if inline is None:
                    return None
                items.append(f"<li>{inline}</li>")
            html.append("<ul>\n" + "\n".join(items) + "\n</ul>")
            after_list = True
            continue
        if "\n" in block or not _starts_paragraph(block):
            return None
        inline = _inline(block)
        if inline is None:
            return None
        html.append(f"<p>{inline}</p>")
        after_list = False
    return "\n".join(html)


def _starts_paragraph(text: str) -> bool:
    return _PARAGRAPH_START.match(text) is not None and _ORDERED.match(text) is None
