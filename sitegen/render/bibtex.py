"""A BibTeX entry for a paper, in the form arXiv's own export uses (@misc with eprint)."""

from __future__ import annotations

import re
import unicodedata

from sitegen import arxiv_ids
from sitegen.model import Paper


def _escape(text: str) -> str:
    """`&`, `%` and `#` not already after a backslash get one: only characters that break
    BibTeX are escaped, TeX math ($x_1$) stays as written. Two passes of str.replace per
    character (every one gets a backslash, then a doubled one is undone) rather than a regex
    whose template is expanded in Python for each match (a title of 1M `%`: half a second)."""
    for special in "&%#":
        if special in text:
            text = text.replace(special, "\\" + special).replace("\\\\" + special, "\\" + special)
    return text


def citation_key(paper: Paper) -> str:
    first = paper.authors[0].split()[-1] if paper.authors else "anon"
    ascii_name = unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode()
    word = next((w for w in re.findall(r"[A-Za-z]{4,}", paper.title)), "paper")
    return f"{re.sub(r'[^A-Za-z]', '', ascii_name).lower() or 'anon'}{paper.published.year}{word.lower()}"


def bibtex_entry(paper: Paper) -> str:
    fields = [
        ("title", "{" + _escape(paper.title) + "}"),
        ("author", " and ".join(_escape(a) for a in paper.authors)),
        ("year", str(paper.published.year)),
        ("eprint", paper.id),
        ("archivePrefix", "arXiv"),
    ]
    if paper.primary_category:
        fields.append(("primaryClass", paper.primary_category))
    if paper.doi:
        fields.append(("doi", paper.doi))
    if paper.journal_ref:
        fields.append(("journal", _escape(paper.journal_ref)))
    fields.append(("url", paper.links.get("abs", arxiv_ids.abs_url(paper.id))))
    body = ",\n".join(f"  {k}={{{v}}}" for k, v in fields)  # key={value}, as arXiv writes it
    return f"@misc{{{citation_key(paper)},\n{body}\n}}"
