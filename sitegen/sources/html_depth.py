"""How deep a page's elements nest, measured in one pass before an HTML parser sees it.

HTML parsers check the stack of open elements for each start and end tag of some elements
(`</div>`, `<li>`: "has an element in scope"), so a page nesting them n deep costs n² steps:
lexbor took 45 s for 100,000 `<div>`s in one listing entry, and a page of them stalls a
fetch past any deadline (the request's deadline ends with the download, not the parse). A
real listing page nests about a dozen deep; sitegen refuses a page nesting more than
MAX_DEPTH before parsing it.

The count is an upper bound of the parser's depth: every start tag of an element that has
an end tag counts one, every end tag takes one away, and the elements the HTML parser
closes by itself (`<p>`, `<li>`, `<dd>`, ... left open) are not counted at all, so a page
that never closes them does not drift up; `<div/>` counts, as HTML ignores that slash on
its own elements. Comments, scripts and styles are skipped whole.
Each byte is looked at a bounded number of times: linear in the page.
"""

from __future__ import annotations

MAX_DEPTH = 512

# Elements with no end tag, and those whose end tag HTML lets a page leave out (the parser
# closes them when the next one starts): neither can pile up by being left open.
_NOT_COUNTED = frozenset(b"""area base br col embed hr img input link meta param source track wbr
    p li dt dd option optgroup tr td th thead tbody tfoot colgroup caption rb rt rtc rp html head body""".split())
_RAW = {b"script": b"</script", b"style": b"</style", b"textarea": b"</textarea", b"title": b"</title"}


def deeper_than(page: bytes, limit: int = MAX_DEPTH) -> bool:
    """True when `page` nests elements more than `limit` deep (as counted above)."""
    lower = page.lower()
    depth = pos = 0
    while (start := lower.find(b"<", pos)) != -1:
        if lower.startswith(b"<!--", start):
            end = lower.find(b"-->", start + 4)
            if end == -1:
                return False
            pos = end + 3
            continue
        end = lower.find(b">", start + 1)
        if end == -1:
            return False
        tag = lower[start + 1:end]
        closing = tag.startswith(b"/")
        name = tag[1:].split(None, 1)[0] if closing else (tag.split(None, 1) or [b""])[0]
        name = name.rstrip(b"/")
        pos = end + 1
        if not name or not name[:1].isalpha() or name in _NOT_COUNTED:
            continue
        if closing:
            depth = max(0, depth - 1)
            continue
        if name in _RAW:  # its text is not markup: skip to its end tag
            close = lower.find(_RAW[name], pos)
            if close == -1:
                return False
            pos = close
            continue
        depth += 1
        if depth > limit:
            return True
    return False
