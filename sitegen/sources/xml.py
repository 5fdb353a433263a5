"""Safe XML parsing for source responses: malformed, truncated or DOCTYPE-bearing bodies are
ParseErrors, never crashes or entity expansions."""

from __future__ import annotations

from xml.etree.ElementTree import Element, TreeBuilder, XMLParser
from xml.etree.ElementTree import ParseError as XMLSyntaxError

from sitegen.errors import ParseError


class _NoDoctype(TreeBuilder):
    # Neither arXiv feed ever has a DOCTYPE. Refusing one rules out entity-expansion
    # ("billion laughs") and external-entity tricks, whatever the expat version does.
    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise ParseError("XML body has a DOCTYPE declaration; refusing it")


def parse_xml(body: bytes, what: str) -> Element:
    """Parse an XML body; ParseError (naming `what`) if it is malformed, truncated or has a DOCTYPE."""
    if not isinstance(body, (bytes, bytearray)):
        raise ParseError(f"{what}: expected bytes, got {type(body).__name__}")
    if not body.strip():
        raise ParseError(f"{what}: empty body")
    parser = XMLParser(target=_NoDoctype())
    try:
        parser.feed(bytes(body))
        return parser.close()
    except XMLSyntaxError as exc:
        raise ParseError(f"{what}: malformed or truncated XML ({exc})") from None
    except (LookupError, ValueError) as exc:  # <?xml encoding="TTF-8"?>, or one expat cannot read
        raise ParseError(f"{what}: XML in an unreadable encoding ({' '.join(str(exc).split())[:100]})") from None


def find_text(parent: Element, path: str, namespaces: dict[str, str] | None = None) -> str | None:
    """Text of the first matching child, or None."""
    node = parent.find(path, namespaces)
    return node.text if node is not None else None
