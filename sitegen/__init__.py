"""sitegen: a static site generator for research-paper feeds."""

__version__ = "0.1.0"
