"""content/ -> the site model: load and check every snapshot (load), make the model (model:
papers, days, topics, pages), related papers, retention under a size limit, warnings.
Nothing here reads a template or writes to output/."""
