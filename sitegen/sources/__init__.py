"""Where papers come from: one package per source, parsers kept apart from network code."""
