"""arXiv: the API, the daily RSS batch and the listing pages, and the announcement calendar."""

# arXiv's answer when it throttles, whatever the HTTP status: the client retries it like a
# 429, and the listing parser refuses it as a page.
RATE_EXCEEDED = b"Rate exceeded."
