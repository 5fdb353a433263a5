"""The `[digest]` table of sitegen.toml -> a frozen DigestConfig; errors name the key.

Only what may be public lives here: the repository holding sitegen.toml is usually public,
so the SMTP server and its password are read from the environment (see `smtp`), and the
recipients may be too (`SITEGEN_DIGEST_TO` beats `to`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sitegen.config.fields import FieldChecker
from sitegen.errors import UsageError, quoted

if TYPE_CHECKING:
    from email.headerregistry import Address

MODES = ("combined", "per-topic")
# "daily": each announcement day's papers; "weekly": each week's, once it is over (sitegen.digest.weekly).
CADENCES = ("daily", "weekly")
DEFAULT_STATE = "digests-sent.json"
KEYS = ("mode", "cadence", "from", "to", "contact", "state", "timeout")
TIMEOUT_RANGE = (1.0, 3_600.0)  # seconds for one SMTP operation: a second to an hour


@dataclass(frozen=True)
class DigestConfig:
    mode: str = "combined"  # one message with every topic, or one message per topic
    cadence: str = "daily"  # a digest per announcement day, or per week (CADENCES)
    sender: str | None = None  # `from`: "Name <addr>" or "addr"; SITEGEN_DIGEST_FROM beats it
    to: tuple[str, ...] = ()  # recipients; SITEGEN_DIGEST_TO beats it
    contact: str | None = None  # who to ask to unsubscribe; default: the sender's address
    state: Path | None = None  # the sent-digests record; None: digests-sent.json by the config
    timeout: float = 30.0  # seconds for each SMTP operation


def parse_address(text: str) -> Address | None:
    """One mailbox ("Name <a@b.c>" or "a@b.c") as an Address, or None when it is not one.

    Anything with a line break, several addresses or no domain is refused: the value ends up
    in a header, where a CR/LF would start a header of its own."""
    if not text or any(c in text for c in "\r\n\0") or not text.isprintable():
        return None
    # Imported here: every sitegen command reads [digest], only the digest parses addresses.
    from email.policy import default as default_policy

    try:
        header = default_policy.header_factory("From", text)
    except Exception:  # the header parser raises several types on malformed input
        return None
    addresses: tuple[Address, ...] = tuple(getattr(header, "addresses", ()))
    if getattr(header, "defects", None) or len(addresses) != 1:
        return None
    address = addresses[0]
    if not address.username or not address.domain or "." not in address.domain:
        return None
    if not address.addr_spec.isascii():
        return None  # the envelope (MAIL FROM / RCPT TO) is sent without SMTPUTF8
    return address


def parse_digest(check: FieldChecker, data: dict, root: Path) -> DigestConfig:
    table = check.table(data, "digest")
    check.keys(table, "digest", KEYS)
    mode = check.text(table, "digest.mode", default="combined")
    if mode not in MODES:
        check.fail("digest.mode", f"{quoted(mode)} is not one of {', '.join(repr(m) for m in MODES)}")
    cadence = check.text(table, "digest.cadence", default="daily")
    if cadence not in CADENCES:
        check.fail("digest.cadence", f"{quoted(cadence)} is not one of {', '.join(repr(c) for c in CADENCES)}")
    sender = check.text(table, "digest.from", default=None)
    if sender is not None and parse_address(sender) is None:
        check.fail("digest.from",
                   f"{quoted(sender)} is not one e-mail address such as \"Paper Feeds <feeds@example.org>\"")
    to = check.text_list(table, "digest.to", default=[])
    for i, addr in enumerate(to, 1):
        if parse_address(addr) is None:
            check.fail(f"digest.to[{i}]", f"{quoted(addr)} is not an e-mail address such as \"you@example.org\"")
    contact = check.text(table, "digest.contact", default=None)
    if contact is not None and (not contact.strip() or not contact.isprintable()):
        check.fail("digest.contact", "must be an e-mail address or a URL on one line")
    state = check.text(table, "digest.state", default=DEFAULT_STATE)
    return DigestConfig(
        mode=mode,
        cadence=cadence,
        sender=sender,
        to=tuple(to),
        contact=contact,
        state=root / state,
        timeout=check.number(table, "digest.timeout", 30.0, *TIMEOUT_RANGE),
    )


# --- the environment: what a public repository must not hold ---------------------------------

ENV_TO = "SITEGEN_DIGEST_TO"
ENV_FROM = "SITEGEN_DIGEST_FROM"


def sender_address(digest: DigestConfig, environ) -> Address | None:
    """The From address: SITEGEN_DIGEST_FROM, else `[digest] from`, else None."""
    raw = environ.get(ENV_FROM, "").strip()
    where = ENV_FROM
    if not raw:
        raw, where = digest.sender or "", "digest.from"
    if not raw:
        return None
    address = parse_address(raw)
    if address is None:  # the value is not repeated: it may hold a line break or worse
        raise UsageError(f"{where} is not one e-mail address such as \"Paper Feeds <feeds@example.org>\"")
    return address


def recipients(digest: DigestConfig, environ) -> list[str]:
    """Envelope recipients: SITEGEN_DIGEST_TO (comma-separated) beats `[digest] to`; each once."""
    raw = environ.get(ENV_TO, "")
    if raw.strip():
        items, where = [x.strip() for x in raw.split(",") if x.strip()], ENV_TO
    else:
        items, where = list(digest.to), "digest.to"
    found: list[str] = []
    for i, item in enumerate(items, 1):
        address = parse_address(item)
        if address is None:
            raise UsageError(f"{where}: entry {i} is not an e-mail address such as you@example.org "
                             "(separate addresses with commas)")
        if address.addr_spec.lower() not in (f.lower() for f in found):
            found.append(address.addr_spec)
    return found
