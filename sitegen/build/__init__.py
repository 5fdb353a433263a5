"""`sitegen build`: load and check content/ (load), make the site model (site), render every
registered output (outputs, render, markup) and write output/ (writer, marker, manifest,
ownership), search index included (search)."""
