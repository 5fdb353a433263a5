"""What a build warns about: rules that build fine but cannot be what the user meant.

A topic that matched no paper is usually a rule that cannot match (a keyword nobody writes,
an author spelt differently), and a bare surname in `authors` follows everyone of that name.
Neither stops the build (a new topic is empty until the next fetch); each is one line on
stderr naming the topic as the configuration errors do. So is a nightly record the status
page had to leave out (sitegen.status.read), naming the file.
"""

from __future__ import annotations

from sitegen.authors import is_bare_surname
from sitegen.config.load import topic_key
from sitegen.site.model import Site
from sitegen.status.read import load_nights
from sitegen.status.view import NIGHTS_SHOWN
from sitegen.topic_citations import min_citations_warnings


def build_warnings(site: Site) -> tuple[str, ...]:
    found = []
    for number, topic in enumerate(site.config.topics, 1):
        key = topic_key(number, topic.slug)
        for i, entry in enumerate(topic.authors, 1):
            if is_bare_surname(entry):
                found.append(f"{key}.authors[{i}]: {entry.strip()!r} is a surname alone, so it follows every "
                             f"author of that surname; add a first name or an initial to narrow it")
        if not site.topics[topic.slug]:
            found.append(f"{key} matched no paper in {site.config.build.content.name}/; check its categories, "
                         f"keywords and authors, or fetch its papers: sitegen fetch --topic {topic.slug}")
    keyed = [(topic_key(number, t.slug), t) for number, t in enumerate(site.config.topics, 1)]
    found += min_citations_warnings(keyed, site.entries)
    if site.config.fetch.status is not None:
        found += load_nights(site.config.fetch.status, NIGHTS_SHOWN)[1]
    return tuple(found)
