"""In Chromium, a formula keeps the punctuation after it and the bracket before it on its line
at every width (sitegen/text/to_html.py and style.css's .nw), which a word joiner did not."""

from __future__ import annotations

import pytest
from browser_support import CHROMIUM, CHROMIUM_ARGS, REPO, browser_unavailable

from sitegen.text import markup

# Slow (drives Chromium): `pytest -m "not slow"` leaves it out.
pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.skipif(browser_unavailable() is not None,
                                                       reason=browser_unavailable() or "")]

ABSTRACT = ("Our results guide planning: on-device deployments ($B=1$), should use $V \\approx 32$k; datacenter "
            "serving ($B \\geq 64$, $\\lambda \\geq 10$) uses $V \\approx 131$-262k. Also ($x$) and $y$, done.")

# Each punctuation mark right after a formula, and each bracket right before one, that sits
# on another line than the formula.
ORPHANS = """() => {
  let orphans = 0;
  for (const m of document.querySelectorAll('math')) {
    const after = m.nextSibling, before = m.previousSibling, box = m.getBoundingClientRect();
    if (after && after.nodeType === 3 && /^[),.;]/.test(after.data)) {
      const r = document.createRange(); r.setStart(after, 0); r.setEnd(after, 1);
      if (r.getBoundingClientRect().top > box.bottom - 2) orphans++;
    }
    if (before && before.nodeType === 3 && /[(]$/.test(before.data)) {
      const r = document.createRange(), end = before.data.length;
      r.setStart(before, end - 1); r.setEnd(before, end);
      if (r.getBoundingClientRect().bottom < box.top + 2) orphans++;
    }
  }
  return orphans;
}"""


def test_no_line_starts_with_the_punctuation_after_a_formula():
    from playwright.sync_api import sync_playwright

    css = (REPO / "templates" / "static" / "style.css").read_text()
    html = markup.abstract_html(ABSTRACT)
    bare = html.replace('<span class="nw">', "").replace("</span>", "")
    widths = range(100, 400, 2)
    page_html = (f"<!DOCTYPE html><html><head><style>{css}</style></head><body>"
                 + "".join(f'<div style="width:{w}px">{html}</div>' for w in widths)
                 + '<div id="bare">' + "".join(f'<div style="width:{w}px">{bare}</div>' for w in widths)
                 + "</div></body></html>")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_content(page_html)
            both = page.evaluate(ORPHANS)
            page.evaluate("() => document.getElementById('bare').remove()")
            glued = page.evaluate(ORPHANS)
        finally:
            browser.close()
    assert glued == 0
    assert both > 20  # without the spans, Chromium does leave them alone at these widths
