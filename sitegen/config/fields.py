"""Typed reads from parsed TOML that fail with a ConfigError naming the key path."""

from __future__ import annotations

import math
import re
from dataclasses import fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sitegen import urls
from sitegen.errors import ConfigError, quoted
from sitegen.limits import shown

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")


class FieldChecker:
    """Typed reads from the parsed TOML that raise ConfigError with the key path."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, key: str, message: str):
        raise ConfigError(self.path, key, message)

    def keys(self, table: dict, where: str, allowed) -> None:
        for key in table:
            if key not in allowed:
                # A quoted TOML key may hold anything, a line break included: shown as a
                # repr unless it is a plain one, so the message stays one short line.
                name = key if _BARE_KEY.fullmatch(key) else quoted(key)
                full = f"{where}.{name}" if where else name
                self.fail(full, f"unknown key; expected one of {', '.join(allowed)}")

    def table(self, data: dict, key: str, required: bool = False) -> dict:
        value = _get(data, key)
        if value is None:
            if required:
                self.fail(key, f"required table [{key}] is missing")
            return {}
        if not isinstance(value, dict):
            self.fail(key, f"must be a table ([{key}])")
        return value

    def table_list(self, data: dict, key: str) -> list[dict]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail(key, f"must be an array of tables ([[{key}]])")
        return value

    def text(self, table: dict, key: str, required: bool = False, default: Any = None) -> Any:
        value = table.get(key.rsplit(".", 1)[-1])
        if value is None:
            if required:
                self.fail(key, "required key is missing")
            return default
        if not isinstance(value, str):
            self.fail(key, f"must be a string in quotes, got {type(value).__name__}")
        return value

    def text_list(self, table: dict, key: str, default: list) -> list[str]:
        value = table.get(key.rsplit(".", 1)[-1], default)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(key, "must be a list of non-empty strings, such as [\"a\", \"b\"]")
        return value

    def integer(self, table: dict, key: str, default: int, minimum: int, maximum: int) -> int:
        """A whole number in minimum..maximum (both named in the message: every number in the
        config is bounded, so nothing downstream meets a 5000-digit or negative one)."""
        value = table.get(key.rsplit(".", 1)[-1], default)
        if not isinstance(value, int) or isinstance(value, bool) or not minimum <= value <= maximum:
            self.fail(key, f"must be a whole number in {shown(minimum)}..{shown(maximum)}, got {quoted(value)}")
        return value

    def number(self, table: dict, key: str, default: float, minimum: float, maximum: float) -> float:
        """A finite number in minimum..maximum: TOML's nan and inf pass every `<` test and
        then stall a deadline or a sleep, so they are refused by name."""
        value = table.get(key.rsplit(".", 1)[-1], default)
        if (not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value)
                or not minimum <= value <= maximum):
            self.fail(key, f"must be a number in {shown(minimum)}..{shown(maximum)}, got {quoted(value)}")
        return float(value)

    def boolean(self, table: dict, key: str, default: bool) -> bool:
        value = table.get(key.rsplit(".", 1)[-1], default)
        if not isinstance(value, bool):
            self.fail(key, f"must be true or false, got {quoted(value)}")
        return value

    def url(self, table: dict, key: str, required: bool = False, default: str | None = None,
            trailing_slash: bool = False, given_by: str = "") -> str:
        """An absolute http(s) URL without query or fragment, valid as it stands (sitegen.urls).

        `given_by` names where an override came from (--base-url), for the message."""
        value = self.text(table, key, required=required, default=default)
        if value == default and not required:
            return value
        where = f" (given by {given_by})" if given_by else ""
        example = "an absolute http(s) URL such as \"https://owner.github.io/repo/\""
        problem = urls.config_url_problem(value)
        if problem:
            self.fail(key, f"{quoted(value)}{where} {problem}; write {example}")
        parts = urlsplit(value)
        if parts.query or parts.fragment:
            self.fail(key, f"{quoted(value)}{where} is not {example} (no ?query or #fragment)")
        if trailing_slash and not value.endswith("/"):
            value += "/"  # base_url is a folder: links resolve below it
        return value

    def contact(self, table: dict, key: str, default: str = "") -> str:
        """How to reach whoever runs the site: an http(s) URL, or an e-mail address (bare or
        `mailto:`), returned as a `mailto:` URL."""
        value = self.text(table, key, default=default)
        if value == default:
            return value
        problem, contact = urls.contact_problem(value)
        if problem:
            self.fail(key, f"{quoted(value)} {problem}; write a URL such as \"https://github.com/owner/repo\" "
                           "or an address such as \"mailto:you@example.org\"")
        return contact

    def dataclass(self, table: dict, key: str, cls):
        sub = self.table(table, key.rsplit(".", 1)[-1])
        names = [f.name for f in fields(cls)]
        self.keys(sub, key, names)
        values: dict[str, str | float] = {}
        ranges = getattr(cls, "RANGES", {})
        unbounded = [f.name for f in fields(cls) if not f.name.endswith("_url") and f.name not in ranges]
        if unbounded:  # a source's own mistake, not the user's: said at the first config read
            raise TypeError(f"{cls.__name__}.RANGES has no (lowest, highest) for {', '.join(unbounded)}")
        for f in fields(cls):
            if f.name not in sub:
                continue
            full = f"{key}.{f.name}"
            # Every settings key has a default (dataclasses types it as possibly MISSING): a str
            # for a `_url` key, a float for a number, an int for a whole number; each number
            # has its bounds in the class's RANGES (sitegen.sources.base.HttpSettings).
            default: Any = f.default
            if f.name.endswith("_url"):
                values[f.name] = self.url(sub, full, required=True)
            elif isinstance(default, float):
                values[f.name] = self.number(sub, full, default, *ranges[f.name])
            else:
                values[f.name] = self.integer(sub, full, default, *ranges[f.name])
        return cls(**values)


def _get(data: dict, key: str):
    return data.get(key.rsplit(".", 1)[-1])
