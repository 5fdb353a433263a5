"""The site model -> pages' bytes: the Jinja renderer, every page kind (outputs), and rendering
on every core with each page staged beside its target (staging)."""
