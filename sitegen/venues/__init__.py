"""Where a paper was accepted: read from its arXiv comment ("Accepted at ICLR 2027") and from
Semantic Scholar's venue, named the same way (names.py), for the venue marks and follows."""
