"""`sitegen digest`: the day's papers as e-mail, written to files or sent over SMTP.

The package owns one command, in stages that each live in their own module:

- `settings`: the `[digest]` table of sitegen.toml (parsed by config.py through it);
- `select`: which day, which papers, in what order and grouping (pure);
- `text`: untrusted paper text -> safe plain text (TeX as Unicode, no control characters);
- `layout`: how much of each topic one message shows, chosen against a byte budget;
- `views`: a layout as the capped plain-text values the templates show;
- `compose`: a selection -> an RFC 5322 message, byte-for-byte deterministic;
- `smtp`: the SMTP server from the environment, and sending with TLS and timeouts;
- `state`: the digests-sent.json record that keeps a digest from going out twice;
- `run`: the command itself, tying the stages together.

This file imports nothing: config.py imports `settings`, and a heavier package import here
would pull the content and site modules into config's own import (a cycle).
"""
