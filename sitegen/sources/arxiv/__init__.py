"""arXiv: the API, the daily RSS batch and the listing pages, and the announcement calendar."""
