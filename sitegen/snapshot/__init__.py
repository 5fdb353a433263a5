"""The snapshot archive in content/: the Markdown format (format), where files live and how
they are written (store), and the rule that merges records of one paper (merge)."""
