"""sitegen.echo: what a server said becomes one short line, with every form of a secret blanked.

The property test checks `Mask` against an oracle that does not share its idea of "forms"
(tests/secret_forms.leaks decodes whatever base64 and percent-encoding the text holds).
"""

from __future__ import annotations

import base64
import time
from urllib.parse import quote, quote_plus

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.echo import ECHO_CHARS, HIDDEN, Mask, base64_cores, echo
from tests.secret_forms import leaks


def test_one_line_bounded_and_without_controls():
    text = "550 5.7.1\r\nrejected:\t\x1b[31mred\x1b[0m \u202eevil\u202c " + "word " * 1000
    line = echo(text)
    assert len(line) == ECHO_CHARS and line.endswith("…")
    assert line.startswith("550 5.7.1 rejected: [31mred[0m evil word word")
    assert line.isprintable()
    assert echo(b"\xff\xfe bytes \xc3\xa9") == "\ufffd\ufffd bytes é"
    assert echo(None) == "" and echo("") == ""
    assert echo("short") == "short"


def test_every_form_of_a_secret_is_blanked():
    mask = Mask(["Tr0ub4dor&3 x/y"])
    secret = "Tr0ub4dor&3 x/y"
    forms = [secret, secret.upper(), quote(secret, safe=""), quote(secret), quote_plus(secret),
             quote(secret, safe="").lower(), "Tr0ub4dor&3\n x/y", "T\x00r\x000ub4dor&3 x/y",
             base64.b64encode(secret.encode()).decode(),
             base64.urlsafe_b64encode(b"\x00user\x00" + secret.encode()).decode()]
    for prefix in (b"", b"a", b"ab", b"user=alice;password="):
        forms.append(base64.b64encode(prefix + secret.encode() + b";").decode())
    for form in forms:
        line = echo(f"535 5.7.8 nope {form} end", mask=mask)
        assert HIDDEN in line and line.startswith("535 5.7.8 nope ") and line.endswith(" end"), (form, line)
        assert not leaks(line, secret), (form, line)


def test_any_mix_of_percent_escapes_is_blanked():
    secret = "s3cret p@ss/word"
    mask = Mask([secret])
    for form in ("s3cret%20p@ss/word", "s3cret p%40ss%2fword", "%73%33%63ret%20p%40ss%2Fword", "s3cret+p%40ss/word"):
        line = echo(f"550 {form}%21 ok", mask=mask)
        assert line == f"550 {HIDDEN}%21 ok", (form, line)
    assert echo("100%25 sure, 50%-off, %zz", mask=mask) == "100%25 sure, 50%-off, %zz"


def test_base64_cores_are_what_any_alignment_holds():
    data = b"s3cret!"
    for prefix in (b"", b"x", b"xy", b"xyz", b"wxyz"):
        encoded = base64.b64encode(prefix + data + b"tail").decode()
        assert any(core in encoded for core in base64_cores(data))


def test_a_short_secret_is_still_blanked_raw():
    assert echo("the pin is 42, not 420", mask=Mask(["42"])) == f"the pin is {HIDDEN}, not {HIDDEN}0"


def test_a_secret_cut_at_the_window_is_not_shown_half():
    # So many blanked copies that the output fills from far into the text, and the last copy
    # straddles the end of what echo reads: none of it may show.
    secret = "correct-horse-battery-staple"
    text = (secret + " ") * 5000 + secret
    line = echo(text, mask=Mask([secret]))
    assert len(line) <= ECHO_CHARS and "corr" not in line and "staple" not in line


def test_a_megabyte_of_hostile_text_takes_well_under_a_second():
    mask = Mask(["a" * 60, "aaab" * 20, "password"])
    for text in ("a" * 1_000_000, "\x00" * 1_000_000 + "x", "aaab" * 250_000, b"\xff" * 1_000_000):
        start = time.perf_counter()
        line = echo(text, mask=mask)
        assert time.perf_counter() - start < 1.0 and len(line) <= ECHO_CHARS


_SECRET = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp", "Cf")),
                  min_size=3, max_size=24)


@settings(max_examples=300, deadline=None)
@given(secret=_SECRET, prefix=st.binary(max_size=12), suffix=st.binary(max_size=12),
       words=st.text(max_size=40), urlsafe=st.booleans())
def test_no_base64_of_a_string_holding_the_secret_survives(secret, prefix, suffix, words, urlsafe):
    encode = base64.urlsafe_b64encode if urlsafe else base64.b64encode
    wrapped = encode(prefix + secret.encode("utf-8") + suffix).decode("ascii")
    line = echo(f"{words} {wrapped} {words}", limit=10_000, mask=Mask([secret]))
    assert not leaks(line, secret), line
