"""The README badge (`status/badge.svg`): a shields-style SVG saying how the feed is doing.

"papers | 52 on 13 Aug" (the site's newest day and its papers) while it is healthy; "fetch |
failing 2 nights" while a source fails; "fetch | nothing 2 days" once two announcement days
in a row brought nothing (what fails the nightly workflow). Deterministic: widths come from a
fixed table, never from a font on the building machine, and each text is stretched to its
computed width (`textLength`), so the badge looks the same wherever it is drawn. Every text
is escaped, though sitegen makes all of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from sitegen.status.view import StatusView

# Advance widths of printable ASCII (32..126) in DejaVu Sans at 11 px, in tenths of a pixel,
# measured once with a browser's canvas (`measureText` at 110 px). Other characters count as
# WIDE; sitegen's badge texts are ASCII.
_WIDTHS = (
    35, 44, 51, 92, 70, 105, 86, 30, 43, 43, 55, 92, 35, 40, 35, 37, 70, 70, 70, 70, 70, 70, 70, 70, 70, 70,
    37, 37, 92, 92, 92, 58, 110, 75, 75, 77, 85, 70, 63, 85, 83, 32, 32, 72, 61, 95, 82, 87, 66, 87, 76, 70,
    67, 81, 75, 109, 75, 67, 75, 43, 37, 43, 92, 55, 55, 67, 70, 60, 70, 68, 39, 70, 70, 31, 31, 64, 31, 107,
    70, 67, 70, 70, 45, 57, 43, 70, 65, 90, 65, 65, 58, 70, 37, 70, 92,
)
WIDE = 110
PADDING = 100  # 5 px on each side of a text, in tenths
COLORS = {"ok": "#2b7a0b", "warn": "#b45309", "bad": "#c0392b", "none": "#6b6b6b"}
LABEL_COLOR = "#555"


@dataclass(frozen=True)
class Badge:
    label: str
    value: str
    state: str  # a key of COLORS


def badge_of(view: StatusView) -> Badge:
    if not view.verdict.ok:
        return Badge("fetch", f"nothing {len(view.verdict.streak)} days", "bad")
    if view.failing_nights:
        n = view.failing_nights
        return Badge("fetch", f"failing {n} night{'s' if n != 1 else ''}", "warn")
    if view.newest_paper is None:
        return Badge("papers", "none yet", "none")
    day = view.newest_paper
    return Badge("papers", f"{view.newest_count} on {day.day} {day:%b}", "ok" if view.last_night else "none")


def text_width(text: str) -> int:
    """`text`'s width at 11 px, in tenths of a pixel."""
    return sum(_WIDTHS[ord(c) - 32] if 32 <= ord(c) < 127 else WIDE for c in text)


def badge_svg(badge: Badge) -> bytes:
    left, right = text_width(badge.label), text_width(badge.value)
    lw, rw = (left + PADDING) // 10, (right + PADDING) // 10
    width = lw + rw
    title = escape(f"{badge.label}: {badge.value}")
    label, value = escape(badge.label), escape(badge.value)
    color = COLORS[badge.state]
    lx, rx = lw * 5, lw * 10 + rw * 5  # text centres, in tenths
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" aria-label="{title}">'
        f"<title>{title}</title>"
        '<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/>'
        '<stop offset="1" stop-opacity=".1"/></linearGradient>'
        f'<clipPath id="r"><rect width="{width}" height="20" rx="3" fill="#fff"/></clipPath>'
        f'<g clip-path="url(#r)"><rect width="{lw}" height="20" fill="{LABEL_COLOR}"/>'
        f'<rect x="{lw}" width="{rw}" height="20" fill="{color}"/>'
        f'<rect width="{width}" height="20" fill="url(#s)"/></g>'
        '<g fill="#fff" text-anchor="middle" font-family="DejaVu Sans,Verdana,Geneva,sans-serif" '
        'text-rendering="geometricPrecision" font-size="110">'
        f'<text aria-hidden="true" x="{lx}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" '
        f'textLength="{left}">{label}</text>'
        f'<text x="{lx}" y="140" transform="scale(.1)" textLength="{left}">{label}</text>'
        f'<text aria-hidden="true" x="{rx}" y="150" fill="#010101" fill-opacity=".3" transform="scale(.1)" '
        f'textLength="{right}">{value}</text>'
        f'<text x="{rx}" y="140" transform="scale(.1)" textLength="{right}">{value}</text>'
        "</g></svg>\n"
    )
    return svg.encode("utf-8")
