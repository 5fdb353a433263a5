"""What the HTTP client is asked, apart from where: the method, the Accept header, a body."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Request:
    """A GET (`body` None) or a POST with its body; `headers` are sent on every attempt and
    every redirect, and never shown in a message (an API key may be among them)."""

    method: str
    accept: str
    body: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
