"""The search index: Pagefind bundles (index), sharded by arXiv-id month (shards)."""
