"""Hugging Face Daily Papers: the community's picks, with upvotes, comments and repositories."""
