"""Semantic Scholar: citation counts, venue, TLDR and open-access PDF of papers already known."""
